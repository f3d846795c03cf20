"""Which public connectors this organisation has imported, and where they landed.

The Connect API does not say which of our connectors came from the library, but every import
made through Patchbay is in the audit log: ImportPublicConnectorVersion's path names the public
connector and version, and its target is the connector the version landed in.
"""

import re
from dataclasses import dataclass, field

from dashboard.accounts.models import AuditEntry
from dashboard.environments.registry import current_environment

ACTION = "import_public_connector_version"
_PATH = re.compile(r"/connectors/(?P<connector>[^/]+)/versions/(?P<version>[^/]+)/library/import$")


@dataclass
class Imported:
    """A public connector's imports: into which of our connectors, which versions."""

    connector_id: str
    versions: list[str] = field(default_factory=list)


def imported() -> dict[str, Imported]:
    """Public connector id -> its imports, from successful imports in the audit log (of the
    environment being shown)."""
    found: dict[str, Imported] = {}
    entries = AuditEntry.objects.filter(
        action=ACTION, status__lt=400, environment=current_environment().slug
    ).order_by("at")
    for path, target in entries.values_list("path", "target_id"):
        if match := _PATH.search(path):
            entry = found.setdefault(match["connector"], Imported(target))
            entry.connector_id = target or entry.connector_id
            if match["version"] not in entry.versions:
                entry.versions.append(match["version"])
    return found
