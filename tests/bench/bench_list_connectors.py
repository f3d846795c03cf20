"""ListConnectors at 1,000 and 100,000 connectors on SQLite, 1,000 and 1,000,000 on PostgreSQL.

    BENCH_MILLION=1 .venv/bin/python tests/bench/bench_list_connectors.py [--runs 50] [--explain]

Without BENCH_MILLION=1 (loading a million rows takes minutes), PostgreSQL's large size is
100,000. Exits non-zero when a PostgreSQL large/small ratio misses the target (SQLite's are
reported: it has no index for "contains", so a rare name scans).

For each backend (a temporary SQLite file; the PostgreSQL database BENCH_DATABASE, default
`patchbay_bench`, recreated) it bulk-loads one organisation's connectors with tags and
categories (PostgreSQL: in SQL, from generate_series, so a million rows take a minute or two),
then times the view in process (Django's test client: routing, auth, queries, serialisation; no
network) for the first page, the page after it, two tag-filtered pages and two name filters (a
rare name, 50 connectors at each size; and one every connector has), and prints the median
server time at each size and the large/small ratio (target: at most 1.5x).

The name filter ("name contains", any case) is a trigram index search on PostgreSQL (migration
0003); SQLite has no such index and scans the organisation's rows.

Why the time does not grow with the table: every page is an index range scan in sort order
that stops after `first + 1` rows (indexes on (organisation, updated_at, id) and on tag
(connector, key, value)); tag filters are EXISTS probes on that index; and `totalCount` is
read from a counter row maintained with each write instead of counting matching rows.

Both sizes live side by side (SQLite: two temporary files; PostgreSQL: two schemas of
`patchbay_bench`) and the timed requests alternate between them, so a busy machine slows
both alike instead of skewing the ratio. Each backend runs in its own process.
"""

import argparse
import contextvars
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = os.environ.get("BENCH_DATABASE", "patchbay_bench")
# A million rows take minutes to load: opt in with BENCH_MILLION=1 (else 100,000 there too).
_PG_LARGE = 1_000_000 if os.environ.get("BENCH_MILLION") == "1" else 100_000
SIZES_OF = {"sqlite": (1_000, 100_000), "postgres": (1_000, _PG_LARGE)}
TARGET_RATIO = 1.5
RARE = 50  # connectors named "… Zephyr" at each size
QUERIES = {
    "first page": {},
    "second page (after)": {"after": "<next>"},
    "tag env:prod (1 in 3)": {"tags": "env:prod"},
    "tag team:t07 (1 in 20)": {"tags": "team:t07"},
    "name contains zephyr (50)": {"name": "zephyr"},
    "name contains connector (all)": {"name": "connector"},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50, help="timed requests per query")
    parser.add_argument("--explain", action="store_true", help="print query plans at 100k")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], action="append")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        global SIZES
        SIZES = SIZES_OF[args.child]
        print(json.dumps(measure(args.runs, args.explain)))
        return

    results = {}
    for backend in args.backend or ["sqlite", "postgres"]:
        sizes = SIZES_OF[backend]
        print(f"-- {backend}: loading {' then '.join(f'{n:,}' for n in sizes)} connectors…")
        results[backend] = run_backend(backend, args)
    report(results)


def run_backend(backend: str, args) -> dict | None:
    with tempfile.TemporaryDirectory() as tmp:
        if backend == "sqlite":
            url = f"sqlite:///{tmp}/bench.sqlite3"
        else:
            if not recreate_postgres_database():
                print("   PostgreSQL is not reachable; skipped.")
                return None
            url = f"{PG_SERVER}/{PG_DATABASE}"
        env = os.environ | {
            "DATABASE_URL": url,
            "BENCH_TMP": tmp,
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench"),
            "PYTHONPATH": str(ROOT),
            "LOG_LEVEL": "ERROR",
        }
        command = [sys.executable, __file__, "--child", backend, "--runs", str(args.runs)]
        if args.explain:
            command.append("--explain")
        done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"{backend} benchmark failed:\n{done.stderr}")
        *plans, last = done.stdout.strip().splitlines()
        if plans:
            print("\n".join(plans))
        return json.loads(last)


def recreate_postgres_database() -> bool:
    import psycopg

    try:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as db:
            db.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            db.execute(f"CREATE DATABASE {PG_DATABASE}")
        with psycopg.connect(f"{PG_SERVER}/{PG_DATABASE}", autocommit=True) as db:
            # Once for the database (migration 0003 finds it there from every size's schema).
            db.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
            for size in SIZES_OF["postgres"]:
                db.execute(f"CREATE SCHEMA size_{size}")
    except psycopg.OperationalError:
        return False
    return True


def report(results: dict) -> None:
    print()
    header = f"{'backend':<10} {'query':<30} {'small ms':>9} {'large ms':>9} {'ratio':>6}  queries"
    print(header)
    print("-" * len(header))
    worst = 0.0
    for backend, timings in results.items():
        if timings is None:
            print(f"{backend:<10} (skipped: database not reachable)")
            continue
        small_size, large_size = SIZES_OF[backend]
        print(f"{backend:<10} sizes: {small_size:,} and {large_size:,}")
        for query in QUERIES:
            small, large = (timings[str(size)][query] for size in SIZES_OF[backend])
            ratio = large["ms"] / small["ms"]
            if backend == "postgres":  # SQLite has no index for "contains": reported only
                worst = max(worst, ratio)
            print(
                f"{backend:<10} {query:<30} {small['ms']:>9.2f} {large['ms']:>9.2f} "
                f"{ratio:>5.2f}x  {large['queries']}"
            )
    print(f"\nWorst PostgreSQL large/small ratio: {worst:.2f}x (target ≤ {TARGET_RATIO}x)")
    if worst > TARGET_RATIO:
        sys.exit(f"Missed: worst PostgreSQL large/small ratio {worst:.2f}x > {TARGET_RATIO}x")


# --- In the child process: one backend --------------------------------------------------------

# Which database alias the ORM uses right now: one per size, switched between requests.
_current = contextvars.ContextVar("bench_database", default="default")


class _SizeRouter:
    """The embedded API's tables come from the current size's database, the rest (auth,
    sessions: written to by migrations' signals) from the default one."""

    def db_for_read(self, model, **hints):
        return _current.get() if model._meta.app_label == "embedded_api" else "default"

    db_for_write = db_for_read

    def allow_migrate(self, db, app_label, **hints):
        return db == "default" or app_label == "embedded_api"


def measure(runs: int, explain: bool) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")
    import django
    from django.conf import settings

    django.setup()
    from django.core.management import call_command
    from django.db import router
    from ulid import ULID

    default = settings.DATABASES["default"]
    for size in SIZES:
        if default["ENGINE"].endswith("sqlite3"):
            database = default | {"NAME": f"{os.environ['BENCH_TMP']}/size_{size}.sqlite3"}
        else:
            database = default | {"OPTIONS": {"options": f"-c search_path=size_{size}"}}
        settings.DATABASES[f"size_{size}"] = database
    settings.DATABASE_ROUTERS = [_SizeRouter()]
    router.__dict__.pop("routers", None)  # Built lazily from the setting; rebuild.

    call_command("migrate", verbosity=0)
    organisation = str(ULID())
    for size in SIZES:
        _current.set(f"size_{size}")
        call_command("migrate", database=f"size_{size}", verbosity=0)
        if default["ENGINE"].endswith("sqlite3"):
            load(organisation, size)
        else:
            generate(organisation, size)
    if explain:
        _current.set(f"size_{SIZES[-1]}")
        print_plans(organisation)
    return time_queries(organisation, runs)


def load(organisation: str, size: int) -> None:
    """`size` connectors with tags (env, team, a bare `beta` on one in ten) and a category
    each, spread over a year of update times; then the counters and planner statistics."""
    from django.db import connections

    from dashboard.embedded_api.connectors.catalogue import CATEGORIES
    from dashboard.embedded_api.models import Connector, ConnectorCategory, ConnectorTag
    from dashboard.embedded_api.models.connectors import recount_connectors

    rng = random.Random(size)
    now = datetime.now(UTC)
    for start in range(0, size, 5_000):
        connectors = Connector.objects.bulk_create(
            Connector(
                organisation_id=organisation,
                name=f"Connector {i:06}" + (" Zephyr" if i % (size // RARE) == 0 else ""),
                protocol="http",
                base_url=f"https://api{i}.example.com",
                updated_at=now - timedelta(seconds=rng.randrange(365 * 24 * 3600)),
            )
            for i in range(start, min(start + 5_000, size))
        )
        tags, categories = [], []
        for connector in connectors:
            tags.append(ConnectorTag(connector=connector, key="env", value=rng.choice(ENVS)))
            tags.append(ConnectorTag(connector=connector, key="team", value=rng.choice(TEAMS)))
            if rng.random() < 0.1:
                tags.append(ConnectorTag(connector=connector, key="beta"))
            categories.append(
                ConnectorCategory(connector=connector, category=rng.choice(CATEGORIES))
            )
        ConnectorTag.objects.bulk_create(tags)
        ConnectorCategory.objects.bulk_create(categories)
    recount_connectors()
    database = connections[_current.get()]
    with database.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if database.vendor == "postgresql" else "ANALYZE")


def generate(organisation: str, size: int) -> None:
    """PostgreSQL: the same rows as `load`, written by the database from generate_series (a
    million connectors in a minute or two instead of a quarter of an hour through the ORM)."""
    from django.db import connections, transaction

    from dashboard.embedded_api.connectors.catalogue import CATEGORIES
    from dashboard.embedded_api.models import Connector
    from dashboard.embedded_api.models.connectors import recount_connectors

    alias = _current.get()
    with transaction.atomic(using=alias):
        template = Connector.objects.create(organisation_id=organisation, name="-", protocol="http")
    computed = {
        "id": "'G' || lpad(i::text, 25, '0')",
        "name": f"'Connector ' || lpad(i::text, 6, '0') "
        f"|| CASE WHEN i %% {size // RARE} = 0 THEN ' Zephyr' ELSE '' END",
        "base_url": "'https://api' || i || '.example.com'",
        "updated_at": "now() - random() * interval '365 days'",
    }
    columns = [field.column for field in Connector._meta.concrete_fields]
    select = ", ".join(computed.get(column, f't."{column}"') for column in columns)
    pick = "(ARRAY[{}])[1 + (hashtext(c.id || '{}') & 2147483647) %% {}]"
    envs = ", ".join(f"'{env}'" for env in ENVS)
    teams = ", ".join(f"'{team}'" for team in TEAMS)
    categories = ", ".join("'" + category.replace("'", "''") + "'" for category in CATEGORIES)
    database = connections[alias]
    with transaction.atomic(using=alias), database.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO embedded_api_connector ({', '.join(columns)}) SELECT {select} "
            f"FROM embedded_api_connector t, generate_series(0, {size - 1}) i WHERE t.id = %s",
            [template.id],
        )
        Connector.objects.filter(pk=template.pk).delete()
        rows = "FROM embedded_api_connector c WHERE c.organisation_id = %s"
        for key, values, count in (("env", envs, len(ENVS)), ("team", teams, len(TEAMS))):
            cursor.execute(
                "INSERT INTO embedded_api_connectortag (connector_id, key, value) "
                f"SELECT c.id, '{key}', {pick.format(values, key, count)} {rows}",
                [organisation],
            )
        cursor.execute(
            "INSERT INTO embedded_api_connectortag (connector_id, key, value) "
            f"SELECT c.id, 'beta', '' {rows} AND hashtext(c.id) %% 10 = 0",
            [organisation],
        )
        cursor.execute(
            "INSERT INTO embedded_api_connectorcategory (connector_id, category) "
            f"SELECT c.id, {pick.format(categories, 'category', len(CATEGORIES))} {rows}",
            [organisation],
        )
    recount_connectors()
    with database.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


ENVS = ("prod", "dev", "staging")
TEAMS = tuple(f"t{i:02}" for i in range(20))


def time_queries(organisation: str, runs: int) -> dict:
    """Median time of each query at each size, the sizes taking turns request by request."""
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dashboard.embedded_api.auth import service_token

    client = Client(SERVER_NAME="127.0.0.1")
    headers = {"Authorization": f"Bearer {service_token(organisation)}"}
    url = f"/api/connect/v1/o/{organisation}/connectors"
    aliases = [f"size_{size}" for size in SIZES]
    params, samples, queries = {}, {}, {}
    for alias in aliases:
        _current.set(alias)
        after = client.get(url, headers=headers).json()["next"]
        for name, query in QUERIES.items():
            params[alias, name] = {k: after if v == "<next>" else v for k, v in query.items()}
            with CaptureQueriesContext(connections[alias]) as captured:
                body = client.get(url, params[alias, name], headers=headers).json()
            assert len(body["connectors"]) == 20, body
            queries[alias, name] = len(captured)
    for run in range(5 + runs):  # The first five warm caches and connections.
        for name in QUERIES:
            for alias in aliases if run % 2 else aliases[::-1]:
                _current.set(alias)
                started = time.perf_counter()
                response = client.get(url, params[alias, name], headers=headers)
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, response.content
                if run >= 5:
                    samples.setdefault((alias, name), []).append(elapsed)
    return {
        str(size): {
            name: {
                "ms": statistics.median(samples[f"size_{size}", name]),
                "queries": queries[f"size_{size}", name],
            }
            for name in QUERIES
        }
        for size in SIZES
    }


def print_plans(organisation: str) -> None:
    from django.db import connections

    from dashboard.embedded_api.connectors.filters import ConnectorFilter
    from dashboard.embedded_api.models import Connector

    database = connections[_current.get()]
    explain = "EXPLAIN" if database.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    for name, tags in (("first page", []), ("tag env:prod", [("env", "prod")])):
        page = ConnectorFilter(tags=tags).apply(
            Connector.objects.filter(organisation_id=organisation)
        )
        sql, params = page.order_by("-updated_at", "-id")[:21].query.sql_with_params()
        with database.cursor() as cursor:
            cursor.execute(f"{explain} {sql}", params)
            plan = [" ".join(str(col) for col in row) for row in cursor.fetchall()]
        print(f"   plan at {SIZES[-1]:,}, {database.vendor}, {name}:")
        print("\n".join(f"     {line}" for line in plan))


if __name__ == "__main__":
    main()
