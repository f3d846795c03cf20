"""Fixtures for the embedded Connect API: httpx clients served in process by Django's test
client (`tests.in_process`), inside each test's transaction, every response checked against
the contract. Tests that need a real socket (a URL the API hands out and something else
fetches, writers side by side) use `live_server` themselves."""

import httpx
import pytest
from cryptography.fernet import Fernet
from django.db import connection
from ulid import ULID

from dashboard.embedded_api.models import ApiKey
from tests.embedded_api import contract
from tests.in_process import BASE_URL, DjangoTestClientTransport

API_ROOT = "/api/connect/v1"


@pytest.fixture(autouse=True)
def encryption_key(settings):
    settings.EMBEDDED_API_ENCRYPTION_KEY = Fernet.generate_key().decode()


def _check_contract(response: httpx.Response) -> None:
    response.read()
    try:
        body = response.json() if response.content else None
    except ValueError:
        pytest.fail(
            f"{response.request.method} {response.url} answered non-JSON: {response.text[:200]}"
        )
    found = contract.problems(
        response.request.method, str(response.url), response.status_code, body, API_ROOT
    )
    assert not found, "response breaks the contract:\n" + "\n".join(found)


class ApiClient(httpx.Client):
    """An httpx client for one organisation; `org` is its organisation id and `o` the prefix
    of its organisation's paths (`api.get(f"{api.o}/connectors")`)."""

    def __init__(self, organisation_id: str, token: str | None, server_url: str | None = None):
        """In process unless `server_url` (a `live_server.url`) is given."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        hooks = {"response": [_check_contract]} if contract.available() else {}
        super().__init__(
            base_url=(server_url or BASE_URL) + API_ROOT,
            transport=None if server_url else DjangoTestClientTransport(),
            headers=headers,
            event_hooks=hooks,
            timeout=30,
        )
        self.org = organisation_id
        self.o = f"/o/{organisation_id}"


@pytest.fixture
def organisation_id() -> str:
    return str(ULID())


def _server_url(request) -> str | None:
    """A test that asks for `live_server` (`concurrent_writers` does) talks to it over a
    socket, so that its requests can run side by side on the server's threads."""
    if "live_server" in request.fixturenames:
        return request.getfixturevalue("live_server").url
    return None


@pytest.fixture
def api(request, db, organisation_id):
    _, raw = ApiKey.mint(organisation_id, "tests")
    with ApiClient(organisation_id, raw, _server_url(request)) as client:
        yield client


@pytest.fixture
def other_api(request, db):
    organisation = str(ULID())
    _, raw = ApiKey.mint(organisation, "tests (other organisation)")
    with ApiClient(organisation, raw, _server_url(request)) as client:
        yield client


@pytest.fixture
def concurrent_writers(transactional_db, live_server) -> None:
    """For tests whose requests write side by side, over a real socket to `live_server`.
    SQLite's in-memory test database cannot take them: the live server shares the test's one
    connection, so writers collide with
    "database table is locked" instead of waiting. `make test` runs these tests again on a
    SQLite file (marker `concurrent_writers`); PostgreSQL runs them always."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("concurrent writers need a database file or PostgreSQL")


@pytest.fixture
def anonymous_api(request, db, organisation_id):
    with ApiClient(organisation_id, None, _server_url(request)) as client:
        yield client
