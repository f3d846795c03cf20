"""`/healthz`: database and Connect API status, for monitors, without logging in."""

import socket

import pytest

from dashboard.connect import ConnectClient
from dashboard.connect.breaker import CircuitBreaker
from dashboard.connect.retry import RetryPolicy
from tests.accounts.conftest import make_user  # noqa: F401 (a fixture)
from tests.connect.fault_server import FaultServer, raw, respond

ORG = "01JQ0PATCHBAY0DEM0RGAN1SAT"


@pytest.fixture
def remote_client(monkeypatch):
    """Point /healthz at a remote Connect API at `url`, retrying briefly."""
    made = []

    def point_at(url: str) -> ConnectClient:
        client = ConnectClient(
            base_url=url,
            token="health-check-token",
            organisation_id=ORG,
            timeout=2.0,
            connect_timeout=1.0,
            retry=RetryPolicy(max_retries=1, backoff_base=0.01, backoff_cap=0.02),
            breaker=CircuitBreaker(threshold=100, cooldown=60),
            backend_label=url,
        )
        made.append(client)
        monkeypatch.setattr("dashboard.health.get_client", lambda: client)
        return client

    yield point_at
    for client in made:
        client.close()


def unused_loopback_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/connect/v1"


TOKEN = "monitor-token-0123456789"
DETAILS = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}
LIST_BODY = {"totalCount": 0, "connectors": [], "next": "", "prev": ""}


@pytest.fixture(autouse=True)
def health_token(settings):
    settings.HEALTHZ_TOKEN = TOKEN


@pytest.mark.django_db
def test_it_reports_the_database_and_the_embedded_api_without_a_login(client):
    response = client.get("/healthz", **DETAILS)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["connectApi"]["status"] == "ok"
    assert body["checks"]["connectApi"]["backend"] == "embedded"
    assert body["checks"]["connectApi"]["latencyMs"] >= 0
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_it_reports_a_remote_api_that_answers_with_its_latency(client, remote_client):
    with FaultServer() as server:
        server.default = respond(200, LIST_BODY)
        remote_client(server.url + "/api/connect/v1")

        body = client.get("/healthz", **DETAILS).json()

        assert server.received[0].path.startswith(f"/api/connect/v1/o/{ORG}/connectors")
        assert server.received[0].headers["Authorization"] == "Bearer health-check-token"
    assert body["checks"]["connectApi"] == {
        "status": "ok",
        "latencyMs": body["checks"]["connectApi"]["latencyMs"],
        "backend": server.url + "/api/connect/v1",
    }


@pytest.mark.django_db
def test_an_unreachable_api_makes_it_unhealthy_with_the_database_still_ok(client, remote_client):
    remote_client(unused_loopback_url())

    response = client.get("/healthz", **DETAILS)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["connectApi"]["status"] == "error"
    assert body["checks"]["connectApi"]["detail"] == "The Connect API could not be reached."


@pytest.mark.django_db
def test_an_api_error_is_reported_with_the_api_message(client, remote_client):
    with FaultServer() as server:
        server.default = respond(401, {"code": "unauthorised", "message": "Unknown API key."})
        remote_client(server.url + "/api/connect/v1")

        response = client.get("/healthz", **DETAILS)

    assert response.status_code == 503
    assert response.json()["checks"]["connectApi"]["detail"] == "Unknown API key."
    assert "health-check-token" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "answer",
    [
        respond(200, {"unexpected": "shape"}),
        respond(200, {"totalCount": 0, "protocols": [], "next": "", "prev": ""}),
        respond(302, None, {"Location": "https://login.example.com/"}),
        raw(200, b"<html>maintenance</html>", "text/html"),
        respond(200, None),
    ],
    ids=["wrong shape", "another operation's shape", "redirect", "html", "empty"],
)
def test_an_api_that_answers_without_the_contracts_shape_is_unhealthy(
    client, remote_client, answer
):
    with FaultServer() as server:
        server.default = answer
        remote_client(server.url + "/api/connect/v1")

        response = client.get("/healthz", **DETAILS)

    assert response.status_code == 503
    assert response.json()["checks"]["connectApi"]["status"] == "error"


@pytest.mark.django_db
def test_anyone_else_learns_only_ok_or_error_per_check(client, remote_client):
    with FaultServer() as server:
        server.default = respond(500, {"code": "internal", "message": "db at 10.1.2.3 down"})
        remote_client(server.url + "/api/connect/v1")

        anonymous = client.get("/healthz")
        wrong_token = client.get("/healthz", HTTP_AUTHORIZATION="Bearer nope")

    for response in (anonymous, wrong_token):
        assert response.status_code == 503
        assert response.json() == {
            "status": "error",
            "checks": {"database": {"status": "ok"}, "connectApi": {"status": "error"}},
        }
        assert server.url not in response.content.decode()


@pytest.mark.django_db
def test_a_signed_in_admin_sees_the_details_and_other_roles_do_not(
    client,
    remote_client,
    make_user,  # noqa: F811 (the fixture imported above)
):
    with FaultServer() as server:
        server.default = respond(200, LIST_BODY)
        remote_client(server.url + "/api/connect/v1")
        seen = {}
        for role in ("viewer", "admin"):
            client.force_login(make_user(role))
            seen[role] = client.get("/healthz").json()["checks"]["connectApi"]

    assert seen["viewer"] == {"status": "ok"}
    assert seen["admin"]["backend"] == server.url + "/api/connect/v1"
    assert seen["admin"]["latencyMs"] >= 0


@pytest.mark.django_db
def test_without_a_configured_token_no_bearer_token_shows_the_details(client, settings):
    settings.HEALTHZ_TOKEN = ""

    body = client.get("/healthz", HTTP_AUTHORIZATION="Bearer ").json()

    assert body["checks"]["database"] == {"status": "ok"}
