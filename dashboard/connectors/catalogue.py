"""The Connect API's fixed catalogues (categories, protocols), cached briefly.

Every connector list validates its filters against them; they change only when the API is
upgraded, so fetching them on every page view would only add calls.
"""

from django.core.cache import cache

from dashboard.connect import LARGEST_PAGE, ConnectError, get_client
from dashboard.connect.models import ProtocolNames

CACHE_SECONDS = 300


def _key(name: str) -> str:
    # One cache serves every environment, and may serve dashboards of other backends.
    client = get_client()
    return f"connect-catalogue:{client.backend_label}:{client.organisation_id}:{name}"


def _categories() -> list[str]:
    return get_client().categories.list()


def _protocols() -> list[tuple[str, str]]:
    page = get_client().protocols.list(first=LARGEST_PAGE)
    return [(protocol.slug, protocol.name) for protocol in page.iter_all()]


_FETCH = {"categories": _categories, "protocols": _protocols}


def categories() -> list[str]:
    """ListCategories: every category a connector may have."""
    return cache.get_or_set(_key("categories"), _categories, CACHE_SECONDS)


def protocols() -> list[tuple[str, str]]:
    """ListProtocols: every protocol, as (slug, name) pairs."""
    return cache.get_or_set(_key("protocols"), _protocols, CACHE_SECONDS)


def protocol_names() -> ProtocolNames:
    """The protocols' names, as the filters and the overview show them, for a page naming a
    connector's protocol (a list builds them from its `filter_choices`, read already). Empty
    when the catalogue cannot be read, so every protocol goes by its slug: a label is not
    worth failing the page."""
    try:
        return ProtocolNames(protocols())
    except ConnectError:
        return ProtocolNames()


def filter_choices() -> dict:
    """`categories` and `protocols` (ListProtocols as (slug, name) pairs), the choices of a
    connector filter form, read from the cache in one round trip (a list's hot path)."""
    keys = {name: _key(name) for name in _FETCH}
    cached = cache.get_many(keys.values())
    missing = {keys[name]: fetch() for name, fetch in _FETCH.items() if keys[name] not in cached}
    if missing:
        cache.set_many(missing, CACHE_SECONDS)
    return {name: cached.get(key, missing.get(key)) for name, key in keys.items()}
