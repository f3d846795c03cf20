"""A connector's versions: drafts, publishing, the default."""

from datetime import datetime

from ..models import ConnectorVersion, ConnectorVersionCreate
from ..pagination import Page
from ._base import Resource, cursor, field, force_param, target


class Versions(Resource):
    def list(
        self,
        connector_id: str,
        *,
        first: int | None = None,
        after: str | None = None,
        before: str | None = None,
    ) -> Page[ConnectorVersion]:
        """ListConnectorVersions, most recently updated first."""
        return self._page(
            self._connector(connector_id, "versions"),
            "items",
            ConnectorVersion,
            cursor(first, after, before),
        )

    def create(
        self, connector_id: str, name: str, *, from_version: str | None = None
    ) -> ConnectorVersion:
        """CreateConnectorVersion: a draft, empty or copied from `from_version`."""
        return self._write(
            "create_connector_version",
            target("version", name=name),
            "POST",
            self._connector(connector_id, "versions"),
            json=ConnectorVersionCreate(name=name, from_version=from_version).to_api(),
            parse=ConnectorVersion.model_validate,
        )

    def get(self, connector_id: str, version: str) -> ConnectorVersion:
        """GetConnectorVersion; `version` may be a name, "latest" or "default"."""
        return self._get(self._version(connector_id, version), ConnectorVersion.model_validate)

    def update(
        self,
        connector_id: str,
        version: ConnectorVersion,
        *,
        if_unmodified_since: datetime | None = None,
    ) -> ConnectorVersion:
        """UpdateConnectorVersion: send back a fetched version with `description` or
        `is_default` changed (read-only fields must be unchanged)."""
        return self._write(
            "update_connector_version",
            target("version", version.id, version.name),
            "PUT",
            self._version(connector_id, version.name),
            # The contract's body is a whole ConnectorVersion: `publishedAt: null` included.
            json=version.to_api(exclude_none=False),
            parse=ConnectorVersion.model_validate,
            if_unmodified_since=if_unmodified_since,
            current=lambda: self.get(connector_id, version.name).updated_at,
        )

    def delete(self, connector_id: str, version: str, *, force: bool = False) -> None:
        """DeleteConnectorVersion; a published one only with `force`."""
        self._write(
            "delete_connector_version",
            target("version", name=version),
            "DELETE",
            self._version(connector_id, version),
            params=force_param(force),
        )

    def publish(self, connector_id: str, version: str) -> ConnectorVersion:
        """PublishConnector: validates and publishes a draft; returns the published version."""
        return self._write(
            "publish_connector",
            target("version", name=version),
            "POST",
            self._version(connector_id, version, "publish"),
            parse=field("version", ConnectorVersion.model_validate),
        )

    def unpublish(self, connector_id: str, version: str) -> ConnectorVersion:
        """UnpublishConnector: refused while the version is in use."""
        return self._write(
            "unpublish_connector",
            target("version", name=version),
            "POST",
            self._version(connector_id, version, "unpublish"),
            parse=field("version", ConnectorVersion.model_validate),
        )
