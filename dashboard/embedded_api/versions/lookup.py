"""Finding the connector, version and children a path names, and the `latest`/`default` rules.

Malformed ids and names answer 404 without a query (they cannot exist), so nothing odd from
a URL (NUL bytes, huge strings) ever reaches the database.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Model, QuerySet
from ulid import ULID

from ..errors import bad_request, immutable, not_found
from ..models import Connector, ConnectorVersion
from .schemas import RESERVED_VERSION_NAMES, VERSION_NAME

CHILD_NAME_MAX = 200


def is_ulid(value: str) -> bool:
    try:
        ULID.from_str(value)
    except (ValueError, TypeError):
        return False
    return True


def connector_of(organisation_id: str, connector_id: str) -> Connector:
    """The organisation's connector, or 404."""
    if not is_ulid(connector_id):
        raise not_found("connector")
    connector = Connector.objects.filter(organisation_id=organisation_id, pk=connector_id).first()
    if connector is None:
        raise not_found("connector")
    return connector


@dataclass(frozen=True)
class Markers:
    """Which versions `latest` and `default` currently resolve to (ids; None if none)."""

    latest_id: str | None
    default_id: str | None


def markers(connector_id: str) -> Markers:
    """Markers read from the database (two indexed queries)."""
    published = ConnectorVersion.objects.filter(
        connector_id=connector_id, published_at__isnull=False
    )
    latest = published.order_by("-published_at", "-id").values_list("id", flat=True).first()
    chosen = published.filter(is_default=True).values_list("id", flat=True).first()
    return Markers(latest_id=latest, default_id=chosen or latest)


def markers_of(versions: Iterable[ConnectorVersion]) -> Markers:
    """Markers computed from all of a connector's versions, already loaded."""
    published = [version for version in versions if version.is_published]
    latest = max(published, key=lambda version: (version.published_at, version.pk), default=None)
    chosen = next((version for version in published if version.is_default), latest)
    return Markers(latest_id=latest and latest.pk, default_id=chosen and chosen.pk)


def version_of(connector: Connector, name: str, *, lock: bool = False) -> ConnectorVersion:
    """The version called `name`, resolving `latest` and `default`; 404 if there is none.

    `lock` takes a row lock (inside a transaction) so concurrent writers to the same version
    (e.g. an edit racing a publish) run one after the other.
    """
    versions: QuerySet = connector.versions.all()
    if lock:
        versions = versions.select_for_update()
    if name in RESERVED_VERSION_NAMES:
        found = markers(connector.pk)
        version_id = found.latest_id if name == "latest" else found.default_id
        version = versions.filter(pk=version_id).first() if version_id else None
        if version is None:
            raise not_found(f"{name} version (the connector has no published version)")
    elif VERSION_NAME.match(name):
        version = versions.filter(name=name).first()
    else:
        version = None
    if version is None:
        raise not_found("connector version")
    version.connector = connector
    return version


def readable_version(organisation_id: str, connector_id: str, name: str) -> ConnectorVersion:
    """`version_of(connector_of(...), name)` for reads, in one query (the connector joined)
    when `name` is a plain version name; `latest`, `default` and misses take the long way,
    which gives the right 404."""
    if name not in RESERVED_VERSION_NAMES and VERSION_NAME.match(name) and is_ulid(connector_id):
        version = (
            ConnectorVersion.objects.select_related("connector")
            .filter(
                connector__organisation_id=organisation_id, connector_id=connector_id, name=name
            )
            .first()
        )
        if version is not None:
            return version
    return version_of(connector_of(organisation_id, connector_id), name)


def draft_of(connector: Connector, name: str, what: str = "connector version") -> ConnectorVersion:
    """The version, locked for writing, or an `immutable` error if it is published."""
    version = version_of(connector, name, lock=True)
    if version.is_published:
        raise immutable(what)
    return version


def child_of(queryset: QuerySet, name: str, what: str) -> Model:
    """A definition, action or trigger of a version by name, or 404."""
    if not name or len(name) > CHILD_NAME_MAX or "\x00" in name:
        raise not_found(what)
    found = queryset.filter(name=name).first()
    if found is None:
        raise not_found(what)
    return found


def name_filter(request) -> str | None:
    """The `name` query parameter of a list (a case-insensitive substring), or None."""
    name = request.GET.get("name") or None
    if name is not None and ("\x00" in name or len(name) > CHILD_NAME_MAX):
        raise bad_request(
            "'name' is not a valid filter.", [{"field": "name", "message": "invalid"}]
        )
    return name
