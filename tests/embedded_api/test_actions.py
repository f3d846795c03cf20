"""Actions of a connector version: list (name filter, pages), create, get, update, delete,
definition links, validation `errors`, and immutability once published."""

import pytest

from tests.embedded_api.versions_support import (
    action,
    definition,
    make_connector,
    make_definitions,
    make_version,
    publish,
    versions_path,
)


@pytest.fixture
def connector(api):
    return make_connector(api.org)


@pytest.fixture
def actions(api, connector) -> str:
    """The actions path of draft version 1."""
    make_version(api, connector, "1")
    return f"{versions_path(api, connector)}/1/actions"


def _linking(*names: str, status: int = 200, **fields) -> dict:
    links = [{"definition": {"name": name}} for name in names]
    return action(responses=[{"status": status, "definitions": links}], **fields)


def test_an_action_is_created_and_read_back(api, actions):
    created = api.post(actions, json=action(summary="Get product", description="One product"))

    assert created.status_code == 201
    body = created.json()
    assert (body["name"], body["method"], body["path"]) == (
        "GetProduct",
        "GET",
        "/products/{{ param.id }}",
    )
    assert body["errors"] == []
    assert body["parameters"] == [{"name": "id", "in": "path", "required": True, "type": "string"}]
    assert api.get(f"{actions}/GetProduct").json() == body


def test_parameter_defaults_and_absent_values_are_kept_apart(api, actions):
    parameters = [
        {"name": "id", "in": "path", "required": True, "type": "string"},
        {"name": "limit", "in": "query", "required": False, "type": "integer", "default": 10},
        {"name": "X-Trace", "in": "header", "required": False, "type": "string"},
    ]
    body = api.post(actions, json=action(parameters=parameters)).json()
    assert body["parameters"] == parameters


@pytest.mark.parametrize("name", ["get product", "get/product", "", "ünïcode"])
def test_names_outside_the_contracts_pattern_are_refused(api, actions, name):
    response = api.post(actions, json=action(name))
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "name"


def test_a_name_outside_the_pattern_is_explained_in_words_not_as_a_regular_expression(api, actions):
    response = api.post(actions, json=action("get product"))

    message = response.json()["fields"][0]["message"]
    assert message == "use only letters, digits, '_', '-' and '$' (no spaces)"


def test_names_may_use_dollar_dash_and_underscore(api, actions):
    assert api.post(actions, json=action("get_product-$v2")).status_code == 201
    assert api.get(f"{actions}/get_product-$v2").status_code == 200


def test_a_duplicate_name_in_the_version_is_a_conflict(api, actions):
    api.post(actions, json=action())
    response = api.post(actions, json=action())
    assert response.status_code == 409
    assert response.json()["fields"][0]["field"] == "name"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"method": "FETCH"}, "method"),
        ({"type": "graphql"}, "type"),
        ({"parameters": [{"name": "id", "in": "body", "required": True, "type": "string"}]}, "in"),
        ({"responses": [{"status": 99, "definitions": []}]}, "status"),
        ({"responses": "none"}, "responses"),
    ],
)
def test_malformed_actions_are_refused_with_the_field_named(api, actions, change, field):
    response = api.post(actions, json=action(**change))
    assert response.status_code == 400
    assert any(field in item["field"] for item in response.json()["fields"])


def test_an_http_action_on_a_bigquery_connector_is_refused(api):
    connector = make_connector(api.org, protocol="bigquery", dataset_id="project.dataset")
    make_version(api, connector, "1")
    response = api.post(f"{versions_path(api, connector)}/1/actions", json=action())
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "type"


def test_definitions_are_linked_by_name_or_id_and_embedded(api, connector, actions):
    product, error = make_definitions(
        api, connector, "1", definition("Product"), definition("Problem")
    )
    body = action(
        method="POST",
        requestBody={"required": True, "definitions": [{"definition": {"id": product["id"]}}]},
        responses=[
            {"status": 201, "definitions": [{"definition": {"name": "Product"}}]},
            {"definitions": [{"definition": {"name": "Problem"}}]},
        ],
    )

    created = api.post(actions, json=body).json()

    assert created["requestBody"]["required"] is True
    assert created["requestBody"]["definitions"][0]["definition"]["id"] == product["id"]
    assert created["responses"][0]["definitions"][0]["definition"]["name"] == "Product"
    assert "status" not in created["responses"][1]  # the default response
    assert created["responses"][1]["definitions"][0]["definition"]["url"] == error["url"]
    refs = api.get(f"{versions_path(api, connector)}/1/definitions/Product").json()["referencedBy"]
    assert refs == [{"type": "action", "id": created["id"], "name": "GetProduct"}]


def test_linking_an_unknown_definition_is_refused_and_names_the_link(api, actions):
    response = api.post(actions, json=_linking("Nowhere"))
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "responses[0].definitions[0].definition"


def test_listing_filters_by_name_case_insensitively(api, actions):
    for name in ("GetProduct", "ListProducts", "GetOrder"):
        api.post(actions, json=action(name))

    page = api.get(actions, params={"name": "product"}).json()

    assert {item["name"] for item in page["actions"]} == {"GetProduct", "ListProducts"}
    assert page["totalCount"] == 2


def test_action_pages_walk_forwards_and_back_with_right_ends(api, actions):
    names = [f"Action{index}" for index in range(5)]
    for name in names:
        api.post(actions, json=action(name))
    newest_first = names[::-1]

    first = api.get(actions, params={"first": 2}).json()
    second = api.get(actions, params={"first": 2, "after": first["next"]}).json()
    third = api.get(actions, params={"first": 2, "after": second["next"]}).json()
    back = api.get(actions, params={"first": 2, "before": second["prev"]}).json()

    assert [item["name"] for item in first["actions"]] == newest_first[:2]
    assert [item["name"] for item in second["actions"]] == newest_first[2:4]
    assert [item["name"] for item in third["actions"]] == newest_first[4:]
    assert "prev" not in first and "next" in first
    assert "next" not in third and "prev" in third
    assert [item["name"] for item in back["actions"]] == newest_first[:2]
    assert "prev" not in back
    assert {page["totalCount"] for page in (first, second, third, back)} == {5}


def test_an_empty_version_lists_no_actions(api, actions):
    assert api.get(actions).json() == {"actions": [], "totalCount": 0}


def test_a_bad_cursor_or_page_size_is_a_400(api, actions):
    assert api.get(actions, params={"after": "garbage"}).status_code == 400
    assert api.get(actions, params={"first": 0}).status_code == 400


def test_updating_replaces_the_action_and_moves_it_to_the_top(api, actions):
    api.post(actions, json=action("GetProduct"))
    api.post(actions, json=action("GetOrder"))
    current = api.get(f"{actions}/GetProduct").json()
    changed = {**current, "summary": "Fetch one product", "method": "HEAD"}

    response = api.put(f"{actions}/GetProduct", json=changed)

    assert response.status_code == 200
    assert (response.json()["summary"], response.json()["method"]) == ("Fetch one product", "HEAD")
    assert response.json()["responses"][0]["id"] == current["responses"][0]["id"]
    assert api.get(actions).json()["actions"][0]["name"] == "GetProduct"


def test_an_action_can_be_renamed_but_not_onto_another(api, actions):
    api.post(actions, json=action("GetProduct"))
    api.post(actions, json=action("GetOrder"))
    current = api.get(f"{actions}/GetProduct").json()

    clash = api.put(f"{actions}/GetProduct", json={**current, "name": "GetOrder"})
    renamed = api.put(f"{actions}/GetProduct", json={**current, "name": "FetchProduct"})

    assert clash.status_code == 409
    assert renamed.status_code == 200
    assert api.get(f"{actions}/FetchProduct").json()["id"] == current["id"]
    assert api.get(f"{actions}/GetProduct").status_code == 404


def test_an_update_with_another_actions_id_is_refused(api, actions):
    current = api.post(actions, json=action()).json()
    other = api.post(actions, json=action("Other")).json()
    response = api.put(f"{actions}/GetProduct", json={**current, "id": other["id"]})
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "id"


def test_updating_an_action_bumps_the_version_and_connector(api, connector, actions):
    api.post(actions, json=action())
    version_before = api.get(f"{versions_path(api, connector)}/1").json()["updatedAt"]
    connector.refresh_from_db()
    connector_before = connector.updated_at
    current = api.get(f"{actions}/GetProduct").json()

    api.put(f"{actions}/GetProduct", json={**current, "summary": "new"})

    assert api.get(f"{versions_path(api, connector)}/1").json()["updatedAt"] > version_before
    connector.refresh_from_db()
    assert connector.updated_at > connector_before


def test_deleting_an_action_removes_it_and_its_references(api, connector, actions):
    make_definitions(api, connector, "1", definition("Product"))
    api.post(actions, json=_linking("Product"))

    assert api.delete(f"{actions}/GetProduct").status_code == 204

    assert api.get(f"{actions}/GetProduct").status_code == 404
    product = api.get(f"{versions_path(api, connector)}/1/definitions/Product").json()
    assert product["referencedBy"] == []
    assert api.delete(f"{actions}/GetProduct").status_code == 404


@pytest.mark.parametrize(
    ("change", "pointer", "severity"),
    [
        ({"responses": []}, "/responses", "error"),
        ({"responses": [{"status": 200}, {"status": 200}]}, "/responses/1/status", "error"),
        ({"responses": [{}, {}]}, "/responses/1", "error"),
        ({"path": "/p/{{ param.id }}/{{ param.sku }}"}, "/path", "error"),
        ({"path": "/products"}, "/parameters/0", "warning"),
        (
            {"parameters": [{"name": "id", "in": "path", "required": False, "type": "string"}]},
            "/parameters/0/required",
            "error",
        ),
        (
            {
                "path": "/p",
                "parameters": [
                    {"name": "X-A", "in": "header", "required": False, "type": "string"},
                    {"name": "x-a", "in": "header", "required": False, "type": "string"},
                ],
            },
            "/parameters/1/name",
            "error",
        ),
    ],
)
def test_problems_are_reported_in_errors_with_a_pointer(api, actions, change, pointer, severity):
    created = api.post(actions, json=action(**change))
    assert created.status_code == 201
    assert [(e["field"], e["severity"]) for e in created.json()["errors"]] == [(pointer, severity)]


def test_two_definitions_for_one_media_type_are_an_error(api, connector, actions):
    make_definitions(api, connector, "1", definition("A"), definition("B"))
    created = api.post(actions, json=_linking("A", "B")).json()
    assert [error["field"] for error in created["errors"]] == ["/responses/0/definitions/1"]


def test_a_force_deleted_definition_shows_as_an_error_and_blocks_publishing(
    api, connector, actions
):
    make_definitions(api, connector, "1", definition("Product"))
    api.post(actions, json=_linking("Product"))
    path = f"{versions_path(api, connector)}/1"
    assert api.delete(f"{path}/definitions/Product", params={"force": "true"}).status_code == 204

    current = api.get(f"{actions}/GetProduct").json()

    assert current["responses"][0]["definitions"] == []
    assert [error["field"] for error in current["errors"]] == ["/responses/0/definitions/0"]
    refused = api.post(f"{path}/publish")
    assert refused.status_code == 400
    assert refused.json()["fields"][0]["field"] == "actions.GetProduct.responses[0].definitions[0]"


def test_actions_of_a_published_version_cannot_change(api, connector, actions):
    api.post(actions, json=action())
    current = api.get(f"{actions}/GetProduct").json()
    publish(api, connector, "1")

    attempts = [
        api.post(actions, json=action("Another")),
        api.put(f"{actions}/GetProduct", json={**current, "summary": "changed"}),
        api.delete(f"{actions}/GetProduct"),
    ]

    assert [response.status_code for response in attempts] == [409, 409, 409]
    assert {response.json()["code"] for response in attempts} == {"published_version_immutable"}
    assert api.get(f"{actions}/GetProduct").json() == current
    assert api.get(actions).json()["totalCount"] == 1


def test_actions_of_published_versions_are_read_through_latest(api, connector, actions):
    api.post(actions, json=action())
    publish(api, connector, "1")
    path = f"{versions_path(api, connector)}/latest/actions"
    assert [item["name"] for item in api.get(path).json()["actions"]] == ["GetProduct"]
    assert api.get(f"{path}/GetProduct").status_code == 200


def test_unknown_actions_and_odd_names_are_404(api, actions):
    assert api.get(f"{actions}/Nope").status_code == 404
    assert api.get(f"{actions}/bad%ED%A0%80name").status_code == 404
    # NUL cannot be stored, so it cannot name anything: refused like a bad query string.
    assert api.get(f"{actions}/bad%00name").status_code == 400
    assert api.put(f"{actions}/Nope", json=action("Nope")).status_code == 404


def test_a_nul_character_in_a_body_is_refused(api, actions):
    response = api.post(actions, json=action(summary="bad\x00summary"))
    assert response.status_code == 400


def test_listing_costs_the_same_queries_for_any_page_size(
    api, connector, actions, django_assert_max_num_queries
):
    make_definitions(api, connector, "1", definition("A"), definition("B", accept=["text/csv"]))
    for index in range(12):
        api.post(actions, json=_linking("A", "B", name=f"Action{index}"))
    # Authentication, connector, version, count, page, and the linked definitions once.
    with django_assert_max_num_queries(6):
        page = api.get(actions, params={"first": 12}).json()
    assert len(page["actions"]) == 12
    assert all(len(item["responses"][0]["definitions"]) == 2 for item in page["actions"])
