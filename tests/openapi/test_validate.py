"""Is it OpenAPI 3.0/3.1? Versions, required fields and the official OpenAPI schemas."""

import pytest

from dashboard.openapi import ImportFailure
from tests.openapi.support import document, json_body, operation, run


def failure(doc: dict) -> ImportFailure:
    with pytest.raises(ImportFailure) as caught:
        run(doc)
    return caught.value


def test_it_refuses_swagger_2_with_a_message_saying_so():
    error = failure({"swagger": "2.0", "info": {"title": "Old", "version": "1"}, "paths": {}})
    assert error.code == "unsupported_version"
    assert "Swagger 2.0" in error.message
    assert "OpenAPI 3" in error.message
    assert error.messages[0].detail == ("/swagger",)


@pytest.mark.parametrize("missing", ["openapi", "info", "paths"])
def test_it_refuses_a_document_missing_a_required_field(missing):
    doc = document()
    del doc[missing]
    error = failure(doc)
    assert error.code == "missing_fields"
    assert missing in error.message
    assert [m.detail for m in error.messages] == [(f"/{missing}",)]


def test_it_names_every_missing_field():
    error = failure({"title": "not openapi"})
    assert error.code == "missing_fields"
    assert [m.detail[0] for m in error.messages] == ["/openapi", "/info", "/paths"]


def test_a_31_document_may_have_webhooks_instead_of_paths():
    doc = document(webhooks={"ping": {"post": operation()}})
    del doc["paths"]
    assert [t["name"] for t in run(doc).triggers] == ["ping"]


@pytest.mark.parametrize("version", ["3.0.0", "3.0.3", "3.1.0", "3.1.1"])
def test_it_accepts_openapi_30_and_31(version):
    assert run(document(version)).openapi_version == version


@pytest.mark.parametrize("version", ["3.2.0", "4.0.0", "banana", 3.0, "3.1"])
def test_it_refuses_other_openapi_versions(version):
    error = failure(document(version))
    assert error.code == "unsupported_version"
    assert "3.0.x or 3.1.x" in error.message
    assert error.messages[0].detail == ("/openapi",)


def test_it_reports_schema_errors_with_the_pointer_of_the_offending_value():
    doc = document("3.0.3", paths={"/pets": {"get": {"responses": {"200": {"description": 42}}}}})
    error = failure(doc)
    assert error.code == "invalid_openapi"
    pointer = "/paths/~1pets/get/responses/200/description"
    assert error.messages[0].detail == (pointer,)
    assert error.messages[0].text.startswith("paths › /pets › get › responses › 200 › description")
    assert "not of type" in error.messages[0].text
    assert "~1" not in error.message


def test_a_value_no_alternative_accepts_is_explained_without_schema_keywords():
    doc = document("3.1.0", paths={"/pets": {"get": {"responses": {"200": {"x": 1}}}}})
    doc["paths"]["/pets"]["get"]["responses"]["200"] = 5
    error = failure(doc)
    assert all("keyword" not in message.text for message in error.messages)


def test_it_reports_a_missing_required_property_at_its_parent():
    doc = document(info={"title": "No version"})
    error = failure(doc)
    assert error.code == "invalid_openapi"
    assert error.messages[0].detail == ("/info",)
    assert "version" in error.messages[0].text


def test_it_looks_inside_a_failed_one_of_for_the_real_error():
    schema = {"type": "object", "properties": {"name": {"type": 5}}}
    doc = document("3.0.3", paths={"/pets": {"post": operation(requestBody=json_body(schema))}})
    error = failure(doc)
    assert error.messages[0].detail == (
        "/paths/~1pets/post/requestBody/content/application~1json/schema/properties/name/type",
    )


def test_it_reports_only_the_first_errors():
    paths = {f"/p{i}": {"get": {"responses": {"200": {"description": i}}}} for i in range(15)}
    error = failure(document(paths=paths))
    assert len(error.messages) == 10
    assert "first errors" in error.message
    assert all(m.severity == "error" for m in error.messages)


def test_error_messages_stay_short_even_for_big_values():
    big = {f"field{i}": {"type": "string", "description": "x" * 100} for i in range(50)}
    doc = document(paths={"/pets": {"get": {"responses": {"200": {"description": big}}}}})
    error = failure(doc)
    assert all(len(m.text) < 300 for m in error.messages)


def test_unknown_top_level_fields_are_invalid_but_extensions_are_fine():
    assert run(document(**{"x-internal": True})).actions == []
    assert failure(document(surprise=True)).code == "invalid_openapi"


def test_webhooks_are_not_part_of_openapi_30():
    error = failure(document("3.0.3", webhooks={"ping": {"post": operation()}}))
    assert error.code == "invalid_openapi"
