"""A hostile or broken upstream: answers are capped in size after decompression (read as a
stream, inflated a bounded piece at a time), and answers that cannot be decoded or have the
wrong shape count as failures, for the breaker too."""

import contextlib
import gzip
import json
import tracemalloc
import zlib

import pytest

from dashboard.connect import CircuitOpen, MalformedResponse
from dashboard.connect.breaker import CircuitBreaker
from dashboard.connect.retry import RetryPolicy
from tests.connect.conftest import CONNECTOR_ID, connector_body
from tests.connect.fault_server import raw, respond

LIMIT = 1024 * 1024


@pytest.fixture
def capped(make_client):
    client = make_client(retry=RetryPolicy(max_retries=0))
    client.session.max_response_bytes = LIMIT
    return client


def gzip_bomb(inflated: int) -> bytes:
    """A few hundred KB of gzip that inflate to `inflated` bytes of JSON whitespace."""
    compress = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = b" " * (1024 * 1024)
    parts = [compress.compress(b"{")]
    parts += [compress.compress(block) for _ in range(inflated // len(block))]
    parts.append(compress.compress(b"}") + compress.flush())
    return b"".join(parts)


def test_a_compression_bomb_is_refused_at_the_limit_without_inflating_it(server, capped):
    bomb = gzip_bomb(200 * 1024 * 1024)
    assert len(bomb) < 250_000
    server.default = raw(200, bomb, "application/json", {"Content-Encoding": "gzip"})

    tracemalloc.start()
    try:
        with pytest.raises(MalformedResponse):
            capped.connectors.get(CONNECTOR_ID)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 8 * LIMIT  # the 200 MB it would inflate to were never held


def test_a_plain_answer_over_the_limit_is_refused(server, capped):
    server.default = raw(200, b"[" + b" " * (2 * LIMIT) + b"]", "application/json")

    with pytest.raises(MalformedResponse):
        capped.connectors.get(CONNECTOR_ID)


def test_a_compressed_answer_within_the_limit_is_read(server, capped):
    body = gzip.compress(json.dumps(connector_body()).encode())
    server.default = raw(200, body, "application/json", {"Content-Encoding": "gzip"})

    assert capped.connectors.get(CONNECTOR_ID).id == connector_body()["id"]


def test_a_body_that_does_not_inflate_is_a_malformed_response(server, capped):
    server.default = raw(200, b"not gzip at all", "application/json", {"Content-Encoding": "gzip"})

    with pytest.raises(MalformedResponse):
        capped.connectors.get(CONNECTOR_ID)


def test_an_encoding_we_did_not_ask_for_is_a_malformed_response(server, capped):
    server.default = raw(200, b"\x00\x01", "application/json", {"Content-Encoding": "br"})

    with pytest.raises(MalformedResponse):
        capped.connectors.get(CONNECTOR_ID)

    assert server.received[0].headers["Accept-Encoding"] == "gzip, deflate"


@pytest.mark.parametrize(
    "answer",
    [
        respond(200, {"unexpected": "shape"}),
        raw(200, b"<html>maintenance</html>", "text/html"),
        raw(200, b"{", "application/json"),
        raw(200, b"x", "application/json", {"Content-Encoding": "gzip"}),
        respond(302, None, {"Location": "https://login.example.com/"}),
    ],
    ids=["wrong shape", "html", "broken json", "undecodable", "redirect"],
)
def test_answers_that_cannot_be_used_open_the_breaker(server, make_client, answer):
    client = make_client(
        retry=RetryPolicy(max_retries=0), breaker=CircuitBreaker(threshold=3, cooldown=60)
    )
    server.default = answer
    for _ in range(3):
        with pytest.raises(MalformedResponse):
            client.connectors.get(CONNECTOR_ID)

    with pytest.raises(CircuitOpen):
        client.connectors.get(CONNECTOR_ID)
    assert len(server.received) == 3


def test_a_good_answer_after_bad_ones_closes_the_count_again(server, make_client):
    client = make_client(
        retry=RetryPolicy(max_retries=0), breaker=CircuitBreaker(threshold=3, cooldown=60)
    )
    for answer in (
        respond(200, {"bad": 1}),
        respond(200, {"bad": 2}),
        respond(200, connector_body()),
    ):
        server.default = answer
        with contextlib.suppress(MalformedResponse):
            client.connectors.get(CONNECTOR_ID)
    server.default = respond(200, {"bad": 3})

    with pytest.raises(MalformedResponse):  # not CircuitOpen: the count started again
        client.connectors.get(CONNECTOR_ID)
