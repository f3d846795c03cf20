"""What an imported version contains: definitions from schemas, actions from operations,
triggers from webhooks and callbacks, and the warnings for everything approximated. Each is
read back through the API after the import, so what was stored is what is checked."""

from tests.embedded_api.imports_support import (
    by_name,
    details,
    document,
    imported,
    json_body,
    operation,
    raw_schema,
    texts,
)

PET = {
    "type": "object",
    "description": "A pet.",
    "properties": {
        "tag": {"$ref": "#/components/schemas/Tag"},
        "owner": {"$ref": "#/components/schemas/Owner"},
    },
}
TAG = {"type": "string", "enum": ["cat", "dog"]}
OWNER = {
    "type": "object",
    "properties": {"pets": {"type": "array", "items": PET["properties"]["tag"]}},
}


def with_paths(paths: dict, version: str = "3.1.0", **fields) -> dict:
    return document(version, paths=paths, **fields)


def listing(schema: dict, media_type: str = "application/json", **schemas) -> dict:
    response = {"description": "OK", **json_body(schema, media_type)}
    return with_paths(
        {"/pets": {"get": operation(operationId="listPets", responses={"200": response})}},
        components={"schemas": schemas},
    )


def stored(api, body: dict, what: str) -> list[dict]:
    """The version's actions, triggers or definitions as the API lists them now."""
    connector = body["connector"]
    version = connector["versions"][0]["name"]
    path = f"{api.o}/connectors/{connector['id']}/versions/{version}/{what}"
    listed = api.get(path, params={"first": 100}).json()
    return listed[what] if what != "definitions" else listed["definitions"]


# --- definitions ---------------------------------------------------------------------------


def test_component_schemas_become_definitions_referring_to_each_other(api):
    body = imported(
        api, listing({"$ref": "#/components/schemas/Pet"}, Pet=PET, Tag=TAG, Owner=OWNER)
    )

    definitions = by_name(body["definitions"])
    assert list(definitions) == ["Pet", "Tag", "Owner"]
    assert definitions["Pet"]["description"] == "A pet."
    pet = raw_schema(api, definitions["Pet"])
    # References between definitions are served as the referenced definition's URL.
    assert pet["properties"]["tag"]["$ref"] == definitions["Tag"]["url"]
    assert pet["properties"]["owner"]["$ref"] == definitions["Owner"]["url"]
    assert raw_schema(api, definitions["Tag"])["enum"] == ["cat", "dog"]


def test_referenced_by_names_the_definitions_and_actions_using_each_one(api):
    body = imported(
        api, listing({"$ref": "#/components/schemas/Pet"}, Pet=PET, Tag=TAG, Owner=OWNER)
    )

    referrers = {
        d["name"]: [(r["type"], r["name"]) for r in d["referencedBy"]] for d in body["definitions"]
    }
    assert referrers == {
        "Pet": [("action", "listPets")],
        "Tag": [("definition", "Owner"), ("definition", "Pet")],
        "Owner": [("definition", "Pet")],
    }
    # The same as the API computes from the stored references.
    assert {d["name"]: d["referencedBy"] for d in stored(api, body, "definitions")} == {
        d["name"]: d["referencedBy"] for d in body["definitions"]
    }


def test_a_circular_reference_is_imported_without_recursing(api):
    node = {
        "type": "object",
        "properties": {
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
        },
    }

    body = imported(api, listing({"$ref": "#/components/schemas/Node"}, Node=node))

    (definition,) = body["definitions"]
    schema = raw_schema(api, definition)
    assert schema["properties"]["children"]["items"]["$ref"] == definition["url"]
    assert ("definition", "Node") in [(r["type"], r["name"]) for r in definition["referencedBy"]]


def test_definition_names_are_made_valid_and_collisions_resolved_in_document_order(api):
    schemas = {"Pet.Tag": TAG, "Pet_Tag": TAG, "pet_tag": TAG, "-.-": TAG}

    body = imported(api, listing({"$ref": "#/components/schemas/Pet.Tag"}, **schemas))

    # Case is ignored when comparing, so names stay distinct where case is not significant.
    assert [d["name"] for d in body["definitions"]] == ["Pet_Tag", "Pet_Tag_2", "pet_tag_3", "-_-"]


def test_inline_request_and_response_schemas_are_named_after_their_operation(api):
    create = operation(
        operationId="addPet",
        requestBody={"required": True, **json_body({"type": "object", "properties": {"n": {}}})},
        responses={
            "201": {"description": "Made", **json_body({"type": "object"})},
            "default": {"description": "Error", **json_body({"type": "string"})},
        },
    )

    body = imported(api, with_paths({"/pets": {"post": create}}))

    assert [d["name"] for d in body["definitions"]] == [
        "addPet_request",
        "addPet_response_201",
        "addPet_response_default",
    ]
    request = by_name(body["definitions"])["addPet_request"]
    assert request["description"] == "Request body of addPet (application/json)"


def test_accept_lists_the_media_types_that_use_a_definition(api):
    shared = {"$ref": "#/components/schemas/Pet"}
    response = {
        "description": "OK",
        "content": {
            "application/json; charset=utf-8": {"schema": shared},
            "application/xml": {"schema": shared},
        },
    }
    doc = with_paths(
        {"/pets": {"get": operation(operationId="listPets", responses={"200": response})}},
        components={"schemas": {"Pet": PET, "Tag": TAG, "Owner": OWNER, "Unused": TAG}},
    )

    definitions = by_name(imported(api, doc)["definitions"])

    assert definitions["Pet"]["accept"] == ["application/json", "application/xml"]
    # Through references too; a definition nothing uses accepts JSON.
    assert definitions["Tag"]["accept"] == ["application/json", "application/xml"]
    assert definitions["Unused"]["accept"] == ["application/json"]


def test_openapi_3_0_schemas_are_converted_to_json_schema(api):
    doc = listing(
        {"$ref": "#/components/schemas/Price"},
        Price={
            "type": "number",
            "nullable": True,
            "minimum": 0,
            "exclusiveMinimum": True,
            "example": 9.5,
        },
    )
    doc["openapi"] = "3.0.3"

    (definition,) = imported(api, doc)["definitions"]

    schema = raw_schema(api, definition)
    assert schema["type"] == ["number", "null"]
    assert schema["exclusiveMinimum"] == 0
    assert schema["examples"] == [9.5]


# --- actions ---------------------------------------------------------------------------------


def test_an_operation_becomes_an_action_with_its_method_path_and_texts(api):
    get = operation(operationId="getPet", summary="One pet", description="Finds a pet.")

    body = imported(api, with_paths({"/pets/{petId}/toys/{toyId}": {"get": get}}))

    (action,) = stored(api, body, "actions")
    assert (action["name"], action["type"], action["method"]) == ("getPet", "http", "GET")
    assert action["path"] == "/pets/{{ param.petId }}/toys/{{ param.toyId }}"
    assert (action["summary"], action["description"]) == ("One pet", "Finds a pet.")


def test_without_an_operation_id_an_action_is_named_after_method_and_path(api):
    body = imported(api, with_paths({"/pets/{id}": {"delete": operation()}}))

    assert [a["name"] for a in body["actions"]] == ["delete_pets_id"]


def test_duplicate_operation_ids_are_made_unique_with_a_warning(api):
    paths = {
        "/a": {"get": operation(operationId="fetch")},
        "/b": {"get": operation(operationId="fetch")},
    }

    body = imported(api, with_paths(paths))

    assert [a["name"] for a in body["actions"]] == ["fetch", "fetch_2"]
    (warning,) = [m for m in body["messages"] if m["severity"] == "warning"]
    assert warning["detail"] == ["/paths/~1b/get/operationId"]
    assert "/paths/~1a/get" in warning["text"]


def test_parameters_merge_path_and_operation_levels_for_every_location(api):
    path_item = {
        "parameters": [
            {"name": "petId", "in": "path", "required": True, "schema": {"type": "integer"}},
            {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 10}},
        ],
        "get": operation(
            operationId="getPet",
            parameters=[
                {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 50}},
                {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                {"name": "session", "in": "cookie", "required": True, "schema": {"type": "string"}},
                {"name": "verbose", "in": "query", "schema": {"type": "boolean"}},
            ],
        ),
    }

    (action,) = imported(api, with_paths({"/pets/{petId}": path_item}))["actions"]

    parameters = {(p["in"], p["name"]): p for p in action["parameters"]}
    assert parameters["path", "petId"] == {
        "name": "petId",
        "in": "path",
        "required": True,
        "type": "integer",
    }
    assert parameters["query", "limit"]["default"] == 50  # the operation's wins
    assert parameters["header", "X-Trace"]["type"] == "string"
    assert parameters["cookie", "session"]["required"] is True
    assert parameters["query", "verbose"]["type"] == "boolean"


def test_non_scalar_parameters_are_approximated_as_strings_with_a_warning(api):
    get = operation(
        operationId="search",
        parameters=[{"name": "ids", "in": "query", "schema": {"type": "array", "items": {}}}],
    )

    body = imported(api, with_paths({"/search": {"get": get}}))

    assert body["actions"][0]["parameters"][0]["type"] == "string"
    assert "/paths/~1search/get/parameters/0" in details(body)


def test_request_bodies_link_one_definition_per_distinct_schema(api):
    post = operation(
        operationId="addPet",
        requestBody={
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Tag"}},
                "application/xml": {"schema": {"type": "object"}},
            }
        },
    )

    body = imported(
        api, with_paths({"/pets": {"post": post}}, components={"schemas": {"Tag": TAG}})
    )

    request = body["actions"][0]["requestBody"]
    assert request["required"] is False
    assert [link["definition"]["name"] for link in request["definitions"]] == [
        "Tag",
        "addPet_request",
    ]


def test_responses_map_per_status_with_default_and_ranges(api):
    get = operation(
        operationId="getPet",
        responses={
            "200": {"description": "OK", **json_body({"$ref": "#/components/schemas/Tag"})},
            "4XX": {"description": "Client error"},
            "default": {"description": "Other"},
        },
    )

    body = imported(api, with_paths({"/pets": {"get": get}}, components={"schemas": {"Tag": TAG}}))

    responses = body["actions"][0]["responses"]
    assert [r.get("status") for r in responses] == [200, 400, None]
    assert [link["definition"]["name"] for link in responses[0]["definitions"]] == ["Tag"]
    assert "/paths/~1pets/get/responses/4XX" in details(body)


def test_an_operation_without_responses_gets_a_default_response_with_a_warning(api):
    doc = with_paths({"/ping": {"get": {"operationId": "ping"}}})  # 3.1 allows no responses

    body = imported(api, doc)

    assert body["actions"][0]["responses"][0].get("status") is None
    assert "/paths/~1ping/get" in details(body)


# --- triggers --------------------------------------------------------------------------------


def test_webhooks_become_triggers(api):
    webhook = operation(
        operationId="petAdopted",
        requestBody=json_body({"$ref": "#/components/schemas/Tag"}),
    )
    doc = document(
        "3.1.0",
        webhooks={"adopted": {"post": webhook}, "lost": {"post": operation()}},
        components={"schemas": {"Tag": TAG}},
    )
    del doc["paths"]  # 3.1 allows webhooks without paths

    body = imported(api, doc)

    assert body["actions"] == []
    assert [t["name"] for t in body["triggers"]] == ["petAdopted", "lost"]
    triggers = by_name(stored(api, body, "triggers"))
    assert triggers["petAdopted"]["method"] == "POST"
    assert "path" not in triggers["petAdopted"]
    assert triggers["petAdopted"]["requestBody"]["definitions"][0]["definition"]["name"] == "Tag"


def test_callbacks_become_triggers_named_after_their_operation(api):
    subscribe = operation(
        operationId="subscribe",
        callbacks={"onEvent": {"{$request.body#/url}": {"post": operation()}}},
    )

    body = imported(api, with_paths({"/subscriptions": {"post": subscribe}}, "3.0.3"))

    assert [t["name"] for t in body["triggers"]] == ["subscribe_onEvent"]


# --- messages --------------------------------------------------------------------------------


def test_every_warning_names_where_in_the_document_it_comes_from(api):
    get = operation(
        operationId="getPet",
        parameters=[{"name": "Accept", "in": "header", "schema": {"type": "string"}}],
        servers=[{"url": "https://other.example.com"}],
        responses={"200": {"description": "OK", "headers": {"X-Rate": {"schema": {}}}}},
    )

    body = imported(api, with_paths({"/pets": {"get": get}}))

    warnings = [m for m in body["messages"] if m["severity"] == "warning"]
    assert len(warnings) == 3 == len(texts(body))
    assert all(m["detail"] and m["detail"][0].startswith("/paths/~1pets/get") for m in warnings)


def test_an_operation_id_longer_than_the_contract_allows_is_cut_with_a_warning(api):
    long_id = "listEverything" * 20  # 280 characters
    get = operation(
        operationId=long_id,
        responses={"200": {"description": "OK", **json_body({"type": "object"})}},
    )

    body = imported(api, with_paths({"/all": {"get": get}}))

    (action,) = body["actions"]
    assert action["name"] == long_id[:200]
    assert all(len(d["name"]) <= 200 for d in body["definitions"])
    assert "/paths/~1all/get/operationId" in details(body)
