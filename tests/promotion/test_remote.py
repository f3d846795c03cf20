"""Promotion into a remote Connect API over real HTTP: environment B is a second Patchbay
process (gunicorn, its own SQLite file) whose embedded API is called with an API key, on a
loopback port. B is stopped midway and started again: the run pauses, then completes without
duplicates. Marked `remote_api` (and `serving`, as it starts gunicorn): `-m remote_api`."""

import os
import signal
import socket

import pytest
from ulid import ULID

from dashboard.accounts.models import AuditEntry
from dashboard.bulk import runs
from dashboard.connect import ConnectClient
from dashboard.connect.breaker import CircuitBreaker
from dashboard.connect.retry import RetryPolicy
from dashboard.promotion import plan
from dashboard.promotion.compare import compare_contents
from dashboard.versions.contents import load_contents
from tests.promotion.conftest import OAUTH_SECRET, make_source
from tests.serving import servers

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.remote_api,
    pytest.mark.serving,
]


def loopback_port() -> int:
    """PROMOTION_TEST_PORT, else a free loopback port."""
    if port := os.environ.get("PROMOTION_TEST_PORT"):
        return int(port)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def remote(tmp_path):
    """A second Patchbay: migrated SQLite file, an API key for a new organisation, served by
    gunicorn. Yields (start, organisation, key); every server started is stopped after."""
    env = servers.production_env(
        f"sqlite:///{tmp_path}/remote.sqlite3", "locmemcache://", tmp_path, WEB_CONCURRENCY="1"
    )
    servers.manage(env, "migrate", "--noinput")
    organisation = str(ULID())
    key = servers.manage(env, "create_api_key", "--organisation", organisation).split()[-1]
    port, started = loopback_port(), []

    def start() -> servers.Server:
        server = servers.start(port, env, tmp_path / "remote.log")
        started.append(server)
        return server

    yield start, organisation, key
    for server in started:
        server.stop(signal.SIGINT, timeout=20)


def remote_client(server: servers.Server, organisation: str, key: str) -> ConnectClient:
    return ConnectClient(
        base_url=f"{server.url}/api/connect/v1",
        token=key,
        organisation_id=organisation,
        timeout=10,
        retry=RetryPolicy(max_retries=0),
        breaker=CircuitBreaker(threshold=1000, cooldown=60),
        backend_label=server.url,
    )


def test_promotion_into_a_remote_patchbay_survives_it_going_down(
    api, remote, make_user, monkeypatch
):
    start, organisation, key = remote
    server = start()
    target = remote_client(server, organisation, key)
    from dashboard.connect import client as client_module

    monkeypatch.setattr(client_module, "_client", target)
    source = make_source(api)
    user = make_user("publisher")
    made = plan.preview(api, target, source.id, "2.0", with_connector=True)
    assert made.blockers == [] and made.to_do == len(made.rows)
    run = runs.start(
        user,
        plan.ACTION,
        plan.items(made),
        plan.params(made, source="a", target="b", organisation=target.organisation_id),
        "/",
    )

    for _ in range(4):  # a step with no time to spare does one item
        runs.step(run, user, budget=0)
    server.stop(signal.SIGINT)  # B goes down midway (a quick shutdown)
    runs.step(run, user, budget=0)

    run.refresh_from_db()
    assert run.stopped
    statuses = [item.status for item in run.items.all()]
    assert statuses[:4] == ["done"] * 4 and set(statuses[4:]) == {"pending"}

    server = start()  # B is back (same database)
    runs.resume(run)
    runs.step(run, user, budget=60)

    assert {item.status for item in run.items.all()} == {"done"}
    listed = [c for c in target.connectors.list(name="Shop").iter_all() if c.name == "Shop"]
    assert len(listed) == 1
    copied = target.connectors.get(listed[0].id)
    assert len(copied.auth_scheme_configs) == 3 and [v.name for v in copied.versions] == ["2.0"]
    mine = load_contents(api, source.id, next(v for v in source.versions if v.name == "2.0"))
    theirs = load_contents(target, copied.id, copied.versions[0])
    assert not compare_contents(mine.snapshot(), theirs.snapshot())
    assert OAUTH_SECRET not in server.output()
    assert AuditEntry.objects.filter(note="Promoted from a", outcome="ok").count() == len(statuses)

    again = plan.preview(api, target, source.id, "2.0", with_connector=True)
    assert again.to_do == 0 and again.blockers == []
    target.close()
