"""Fixtures for promotion: environment A is the dashboard's own organisation of the embedded
API, B another organisation of it (both in process); a connector in A with auth scheme configs
of several kinds (one holding an OAuth 2.0 client secret), tags, categories and two versions."""

import httpx
import pytest
from django.conf import settings
from django.utils.module_loading import import_string
from ulid import ULID

from dashboard.connect import ConnectClient
from dashboard.connect import client as client_module
from dashboard.connect.breaker import CircuitBreaker
from dashboard.connect.embedded import EMBEDDED_BASE_URL
from dashboard.connect.models import (
    AuthSchemeConfigAPIKey,
    AuthSchemeConfigNone,
    AuthSchemeConfigOAuth2,
    Connector,
    HTTPConnectorCreate,
    HTTPConnectorUpdate,
    OAuth2GrantAuthorizationCode,
)
from dashboard.connect.retry import RetryPolicy
from dashboard.embedded_api.auth import service_token
from tests.connectors.conftest import (  # noqa: F401 (the connector pages' fixtures serve here too)
    api,
    client_as,
    encryption_key,
    fresh_catalogue,
    make_user,
)
from tests.versions.conftest import change_draft, fill_version

OAUTH_SECRET = "oauth-client-secret-NEVER-COPIED"


class Switch(httpx.BaseTransport):
    """A transport that can be made to fail (B goes down) and come back."""

    def __init__(self, inner: httpx.BaseTransport):
        self.inner = inner
        self.down_after: int | None = None  # requests still answered before it goes down
        self.requests = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        if self.down_after is not None:
            if self.down_after <= 0:
                raise httpx.ConnectError("B is down", request=request)
            self.down_after -= 1
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


@pytest.fixture
def switch() -> Switch:
    """In front of the dashboard's own transport to the embedded API (the test's)."""
    return Switch(import_string(settings.CONNECT_EMBEDDED_TRANSPORT)())


@pytest.fixture
def target(switch) -> ConnectClient:
    """Environment B: another organisation of the embedded API, behind `switch`."""
    organisation = str(ULID())
    client = ConnectClient(
        base_url=EMBEDDED_BASE_URL,
        token=service_token(organisation),
        organisation_id=organisation,
        transport=switch,
        server_checks_preconditions=True,
        retry=RetryPolicy(max_retries=0),
        breaker=CircuitBreaker(threshold=1000, cooldown=60),
        backend_label="embedded",
    )
    yield client
    client.close()


@pytest.fixture
def as_current(monkeypatch):
    """`as_current(client)`: the dashboard's process-wide client is `client` (a run's steps
    take it, as they take the environment being shown's)."""

    def point_at(client: ConnectClient) -> None:
        monkeypatch.setattr(client_module, "_client", client)

    return point_at


def make_source(api: ConnectClient, name: str = "Shop") -> Connector:  # noqa: F811
    """In A: an HTTP connector with three auth scheme configs (none, an API key, OAuth 2.0
    with a stored client secret), tags, categories, details; 1.0 published, 2.0 a draft."""
    made = api.connectors.create_http(
        HTTPConnectorCreate(
            name=name,
            base_url="https://shop.example/api",
            auth_scheme_configs=[
                AuthSchemeConfigNone(id=str(ULID()), description="Public"),
                AuthSchemeConfigAPIKey(
                    id=str(ULID()), description="Key", name="X-Api-Key", in_="header"
                ),
                AuthSchemeConfigOAuth2(
                    id=str(ULID()),
                    description="Sign in",
                    authorize_url="https://shop.example/oauth/authorize",
                    token_url="https://shop.example/oauth/token",
                    grant=OAuth2GrantAuthorizationCode(
                        client_id="shop-client", client_secret=OAUTH_SECRET
                    ),
                ),
            ],
            tags={"team": ["commerce"], "tier": ["gold"]},
        )
    )
    api.connectors.update_categories(made.id, ["ERP", "Accounting"])
    made = api.connectors.get(made.id)
    api.connectors.update(
        HTTPConnectorUpdate(
            id=made.id,
            organisation_id=made.organisation_id,
            name=made.name,
            base_url=made.base_url,
            tags=made.tags,
            documentation_url="https://shop.example/docs",
        ),
        if_unmodified_since=made.updated_at,
    )
    api.versions.create(made.id, "1.0")
    fill_version(api, made.id, "1.0")
    api.versions.publish(made.id, "1.0")
    api.versions.create(made.id, "2.0", from_version="1.0")
    change_draft(api, made.id, "2.0")
    return api.connectors.get(made.id)


@pytest.fixture
def source(api) -> Connector:  # noqa: F811
    return make_source(api)
