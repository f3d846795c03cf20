"""The estate at a glance: counts, trends and what needs attention, from the Connect API.

Counts the API can give come from `totalCount` (a one-row page per filter). What it cannot
count (drafts, publishes, connections, which connections have failing credentials) needs a
walk through every connector and every failing or soon-expiring credential; so the whole
snapshot is cached for OVERVIEW_CACHE_SECONDS and the page says when it was computed.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import islice

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from dashboard.connect import ConnectClient
from dashboard.connect.models import CredentialSummary
from dashboard.connectors import catalogue

TIMELINE_DAYS = 90  # the expiry timeline's reach
PUBLISH_WEEKS = 12  # the publishes chart's reach
MAX_ROWS = 1000  # the longest list kept (the counts stay exact)
PAGE = 100  # the API's largest page


@dataclass(frozen=True)
class VersionRef:
    connector_id: str
    connector_name: str
    name: str
    at: datetime  # created (a draft) or published


@dataclass(frozen=True)
class ConnectionRef:
    connector_id: str
    connector_name: str
    id: str
    name: str
    problem: str = ""  # the first error of a credential it uses


@dataclass(frozen=True)
class CredentialRef:
    id: str
    name: str
    expires_at: datetime | None
    used_by: str  # "Connection (Connector)" of its first usage, or ""


@dataclass
class Estate:
    computed_at: datetime
    connectors: int
    by_protocol: list[tuple[str, str, int]]  # (slug, name, count)
    by_category: list[tuple[str, int]]
    credentials: int
    expired: int
    expiring_7: int
    expiring_30: int
    with_errors: int
    connections: list[ConnectionRef] = field(default_factory=list)
    connection_count: int = 0
    drafts: list[VersionRef] = field(default_factory=list)  # oldest first
    published: list[VersionRef] = field(default_factory=list)  # last PUBLISH_WEEKS, newest first
    failing: list[ConnectionRef] = field(default_factory=list)
    expiring: list[CredentialRef] = field(default_factory=list)  # soonest first, expired too

    def published_within(self, days: int) -> list[VersionRef]:
        since = self.computed_at - timedelta(days=days)
        return [version for version in self.published if version.at >= since]

    def drafts_older_than(self, days: int) -> list[VersionRef]:
        before = self.computed_at - timedelta(days=days)
        return [version for version in self.drafts if version.at < before]

    @property
    def expiry_timeline(self) -> dict:
        """Credentials expiring per week over the next TIMELINE_DAYS, expired ones apart."""
        now = self.computed_at
        weeks = [now.date() + timedelta(days=7 * n) for n in range(-(-TIMELINE_DAYS // 7))]
        counts = Counter(
            (credential.expires_at - now).days // 7
            for credential in self.expiring
            if credential.expires_at and credential.expires_at > now
        )
        return {
            "expired": self.expired,
            "weeks": [{"from": _day(week), "count": counts[n]} for n, week in enumerate(weeks)],
        }

    @property
    def publish_timeline(self) -> list[dict]:
        """Versions published per week, oldest week first, ending this week."""
        today = self.computed_at.date()
        monday = today - timedelta(days=today.weekday())
        weeks = [monday - timedelta(weeks=n) for n in range(PUBLISH_WEEKS - 1, -1, -1)]
        counts = Counter(
            _monday(timezone.localtime(version.at).date()) for version in self.published
        )
        return [{"from": _day(week), "count": counts[week]} for week in weeks]


def _day(day: date) -> str:
    return f"{day.day} {day:%b}"


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _key() -> str:
    # One cache may serve dashboards of several backends or organisations.
    backend = settings.CONNECT_API_URL or "embedded"
    return f"overview-estate:{backend}:{settings.CONNECT_ORGANISATION_ID}"


def estate(client: ConnectClient, *, fresh: bool = False) -> Estate:
    """The cached snapshot, computed again once it is OVERVIEW_CACHE_SECONDS old (or `fresh`)."""
    if not fresh and (cached := cache.get(_key())) is not None:
        return cached
    snapshot = compute(client, categories=catalogue.categories(), protocols=catalogue.protocols())
    cache.set(_key(), snapshot, settings.OVERVIEW_CACHE_SECONDS)
    return snapshot


def compute(
    client: ConnectClient,
    *,
    categories: list[str],
    protocols: list[tuple[str, str]],
    now: datetime | None = None,
) -> Estate:
    """Everything the overview shows, through the service layer."""
    now = now or timezone.now()

    def connectors(**filters) -> int:
        return client.list_connectors(first=1, **filters).total_count

    def credentials(**filters) -> int:
        return client.list_credentials(first=1, **filters).total_count

    expired = credentials(expires_before=now)
    snapshot = Estate(
        computed_at=now,
        connectors=connectors(),
        by_protocol=[(slug, name, connectors(protocol=slug)) for slug, name in protocols],
        by_category=[(category, connectors(categories=[category])) for category in categories],
        credentials=credentials(),
        expired=expired,
        expiring_7=credentials(expires_before=now + timedelta(days=7)) - expired,
        expiring_30=credentials(expires_before=now + timedelta(days=30)) - expired,
        with_errors=credentials(has_errors=True),
    )
    _walk_connectors(client, snapshot)
    soon = client.list_credentials(
        first=PAGE, expires_before=now + timedelta(days=TIMELINE_DAYS)
    ).iter_all()
    snapshot.expiring = sorted(
        (_credential(credential) for credential in soon),
        key=lambda credential: credential.expires_at,
    )
    failing = client.list_credentials(first=PAGE, has_errors=True).iter_all()
    snapshot.failing = _failing_connections(islice(failing, MAX_ROWS))
    return snapshot


def _walk_connectors(client: ConnectClient, snapshot: Estate) -> None:
    """Drafts, recent publishes and connections: every connector, a page of 100 at a time."""
    since = snapshot.computed_at - timedelta(weeks=PUBLISH_WEEKS)
    for connector in client.list_connectors(first=PAGE).iter_all():
        snapshot.connection_count += len(connector.connections)
        for connection in connector.connections:
            if len(snapshot.connections) < MAX_ROWS:
                snapshot.connections.append(
                    ConnectionRef(connector.id, connector.name, connection.id, connection.name)
                )
        for version in connector.versions:
            if version.published_at is None:
                ref = VersionRef(connector.id, connector.name, version.name, version.created_at)
                snapshot.drafts.append(ref)
            elif version.published_at >= since:
                ref = VersionRef(connector.id, connector.name, version.name, version.published_at)
                snapshot.published.append(ref)
    snapshot.drafts.sort(key=lambda version: version.at)
    snapshot.published.sort(key=lambda version: version.at, reverse=True)


def _credential(credential: CredentialSummary) -> CredentialRef:
    usage = next((u.connection for u in credential.usages or () if u.connection), None)
    used_by = ""
    if usage is not None:
        used_by = f"{usage.name} ({usage.connector.name})" if usage.connector else usage.name
    return CredentialRef(credential.id, credential.name, credential.expires_at, used_by)


def _failing_connections(credentials) -> list[ConnectionRef]:
    """The connections using a credential with errors, each once, with the first error."""
    found: dict[str, ConnectionRef] = {}
    for credential in credentials:
        for usage in credential.usages or ():
            connection = usage.connection
            if connection is None or connection.connector is None or connection.id in found:
                continue
            found[connection.id] = ConnectionRef(
                connection.connector.id,
                connection.connector.name,
                connection.id,
                connection.name,
                f"{credential.name}: {(credential.errors or ['an error'])[0]}",
            )
    return sorted(found.values(), key=lambda c: (c.connector_name.lower(), c.name.lower()))
