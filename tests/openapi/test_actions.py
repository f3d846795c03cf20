"""Operations to actions in the contract's ActionHTTPCreate shape."""

import pytest

from tests.openapi.support import (
    contract_errors,
    document,
    json_body,
    messages_at,
    operation,
    run,
)


def param(name: str, location: str = "query", schema: dict | None = None, **fields) -> dict:
    return {"name": name, "in": location, "schema": schema or {"type": "string"}, **fields}


def single(op: dict, path: str = "/pets", method: str = "get", version: str = "3.1.0", **fields):
    result = run(document(version, paths={path: {method: op}}, **fields))
    assert len(result.actions) == 1
    return result.actions[0], result


def test_an_operation_becomes_an_action_in_the_contracts_shape():
    op = operation(
        operationId="listPets",
        summary="List pets",
        description="All of them.",
        parameters=[param("limit", schema={"type": "integer"})],
    )
    mapped, _ = single(op)
    assert {key: value for key, value in mapped.items() if key != "responses"} == {
        "type": "http",
        "name": "listPets",
        "summary": "List pets",
        "description": "All of them.",
        "method": "GET",
        "path": "/pets",
        "parameters": [{"name": "limit", "in": "query", "required": False, "type": "integer"}],
    }
    assert contract_errors("ActionHTTPCreate", mapped) == []
    assert contract_errors("ActionCreate", mapped) == []


def test_without_an_operation_id_the_name_is_the_method_and_path():
    mapped, _ = single(
        operation(parameters=[param("petId", "path", required=True)]), path="/pets/{petId}"
    )
    assert mapped["name"] == "get_pets_petId"


def test_path_variables_become_template_parameters():
    ids = [param("owner-id", "path", required=True), param("petId", "path", required=True)]
    mapped, _ = single(operation(parameters=ids), path="/owners/{owner-id}/pets/{petId}")
    assert mapped["path"] == "/owners/{{ param.owner-id }}/pets/{{ param.petId }}"


def test_actions_keep_document_order_and_every_method():
    methods = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
    result = run(
        document(paths={"/a": {m: operation() for m in methods}, "/b": {"get": operation()}})
    )
    assert [(a["method"], a["path"]) for a in result.actions] == [
        *[(m.upper(), "/a") for m in methods],
        ("GET", "/b"),
    ]


def test_duplicate_operation_ids_are_renamed_with_a_warning():
    result = run(
        document(
            paths={
                "/a": {"get": operation(operationId="fetch")},
                "/b": {"get": operation(operationId="fetch")},
                "/c": {"get": operation(operationId="fetch")},
            }
        )
    )
    assert [a["name"] for a in result.actions] == ["fetch", "fetch_2", "fetch_3"]
    warning = messages_at(result, "/paths/~1b/get/operationId")[0]
    assert "operationId 'fetch' is a duplicate" in warning
    assert "/paths/~1a/get/operationId" in warning
    assert "fetch_3" in messages_at(result, "/paths/~1c/get/operationId")[0]


def test_an_operation_id_with_invalid_characters_is_renamed_with_a_warning():
    mapped, result = single(operation(operationId="pets.list all"))
    assert mapped["name"] == "pets_list_all"
    warning = messages_at(result, "/paths/~1pets/get/operationId")[0]
    assert "is not a valid name" in warning and "renamed 'pets_list_all'" in warning


def test_path_level_parameters_merge_with_the_operations_which_win():
    item = {
        "parameters": [
            param("petId", "path", required=True),
            param("limit", schema={"type": "integer"}),
            param("X-Trace", "header"),
        ],
        "get": operation(
            parameters=[
                param("limit", schema={"type": "number"}, required=True),
                param("s", "cookie"),
            ]
        ),
    }
    result = run(document(paths={"/pets/{petId}": item}))
    assert result.actions[0]["parameters"] == [
        {"name": "petId", "in": "path", "required": True, "type": "string"},
        {"name": "limit", "in": "query", "required": True, "type": "number"},
        {"name": "X-Trace", "in": "header", "required": False, "type": "string"},
        {"name": "s", "in": "cookie", "required": False, "type": "string"},
    ]


def test_a_same_named_parameter_in_another_location_is_another_parameter():
    item = {"parameters": [param("id")], "get": operation(parameters=[param("id", "header")])}
    result = run(document(paths={"/pets": item}))
    assert [(p["name"], p["in"]) for p in result.actions[0]["parameters"]] == [
        ("id", "query"),
        ("id", "header"),
    ]


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "integer", "default": 20}, {"type": "integer", "default": 20}),
        ({"type": "boolean", "default": False}, {"type": "boolean", "default": False}),
        ({"type": "number"}, {"type": "number"}),
        ({"type": ["string", "null"], "default": "x"}, {"type": "string", "default": "x"}),
        ({"enum": ["asc", "desc"]}, {"type": "string"}),
        ({"$ref": "#/components/schemas/Order"}, {"type": "string", "default": "asc"}),
    ],
)
def test_scalar_parameter_types_and_defaults_are_kept(schema, expected):
    components = {
        "schemas": {"Order": {"type": "string", "enum": ["asc", "desc"], "default": "asc"}}
    }
    mapped, result = single(
        operation(parameters=[param("p", schema=schema)]), components=components
    )
    assert mapped["parameters"] == [{"name": "p", "in": "query", "required": False, **expected}]
    assert messages_at(result, "/paths/~1pets/get/parameters/0") == []


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (param("tags", schema={"type": "array", "items": {"type": "string"}}), "of type array"),
        (param("filter", schema={"type": "object"}), "of type object"),
        (param("id", schema={"type": ["string", "integer"]}), "of type string or integer"),
        (param("any", schema={"anyOf": [{"type": "string"}, {"type": "integer"}]}), "no single"),
        (
            {"name": "q", "in": "query", "content": {"application/json": {"schema": {}}}},
            "described by content",
        ),
    ],
)
def test_non_scalar_parameters_are_approximated_as_strings_with_a_warning(raw, says):
    mapped, result = single(operation(parameters=[raw]))
    assert mapped["parameters"][0]["type"] == "string"
    warning = messages_at(result, "/paths/~1pets/get/parameters/0")[0]
    assert says in warning and "approximated as a string" in warning


@pytest.mark.parametrize("name", ["Accept", "content-type", "Authorization"])
def test_headers_openapi_ignores_are_dropped_with_a_warning(name):
    mapped, result = single(operation(parameters=[param(name, "header")]))
    assert mapped["parameters"] == []
    assert "OpenAPI ignores it" in messages_at(result, "/paths/~1pets/get/parameters/0")[0]


def test_an_undeclared_path_variable_is_added_as_a_required_string_with_a_warning():
    mapped, result = single(operation(), path="/pets/{petId}")
    assert mapped["parameters"] == [
        {"name": "petId", "in": "path", "required": True, "type": "string"}
    ]
    assert "petId" in messages_at(result, "/paths/~1pets~1{petId}/get")[0]


def test_parameters_and_request_bodies_may_be_references():
    components = {
        "parameters": {"Limit": param("limit", schema={"type": "integer"})},
        "requestBodies": {"Pet": {"required": True, **json_body({"type": "object"})}},
    }
    op = operation(
        operationId="addPet",
        parameters=[{"$ref": "#/components/parameters/Limit"}],
        requestBody={"$ref": "#/components/requestBodies/Pet"},
    )
    mapped, _ = single(op, method="post", components=components)
    assert mapped["parameters"][0]["name"] == "limit"
    assert mapped["requestBody"] == {
        "required": True,
        "definitions": [{"definition": {"name": "Pet_request"}}],
    }


def test_an_optional_request_body_is_not_required():
    mapped, _ = single(operation(requestBody=json_body({"type": "object"})), method="post")
    assert mapped["requestBody"]["required"] is False


def test_responses_map_per_status_and_default_has_no_status():
    components = {
        "responses": {"NotFound": {"description": "Missing", **json_body({"type": "object"})}}
    }
    op = operation(
        operationId="getPet",
        responses={
            "200": {"description": "OK", **json_body({"type": "string"})},
            "204": {"description": "Nothing"},
            "404": {"$ref": "#/components/responses/NotFound"},
            "default": {"description": "Error", **json_body({"type": "object"})},
        },
    )
    mapped, _ = single(op, components=components)
    responses = [{k: v for k, v in r.items() if k != "id"} for r in mapped["responses"]]
    assert responses == [
        {"status": 200, "definitions": [{"definition": {"name": "getPet_response_200"}}]},
        {"status": 204, "definitions": []},
        {"status": 404, "definitions": [{"definition": {"name": "NotFound_response"}}]},
        {"definitions": [{"definition": {"name": "getPet_response_default"}}]},
    ]
    assert len({r["id"] for r in mapped["responses"]}) == 4


def test_a_shared_response_or_body_is_mapped_once_and_named_after_its_component():
    components = {
        "responses": {
            "Error": {
                "description": "Error",
                "headers": {"X-Id": {"schema": {"type": "string"}}},
                "content": {"application/json": {"schema": {"type": "object"}}, "text/plain": {}},
            }
        },
        "requestBodies": {"Note": json_body({"type": "string"}, "text/plain")},
    }
    shared = {
        "requestBody": {"$ref": "#/components/requestBodies/Note"},
        "responses": {"default": {"$ref": "#/components/responses/Error"}},
    }
    doc = document(paths={"/a": {"post": shared}, "/b": {"post": shared}}, components=components)
    result = run(doc)
    assert [d.name for d in result.definitions] == ["Note_request", "Error_response"]
    for mapped in result.actions:
        assert mapped["requestBody"]["definitions"] == [{"definition": {"name": "Note_request"}}]
        assert mapped["responses"][0]["definitions"] == [{"definition": {"name": "Error_response"}}]
    assert len(messages_at(result, "/components/responses/Error/content/text~1plain")) == 1
    assert messages_at(result, "/components/responses/Error/headers") == [
        "Response headers are not imported (actions have no place for them)."
    ]


def test_a_status_range_becomes_its_first_code_with_a_warning():
    mapped, result = single(operation(responses={"2XX": {"description": "Fine"}}))
    assert [r["status"] for r in mapped["responses"]] == [200]
    assert "2XX" in messages_at(result, "/paths/~1pets/get/responses/2XX")[0]


def test_a_status_range_whose_first_code_is_listed_is_dropped_with_a_warning():
    responses = {"200": {"description": "OK"}, "2XX": {"description": "Other"}}
    mapped, result = single(operation(responses=responses))
    assert [r["status"] for r in mapped["responses"]] == [200]
    assert "dropped" in messages_at(result, "/paths/~1pets/get/responses/2XX")[0]


def test_an_operation_without_responses_gets_a_default_response_with_a_warning():
    mapped, result = single({"operationId": "fireAndForget"}, method="post")
    assert [{k: v for k, v in r.items() if k != "id"} for r in mapped["responses"]] == [
        {"definitions": []}
    ]
    assert "No responses" in messages_at(result, "/paths/~1pets/post")[0]


def test_parts_without_a_place_in_an_action_are_dropped_with_one_warning_each():
    response = {
        "description": "OK",
        "headers": {"X-Rate-Limit": {"schema": {"type": "integer"}}},
        "links": {"next": {"operationId": "b"}},
    }
    doc = document(
        paths={
            "/a": {
                "servers": [{"url": "https://a.example.com"}],
                "get": operation(
                    operationId="a",
                    security=[{"key": []}],
                    servers=[{"url": "https://other.example.com"}],
                    responses={"200": response, "201": response},
                ),
            },
            "/b": {"get": operation(operationId="b")},
        },
        components={"securitySchemes": {"key": {"type": "apiKey", "name": "k", "in": "header"}}},
    )
    result = run(doc)

    def places(prefix: str) -> tuple[str, ...]:
        return next(m.detail for m in result.messages if m.text.startswith(prefix))

    assert places("Response headers") == (
        "/paths/~1a/get/responses/200/headers",
        "/paths/~1a/get/responses/201/headers",
    )
    assert places("Response links") == (
        "/paths/~1a/get/responses/200/links",
        "/paths/~1a/get/responses/201/links",
    )
    assert places("Servers") == ("/paths/~1a/servers", "/paths/~1a/get/servers")
    assert places("Security requirements") == ("/paths/~1a/get/security",)


def test_a_path_item_may_be_a_reference():
    doc = document(
        paths={"/pets": {"$ref": "#/components/pathItems/Pets"}},
        components={"pathItems": {"Pets": {"get": operation(operationId="listPets")}}},
    )
    assert [a["name"] for a in run(doc).actions] == ["listPets"]


def test_every_action_of_a_rich_document_matches_the_contract():
    op = operation(
        operationId="update",
        parameters=[param("id", "path", required=True), param("tags", schema={"type": "array"})],
        requestBody={"content": {"application/json": {"schema": {"type": "object"}}}},
        responses={"2XX": {"description": "OK"}, "default": {"description": "Error"}},
    )
    mapped, _ = single(op, path="/pets/{id}", method="patch", version="3.0.3")
    assert contract_errors("ActionHTTPCreate", mapped) == []
