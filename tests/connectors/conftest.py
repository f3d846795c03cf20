"""Fixtures for the connector pages: the dashboard's own Connect API client (the embedded API,
in process), connectors made through it, users in each role, and a loopback fault server the
dashboard can be pointed at instead."""

import socket
from contextlib import contextmanager

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string
from ulid import ULID

from dashboard.accounts.roles import assign_role
from dashboard.connect import ConnectClient, get_client
from dashboard.connect import client as client_module
from dashboard.connect.breaker import CircuitBreaker
from dashboard.connect.embedded import EMBEDDED_BASE_URL
from dashboard.connect.models import (
    AuthSchemeConfigNone,
    Connector,
    HTTPConnectorCreate,
)
from dashboard.connect.retry import RetryPolicy
from dashboard.embedded_api.auth import service_token
from tests.connect.fault_server import FaultServer

PASSWORD = "correct-horse-battery"
API = "/api/connect/v1"


@pytest.fixture(autouse=True)
def encryption_key(settings):
    settings.EMBEDDED_API_ENCRYPTION_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def fresh_catalogue():
    """Categories and protocols are cached per process; each test fetches its own."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api() -> ConnectClient:
    """The client the dashboard itself uses (the embedded API, for our organisation)."""
    return get_client()


def other_organisation_client() -> ConnectClient:
    """A client for a new organisation of the embedded API (close it when done), on the
    dashboard's own transport to it (the test's, see tests/conftest.py)."""
    organisation = str(ULID())
    return ConnectClient(
        base_url=EMBEDDED_BASE_URL,
        token=service_token(organisation),
        organisation_id=organisation,
        transport=import_string(settings.CONNECT_EMBEDDED_TRANSPORT)(),
        server_checks_preconditions=True,
    )


@pytest.fixture
def other_api():
    """A client for another organisation of the embedded API."""
    client = other_organisation_client()
    yield client
    client.close()


def make_connector(
    api: ConnectClient,
    name: str = "Stripe",
    *,
    tags: dict | None = None,
    categories: list[str] = (),
    public: bool = False,
    **fields,
) -> Connector:
    """An HTTP connector made through the service layer."""
    connector = api.connectors.create_http(
        HTTPConnectorCreate(
            name=name,
            base_url=fields.pop("base_url", f"https://{name.lower().replace(' ', '-')}.example"),
            auth_scheme_configs=[AuthSchemeConfigNone(id=str(ULID()))],
            tags=tags or {},
            public=public,
            **fields,
        )
    )
    if categories:
        api.connectors.update_categories(connector.id, categories)
    return api.connectors.get(connector.id)


@pytest.fixture
def make_user(django_user_model):
    def make(role: str | None, username: str | None = None):
        name = username or role or "nobody"
        user = django_user_model.objects.create_user(name, password=PASSWORD)
        if role:
            assign_role(user, role)
        return user

    return make


@pytest.fixture
def client_as(client, make_user):
    """`client_as(role)`: Django's test client, logged in as a new user holding `role`."""

    def login(role: str):
        client.force_login(make_user(role))
        return client

    return login


@pytest.fixture
def operator(client_as):
    return client_as("operator")


HTMX = {"HX-Request": "true"}


def htmx(target: str | None = None, **headers) -> dict:
    """Headers of an htmx request (swapping into `target`, an element id)."""
    return {**HTMX, **({"HX-Target": target} if target else {}), **headers}


# --- A Connect API that fails ------------------------------------------------------------


def remote_client(url: str) -> ConnectClient:
    """A client for a remote Connect API at `url`: quick retries, a breaker that never opens."""
    return ConnectClient(
        base_url=url,
        token="dashboard-test-token",
        organisation_id=settings.CONNECT_ORGANISATION_ID,
        timeout=1.5,
        connect_timeout=0.5,
        retry=RetryPolicy(max_retries=1, backoff_base=0.01, backoff_cap=0.02),
        breaker=CircuitBreaker(threshold=1000, cooldown=60),
        backend_label=url,
        record_changes=False,  # answers are scripted call by call
    )


@pytest.fixture
def dashboard_api(monkeypatch):
    """`dashboard_api(url)` points the dashboard's process-wide client at `url` for the rest
    of the test."""
    made = []

    def point_at(url: str) -> ConnectClient:
        client = remote_client(url)
        made.append(client)
        monkeypatch.setattr(client_module, "_client", client)
        return client

    yield point_at
    for client in made:
        client.close()


@pytest.fixture
def start_fault_server(dashboard_api):
    """`with start_fault_server() as server:` a scriptable loopback server the dashboard talks
    to instead of the embedded API."""

    @contextmanager
    def start():
        with FaultServer() as server:
            dashboard_api(server.url + API)
            yield server

    return start


@pytest.fixture
def fault_server(start_fault_server):
    with start_fault_server() as server:
        yield server


def unused_loopback_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}{API}"
