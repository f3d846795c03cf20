"""Retries: only idempotent calls, only on transport errors and 502/503/504, with backoff that
honours Retry-After and never outlasts the call's deadline."""

import pytest

from dashboard.connect import ServerError, Unreachable
from dashboard.connect.models import HTTPConnectorCreate
from dashboard.connect.retry import RetryPolicy, parse_retry_after
from tests.connect.conftest import CONNECTOR_ID, connector_body, connector_page
from tests.connect.fault_server import close, respond


@pytest.mark.parametrize("status", [502, 503, 504])
def test_a_get_is_retried_after_a_gateway_error_and_then_succeeds(server, client, status):
    server.then(
        respond(status, {"code": "down", "message": "down"}), respond(200, connector_page())
    )

    page = client.connectors.list()

    assert page.items == []
    assert [r.method for r in server.received] == ["GET", "GET"]


def test_every_attempt_of_a_call_carries_the_same_request_id(server, client):
    server.then(respond(503), respond(503), respond(200, connector_page()))

    client.connectors.list()

    ids = {r.headers["X-Request-ID"] for r in server.received}
    assert len(server.received) == 3
    assert len(ids) == 1


def test_a_get_gives_up_after_max_retries(server, client):
    server.default = respond(503, {"code": "unavailable", "message": "Try later."})

    with pytest.raises(ServerError) as raised:
        client.connectors.get(CONNECTOR_ID)

    assert raised.value.status == 503
    assert raised.value.message == "Try later."
    assert len(server.received) == 3  # the first attempt and two retries


def test_a_500_is_not_retried(server, client):
    server.default = respond(500, {"code": "boom", "message": "Internal error."})

    with pytest.raises(ServerError):
        client.connectors.get(CONNECTOR_ID)

    assert len(server.received) == 1


def test_a_404_is_not_retried(server, client):
    server.default = respond(404, {"code": "not_found", "message": "No such connector."})

    with pytest.raises(Exception, match="No such connector"):
        client.connectors.get(CONNECTOR_ID)

    assert len(server.received) == 1


def test_a_post_is_never_retried_after_a_gateway_error(server, client):
    server.default = respond(503, {"code": "unavailable", "message": "Try later."})

    with pytest.raises(ServerError):
        client.connectors.create_http(HTTPConnectorCreate(name="Stripe", base_url="https://x"))

    assert [r.method for r in server.received] == ["POST"]


def test_a_post_is_never_retried_after_the_connection_drops(server, client):
    server.default = close()

    with pytest.raises(Unreachable):
        client.connectors.create_http(HTTPConnectorCreate(name="Stripe", base_url="https://x"))

    assert [r.method for r in server.received] == ["POST"]


def test_a_get_is_retried_after_the_connection_drops(server, client):
    server.then(close(), respond(200, connector_body()))

    connector = client.connectors.get(CONNECTOR_ID)

    assert connector.name == "Stripe"
    assert len(server.received) == 2


def test_a_get_whose_connection_keeps_dropping_raises_unreachable(server, client):
    server.default = close()

    with pytest.raises(Unreachable) as raised:
        client.connectors.get(CONNECTOR_ID)

    assert len(server.received) == 3
    assert raised.value.request_id == server.received[0].headers["X-Request-ID"]


def test_puts_and_deletes_are_retried_as_idempotent(server, client):
    server.then(respond(502), respond(204), respond(503), respond(204))

    client.connectors.update_tags(CONNECTOR_ID, {"team": ["payments"]})
    client.connectors.delete(CONNECTOR_ID)

    assert [r.method for r in server.received] == ["PUT", "PUT", "DELETE", "DELETE"]


def test_a_server_that_is_not_listening_is_unreachable_quickly(make_client, clock):
    # Port 9 (discard) on loopback: nothing listens there in the test environment.
    client = make_client(base_url="http://127.0.0.1:9/api/connect/v1")

    # Refused at once (a connect time-out would be ConnectTimeout), then only the short
    # backoff of the policy (0.05 s at most) between the two retries.
    with pytest.raises(Unreachable):
        client.connectors.list()

    assert len(clock.slept) == 2
    assert all(wait <= 0.05 for wait in clock.slept)


def test_retry_after_in_seconds_is_honoured(server, client, clock):
    server.then(respond(503, headers={"Retry-After": "1"}), respond(200, connector_page()))

    client.connectors.list()

    assert clock.slept == [1.0]
    assert len(server.received) == 2


def test_a_retry_after_longer_than_the_deadline_fails_at_once_instead_of_waiting(
    server, make_client, clock
):
    client = make_client(timeout=2.0)
    server.default = respond(
        503, {"code": "maintenance", "message": "Back in an hour."}, headers={"Retry-After": "3600"}
    )

    with pytest.raises(ServerError, match="Back in an hour"):
        client.connectors.list()

    assert clock.slept == []
    assert len(server.received) == 1


def test_retry_after_is_bounded_by_the_policy():
    policy = RetryPolicy(retry_after_cap=5.0)

    assert policy.delay(0, "3600") == 5.0
    assert policy.delay(0, "2") == 2.0


def test_retry_after_may_be_an_http_date():
    from datetime import UTC, datetime

    now = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)

    assert parse_retry_after("Wed, 01 Jan 2025 12:00:03 GMT", now) == 3.0
    assert parse_retry_after("Wed, 01 Jan 2025 11:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon", now) is None


def test_backoff_grows_exponentially_with_jitter_and_is_capped():
    policy = RetryPolicy(backoff_base=0.2, backoff_cap=1.0)

    delays = {n: [policy.delay(n) for _ in range(200)] for n in range(5)}

    assert all(0.1 <= d <= 0.2 for d in delays[0])
    assert all(0.2 <= d <= 0.4 for d in delays[1])
    assert all(0.5 <= d <= 1.0 for d in delays[4])  # 0.2 * 16 capped at 1.0
    assert len(set(delays[0])) > 100  # jittered, not lock-step


def test_only_idempotent_methods_are_allowed_retries():
    policy = RetryPolicy(max_retries=2)

    assert policy.allows("GET", 0) and policy.allows("PUT", 1) and policy.allows("DELETE", 0)
    assert not policy.allows("GET", 2)
    assert not policy.allows("POST", 0)
