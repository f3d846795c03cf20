"""Schemas to definitions: names, references by name, inline schemas, accept, 3.0 keywords."""

import json

from tests.openapi.support import (
    action,
    contract_errors,
    definition,
    document,
    json_body,
    messages_at,
    operation,
    run,
)

PET = {
    "type": "object",
    "description": "A pet.",
    "required": ["name"],
    "properties": {
        "name": {"type": "string"},
        "tag": {"$ref": "#/components/schemas/Tag"},
        "owners": {"type": "array", "items": {"$ref": "#/components/schemas/Owner"}},
    },
}
TAG = {"type": "string", "enum": ["cat", "dog"]}
OWNER = {"type": "object", "properties": {"name": {"type": "string"}}}


def responding(schema, media_type: str = "application/json", version: str = "3.1.0", **schemas):
    response = {"description": "OK", **json_body(schema, media_type)}
    return run(
        document(
            version,
            paths={
                "/pets": {"get": operation(operationId="listPets", responses={"200": response})}
            },
            components={"schemas": schemas},
        )
    )


def test_every_component_schema_becomes_a_definition_in_document_order():
    result = responding({"$ref": "#/components/schemas/Pet"}, Pet=PET, Tag=TAG, Owner=OWNER)
    assert [d.name for d in result.definitions] == ["Pet", "Tag", "Owner"]
    assert definition(result, "Pet").description == "A pet."


def test_refs_between_schemas_become_refs_between_definitions_by_name():
    result = responding({"$ref": "#/components/schemas/Pet"}, Pet=PET, Tag=TAG, Owner=OWNER)
    pet = definition(result, "Pet")
    assert pet.schema["properties"]["tag"] == {"$ref": "#/$defs/Tag"}
    assert pet.schema["properties"]["owners"]["items"] == {"$ref": "#/$defs/Owner"}
    assert pet.references == ["Tag", "Owner"]
    assert pet.schema["required"] == ["name"]


def test_definition_names_are_made_valid_and_unique():
    schemas = {"Pet.Tag": TAG, "Pet_Tag": TAG, "Pet": {"$ref": "#/components/schemas/Pet_Tag"}}
    result = responding({"$ref": "#/components/schemas/Pet"}, **schemas)
    assert [d.name for d in result.definitions] == ["Pet_Tag", "Pet_Tag_2", "Pet"]
    assert definition(result, "Pet").schema == {"$ref": "#/$defs/Pet_Tag_2"}


def test_a_ref_into_part_of_a_schema_makes_that_part_a_definition():
    owner_ref = {"$ref": "#/components/schemas/Pet/properties/owners/items"}
    result = responding(owner_ref, Pet=PET, Tag=TAG, Owner=OWNER)
    assert definition(result, "Pet_properties_owners_items").schema == {"$ref": "#/$defs/Owner"}


def test_an_inline_response_schema_becomes_a_definition_named_after_the_action():
    result = responding({"type": "array", "items": {"$ref": "#/components/schemas/Tag"}}, Tag=TAG)
    created = definition(result, "listPets_response_200")
    assert created.schema == {"type": "array", "items": {"$ref": "#/$defs/Tag"}}
    assert created.description == "Response 200 of listPets (application/json)"
    assert action(result, "listPets")["responses"][0]["definitions"] == [
        {"definition": {"name": "listPets_response_200"}}
    ]


def test_an_inline_request_schema_becomes_a_definition_named_after_the_action():
    body = {"required": True, **json_body({"type": "object", "description": "New pet."})}
    result = run(
        document(paths={"/pets": {"post": operation(operationId="addPet", requestBody=body)}})
    )
    assert definition(result, "addPet_request").schema == {
        "type": "object",
        "description": "New pet.",
    }
    assert definition(result, "addPet_request").description == "New pet."
    assert action(result, "addPet")["requestBody"] == {
        "required": True,
        "definitions": [{"definition": {"name": "addPet_request"}}],
    }


def test_media_types_sharing_a_schema_share_one_definition_accepting_both():
    shared = {"type": "object"}
    content = {
        "application/json": {"schema": shared},
        "application/xml; charset=utf-8": {"schema": shared},
        "text/csv": {"schema": {"type": "string"}},
    }
    body = {"content": content}
    result = run(
        document(paths={"/pets": {"post": operation(operationId="add", requestBody=body)}})
    )
    assert action(result, "add")["requestBody"]["definitions"] == [
        {"definition": {"name": "add_request"}},
        {"definition": {"name": "add_request_text_csv"}},
    ]
    assert definition(result, "add_request").accept == ["application/json", "application/xml"]
    assert definition(result, "add_request_text_csv").accept == ["text/csv"]


def test_accept_spreads_through_references_and_defaults_to_json_when_unused():
    result = responding(
        {"$ref": "#/components/schemas/Pet"},
        "application/vnd.pets+json",
        Pet=PET,
        Tag=TAG,
        Owner=OWNER,
        Unused={"type": "string"},
    )
    assert definition(result, "Pet").accept == ["application/vnd.pets+json"]
    assert definition(result, "Owner").accept == ["application/vnd.pets+json"]
    assert definition(result, "Unused").accept == ["application/json"]


def test_a_media_type_without_a_schema_is_dropped_with_a_warning():
    response = {"description": "A file", "content": {"application/octet-stream": {}}}
    result = run(document(paths={"/f": {"get": operation(responses={"200": response})}}))
    assert action(result, "get_f")["responses"][0]["definitions"] == []
    pointer = "/paths/~1f/get/responses/200/content/application~1octet-stream"
    assert "no schema" in messages_at(result, pointer)[0]


def test_openapi_30_nullable_becomes_a_null_type():
    schema = {
        "type": "object",
        "properties": {
            "name": {"type": "string", "nullable": True},
            "kind": {"type": "string", "enum": ["a", "b"], "nullable": True},
            "either": {"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": True},
            "plain": {"type": "string", "nullable": False},
        },
    }
    properties = responding(schema, version="3.0.3").definitions[0].schema["properties"]
    assert properties["name"] == {"type": ["string", "null"]}
    assert properties["kind"] == {"type": ["string", "null"], "enum": ["a", "b", None]}
    assert properties["either"] == {
        "anyOf": [{"oneOf": [{"type": "string"}, {"type": "integer"}]}, {"type": "null"}]
    }
    assert properties["plain"] == {"type": "string"}


def test_openapi_30_boolean_exclusive_bounds_become_numbers():
    schema = {
        "type": "object",
        "properties": {
            "low": {"type": "number", "minimum": 0, "exclusiveMinimum": True},
            "high": {"type": "number", "maximum": 10, "exclusiveMaximum": False},
        },
    }
    properties = responding(schema, version="3.0.3").definitions[0].schema["properties"]
    assert properties["low"] == {"type": "number", "exclusiveMinimum": 0}
    assert properties["high"] == {"type": "number", "maximum": 10}


def test_keywords_next_to_a_ref_are_dropped_in_30_and_kept_in_31():
    schema = {
        "type": "object",
        "properties": {"tag": {"$ref": "#/components/schemas/Tag", "description": "Its tag"}},
    }
    old = responding(schema, version="3.0.3", Tag=TAG)
    new = responding(schema, version="3.1.0", Tag=TAG)
    assert definition(old, "listPets_response_200").schema["properties"]["tag"] == {
        "$ref": "#/$defs/Tag"
    }
    assert definition(new, "listPets_response_200").schema["properties"]["tag"] == {
        "$ref": "#/$defs/Tag",
        "description": "Its tag",
    }


def test_example_becomes_examples_and_data_keywords_are_left_alone():
    schema = {
        "type": "object",
        "example": {"$ref": "not a reference"},
        "default": {"properties": "just data"},
        "enum": [{"$ref": "also data"}],
    }
    converted = responding(schema).definitions[0].schema
    assert converted == {
        "type": "object",
        "examples": [{"$ref": "not a reference"}],
        "default": {"properties": "just data"},
        "enum": [{"$ref": "also data"}],
    }


def test_discriminator_mappings_point_at_definitions():
    schema = {
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {"cat": "#/components/schemas/Cat", "dog": "Dog"},
        },
    }
    converted = responding(schema, Cat=OWNER, Dog=OWNER).definitions[-1].schema
    assert converted["discriminator"]["mapping"] == {"cat": "#/$defs/Cat", "dog": "Dog"}
    assert converted["oneOf"] == [{"$ref": "#/$defs/Cat"}, {"$ref": "#/$defs/Dog"}]


def test_boolean_and_nested_subschemas_are_converted_everywhere():
    schema = {
        "type": "object",
        "additionalProperties": False,
        "patternProperties": {"^x-": {"$ref": "#/components/schemas/Tag"}},
        "allOf": [{"$ref": "#/components/schemas/Owner"}],
        "not": {"$ref": "#/components/schemas/Tag"},
        "prefixItems": [True, {"$ref": "#/components/schemas/Tag"}],
    }
    converted = responding(schema, Tag=TAG, Owner=OWNER).definitions[-1].schema
    assert converted == {
        "type": "object",
        "additionalProperties": False,
        "patternProperties": {"^x-": {"$ref": "#/$defs/Tag"}},
        "allOf": [{"$ref": "#/$defs/Owner"}],
        "not": {"$ref": "#/$defs/Tag"},
        "prefixItems": [True, {"$ref": "#/$defs/Tag"}],
    }


def test_definitions_serialise_to_the_contracts_create_shape():
    result = responding({"$ref": "#/components/schemas/Pet"}, Pet=PET, Tag=TAG, Owner=OWNER)
    body = definition(result, "Pet").to_create()
    assert contract_errors("DefinitionsCreateDefinition", body) == []
    assert body["schema"]["contentType"] == "application/schema+json"
    assert json.loads(body["schema"]["content"]) == definition(result, "Pet").schema
    assert {"name": "Pet", "accept": ["application/json"], "description": "A pet."}.items() <= (
        body.items()
    )
