"""Input no database can store, bodies over the size limit and a busy database answer the
contract's error format in every area, never a 500 (the `api` fixture checks each answer
against the contract)."""

import json
import sqlite3

import pytest
from django.db import connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper
from ulid import ULID

from dashboard.embedded_api.auth import service_token
from dashboard.embedded_api.http import api_view
from tests.embedded_api.connector_bodies import create_http
from tests.embedded_api.versions_support import make_connector, make_version, versions_path

UNSTORABLE = "must not contain NUL characters or unpaired surrogates"
# JSON carries a lone surrogate as an escape; as raw text no client could even encode it.
SURROGATE = "\\ud800"


@pytest.fixture
def connector(api):
    return make_connector(api.org)


def _bodies(api, connector) -> list[tuple[str, str, str]]:
    """(path, JSON body with a lone surrogate, field the 400 names) in each area."""
    o = api.o
    return [
        (
            f"{o}/protocols/http/connectors",
            f'{{"name": "a{SURROGATE}", "baseUrl": "https://x"}}',
            "name",
        ),
        (
            f"{o}/protocols/http/connectors",
            f'{{"name": "a", "tags": {{"k": ["ok", "{SURROGATE}"]}}}}',
            "tags.k[1]",
        ),
        (
            versions_path(api, connector),
            f'{{"name": "1", "description": "{SURROGATE}"}}',
            "description",
        ),
        (
            f"{o}/connectors/{connector.pk}/connections",
            f'{{"name": "{SURROGATE}", "credentials": []}}',
            "name",
        ),
        (
            f"{o}/credentials",
            f'{{"name": "k", "type": "string", "data": {{"value": "{SURROGATE}"}}}}',
            "data.value",
        ),
        # An object key cannot be echoed: the object holding it is named.
        (
            f"{o}/credentials",
            f'{{"name": "k", "type": "string", "data": {{"{SURROGATE}": 1}}}}',
            "data",
        ),
    ]


def test_a_lone_surrogate_anywhere_in_a_body_is_a_400_naming_where(api, connector):
    for path, body, field in _bodies(api, connector):
        response = api.post(path, content=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 400, (path, body, response.text)
        assert response.json()["fields"] == [{"field": field, "message": UNSTORABLE}], body


def test_a_nul_character_in_a_body_is_a_400_in_every_area(api, connector):
    for path, body, field in _bodies(api, connector):
        response = api.post(path, content=body.replace(SURROGATE, "\\u0000"))
        assert response.status_code == 400, (path, body, response.text)
        assert response.json()["fields"] == [{"field": field, "message": UNSTORABLE}], body


@pytest.mark.parametrize(
    "query",
    ["name=%00", "first=1%002", "sort=name&sort=%00", "unknown%00=1"],
)
def test_nul_in_a_query_string_is_a_400_in_every_area(api, connector, query):
    for path in (
        versions_path(api, connector),
        f"{api.o}/connectors/{connector.pk}/connections",
        f"{api.o}/credentials",
    ):
        response = api.get(f"{path}?{query}")
        assert response.status_code == 400, (path, query, response.text)
        assert response.json()["fields"][0]["message"] == UNSTORABLE


def test_invalid_utf8_in_a_query_string_is_read_as_replacement_characters(api):
    create_http(api, name="Shop")
    response = api.get(f"{api.o}/connectors?name=%ED%A0%80")
    assert response.status_code == 200
    assert response.json()["connectors"] == []


def test_nul_in_a_path_parameter_is_a_400_naming_the_parameter(api, connector):
    make_version(api, connector, "1")
    for path, parameter in (
        (f"{versions_path(api, connector)}/1%00", "version"),
        (f"{versions_path(api, connector)}/1/definitions/a%00b", "definition_name"),
        (f"{api.o}/credentials/%00", "credential_id"),
    ):
        response = api.delete(path)
        assert response.status_code == 400, path
        assert response.json()["fields"] == [{"field": parameter, "message": UNSTORABLE}]


def test_a_path_with_a_newline_is_still_answered_in_json(api, connector):
    response = api.get(f"{api.o}/schemas/{connector.pk}/%2F%0A/0")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("organisation", ["01JQ0PATCHBAY0DEM0RGAN1SAT0", "not-a-ulid", "%00"])
def test_an_organisation_id_that_is_no_ulid_is_a_404_in_json(api, organisation):
    # Valid credentials, so only the path's shape can answer: a value the database could not
    # hold (an id over 26 characters) was a 500 on PostgreSQL.
    body = {"name": "x", "baseUrl": "https://x"}
    response = api.post(f"/o/{organisation}/protocols/http/connectors", json=body)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_json_nested_deeper_than_the_parser_allows_is_a_400(api):
    body = "[" * 100_000 + "]" * 100_000
    response = api.post(f"{api.o}/protocols/http/connectors", content=body)
    assert response.status_code == 400
    assert response.json()["message"] == "The request body is not valid JSON."


def test_a_body_over_the_upload_limit_is_a_413(api, connector, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    create_http(api, name="small enough")
    response = api.post(
        f"{api.o}/protocols/http/connectors", json={"name": "x" * 2000, "baseUrl": "https://x"}
    )
    assert response.status_code == 413
    assert response.json() == {
        "code": "payload_too_large",
        "message": "The request body is larger than 1000 bytes.",
    }


def test_a_write_that_finds_the_database_locked_answers_503_with_retry_after(db, tmp_path, rf):
    """A real SQLite lock: another connection holds the file's write lock past the busy
    timeout."""
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    database = DatabaseWrapper(
        {**connection.settings_dict, "NAME": str(path), "OPTIONS": {"timeout": 0.05}}, "locked"
    )

    def write(request):
        with database.cursor() as cursor:
            cursor.execute("INSERT INTO t VALUES (1)")

    def release():
        database.close()
        holder.close()

    assert_answered_busy(rf, write, release)


def test_a_write_that_waits_too_long_for_a_postgresql_lock_answers_503_with_retry_after(db, rf):
    """A real PostgreSQL lock: another session holds a table lock past the writer's
    lock_timeout (SQLSTATE 55P03)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's lock errors (CI runs the suite on PostgreSQL too)")
    holder = connections.create_connection("default")
    writer = connections.create_connection("default")
    holder.set_autocommit(False)
    holder.cursor().execute("LOCK TABLE django_content_type IN ACCESS EXCLUSIVE MODE")

    def write(request):
        with writer.cursor() as cursor:
            cursor.execute("SET lock_timeout = '50ms'")
            cursor.execute("UPDATE django_content_type SET app_label = app_label")

    def release():
        writer.close()
        holder.rollback()
        holder.close()

    assert_answered_busy(rf, write, release)


def assert_answered_busy(rf, write, release) -> None:
    """POSTs to an API view whose handler, `write`, meets a lock; `release` frees it after.
    The answer must be the contract's 503 with a Retry-After."""
    request = rf.post("/", headers={"Authorization": f"Bearer {service_token(str(ULID()))}"})
    try:
        response = api_view(public=True, post=write)(request)
    finally:
        release()
    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert json.loads(response.content)["code"] == "unavailable"
