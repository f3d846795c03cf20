"""The switcher: the page being shown, in another environment.

Ids differ between environments (each has its own connectors), so a connector's page is
found by its name; a version by its name inside it. What has no counterpart lands on the
nearest page that has one: the connector's tab, else the other environment's home.
"""

from urllib.parse import urlsplit

from django.urls import Resolver404, resolve, reverse

from dashboard.connect import LARGEST_PAGE, ConnectClient, ConnectError

from .registry import default_environment, url_in

# A connector's pages whose other ids have no counterpart: the tab they belong to.
_TABS = {"connection_id": "connector_connections", "config_id": "connector_auth_schemes"}
_KEPT = {"connector_id", "version"}


def unprefixed(url: str) -> str:
    """`url` without the current request's environment prefix."""
    return url_in(default_environment(), url)


def counterpart(path: str, here: ConnectClient, there: ConnectClient) -> str | None:
    """The path (without prefix) of the page showing `path`'s object in the other
    environment, or None when it has none."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    kwargs, url_name = match.kwargs, match.url_name or ""
    if not kwargs:
        return path  # a list or home page: the same, filters kept
    connector_id = kwargs.get("connector_id")
    if not connector_id or url_name == "library_connector":
        return None
    twin = _same_name(connector_id, here, there)
    if twin is None:
        return None
    version = kwargs.get("version")
    if version is not None:
        try:
            there.versions.get(twin, version)
        except ConnectError:
            return _path("connector_versions", connector_id=twin)
        if set(kwargs) - _KEPT:  # an action, trigger or definition: its version
            return _path("version_detail", connector_id=twin, version=version)
        return _path(url_name, connector_id=twin, version=version)
    extra = set(kwargs) - _KEPT
    if not extra:
        return _path(url_name, connector_id=twin)
    tab = next((_TABS[name] for name in extra if name in _TABS), "connector_detail")
    return _path(tab, connector_id=twin)


def _path(url_name: str, **kwargs: str) -> str:
    return unprefixed(reverse(url_name, kwargs=kwargs))


def _same_name(connector_id: str, here: ConnectClient, there: ConnectClient) -> str | None:
    """The id of the connector in `there` named as `connector_id` is in `here`."""
    try:
        name = here.connectors.get(connector_id).name
        candidates = there.connectors.list(name=name, first=LARGEST_PAGE)
    except ConnectError:
        return None
    return next((c.id for c in candidates if c.name == name), None)
