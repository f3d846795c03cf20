"""Fixtures for the embedded Connect API: real HTTP clients against `live_server`, each
response checked against the contract."""

import httpx
import pytest
from cryptography.fernet import Fernet
from django.db import connection
from ulid import ULID

from dashboard.embedded_api.models import ApiKey
from tests.embedded_api import contract

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

    def __init__(self, base_url: str, organisation_id: str, token: str | None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        hooks = {"response": [_check_contract]} if contract.available() else {}
        super().__init__(base_url=base_url, headers=headers, event_hooks=hooks, timeout=30)
        self.org = organisation_id
        self.o = f"/o/{organisation_id}"


def _client(live_server, organisation_id: str, token: str | None):
    client = ApiClient(live_server.url + API_ROOT, organisation_id, token)
    return client


@pytest.fixture
def organisation_id() -> str:
    return str(ULID())


@pytest.fixture
def api(live_server, organisation_id):
    _, raw = ApiKey.mint(organisation_id, "tests")
    with _client(live_server, organisation_id, raw) as client:
        yield client


@pytest.fixture
def other_api(live_server):
    organisation = str(ULID())
    _, raw = ApiKey.mint(organisation, "tests (other organisation)")
    with _client(live_server, organisation, raw) as client:
        yield client


@pytest.fixture
def concurrent_writers(transactional_db) -> None:
    """For tests whose requests write side by side. SQLite's in-memory test database cannot
    take them: the live server shares the test's one connection, so writers collide with
    "database table is locked" instead of waiting. `make test` runs these tests again on a
    SQLite file (marker `concurrent_writers`); PostgreSQL runs them always."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("concurrent writers need a database file or PostgreSQL")


@pytest.fixture
def anonymous_api(live_server, organisation_id):
    with _client(live_server, organisation_id, None) as client:
        yield client
