"""Every call has a total deadline: a silent server, a slowly dripping body, or retries that
add up all end in ConnectTimeout within it."""

import pytest

from dashboard.connect import ConnectTimeout, MalformedResponse
from dashboard.connect.models import HTTPConnectorCreate
from tests.connect.conftest import CONNECTOR_ID
from tests.connect.fault_server import drip, hang, respond
from tests.deadline import ends_before


def test_a_server_that_never_answers_times_out_within_the_deadline(server, make_client):
    client = make_client(timeout=0.5)
    server.default = hang(10)

    with ends_before(10, "the server hangs for 10 s"), pytest.raises(ConnectTimeout) as raised:
        client.connectors.get(CONNECTOR_ID)

    assert raised.value.message == "The Connect API did not answer in time."


def test_retries_never_stretch_a_call_beyond_its_deadline(server, make_client):
    # Each attempt fails with a retryable 503 after 0.5 s, within the read time-out; three of
    # them would take 1.5 s, but the 0.6 s deadline ends the call during the second.
    client = make_client(timeout=0.6)
    server.default = hang(0.5, then=respond(503))

    with ends_before(1.5, "three attempts take 1.5 s"), pytest.raises(ConnectTimeout):
        client.connectors.get(CONNECTOR_ID)

    assert len(server.received) == 2


def test_a_body_that_drips_slowly_times_out_within_the_deadline(server, make_client):
    # Each byte arrives well within a read timeout, but the whole body takes 5 s.
    client = make_client(timeout=0.5)
    server.default = drip(5)

    with ends_before(5, "the body takes 5 s"), pytest.raises(ConnectTimeout):
        client.connectors.get(CONNECTOR_ID)


def test_a_post_that_times_out_is_not_sent_again(server, make_client):
    client = make_client(timeout=0.3)
    server.default = hang(5)

    with pytest.raises(ConnectTimeout):
        client.connectors.create_http(HTTPConnectorCreate(name="Stripe", base_url="https://x"))

    assert [r.method for r in server.received] == ["POST"]


def test_a_long_call_may_be_given_its_own_deadline(server, make_client):
    client = make_client(timeout=0.2)
    server.default = hang(0.5)

    # The import methods take `timeout` for large documents; the default would have expired.
    # The server's late `{}` arrives, and is then rejected as not an import result.
    with pytest.raises(MalformedResponse):
        client.imports.create(b"openapi: 3.0.0", "spec.yaml", timeout=2.0)
