"""Fixtures for the service layer: a scriptable fault server on loopback, a client pointed at
it, and contract-shaped sample bodies."""

import io
import time

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.dispatch import Signal
from ulid import ULID

from dashboard.connect import ConnectClient
from dashboard.connect import client as client_module
from dashboard.connect import session as session_module
from dashboard.connect.breaker import CircuitBreaker
from dashboard.connect.retry import RetryPolicy
from tests.connect.fault_server import FaultServer
from tests.in_process import BASE_URL, DjangoTestClientTransport

ORG = "01JQ0PATCHBAY0DEM0RGAN1SAT"
TOKEN = "pbk_live_TOKEN_THAT_MUST_NEVER_BE_LOGGED"
CONNECTOR_ID = "01JQ0CONNECTOR000000000001"
API = "/api/connect/v1"


@pytest.fixture(autouse=True)
def mutations(monkeypatch) -> list[dict]:
    """What the client announced through `connect_mutation`, in order. A private signal
    stands in for the real one, so these tests neither need nor touch the audit log."""
    sent: list[dict] = []
    signal = Signal()
    signal.connect(lambda sender, signal, **kwargs: sent.append(kwargs), weak=False)
    monkeypatch.setattr(client_module, "connect_mutation", signal)
    return sent


class FakeClock:
    """Stands in for the `time` module of the service layer's session: a sleep returns at once
    and moves the clock on by as much, so the waits the session chooses are read from
    `slept`, exactly, instead of being timed."""

    def __init__(self):
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)

    def monotonic(self) -> float:
        return time.monotonic() + sum(self.slept)

    def perf_counter(self) -> float:
        return time.perf_counter() + sum(self.slept)


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(session_module, "time", fake)
    return fake


@pytest.fixture
def server():
    with FaultServer() as running:
        yield running


@pytest.fixture
def make_client(server):
    """Build a client for the fault server; quick backoff so retries do not slow the suite."""
    made = []

    def make(**overrides) -> ConnectClient:
        options = {
            "base_url": server.url + API,
            "token": TOKEN,
            "organisation_id": ORG,
            "timeout": 2.0,
            "connect_timeout": 1.0,
            "retry": RetryPolicy(max_retries=2, backoff_base=0.01, backoff_cap=0.05),
            "breaker": CircuitBreaker(threshold=100, cooldown=60),
            # No read before each update: tests script the server's answers call by call.
            "record_changes": False,
        } | overrides
        client = ConnectClient(**options)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def client(make_client) -> ConnectClient:
    return make_client()


def connector_body(**overrides) -> dict:
    return {
        "id": CONNECTOR_ID,
        "organisationId": ORG,
        "name": "Stripe",
        "public": False,
        "protocol": "http",
        "baseUrl": "https://api.stripe.example",
        "tags": {"team": ["payments"]},
        "authSchemeConfigs": [],
        "connections": [],
        "versions": [],
        "createdAt": "2025-01-02T03:04:05Z",
        "updatedAt": "2025-01-02T03:04:05.250000Z",
    } | overrides


def connector_page(*connectors: dict, next: str = "", prev: str = "") -> dict:
    return {
        "totalCount": len(connectors),
        "connectors": list(connectors),
        "next": next,
        "prev": prev,
    }


@pytest.fixture
def live(db, settings) -> ConnectClient:
    """A client for the real embedded API, served in process by Django's test client inside
    the test's transaction, with an API key minted for a fresh organisation by
    `manage.py create_api_key`. (test_embedded_transport.py covers the transports.)"""
    settings.EMBEDDED_API_ENCRYPTION_KEY = Fernet.generate_key().decode()
    organisation = str(ULID())
    out = io.StringIO()
    call_command("create_api_key", organisation=organisation, stdout=out, stderr=io.StringIO())
    client = ConnectClient(
        base_url=BASE_URL + API,
        transport=DjangoTestClientTransport(),
        token=out.getvalue().strip().splitlines()[-1],
        organisation_id=organisation,
        server_checks_preconditions=True,
        retry=RetryPolicy(max_retries=0),
    )
    yield client
    client.close()
