"""Bad documents and bad requests: a 400 ImportHTTPConnectorError (code, message, messages
with JSON pointers) and nothing created."""

import json
import tracemalloc

import hypothesis
import pytest
from hypothesis import strategies as st

from tests.connect.fault_server import FaultServer
from tests.deadline import ends_before
from tests.embedded_api.imports_support import (
    details,
    document,
    encode,
    imported,
    json_body,
    operation,
    stored_counts,
    upload,
)
from tests.openapi.hostile import (
    HOSTILE,
    HOSTILE_IDS,
    NUMBER_TEXTS,
    STRING_TEXTS,
    UNSTORABLE_PATH,
)

NOTHING = {
    "connectors": 0,
    "auth scheme configs": 0,
    "versions": 0,
    "definitions": 0,
    "actions": 0,
    "triggers": 0,
}

BILLION_LAUGHS = b"""\
openapi: 3.1.0
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def refused(api, doc, code: str, **options) -> dict:
    """Upload `doc`, expect a 400 with `code`, and check nothing was stored."""
    response = upload(api, doc, **options)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == code, body
    assert body["message"]
    assert stored_counts(api.org) == NOTHING
    return body


def test_a_document_that_is_neither_json_nor_yaml_is_refused_with_its_position(api):
    body = refused(api, b"openapi: [3.1.0\ninfo: {", "not_json_or_yaml")

    assert "line" in json.dumps(body)


def test_broken_json_is_refused(api):
    refused(api, b'{"openapi": "3.1.0", "info": ', "not_json_or_yaml")


def test_a_document_that_is_not_utf8_is_refused(api):
    refused(api, encode(document()).replace(b"Pet Store", b"P\xe9t Store"), "not_utf8")


def test_a_document_larger_than_the_limit_is_refused(api, settings):
    settings.OPENAPI_MAX_BYTES = 1000
    doc = document(info={"title": "x" * 2000, "version": "1"})

    refused(api, doc, "too_large")


def test_a_far_larger_upload_is_refused_from_its_length_before_it_is_read(api, settings):
    settings.OPENAPI_MAX_BYTES = 1000

    body = refused(api, b"x" * 200_000, "too_large")

    assert "MB" in body["message"]


def test_a_yaml_alias_bomb_is_refused_fast_and_in_little_memory(api):
    assert len(BILLION_LAUGHS) < 1024
    tracemalloc.start()  # the live server answers in a thread of this process
    try:
        with ends_before(10, "expanding the bomb would take far longer"):
            body = refused(api, BILLION_LAUGHS, "too_many_aliases")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert peak < 20 * 2**20
    assert "alias" in json.dumps(body)


@pytest.mark.parametrize(
    "yaml_text",
    [
        "openapi: !!python/object/apply:os.system ['echo pwned']",
        "info: !!python/name:os.system",
        "a: !!binary aGVsbG8=",
        "a: !Ref Something",
    ],
)
def test_unsafe_yaml_tags_are_refused(api, yaml_text):
    body = refused(api, yaml_text, "unsafe_yaml")

    assert "not allowed" in body["messages"][0]["text"]


def test_a_document_nested_too_deep_is_refused(api):
    refused(api, b'{"openapi": "3.1.0", "x": ' + b"[" * 1000 + b"]" * 1000 + b"}", "too_deep")


def test_a_document_that_is_not_an_object_is_refused(api):
    refused(api, b"[1, 2, 3]", "not_an_object")


def test_an_empty_document_is_refused(api):
    refused(api, b"  \n", "empty_document")


@pytest.mark.parametrize("missing", ["openapi", "info", "paths"])
def test_a_document_without_openapi_info_or_paths_is_refused(api, missing):
    doc = document()
    del doc[missing]

    body = refused(api, doc, "missing_fields")

    assert missing in body["message"]


def test_swagger_2_is_refused_with_a_message_saying_so(api):
    body = refused(
        api, {"swagger": "2.0", "info": {"title": "Old", "version": "1"}}, "unsupported_version"
    )

    assert "Swagger 2.0" in body["message"]
    assert body["messages"][0]["detail"] == ["/swagger"]


def test_an_invalid_document_reports_its_first_errors_with_json_pointers(api):
    doc = document(
        paths={
            "/pets": {"get": {"responses": {"200": {}}}},
            "/toys": {"get": operation(parameters=[{"name": "q", "in": "body"}])},
        }
    )

    body = refused(api, doc, "invalid_openapi")

    pointers = {pointer for message in body["messages"] for pointer in message["detail"]}
    assert "/paths/~1pets/get/responses/200" in pointers
    assert all(message["severity"] == "error" for message in body["messages"])
    assert len(body["messages"]) <= 10


def test_an_external_ref_is_refused_and_never_fetched(api):
    with FaultServer() as server:
        schema = {"$ref": f"{server.url}/schemas/pet.json"}
        doc = document(
            paths={
                "/pets": {
                    "get": operation(responses={"200": {"description": "OK", **json_body(schema)}})
                }
            }
        )

        body = refused(api, doc, "unresolvable_ref")

        assert server.received == []
    assert body["messages"][0]["detail"] == [
        "/paths/~1pets/get/responses/200/content/application~1json/schema/$ref"
    ]


def test_a_ref_to_nowhere_is_refused(api):
    schema = {"$ref": "#/components/schemas/Missing"}
    doc = document(
        paths={
            "/pets": {
                "get": operation(responses={"200": {"description": "OK", **json_body(schema)}})
            }
        }
    )

    refused(api, doc, "unresolvable_ref")


# --- bad requests ----------------------------------------------------------------------------


def test_the_metadata_format_must_be_openapi(api):
    response = upload(api, document(), metadata={"format": "postman"})

    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "metadata.format"
    assert stored_counts(api.org) == NOTHING


def test_the_metadata_part_must_be_json(api):
    response = api.post(
        f"{api.o}/protocols/http/import",
        files={"file": ("a.json", encode(document())), "metadata": (None, "format=openapi")},
    )

    assert response.status_code == 400
    assert response.json()["fields"] == [{"field": "metadata", "message": "not valid JSON"}]


@pytest.mark.parametrize("part", ["file", "metadata"])
def test_the_file_and_metadata_parts_are_required(api, part):
    parts = {"file": ("a.json", encode(document())), "metadata": (None, '{"format": "openapi"}')}
    del parts[part]

    response = api.post(f"{api.o}/protocols/http/import", files=parts)

    assert response.status_code == 400
    assert response.json()["fields"] == [{"field": part, "message": "required"}]


def test_other_content_types_are_refused(api):
    response = api.post(
        f"{api.o}/protocols/http/import",
        content=encode(document()),
        headers={"Content-Type": "application/yaml"},
    )

    assert response.status_code == 415


def test_a_json_body_must_name_a_schema_url_and_the_format(api):
    response = api.post(f"{api.o}/protocols/http/import", json={"filetype": "xml"})

    assert response.status_code == 400
    assert {f["field"] for f in response.json()["fields"]} == {"schemaURL", "format", "filetype"}


def test_a_document_mapping_to_something_the_api_refuses_is_not_importable(api):
    body = refused(api, UNSTORABLE_PATH, "not_importable")  # the contract keeps paths to 2000

    assert body["messages"][0]["detail"][0].startswith("/paths/~1segment~1")


@pytest.mark.parametrize(("name", "data", "code", "where"), HOSTILE, ids=HOSTILE_IDS)
def test_a_hostile_value_is_refused_naming_where_it_is_and_nothing_is_stored(
    api, name, data, code, where
):
    body = refused(api, data, code)

    if where is not None:
        assert body["messages"][0]["detail"] == [where]


def test_a_script_url_in_the_document_is_not_stored_as_a_link(api):
    doc = document(
        servers=[{"url": "javascript:alert(1)"}],
        externalDocs={"url": " JavaScript:alert(document.cookie)"},
    )

    body = imported(api, doc)

    connector = body["connector"]
    assert connector["baseUrl"] == "" and connector["documentationURL"] == ""
    assert "/servers/0/url" in details(body) and "/externalDocs/url" in details(body)


@hypothesis.settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
)
@hypothesis.given(
    place=st.sampled_from(["title", "server", "docs", "extension", "path"]),
    value=st.one_of(NUMBER_TEXTS, STRING_TEXTS),
)
def test_a_poisoned_value_anywhere_gets_a_clean_answer_never_a_500(api, place, value):
    """Bounded fuzz through the API: imported (201) or refused (400) with nothing stored."""
    before = stored_counts(api.org)
    fields = {"title": '"Pets"', "server": '"https://p.example"', "docs": '"https://d.example"'}
    fields |= {"extension": "1", "path": '"/things"'}
    fields[place] = value
    data = (
        f'{{"openapi": "3.1.0", "info": {{"title": {fields["title"]}, "version": "1"}}, '
        f'"servers": [{{"url": {fields["server"]}}}], "externalDocs": {{"url": {fields["docs"]}}}, '
        f'"x-value": {fields["extension"]}, "paths": {{"/p": {{"get": {{"summary": '
        f"{fields['path'] if place == 'path' else chr(34) + 's' + chr(34)}, "
        f'"responses": {{"200": {{"description": "OK"}}}}}}}}}}}}'
    ).encode()

    response = upload(api, data)

    assert response.status_code in (201, 400), response.text
    if response.status_code == 400:
        assert response.json()["code"] and stored_counts(api.org) == before
