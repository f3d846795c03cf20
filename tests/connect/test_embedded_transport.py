"""Embedded mode: the process-wide client talks to the embedded API in process: on the calling
thread outside a transaction, on a worker thread of its own (honouring deadlines) inside one,
leaving the caller's database connection and transaction alone either way."""

import threading
import time

import httpx
import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.urls import get_script_prefix, set_script_prefix

from dashboard.connect import ConnectTimeout
from dashboard.connect import client as client_module
from dashboard.connect.client import build_client, get_client
from dashboard.connect.embedded import EMBEDDED_BASE_URL, InProcessTransport
from dashboard.connect.models import HTTPConnectorCreate
from dashboard.request_id import _current
from tests.deadline import ends_before

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def embedded(settings):
    settings.CONNECT_API_URL = ""
    client = build_client()
    yield client
    client.close()


def test_without_a_remote_url_the_client_is_embedded_and_checks_preconditions_server_side(
    embedded,
):
    assert embedded.backend_label == "embedded"
    assert embedded.server_checks_preconditions


def test_the_embedded_client_creates_and_lists_connectors(embedded):
    created = embedded.connectors.create_http(
        HTTPConnectorCreate(name="In process", base_url="https://x.example.com")
    )

    page = embedded.connectors.list()

    assert [c.id for c in page] == [created.id]
    assert created.organisation_id == embedded.organisation_id


def test_the_embedded_api_answers_when_plain_http_is_redirected_to_https(settings):
    settings.CONNECT_API_URL = ""
    settings.SECURE_SSL_REDIRECT = True  # read when the in-process API's handler is built
    client = build_client()
    try:
        categories = client.categories.list()
    finally:
        client.close()

    assert "CRM" in categories


def test_the_request_id_reaches_the_embedded_api(embedded):
    token = _current.set("outer-request-42")
    try:
        response = embedded.session.request("GET", f"o/{embedded.organisation_id}/protocols")
    finally:
        _current.reset(token)

    assert response.headers["X-Request-ID"] == "outer-request-42"


def test_an_in_process_call_skips_the_site_middleware_but_not_the_api_s_key_check(embedded):
    path = f"o/{embedded.organisation_id}/protocols"
    answered = embedded.session.request("GET", path)
    transport = InProcessTransport()
    try:
        with httpx.Client(transport=transport, base_url=EMBEDDED_BASE_URL + "/") as stranger:
            refused = stranger.get(path, headers={"Authorization": "Bearer pbs_forged"})
    finally:
        transport.close()

    assert answered.status_code == 200
    # The site's middleware (CSP, sessions, clickjacking...) ran in the outer request only.
    assert not {"content-security-policy", "x-frame-options", "set-cookie"} & set(answered.headers)
    assert refused.status_code == 401


def test_outside_a_transaction_a_call_runs_on_the_calling_thread_and_its_connection(
    embedded, monkeypatch
):
    from dashboard.embedded_api.connectors.filters import ConnectorFilter

    threads = []
    parse = ConnectorFilter.from_request  # called by ListConnectors

    def watched(request):
        threads.append(threading.current_thread())
        assert get_script_prefix() == "/"  # the API's own, not the outer request's
        return parse(request)

    User.objects.create(username="outer")
    outer_connection = connection.connection
    monkeypatch.setattr(ConnectorFilter, "from_request", watched)

    set_script_prefix("/env/staging/")  # as an environment's page sets it
    try:
        created = embedded.connectors.create_http(
            HTTPConnectorCreate(name="Inner", base_url="https://x.example.com")
        )
        page = embedded.connectors.list()
        assert get_script_prefix() == "/env/staging/"  # the outer request's, set back
    finally:
        set_script_prefix("/")

    assert threads == [threading.current_thread()]
    assert [c.id for c in page] == [created.id]
    # Django's end-of-request clean-up did not run for the inner calls: the connection stays.
    assert connection.connection is outer_connection
    assert User.objects.filter(username="outer").exists()


def test_an_inner_call_leaves_the_outer_transaction_and_connection_alone(embedded):
    # (The outer transaction writes only after the inner call: SQLite allows one writer at a
    # time, so a view must not hold a write transaction open across a mutating call.)
    with transaction.atomic():
        outer_connection = connection.connection
        assert not User.objects.filter(username="outer").exists()

        embedded.connectors.create_http(
            HTTPConnectorCreate(name="Inner", base_url="https://x.example.com")
        )

        assert connection.in_atomic_block
        assert connection.connection is outer_connection  # not closed by the inner request
        User.objects.create(username="outer")

    assert User.objects.filter(username="outer").exists()
    assert [c.name for c in embedded.connectors.list()] == ["Inner"]


def test_a_slow_embedded_api_times_out_within_the_deadline(settings):
    settings.CONNECT_API_TIMEOUT = 0.3
    settings.CONNECT_API_URL = ""
    client = build_client()

    def slow_app(environ, start_response):
        time.sleep(3)
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b"{}"]

    # Inside a transaction, so on a worker thread (on the calling thread there is nothing to
    # abandon: the call is the request's own work, bounded like the rest of it).
    client.session._http._transport._wsgi = httpx.WSGITransport(app=slow_app)
    try:
        with (
            ends_before(3, "the API answers after 3 s"),
            pytest.raises(ConnectTimeout),
            transaction.atomic(),
        ):
            client.categories.list()
    finally:
        client.close()


def test_the_process_wide_client_is_built_once(monkeypatch, settings):
    settings.CONNECT_API_URL = ""
    monkeypatch.setattr(client_module, "_client", None)
    registered = []
    monkeypatch.setattr(client_module.atexit, "register", registered.append)

    first, second = get_client(), get_client()

    assert first is second
    assert registered == [first.close]  # closed when the process exits
    first.close()
