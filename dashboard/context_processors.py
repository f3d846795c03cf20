from django.conf import settings

from dashboard.accounts.roles import ROLES


def backend(request):
    """Which Connect API the dashboard is talking to, for the header."""
    return {
        "connect_backend": settings.CONNECT_API_URL or "embedded",
        "connect_organisation_id": settings.CONNECT_ORGANISATION_ID,
    }


# (label, link, path prefixes that belong to the section besides the link itself, the keys
# that go there: static/js/keys.js binds them, the shortcuts dialog lists them)
NAVIGATION = (
    ("Overview", "/", (), "g o"),
    ("Connectors", "/connectors/", (), "g c"),
    ("Library", "/library/", (), "g l"),
    ("Credentials", "/credentials/", (), "g r"),
    ("Audit", "/audit/", (), "g a"),
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
                "keys": keys,
            }
            for label, url, prefixes, keys in NAVIGATION
        ]
    }


def role(request):
    """The signed-in user's role, for the header (a user may hold none)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    held = {group.name for group in user.groups.all()}
    fallback = "superuser" if user.is_superuser else "no role"
    return {"user_role": next((name for name in reversed(ROLES) if name in held), fallback)}
