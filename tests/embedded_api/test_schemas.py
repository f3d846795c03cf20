"""GetRawSchema: the JSON Schema a definition's `url` points to."""

import pytest

from tests.embedded_api.versions_support import (
    definition,
    make_connector,
    make_definitions,
    make_version,
    publish,
)


def _path(url: str) -> str:
    return url.split("/api/connect/v1", 1)[1]


@pytest.fixture
def connector(api):
    return make_connector(api.org)


@pytest.fixture
def product(api, connector) -> dict:
    make_version(api, connector, "1")
    _, product = make_definitions(
        api,
        connector,
        "1",
        definition("Money", {"type": "integer"}),
        definition("Product", {"properties": {"price": {"$ref": "#/$defs/Money"}}}),
    )
    return product


def test_the_url_is_absolute_under_the_public_base_url(product, settings):
    assert product["url"].startswith(settings.EMBEDDED_API_PUBLIC_URL + "/o/")
    assert product["url"].endswith(f"/1/{product['id']}.json")


def test_the_schema_is_served_with_references_as_urls(api, connector, product):
    response = api.get(_path(product["url"]))

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/schema+json"
    money = api.get(f"{api.o}/connectors/{connector.pk}/versions/1/definitions/Money").json()
    assert response.json() == {"properties": {"price": {"$ref": money["url"]}}}


def test_serving_a_schema_costs_the_same_queries_however_many_definitions_it_refers_to(
    api, connector, product, django_assert_max_num_queries
):
    names = [f"Part{index}" for index in range(5)]
    make_definitions(api, connector, "1", *[definition(name) for name in names])
    (assembly,) = make_definitions(
        api,
        connector,
        "1",
        definition("Assembly", {"properties": {n: {"$ref": f"#/$defs/{n}"} for n in names}}),
    )

    # Authentication, the definition (with its version and connector), the ones it refers to.
    with django_assert_max_num_queries(3):
        served = api.get(_path(assembly["url"])).json()

    refs = [served["properties"][name]["$ref"] for name in names]
    assert all(ref.startswith("http") and ref.endswith(".json") for ref in refs)
    assert len(set(refs)) == len(names)


def test_the_schema_is_also_found_by_definition_name_and_through_latest(api, connector, product):
    by_id = api.get(_path(product["url"])).json()
    publish(api, connector, "1")
    by_name = api.get(f"{api.o}/schemas/{connector.pk}/latest/Product.json")
    assert by_name.status_code == 200
    assert by_name.json() == by_id


@pytest.mark.parametrize(
    "filename", ["Nope.json", "Product.xsd", "Product", ".json", "x" * 300 + ".json"]
)
def test_unknown_schemas_are_404(api, connector, product, filename):
    response = api.get(f"{api.o}/schemas/{connector.pk}/1/{filename}")
    assert response.status_code == 404


def test_a_private_connectors_schemas_are_hidden_from_other_organisations(api, other_api, product):
    assert other_api.get(_path(product["url"])).status_code == 404


def test_a_public_connectors_schemas_are_readable_by_any_organisation(
    api, other_api, connector, product
):
    connector.public = True
    connector.save()
    response = other_api.get(_path(product["url"]))
    assert response.status_code == 200
    assert "properties" in response.json()


def test_a_schema_needs_a_key(anonymous_api, product):
    assert anonymous_api.get(_path(product["url"])).status_code == 401
