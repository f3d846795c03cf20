"""ImportHTTPConnectorVersion: a document imported as a new version of an existing connector,
which keeps its base URL and auth scheme configs."""

import pytest

from tests.embedded_api.imports_support import (
    FORMAT,
    details,
    document,
    imported,
    operation,
    pet_store,
    stored_counts,
    texts,
    upload_version,
)
from tests.embedded_api.versions_support import make_connector


@pytest.fixture
def connector(api) -> dict:
    """A connector imported from the pet store document (version 1.0.0)."""
    return imported(api, pet_store())["connector"]


def renamed(doc: dict, operation_id: str) -> dict:
    doc["paths"]["/pets/{petId}"]["get"]["operationId"] = operation_id
    return doc


def test_a_new_version_gets_its_own_actions_and_definitions(api, connector):
    response = upload_version(api, connector["id"], renamed(pet_store(), "fetchPet"), "2.0.0")

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["connector"]["id"] == connector["id"]
    assert {v["name"] for v in body["connector"]["versions"]} == {"1.0.0", "2.0.0"}
    assert [a["name"] for a in body["actions"]] == ["fetchPet"]
    assert [d["name"] for d in body["definitions"]] == ["Pet"]
    assert "/2.0.0/" in body["definitions"][0]["url"]
    actions_of = f"{api.o}/connectors/{connector['id']}/versions/{{}}/actions"
    assert [a["name"] for a in api.get(actions_of.format("2.0.0")).json()["actions"]] == [
        "fetchPet"
    ]
    # The first version is untouched.
    assert [a["name"] for a in api.get(actions_of.format("1.0.0")).json()["actions"]] == ["getPet"]


def test_the_connectors_base_url_and_auth_scheme_configs_are_kept_with_messages(api, connector):
    doc = pet_store()
    doc["servers"] = [{"url": "https://v2.example.com"}]
    doc["components"]["securitySchemes"] = {"basic": {"type": "http", "scheme": "basic"}}

    body = upload_version(api, connector["id"], doc).json()

    kept = body["connector"]
    assert kept["baseUrl"] == connector["baseUrl"] == "https://api.example.com/v1"
    assert kept["authSchemeConfigs"] == connector["authSchemeConfigs"]
    # The document's basic auth is missing on the connector: a warning; the connector's API
    # key is not in the document (kept): an info; so is the other base URL.
    assert any("basic-auth" in text for text in texts(body))
    assert any("api-key" in text and "kept" in text for text in texts(body, "info"))
    assert "/servers/0/url" in details(body, "info")


def test_a_document_matching_the_connector_adds_no_messages_about_it(api, connector):
    body = upload_version(api, connector["id"], pet_store()).json()

    assert texts(body) == []
    assert [m["severity"] for m in body["messages"]] == ["info"]  # the summary alone


@pytest.mark.parametrize("name", ["latest", "default", "Latest"])
def test_a_reserved_version_name_is_a_conflict(api, connector, name):
    response = upload_version(api, connector["id"], pet_store(), name)

    assert response.status_code == 409
    assert response.json()["fields"][0]["field"] == "version"
    assert stored_counts(api.org)["versions"] == 1


def test_an_existing_version_name_is_a_conflict(api, connector):
    response = upload_version(api, connector["id"], pet_store(), "1.0.0")

    assert response.status_code == 409
    assert "1.0.0" in response.json()["message"]
    counts = stored_counts(api.org)
    assert (counts["versions"], counts["actions"]) == (1, 1)


def test_a_taken_name_is_refused_before_the_document_is_parsed(api, connector):
    response = upload_version(api, connector["id"], b"not: [a document", "1.0.0")

    assert response.status_code == 409


def test_a_malformed_version_name_is_refused(api, connector):
    response = upload_version(api, connector["id"], pet_store(), "two words")

    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "version"


def test_the_metadata_must_name_the_version(api, connector):
    response = upload_version(api, connector["id"], pet_store(), metadata=FORMAT)

    assert response.status_code == 400
    assert response.json()["fields"] == [{"field": "metadata.version", "message": "Field required"}]


def test_an_invalid_document_creates_no_version(api, connector):
    doc = pet_store()
    doc["paths"]["/pets/{petId}"]["get"] = operation(parameters=[{"name": "x", "in": "body"}])

    response = upload_version(api, connector["id"], doc)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_openapi"
    assert stored_counts(api.org)["versions"] == 1


def test_another_organisations_connector_is_not_found(api, other_api, connector):
    response = upload_version(other_api, connector["id"], pet_store())

    assert response.status_code == 404


def test_an_unknown_connector_is_not_found(api):
    assert upload_version(api, "01JQ0N0SUCHC0NNECT0R000000", document()).status_code == 404


def test_only_http_connectors_import_documents(api):
    bigquery = make_connector(api.org, protocol="bigquery", dataset_id="p.d")

    response = upload_version(api, bigquery.pk, pet_store())

    assert response.status_code == 400
