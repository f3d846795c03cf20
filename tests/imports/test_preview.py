"""Preview: the shared importer runs on the upload and the page shows what would be created,
creating nothing; the upload is kept on the server for Import."""

import json

import pytest

from dashboard.imports.views import EXPIRED
from tests.connect.fault_server import FaultServer, raw
from tests.html import field_value, one, parse, sentence, text, texts
from tests.imports.conftest import (
    AS_NEW_VERSION,
    ONE_OF_EACH,
    PETSTORE,
    counts,
    htmx,
    make_connector,
    upload,
)

pytestmark = pytest.mark.django_db

NEW = "/connectors/new/import/"


def fact(page, term: str) -> str:
    """What the preview's facts list says for `term` ("Creates", "Base URL")."""
    rows = page.select(".import-preview dl.facts > div")
    [value] = [sentence(row.dd) for row in rows if text(row.dt) == term]
    return value


def rows(page, kind: str) -> list[list[str]]:
    """The cells of each row of the preview's `kind` table."""
    table = one(page, f'[data-list="{kind}"] tbody')
    return [texts(row, "td") for row in table.select("tr")]


def import_button(page):
    [button] = [node for node in page.select("button") if text(node) == "Import"]
    return button


def test_a_preview_shows_what_would_be_created_and_creates_nothing(api, publisher):
    response = publisher.post(NEW, {"file": upload()})

    assert response.status_code == 200
    page = parse(response)
    assert fact(page, "Creates") == "Connector Pet Store, with draft version 1.0"
    assert texts(page, ".import-preview dl.facts strong") == ["Pet Store", "1.0"]
    assert fact(page, "Base URL") == "https://pets.example.com/v1"
    assert counts(page) == {
        "actions": "2 actions",
        "definitions": "2 definitions",
        "triggers": "0 triggers",
        "auth-schemes": "1 auth scheme",
        "warnings": counts(page)["warnings"],
    }
    # Lists of each kind.
    actions = page.select('[data-list="actions"] tbody tr')
    [get_pet] = [row for row in actions if text(row.td) == "getPet"]
    assert text(one(get_pet, "td:nth-of-type(2) > span.method--get")) == "GET"
    assert "listPets_response_200" in [row[0] for row in rows(page, "definitions")]
    assert "api-key key" in texts(page, '[data-list="auth-schemes"] li')
    assert texts(page, '[data-list="auth-schemes"] li .chip') == ["api-key"]
    # Messages with their severity and JSON pointer.
    assert "warning" in texts(page, ".import-message .severity--warning")
    pointers = texts(page, "code.import-message__pointer")
    assert "paths › /pets › get › parameters › 0" in pointers
    assert api.connectors.list().items == []


def test_a_preview_offers_import_of_the_kept_upload(publisher):
    page = parse(publisher.post(NEW, {"file": upload()}))

    assert field_value(page, "upload")
    assert import_button(page)["hx-post"] == "/connectors/new/import/create/"
    chosen = one(page, "[data-chosen-file]")
    assert text(chosen).startswith("Previewed: petstore.yaml")
    assert texts(chosen, "strong") == ["petstore.yaml"]


def test_an_htmx_preview_answers_with_the_upload_section_alone(publisher):
    response = publisher.post(NEW, {"file": upload()}, headers=htmx("spec-upload"))

    assert response.status_code == 200
    top = parse(response).find_all(recursive=False)
    assert [(node.name, node.get("id")) for node in top] == [("section", "spec-upload")]


def test_previewing_again_without_a_file_reuses_the_kept_upload(publisher):
    token = field_value(parse(publisher.post(NEW, {"file": upload()})), "upload")

    again = publisher.post(NEW, {"upload": token})

    assert again.status_code == 200
    assert counts(parse(again))["actions"] == "2 actions"


def test_a_json_document_previews_too(publisher):
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Tiny", "version": "1"},
        "paths": {
            "/ping": {"get": {"operationId": "ping", "responses": {"204": {"description": "ok"}}}}
        },
        "webhooks": {"created": {"post": {"responses": {"200": {"description": "ok"}}}}},
    }
    page = parse(publisher.post(NEW, {"file": upload(json.dumps(document).encode(), "tiny.json")}))

    assert fact(page, "Creates").startswith("Connector Tiny,")
    assert counts(page)["triggers"] == "1 trigger"
    assert texts(page, '[data-list="triggers"] li') == ["created POST"]


def test_paths_from_the_document_are_escaped_in_the_actions_list(publisher):
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Tiny", "version": "1"},
        "paths": {
            "/ping/{<b>}": {
                "get": {
                    "operationId": "ping",
                    "parameters": [
                        {
                            "name": "<b>",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {"204": {"description": "ok"}},
                }
            }
        },
    }
    response = publisher.post(NEW, {"file": upload(json.dumps(document).encode(), "tiny.json")})
    page = parse(response)

    [[name, _, path]] = rows(page, "actions")
    assert (name, path) == ("ping", "/ping/{{ param.<b> }}")
    assert page.select("b") == []  # the path is text, not markup
    assert "<b>" not in response.text


def test_a_document_at_a_url_is_fetched_and_previewed(publisher, settings):
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    with FaultServer() as server:
        server.default = raw(200, PETSTORE, "application/yaml")
        url = f"{server.url}/openapi.yaml"
        response = publisher.post(NEW, {"url": url})

    assert response.status_code == 200
    page = parse(response)
    assert fact(page, "Document").startswith(f"{url} · ")
    assert fact(page, "Creates").startswith("Connector Pet Store,")
    # The form keeps the URL: Import sends it to the Connect API, which downloads it itself.
    assert field_value(page, "url") == url


def test_a_new_version_preview_names_the_version_and_says_what_stays_on_the_connector(
    api, publisher
):
    connector = make_connector(api, "Pets", base_url="https://old.example.com")

    response = publisher.post(
        f"/connectors/{connector.id}/import/", {"version": "2.0.0", "file": upload()}
    )

    assert response.status_code == 200
    page = parse(response)
    assert fact(page, "Creates") == "Version 2.0.0 of “Pets”, as a draft"
    assert "auth-schemes" not in counts(page)  # the connector's are kept
    messages = texts(page, ".import-message__text")
    assert any("differs from the connector" in m for m in messages)  # base URL
    assert any("is not among the connector" in m for m in messages)  # the api-key scheme
    assert field_value(page, "version") == "2.0.0"
    assert import_button(page)["hx-post"] == f"/connectors/{connector.id}/import/create/"
    assert api.connectors.get(connector.id).versions == []


def test_a_kept_upload_belongs_to_one_user_and_one_target(api, client_as, make_user, client):
    publisher = client_as("publisher")
    token = field_value(parse(publisher.post(NEW, {"file": upload()})), "upload")
    connector = make_connector(api)

    # Not for a new version of some connector...
    elsewhere = publisher.post(
        f"/connectors/{connector.id}/import/", {"version": "2", "upload": token}
    )
    assert elsewhere.status_code == 422
    assert EXPIRED in texts(parse(elsewhere), "#id_file_error li")  # next to the upload
    # ...nor for anybody else.
    client.force_login(make_user("publisher", "another"))
    other = client.post(NEW, {"upload": token})
    assert other.status_code == 422
    assert EXPIRED in texts(parse(other), "#id_file_error li")


def listed(page, kind: str) -> str:
    return text(one(page, f'[data-list="{kind}"] summary'))


def test_every_count_of_a_new_connectors_preview_agrees_with_the_others(publisher):
    document = upload(json.dumps(ONE_OF_EACH).encode(), "tiny.json")

    page = parse(publisher.post(NEW, {"file": document}))

    assert counts(page) == {
        "actions": "1 action",
        "definitions": "0 definitions",
        "triggers": "1 trigger",
        "auth-schemes": "1 auth scheme",
        "warnings": "1 warning",
    }
    assert len(page.select(".import-preview .severity--warning")) == 1
    assert texts(page, ".import-message__text")[0] == (
        # Nothing is imported yet: it says what Import will do.
        "Will import OpenAPI 3.1.0 document 'Tiny': 1 action, 1 trigger, 0 definitions "
        "and 1 auth scheme config."
    )
    assert [listed(page, kind) for kind in ("actions", "definitions", "triggers")] == [
        "Actions (1)",
        "Definitions (0)",
        "Triggers (1)",
    ]
    assert listed(page, "auth-schemes") == "Auth schemes (1)"


def test_every_count_of_a_new_versions_preview_agrees_with_the_others(api, publisher):
    connector = make_connector(api, "Tiny", base_url="https://tiny.example.com")
    document = upload(json.dumps(AS_NEW_VERSION).encode(), "tiny.json")

    page = parse(
        publisher.post(f"/connectors/{connector.id}/import/", {"version": "2.0", "file": document})
    )

    assert counts(page) == {
        "actions": "1 action",
        "definitions": "0 definitions",
        "triggers": "1 trigger",
        "warnings": "1 warning",  # the new version's own, counted with the importer's
    }
    assert len(page.select(".import-preview .severity--warning")) == 1
    assert "with 0 warnings" not in text(page)
