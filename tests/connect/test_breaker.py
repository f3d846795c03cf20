"""The circuit breaker: after N consecutive failures, calls fail at once for a cool-down; then
one trial call decides whether to close it again."""

import pytest

from dashboard.connect import CircuitOpen, ServerError, Unreachable
from dashboard.connect.breaker import CircuitBreaker
from dashboard.connect.retry import RetryPolicy
from tests.connect.conftest import CONNECTOR_ID, connector_body
from tests.connect.fault_server import close, respond


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    """The breaker's time, moved on by the tests: no sleeping, and no busy machine can make
    a cool-down end early."""
    return FakeClock()


@pytest.fixture
def fragile(make_client, clock):
    """A client that opens its breaker after 3 consecutive failures, for 0.3 s, no retries."""
    return make_client(
        retry=RetryPolicy(max_retries=0),
        breaker=CircuitBreaker(threshold=3, cooldown=0.3, clock=clock),
    )


def test_the_breaker_opens_after_consecutive_failures_and_then_answers_without_a_request(
    server, fragile
):
    server.default = respond(500, {"code": "boom", "message": "Internal error."})
    for _ in range(3):
        with pytest.raises(ServerError):
            fragile.connectors.get(CONNECTOR_ID)
    sent = len(server.received)

    with pytest.raises(CircuitOpen) as raised:
        fragile.connectors.get(CONNECTOR_ID)

    assert len(server.received) == sent == 3
    assert 0 < raised.value.retry_in <= 0.3


def test_transport_failures_count_towards_opening_the_breaker(server, fragile):
    server.default = close()
    for _ in range(3):
        with pytest.raises(Unreachable):
            fragile.connectors.get(CONNECTOR_ID)

    with pytest.raises(CircuitOpen):
        fragile.connectors.get(CONNECTOR_ID)


def test_client_errors_do_not_open_the_breaker(server, fragile):
    server.default = respond(404, {"code": "not_found", "message": "Missing."})
    for _ in range(5):
        with pytest.raises(Exception, match="Missing"):
            fragile.connectors.get(CONNECTOR_ID)

    assert len(server.received) == 5


def test_a_success_resets_the_count_of_consecutive_failures(server, fragile):
    failure = respond(500, {"code": "boom", "message": "Internal error."})
    server.then(failure, failure, respond(200, connector_body()), failure, failure)
    for expected in (ServerError, ServerError, None, ServerError, ServerError):
        if expected:
            with pytest.raises(expected):
                fragile.connectors.get(CONNECTOR_ID)
        else:
            fragile.connectors.get(CONNECTOR_ID)

    # Two failures since the success: still below the threshold of three.
    server.default = respond(200, connector_body())
    assert fragile.connectors.get(CONNECTOR_ID).name == "Stripe"


def test_after_the_cool_down_a_successful_trial_closes_the_breaker(server, fragile, clock):
    server.then(*[respond(503)] * 3)
    server.default = respond(200, connector_body())
    for _ in range(3):
        with pytest.raises(ServerError):
            fragile.connectors.get(CONNECTOR_ID)
    with pytest.raises(CircuitOpen):
        fragile.connectors.get(CONNECTOR_ID)

    clock.now += 0.35

    assert fragile.connectors.get(CONNECTOR_ID).name == "Stripe"
    assert fragile.connectors.get(CONNECTOR_ID).name == "Stripe"
    assert not fragile.session.breaker.is_open


def test_after_the_cool_down_a_failed_trial_opens_the_breaker_again(server, fragile, clock):
    server.default = respond(503)
    for _ in range(3):
        with pytest.raises(ServerError):
            fragile.connectors.get(CONNECTOR_ID)
    clock.now += 0.35

    with pytest.raises(ServerError):
        fragile.connectors.get(CONNECTOR_ID)  # the trial
    with pytest.raises(CircuitOpen):
        fragile.connectors.get(CONNECTOR_ID)

    assert len(server.received) == 4


def test_an_open_breaker_stops_the_retries_of_a_call_in_progress(server, make_client):
    client = make_client(
        retry=RetryPolicy(max_retries=5, backoff_base=0.01, backoff_cap=0.01),
        breaker=CircuitBreaker(threshold=2, cooldown=60),
    )
    server.default = respond(503)

    with pytest.raises(CircuitOpen):
        client.connectors.get(CONNECTOR_ID)

    assert len(server.received) == 2


def test_while_half_open_only_one_trial_is_let_through():
    clock = FakeClock()
    breaker = CircuitBreaker(threshold=1, cooldown=10, clock=clock)
    breaker.record_failure()
    clock.now = 11

    breaker.check()  # the trial
    with pytest.raises(CircuitOpen):
        breaker.check()  # everyone else, until the trial reports
    breaker.record_success()
    breaker.check()


def test_a_threshold_of_zero_disables_the_breaker():
    breaker = CircuitBreaker(threshold=0, cooldown=10)
    for _ in range(100):
        breaker.record_failure()

    breaker.check()
