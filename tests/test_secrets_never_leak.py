"""Secrets typed into the dashboard never come back: not in a page, a partial, a form
re-rendered after a validation error, an error panel after an upstream failure, a redirect
or a toast, and not in a log line with every logger at DEBUG (httpx, httpcore and Django's SQL
log included) nor in the audit log.

Each test plants distinctive secrets (all carrying MARK) through a form of the auth scheme,
connection or rotation pages, then reads every page that could show them.
"""

import base64
import logging
from urllib.parse import urlsplit

import httpx
import pytest
from cryptography.fernet import Fernet
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dashboard.accounts.models import AuditEntry
from dashboard.accounts.roles import assign_role
from dashboard.connect import get_client
from dashboard.connect.models import CredentialDataString, CredentialUpdate
from tests.connect.fault_server import respond
from tests.connections.conftest import (
    MARK,
    every_scheme_config,
    make_connector,
    secret,
    self_signed,
)
from tests.connections.forms_support import config_of, new_connection, slot
from tests.connections.oauth_provider import Provider, ProviderServer

pytestmark = pytest.mark.django_db


class RecordingClient(Client):
    """Django's test client, keeping everything each response carried: status, headers
    (redirects, HX-Trigger toasts) and body."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seen: list[str] = []

    def request(self, **request):
        response = super().request(**request)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        self.seen.append(f"{response.status_code} {dict(response.headers)!r} {body.decode()}")
        return response


@pytest.fixture(autouse=True)
def encryption_key(settings):
    settings.EMBEDDED_API_ENCRYPTION_KEY = Fernet.generate_key().decode()
    settings.DEBUG = True  # Django logs every SQL query with its parameters at DEBUG.


@pytest.fixture
def every_log_line(caplog):
    for name in ["", "httpx", "httpcore", *logging.root.manager.loggerDict]:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


@pytest.fixture
def browser(django_user_model) -> RecordingClient:
    """An admin's browser (admins see every control, force delete included)."""
    user = django_user_model.objects.create_user("admin", password="correct-horse-battery")
    assign_role(user, "admin")
    client = RecordingClient()
    client.force_login(user)
    return client


@pytest.fixture
def api():
    return get_client()


@pytest.fixture
def provider(settings):
    settings.EMBEDDED_API_PUBLIC_URL = "http://testserver/api/connect/v1"
    planted = Provider(
        client_id="patchbay-client",
        client_secret=secret("provider-client"),
        access_token=secret("access-token"),
        refresh_token=secret("refresh-token"),
    )
    with ProviderServer(planted) as running:
        yield running


@pytest.fixture
def failing(monkeypatch):
    """`with failing(answers...):` the dashboard's API answers these in turn, from loopback."""
    from contextlib import contextmanager

    from dashboard.connect import ConnectClient
    from dashboard.connect import client as client_module
    from dashboard.connect.breaker import CircuitBreaker
    from dashboard.connect.retry import RetryPolicy
    from tests.connect.fault_server import FaultServer

    @contextmanager
    def fail(*answers):
        with FaultServer() as server:
            server.then(*answers)
            client = ConnectClient(
                base_url=server.url + "/api/connect/v1",
                token="t",
                organisation_id=get_client().organisation_id,
                retry=RetryPolicy(max_retries=0),
                breaker=CircuitBreaker(threshold=1000, cooldown=60),
                record_changes=False,  # answers are scripted call by call
                timeout=1.5,
            )
            original = client_module._client
            monkeypatch.setattr(client_module, "_client", client)
            try:
                yield server
            finally:
                monkeypatch.setattr(client_module, "_client", original)
                client.close()

    return fail


def assert_nothing_leaked(seen: list[str], log, planted: list[str]) -> None:
    planted = [*planted, MARK]
    leaks = [text[:200] for text in seen if any(value in text for value in planted)]
    assert leaks == []
    lines = [f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in log.records]
    assert any(line.startswith("httpcore") for line in lines)  # DEBUG really was on
    assert any(line.startswith("django.db.backends") for line in lines)
    assert [line[:200] for line in lines if any(value in line for value in planted)] == []
    # Every audit entry, every column: each planted value, not just the marker (a secret's
    # base64 form or a key's PEM lines do not carry it).
    audit = [" ".join(map(str, row)) for row in AuditEntry.objects.values_list()]
    assert audit and [row[:200] for row in audit if any(value in row for value in planted)] == []


def read_every_page(browser, connector_id: str) -> None:
    """Every page and partial that shows auth schemes, connections or credentials."""
    connector = get_client().connectors.get(connector_id)
    base = f"/connectors/{connector.id}"
    browser.get(f"{base}/auth-schemes/")
    browser.get(f"{base}/auth-schemes/", headers={"HX-Request": "true"})
    for config in connector.auth_scheme_configs:
        browser.get(f"{base}/auth-schemes/{config.id}/edit/")
        browser.get(f"{base}/auth-schemes/{config.id}/delete/")
    browser.get(f"{base}/connections/")
    browser.get(f"{base}/connections/new/")
    for connection in connector.connections:
        browser.get(f"{base}/connections/{connection.id}/")
        browser.get(f"{base}/connections/{connection.id}/edit/")
        browser.get(
            f"{base}/connections/{connection.id}/delete/",
            headers={"HX-Request": "true", "HX-Target": "connection-danger"},
        )
    browser.get("/credentials/")
    browser.get("/credentials/?expiry=30", headers={"HX-Request": "true"})
    for credential in get_client().credentials.list(first=100):
        browser.get(f"/credentials/{credential.id}/rotate/")
    browser.get("/audit/")
    browser.get("/audit/export.csv")


# --- Auth schemes ------------------------------------------------------------------------


def oauth2_form(client_secret: str, **fields) -> dict:
    return {
        "description": "Sign-in",
        "grant_type": "authorization_code",
        "authorize_url": "https://id.acme.example/authorize",
        "token_url": "https://id.acme.example/token",
        "client_id": "acme",
        "client_secret": client_secret,
        **fields,
    }


def test_an_oauth2_client_secret_typed_into_the_auth_scheme_forms(
    browser, api, failing, every_log_line
):
    planted = [secret(label) for label in ("valid", "invalid", "edit", "down", "refused")]
    connector = make_connector(api, configs=[])
    add = f"/connectors/{connector.id}/auth-schemes/new/?type=oauth2"

    def loaded():
        return {"updated_at": api.connectors.get(connector.id).updated_at.isoformat()}

    browser.post(add, {**oauth2_form(planted[0]), **loaded()})
    browser.post(add, {**oauth2_form(planted[1], token_url="nope"), **loaded()})
    browser.post(
        add,
        {**oauth2_form(planted[1], token_url="nope"), **loaded()},
        headers={"HX-Request": "true"},
    )
    config = api.connectors.get(connector.id).auth_scheme_configs[0]
    edit = f"/connectors/{connector.id}/auth-schemes/{config.id}/edit/"
    browser.post(edit, {**oauth2_form(planted[2], authorize_url=""), **loaded()})
    browser.post(edit, {**oauth2_form(planted[2]), "updated_at": "2000-01-01T00:00:00+00:00"})
    connector_json = api.session.json("GET", f"o/{api.organisation_id}/connectors/{connector.id}")
    for headers in ({}, {"HX-Request": "true"}):
        with failing(respond(200, connector_json), respond(500, {"code": "x", "message": "Down."})):
            browser.post(add, {**oauth2_form(planted[3]), **loaded()}, headers=headers)
    refusal = {
        "code": "bad_request",
        "message": "No.",
        "fields": [{"field": "grant.clientSecret", "message": "is weak"}],
    }
    with failing(respond(200, connector_json), respond(400, refusal)):
        browser.post(add, {**oauth2_form(planted[4]), **loaded()})
    read_every_page(browser, connector.id)

    assert len(browser.seen) > 15
    assert_nothing_leaked(browser.seen, every_log_line, planted)


# --- Connections ----------------------------------------------------------------------------


def every_credential(connector, label: str) -> tuple[list[dict], dict, list[str]]:
    """One new-connection credential of every type, its file upload, and what was planted."""
    value, password, client_secret, owner = (secret(f"{label}-{n}") for n in "vpco")
    binary = secret(f"{label}-binary").encode()
    certificate, key = self_signed()
    slots = [
        slot(config_of(connector, "api-key").id, "string", "key", {"value": value}),
        slot(config_of(connector, "hmac").id, "binary", "file"),
        slot(
            config_of(connector, "basic-auth").id,
            "basic-auth",
            "basic",
            {"username": "ops", "password": password},
        ),
        slot(
            config_of(connector, "oauth2", "Machine").id,
            "oauth2-client",
            "client",
            {"client_id": "m", "client_secret": client_secret, "token_url": "https://t.example/"},
        ),
        slot(
            config_of(connector, "oauth2", "Owner").id,
            "oauth2-password",
            "owner",
            {"username": "o", "password": owner},
        ),
        slot(
            config_of(connector, "certificate").id,
            "certificate",
            "cert",
            {"certificate": certificate, "key": key},
        ),
        slot(config_of(connector, "none").id, "none", "open"),
    ]
    files = {"action-1-binary-file": SimpleUploadedFile("key.bin", binary)}
    planted = [
        value,
        password,
        client_secret,
        owner,
        binary.decode(),
        base64.b64encode(binary).decode(),
        key.splitlines()[1],
        key.splitlines()[2],
    ]
    return slots, files, planted


def test_credentials_of_every_type_typed_into_the_connection_forms(
    browser, api, failing, every_log_line
):
    connector = make_connector(api, configs=every_scheme_config())
    url = f"/connectors/{connector.id}/connections/new/"
    planted: list[str] = []

    def post(name: str, label: str, headers=None, **extra):
        slots, files, secrets = every_credential(connector, label)
        planted.extend(secrets)
        return browser.post(
            url, {**new_connection(name, action=slots), **files, **extra}, headers=headers or {}
        )

    post("", "invalid")  # the name is missing: re-rendered
    post("", "invalid-htmx", headers={"HX-Request": "true"})
    post("production", "add-slot", add_credential="trigger")
    created = post("production", "valid")
    assert created.status_code == 302
    post("production", "name-taken", headers={"HX-Request": "true"})  # the API's 409
    connector_json = api.session.json("GET", f"o/{api.organisation_id}/connectors/{connector.id}")
    for headers in ({}, {"HX-Request": "true"}):
        with failing(
            respond(200, connector_json), respond(502, {"code": "bad_gateway", "message": "Down."})
        ):
            post("staging", "down", headers=headers)
    refusal = {
        "code": "bad_request",
        "message": "No.",
        "fields": [{"field": "credentials.action[0].credential.data.value", "message": "bad"}],
    }
    with failing(respond(200, connector_json), respond(400, refusal)):
        post("staging", "refused")
    read_every_page(browser, connector.id)

    assert len(browser.seen) > 30
    assert_nothing_leaked(browser.seen, every_log_line, planted)


# --- OAuth 2.0 -------------------------------------------------------------------------------


def test_tokens_from_an_oauth2_sign_in(browser, api, provider, every_log_line):
    from tests.connections.conftest import make_connection, oauth2_config

    connector = make_connector(api, configs=[oauth2_config(provider)])
    connection = make_connection(api, connector)
    config = connector.auth_scheme_configs[0]
    page = f"/connectors/{connector.id}/connections/{connection.id}/"

    for _ in range(2):  # connect, then re-authorise
        location = browser.post(f"{page}oauth2/{config.id}/connect/")["Location"]
        callback = urlsplit(httpx.get(location).headers["location"])
        landed = browser.get(f"{callback.path}?{callback.query}")
        browser.get(landed["Location"])
    read_every_page(browser, connector.id)

    assert "Connected: the provider issued a token" in browser.seen[-1] or any(
        "Connected: the provider issued a token" in text for text in browser.seen
    )
    planted = [provider.client_secret, provider.access_token, provider.refresh_token]
    assert_nothing_leaked(browser.seen, every_log_line, planted)


# --- Rotation --------------------------------------------------------------------------------


ROTATION_FIELDS = {
    "string": lambda s: {"value": s, "value_again": s},
    "basic-auth": lambda s: {"username": "ops", "password": s, "password_again": s},
    "oauth2-client": lambda s: {
        "client_id": "m",
        "client_secret": s,
        "client_secret_again": s,
        "token_url": "https://t.example/",
    },
    "oauth2-password": lambda s: {"username": "o", "password": s, "password_again": s},
}


def test_new_secrets_typed_into_the_rotation_form(browser, api, failing, every_log_line):
    connector = make_connector(api, configs=every_scheme_config())
    slots, files, planted = every_credential(connector, "initial")
    browser.post(
        f"/connectors/{connector.id}/connections/new/",
        {**new_connection("production", action=slots), **files},
    )
    credentials = {c.type: c for c in api.credentials.list(first=100)}

    for credential_type, fields in ROTATION_FIELDS.items():
        credential = api.credentials.get(credentials[credential_type].id)
        url = f"/credentials/{credential.id}/rotate/"
        base = {
            "name": credential.name,
            "confirm": "on",
            "updated_at": credential.updated_at.isoformat(),
        }
        new, other, stale, down = (secret(f"rotate-{credential_type}-{n}") for n in range(4))
        planted += [new, other, stale, down]

        def typed(value, fields=fields):
            return {f"data-{k}": v for k, v in fields(value).items()}

        mismatch = typed(new) | {next(k for k in typed(new) if k.endswith("_again")): other}
        browser.post(url, {**base, **mismatch})
        browser.post(url, {**base, **mismatch}, headers={"HX-Request": "true"})
        browser.post(url, {**base, **typed(new)} | {"confirm": ""})
        credential_json = api.session.json(
            "GET", f"o/{api.organisation_id}/credentials/{credential.id}"
        )
        with failing(
            respond(200, credential_json), respond(503, {"code": "down", "message": "Down."})
        ):
            browser.post(url, {**base, **typed(down)})
        assert browser.post(url, {**base, **typed(new)}).status_code == 302
        browser.post(url, {**base, **typed(stale)})  # now stale: the conflict page

    certificate, key = self_signed()
    cert = api.credentials.get(credentials["certificate"].id)
    planted += [key.splitlines()[1]]
    browser.post(
        f"/credentials/{cert.id}/rotate/",
        {
            "name": cert.name,
            "confirm": "on",
            "updated_at": cert.updated_at.isoformat(),
            "data-certificate": self_signed()[0],
            "data-key": key,  # a key of another certificate
        },
    )
    binary = secret("rotate-binary").encode()
    planted += [binary.decode(), base64.b64encode(binary).decode()]
    file_credential = api.credentials.get(credentials["binary"].id)
    browser.post(
        f"/credentials/{file_credential.id}/rotate/",
        {
            "name": "file",
            "updated_at": file_credential.updated_at.isoformat(),
            "data-file": SimpleUploadedFile("k", binary),  # unconfirmed: re-rendered
        },
    )
    api.credentials.update(
        CredentialUpdate(
            id=credentials["string"].id,
            name="key",
            type="string",
            data=CredentialDataString(value=secret("via-api")),
        )
    )
    read_every_page(browser, connector.id)

    assert len(browser.seen) > 40
    assert_nothing_leaked(browser.seen, every_log_line, planted)
