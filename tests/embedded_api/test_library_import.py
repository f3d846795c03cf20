"""ImportPublicConnectorVersion: a published version of a public connector (of any
organisation) copied into the caller's organisation as a draft."""

import pytest

from dashboard.embedded_api.models import Connector, ConnectorCategory, ConnectorTag
from tests.embedded_api.versions_support import (
    action,
    definition,
    make_connector,
    make_definitions,
    make_version,
    publish,
    versions_path,
)

API_KEY_CONFIG = "01JQ0AP1KEYC0NF1G000000000"


@pytest.fixture
def library(other_api):
    """A public connector of another organisation with published version 1.0.0 (two
    definitions referencing each other and an action) and a draft 2.0.0."""
    connector = make_connector(other_api.org, public=True, name="Acme Shop")
    ConnectorTag.objects.create(connector=connector, key="category", value="e-commerce")
    ConnectorCategory.objects.create(connector=connector, category="eCommerce")
    config = {
        "id": API_KEY_CONFIG,
        "description": "Shop API key",
        "schemeType": "api-key",
        "name": "X-Api-Key",
        "in": "header",
    }
    assert other_api.put(
        f"{other_api.o}/connectors/{connector.pk}/auth-scheme-configs/{API_KEY_CONFIG}", json=config
    ).is_success
    make_version(other_api, connector, "1.0.0")
    make_definitions(
        other_api,
        connector,
        "1.0.0",
        definition("Product", {"properties": {"variant": {"$ref": "#/$defs/Variant"}}}),
        definition("Variant", {"properties": {"product": {"$ref": "#/$defs/Product"}}}),
    )
    link = [{"definition": {"name": "Product"}}]
    other_api.post(
        f"{versions_path(other_api, connector)}/1.0.0/actions",
        json=action(responses=[{"status": 200, "definitions": link}]),
    )
    publish(other_api, connector, "1.0.0")
    make_version(other_api, connector, "2.0.0")
    return connector


def _import(api, connector, version: str):
    return api.post(f"{api.o}/connectors/{connector.pk}/versions/{version}/library/import")


def test_importing_creates_a_private_copy_with_the_version_as_a_draft(api, library):
    response = _import(api, library, "1.0.0")

    assert response.status_code == 200
    copy = response.json()
    assert copy["id"] != library.pk
    assert (copy["organisationId"], copy["name"], copy["public"]) == (api.org, "Acme Shop", False)
    assert copy["tags"] == {"category": ["e-commerce"]}
    assert [config["id"] for config in copy["authSchemeConfigs"]] == [API_KEY_CONFIG]
    assert [(v["name"], v["publishedAt"]) for v in copy["versions"]] == [("1.0.0", None)]


def test_the_imported_draft_has_its_own_definitions_and_actions(api, library):
    copy = _import(api, library, "1.0.0").json()
    path = f"{api.o}/connectors/{copy['id']}/versions/1.0.0"

    definitions = {d["name"]: d for d in api.get(f"{path}/definitions").json()["definitions"]}
    product = api.get(f"{path}/actions/GetProduct").json()

    assert set(definitions) == {"Product", "Variant"}
    assert all(f"/o/{api.org}/schemas/{copy['id']}/" in d["url"] for d in definitions.values())
    served = api.get(definitions["Product"]["url"].split("/api/connect/v1", 1)[1]).json()
    assert served["properties"]["variant"]["$ref"] == definitions["Variant"]["url"]
    linked = product["responses"][0]["definitions"][0]["definition"]
    assert linked["id"] == definitions["Product"]["id"]


def test_the_imported_draft_can_be_edited_and_published_without_touching_the_library(
    api, other_api, library
):
    copy = _import(api, library, "1.0.0").json()
    path = f"{api.o}/connectors/{copy['id']}/versions/1.0.0"

    assert api.delete(f"{path}/actions/GetProduct").status_code == 204
    assert api.post(f"{path}/publish").status_code == 200

    library_actions = other_api.get(f"{versions_path(other_api, library)}/1.0.0/actions").json()
    assert library_actions["totalCount"] == 1


def test_importing_another_version_adds_it_to_the_same_copy(api, other_api, library):
    first = _import(api, library, "1.0.0").json()
    publish(other_api, library, "2.0.0")

    second = _import(api, library, "latest").json()

    assert second["id"] == first["id"]
    assert {version["name"] for version in second["versions"]} == {"1.0.0", "2.0.0"}
    assert Connector.objects.filter(organisation_id=api.org).count() == 1


def test_importing_the_same_version_twice_is_a_conflict(api, library):
    _import(api, library, "1.0.0")
    response = _import(api, library, "1.0.0")
    assert response.status_code == 409
    assert response.json()["fields"][0]["field"] == "version"


def test_a_draft_of_a_public_connector_cannot_be_imported(api, library):
    response = _import(api, library, "2.0.0")
    assert response.status_code == 409
    assert response.json()["code"] == "version_not_published"
    assert not Connector.objects.filter(organisation_id=api.org).exists()


def test_a_private_connector_cannot_be_imported(api, other_api):
    private = make_connector(other_api.org)
    make_version(other_api, private, "1")
    publish(other_api, private, "1")
    assert _import(api, private, "1").status_code == 404


@pytest.mark.parametrize("connector_id", ["not-a-ulid", "0" * 26])
def test_unknown_connectors_and_versions_are_404(api, library, connector_id):
    assert (
        api.post(f"{api.o}/connectors/{connector_id}/versions/1/library/import").status_code == 404
    )
    assert _import(api, library, "9.9.9").status_code == 404


def test_importing_into_another_organisations_path_is_404(api, other_api, library):
    response = api.post(f"{other_api.o}/connectors/{library.pk}/versions/1.0.0/library/import")
    assert response.status_code == 404


def test_the_copy_is_found_by_its_tags_and_categories(api, library):
    copy = _import(api, library, "1.0.0").json()

    by_tag = api.get(f"{api.o}/connectors", params={"tags": "category:e-commerce"}).json()
    by_category = api.get(f"{api.o}/connectors", params={"categories": "eCommerce"}).json()

    assert [(item["id"], by_tag["totalCount"]) for item in by_tag["connectors"]] == [
        (copy["id"], 1)
    ]
    assert [item["id"] for item in by_category["connectors"]] == [copy["id"]]
    assert by_category["totalCount"] == 1
