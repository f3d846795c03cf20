"""What deleting connectors takes with it: their connections, and the credentials those use.

The API deletes a connector's connections without asking, so both the bulk delete's preview
and a single connector's delete confirmation say so, in the same words, before anything is
deleted. The counts come from the connectors as the API gives them (GetConnector and
ListConnectors include their connections), so they need no call of their own.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.template.defaultfilters import pluralize

from dashboard.connect.models import Connector

_GONE_FOR_GOOD = "Deleted connectors cannot be brought back."
_ONLY_THEIRS = "credentials made only for those connections go too"


@dataclass(frozen=True)
class Dependents:
    """Connections deleted with the connectors, and how many credentials they use (a
    credential shared by several of them counted once)."""

    connections: int
    credentials: int

    @classmethod
    def of(cls, connectors: Sequence[Connector]) -> "Dependents":
        connections = [c for connector in connectors for c in connector.connections]
        credentials = {
            link.credential.id
            for connection in connections
            for link in (*connection.credentials.action, *connection.credentials.trigger)
        }
        return cls(len(connections), len(credentials))

    def __str__(self) -> str:
        connections = _plural(self.connections, "connection")
        return f"{connections} (using {_plural(self.credentials, 'credential')})"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{pluralize(count)}"


def preview(connectors: list[Connector]) -> tuple[list[str], str]:
    """For the bulk delete: each connector's label with what goes with it, and the warning
    with the totals."""
    labels = []
    for connector in connectors:
        dependents = Dependents.of([connector])
        if dependents.connections:
            labels.append(
                f"{connector.name}: {_plural(dependents.connections, 'connection')}, "
                f"using {_plural(dependents.credentials, 'credential')}"
            )
        else:
            labels.append(f"{connector.name}: no connections")
    total = Dependents.of(connectors)
    if not total.connections:
        return labels, _GONE_FOR_GOOD
    return labels, f"Their {total} are deleted with them, and {_ONLY_THEIRS}. {_GONE_FOR_GOOD}"


def consequence(connector: Connector) -> str:
    """For one connector's delete confirmation: what else its delete deletes."""
    dependents = Dependents.of([connector])
    if not dependents.connections:
        return "It has no connections, so no connections or credentials go with it."
    return f"This also deletes its {dependents}, and {_ONLY_THEIRS}."
