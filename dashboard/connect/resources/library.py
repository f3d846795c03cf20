"""The public library: connectors any organisation may copy a version of."""

from ..models import Connector
from ._base import target
from .connectors import CONNECTOR, ConnectorLists


class Library(ConnectorLists):
    """`list` is ListPublicConnectors, with ListConnectors' filters."""

    def _listed_at(self) -> str:
        return "connectors"

    def import_version(self, connector_id: str, version: str) -> Connector:
        """ImportPublicConnectorVersion: copies a public connector's version into this
        organisation as a draft; returns the organisation's connector."""
        return self._write(
            "import_public_connector_version",
            target("connector"),
            "POST",
            self._version(connector_id, version, "library", "import"),
            parse=CONNECTOR.validate_python,
        )
