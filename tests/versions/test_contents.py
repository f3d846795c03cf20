"""A version's contents as the breaking-change rules read them: compared by name, whatever
their ids and whichever version's URLs their schemas refer to."""

from ulid import ULID

from dashboard.connect.models import (
    Action,
    Definition,
    DefinitionLink,
    HTTPParameter,
    HTTPResponse,
)
from dashboard.openapi.breaking import classify
from dashboard.versions.contents import Contents, named_refs


def definition(name: str) -> Definition:
    return Definition(id=str(ULID()), name=name, accept=["application/json"])


def action(*parameters: HTTPParameter) -> Action:
    link = DefinitionLink(id=str(ULID()), definition=definition("Product"))
    response = HTTPResponse(id=str(ULID()), status=200, definitions=[link])
    return Action(
        id=str(ULID()),
        name="listProducts",
        method="GET",
        path="/products",
        parameters=list(parameters),
        responses=[response],
    )


def contents(*parameters: HTTPParameter) -> Contents:
    return Contents(
        actions=[action(*parameters)],
        definitions=[definition("Product")],
        schemas={"Product": {"type": "object"}},
    )


def test_identical_versions_with_other_ids_have_no_findings():
    assert not classify(contents().snapshot(), contents().snapshot())


def test_the_snapshot_is_the_contract_json_the_rules_read():
    required = HTTPParameter(name="currency", in_="query", required=True)

    [finding] = classify(contents().snapshot(), contents(required).snapshot()).findings

    assert finding.text == "action “listProducts”: required query parameter “currency” added"


def test_references_to_other_definitions_compare_by_name_not_by_url():
    old_urls = {"https://api.example/o/1/schemas/c/1.0/01AAA.json": "Tag"}
    new_urls = {"https://api.example/o/1/schemas/c/2.0/01BBB.json": "Tag"}
    old = named_refs(
        {"properties": {"tag": {"$ref": "https://api.example/o/1/schemas/c/1.0/01AAA.json"}}},
        old_urls,
    )
    new = named_refs(
        {"properties": {"tag": {"$ref": "https://api.example/o/1/schemas/c/2.0/01BBB.json"}}},
        new_urls,
    )

    assert old == new == {"properties": {"tag": {"$ref": "#/$defs/Tag"}}}
    # A pointer into the other definition is kept, and unknown references are left alone.
    assert named_refs(
        {"$ref": "https://api.example/o/1/schemas/c/1.0/01AAA.json#/a"}, old_urls
    ) == {"$ref": "#/$defs/Tag/a"}
    assert named_refs({"$ref": "#/$defs/local"}, old_urls) == {"$ref": "#/$defs/local"}
