"""Finding the connector, connection and credential a path names, scoped to the caller's
organisation. A malformed id answers 404 without a query: it cannot exist."""

from ulid import ULID

from ..errors import not_found
from ..models import Connection, Connector, Credential


def is_ulid(value: object) -> bool:
    try:
        ULID.from_str(value)
    except (ValueError, TypeError, AttributeError):
        return False
    return True


def connector_of(organisation_id: str, connector_id: str) -> Connector:
    if is_ulid(connector_id):
        connector = Connector.objects.filter(
            organisation_id=organisation_id, pk=connector_id
        ).first()
        if connector is not None:
            return connector
    raise not_found("connector")


def connection_of(connector: Connector, connection_id: str) -> Connection:
    if is_ulid(connection_id):
        connection = connector.connections.filter(pk=connection_id).first()
        if connection is not None:
            return connection
    raise not_found("connection")


def credential_of(organisation_id: str, credential_id: str) -> Credential:
    if is_ulid(credential_id):
        credential = Credential.objects.filter(
            organisation_id=organisation_id, pk=credential_id
        ).first()
        if credential is not None:
            return credential
    raise not_found("credential")
