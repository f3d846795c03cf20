"""Per-object history: the audit entries about one object and everything inside it.

An entry names its target and the API path it called, which holds the ids of what the target
is inside (`o/{org}/connectors/{id}/versions/{name}/publish`). So a connector's history is
every entry on a path inside it, or targeting it, plus the rotations of the credentials its
connections use (credentials live at organisation level: their paths name no connector, so
they are found by the ids the connections give now). Entries recorded before this existed are
found the same way.
"""

from dataclasses import dataclass, field
from urllib.parse import quote

from django.db.models import Q

from dashboard.connect import ConnectError, get_client
from dashboard.connect.models import Connection
from dashboard.environments.registry import current_environment

from .models import AuditEntry

KINDS = ("connector", "version", "connection", "credential")


@dataclass
class Subject:
    """What a History tab (or the audit log's object filter) is about."""

    kind: str
    key: str  # the audit log's `object` parameter: "connector:{id}", "version:{id}/{name}"...
    where: Q  # its entries
    names: dict[str, str] = field(default_factory=dict)  # credential id -> its role in words
    # Names for entries that recorded none (tags and categories calls name their connector by
    # id only); an entry's own name, as it was then, wins over these current ones.
    unnamed: dict[str, str] = field(default_factory=dict)

    def entries(self):
        """Its entries in the environment being shown (ids are only unique within one)."""
        return AuditEntry.objects.filter(self.where, environment=current_environment().slug)


def _inside(*parts: str) -> Q:
    """Entries whose API path is at, or inside, these segments (percent-encoded as the client
    records them)."""
    path = "/".join(quote(part, safe="") for part in parts)
    return Q(path__endswith=f"/{path}") | Q(path__contains=f"/{path}/")


def _credentials(connections: list[Connection]) -> dict[str, str]:
    """The credentials these connections use, each named by its role in one of them."""
    names: dict[str, str] = {}
    for connection in connections:
        for kind in ("action", "trigger"):
            for link in getattr(connection.credentials, kind):
                names.setdefault(
                    link.credential.id, f"the {kind} credential of connection {connection.name}"
                )
    return names


def _rotations(names: dict[str, str]) -> Q:
    return Q(target_kind="credential", target_id__in=list(names)) if names else Q(pk__in=[])


def connector_subject(
    connector_id: str, connections: list[Connection], name: str | None = None
) -> Subject:
    """A connector, with its auth scheme configs, versions, publishes, connections and the
    credentials `connections` use."""
    names = _credentials(connections)
    where = (
        Q(target_kind="connector", target_id=connector_id)
        | _inside("connectors", connector_id)
        | _inside("connector", connector_id)  # imports of new versions
        | _rotations(names)
    )
    unnamed = {connector_id: f"connector {name}"} if name else {}
    return Subject("connector", f"connector:{connector_id}", where, names, unnamed)


def version_subject(connector_id: str, version: str) -> Subject:
    where = _inside("connectors", connector_id, "versions", version) | (
        Q(target_kind="version", target_name=version)
        & (_inside("connectors", connector_id) | _inside("connector", connector_id))
    )
    return Subject("version", f"version:{connector_id}/{version}", where)


def connection_subject(
    connector_id: str, connection_id: str, connection: Connection | None
) -> Subject:
    """A connection, with the credentials it uses (when `connection` is known)."""
    names = _credentials([connection] if connection else [])
    where = (
        Q(target_kind="connection", target_id=connection_id)
        | _inside("connectors", connector_id, "connections", connection_id)
        | _rotations(names)
    )
    return Subject("connection", f"connection:{connector_id}/{connection_id}", where, names)


def credential_subject(credential_id: str) -> Subject:
    where = Q(target_kind="credential", target_id=credential_id) | _inside(
        "credentials", credential_id
    )
    return Subject("credential", f"credential:{credential_id}", where)


def subject_for(key: str) -> Subject | None:
    """The subject an `object` parameter names (None if malformed). Connectors and connections
    are read through the Connect API for the credentials they use; should that fail, or the
    object be gone, their history is still found by path."""
    kind, _, ids = key.partition(":")
    first, _, second = ids.partition("/")
    if not first or kind not in KINDS or (kind in ("version", "connection")) != bool(second):
        return None
    client = get_client()
    if kind == "connector":
        try:
            connector = client.connectors.get(first)
        except ConnectError:
            return connector_subject(first, [])
        return connector_subject(first, connector.connections, connector.name)
    if kind == "connection":
        try:
            connection = client.connections.get(first, second)
        except ConnectError:
            connection = None
        return connection_subject(first, second, connection)
    if kind == "version":
        return version_subject(first, second)
    return credential_subject(first)
