"""The publish diff: actions, triggers and definitions added, removed and changed, and what
changed in each, compared by name whatever their ids."""

from ulid import ULID

from dashboard.connect.models import (
    Action,
    Definition,
    DefinitionLink,
    HTTPParameter,
    HTTPRequestBody,
    HTTPResponse,
    Trigger,
)
from dashboard.versions.diff import (
    SCHEMA_CHANGES_SHOWN,
    Changed,
    Contents,
    diff_versions,
    named_refs,
)


def definition(name: str, **fields) -> Definition:
    return Definition(id=str(ULID()), name=name, **fields)


def link(name: str) -> DefinitionLink:
    return DefinitionLink(id=str(ULID()), definition=definition(name))


def response(status: int | None, *names: str) -> HTTPResponse:
    return HTTPResponse(id=str(ULID()), status=status, definitions=[link(n) for n in names])


def action(name: str = "listProducts", **fields) -> Action:
    fields = {"method": "GET", "path": "/products", "responses": [response(200)], **fields}
    return Action(id=str(ULID()), name=name, **fields)


def trigger(name: str = "productCreated", **fields) -> Trigger:
    return Trigger(id=str(ULID()), name=name, **{"method": "POST", **fields})


def param(name: str, where: str = "query", **fields) -> HTTPParameter:
    return HTTPParameter(name=name, in_=where, **fields)


def changes_of(kind_diff, name: str) -> tuple[str, ...]:
    return next(item.changes for item in kind_diff.changed if item.name == name)


# --- Added and removed ------------------------------------------------------------------------


def test_identical_versions_have_no_differences_even_with_other_ids():
    old = Contents(actions=[action()], triggers=[trigger()], definitions=[definition("Product")])
    new = Contents(actions=[action()], triggers=[trigger()], definitions=[definition("Product")])

    diff = diff_versions(old, new)

    assert not diff
    assert not diff.actions and not diff.triggers and not diff.definitions


def test_actions_added_and_removed_are_listed_by_name():
    old = Contents(actions=[action("listProducts"), action("deleteProduct")])
    new = Contents(actions=[action("listProducts"), action("createProduct"), action("addTag")])

    diff = diff_versions(old, new).actions

    assert diff.added == ("addTag", "createProduct")
    assert diff.removed == ("deleteProduct",)
    assert diff.changed == ()


def test_triggers_added_and_removed_are_listed_by_name():
    diff = diff_versions(
        Contents(triggers=[trigger("productDeleted")]), Contents(triggers=[trigger("orderPaid")])
    ).triggers

    assert (diff.added, diff.removed) == (("orderPaid",), ("productDeleted",))


def test_definitions_added_and_removed_are_listed_by_name():
    diff = diff_versions(
        Contents(definitions=[definition("Tag")]), Contents(definitions=[definition("Order")])
    ).definitions

    assert (diff.added, diff.removed) == (("Order",), ("Tag",))


def test_against_nothing_published_everything_is_added():
    new = Contents(actions=[action()], triggers=[trigger()], definitions=[definition("Product")])

    diff = diff_versions(Contents(), new)

    assert (diff.actions.added, diff.triggers.added, diff.definitions.added) == (
        ("listProducts",),
        ("productCreated",),
        ("Product",),
    )


# --- What changed in an action or trigger -----------------------------------------------------


def test_an_actions_method_and_path_changes_are_described():
    diff = diff_versions(
        Contents(actions=[action(method="GET", path="/products")]),
        Contents(actions=[action(method="POST", path="/v2/products")]),
    )

    assert diff.actions.changed == (
        Changed("listProducts", ("method: GET → POST", "path: /products → /v2/products")),
    )


def test_parameters_added_removed_and_changed_are_described():
    old = action(
        parameters=[param("limit", type="integer"), param("X-Trace", "header"), param("id", "path")]
    )
    new = action(
        parameters=[
            param("limit", type="string", required=True, default="20"),
            param("X-Trace", "header"),
            param("cursor"),
        ]
    )

    changes = changes_of(
        diff_versions(Contents(actions=[old]), Contents(actions=[new])).actions, "listProducts"
    )

    assert changes == (
        "path parameter “id” removed",
        "query parameter “cursor” added",
        'query parameter “limit”: type integer → string, now required, default (none) → "20"',
    )


def test_request_body_changes_are_described():
    plain = action("createProduct", method="POST")
    with_body = action(
        "createProduct",
        method="POST",
        request_body=HTTPRequestBody(required=False, definitions=[link("Product")]),
    )
    changed_body = action(
        "createProduct",
        method="POST",
        request_body=HTTPRequestBody(required=True, definitions=[link("NewProduct")]),
    )

    def changes(old, new):
        return changes_of(
            diff_versions(Contents(actions=[old]), Contents(actions=[new])).actions,
            "createProduct",
        )

    assert changes(plain, with_body) == ("request body added (Product)",)
    assert changes(with_body, plain) == ("request body removed",)
    assert changes(with_body, changed_body) == (
        "request body now required",
        "request body definitions: NewProduct added, Product removed",
    )


def test_responses_added_removed_and_relinked_are_described_by_status():
    old = action(responses=[response(200, "Product"), response(404), response(None, "Error")])
    new = action(responses=[response(200, "ProductV2"), response(201, "Product"), response(None)])

    changes = changes_of(
        diff_versions(Contents(actions=[old]), Contents(actions=[new])).actions, "listProducts"
    )

    assert changes == (
        "response 200 definitions: ProductV2 added, Product removed",
        "response 201 added (Product)",
        "response 404 removed",
        "response default definitions: Error removed",
    )


def test_a_triggers_method_parameters_and_responses_are_compared_like_an_actions():
    old = trigger(method="POST", parameters=[param("X-Signature", "header")])
    new = trigger(
        method="PUT",
        parameters=[param("X-Signature", "header", required=True)],
        responses=[response(204)],
        summary="Now documented",
    )

    changes = changes_of(
        diff_versions(Contents(triggers=[old]), Contents(triggers=[new])).triggers,
        "productCreated",
    )

    assert changes == (
        "method: POST → PUT",
        "summary changed",
        "header parameter “X-Signature”: now required",
        "response 204 added",
    )


# --- What changed in a definition -------------------------------------------------------------


def test_a_definitions_media_types_description_and_schema_changes_are_described():
    old = Contents(
        definitions=[definition("Product", accept=["application/json"])],
        schemas={
            "Product": {
                "type": "object",
                "properties": {"id": {"type": "integer"}, "sku": {"type": "string"}},
                "required": ["id"],
            }
        },
    )
    new = Contents(
        definitions=[
            definition("Product", accept=["application/xml"], description="A thing we sell")
        ],
        schemas={
            "Product": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
                "required": ["id", "name"],
            }
        },
    )

    changes = changes_of(diff_versions(old, new).definitions, "Product")

    assert changes == (
        "media types: application/json → application/xml",
        "description changed",
        'schema: /properties/id/type: "integer" → "string"',
        "schema: /properties/name added",
        "schema: /properties/sku removed",
        'schema: /required: ["id"] → ["id", "name"]',
    )


def test_a_schemas_equal_looking_values_of_different_json_types_differ():
    old = Contents(definitions=[definition("Flag")], schemas={"Flag": {"const": 1}})
    new = Contents(definitions=[definition("Flag")], schemas={"Flag": {"const": True}})

    assert changes_of(diff_versions(old, new).definitions, "Flag") == ("schema: /const: 1 → true",)


def test_a_schema_with_many_differences_lists_the_first_few_and_counts_the_rest():
    many = SCHEMA_CHANGES_SHOWN + 3
    old = Contents(definitions=[definition("Big")], schemas={"Big": {}})
    new = Contents(
        definitions=[definition("Big")], schemas={"Big": {f"p{i:02}": i for i in range(many)}}
    )

    changes = changes_of(diff_versions(old, new).definitions, "Big")

    assert len(changes) == SCHEMA_CHANGES_SHOWN + 1
    assert changes[0] == "schema: /p00 added"
    assert changes[-1] == "schema: and 3 more difference(s)"


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

    assert old == new == {"properties": {"tag": {"$ref": "#/definitions/Tag"}}}
    # A pointer into the other definition is kept, and unknown references are left alone.
    assert named_refs(
        {"$ref": "https://api.example/o/1/schemas/c/1.0/01AAA.json#/a"}, old_urls
    ) == {"$ref": "#/definitions/Tag/a"}
    assert named_refs({"$ref": "#/$defs/local"}, old_urls) == {"$ref": "#/$defs/local"}
