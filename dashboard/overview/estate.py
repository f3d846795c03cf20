"""The estate at a glance: counts, trends and what needs attention, from the Connect API.

Counts the API can give come from `totalCount` (a one-row page per filter: by protocol, by
category, credentials by expiry, week by week). What it cannot count (drafts, publishes,
connections) needs a walk through every connector, which takes about a minute at 10,000
connectors. So the snapshot is computed off the request, in a background thread, and kept in
the cache: a request gets the last snapshot at once (and starts a new one when it is older than
OVERVIEW_CACHE_SECONDS); only the very first waits, on a page that reloads itself.
"""

import contextvars
import logging
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import islice

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import timezone

from dashboard.connect import LARGEST_PAGE, ConnectClient
from dashboard.connect.models import CredentialSummary
from dashboard.connectors import catalogue

logger = logging.getLogger(__name__)

TIMELINE_WEEKS = 13  # the expiry timeline's reach: the next 90 days (and a day)
PUBLISH_WEEKS = 12  # the publishes chart's reach
MAX_ROWS = 1000  # the longest list kept (the counts stay exact)
NEXT_TO_ROTATE = 20  # credentials kept for "Needs attention"
KEPT = 24 * 3600  # how long a snapshot stays in the cache, shown while a newer one is made


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
    expiring_weeks: list[int] = field(default_factory=list)  # expiring in week 0, 1, ...
    connections: list[ConnectionRef] = field(default_factory=list)
    connection_count: int = 0
    drafts: list[VersionRef] = field(default_factory=list)  # oldest first
    published: list[VersionRef] = field(default_factory=list)  # last PUBLISH_WEEKS, newest first
    failing: list[ConnectionRef] = field(default_factory=list)
    expiring: list[CredentialRef] = field(default_factory=list)  # the next to rotate, first

    @property
    def fresh(self) -> bool:
        age = timezone.now() - self.computed_at
        return age.total_seconds() < settings.OVERVIEW_CACHE_SECONDS

    def published_within(self, days: int) -> list[VersionRef]:
        since = self.computed_at - timedelta(days=days)
        return [version for version in self.published if version.at >= since]

    def drafts_older_than(self, days: int) -> list[VersionRef]:
        before = self.computed_at - timedelta(days=days)
        return [version for version in self.drafts if version.at < before]

    @property
    def expiry_timeline(self) -> dict:
        """Credentials expiring per week over the next 90 days, expired ones apart."""
        today = self.computed_at.date()
        weeks = [
            {"from": _day(today + timedelta(weeks=n)), "count": count}
            for n, count in enumerate(self.expiring_weeks)
        ]
        return {"expired": self.expired, "weeks": weeks}

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


def _key(client: ConnectClient) -> str:
    # One cache serves every environment, and may serve dashboards of other backends.
    return f"overview-estate:{client.backend_label}:{client.organisation_id}"


def estate(client: ConnectClient) -> Estate | None:
    """The last snapshot (None before the first is ready); a new one is started in the
    background when it is older than OVERVIEW_CACHE_SECONDS."""
    snapshot = cache.get(_key(client))
    if snapshot is None:
        start_refresh(client)
        return cache.get(_key(client))  # None, unless it was quick
    if not snapshot.fresh:
        start_refresh(client)
    return snapshot


def start_refresh(client: ConnectClient) -> None:
    """Compute a snapshot in a background thread, unless one is being computed already (in
    any process sharing the cache)."""
    if cache.add(f"{_key(client)}:computing", True, timeout=600):
        # In the request's context, so the catalogues come from the same environment.
        context = contextvars.copy_context()
        thread = threading.Thread(target=context.run, args=(_refresh_on_thread, client))
        thread.daemon = True
        thread.start()


def _refresh_on_thread(client: ConnectClient) -> None:
    try:
        refresh(client)
    finally:
        connections.close_all()  # this thread's own connections, left open otherwise


def refresh(client: ConnectClient) -> Estate | None:
    """Compute and cache a snapshot."""
    try:
        snapshot = compute(client, **catalogue.filter_choices())
        cache.set(_key(client), snapshot, KEPT)
        return snapshot
    except Exception:  # a failed attempt leaves the last snapshot; the next request retries
        logger.exception("The overview could not be computed.")
        return None
    finally:
        cache.delete(f"{_key(client)}:computing")


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
        return client.connectors.list(first=1, **filters).total_count

    def credentials(**filters) -> int:
        return client.credentials.list(first=1, **filters).total_count

    expired = credentials(expires_before=now)
    # Expiring before the end of each week from now: a running total, differenced below.
    by_week = [
        credentials(expires_before=now + timedelta(weeks=n + 1)) for n in range(TIMELINE_WEEKS)
    ]
    snapshot = Estate(
        computed_at=now,
        connectors=connectors(),
        by_protocol=[(slug, name, connectors(protocol=slug)) for slug, name in protocols],
        by_category=[(category, connectors(categories=[category])) for category in categories],
        credentials=credentials(),
        expired=expired,
        expiring_7=by_week[0] - expired,
        expiring_30=credentials(expires_before=now + timedelta(days=30)) - expired,
        with_errors=credentials(has_errors=True),
        expiring_weeks=[b - a for a, b in zip([expired, *by_week], by_week, strict=False)],
    )
    _walk_connectors(client, snapshot)
    # The next to rotate: expired or expiring within 30 days (a page of them, the API's order
    # being by update), soonest first.
    soon = client.credentials.list(first=LARGEST_PAGE, expires_before=now + timedelta(days=30))
    snapshot.expiring = sorted(
        (_credential(credential) for credential in soon), key=lambda c: c.expires_at or now
    )[:NEXT_TO_ROTATE]
    failing = client.credentials.list(first=LARGEST_PAGE, has_errors=True).iter_all()
    snapshot.failing = _failing_connections(islice(failing, MAX_ROWS))
    return snapshot


def _walk_connectors(client: ConnectClient, snapshot: Estate) -> None:
    """Drafts, recent publishes and connections: every connector, a page of 100 at a time."""
    since = snapshot.computed_at - timedelta(weeks=PUBLISH_WEEKS)
    for connector in client.connectors.list(first=LARGEST_PAGE).iter_all():
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
