"""The overview (home) against the connectors page, over real HTTP, at 10,000 connectors and
20,000 credentials.

    .venv/bin/python tests/bench/bench_overview.py [--runs N] [--port P] [--database-url URL]

Loads 10,000 connectors (as bench_dashboard_connectors does: tags, a category each, a
published version on one in five) and 5,000 connections holding 20,000 credentials (expiring
from 30 days ago to two years ahead, one in a hundred with errors) into a temporary SQLite
database (or the one given), starts `manage.py runserver` on 127.0.0.1, signs in, and times
GET / (the overview) and GET /connectors/ taking turns, request by request, with httpx.

The overview's snapshot is computed in the background once per OVERVIEW_CACHE_SECONDS: the
first request answers at once that it is counting, and the script waits for the count
(printed: how long the first request took, and the count). Then requests read the cached
snapshot. It prints p50 and p95 of each page and the overview/connectors ratio of the p50s,
and exits non-zero when it is above 2x.
"""

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_dashboard_connectors import configure, load, percentile, persistent  # noqa: E402

CONNECTIONS = 5_000
CREDENTIALS_PER_CONNECTION = 4  # 20,000 credentials
TARGET = 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50, help="timed requests per page")
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database_url = persistent(args.database_url or f"sqlite:///{tmp}/bench.sqlite3")
        configure(database_url)
        from django.conf import settings
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: the manifest
        organisation = settings.CONNECT_ORGANISATION_ID
        load(organisation)
        load_credentials(organisation)
        cookie = session_cookie()
        print(f"Loaded 10,000 connectors, {CONNECTIONS:,} connections and ", end="")
        print(f"{CONNECTIONS * CREDENTIALS_PER_CONNECTION:,} credentials.")
        server = serve(database_url, args.port)
        try:
            base = f"http://127.0.0.1:{args.port}"
            with httpx.Client(base_url=base, cookies={"sessionid": cookie}, timeout=300) as http:
                wait_until_up(http)
                return measure(http, args.runs)
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)


def load_credentials(organisation: str) -> None:
    """Connections on the first connectors, each with four credentials, straight into the
    embedded API's tables."""
    from dashboard.embedded_api.models import (
        Connection,
        ConnectionCredential,
        Connector,
        Credential,
    )

    rng = random.Random(CONNECTIONS)
    now = datetime.now(UTC)
    config = {
        "id": "01BENCHAPIKEYC0NF1G000000",
        "schemeType": "api-key",
        "name": "X-Key",
        "in": "header",
        "description": "Key",
    }
    connectors = list(Connector.objects.order_by("id").values_list("id", flat=True)[:CONNECTIONS])
    connections = Connection.objects.bulk_create(
        Connection(connector_id=connector_id, name="production") for connector_id in connectors
    )
    credentials = Credential.objects.bulk_create(
        Credential(
            organisation_id=organisation,
            name=f"key {n:05}",
            type="string",
            secret_data="-",
            expires_at=now + timedelta(days=rng.uniform(-30, 730)),
            errors=["The provider refused it."] if rng.random() < 0.01 else [],
        )
        for n in range(CONNECTIONS * CREDENTIALS_PER_CONNECTION)
    )
    ConnectionCredential.objects.bulk_create(
        ConnectionCredential(
            connection=connections[n // CREDENTIALS_PER_CONNECTION],
            credential=credential,
            kind="action",
            position=n % CREDENTIALS_PER_CONNECTION,
            auth_scheme_config_id=config["id"],
            auth_scheme_config=config,
        )
        for n, credential in enumerate(credentials)
    )


def session_cookie() -> str:
    """A signed-in session for a superuser, in the database the server will read."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(username="bench", is_superuser=True)
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def serve(database_url: str, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CONNECT_API_URL": "",
        "DEBUG": "false",
        "LOG_LEVEL": "ERROR",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "false",
    }
    command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


def wait_until_up(http: httpx.Client) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            http.get("/healthz")
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def measure(http: httpx.Client, runs: int) -> int:
    def get(path: str) -> float:
        started = time.perf_counter()
        response = http.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (path, response.status_code, response.text[-1500:])
        return elapsed

    first = get("/")
    started = time.perf_counter()
    while "Counted at" not in http.get("/").text:
        if time.perf_counter() - started > 600:
            raise TimeoutError("The overview was not counted within 10 minutes.")
        time.sleep(1)
    counting = time.perf_counter() - started
    get("/connectors/")
    samples: dict[str, list[float]] = {"/": [], "/connectors/": []}
    for _ in range(runs):
        for path, times in samples.items():
            times.append(get(path))
    p50 = {path: statistics.median(times) for path, times in samples.items()}
    print(f"\nFirst overview request (starts the count): {first:,.0f} ms")
    print(f"Counting the estate in the background: about {counting:,.0f} s")
    for path, times in samples.items():
        print(f"GET {path:<14} p50 {p50[path]:8.1f} ms   p95 {percentile(times, 0.95):8.1f} ms")
    ratio = p50["/"] / p50["/connectors/"]
    print(f"\nOverview/connectors p50 ratio: {ratio:.2f}x (target ≤ {TARGET}x)")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
