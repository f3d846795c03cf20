"""Two Patchbay instances (gunicorn processes on two loopback ports) sharing one PostgreSQL
database and one Redis, as a load balancer would spread one team's requests over them.

Needs PostgreSQL and Redis (SERVING_DATABASE_URL, SERVING_CACHE_URL; see conftest.py).
"""

import json
import os
import signal
import socket
import time
import uuid
from pathlib import Path

import httpx
import psycopg
import pytest

from . import servers
from .conftest import SERVING_DATABASE_URL
from .servers import ORGANISATION

pytestmark = [pytest.mark.serving, pytest.mark.multi_instance, pytest.mark.serving_postgres]

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Uploaded On A", "version": "1.0.0"},
    "servers": [{"url": "https://api.uploaded.example.com"}],
    "paths": {
        "/items": {"get": {"operationId": "listItems", "responses": {"200": {"description": "OK"}}}}
    },
}


@pytest.fixture(scope="module")
def instances(postgres_env, next_port):
    env, work = postgres_env
    a = servers.start(next_port(), env, work / "a.log")
    b = servers.start(next_port(), env, work / "b.log")
    yield a, b
    a.stop()
    b.stop()


def audited(request_id: str) -> list[tuple[str, str]]:
    return servers.audited(SERVING_DATABASE_URL, request_id)


def traced() -> dict:
    """A request id header, so the request's audit entries can be found."""
    return {"X-Request-ID": uuid.uuid4().hex}


def on(server, browser: httpx.Client) -> httpx.Client:
    """The same browser (its cookies) sent to another instance."""
    return httpx.Client(base_url=server.url, cookies=browser.cookies, timeout=30)


def test_a_session_started_on_a_works_on_b_and_logging_out_on_b_ends_it_on_a(instances):
    a, b = instances
    browser_a = servers.log_in(a.url, "ops", "ops-serving-password")
    browser_b = on(b, browser_a)

    assert browser_b.get("/").status_code == 200
    home = browser_b.get("/").text
    browser_b.post("/logout/", data=servers.form_fields(home, "/logout/"))

    assert browser_a.get("/").headers["Location"].startswith("/login/")


def test_a_document_uploaded_and_previewed_on_a_is_imported_on_b(instances):
    a, b = instances
    browser_a = servers.log_in(a.url, "ops", "ops-serving-password")
    upload_page = browser_a.get("/connectors/new/import/").text
    preview = browser_a.post(
        "/connectors/new/import/",
        data=servers.form_fields(upload_page, "/connectors/new/import/"),
        files={"file": ("uploaded.json", json.dumps(SPEC).encode(), "application/json")},
    )
    assert preview.status_code == 200, preview.text[:2000]
    assert "Uploaded On A" in preview.text

    # The preview's Import button posts its form (the kept upload's token) to the create URL.
    import_form = servers.form_fields(preview.text, "/connectors/new/import/")
    headers = traced()
    imported = on(b, browser_a).post(
        "/connectors/new/import/create/", data=import_form, headers=headers
    )

    assert imported.status_code == 302, imported.text[:2000]
    result = on(b, browser_a).get(imported.headers["Location"])
    assert "Uploaded On A" in result.text
    assert audited(headers["X-Request-ID"]) == [("import_http_connector", "ok")]


def test_failed_logins_on_a_and_b_add_up_to_one_lockout(instances):
    a, b = instances
    for server in (a, a, a, b, b):  # LOGIN_FAILURE_LIMIT is 5
        browser = httpx.Client(base_url=server.url)
        browser.post("/login/", data=servers.login_form(browser, "viewer", "wrong password"))

    browser = httpx.Client(base_url=a.url)
    right = browser.post(
        "/login/", data=servers.login_form(browser, "viewer", "demo-serving-password")
    )

    assert right.status_code != 302
    assert "Too many failed logins" in right.text


def test_the_second_of_two_edits_through_a_and_b_is_refused_as_stale(instances):
    a, b = instances
    connector = first_http_connector()
    edit = f"/connectors/{connector}/edit/"
    first = servers.log_in(a.url, "ops", "ops-serving-password")
    second = servers.log_in(b.url, "admin", "demo-serving-password")
    first_form = servers.form_fields(first.get(edit).text, edit)
    second_form = servers.form_fields(second.get(edit).text, edit)

    saved = first.post(edit, data={**first_form, "name": "Renamed on A"}, headers=traced())
    headers = traced()
    refused = second.post(edit, data={**second_form, "name": "Renamed on B"}, headers=headers)

    assert saved.status_code == 302
    assert refused.status_code in (409, 412, 422), refused.status_code
    assert "Renamed on A" in refused.text  # what the other person saved
    assert [action for action, _ in audited(headers["X-Request-ID"])] == ["update_connector"]
    detail = first.get(f"/connectors/{connector}/").text
    assert "Renamed on A" in detail
    assert "Renamed on B" not in detail


def test_every_mutation_is_audited_exactly_once(instances):
    a, b = instances
    connector = first_http_connector()
    tags = f"/connectors/{connector}/tags/"
    requests = []
    for index, server in enumerate((a, b, a, b)):
        browser = servers.log_in(server.url, "ops", "ops-serving-password")
        form = servers.form_fields(browser.get(tags).text, tags)
        headers = traced()
        response = browser.post(tags, data={**form, "tags": f"round:r{index}"}, headers=headers)
        assert response.status_code == 302, response.text[:1000]
        requests.append(headers["X-Request-ID"])

    assert [len(audited(request_id)) for request_id in requests] == [1, 1, 1, 1]


def test_an_instance_killed_mid_request_leaves_the_other_serving_and_nothing_half_written(
    postgres_env, instances, next_port
):
    env, work = postgres_env
    _, b = instances
    doomed = servers.start(next_port(), env, work / "doomed.log")
    api_key = servers.manage(env, "create_api_key", "--organisation", ORGANISATION).split()[-1]
    first, _ = servers.create_connector_request(api_key, "Half sent")
    with socket.create_connection(("127.0.0.1", doomed.port), timeout=30) as sock:
        sock.sendall(first)
        time.sleep(1)
        kill_all(doomed)
        assert servers.receive_all(sock) == b""

    assert httpx.get(b.url + "/healthz").status_code == 200
    listed = httpx.get(
        f"{b.url}/api/connect/v1/o/{ORGANISATION}/connectors",
        params={"name": "Half sent"},
        headers={"Authorization": f"Bearer {api_key}"},
    )
    assert listed.status_code == 200
    assert listed.json()["connectors"] == []
    browser = servers.log_in(b.url, "ops", "ops-serving-password")
    assert browser.get("/").status_code == 200


def kill_all(server) -> None:
    """SIGKILL the gunicorn master and its workers: nothing gets to clean up."""
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children")
    workers = [int(pid) for pid in children.read_text().split()]
    for pid in [server.process.pid, *workers]:
        os.kill(pid, signal.SIGKILL)
    server.process.wait(10)


def first_http_connector() -> str:
    with psycopg.connect(SERVING_DATABASE_URL) as connection:
        (connector,) = connection.execute(
            "SELECT id FROM embedded_api_connector WHERE organisation_id = %s "
            "AND protocol = 'http' ORDER BY name LIMIT 1",
            [ORGANISATION],
        ).fetchone()
    return connector


def test_a_credential_rotated_on_b_while_its_connection_is_edited_on_a_loses_nothing(
    instances,
):
    a, b = instances
    connector, connection, credential = connection_with_string_credential()
    edit = f"/connectors/{connector}/connections/{connection}/edit/"
    rotate = f"/credentials/{credential}/rotate/"
    editor = servers.log_in(a.url, "ops", "ops-serving-password")
    rotator = servers.log_in(b.url, "admin", "demo-serving-password")
    edit_form = servers.form_fields(editor.get(edit).text, edit)
    rotation = servers.form_fields(rotator.get(rotate).text, rotate)
    secret = {name: "rotated-secret-42" for name in rotation if name.startswith("data-")}

    rotated = rotator.post(
        rotate, data={**rotation, **secret, "name": "Rotated on B", "confirm": "on"}
    )
    edited = editor.post(edit, data={**edit_form, "name": "Edited on A"}, headers=traced())

    assert rotated.status_code == 302, rotated.text[:2000]
    # The edit is saved (it changes the connection, not the secret) or refused as stale with
    # the current state shown; either way the rotation stands.
    assert edited.status_code in (302, 409, 412, 422), edited.status_code
    with psycopg.connect(SERVING_DATABASE_URL) as db:
        (name,) = db.execute(
            "SELECT name FROM embedded_api_credential WHERE id = %s", [credential]
        ).fetchone()
        (linked,) = db.execute(
            "SELECT count(*) FROM embedded_api_connectioncredential "
            "WHERE connection_id = %s AND credential_id = %s",
            [connection, credential],
        ).fetchone()
    assert name == "Rotated on B"
    assert linked == 1


def connection_with_string_credential() -> tuple[str, str, str]:
    with psycopg.connect(SERVING_DATABASE_URL) as db:
        return db.execute(
            "SELECT c.connector_id, c.id, k.id FROM embedded_api_connection c "
            "JOIN embedded_api_connectioncredential l ON l.connection_id = c.id "
            "JOIN embedded_api_credential k ON k.id = l.credential_id "
            "WHERE k.type = 'string' AND c.connector_id IN "
            "(SELECT id FROM embedded_api_connector WHERE organisation_id = %s) "
            "ORDER BY c.id LIMIT 1",
            [ORGANISATION],
        ).fetchone()


def test_an_environment_added_on_a_is_offered_at_once_on_b_and_gone_once_removed(instances):
    # Each process keeps the environments list until the shared cache says it changed.
    a, b = instances
    on_a = servers.log_in(a.url, "ops", "ops-serving-password")
    on_b = on(b, on_a)
    switch = 'href="/environments/switch/qa-shared/'
    assert all(switch not in on_b.get("/connectors/").text for _ in range(4))  # both processes
    new = "/environments/new/"
    fields = servers.form_fields(on_a.get(new).text, new) | {
        "slug": "qa-shared",
        "name": "QA shared",
        "colour": "green",
        "base_url": "",
        "organisation_id": "01JQ0PATCHBAYQA0RGAN1SAT00",
        "api_key": "",
    }

    assert on_a.post(new, data=fields).status_code == 302
    assert all(switch in on_b.get("/connectors/").text for _ in range(4))
    assert on_b.get("/env/qa-shared/connectors/").status_code == 200

    remove = "/environments/qa-shared/delete/"
    form = servers.form_fields(on_a.get("/environments/qa-shared/edit/").text, remove)
    confirmation = on_a.post(remove, data=form)  # asks first
    confirmed = servers.form_fields(confirmation.text, remove)
    assert on_a.post(remove, data={**confirmed, "confirm": "yes"}).status_code == 302
    assert all(switch not in on_b.get("/connectors/").text for _ in range(4))
    assert on_b.get("/env/qa-shared/connectors/").status_code == 404
