"""The publish page's comparison of a large draft with the latest published version, against
the bare service-layer calls it has to make.

    PYTHONPATH=. .venv/bin/python tests/bench/bench_publish_diff.py [--runs 3] [--size large]

Imports a generated spec (tests/bench/specgen.py) as version 1 of a connector on a temporary
SQLite database, publishes it and copies it into a draft 2.0, then, taking turns run by run so
a busy machine slows them alike, times in process (Django's test client, the embedded API):
  - "compare, cold": the publish page's `?compare` fragment with an empty cache: both
    versions' actions, triggers, definitions and each definition's schema are fetched;
  - "compare, warm": the same with the published version's contents cached (they cannot
    change), so only the draft is fetched: what every later visit costs;
  - "bare": `load_contents` of both versions through the service layer, nothing cached: the
    calls the cold comparison makes, without the diff and the rendering.
It prints each median, the calls a cold comparison makes, and cold/bare (target <= 1.2x: the
diff and the page add little to the calls they need).
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]
TARGET = 1.2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", default="large", choices=("small", "medium", "large"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        configure(f"sqlite:///{tmp}/bench.sqlite3")
        connector_id, counts = prepare(args.size)
        print(f"Version of {counts} ({args.size} generated spec); {args.runs} runs each.\n")
        samples, calls = measure(connector_id, args.runs)
    for name, times in samples.items():
        print(f"{name:<16} median {statistics.median(times):7.2f} s")
    ratio = statistics.median(samples["compare, cold"]) / statistics.median(samples["bare"])
    print(f"\nCalls to the Connect API in a cold comparison: {calls}")
    print(f"compare, cold / bare (median): {ratio:.2f}x (target <= {TARGET}x)")
    sys.exit(0 if ratio <= TARGET else 1)


def configure(database_url: str) -> None:
    from cryptography.fernet import Fernet

    os.environ.update(
        DJANGO_SETTINGS_MODULE="dashboard.settings",
        DATABASE_URL=database_url,
        CONNECT_API_URL="",  # the embedded API, in process
        DEBUG="false",
        LOG_LEVEL="ERROR",
        ALLOWED_HOSTS="testserver",
        EMBEDDED_API_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        CONNECT_API_TIMEOUT="120",
    )
    os.environ.setdefault("SECRET_KEY", "bench")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def prepare(size: str) -> tuple[str, str]:
    """A connector whose first version (the generated spec) is published, and draft 2.0."""
    import specgen

    from dashboard.connect import get_client

    api = get_client()
    document = json.dumps(specgen.generate(size=size)).encode()
    result = api.imports.create(document, "spec.json", timeout=300)
    connector = result.connector
    [first] = api.connectors.get(connector.id).versions
    api.versions.publish(connector.id, first.name)
    api.versions.create(connector.id, "2.0", from_version=first.name)
    counts = (
        f"{len(result.actions)} actions, {len(result.triggers)} triggers, "
        f"{len(result.definitions)} definitions"
    )
    return connector.id, counts


def measure(connector_id: str, runs: int) -> tuple[dict[str, list[float]], int]:
    import logging

    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client

    from dashboard.connect import get_client
    from dashboard.versions.contents import load_contents

    api = get_client()
    user = get_user_model().objects.create_superuser("bench", password="bench")
    browser = Client()
    browser.force_login(user)
    url = f"/connectors/{connector_id}/versions/2.0/publish/?compare"
    fragment = {"HX-Request": "true", "HX-Target": "publish-changes"}
    versions = api.connectors.get(connector_id).versions

    def compare() -> None:
        response = browser.get(url, headers=fragment)
        assert response.status_code == 200 and b"has the same actions" in response.content

    def cold() -> None:
        cache.clear()
        compare()

    def bare() -> None:
        cache.clear()
        for version in versions:
            load_contents(api, connector_id, version)

    calls = count_calls(cold, logging.getLogger("dashboard.connect"))
    samples: dict[str, list[float]] = {"compare, cold": [], "compare, warm": [], "bare": []}
    for _ in range(runs):
        for name, run in zip(samples, (cold, compare, bare), strict=True):
            started = time.perf_counter()
            run()
            samples[name].append(time.perf_counter() - started)
    return samples, calls


def count_calls(run, logger) -> int:
    """How many calls `run` makes: the service layer logs one INFO line per call."""
    import logging

    class Counter(logging.Handler):
        count = 0

        def emit(self, record):
            Counter.count += 1

    # Only the counter hears the call lines while counting: the console stays quiet.
    saved = logger.handlers, logger.level, logger.propagate
    logger.handlers, logger.propagate = [Counter()], False
    logger.setLevel(logging.INFO)
    try:
        run()
    finally:
        logger.handlers, logger.propagate = saved[0], saved[2]
        logger.setLevel(saved[1])
    return Counter.count


if __name__ == "__main__":
    main()
