"""A bulk run tagging 1,000 connectors against the same edits made one by one.

    .venv/bin/python tests/bench/bench_bulk.py [--size N] [--database-url URL]

Loads 2 × N connectors (default N = 1,000) into a temporary SQLite database (or the one given).
Then, side by side in one process:
  - bulk: one run adding a tag to N of them, driven as the run page drives it: htmx posts to
    its step URL through Django's test client (routing, middleware, session, the per-item role
    check, claiming and recording each item, its audit entry, the progress fragment);
  - one by one: the other N get the same edit straight through the service layer (read the
    connector, then UpdateConnectorTags with its `updatedAt`), as a script would.
They take turns: after each bulk step, as many one-by-one edits as that step made, so a busy
machine slows both alike. It prints the progress as it goes, both totals and the ratio, and
exits non-zero if the bulk run takes more than 2x as long, or left an item undone.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = 2.0
TAG = "bench:done"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000, help="connectors per side")
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        configure(args.database_url or f"sqlite:///{tmp}/bench.sqlite3?CONN_MAX_AGE=600")
        bulk_ids, single_ids = prepare(args.size)
        print(f"Loaded {2 * args.size:,} connectors: {args.size:,} per side.\n")
        bulk, single, left = measure(bulk_ids, single_ids)
    ratio = bulk / single
    print(f"\nBulk run:   {bulk:8.2f} s ({bulk / args.size * 1000:.1f} ms per connector)")
    print(f"One by one: {single:8.2f} s ({single / args.size * 1000:.1f} ms per connector)")
    print(f"Bulk / one by one: {ratio:.2f}x (target ≤ {TARGET}x)")
    if left:
        print(f"MISSED: {left} connectors were not tagged")
    if ratio > TARGET:
        print("MISSED: the bulk run is more than 2x slower")
    return 1 if left or ratio > TARGET else 0


def configure(database_url: str) -> None:
    """Settings for a quiet, production-like process in embedded mode."""
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="dashboard.settings",
        DATABASE_URL=database_url,
        CONNECT_API_URL="",  # the embedded API, in process
        DEBUG="false",
        LOG_LEVEL="ERROR",
        ALLOWED_HOSTS="testserver",
    )
    os.environ.setdefault("SECRET_KEY", "bench")
    import django

    django.setup()


def prepare(size: int) -> tuple[list[str], list[str]]:
    """Migrate and load 2 × `size` connectors (straight into the embedded API's tables, as
    bench_dashboard_connectors does); their ids, split in two."""
    from django.conf import settings
    from django.core.management import call_command

    from dashboard.embedded_api.models import Connector, ConnectorTag
    from dashboard.embedded_api.models.connectors import recount_connectors

    call_command("migrate", verbosity=0)
    connectors = Connector.objects.bulk_create(
        Connector(
            organisation_id=settings.CONNECT_ORGANISATION_ID,
            name=f"Connector {i:05}",
            protocol="http",
            base_url=f"https://api{i}.example.com",
        )
        for i in range(2 * size)
    )
    ConnectorTag.objects.bulk_create(
        ConnectorTag(connector=c, key="team", value="old") for c in connectors
    )
    recount_connectors()
    ids = [c.id for c in connectors]
    return ids[:size], ids[size:]


def measure(bulk_ids: list[str], single_ids: list[str]) -> tuple[float, float, int]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from dashboard.accounts.audit import acting_as
    from dashboard.accounts.roles import assign_role
    from dashboard.bulk import runs
    from dashboard.bulk.actions import ADD_TAG
    from dashboard.connect import get_client
    from dashboard.embedded_api.models import ConnectorTag

    user = get_user_model().objects.create_user("bench", password="unused-bench-password")
    assign_role(user, "operator")
    browser = Client()
    browser.force_login(user)
    client = get_client()
    items = [(connector_id, connector_id) for connector_id in bulk_ids]
    run = runs.start(user, runs.ACTIONS[ADD_TAG], items, {"tag": TAG}, "/")
    step_url = f"/bulk/{run.pk}/step/"
    key, _, value = TAG.partition(":")

    def one_by_one(connector_id: str) -> None:
        connector = client.connectors.get(connector_id)
        tags = {**connector.tags, key: [*connector.tags.get(key, []), value]}
        client.connectors.update_tags(connector_id, tags, if_unmodified_since=connector.updated_at)

    bulk = single = 0.0
    done = 0
    pending = iter(single_ids)
    while True:
        started = time.perf_counter()
        response = browser.post(step_url, headers={"HX-Request": "true"})
        bulk += time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        progress = runs.progress(run)
        made, done = progress.finished - done, progress.finished
        print(f"  bulk run: {progress.finished:,} of {progress.total:,}", flush=True)
        started = time.perf_counter()
        with acting_as(user):  # audited for a user, as the bulk run's items are
            for connector_id in [next(pending) for _ in range(made)]:
                one_by_one(connector_id)
        single += time.perf_counter() - started
        if not progress.pending or not made:  # finished, or stopped (the check below says)
            break
    tagged = ConnectorTag.objects.filter(key=key, value=value).count()
    return bulk, single, 2 * len(bulk_ids) - tagged


if __name__ == "__main__":
    sys.exit(main())
