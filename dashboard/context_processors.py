from django.conf import settings


def backend(request):
    """Which Connect API the dashboard is talking to, for the header."""
    return {
        "connect_backend": settings.CONNECT_API_URL or "embedded",
        "connect_organisation_id": settings.CONNECT_ORGANISATION_ID,
    }


# (label, link, path prefixes that belong to the section besides the link itself)
NAVIGATION = (
    ("Overview", "/", ()),
    ("Connectors", "/connectors/", ()),
    ("Library", "/library/", ()),
    ("Credentials", "/credentials/", ()),
    ("Audit", "/audit/", ()),
)


def navigation(request):
    """The main navigation, with the section the current page belongs to marked current."""
    path = request.path
    return {
        "nav_items": [
            {
                "label": label,
                "url": url,
                "current": path == url
                or (url != "/" and path.startswith(url))
                or path.startswith(prefixes),
            }
            for label, url, prefixes in NAVIGATION
        ]
    }
