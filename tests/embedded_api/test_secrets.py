"""Secrets are write-only: encrypted at rest, and in no response body, redirect or log line
of any connections, credentials or OAuth 2.0 operation, failures included."""

import logging

import httpx
import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.db import connection as db

from dashboard.embedded_api import crypto
from tests.embedded_api.connections_support import (
    MARK,
    SCHEME_FOR_TYPE,
    config,
    make_connector,
    samples,
    secret,
    serve_token_endpoint,
)
from tests.in_process import BASE_URL, in_process_client

pytestmark = pytest.mark.django_db

API_ROOT = "/api/connect/v1"


@pytest.fixture
def every_log_line(caplog):
    """Every logger at DEBUG (httpx, httpcore and Django's SQL log included)."""
    names = ["", *logging.root.manager.loggerDict]
    for name in names:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def _recorded(client: httpx.Client) -> list[str]:
    """Everything the client receives: status line, headers (redirects!) and body."""
    seen: list[str] = []

    def record(response: httpx.Response) -> None:
        response.read()
        seen.append(f"{response.status_code} {response.headers!r} {response.text}")

    client.event_hooks = {
        **client.event_hooks,
        "response": [*client.event_hooks["response"], record],
    }
    return seen


def _leaks(texts, planted) -> list[str]:
    return [text[:300] for text in texts if any(s in text for s in planted)]


def _exercise_everything(api, browser, settings) -> list[str]:
    """Drive every operation of the area with planted secrets; return the secrets planted."""
    planted: list[str] = []
    kinds = samples()
    configs = {scheme: config(scheme) for scheme in set(SCHEME_FOR_TYPE.values())}
    connector = make_connector(api.org, *configs.values())
    connections = f"{api.o}/connectors/{connector.id}/connections"

    for sample in kinds:
        planted += sample.secrets
        standalone = api.post(
            f"{api.o}/credentials",
            json={"name": f"{sample.type} alone", "type": sample.type, "data": sample.data},
        ).json()
        link = {
            "authSchemeConfig": configs[SCHEME_FOR_TYPE[sample.type]],
            "credential": {"name": sample.type, "type": sample.type, "data": sample.data},
        }
        made = api.post(
            connections,
            json={
                "name": f"with {sample.type}",
                "credentials": {"action": [link], "trigger": [link]},
                "variables": [],
            },
        ).json()
        api.get(f"{connections}/{made['id']}")
        api.put(f"{connections}/{made['id']}", json={**made, "name": f"renamed {sample.type}"})
        # The same body again: a 409 must not echo it.
        api.post(
            connections,
            json={
                "name": f"renamed {sample.type}",
                "credentials": {"action": [link]},
                "variables": [],
            },
        )
        # Read, send back the redacted shape, then rotate to a new secret.
        read = api.get(f"{api.o}/credentials/{standalone['id']}").json()
        api.put(f"{api.o}/credentials/{standalone['id']}", json=read)
        rotated = samples()[kinds.index(sample)]
        planted += rotated.secrets
        api.put(f"{api.o}/credentials/{standalone['id']}", json={**read, "data": rotated.data})
        api.put(
            f"{api.o}/credentials/{standalone['id']}",
            json={**read, "data": rotated.data},
            headers={"If-Unmodified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"},
        )

    api.get(f"{api.o}/credentials")
    api.get(f"{api.o}/credentials", params={"type": "string", "hasErrors": "false"})
    api.get(connections)
    api.get(f"{api.o}/connectors/{connector.id}")

    # Bad input carrying secrets: wrong types, wrong fields, invalid PEMs, broken JSON.
    pasted = secret("pasted")
    planted.append(pasted)
    for body in (
        {
            "name": "x",
            "type": "certificate",
            "data": {"certificate": pasted, "key": pasted, "ca": pasted},
        },
        {"name": "x", "type": "string", "data": {"value": [pasted]}},
        {"name": "x", "type": "basic-auth", "data": {"username": "u", "password": {"p": pasted}}},
        {"name": "x", "type": "binary", "data": {"valueBase64": pasted}},
        {"name": "x", "type": pasted, "data": {"value": pasted}},
        {"name": "x", "type": "custom-function", "data": {"code": pasted}},
        {"name": "x", "type": "oauth2-code", "data": {"code": pasted, "state": pasted}},
    ):
        api.post(f"{api.o}/credentials", json=body)
        api.post(
            connections,
            json={
                "name": "bad",
                "credentials": {
                    "action": [{"authSchemeConfig": configs["api-key"], "credential": body}]
                },
                "variables": [],
            },
        )
    api.post(f"{api.o}/credentials", content=f'{{"name": "x", "data": "{pasted}"'.encode())

    # The OAuth 2.0 round trip, with a planted client secret and planted tokens.
    endpoint, server = serve_token_endpoint()
    try:
        settings.EMBEDDED_API_PUBLIC_URL = BASE_URL + API_ROOT
        settings.OUTBOUND_ALLOW_LOOPBACK = True  # the token endpoint is on 127.0.0.1
        client_secret, access, refresh = secret("client"), secret("access"), secret("refresh")
        planted += [client_secret, access, refresh]
        endpoint.body = {"access_token": access, "refresh_token": refresh, "expires_in": 60}
        client = api.post(
            f"{api.o}/credentials",
            json={
                "name": "client",
                "type": "oauth2-client",
                "data": {
                    "clientId": "client-1",
                    "clientSecret": client_secret,
                    "authorizeUrl": "",
                    "tokenUrl": endpoint.url,
                },
            },
        ).json()
        oauth = config(
            "oauth2",
            tokenUrl=endpoint.url,
            grant={
                "grantType": "authorization_code",
                "credentialId": client["id"],
                "organisationId": api.org,
            },
        )
        oauth_connector = make_connector(api.org, oauth, name="OAuth")
        made = api.post(
            f"{api.o}/connectors/{oauth_connector.id}/connections",
            json={"name": "oauth", "credentials": {}, "variables": []},
        ).json()
        for token_status in (200, 400):
            endpoint.status = token_status
            url = api.post(
                f"{api.o}/connectors/{oauth_connector.id}/oauth2/initialise",
                json={
                    "credential": {"id": client["id"], "organisationId": api.org},
                    "authorizeUrl": "https://provider.test/authorize",
                    "clientId": "client-1",
                    "connectionId": made["id"],
                    "returnUrl": "/back",
                },
            ).json()["url"]
            state = httpx.URL(url).params["state"]
            browser.get(
                f"{API_ROOT}/oauth2/callback", params={"code": secret("code"), "state": state}
            )
        api.get(f"{api.o}/connectors/{oauth_connector.id}/connections/{made['id']}")
    finally:
        server.shutdown()
        server.server_close()
    return planted


def test_no_response_or_log_line_carries_a_secret(api, settings, every_log_line):
    settings.DEBUG = True  # Django logs every SQL query with its parameters at DEBUG.
    seen = _recorded(api)
    with in_process_client() as browser:
        seen += _recorded(browser)
        planted = _exercise_everything(api, browser, settings)

    assert len(seen) > 80
    assert _leaks(seen, planted) == []
    assert all(MARK not in text for text in seen)
    lines = [
        f"{record.name} {record.getMessage()} {record.exc_text or ''}"
        for record in every_log_line.records
    ]
    assert any(line.startswith("django.db.backends") for line in lines)
    assert any(line.startswith("httpcore") for line in lines)
    assert _leaks(lines, planted) == []


def test_secrets_are_encrypted_in_the_database(api):
    planted: list[str] = []
    for sample in samples():
        planted += sample.secrets
        api.post(
            f"{api.o}/credentials",
            json={"name": sample.type, "type": sample.type, "data": sample.data},
        )

    with db.cursor() as cursor:
        cursor.execute("SELECT * FROM embedded_api_credential")
        rows = [" ".join(map(str, row)) for row in cursor.fetchall()]

    assert len(rows) == len(samples())
    assert _leaks(rows, planted) == []


def test_an_unset_encryption_key_fails_loudly(settings):
    settings.EMBEDDED_API_ENCRYPTION_KEY = ""

    with pytest.raises(ImproperlyConfigured, match="EMBEDDED_API_ENCRYPTION_KEY is not set"):
        crypto.encrypt({"value": "x"})


def test_a_malformed_encryption_key_fails_without_showing_it(settings):
    settings.EMBEDDED_API_ENCRYPTION_KEY = "too-short-" + MARK

    with pytest.raises(ImproperlyConfigured) as raised:
        crypto.encrypt({"value": "x"})

    assert MARK not in str(raised.value)


def test_the_key_can_be_rotated_by_listing_the_old_one_after_the_new(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.EMBEDDED_API_ENCRYPTION_KEY = old
    token = crypto.encrypt({"value": "v"})

    settings.EMBEDDED_API_ENCRYPTION_KEY = f"{new},{old}"

    assert crypto.decrypt(token) == {"value": "v"}
    assert Fernet(new.encode()).decrypt(crypto.encrypt({"value": "v"}.copy()).encode())


def test_data_under_another_key_is_reported_as_unreadable(settings):
    token = crypto.encrypt({"value": "v"})
    settings.EMBEDDED_API_ENCRYPTION_KEY = Fernet.generate_key().decode()

    with pytest.raises(crypto.UnreadableSecret):
        crypto.decrypt(token)
