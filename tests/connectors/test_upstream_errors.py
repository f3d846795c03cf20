"""With the Connect API stopped, failing or talking nonsense, every page shows a readable error
panel, and the server logs one WARNING line (no traceback, no ERROR)."""

import logging

import pytest

from tests.connect.fault_server import hang, raw, respond
from tests.connect.test_response_limits import gzip_bomb
from tests.connectors.conftest import htmx, unused_loopback_url
from tests.html import one, parse, text

pytestmark = pytest.mark.django_db
GZIP = {"Content-Encoding": "gzip"}

CONNECTOR = "01JQ0CONNECTOR000000000001"
PAGES = [
    "/connectors/",
    "/library/",
    f"/connectors/{CONNECTOR}/",
    f"/connectors/{CONNECTOR}/edit/",
    f"/connectors/{CONNECTOR}/tags/",
    f"/connectors/{CONNECTOR}/categories/",
    f"/connectors/{CONNECTOR}/delete/",
    "/connectors/new/",
]


@pytest.fixture(
    params=[
        "stopped",
        "answering 500",
        "answering garbage",
        "answering bad JSON",
        "answering a gzip bomb",
        "answering undecodable gzip",
    ]
)
def broken_api(request, dashboard_api, start_fault_server):
    """The dashboard's Connect API, broken one way or another; yields the message shown."""
    if request.param == "stopped":
        dashboard_api(unused_loopback_url())
        yield "The Connect API could not be reached."
        return
    with start_fault_server() as server:
        if request.param == "answering 500":
            server.default = respond(500, {"code": "internal", "message": "Database exploded."})
            yield "Database exploded."
        elif request.param == "answering garbage":
            server.default = raw(200, b"<html>I am not an API</html>", "text/html")
            yield "The Connect API sent a response Patchbay could not understand."
        elif request.param == "answering a gzip bomb":
            server.default = raw(200, gzip_bomb(100 * 2**20), "application/json", GZIP)
            dashboard_api(server.url + "/api/connect/v1").session.max_response_bytes = 2**20
            yield "The Connect API sent a response Patchbay could not understand."
        elif request.param == "answering undecodable gzip":
            server.default = raw(200, b"not gzip", "application/json", GZIP)
            yield "The Connect API sent a response Patchbay could not understand."
        else:
            server.default = respond(200, {"connectors": "not a list", "totalCount": "many"})
            yield "The Connect API sent a response Patchbay could not understand."


def assert_logged_one_warning_and_no_traceback(caplog) -> None:
    problems = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not problems, [r.getMessage() for r in problems]
    upstream = [r for r in caplog.records if r.name == "dashboard.web.upstream"]
    assert len(upstream) == 1
    assert upstream[0].levelno == logging.WARNING
    assert "from the Connect API (request id " in upstream[0].getMessage()


@pytest.mark.parametrize("path", PAGES)
def test_every_page_shows_a_readable_panel(admin_client, broken_api, caplog, path):
    caplog.set_level(logging.INFO)

    response = admin_client.get(path, headers={"X-Request-ID": "req-broken-1"})

    html = response.content.decode()
    panel = one(parse(html), "section.error-panel")
    assert response.status_code == 502
    assert text(one(panel, ".error-panel__message")) == broken_api
    reference = one(panel, ".error-panel__reference")
    assert text(reference).startswith("Reference: req-broken-1")
    assert text(one(reference, "code")) == "req-broken-1"
    assert "Traceback" not in html  # nowhere in the bytes
    assert_logged_one_warning_and_no_traceback(caplog)


@pytest.mark.parametrize("path", ["/connectors/", "/library/"])
def test_an_htmx_reload_of_results_shows_the_panel_in_the_results(admin_client, broken_api, path):
    response = admin_client.get(path, headers=htmx("connector-results"))

    assert response.status_code == 502
    assert response["HX-Retarget"] == "#connector-results"
    assert response["HX-Reswap"] == "innerHTML"
    top = parse(response).find_all(recursive=False)
    assert [(node.name, node["class"]) for node in top] == [("section", ["error-panel"])]
    assert text(one(top[0], ".error-panel__message")) == broken_api


def test_an_htmx_post_gets_a_sentence_for_the_error_region(admin_client, broken_api, caplog):
    response = admin_client.post(
        f"/connectors/{CONNECTOR}/tags/", {"tags": "team:payments"}, headers=htmx("connector-tags")
    )

    assert response.status_code == 502
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == broken_api
    assert "HX-Retarget" not in response
    assert_logged_one_warning_and_no_traceback(caplog)


def test_an_api_that_does_not_answer_in_time_is_a_504(admin_client, fault_server):
    fault_server.default = hang(5)

    response = admin_client.get("/connectors/")

    assert response.status_code == 504
    panel = one(parse(response), "section.error-panel")
    assert text(one(panel, ".error-panel__message")).startswith(
        "The Connect API did not answer in time."
    )


def test_a_connector_the_api_does_not_know_is_a_404_panel(admin_client, fault_server, caplog):
    fault_server.default = respond(
        404, {"code": "not_found", "message": "The connector does not exist."}
    )

    response = admin_client.get(f"/connectors/{CONNECTOR}/")

    assert response.status_code == 404
    panel = one(parse(response), "section.error-panel")
    assert "Not found" in text(one(panel, ".error-panel__title"))
    assert text(one(panel, ".error-panel__message")) == "The connector does not exist."
    assert_logged_one_warning_and_no_traceback(caplog)


def test_other_exceptions_are_left_to_django(admin_client, monkeypatch):
    from dashboard.connectors import views

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views, "connector_list", broken)

    with pytest.raises(RuntimeError):
        admin_client.get("/connectors/")
