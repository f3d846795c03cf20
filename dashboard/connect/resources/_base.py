"""What every resource shares: the client's plumbing, its paths, and the small pieces of
request and target that several operations build the same way."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from .. import paths

if TYPE_CHECKING:
    from ..client import ConnectClient

T = TypeVar("T")


class Resource:
    """One kind of resource's operations; the client does the HTTP (and the audit signal)."""

    def __init__(self, client: "ConnectClient") -> None:
        self._client = client
        self._get = client._get
        self._page = client._page
        self._write = client._write

    def _org(self, *parts: str) -> str:
        return self._client._org(*parts)

    def _connector(self, connector_id: str, *parts: str) -> str:
        return paths.connector_path(self._client.organisation_id, connector_id, *parts)

    def _version(self, connector_id: str, version: str, *parts: str) -> str:
        return paths.version_path(self._client.organisation_id, connector_id, version, *parts)

    def _credential(self, credential_id: str) -> str:
        return paths.credential_path(self._client.organisation_id, credential_id)


def field(name: str, parse: Callable[[Any], T]) -> Callable[[Any], T]:
    """Parse one property of a wrapper object, e.g. `{"version": {...}}`."""
    return lambda data: parse(data[name])


def target(kind: str, id: str | None = None, name: str | None = None) -> dict[str, str | None]:
    """What a write changes, for the audit log (a create learns its id from the response)."""
    return {"kind": kind, "id": id, "name": name}


def cursor(first: int | None, after: str | None, before: str | None) -> dict[str, Any]:
    return {"first": first, "after": after, "before": before}


def force_param(force: bool) -> dict[str, str]:
    return {"force": "true"} if force else {}


def utc(moment: datetime) -> datetime:
    """Naive datetimes are taken as UTC (the contract's times all are)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def rfc3339(moment: datetime) -> str:
    return utc(moment).isoformat()
