"""What a promotion copies, frozen from environment A when the preview is made: plain JSON kept
in the run, so the run copies exactly what the preview listed."""

from typing import Any

from dashboard.connect import ConnectClient
from dashboard.connect.models import Connector, ConnectorVersion
from dashboard.openapi.breaking import Snapshot
from dashboard.versions.contents import load_contents

from .compare import portable_config


def freeze(
    source: ConnectClient,
    connector: Connector,
    version: ConnectorVersion | None,
    *,
    with_connector: bool,
) -> dict[str, Any]:
    """What a promotion copies from A, as JSON: the connector (without connections), its auth
    scheme configs in their portable form, and the version's contents as the version diff reads
    them (definitions' schemas referring to each other by name)."""
    frozen: dict[str, Any] = {
        "withConnector": with_connector,
        "connector": {
            "name": connector.name,
            "protocol": connector.protocol,
            "base_url": str(getattr(connector, "base_url", "")),
            "documentation_url": connector.documentation_url,
            "image_url": connector.image_url,
            "connection_variables": [v.to_api() for v in connector.connection_variables],
            "tags": connector.tags,
            "categories": connector.categories,
        },
        "configs": {c.id: portable_config(c) for c in connector.auth_scheme_configs},
        "version": None,
    }
    if version is not None:
        taken = contents(source, connector.id, version)
        frozen["version"] = {
            "name": version.name,
            "description": version.description,
            "actions": dict(taken.actions),
            "triggers": dict(taken.triggers),
            "definitions": dict(taken.definitions),
            "schemas": dict(taken.schemas),
        }
    return frozen


def contents(client: ConnectClient, connector_id: str, version: ConnectorVersion) -> Snapshot:
    """A version's contents as the version diff reads them (a published one's cached)."""
    return load_contents(client, connector_id, version).snapshot()


def snapshot(frozen_version: dict[str, Any]) -> Snapshot:
    return Snapshot(
        actions=frozen_version["actions"],
        triggers=frozen_version["triggers"],
        definitions=frozen_version["definitions"],
        schemas=frozen_version["schemas"],
    )
