"""Preview: the shared importer runs on the upload and the page shows what would be created,
creating nothing; the upload is kept on the server for Import."""

import json

import pytest

from tests.connect.fault_server import FaultServer, raw
from tests.html import one, parse, text, texts
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


def hidden_token(html: str) -> str:
    marker = 'name="upload" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_a_preview_shows_what_would_be_created_and_creates_nothing(api, publisher):
    response = publisher.post(NEW, {"file": upload()})

    assert response.status_code == 200
    page = response.text
    assert "Connector <strong>Pet Store</strong>, with draft version <strong>1.0</strong>" in page
    assert "<code>https://pets.example.com/v1</code>" in page
    assert '<li data-count="actions"><strong>2</strong> actions</li>' in page
    assert '<li data-count="definitions"><strong>2</strong> definitions</li>' in page
    assert '<li data-count="triggers"><strong>0</strong> triggers</li>' in page
    assert '<li data-count="auth-schemes"><strong>1</strong> auth scheme</li>' in page
    # Lists of each kind.
    assert '<td>getPet</td><td><span class="method method--get">GET</span></td>' in page
    assert "<td>listPets_response_200</td>" in page
    assert '<span class="chip">api-key</span> key' in page
    # Messages with their severity and JSON pointer.
    assert '<span class="severity severity--warning">warning</span>' in page
    assert 'import-message__pointer">paths › /pets › get › parameters › 0</code>' in page
    assert api.connectors.list().items == []


def test_a_preview_offers_import_of_the_kept_upload(publisher):
    page = publisher.post(NEW, {"file": upload()}).text

    assert hidden_token(page)
    assert 'hx-post="/connectors/new/import/create/">Import</button>' in page
    assert "Previewed: <strong>petstore.yaml</strong>" in page


def test_an_htmx_preview_answers_with_the_upload_section_alone(publisher):
    response = publisher.post(NEW, {"file": upload()}, headers=htmx("spec-upload"))

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="spec-upload"')
    assert "<html" not in response.text


def test_previewing_again_without_a_file_reuses_the_kept_upload(publisher):
    token = hidden_token(publisher.post(NEW, {"file": upload()}).text)

    again = publisher.post(NEW, {"upload": token})

    assert again.status_code == 200
    assert '<li data-count="actions"><strong>2</strong> actions</li>' in again.text


def test_a_json_document_previews_too(publisher):
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Tiny", "version": "1"},
        "paths": {
            "/ping": {"get": {"operationId": "ping", "responses": {"204": {"description": "ok"}}}}
        },
        "webhooks": {"created": {"post": {"responses": {"200": {"description": "ok"}}}}},
    }
    page = publisher.post(NEW, {"file": upload(json.dumps(document).encode(), "tiny.json")}).text

    assert "Connector <strong>Tiny</strong>" in page
    assert '<li data-count="triggers"><strong>1</strong> trigger</li>' in page
    assert "<li>created " in page


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
    page = publisher.post(NEW, {"file": upload(json.dumps(document).encode(), "tiny.json")}).text

    assert "<td>ping</td>" in page
    assert "<code>/ping/{{ param.&lt;b&gt; }}</code>" in page
    assert "<b>" not in page


def test_a_document_at_a_url_is_fetched_and_previewed(publisher, settings):
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    with FaultServer() as server:
        server.default = raw(200, PETSTORE, "application/yaml")
        url = f"{server.url}/openapi.yaml"
        response = publisher.post(NEW, {"url": url})

    assert response.status_code == 200
    assert f"{url} · " in response.text
    assert "Connector <strong>Pet Store</strong>" in response.text
    # The form keeps the URL: Import sends it to the Connect API, which downloads it itself.
    assert f'value="{url}"' in response.text


def test_a_new_version_preview_names_the_version_and_says_what_stays_on_the_connector(
    api, publisher
):
    connector = make_connector(api, "Pets", base_url="https://old.example.com")

    response = publisher.post(
        f"/connectors/{connector.id}/import/", {"version": "2.0.0", "file": upload()}
    )

    assert response.status_code == 200
    page = response.text
    assert "Version <strong>2.0.0</strong> of “Pets”" in page
    assert 'data-count="auth-schemes"' not in page  # the connector's are kept
    assert "differs from the connector" in page  # base URL
    assert "is not among the connector" in page  # the document's api-key scheme
    assert 'value="2.0.0"' in page
    assert f'hx-post="/connectors/{connector.id}/import/create/">Import</button>' in page
    assert api.connectors.get(connector.id).versions == []


def test_a_kept_upload_belongs_to_one_user_and_one_target(api, client_as, make_user, client):
    publisher = client_as("publisher")
    token = hidden_token(publisher.post(NEW, {"file": upload()}).text)
    connector = make_connector(api)

    # Not for a new version of some connector...
    elsewhere = publisher.post(
        f"/connectors/{connector.id}/import/", {"version": "2", "upload": token}
    )
    assert elsewhere.status_code == 422
    assert "The preview has expired" in elsewhere.text
    # ...nor for anybody else.
    client.force_login(make_user("publisher", "another"))
    other = client.post(NEW, {"upload": token})
    assert other.status_code == 422
    assert "The preview has expired" in other.text


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
        "Imported OpenAPI 3.1.0 document 'Tiny': 1 action, 1 trigger, 0 definitions "
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
