"""The Connect API's fixed catalogues (categories, protocols), cached briefly.

Every connector list validates its filters against them; they change only when the API is
upgraded, so fetching them on every page view would only add calls.
"""

from django.core.cache import cache

from dashboard.connect import get_client

CACHE_SECONDS = 300


def _key(name: str) -> str:
    # One cache serves every environment, and may serve dashboards of other backends.
    client = get_client()
    return f"connect-catalogue:{client.backend_label}:{client.organisation_id}:{name}"


def categories() -> list[str]:
    """ListCategories: every category a connector may have."""
    return cache.get_or_set(_key("categories"), get_client().categories.list, CACHE_SECONDS)


def protocols() -> list[tuple[str, str]]:
    """ListProtocols as (slug, name) pairs."""

    def fetch() -> list[tuple[str, str]]:
        page = get_client().protocols.list(first=100)
        return [(protocol.slug, protocol.name) for protocol in page.iter_all()]

    return cache.get_or_set(_key("protocols"), fetch, CACHE_SECONDS)
