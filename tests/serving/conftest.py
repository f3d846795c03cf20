"""Patchbay under gunicorn, as production runs it, against a SQLite file prepared once, or
against PostgreSQL and Redis: SERVING_DATABASE_URL names a PostgreSQL database these tests
drop and create, SERVING_CACHE_URL a Redis database they flush. The tests needing those are
skipped while they are unset (`.ci/run` sets them under CI).
"""

import os
from urllib.parse import urlsplit

import psycopg
import pytest
import redis

from . import servers

# Loopback ports for the servers these tests start: ten per pytest-xdist worker from
# SERVING_TEST_PORT (default 8130), so parallel workers never clash.
_worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
_first = int(os.environ.get("SERVING_TEST_PORT", "8130")) + 10 * _worker
PORTS = iter(range(_first, _first + 10))
SERVING_DATABASE_URL = os.environ.get("SERVING_DATABASE_URL", "")
SERVING_CACHE_URL = os.environ.get("SERVING_CACHE_URL", "")


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


@pytest.fixture(scope="session")
def postgres_env(tmp_path_factory):
    """A fresh PostgreSQL database (migrated, demo data) and an empty Redis database, and the
    environment of instances sharing them."""
    if not (SERVING_DATABASE_URL and SERVING_CACHE_URL):
        pytest.skip("SERVING_DATABASE_URL and SERVING_CACHE_URL are unset")
    fresh_database(SERVING_DATABASE_URL)
    redis.Redis.from_url(SERVING_CACHE_URL, socket_connect_timeout=3).flushdb()
    work = tmp_path_factory.mktemp("postgres")
    database_url = SERVING_DATABASE_URL + "?CONN_MAX_AGE=600"
    env = servers.production_env(database_url, SERVING_CACHE_URL, work)
    servers.prepare(env, work)
    return env, work


def fresh_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True, connect_timeout=3) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
