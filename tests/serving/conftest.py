"""Patchbay under gunicorn, as production runs it, against a SQLite file prepared once."""

import os

import pytest

from . import servers

# Loopback ports for the servers these tests start: ten per pytest-xdist worker from
# SERVING_TEST_PORT (default 8130), so parallel workers never clash.
_worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
_first = int(os.environ.get("SERVING_TEST_PORT", "8130")) + 10 * _worker
PORTS = iter(range(_first, _first + 10))


@pytest.fixture(scope="session")
def sqlite_env(tmp_path_factory):
    work = tmp_path_factory.mktemp("serving")
    env = servers.production_env(f"sqlite:///{work}/patchbay.sqlite3", "locmemcache://", work)
    servers.prepare(env, work)
    return env


@pytest.fixture(scope="session")
def next_port():
    return lambda: next(PORTS)


@pytest.fixture
def start_server(tmp_path, next_port):
    """Start a server with the given environment (and extra settings); stopped afterwards."""
    started = []

    def start(env, **settings):
        server = servers.start(
            next_port(), env, tmp_path / f"server-{len(started)}.log", **settings
        )
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
