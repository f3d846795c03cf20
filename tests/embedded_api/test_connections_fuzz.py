"""Hypothesis throws malformed bodies, query strings and path ids at every connections,
credentials and OAuth 2.0 operation: each answer is a contract error or a success, never a
500. In process (Django's test client) so hundreds of requests stay fast."""

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ulid import ULID

from dashboard.embedded_api.auth import service_token
from tests.embedded_api.connections_support import config, make_connector, samples

pytestmark = pytest.mark.django_db

ROOT = "/api/connect/v1"
ORG = str(ULID())
FUZZ = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# NUL and friends included: PostgreSQL refuses NUL in text and JSON columns.
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text()
    | st.sampled_from(["\x00", "a\x00b", "\ud7ff", "\n", "", " ", "x" * 3000])
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
)
FIELD_NAMES = [
    "id", "name", "type", "data", "value", "expiresAt", "credentials", "action", "trigger",
    "variables", "authSchemeConfig", "schemeType", "credential", "organisationId",
    "authorizeUrl", "clientId", "scopes", "prompt", "additionalParams", "connectionId",
    "authSchemeConfigId", "returnUrl", "disableOfflineAccess", "username", "password",
]  # fmt: skip


def shaped(depth: int = 2):
    """Objects using the contract's field names, so validation gets past the first key."""
    values = (
        json_values
        if depth == 0
        else (json_values | shaped(depth - 1) | st.lists(shaped(depth - 1), max_size=3))
    )
    return st.dictionaries(st.sampled_from(FIELD_NAMES), values, max_size=6)


bodies = (
    shaped().map(lambda body: json.dumps(body).encode())
    | json_values.map(lambda body: json.dumps(body).encode())
    | st.binary(max_size=64)
)
ids = st.sampled_from(
    ["01JAAAAAAAAAAAAAAAAAAAAAAA", "nope", "0" * 26, "Z" * 26, "%00", "..", "-1"]
) | st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="/?#%"),
    min_size=1,
    max_size=30,
)
queries = st.dictionaries(
    st.sampled_from(
        [
            "first",
            "after",
            "before",
            "sort",
            "type",
            "expiresBefore",
            "hasErrors",
            "force",
            "code",
            "state",
            "error",
        ]
    ),
    st.text(max_size=40),
    max_size=4,
)


@pytest.fixture
def world():
    """A client, a connector with a connection, credentials to aim at, and a valid body of
    each operation for the mutation test."""
    client = Client(
        HTTP_AUTHORIZATION=f"Bearer {service_token(ORG)}", raise_request_exception=False
    )
    api_key = config("api-key")
    client_credential = client.post(
        f"{ROOT}/o/{ORG}/credentials",
        {
            "name": "client",
            "type": "oauth2-client",
            "data": {
                "clientId": "c",
                "clientSecret": "s",
                "authorizeUrl": "",
                "tokenUrl": "https://p.test/t",
            },
        },
        content_type="application/json",
    ).json()
    oauth = config(
        "oauth2",
        grant={
            "grantType": "authorization_code",
            "credentialId": client_credential["id"],
            "organisationId": ORG,
        },
    )
    connector = make_connector(ORG, api_key, oauth)
    connection_body = {
        "name": "production",
        "credentials": {
            "action": [
                {
                    "authSchemeConfig": api_key,
                    "credential": {"name": "k", "type": "string", "data": {"value": "v"}},
                }
            ],
            "trigger": [],
        },
        "variables": [{"name": "region", "value": "eu"}],
    }
    connection = client.post(
        f"{ROOT}/o/{ORG}/connectors/{connector.id}/connections",
        connection_body,
        content_type="application/json",
    ).json()
    link = connection["credentials"]["action"][0]
    base = f"{ROOT}/o/{ORG}/connectors/{connector.id}"
    valid = [
        *[
            (
                "POST",
                f"{ROOT}/o/{ORG}/credentials",
                {"name": s.type, "type": s.type, "data": s.data},
            )
            for s in samples()
        ],
        ("PUT", f"{ROOT}/o/{ORG}/credentials/{link['credential']['id']}", link["credential"]),
        ("POST", f"{base}/connections", {**connection_body, "name": "staging"}),
        (
            "PUT",
            f"{base}/connections/{connection['id']}",
            {
                "id": connection["id"],
                "name": "production",
                "credentials": {"action": [{"id": link["id"], "authSchemeConfig": api_key}]},
                "variables": [],
            },
        ),
        (
            "POST",
            f"{base}/oauth2/initialise",
            {
                "credential": {"id": client_credential["id"], "organisationId": ORG},
                "authorizeUrl": "https://p.test/a",
                "clientId": "c",
                "scopes": ["read"],
                "prompt": "consent",
                "additionalParams": "a=b",
                "connectionId": connection["id"],
                "returnUrl": "/back",
            },
        ),
    ]
    return client, connector.id, connection["id"], link["credential"]["id"], valid


def _paths(value, path=()):
    yield path
    children = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, child in children:
        yield from _paths(child, (*path, key))


def _replaced(value, path, new, drop=False):
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    if drop and len(path) == 1:
        del copy[path[0]]
        return copy
    copy[path[0]] = _replaced(value[path[0]], path[1:], new, drop)
    return copy


def mutations(body):
    """A valid body with one part replaced by any JSON value, or removed."""
    paths = list(_paths(body))
    replace = st.tuples(st.sampled_from(paths), json_values).map(lambda p: _replaced(body, *p))
    drop = st.sampled_from(paths[1:]).map(lambda p: _replaced(body, p, None, drop=True))
    return replace | drop


def _sane(response) -> None:
    assert response.status_code < 500, response.content[:300]
    if response.status_code != 302 and response.content:
        assert response.headers["Content-Type"].startswith("application/json")
        assert {"code", "message"} <= set(response.json()) or response.status_code < 400


def _send(client, method: str, path: str, body: bytes = b"", query: dict | None = None):
    if query:
        path = f"{path}?{'&'.join(f'{k}={v}' for k, v in query.items())}"
    return client.generic(method, path, body, content_type="application/json")


@FUZZ
@given(body=bodies)
def test_bodies_never_cause_a_500(world, body):
    client, connector_id, connection_id, credential_id, _ = world
    connector = f"{ROOT}/o/{ORG}/connectors/{connector_id}"
    for method, path in [
        ("POST", f"{ROOT}/o/{ORG}/credentials"),
        ("PUT", f"{ROOT}/o/{ORG}/credentials/{credential_id}"),
        ("POST", f"{connector}/connections"),
        ("PUT", f"{connector}/connections/{connection_id}"),
        ("POST", f"{connector}/oauth2/initialise"),
    ]:
        _sane(_send(client, method, path, body))


@FUZZ
@given(query=queries)
def test_query_strings_never_cause_a_500(world, query):
    client, connector_id, connection_id, credential_id, _ = world
    connector = f"{ROOT}/o/{ORG}/connectors/{connector_id}"
    for method, path in [
        ("GET", f"{ROOT}/o/{ORG}/credentials"),
        ("GET", f"{connector}/connections"),
        ("GET", f"{ROOT}/oauth2/callback"),
        ("DELETE", f"{connector}/connections/01JAAAAAAAAAAAAAAAAAAAAAAA"),
        ("DELETE", f"{ROOT}/o/{ORG}/credentials/01JAAAAAAAAAAAAAAAAAAAAAAA"),
    ]:
        _sane(_send(client, method, path, query=query))


@FUZZ
@given(connector_id=ids, item_id=ids, method=st.sampled_from(["GET", "PUT", "DELETE", "POST"]))
def test_path_ids_never_cause_a_500(world, connector_id, item_id, method):
    client, real_connector, *_ = world
    for path in [
        f"{ROOT}/o/{ORG}/connectors/{connector_id}/connections/{item_id}",
        f"{ROOT}/o/{ORG}/connectors/{real_connector}/connections/{item_id}",
        f"{ROOT}/o/{ORG}/connectors/{connector_id}/oauth2/initialise",
        f"{ROOT}/o/{ORG}/credentials/{item_id}",
        f"{ROOT}/o/{item_id}/credentials",
    ]:
        _sane(_send(client, method, path, b"{}"))


@FUZZ
@given(data=st.data())
def test_near_valid_bodies_never_cause_a_500(world, data):
    client, *_, valid = world
    for method, path, body in valid:
        _sane(_send(client, method, path, json.dumps(data.draw(mutations(body))).encode()))
