"""Every call logs one line per attempt (method, path, status, duration, request id) and never
a secret: not the API token, not a request body, not a query string."""

import logging

import pytest

from dashboard.connect import ServerError
from dashboard.connect.models import CredentialDataString, CredentialUpdate
from dashboard.request_id import _current
from tests.connect.conftest import API, CONNECTOR_ID, ORG, TOKEN, connector_page
from tests.connect.fault_server import respond

SECRET = "sk_live_PLANTED_SECRET_VALUE"


@pytest.fixture
def everything_logged(caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "dashboard.connect"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def _all_text(caplog) -> str:
    return "\n".join(
        f"{record.getMessage()} {record.args!r} {record.exc_text or ''}"
        for record in caplog.records
    )


def test_a_call_logs_method_path_status_duration_and_request_id(server, client, everything_logged):
    server.default = respond(200, connector_page())
    token = _current.set("req-1234")
    try:
        client.connectors.list(name="stripe")
    finally:
        _current.reset(token)

    [line] = [
        r
        for r in everything_logged.records
        if r.name == "dashboard.connect" and r.levelname == "INFO"
    ]
    message = line.getMessage()
    assert message.startswith(f"connect GET {API}/o/{ORG}/connectors -> 200 in ")
    assert "ms" in message
    assert "request id req-1234" in message
    assert server.received[0].headers["X-Request-ID"] == "req-1234"


def test_the_query_string_is_not_in_our_log_line(server, client, everything_logged):
    server.default = respond(200, connector_page())

    client.connectors.list(name="some-filter-value")

    ours = [r.getMessage() for r in everything_logged.records if r.name == "dashboard.connect"]
    assert ours and not any("some-filter-value" in line for line in ours)


def test_the_token_and_a_secret_in_the_body_are_never_logged(server, client, everything_logged):
    server.then(respond(503), respond(500, {"code": "boom", "message": "Failed."}))

    with pytest.raises(ServerError):
        client.credentials.update(
            CredentialUpdate(
                id="01JQ0CRED00000000000000001",
                name="Stripe key",
                type="string",
                data=CredentialDataString(value=SECRET),
            )
        )

    # The server did receive both (so the test would notice if they stopped being sent)...
    assert f"Bearer {TOKEN}" == server.received[0].headers["Authorization"]
    assert SECRET.encode() in server.received[0].body
    # ...and nothing logged, at any level, from httpx, httpcore or us, contains either.
    text = _all_text(everything_logged)
    assert any(r.name.startswith("httpcore") for r in everything_logged.records)
    assert TOKEN not in text
    assert SECRET not in text


def test_retries_are_logged_as_warnings(server, client, everything_logged):
    server.then(respond(502), respond(200, connector_page()))

    client.connectors.list()

    warnings = [r.getMessage() for r in everything_logged.records if r.levelname == "WARNING"]
    assert any(f"connect GET {API}/o/{ORG}/connectors" in w and "retrying" in w for w in warnings)
    statuses = [
        r.getMessage().split(" -> ")[1].split()[0]
        for r in everything_logged.records
        if r.name == "dashboard.connect" and r.levelname == "INFO"
    ]
    assert statuses == ["502", "200"]


def test_a_malformed_body_is_logged_by_location_not_by_value(server, client, everything_logged):
    server.default = respond(200, {"totalCount": 1, "connectors": [{"name": SECRET}]})

    with pytest.raises(Exception, match="could not understand"):
        client.connectors.list()

    text = _all_text(everything_logged)
    assert "connectors.0" in text or "0.other" in text
    assert SECRET not in text


def test_a_call_outside_a_request_still_gets_its_own_request_id(server, client):
    server.default = respond(200, connector_page())

    client.connectors.list()
    client.connectors.list()

    first, second = (r.headers["X-Request-ID"] for r in server.received)
    assert first != second and len(first) == 32


def test_the_get_connector_path_is_logged_with_its_id(server, client, everything_logged):
    server.default = respond(404, {"code": "not_found", "message": "Missing."})

    with pytest.raises(Exception, match="Missing"):
        client.connectors.get(CONNECTOR_ID)

    assert any(
        f"connect GET {API}/o/{ORG}/connectors/{CONNECTOR_ID} -> 404" in r.getMessage()
        for r in everything_logged.records
    )
