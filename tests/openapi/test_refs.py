"""`$ref`s: local ones resolve, external ones are refused and never fetched, loops are safe."""

import http.server
import threading

import pytest

from dashboard.openapi import ImportFailure
from tests.openapi.support import definition, document, json_body, operation, run


def failure(doc: dict) -> ImportFailure:
    with pytest.raises(ImportFailure) as caught:
        run(doc)
    return caught.value


def with_schema(schema: dict, **components) -> dict:
    return document(
        paths={
            "/pets": {
                "get": operation(responses={"200": {"description": "OK", **json_body(schema)}})
            }
        },
        components={"schemas": components},
    )


@pytest.fixture
def recording_server():
    """A loopback server that records every request it gets (there should be none)."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"type": "string"}')

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def test_an_external_ref_is_refused_and_never_fetched(recording_server):
    base, requests = recording_server
    error = failure(with_schema({"$ref": f"{base}/pet.json"}))
    assert error.code == "unresolvable_ref"
    assert "never fetched" in error.message
    pointer = "/paths/~1pets/get/responses/200/content/application~1json/schema/$ref"
    assert error.messages[0].detail == (pointer,)
    assert requests == []


@pytest.mark.parametrize("ref", ["pet.yaml", "other.yaml#/components/schemas/Pet", "#Pet"])
def test_refs_that_leave_the_document_or_are_not_pointers_are_refused(ref):
    assert failure(with_schema({"$ref": ref})).code == "unresolvable_ref"


def test_a_ref_to_nothing_is_refused_with_its_location():
    error = failure(with_schema({"$ref": "#/components/schemas/Missing"}, Pet={"type": "object"}))
    assert error.code == "unresolvable_ref"
    assert "#/components/schemas/Missing points to nothing" in error.messages[0].text


def test_every_bad_ref_is_listed_up_to_a_limit():
    schemas = {f"S{i}": {"$ref": f"#/components/schemas/Gone{i}"} for i in range(25)}
    error = failure(document(components={"schemas": schemas}))
    assert len(error.messages) == 20
    assert "25 $ref(s)" in error.message and "and 5 more" in error.message
    assert error.messages[0].detail == ("/components/schemas/S0/$ref",)


def test_a_loop_of_references_that_never_reaches_an_object_is_refused():
    doc = document(
        paths={"/pets": {"get": operation(parameters=[{"$ref": "#/components/parameters/A"}])}},
        components={
            "parameters": {
                "A": {"$ref": "#/components/parameters/B"},
                "B": {"$ref": "#/components/parameters/A"},
            }
        },
    )
    error = failure(doc)
    assert error.code == "unresolvable_ref"
    assert "loop" in error.messages[0].text


def test_circular_schemas_are_imported_as_definitions_that_refer_to_each_other():
    category = {
        "type": "object",
        "properties": {
            "parent": {"$ref": "#/components/schemas/Category"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Category"}},
            "owner": {"$ref": "#/components/schemas/Owner"},
        },
    }
    owner = {
        "type": "object",
        "properties": {"favourite": {"$ref": "#/components/schemas/Category"}},
    }
    result = run(
        with_schema({"$ref": "#/components/schemas/Category"}, Category=category, Owner=owner)
    )
    schema = definition(result, "Category").schema
    assert schema["properties"]["parent"] == {"$ref": "#/$defs/Category"}
    assert schema["properties"]["children"]["items"] == {"$ref": "#/$defs/Category"}
    assert definition(result, "Owner").schema["properties"]["favourite"] == {
        "$ref": "#/$defs/Category"
    }
    assert definition(result, "Category").references == ["Category", "Owner"]


def test_a_ref_inside_example_data_is_just_data():
    schema = {"type": "object", "example": {"$ref": "#/not/a/real/ref"}, "default": {"$ref": "x"}}
    result = run(with_schema(schema))
    assert result.actions[0]["name"] == "get_pets"


def test_names_that_look_like_keywords_are_still_walked():
    doc = document(
        paths={
            "/pets": {
                "get": operation(
                    responses={
                        "200": {
                            "description": "OK",
                            "headers": {"x-rate-limit": {"$ref": "#/components/headers/Missing"}},
                        }
                    }
                )
            }
        }
    )
    assert failure(doc).messages[0].detail == (
        "/paths/~1pets/get/responses/200/headers/x-rate-limit/$ref",
    )


def test_a_property_called_default_is_walked_like_any_property():
    schema = {"type": "object", "properties": {"default": {"$ref": "#/components/schemas/Gone"}}}
    assert failure(with_schema(schema)).code == "unresolvable_ref"


ESCAPED_REF = "#/paths/~1pets~1%7Bid%7D/get/responses/200/content/application~1json/schema"


def test_escaped_and_percent_encoded_pointers_resolve():
    inline = {"type": "object", "properties": {"id": {"type": "string"}}}
    id_param = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    doc = document(
        paths={
            "/pets/{id}": {
                "get": operation(
                    parameters=[id_param],
                    responses={"200": {"description": "OK", **json_body(inline)}},
                )
            },
            "/pets": {
                "get": operation(
                    responses={"200": {"description": "OK", **json_body({"$ref": ESCAPED_REF})}}
                )
            },
        }
    )
    result = run(doc)
    first = result.actions[0]["responses"][0]["definitions"][0]["definition"]["name"]
    second = result.actions[1]["responses"][0]["definitions"][0]["definition"]["name"]
    assert first == second == "get_pets_id_response_200"
