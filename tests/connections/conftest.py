"""Fixtures for the auth scheme, connection and credential pages: the dashboard's own Connect
API client (the embedded API, in process), connectors made through it, users in each role,
planted secrets, a loopback OAuth 2.0 provider, and a loopback server that fails on cue."""

import datetime
from contextlib import contextmanager

import pytest
from cryptography import x509
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.cache import cache
from ulid import ULID

from dashboard.accounts.roles import assign_role
from dashboard.connect import ConnectClient, get_client
from dashboard.connect import client as client_module
from dashboard.connect.breaker import CircuitBreaker
from dashboard.connect.models import (
    AuthSchemeConfig,
    AuthSchemeConfigAPIKey,
    AuthSchemeConfigBasicAuth,
    AuthSchemeConfigCertificate,
    AuthSchemeConfigHMAC,
    AuthSchemeConfigNone,
    AuthSchemeConfigOAuth2,
    Connection,
    ConnectionCreate,
    ConnectionCredentialCreate,
    ConnectionCredentialsCreate,
    ConnectionVariable,
    Connector,
    CredentialCreate,
    CredentialDataString,
    HTTPConnectorCreate,
    OAuth2GrantAuthorizationCode,
    OAuth2GrantClientCredentials,
    OAuth2GrantPassword,
    OAuth2Scope,
)
from dashboard.connect.retry import RetryPolicy
from tests.connect.fault_server import FaultServer
from tests.connections.oauth_provider import Provider, ProviderServer

PASSWORD = "correct-horse-battery"
API = "/api/connect/v1"
HTMX = {"HX-Request": "true"}
# Every secret a test plants carries this marker, so "no secret leaked" is one search.
MARK = "PLANTED-S3CRET"


def secret(label: str) -> str:
    return f"{MARK}-{label}-{ULID()}"


def htmx(target: str | None = None) -> dict:
    """Headers of an htmx request (swapping into `target`, an element id)."""
    return {**HTMX, **({"HX-Target": target} if target else {})}


@pytest.fixture(autouse=True)
def encryption_key(settings):
    settings.EMBEDDED_API_ENCRYPTION_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api() -> ConnectClient:
    """The client the dashboard itself uses (the embedded API, for our organisation)."""
    return get_client()


# --- Connectors and their auth scheme configs -------------------------------------------


def api_key_config(**fields) -> AuthSchemeConfig:
    defaults = {"id": str(ULID()), "name": "X-API-Key", "in_": "header", "description": "Key"}
    return AuthSchemeConfigAPIKey(**defaults | fields)


def oauth2_config(provider: Provider | None = None, grant: str = "authorization_code", **fields):
    """An OAuth 2.0 config; with `provider`, pointing at it and storing its client."""
    grants = {
        "authorization_code": OAuth2GrantAuthorizationCode,
        "client_credentials": OAuth2GrantClientCredentials,
        "password": OAuth2GrantPassword,
    }
    client = (
        {"client_id": provider.client_id, "client_secret": provider.client_secret}
        if provider and grant != "client_credentials"
        else {}
    )
    defaults = {
        "description": "Acme sign-in",
        "authorize_url": provider.authorize_url if provider else "https://provider.test/authorize",
        "token_url": provider.token_url if provider else "https://provider.test/token",
        "scopes": [OAuth2Scope(name="read", description="Read things")],
        "default_scopes": ["read"],
    }
    return AuthSchemeConfigOAuth2(
        id=str(ULID()), grant=grants[grant](**client), **(defaults | fields)
    )


def every_scheme_config() -> list[AuthSchemeConfig]:
    """One config of each scheme type the dashboard offers typed credentials for."""
    return [
        api_key_config(),
        AuthSchemeConfigBasicAuth(id=str(ULID()), description="Basic"),
        oauth2_config(grant="client_credentials", description="Machine"),
        oauth2_config(grant="password", description="Owner"),
        AuthSchemeConfigHMAC(
            id=str(ULID()),
            description="Webhook",
            name="X-Sig",
            in_="header",
            algorithm="sha256",
            digest_inputs=["body"],
        ),
        AuthSchemeConfigCertificate(id=str(ULID()), description="mTLS"),
        AuthSchemeConfigNone(id=str(ULID()), description="Open"),
    ]


def make_connector(
    api: ConnectClient, name: str = "Acme", configs: list[AuthSchemeConfig] | None = None, **kw
) -> Connector:
    """An HTTP connector made through the service layer."""
    connector = api.connectors.create_http(
        HTTPConnectorCreate(
            name=name,
            base_url=kw.pop("base_url", "https://acme.example"),
            auth_scheme_configs=configs if configs is not None else [api_key_config()],
            **kw,
        )
    )
    return api.connectors.get(connector.id)


# --- Users ---------------------------------------------------------------------------------


@pytest.fixture
def make_user(django_user_model):
    def make(role: str | None, username: str | None = None):
        user = django_user_model.objects.create_user(username or role or "nobody", PASSWORD)
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


# --- Certificates ------------------------------------------------------------------------


def self_signed(name: str = "patchbay.test") -> tuple[str, str]:
    """A throwaway certificate and its private key, PEM-encoded."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return (
        certificate.public_bytes(serialization.Encoding.PEM).decode(),
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode(),
    )


# --- A loopback OAuth 2.0 provider --------------------------------------------------------


@pytest.fixture
def provider(settings, live_server):
    """A provider on 127.0.0.1, and the embedded API's callback on the live server."""
    settings.EMBEDDED_API_PUBLIC_URL = live_server.url + API
    with ProviderServer(
        Provider(
            client_id="patchbay-client",
            client_secret=secret("client-secret"),
            access_token=secret("access-token"),
            refresh_token=secret("refresh-token"),
        )
    ) as running:
        yield running


# --- A Connect API that fails on cue -------------------------------------------------------


@pytest.fixture
def failing_api(monkeypatch):
    """`with failing_api() as server:` the dashboard talks to a scriptable loopback server
    instead of the embedded API (quick retries, a breaker that never opens)."""

    @contextmanager
    def start():
        with FaultServer() as server:
            client = ConnectClient(
                base_url=server.url + API,
                token="dashboard-test-token",
                organisation_id=settings.CONNECT_ORGANISATION_ID,
                timeout=1.5,
                connect_timeout=0.5,
                retry=RetryPolicy(max_retries=0),
                breaker=CircuitBreaker(threshold=1000, cooldown=60),
                record_changes=False,  # answers are scripted call by call
            )
            monkeypatch.setattr(client_module, "_client", client)
            try:
                yield server
            finally:
                client.close()

    return start


# --- Connections ----------------------------------------------------------------------------


def string_credential(config: AuthSchemeConfig, name: str, value: str | None = None, **fields):
    """A new connection's API-key credential (`string`)."""
    return ConnectionCredentialCreate(
        auth_scheme_config=config,
        credential=CredentialCreate(
            name=name,
            type="string",
            data=CredentialDataString(value=value or secret(name)),
            **fields,
        ),
    )


def make_connection(
    api: ConnectClient,
    connector: Connector,
    name: str = "production",
    *,
    action: list[ConnectionCredentialCreate] = (),
    trigger: list[ConnectionCredentialCreate] = (),
    variables: list[ConnectionVariable] = (),
) -> Connection:
    """A connection made through the service layer."""
    return api.connections.create(
        connector.id,
        ConnectionCreate(
            name=name,
            credentials=ConnectionCredentialsCreate(action=list(action), trigger=list(trigger)),
            variables=list(variables),
        ),
    )
