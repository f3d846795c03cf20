"""`make run`'s server: gunicorn with the production settings, answering as documented."""

import json
import socket
import time

import httpx
import pytest

from . import servers
from .servers import ORGANISATION

pytestmark = pytest.mark.serving


@pytest.fixture(scope="module")
def server(sqlite_env, tmp_path_factory, next_port):
    port = next_port()
    # As `make run` does: seed (again) with the PORT it serves, then serve.
    servers.manage({**sqlite_env, "PORT": str(port)}, "seed_demo", "--env-file", "/dev/null")
    log = tmp_path_factory.mktemp("server") / "gunicorn.log"
    started = servers.start(port, sqlite_env, log)
    yield started
    started.stop()


def test_health_check_answers_without_a_login(server):
    response = httpx.get(server.url + "/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_no_response_names_the_server_software_version(server):
    for path in ("/healthz", "/login/", "/static/css/patchbay.css", "/no-such-page"):
        banners = httpx.get(server.url + path).headers.get_list("Server")
        assert len(banners) <= 1, (path, banners)  # gunicorn's own, not a second from the app
        assert not any(character.isdigit() for character in "".join(banners)), (path, banners)


def test_pages_link_hashed_static_files_served_compressed_and_cacheable_for_a_year(server):
    login = httpx.get(server.url + "/login/").text
    stylesheet = next(
        part.split('"')[0] for part in login.split('href="')[1:] if "patchbay." in part
    )
    assert stylesheet != "/static/css/patchbay.css", "not a content-hashed name"

    response = httpx.get(server.url + stylesheet, headers={"Accept-Encoding": "gzip"})

    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]


def test_the_connect_api_links_follow_the_port_served(server, sqlite_env):
    api_key = servers.manage(sqlite_env, "create_api_key", "--organisation", ORGANISATION)

    connectors = httpx.get(
        f"{server.url}/api/connect/v1/o/{ORGANISATION}/connectors",
        params={"first": 50},
        headers={"Authorization": f"Bearer {api_key.split()[-1]}"},
    ).json()["connectors"]

    logos = [c["imageURL"] for c in connectors if "/demo/logos/" in c.get("imageURL", "")]
    assert logos
    assert all(logo.startswith(f"http://127.0.0.1:{server.port}/static/") for logo in logos)


def test_sigterm_lets_a_request_in_flight_finish_before_the_server_exits(sqlite_env, start_server):
    server = start_server(sqlite_env)
    api_key = servers.manage(sqlite_env, "create_api_key", "--organisation", ORGANISATION)
    first, rest = servers.create_connector_request(api_key.split()[-1], "Sent during shutdown")
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(first)
        time.sleep(1)  # the request is being read by a worker thread
        server.process.terminate()
        time.sleep(1)
        sock.sendall(rest)
        answer = servers.receive_all(sock)

    assert answer.startswith(b"HTTP/1.1 201"), answer[:300]
    assert b"Sent during shutdown" in answer
    assert server.process.wait(30) == 0
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.url + "/healthz")


def test_json_logs_carry_each_request_id(sqlite_env, start_server):
    server = start_server(sqlite_env, LOG_FORMAT="json", LOG_LEVEL="INFO")

    httpx.get(server.url + "/healthz", headers={"X-Request-ID": "trace-me-42"})
    server.stop()

    records = [json.loads(line) for line in server.output().splitlines() if line.strip()]
    assert {"time", "level", "logger", "request_id", "message"} <= set(records[0])
    answered = [r for r in records if r["logger"] == "dashboard.access"]
    assert any(
        r["request_id"] == "trace-me-42" and r["message"].startswith("GET /healthz 200")
        for r in answered
    ), answered
