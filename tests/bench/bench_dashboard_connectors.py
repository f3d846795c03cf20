"""The connectors page against the bare ListConnectors call it makes, at 10,000 connectors.

    .venv/bin/python tests/bench/bench_dashboard_connectors.py [--runs N] [--database-url URL]
        [--cpu]

Loads 10,000 connectors (tags, a category each, a published version on one in five) into a
temporary SQLite database (or the one given), then, for each query, times in process with
Django's test client (routing, middleware, session and auth, the service layer's in-process
call to the embedded API, templates; no network):
  - the connectors page, full page and htmx fragment (`#connector-results`);
  - the bare ListConnectors call for the same query (`/api/connect/v1/...`, service token).
The three take turns request by request, so a busy machine slows them alike. It prints p50 and
p95 of each, the page/bare ratio of the p50s (target ≤ 1.3x) and the queries each request makes.

Database connections are persistent (`CONN_MAX_AGE`, unless the URL sets it): the test client
never closes its own between requests, so without this only the in-process API's worker
threads would reconnect on every call, a cost the bare call would not pay.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SIZE = 10_000
TARGET = 1.3
# name -> (page query string, the ListConnectors parameters the page sends for it)
QUERIES = {
    "first page": ("", {}),
    "name contains 'connector 01'": ("name=connector+01", {"name": "connector 01"}),
    "tag team:t07": ("tag=team:t07", {"tags": "team:t07"}),
    "tag + category": (
        "tag=env:prod&categories=CRM",
        {"tags": "env:prod", "categories": "CRM"},
    ),
}
ENVS = ("prod", "dev", "staging")
TEAMS = tuple(f"t{i:02}" for i in range(20))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200, help="timed requests per measurement")
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time CPU use (the process's, every thread) instead of elapsed time: steadier on "
        "a busy machine, but blind to waiting (disk flushes, locks)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        configure(persistent(args.database_url or f"sqlite:///{tmp}/bench.sqlite3"))
        organisation = prepare()
        print(f"Loaded {SIZE:,} connectors; {args.runs} timed requests each", end="")
        print(" (CPU time).\n" if args.cpu else ".\n")
        clock = time.process_time if args.cpu else time.perf_counter
        samples, queries = measure(organisation, args.runs, clock)
        worst = report(samples)
        print("\nQueries per request: " + ", ".join(f"{k} {n}" for k, n in queries.items()))
    print(f"\nWorst page/bare ratio (p50): {worst:.2f}x (target ≤ {TARGET}x)")


def persistent(database_url: str) -> str:
    if "CONN_MAX_AGE" in database_url:
        return database_url
    return database_url + ("&" if "?" in database_url else "?") + "CONN_MAX_AGE=600"


def configure(database_url: str) -> None:
    """Settings for a quiet, production-like process in embedded mode."""
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="dashboard.settings",
        DATABASE_URL=database_url,
        CONNECT_API_URL="",  # the embedded API, in process
        DEBUG="false",  # no query log
        LOG_LEVEL="ERROR",  # no per-call log lines on the console
        ALLOWED_HOSTS="testserver",
    )
    os.environ.setdefault("SECRET_KEY", "bench")
    import django

    django.setup()


def prepare() -> str:
    """Migrate, load the connectors and return their organisation's id."""
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    organisation = settings.CONNECT_ORGANISATION_ID
    load(organisation)
    return organisation


def load(organisation: str) -> None:
    """Bulk rows straight into the embedded API's tables (the API would take minutes), then
    its counters, as `manage.py recount_connectors` does after a bulk load."""
    from django.db import connection

    from dashboard.embedded_api.connectors.catalogue import CATEGORIES
    from dashboard.embedded_api.models import (
        Connector,
        ConnectorCategory,
        ConnectorTag,
        ConnectorVersion,
    )
    from dashboard.embedded_api.models.connectors import recount_connectors

    rng = random.Random(SIZE)
    now = datetime.now(UTC)
    for start in range(0, SIZE, 2_000):
        connectors = Connector.objects.bulk_create(
            Connector(
                organisation_id=organisation,
                name=f"Connector {i:05}",
                protocol="http",
                base_url=f"https://api{i}.example.com",
                updated_at=now - timedelta(seconds=rng.randrange(365 * 24 * 3600)),
            )
            for i in range(start, min(start + 2_000, SIZE))
        )
        tags, categories, versions = [], [], []
        for connector in connectors:
            tags.append(ConnectorTag(connector=connector, key="env", value=rng.choice(ENVS)))
            tags.append(ConnectorTag(connector=connector, key="team", value=rng.choice(TEAMS)))
            categories.append(
                ConnectorCategory(connector=connector, category=rng.choice(CATEGORIES))
            )
            if rng.random() < 0.2:
                versions.append(
                    ConnectorVersion(connector=connector, name="1.0.0", published_at=now)
                )
        ConnectorTag.objects.bulk_create(tags)
        ConnectorCategory.objects.bulk_create(categories)
        ConnectorVersion.objects.bulk_create(versions)
    recount_connectors()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def measure(
    organisation: str, runs: int, clock=time.perf_counter
) -> tuple[dict[str, dict[str, list[float]]], dict]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from dashboard.connect import get_client
    from dashboard.embedded_api.auth import service_token

    user, _ = get_user_model().objects.get_or_create(username="bench", is_superuser=True)
    browser = Client()
    browser.force_login(user)
    api = Client()
    service = get_client()
    token = {"Authorization": f"Bearer {service_token(organisation)}"}
    fragment = {"HX-Request": "true", "HX-Target": "connector-results"}
    api_path = f"/api/connect/v1/o/{organisation}/connectors"

    samples: dict[str, dict[str, list[float]]] = {}
    queries: dict[str, int] = {}
    watch_queries()  # before the in-process API's worker threads connect
    for name, (query, params) in QUERIES.items():
        listed = {
            key: [value] if key in ("tags", "categories") else value
            for key, value in params.items()
        }
        calls = {
            "page": lambda query=query: ok(browser.get(f"/connectors/?{query}")),
            "fragment": lambda query=query: ok(
                browser.get(f"/connectors/?{query}", headers=fragment)
            ),
            "bare": lambda params=params: ok(
                api.get(api_path, {"first": 20, **params}, headers=token)
            ),
            # The same call through the service layer, as the page makes it.
            "service": lambda listed=listed: service.connectors.list(first=20, **listed),
        }
        check(
            browser.get(f"/connectors/?{query}"),
            api.get(api_path, {"first": 20, **params}, headers=token),
        )
        if not queries:  # the first query's (the others make as many)
            queries = count_queries(calls)
        times = samples[name] = {kind: [] for kind in calls}
        for run in range(10 + runs):  # the first ten warm caches and connections
            for kind, call in calls.items():
                started = clock()
                call()
                elapsed = (clock() - started) * 1000
                if run >= 10:
                    times[kind].append(elapsed)
    return samples, queries


_counted: list[str] | None = None  # the queries executed while counting, on any thread
_watched: list = []  # the connections counted on


def _count(execute, sql, params, many, context):
    if _counted is not None:
        _counted.append(sql)
    return execute(sql, params, many, context)


def _watch(connection, **kwargs):
    connection.execute_wrappers.append(_count)
    _watched.append(connection)


def watch_queries() -> None:
    """Count queries on every database connection from now on, this thread's and others'."""
    from django.db import connections
    from django.db.backends.signals import connection_created

    for connection in connections.all(initialized_only=True):
        _watch(connection)
    connection_created.connect(_watch)


def count_queries(calls: dict) -> dict[str, int]:
    """The queries one warm call of each kind makes; then stops counting (so the timed
    requests run unwatched)."""
    from django.db.backends.signals import connection_created

    global _counted
    counts = {}
    for kind, call in calls.items():
        call()
        _counted = []
        call()
        counts[kind], _counted = len(_counted), None
    connection_created.disconnect(_watch)
    for connection in _watched:
        connection.execute_wrappers.remove(_count)
    return counts


def ok(response):
    assert response.status_code == 200, response.status_code
    return response


def check(page, bare) -> None:
    """The page shows the rows the bare call returns (so both do the same work)."""
    html, body = page.content.decode(), bare.json()
    assert body["connectors"], "the query matches nothing"
    for connector in body["connectors"]:
        assert f">{connector['name']}</a>" in html, connector["name"]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(samples: dict[str, dict[str, list[float]]]) -> float:
    """A table of p50/p95 per query and kind; returns the worst page/bare ratio of p50s."""
    kinds = ("page", "fragment", "bare", "service")
    header = f"{'query':<30}" + "".join(f"{kind + ' p50/p95 ms':>24}" for kind in kinds)
    header += f"{'page/bare':>11}{'frag/bare':>11}"
    print(header)
    print("-" * len(header))
    worst = 0.0
    for name, times in samples.items():
        p50 = {kind: statistics.median(times[kind]) for kind in kinds}
        p95 = {kind: percentile(times[kind], 0.95) for kind in kinds}
        ratios = p50["page"] / p50["bare"], p50["fragment"] / p50["bare"]
        worst = max(worst, *ratios)
        cells = "".join(f"{p50[kind]:>15.2f} /{p95[kind]:>7.2f}" for kind in kinds)
        print(f"{name:<30}{cells}{ratios[0]:>10.2f}x{ratios[1]:>10.2f}x")
    return worst


if __name__ == "__main__":
    main()
