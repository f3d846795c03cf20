"""The Connect API's paths, as the client sends them and the audit log records them
(`o/{organisation}/connectors/{id}/...`): built and read here only, so no other code spells a
route of the contract."""

from urllib.parse import quote, unquote


def api_path(*parts: str) -> str:
    """Join API path segments, each percent-encoded, so an id can never reach another route."""
    return "/".join(quote(str(part), safe="") for part in parts)


def organisation_path(organisation_id: str, *parts: str) -> str:
    return api_path("o", organisation_id, *parts)


def connector_path(organisation_id: str, connector_id: str, *parts: str) -> str:
    return organisation_path(organisation_id, "connectors", connector_id, *parts)


def version_path(organisation_id: str, connector_id: str, version: str, *parts: str) -> str:
    """A version's path, or with `parts` one of its operations (`publish`, `library/import`)."""
    return connector_path(organisation_id, connector_id, "versions", version, *parts)


def credential_path(organisation_id: str, credential_id: str) -> str:
    return organisation_path(organisation_id, "credentials", credential_id)


def http_connectors_path(organisation_id: str) -> str:
    """Where an HTTP connector is created (CreateHTTPConnector)."""
    return organisation_path(organisation_id, "protocols", "http", "connectors")


def http_import_path(organisation_id: str, connector_id: str | None = None) -> str:
    """Where an OpenAPI document is imported: a new connector, or a version of `connector_id`."""
    if connector_id is None:
        return organisation_path(organisation_id, "protocols", "http", "import")
    return organisation_path(organisation_id, "connector", connector_id, "http", "import")


def organisation_in(path: str) -> str | None:
    """The organisation a path is scoped to (`.../o/{organisation}/...`), or None."""
    parts = path.split("/")
    for index, part in enumerate(parts[:-1]):
        if part == "o":
            return unquote(parts[index + 1])
    return None


def connector_in(path: str) -> str | None:
    """The id of the connector a path is inside of (`.../connectors/{id}/versions/...`, an
    import into `.../connector/{id}/http/import`); None for a path that only names one."""
    parts = path.split("/")
    for index, part in enumerate(parts[:-2]):
        if part in ("connectors", "connector"):
            return unquote(parts[index + 1])
    return None
