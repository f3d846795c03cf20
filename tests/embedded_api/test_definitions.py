"""Definitions of a connector version: create many (referencing each other, cycles too),
list, get, update, delete one and delete many (412 while referenced unless forced), and
immutability once published."""

import json

import httpx
import pytest

from dashboard.embedded_api.models import Definition
from tests.embedded_api.versions_support import (
    action,
    definition,
    json_schema,
    make_connector,
    make_definitions,
    make_version,
    publish,
    trigger,
    versions_path,
)
from tests.in_process import BASE_URL, DjangoTestClientTransport


@pytest.fixture
def connector(api):
    return make_connector(api.org)


@pytest.fixture
def definitions(api, connector) -> str:
    make_version(api, connector, "1")
    return f"{versions_path(api, connector)}/1/definitions"


def _names(page: dict) -> list[str]:
    return [item["name"] for item in page["definitions"]]


def _refs(item: dict) -> set[tuple[str, str]]:
    return {(ref["type"], ref["name"]) for ref in item["referencedBy"]}


def _raw(api, item: dict):
    """The served schema behind a definition's url."""
    return api.get(item["url"].split("/api/connect/v1", 1)[1])


# --- create ---------------------------------------------------------------------------------


def test_definitions_referencing_each_other_in_a_cycle_are_created_together(
    api, connector, definitions
):
    created = make_definitions(
        api,
        connector,
        "1",
        definition("Product", {"properties": {"variants": {"items": {"$ref": "#/$defs/Variant"}}}}),
        definition("Variant", {"properties": {"product": {"$ref": "#/$defs/Product"}}}),
    )

    product, variant = created
    assert (product["name"], variant["name"]) == ("Product", "Variant")
    assert _refs(product) == {("definition", "Variant")}
    assert _refs(variant) == {("definition", "Product")}
    served = _raw(api, product).json()
    assert served["properties"]["variants"]["items"]["$ref"] == variant["url"]


def test_a_definition_may_reference_itself_and_keep_its_own_defs(api, connector, definitions):
    tree = {
        "$defs": {"Leaf": {"type": "string"}},
        "properties": {
            "children": {"items": {"$ref": "#/$defs/Node"}},
            "leaf": {"$ref": "#/$defs/Leaf"},
        },
    }
    (node,) = make_definitions(api, connector, "1", definition("Node", tree))

    served = _raw(api, node).json()

    assert served["properties"]["children"]["items"]["$ref"] == node["url"]
    assert served["properties"]["leaf"]["$ref"] == "#/$defs/Leaf"  # its own, untouched
    assert _refs(node) == {("definition", "Node")}


def test_new_definitions_reference_existing_ones_by_name_or_url(api, connector, definitions):
    (money,) = make_definitions(api, connector, "1", definition("Money"))
    make_definitions(
        api,
        connector,
        "1",
        definition("Price", {"properties": {"amount": {"$ref": "#/$defs/Money"}}}),
        definition("Cost", {"properties": {"amount": {"$ref": money["url"] + "#/properties/x"}}}),
    )

    money = api.get(f"{definitions}/Money").json()
    cost = api.get(f"{definitions}/Cost").json()

    assert _refs(money) == {("definition", "Price"), ("definition", "Cost")}
    assert _raw(api, cost).json()["properties"]["amount"]["$ref"] == money["url"] + "#/properties/x"


def test_an_unknown_reference_is_refused_and_nothing_is_created(api, definitions):
    body = {
        "definitions": [
            definition("Fine"),
            definition("Broken", {"properties": {"x": {"$ref": "#/$defs/Missing"}}}),
        ]
    }
    response = api.post(definitions, json=body)
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "definitions[1].schema.content"
    assert api.get(definitions).json()["totalCount"] == 0


def test_a_reference_to_another_versions_definition_is_refused(api, connector, definitions):
    make_definitions(api, connector, "1", definition("Shared"))
    make_version(api, connector, "2")
    (elsewhere,) = make_definitions(api, connector, "2", definition("Shared"))
    by_name = elsewhere["url"].rsplit("/", 1)[0] + "/Shared.json"

    for ref in (elsewhere["url"], by_name):
        response = api.post(definitions, json={"definitions": [definition("Here", {"$ref": ref})]})
        assert response.status_code == 400
        assert response.json()["fields"][0]["field"] == "definitions[0].schema.content"


def test_external_references_are_left_alone(api, connector, definitions):
    external = "https://json-schema.org/draft/2020-12/schema"
    (item,) = make_definitions(api, connector, "1", definition("Meta", {"$ref": external}))
    assert _raw(api, item).json() == {"$ref": external}
    assert item["referencedBy"] == []


@pytest.mark.parametrize(
    ("schema", "field"),
    [
        ({"contentType": "application/schema+json", "content": "{not json"}, "content"),
        ({"contentType": "application/schema+json", "content": '{"type": 12}'}, "content"),
        ({"contentType": "application/schema+json", "content": "[1, 2]"}, "content"),
        ({"contentType": "application/schema+json", "content": '{"x": NaN}'}, "content"),
        ({"contentType": "application/schema+json", "content": '{"x": "\\u0000"}'}, "content"),
        ({"contentType": "application/schema+json", "content": "[" * 5000}, "content"),
        ({"contentType": "text/csv", "content": "a,b"}, "contentType"),
        ({"contentType": "application/schema+yaml", "content": "a: &x [1]\nb: *x"}, "content"),
        ({"contentType": "text/xml", "content": "   "}, "content"),
    ],
)
def test_invalid_schemas_are_refused_with_the_field_named(api, definitions, schema, field):
    body = {"definitions": [{"name": "Bad", "accept": ["application/json"], "schema": schema}]}
    response = api.post(definitions, json=body)
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == f"definitions[0].schema.{field}"


@pytest.mark.parametrize("name", ["has space", "dotted.name", "", "a/b"])
def test_definition_names_outside_the_pattern_are_refused(api, definitions, name):
    response = api.post(definitions, json={"definitions": [definition(name)]})
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "definitions[0].name"


def test_an_empty_list_or_a_missing_accept_is_refused(api, definitions):
    assert api.post(definitions, json={"definitions": []}).status_code == 400
    no_accept = {"name": "X", "schema": json_schema({})}
    response = api.post(definitions, json={"definitions": [no_accept]})
    assert response.json()["fields"][0]["field"] == "definitions[0].accept"


def test_duplicate_names_in_a_request_or_version_are_conflicts(api, connector, definitions):
    make_definitions(api, connector, "1", definition("Product"))

    again = api.post(definitions, json={"definitions": [definition("Product")]})
    twice = api.post(definitions, json={"definitions": [definition("A"), definition("A")]})

    assert again.status_code == 409
    assert again.json()["fields"][0]["field"] == "definitions[0].name"
    assert twice.status_code == 409
    assert twice.json()["fields"][0]["field"] == "definitions[1].name"
    assert api.get(definitions).json()["totalCount"] == 1


def test_yaml_schemas_are_stored_and_served_as_json(api, connector, definitions):
    content = "type: object\nproperties:\n  price:\n    $ref: '#/$defs/Money'\n"
    make_definitions(api, connector, "1", definition("Money"))
    yaml_definition = {
        "name": "Product",
        "accept": ["application/json", "text/yaml"],
        "schema": {"contentType": "application/schema+yaml", "content": content},
    }
    (product,) = make_definitions(api, connector, "1", yaml_definition)

    served = _raw(api, product)

    assert product["url"].endswith(".json")
    assert served.headers["content-type"] == "application/schema+json"
    assert served.json()["properties"]["price"]["$ref"].endswith(".json")


def test_xml_schemas_are_served_verbatim(api, connector, definitions):
    xsd = '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>'
    body = {
        "name": "Invoice",
        "accept": ["application/xml"],
        "schema": {"contentType": "text/xml", "content": xsd},
    }
    (invoice,) = make_definitions(api, connector, "1", body)

    # Not JSON, so outside what the contract check reads: fetched without the check.
    served = httpx.Client(transport=DjangoTestClientTransport()).get(
        BASE_URL + "/api/connect/v1" + invoice["url"].split("/api/connect/v1", 1)[1],
        headers={"Authorization": api.headers["Authorization"]},
    )

    assert invoice["url"].endswith(".xsd")
    assert served.text == xsd
    assert served.headers["content-type"].startswith("text/xml")


# --- list and get ---------------------------------------------------------------------------


def test_definitions_are_listed_newest_first_filtered_and_paged(api, connector, definitions):
    for name in ("Product", "ProductVariant", "Order", "Customer"):
        make_definitions(api, connector, "1", definition(name))

    filtered = api.get(definitions, params={"name": "PRODUCT"}).json()
    first = api.get(definitions, params={"first": 3}).json()
    rest = api.get(definitions, params={"first": 3, "after": first["next"]}).json()
    back = api.get(definitions, params={"first": 3, "before": rest["prev"]}).json()

    assert _names(filtered) == ["ProductVariant", "Product"]
    assert filtered["totalCount"] == 2
    assert _names(first) == ["Customer", "Order", "ProductVariant"]
    assert _names(rest) == ["Product"]
    assert "next" not in rest and "prev" not in first
    assert _names(back) == _names(first)


def test_listing_costs_the_same_queries_for_any_page_size(
    api, connector, definitions, django_assert_max_num_queries
):
    make_definitions(api, connector, "1", *[definition(f"D{index}") for index in range(30)])
    # Authentication, connector, version, count, page, three referencedBy prefetches.
    with django_assert_max_num_queries(10):
        page = api.get(definitions, params={"first": 30}).json()
    assert len(page["definitions"]) == 30


def test_a_definition_is_read_by_name(api, connector, definitions):
    (created,) = make_definitions(api, connector, "1", definition("Product"))
    assert api.get(f"{definitions}/Product").json() == created
    assert api.get(f"{definitions}/Nope").status_code == 404


def test_a_definition_lists_what_refers_to_it_by_type_then_name_in_fixed_queries(
    api, connector, definitions, django_assert_max_num_queries
):
    make_definitions(
        api,
        connector,
        "1",
        definition("Money"),
        *[definition(name, {"$ref": "#/$defs/Money"}) for name in ("Price", "Cost")],
    )
    link = [{"definition": {"name": "Money"}}]
    version = f"{versions_path(api, connector)}/1"
    for name in ("ZGet", "AGet"):
        api.post(
            f"{version}/actions",
            json=action(name, responses=[{"status": 200, "definitions": link}]),
        )
    api.post(
        f"{version}/triggers",
        json=trigger(responses=[{"status": 204, "definitions": link}]),
    )

    # Authentication, the version (with its connector), the definition, what refers to it.
    with django_assert_max_num_queries(4):
        money = api.get(f"{definitions}/Money").json()

    assert [(ref["type"], ref["name"]) for ref in money["referencedBy"]] == [
        ("action", "AGet"),
        ("action", "ZGet"),
        ("definition", "Cost"),
        ("definition", "Price"),
        ("trigger", "OrderCreated"),
    ]
    assert all(ref["id"] for ref in money["referencedBy"])


# --- update ---------------------------------------------------------------------------------


def _update(api, definitions, definition_name: str, **changes):
    current = api.get(f"{definitions}/{definition_name}").json()
    return api.put(f"{definitions}/{definition_name}", json={**current, **changes})


def test_a_definition_is_renamed_and_references_follow(api, connector, definitions):
    make_definitions(
        api,
        connector,
        "1",
        definition("Money"),
        definition("Price", {"properties": {"amount": {"$ref": "#/$defs/Money"}}}),
    )

    response = _update(api, definitions, "Money", name="Amount", description="In cents")

    assert response.status_code == 200
    assert (response.json()["name"], response.json()["description"]) == ("Amount", "In cents")
    assert _refs(response.json()) == {("definition", "Price")}
    price = api.get(f"{definitions}/Price").json()
    assert _raw(api, price).json()["properties"]["amount"]["$ref"] == response.json()["url"]


def test_updating_the_schema_replaces_its_references(api, connector, definitions):
    make_definitions(
        api,
        connector,
        "1",
        definition("A"),
        definition("B"),
        definition("User", {"$ref": "#/$defs/A"}),
    )

    response = _update(api, definitions, "User", schema=json_schema({"$ref": "#/$defs/B"}))

    assert response.status_code == 200
    assert api.get(f"{definitions}/A").json()["referencedBy"] == []
    assert _refs(api.get(f"{definitions}/B").json()) == {("definition", "User")}


def test_renaming_onto_another_definition_is_a_conflict(api, connector, definitions):
    make_definitions(api, connector, "1", definition("A"), definition("B"))
    response = _update(api, definitions, "A", name="B")
    assert response.status_code == 409
    assert response.json()["fields"][0]["field"] == "name"


def test_an_update_naming_another_id_or_a_bad_schema_is_refused(api, connector, definitions):
    _, other = make_definitions(api, connector, "1", definition("A"), definition("B"))
    wrong_id = _update(api, definitions, "A", id=other["id"])
    bad_schema = _update(api, definitions, "A", schema=json_schema({"$ref": "#/$defs/Nope"}))
    assert (wrong_id.status_code, bad_schema.status_code) == (400, 400)
    assert wrong_id.json()["fields"][0]["field"] == "id"
    assert bad_schema.json()["fields"][0]["field"] == "schema.content"


def test_updating_a_definition_bumps_the_version_and_connector(api, connector, definitions):
    make_definitions(api, connector, "1", definition("A"))
    version_before = api.get(f"{versions_path(api, connector)}/1").json()["updatedAt"]
    connector.refresh_from_db()
    before = connector.updated_at

    _update(api, definitions, "A", description="changed")

    assert api.get(f"{versions_path(api, connector)}/1").json()["updatedAt"] > version_before
    connector.refresh_from_db()
    assert connector.updated_at > before


# --- delete ---------------------------------------------------------------------------------


def test_an_unreferenced_definition_is_deleted(api, connector, definitions):
    make_definitions(api, connector, "1", definition("A"))
    assert api.delete(f"{definitions}/A").status_code == 204
    assert api.get(f"{definitions}/A").status_code == 404


def test_a_referenced_definition_is_kept_with_412_naming_its_referrers(api, connector, definitions):
    make_definitions(
        api,
        connector,
        "1",
        definition("Money"),
        definition("Price", {"$ref": "#/$defs/Money"}),
    )
    link = [{"definition": {"name": "Money"}}]
    api.post(
        f"{versions_path(api, connector)}/1/actions",
        json=action(responses=[{"status": 200, "definitions": link}]),
    )

    response = api.delete(f"{definitions}/Money")

    assert response.status_code == 412
    body = response.json()
    assert body["definition"]["name"] == "Money"
    assert {(ref["type"], ref["name"]) for ref in body["definition"]["referencedBy"]} == {
        ("definition", "Price"),
        ("action", "GetProduct"),
    }
    assert api.get(f"{definitions}/Money").status_code == 200


def test_a_self_reference_does_not_block_deleting(api, connector, definitions):
    make_definitions(api, connector, "1", definition("Node", {"items": {"$ref": "#/$defs/Node"}}))
    assert api.delete(f"{definitions}/Node").status_code == 204


def test_a_forced_delete_leaves_a_dangling_reference_that_blocks_publishing(
    api, connector, definitions
):
    make_definitions(
        api, connector, "1", definition("Money"), definition("Price", {"$ref": "#/$defs/Money"})
    )

    assert api.delete(f"{definitions}/Money", params={"force": "true"}).status_code == 204

    assert api.get(f"{definitions}/Price").status_code == 200
    refused = api.post(f"{versions_path(api, connector)}/1/publish")
    assert refused.status_code == 400
    assert refused.json()["fields"][0]["field"] == "definitions.Price.schema"


def _delete_many(api, definitions, body: dict, **params):
    return api.request("DELETE", definitions, json=body, params=params)


def test_definitions_are_deleted_by_ids_and_names_together(api, connector, definitions):
    a, _, _ = make_definitions(api, connector, "1", *[definition(name) for name in "ABC"])

    response = _delete_many(api, definitions, {"ids": [a["id"]], "names": ["B"]})

    assert response.status_code == 204
    assert _names(api.get(definitions).json()) == ["C"]


def test_deleting_a_set_that_only_references_itself_needs_no_force(api, connector, definitions):
    make_definitions(
        api,
        connector,
        "1",
        definition("A", {"$ref": "#/$defs/B"}),
        definition("B", {"$ref": "#/$defs/A"}),
        definition("Keep"),
    )
    assert _delete_many(api, definitions, {"names": ["A", "B"]}).status_code == 204
    assert _names(api.get(definitions).json()) == ["Keep"]


def test_deleting_many_with_an_outside_reference_is_412_unless_forced(api, connector, definitions):
    make_definitions(api, connector, "1", definition("A"), definition("B", {"$ref": "#/$defs/A"}))

    refused = _delete_many(api, definitions, {"names": ["A"]})
    forced = _delete_many(api, definitions, {"names": ["A"]}, force="true")

    assert refused.status_code == 412
    assert refused.json()["definition"]["referencedBy"][0]["name"] == "B"
    assert forced.status_code == 204
    assert _names(api.get(definitions).json()) == ["B"]


def test_all_deletes_every_definition(api, connector, definitions):
    make_definitions(api, connector, "1", definition("A"), definition("B", {"$ref": "#/$defs/A"}))
    assert _delete_many(api, definitions, {"all": True}).status_code == 204
    assert api.get(definitions).json()["totalCount"] == 0


@pytest.mark.parametrize(
    "body",
    [{}, {"all": False}, {"all": True, "names": ["A"]}, {"ids": "A"}, {"names": [1]}],
)
def test_malformed_delete_requests_are_refused(api, connector, definitions, body):
    make_definitions(api, connector, "1", definition("A"))
    assert _delete_many(api, definitions, body).status_code == 400
    assert api.get(definitions).json()["totalCount"] == 1


def test_deleting_unknown_or_doubly_named_definitions_deletes_nothing(api, connector, definitions):
    (a,) = make_definitions(api, connector, "1", definition("A"))

    unknown = _delete_many(api, definitions, {"names": ["A", "Nope"], "ids": ["not-an-id"]})
    twice = _delete_many(api, definitions, {"ids": [a["id"]], "names": ["A"]})

    assert unknown.status_code == 404
    assert {item["field"] for item in unknown.json()["fields"]} == {"names[1]", "ids[0]"}
    assert twice.status_code == 400
    assert api.get(definitions).json()["totalCount"] == 1


# --- published versions ---------------------------------------------------------------------


def test_definitions_of_a_published_version_cannot_change(api, connector, definitions):
    (current,) = make_definitions(api, connector, "1", definition("A"))
    publish(api, connector, "1")

    attempts = [
        api.post(definitions, json={"definitions": [definition("B")]}),
        api.put(f"{definitions}/A", json={**current, "description": "changed"}),
        api.delete(f"{definitions}/A"),
        api.delete(f"{definitions}/A", params={"force": "true"}),
        _delete_many(api, definitions, {"all": True}, force="true"),
    ]

    assert {response.status_code for response in attempts} == {409}
    assert {response.json()["code"] for response in attempts} == {"published_version_immutable"}
    assert api.get(f"{definitions}/A").json() == current
    assert Definition.objects.count() == 1


def test_definitions_are_created_through_the_import_entry_point(api, connector):
    """`create_version_contents` is what the OpenAPI importer calls: contract-shaped payloads,
    definitions referenced by name, all in one transaction."""
    from dashboard.embedded_api.models import ConnectorVersion
    from dashboard.embedded_api.versions.contents import create_version_contents

    make_version(api, connector, "1")
    version = ConnectorVersion.objects.select_related("connector").get(name="1")
    link = [{"definition": {"name": "Product"}}]

    create_version_contents(
        version,
        definitions=[definition("Product", {"items": {"$ref": "#/$defs/Product"}})],
        actions=[action(responses=[{"status": 200, "definitions": link}])],
        triggers=[],
    )

    path = f"{versions_path(api, connector)}/1"
    product = api.get(f"{path}/definitions/Product").json()
    assert _refs(product) == {("definition", "Product"), ("action", "GetProduct")}
    assert json.loads(_raw(api, product).text)["items"]["$ref"] == product["url"]


def test_the_import_entry_point_refuses_a_published_version_and_creates_nothing(api, connector):
    from dashboard.embedded_api.errors import ApiError
    from dashboard.embedded_api.models import ConnectorVersion
    from dashboard.embedded_api.versions.contents import create_version_contents

    make_version(api, connector, "1")
    publish(api, connector, "1")
    version = ConnectorVersion.objects.get(name="1")

    with pytest.raises(ApiError) as refused:
        create_version_contents(version, definitions=[definition("Late")])

    assert refused.value.code == "published_version_immutable"
    assert not Definition.objects.exists()


def test_the_import_entry_point_reports_fields_by_position(api, connector):
    from dashboard.embedded_api.errors import ApiError
    from dashboard.embedded_api.models import ConnectorVersion
    from dashboard.embedded_api.versions.contents import create_version_contents

    make_version(api, connector, "1")
    version = ConnectorVersion.objects.get(name="1")

    with pytest.raises(ApiError) as refused:
        create_version_contents(version, actions=[action("A"), action("A")])

    assert refused.value.status == 409
    assert refused.value.fields[0]["field"] == "actions[1].name"


@pytest.mark.parametrize("text", ["a\x00b", "\ud800"])
def test_the_import_entry_point_refuses_unstorable_text_naming_where(api, connector, text):
    from dashboard.embedded_api.errors import ApiError
    from dashboard.embedded_api.models import ConnectorVersion
    from dashboard.embedded_api.versions.contents import create_version_contents

    make_version(api, connector, "1")
    version = ConnectorVersion.objects.get(name="1")

    with pytest.raises(ApiError) as refused:
        create_version_contents(
            version, definitions=[definition("Fine")], actions=[action("A", summary=text)]
        )

    assert refused.value.status == 400
    assert refused.value.fields[0]["field"] == "actions[0].summary"
    assert not Definition.objects.exists()
