"""What the client sends: paths (each id percent-encoded), filters, bodies, uploads, cursor
paging and precondition headers."""

import json
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard.connect import PreconditionFailed
from dashboard.connect.models import (
    AuthSchemeConfigAPIKey,
    ConnectorVersion,
    HTTPConnectorUpdate,
)
from tests.connect.conftest import API, CONNECTOR_ID, ORG, connector_body, connector_page
from tests.connect.fault_server import raw, respond


def _query(received) -> dict[str, list[str]]:
    return parse_qs(urlsplit(received.path).query)


def test_list_connectors_sends_every_filter_in_the_contracts_form(server, client):
    server.default = respond(200, connector_page())

    client.connectors.list(
        first=5,
        name="str",
        protocol="http",
        tags=["team:payments", "beta"],
        categories=["CRM", "AI/LLMs"],
        sort="name:asc",
    )

    assert urlsplit(server.received[0].path).path == f"{API}/o/{ORG}/connectors"
    assert _query(server.received[0]) == {
        "first": ["5"],
        "name": ["str"],
        "protocol": ["http"],
        "tags": ["team:payments,beta"],
        "categories": ["CRM", "AI/LLMs"],
        "sort": ["name:asc"],
    }


def test_empty_filters_are_left_out(server, client):
    server.default = respond(200, connector_page())

    client.connectors.list(name="", tags=[], categories=[])

    assert urlsplit(server.received[0].path).query == ""


def test_a_page_knows_its_cursors_and_fetches_neighbours_with_the_same_filters(server, client):
    server.then(
        respond(200, connector_page(connector_body(), next="c2")),
        respond(200, connector_page(connector_body(name="Xero"), prev="c1")),
    )

    first = client.connectors.list(name="x", first=1)
    second = first.next_page()

    assert (first.has_next, first.has_prev, first.total_count) == (True, False, 1)
    assert (second.has_next, second.has_prev) == (False, True)
    assert [c.name for c in second] == ["Xero"]
    assert _query(server.received[1]) == {"name": ["x"], "first": ["1"], "after": ["c2"]}
    with pytest.raises(LookupError):
        second.next_page()


def test_iter_all_walks_every_page(server, client):
    server.then(
        respond(200, connector_page(connector_body(name="A"), next="c2")),
        respond(200, connector_page(connector_body(name="B"), next="c3")),
        respond(200, connector_page(connector_body(name="C"))),
    )

    names = [c.name for c in client.connectors.list().iter_all()]

    assert names == ["A", "B", "C"]


def test_ids_in_paths_are_percent_encoded_so_they_cannot_reach_another_route(server, client):
    server.default = respond(204)

    client.actions.delete(CONNECTOR_ID, "1.0/../../x", "get?user#1")

    assert server.received[0].path == (
        f"{API}/o/{ORG}/connectors/{CONNECTOR_ID}/versions/1.0%2F..%2F..%2Fx/actions/get%3Fuser%231"
    )


def test_force_is_sent_only_when_asked(server, client):
    server.default = respond(204)

    client.connectors.delete(CONNECTOR_ID)
    client.connectors.delete(CONNECTOR_ID, force=True)

    assert [_query(r) for r in server.received] == [{}, {"force": ["true"]}]


def test_an_auth_scheme_config_is_upserted_at_its_own_id_with_the_contracts_body(server, client):
    server.default = respond(200, connector_body())
    config = AuthSchemeConfigAPIKey(id="01JQ0ASC", description="Key", name="X-Key", in_="header")

    client.auth_scheme_configs.upsert(CONNECTOR_ID, config)

    sent = server.received[0]
    assert (sent.method, urlsplit(sent.path).path) == (
        "PUT",
        f"{API}/o/{ORG}/connectors/{CONNECTOR_ID}/auth-scheme-configs/01JQ0ASC",
    )
    assert json.loads(sent.body) == {
        "id": "01JQ0ASC",
        "description": "Key",
        "schemeType": "api-key",
        "name": "X-Key",
        "in": "header",
    }


def test_an_upload_is_multipart_with_the_file_and_json_metadata(server, client):
    server.default = respond(400, {"code": "bad", "message": "No."})

    with pytest.raises(Exception, match="No"):
        client.imports.create_version(CONNECTOR_ID, "2.0", b"openapi: 3.1.0\n", "s.yaml")

    sent = server.received[0]
    assert urlsplit(sent.path).path == f"{API}/o/{ORG}/connector/{CONNECTOR_ID}/http/import"
    assert sent.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert b'name="file"; filename="s.yaml"' in sent.body
    assert b"openapi: 3.1.0\n" in sent.body
    assert b'name="metadata"' in sent.body
    assert b'{"format": "openapi", "version": "2.0"}' in sent.body


def test_an_import_from_a_url_is_json(server, client):
    server.default = respond(400, {"code": "bad", "message": "No."})

    with pytest.raises(Exception, match="No"):
        client.imports.create_from_url("https://specs.example/x.json", filetype="json")

    assert json.loads(server.received[0].body) == {
        "schemaURL": "https://specs.example/x.json",
        "filetype": "json",
        "format": "openapi",
    }


LOADED_AT = datetime(2025, 1, 2, 3, 4, 5, 250000, tzinfo=UTC)


def _update() -> HTTPConnectorUpdate:
    return HTTPConnectorUpdate(id=CONNECTOR_ID, organisation_id=ORG, name="S", base_url="https://s")


def test_the_embedded_api_is_sent_both_precondition_headers(server, make_client):
    client = make_client(server_checks_preconditions=True)
    server.default = respond(200, connector_body())

    client.connectors.update(_update(), if_unmodified_since=LOADED_AT)

    headers = server.received[0].headers
    assert headers["If-Unmodified-Since"] == "Thu, 02 Jan 2025 03:04:05 GMT"
    # HTTP dates drop the 0.25 s; If-Match carries the exact time the embedded API compares.
    assert headers["If-Match"] == '"2025-01-02T03:04:05.250000+00:00"'
    assert len(server.received) == 1


def test_against_a_remote_api_a_stale_update_is_refused_before_it_is_sent(server, client):
    server.default = respond(200, connector_body(updatedAt="2025-01-02T03:04:05.900000Z"))

    with pytest.raises(PreconditionFailed) as raised:
        client.connectors.update(_update(), if_unmodified_since=LOADED_AT)

    assert raised.value.status == 412
    assert [r.method for r in server.received] == ["GET"]


def test_against_a_remote_api_a_fresh_update_is_sent_with_its_header(server, client):
    server.default = respond(200, connector_body(updatedAt="2025-01-02T03:04:05.250000Z"))

    client.connectors.update(_update(), if_unmodified_since=LOADED_AT)

    get, put = server.received
    assert (get.method, put.method) == ("GET", "PUT")
    assert put.headers["If-Unmodified-Since"] == "Thu, 02 Jan 2025 03:04:05 GMT"
    assert "If-Match" not in put.headers


def test_without_a_precondition_nothing_is_re_read(server, client):
    server.default = respond(200, connector_body())

    client.connectors.update(_update())

    assert [r.method for r in server.received] == ["PUT"]
    assert "If-Unmodified-Since" not in server.received[0].headers


def test_a_version_is_sent_back_whole_with_published_at_null(server, client):
    version = ConnectorVersion(
        id="01V", name="1.0", created_at=LOADED_AT, updated_at=LOADED_AT, description="First"
    )
    server.default = respond(200, version.to_api(exclude_none=False))

    client.versions.update(CONNECTOR_ID, version.model_copy(update={"is_default": True}))

    body = json.loads(server.received[0].body)
    assert body["publishedAt"] is None
    assert (body["isDefault"], body["description"], body["name"]) == (True, "First", "1.0")


def test_a_compressed_body_is_decoded(server, client):
    import gzip

    body = json.dumps(connector_page(connector_body())).encode()
    server.default = raw(
        200, gzip.compress(body), "application/json", headers={"Content-Encoding": "gzip"}
    )

    page = client.connectors.list()

    assert [c.name for c in page] == ["Stripe"]


def test_a_naive_precondition_time_is_taken_as_utc(server, client):
    server.default = respond(200, connector_body(updatedAt="2025-01-02T03:04:05.250000Z"))

    client.connectors.update(_update(), if_unmodified_since=LOADED_AT.replace(tzinfo=None))

    assert server.received[1].headers["If-Unmodified-Since"] == "Thu, 02 Jan 2025 03:04:05 GMT"
