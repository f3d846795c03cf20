"""A connector's connections (their credentials are created inline)."""

from datetime import datetime

from pydantic import TypeAdapter

from ..models import (
    Connection,
    ConnectionCreate,
    ConnectionSummary,
    ConnectionUpdate,
    InitialiseOAuth2ConnectionRequest,
)
from ..pagination import Page
from ._base import Resource, cursor, field, force_param, target

_STRING = TypeAdapter(str)


class Connections(Resource):
    def list(
        self,
        connector_id: str,
        *,
        first: int | None = None,
        after: str | None = None,
        before: str | None = None,
    ) -> Page[ConnectionSummary]:
        """ListConnectorConnections."""
        return self._page(
            self._connector(connector_id, "connections"),
            "items",
            ConnectionSummary,
            cursor(first, after, before),
        )

    def create(self, connector_id: str, connection: ConnectionCreate) -> Connection:
        """CreateConnectorConnection, creating its credentials inline."""
        return self._write(
            "create_connector_connection",
            target("connection", name=connection.name),
            "POST",
            self._connector(connector_id, "connections"),
            json=connection.to_api(),
            parse=Connection.model_validate,
        )

    def get(self, connector_id: str, connection_id: str) -> Connection:
        """GetConnection (credential data redacted)."""
        path = self._connector(connector_id, "connections", connection_id)
        return self._get(path, Connection.model_validate)

    def update(
        self,
        connector_id: str,
        connection: ConnectionUpdate,
        *,
        if_unmodified_since: datetime | None = None,
    ) -> Connection:
        """UpdateConnection: name, variables, credential order and auth scheme configs (the
        secrets themselves change through `credentials.update`)."""
        return self._write(
            "update_connection",
            target("connection", connection.id, connection.name),
            "PUT",
            self._connector(connector_id, "connections", connection.id),
            json=connection.to_api(),
            parse=Connection.model_validate,
            if_unmodified_since=if_unmodified_since,
            current=lambda: self.get(connector_id, connection.id).updated_at,
        )

    def delete(self, connector_id: str, connection_id: str, *, force: bool = False) -> None:
        """DeleteConnection; PreconditionFailed (412) while in use, unless `force`."""
        self._write(
            "delete_connection",
            target("connection", connection_id),
            "DELETE",
            self._connector(connector_id, "connections", connection_id),
            params=force_param(force),
            named=lambda: self.get(connector_id, connection_id).name,
        )

    def initialise_oauth2(
        self, connector_id: str, request: InitialiseOAuth2ConnectionRequest
    ) -> str:
        """InitialiseOAuth2Connection: the provider URL to send the user's browser to."""
        return self._write(
            "initialise_oauth2_connection",
            target("credential", request.credential.id),
            "POST",
            self._connector(connector_id, "oauth2", "initialise"),
            json=request.to_api(),
            parse=field("url", _STRING.validate_python),
        )
