"""The demo's audit history: the changes made through Patchbay that would have produced the
demo data, each by the demo user whose role allows it, at the time the data says it happened.

`manage.py seed_demo` writes it once, into an empty audit log, so the audit page has something
to show from the first `make run`. It reads the organisation through the service layer, like
every screen, so entries name real connectors, versions and credentials at the times the API
gives them; two refused calls show what failures look like.
"""

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import NamedTuple
from uuid import uuid4

from django.contrib.auth import get_user_model

from dashboard.accounts.models import AuditEntry
from dashboard.accounts.roles import OPERATOR, PUBLISHER
from dashboard.connect import LARGEST_PAGE, ConnectClient
from dashboard.connect.models import Connector, CredentialSummary
from dashboard.connect.paths import (
    connector_path,
    credential_path,
    http_connectors_path,
    http_import_path,
    version_path,
)

WINDOW = timedelta(days=60)  # how far back the history goes


class Change(NamedTuple):
    at: datetime
    username: str
    action: str  # the service layer's operation
    method: str
    path: str  # the API path, as the client records it
    target: tuple[str, str, str]  # kind, id, name
    outcome: str = "ok"
    status: int = 200


def seed_audit_history(client: ConnectClient, now: datetime) -> int:
    """Write the history unless the audit log has entries already; return how many."""
    if AuditEntry.objects.exists():
        return 0
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=(OPERATOR, PUBLISHER))
    }
    entries = [
        AuditEntry(
            at=change.at,
            user=users.get(change.username),
            username=change.username,
            action=change.action,
            method=change.method,
            path=change.path,
            target_kind=change.target[0],
            target_id=change.target[1],
            target_name=change.target[2],
            outcome=change.outcome,
            status=change.status,
            request_id=uuid4().hex,
        )
        for change in _history(client, now)
    ]
    AuditEntry.objects.bulk_create(entries)
    return len(entries)


def _history(client: ConnectClient, now: datetime) -> Iterator[Change]:
    since = now - WINDOW
    connectors = list(client.connectors.list(first=LARGEST_PAGE).iter_all())
    # A connector named like another organisation's public one was imported from the library.
    library = {
        connector.name: connector
        for connector in client.library.list(first=LARGEST_PAGE).iter_all()
        if connector.organisation_id != client.organisation_id
    }
    org = client.organisation_id
    for connector in connectors:
        source = library.get(connector.name)
        if source is not None:
            yield from _library_import(org, connector, source, since)
        else:
            yield from _connector_changes(org, connector, since)
    for credential in client.credentials.list(first=LARGEST_PAGE).iter_all():
        yield from _rotation(org, credential, since)
    yield from _refusals(org, connectors, now)


def _library_import(
    org: str, connector: Connector, source: Connector, since: datetime
) -> Iterator[Change]:
    if connector.created_at < since or not connector.versions:
        return
    path = version_path(org, source.id, connector.versions[0].name, "library", "import")
    target = ("connector", connector.id, connector.name)
    yield Change(connector.created_at, PUBLISHER, "import_public_connector_version", "POST",
                 path, target, status=201)  # fmt: skip


def _connector_changes(org: str, connector: Connector, since: datetime) -> Iterator[Change]:
    """An operator created the HTTP connector; a publisher imported its versions from OpenAPI
    documents and published them. (Other protocols' connectors come from the platform.)"""
    if connector.protocol != "http":
        return
    if connector.created_at >= since:
        target = ("connector", connector.id, connector.name)
        yield Change(connector.created_at, OPERATOR, "create_http_connector", "POST",
                     http_connectors_path(org), target, status=201)  # fmt: skip
    for version in connector.versions:
        target = ("version", version.id, version.name)
        if version.created_at >= since:
            path = http_import_path(org, connector.id)
            yield Change(version.created_at, PUBLISHER, "import_http_connector_version", "POST",
                         path, target, status=201)  # fmt: skip
        if version.published_at and version.published_at >= since:
            path = version_path(org, connector.id, version.name, "publish")
            yield Change(version.published_at, PUBLISHER, "publish_connector", "POST", path,
                         target)  # fmt: skip


def _rotation(org: str, credential: CredentialSummary, since: datetime) -> Iterator[Change]:
    """A credential changed since it was made, and not by a failed check recording errors,
    was rotated by an operator."""
    updated = credential.updated_at
    if updated and updated >= since and updated != credential.created_at and not credential.errors:
        target = ("credential", credential.id, credential.name)
        path = credential_path(org, credential.id)
        yield Change(updated, OPERATOR, "update_credential", "PUT", path, target)


def _refusals(org: str, connectors: list[Connector], now: datetime) -> Iterator[Change]:
    """Unpublishing a version that is still in use, and an edit that lost to someone else's."""
    in_use = [(c, v) for c in connectors if c.connections for v in c.versions if v.is_default]
    if in_use:
        connector, version = in_use[0]
        path = version_path(org, connector.id, version.name, "unpublish")
        target = ("version", version.id, version.name)
        yield Change(now - timedelta(days=2, hours=3), PUBLISHER, "unpublish_connector", "POST",
                     path, target, "version_in_use", 409)  # fmt: skip
    if connectors:
        connector = connectors[-1]
        path = connector_path(org, connector.id)
        target = ("connector", connector.id, connector.name)
        yield Change(now - timedelta(days=5, hours=7), OPERATOR, "update_connector", "PUT",
                     path, target, "precondition_failed", 412)  # fmt: skip
