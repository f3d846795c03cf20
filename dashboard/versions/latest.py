"""Comparing with a connector's latest published version: what a draft, or an import not
made yet, changes for the callers of that version, and the version name it suggests (the
next semantic version: major for breaking findings, minor for additions, patch otherwise)."""

from dataclasses import dataclass

from dashboard.connect import ConnectClient
from dashboard.connect.models import Connector, ConnectorVersion
from dashboard.openapi.breaking import Report, Snapshot, classify, next_version

from .contents import Contents, load_contents
from .findings import Group, counts, grouped


def latest_published(connector: Connector) -> ConnectorVersion | None:
    return next((v for v in connector.versions if v.is_latest and v.is_published), None)


@dataclass(frozen=True)
class AgainstLatest:
    latest: ConnectorVersion
    report: Report
    groups: list[Group]
    counts: str
    suggestion: str  # "" when the connector's version names are not semantic versions


def against_latest(
    client: ConnectClient, connector: Connector, snapshot: Snapshot, name: str | None = None
) -> AgainstLatest | None:
    """The findings of `snapshot` (a version called `name`, None if not made yet) against
    the latest published version; None when nothing is published."""
    latest = latest_published(connector)
    if latest is None:
        return None
    base = load_contents(client, connector.id, latest).snapshot()
    report = classify(base, snapshot)
    return AgainstLatest(
        latest=latest,
        report=report,
        groups=grouped(report, connector.id, latest.name, name),
        counts=counts(report),
        suggestion=next_version([v.name for v in connector.versions], report.bump()),
    )


def suggested_name(
    client: ConnectClient, connector: Connector, source: ConnectorVersion | None
) -> str:
    """The name to suggest for a new version copied from `source` (None: a blank one)."""
    contents = load_contents(client, connector.id, source) if source else Contents()
    found = against_latest(client, connector, contents.snapshot())
    bump = found.report.bump() if found else classify(Snapshot(), contents.snapshot()).bump()
    return next_version([v.name for v in connector.versions], bump)
