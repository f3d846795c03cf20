"""Breaking-change rules: a test per rule, on small hand-written versions (contract JSON),
then cyclic and deeply nested schemas and the version suggestion."""

import pytest

from dashboard.openapi import import_document
from dashboard.openapi.breaking import (
    BREAKING,
    COMPATIBLE,
    POSSIBLY,
    Snapshot,
    classify,
    import_snapshot,
    next_version,
)
from tests.bench.specgen import generate


def action(name="createInvoice", *, method="POST", path="/invoices", **fields) -> dict:
    return {"name": name, "method": method, "path": path, "responses": [ok()], **fields}


def trigger(name="invoicePaid", **fields) -> dict:
    return {"name": name, "method": "POST", **fields}


def ok(status=200, *names) -> dict:
    return {"status": status, "definitions": uses(*names)}


def uses(*names) -> list[dict]:
    return [{"definition": {"name": name}} for name in names]


def param(name, where="query", **fields) -> dict:
    return {"name": name, "in": where, "type": "string", "required": False, **fields}


def body(*names, required=False) -> dict:
    return {"required": required, "definitions": uses(*names)}


def version(*items, schemas=None, **definitions) -> Snapshot:
    """Actions and triggers (a trigger's dict has no path), and definitions by name with
    their schema (`schemas` adds definitions no item uses)."""
    schemas = {**definitions, **(schemas or {})}
    return Snapshot(
        actions={item["name"]: item for item in items if "path" in item},
        triggers={item["name"]: item for item in items if "path" not in item},
        definitions={name: {"accept": ["application/json"]} for name in schemas},
        schemas=schemas,
    )


def findings(old: Snapshot, new: Snapshot) -> list[tuple[str, str, str]]:
    """(level, rule, text) of each finding."""
    return [(f.level.label, f.rule, f.text) for f in classify(old, new).findings]


def only(old: Snapshot, new: Snapshot):
    [found] = classify(old, new).findings
    return found


def sent(schema: dict, **more) -> Snapshot:
    """A version whose one action sends `schema` (definition Invoice) as its body."""
    return version(action(requestBody=body("Invoice")), Invoice=schema, **more)


def received(schema: dict, **more) -> Snapshot:
    """A version whose one action receives `schema` (definition Invoice) as its response."""
    return version(action(responses=[ok(200, "Invoice")]), Invoice=schema, **more)


OBJECT = {"type": "object", "properties": {"total": {"type": "integer"}}}


# --- Items -------------------------------------------------------------------------------------


def test_identical_versions_have_no_findings():
    same = version(action(parameters=[param("currency")]), trigger(), Invoice=OBJECT)

    assert not classify(same, same)


def test_a_removed_action_trigger_or_definition_is_breaking():
    old = version(action(), trigger(), Invoice=OBJECT)

    assert findings(old, version()) == [
        ("breaking", "item-removed", "action “createInvoice”: removed"),
        ("breaking", "item-removed", "definition “Invoice”: removed"),
        ("breaking", "item-removed", "trigger “invoicePaid”: removed"),
    ]


def test_added_items_are_compatible_and_link_only_to_the_new_version():
    found = only(version(), version(action()))

    assert (found.level, found.text) == (COMPATIBLE, "action “createInvoice”: added")
    assert (found.in_old, found.in_new) == (False, True)


def test_a_changed_method_or_path_is_breaking():
    old = version(action(method="POST", path="/invoices"))
    new = version(action(method="PUT", path="/v2/invoices"))

    assert findings(old, new) == [
        ("breaking", "method-changed", "action “createInvoice”: method POST → PUT"),
        ("breaking", "path-changed", "action “createInvoice”: path /invoices → /v2/invoices"),
    ]


def test_wording_changes_are_compatible():
    old = version(action(summary="Create"), Invoice={**OBJECT, "description": "An invoice"})
    new = version(action(summary="Create one"), Invoice={**OBJECT, "description": "A bill"})

    assert {(level, rule) for level, rule, _ in findings(old, new)} == {("compatible", "wording")}


# --- Parameters ----------------------------------------------------------------------------------


def test_a_new_required_parameter_is_breaking_and_an_optional_one_compatible():
    old = version(action())
    new = version(action(parameters=[param("currency", required=True), param("memo")]))

    assert findings(old, new) == [
        (
            "breaking",
            "parameter-added-required",
            "action “createInvoice”: required query parameter “currency” added",
        ),
        (
            "compatible",
            "parameter-added",
            "action “createInvoice”: optional query parameter “memo” added",
        ),
    ]


def test_an_optional_parameter_made_required_is_breaking_and_the_reverse_compatible():
    old = version(action(parameters=[param("currency"), param("memo", required=True)]))
    new = version(action(parameters=[param("currency", required=True), param("memo")]))

    assert findings(old, new) == [
        (
            "breaking",
            "parameter-required",
            "action “createInvoice”: query parameter “currency” is now required",
        ),
        (
            "compatible",
            "parameter-optional",
            "action “createInvoice”: query parameter “memo” is no longer required",
        ),
    ]


def test_a_removed_parameter_is_breaking():
    found = only(version(action(parameters=[param("memo")])), version(action()))

    assert (found.level, found.what) == (BREAKING, "query parameter “memo” removed")


def test_a_parameter_moved_elsewhere_is_breaking():
    old = version(action(parameters=[param("tenant", "query")]))
    new = version(action(parameters=[param("tenant", "header")]))

    found = only(old, new)
    assert (found.level, found.what) == (
        BREAKING,
        "query parameter “tenant” is now a header parameter",
    )


@pytest.mark.parametrize(
    ("was", "now", "level"),
    [
        ("string", "integer", BREAKING),
        ("number", "integer", BREAKING),
        ("integer", "number", COMPATIBLE),
    ],
)
def test_a_parameter_type_change_is_breaking_unless_it_widens_what_is_sent(was, now, level):
    old = version(action(parameters=[param("amount", type=was)]))
    new = version(action(parameters=[param("amount", type=now)]))

    assert only(old, new).level is level


def test_a_changed_parameter_default_is_possibly_breaking():
    old = version(action(parameters=[param("limit", default=10)]))
    new = version(action(parameters=[param("limit", default=50)]))

    assert only(old, new).level is POSSIBLY


def test_a_trigger_parameter_is_received_so_making_it_optional_is_breaking():
    old = version(trigger(parameters=[param("signature", "header", required=True)]))
    new = version(trigger(parameters=[param("signature", "header")]))

    assert only(old, new).level is BREAKING


# --- Bodies and responses ------------------------------------------------------------------------


def test_a_request_body_newly_required_is_breaking():
    old = version(action(requestBody=body("Invoice")), Invoice=OBJECT)
    new = version(action(requestBody=body("Invoice", required=True)), Invoice=OBJECT)

    assert findings(old, new) == [
        ("breaking", "body-required", "action “createInvoice”: request body is now required")
    ]


def test_a_new_required_request_body_is_breaking_and_an_optional_one_compatible():
    assert (
        only(version(action()), version(action(requestBody=body(required=True)))).level is BREAKING
    )
    assert only(version(action()), version(action(requestBody=body()))).level is COMPATIBLE


def test_a_removed_success_status_is_breaking_and_another_status_possibly():
    old = version(action(responses=[ok(200), ok(201), ok(404)]))
    new = version(action(responses=[ok(201)]))

    assert findings(old, new) == [
        ("breaking", "success-status-removed", "action “createInvoice”: response 200 removed"),
        ("possibly breaking", "status-removed", "action “createInvoice”: response 404 removed"),
    ]


def test_an_added_response_status_is_compatible():
    assert only(version(action()), version(action(responses=[ok(), ok(409)]))).level is COMPATIBLE


def test_a_response_no_longer_offering_a_definition_is_compatible_but_a_body_is_breaking():
    defs = {"Invoice": OBJECT, "Draft": OBJECT}
    old = version(
        action(requestBody=body("Invoice", "Draft"), responses=[ok(200, "Invoice", "Draft")]),
        schemas=defs,
    )
    new = version(action(requestBody=body("Invoice"), responses=[ok(200, "Invoice")]), schemas=defs)

    assert findings(old, new) == [
        (
            "breaking",
            "definition-removed",
            "action “createInvoice”: request body is no longer “Draft”",
        ),
        (
            "compatible",
            "definition-removed",
            "action “createInvoice”: response 200 is no longer “Draft”",
        ),
    ]


def test_a_body_replaced_by_another_definition_is_compared_with_it():
    wide = {
        "type": "object",
        "properties": {"total": {"type": "integer"}, "memo": {"type": "string"}},
    }
    old = version(action(responses=[ok(200, "Invoice")]), schemas={"Invoice": wide, "Bill": OBJECT})
    new = version(action(responses=[ok(200, "Bill")]), schemas={"Invoice": wide, "Bill": OBJECT})

    assert findings(old, new) == [
        (
            "breaking",
            "property-removed",
            "action “createInvoice”: response 200: property “memo” removed",
        ),
        (
            "compatible",
            "definition-replaced",
            "action “createInvoice”: response 200 uses “Bill” instead of “Invoice”",
        ),
    ]


# --- Schemas: properties and required --------------------------------------------------------


def test_a_new_required_property_in_a_request_schema_is_breaking():
    new = {
        **OBJECT,
        "properties": {**OBJECT["properties"], "currency": {"type": "string"}},
        "required": ["currency"],
    }

    found = only(sent(OBJECT), sent(new))
    assert (found.level, found.text) == (
        BREAKING,
        "definition “Invoice”: required property “currency” added",
    )


def test_a_new_required_property_in_a_response_schema_is_compatible():
    new = {
        **OBJECT,
        "properties": {**OBJECT["properties"], "currency": {"type": "string"}},
        "required": ["currency"],
    }

    assert only(received(OBJECT), received(new)).level is COMPATIBLE


def test_a_property_removed_from_a_response_schema_is_breaking_and_from_a_request_possibly():
    empty = {"type": "object", "properties": {}}

    assert only(received(OBJECT), received(empty)).level is BREAKING
    assert only(sent(OBJECT), sent(empty)).level is POSSIBLY


def test_an_added_optional_response_property_is_compatible():
    new = {**OBJECT, "properties": {**OBJECT["properties"], "memo": {"type": "string"}}}

    found = only(received(OBJECT), received(new))
    assert (found.level, found.what) == (COMPATIBLE, "optional property “memo” added")


def test_an_existing_property_made_required_is_breaking_when_sent():
    found = only(sent(OBJECT), sent({**OBJECT, "required": ["total"]}))

    assert (found.level, found.what) == (BREAKING, "property “total” is now required")


def test_a_received_property_made_optional_is_breaking():
    assert only(received({**OBJECT, "required": ["total"]}), received(OBJECT)).level is BREAKING


def test_closing_additional_properties_on_input_is_breaking():
    assert only(sent(OBJECT), sent({**OBJECT, "additionalProperties": False})).level is BREAKING


# --- Schemas: types, formats, null ---------------------------------------------------------------


def prop(schema: dict) -> dict:
    return {"type": "object", "properties": {"total": schema}}


def test_a_property_type_change_is_breaking_both_ways():
    for side in (sent, received):
        found = only(side(prop({"type": "integer"})), side(prop({"type": "string"})))
        assert (found.level, found.what) == (BREAKING, "property “total”: type integer → string")


def test_a_widened_type_is_compatible_when_sent_and_breaking_when_received():
    was, now = prop({"type": "integer"}), prop({"type": "number"})

    assert only(sent(was), sent(now)).level is COMPATIBLE
    assert only(received(was), received(now)).level is BREAKING


def test_a_format_change_is_breaking():
    was, now = (
        prop({"type": "string", "format": "date"}),
        prop({"type": "string", "format": "date-time"}),
    )

    found = only(sent(was), sent(now))
    assert (found.level, found.what) == (BREAKING, "property “total”: format date → date-time")


@pytest.mark.parametrize(
    ("was", "now"),
    [
        ({"type": "string"}, {"type": "string", "nullable": True}),  # OpenAPI 3.0
        ({"type": "string"}, {"type": ["string", "null"]}),  # 3.1
    ],
)
def test_a_received_value_that_may_now_be_null_is_breaking(was, now):
    found = only(received(prop(was)), received(prop(now)))

    assert (found.level, found.what) == (BREAKING, "property “total”: may now be null")
    assert only(sent(prop(was)), sent(prop(now))).level is COMPATIBLE


def test_a_sent_value_that_may_no_longer_be_null_is_breaking():
    was, now = prop({"type": "string", "nullable": True}), prop({"type": "string"})

    assert only(sent(was), sent(now)).level is BREAKING


# --- Schemas: enums and constraints -------------------------------------------------------------


def status(*values) -> dict:
    return prop({"type": "string", "enum": list(values)})


def test_enum_values_removed_from_what_is_sent_are_breaking():
    found = only(sent(status("draft", "open")), sent(status("open")))

    assert (found.level, found.what) == (BREAKING, "property “total”: values 'draft' removed")
    assert only(received(status("draft", "open")), received(status("open"))).level is COMPATIBLE


def test_enum_values_added_to_what_is_received_are_possibly_breaking():
    assert only(received(status("open")), received(status("open", "void"))).level is POSSIBLY
    assert only(sent(status("open")), sent(status("open", "void"))).level is COMPATIBLE


@pytest.mark.parametrize(
    ("was", "now"),
    [
        ({"maxLength": 10}, {"maxLength": 5}),
        ({}, {"maxLength": 5}),
        ({"minLength": 1}, {"minLength": 3}),
        ({"maximum": 100}, {"maximum": 99}),
        ({"minimum": 0}, {"minimum": 1}),
        ({"maxItems": 5}, {"maxItems": 4}),
        ({}, {"pattern": "^[A-Z]{3}$"}),
        ({"pattern": "^[A-Z]+$"}, {"pattern": "^[A-Z]{3}$"}),
        ({}, {"multipleOf": 5}),
        ({}, {"uniqueItems": True}),
    ],
)
def test_constraints_tightened_on_input_are_breaking(was, now):
    found = only(sent(prop(was)), sent(prop(now)))

    assert (found.level, found.rule) == (BREAKING, "constraint-tightened")
    assert only(received(prop(was)), received(prop(now))).level is COMPATIBLE


def test_constraints_loosened_on_input_are_compatible():
    assert only(sent(prop({"maxLength": 5})), sent(prop({"maxLength": 10}))).level is COMPATIBLE
    assert only(received(prop({"maxLength": 5})), received(prop({}))).level is POSSIBLY


# --- Schemas: composition, references, cycles, depth ---------------------------------------------


def test_a_oneof_alternative_removed_from_what_is_sent_is_breaking():
    card, bank = {"type": "object"}, {"type": "string"}
    was = {"oneOf": [{"$ref": "#/$defs/Card"}, {"$ref": "#/$defs/Bank"}]}
    now = {"oneOf": [{"$ref": "#/$defs/Card"}]}

    assert findings(sent(was, Card=card, Bank=bank), sent(now, Card=card, Bank=bank)) == [
        ("breaking", "choice-removed", "definition “Invoice”: oneOf part “Bank” removed"),
    ]


def test_an_anyof_alternative_added_to_what_is_received_is_possibly_breaking():
    was, now = {"anyOf": [{"type": "string"}]}, {"anyOf": [{"type": "string"}, {"type": "integer"}]}

    assert only(received(was), received(now)).level is POSSIBLY


def test_an_allof_part_added_to_what_is_sent_is_breaking_and_parts_are_compared_inside():
    base = {"type": "object", "properties": {"id": {"type": "string"}}}
    was = {"allOf": [{"$ref": "#/$defs/Base"}, {"properties": {"n": {"type": "integer"}}}]}
    now = {
        "allOf": [
            {"$ref": "#/$defs/Base"},
            {"properties": {"n": {"type": "string"}}},
            {"required": ["n"]},
        ]
    }

    assert findings(sent(was, Base=base), sent(now, Base=base)) == [
        ("breaking", "all-of-added", "definition “Invoice”: allOf part #3 added"),
        ("breaking", "type-changed", "definition “Invoice”: property “n”: type integer → string"),
    ]


def test_a_definition_is_graded_for_how_it_is_used_through_references():
    """Line is only referred to by Invoice, which a response uses: Line is received."""
    line = {"type": "object", "properties": {"sku": {"type": "string"}}}
    invoice = {
        "type": "object",
        "properties": {"lines": {"type": "array", "items": {"$ref": "#/$defs/Line"}}},
    }
    old = received(invoice, Line=line)
    new = received(invoice, Line={"type": "object", "properties": {}})

    assert findings(old, new) == [
        ("breaking", "property-removed", "definition “Line”: property “sku” removed")
    ]


def test_a_definition_no_item_uses_is_graded_by_the_strictest_direction():
    old = version(schemas={"Loose": {"type": "object", "properties": {"a": {"type": "string"}}}})
    new = version(schemas={"Loose": {"type": "object", "properties": {}}})

    assert only(old, new).level is BREAKING


def test_cyclic_schemas_are_compared_and_the_comparison_ends():
    """Node refers to itself, Tree and Forest to each other; the response switches from
    Tree to Forest, so the two are followed into each other's references."""
    node = {
        "type": "object",
        "properties": {"next": {"$ref": "#/$defs/Node"}, "v": {"type": "integer"}},
    }
    tree = {
        "type": "object",
        "properties": {"forest": {"$ref": "#/$defs/Forest"}, "v": {"type": "integer"}},
    }
    forest = {"type": "object", "properties": {"tree": {"$ref": "#/$defs/Tree"}}}
    defs = {"Node": node, "Tree": tree, "Forest": forest}
    old = version(action(responses=[ok(200, "Tree"), ok(201, "Node")]), schemas=defs)
    new_node = {**node, "properties": {**node["properties"], "v": {"type": "string"}}}
    new = version(
        action(responses=[ok(200, "Forest"), ok(201, "Node")]), schemas={**defs, "Node": new_node}
    )

    assert findings(old, new) == [
        (
            "breaking",
            "property-removed",
            "action “createInvoice”: response 200: property “forest” removed",
        ),
        (
            "breaking",
            "property-removed",
            "action “createInvoice”: response 200: property “v” removed",
        ),
        ("breaking", "type-changed", "definition “Node”: property “v”: type integer → string"),
        (
            "compatible",
            "definition-replaced",
            "action “createInvoice”: response 200 uses “Forest” instead of “Tree”",
        ),
        (
            "compatible",
            "property-added",
            "action “createInvoice”: response 200: optional property “tree” added",
        ),
    ]


def test_deeply_nested_schemas_are_compared_to_the_bottom():
    def nested(depth: int, leaf: dict) -> dict:
        schema = leaf
        for _ in range(depth):
            schema = {"type": "object", "properties": {"child": schema}}
        return schema

    found = only(
        received(nested(60, {"type": "integer"})), received(nested(60, {"type": "string"}))
    )

    assert found.level is BREAKING
    assert found.what.startswith("property “child.child.") and found.what.endswith(
        ": type integer → string"
    )


def test_any_other_keyword_change_is_possibly_breaking():
    assert only(sent(prop({"readOnly": True})), sent(prop({}))).rule == "schema-other"


# --- The version suggestion ----------------------------------------------------------------------


def test_breaking_findings_suggest_a_major_version():
    assert classify(version(action()), version()).bump() == "major"
    assert next_version(["1.2.3", "1.10.0"], "major") == "2.0.0"


def test_additions_suggest_a_minor_version_and_other_changes_a_patch():
    assert classify(version(), version(action())).bump() == "minor"
    assert classify(version(action(summary="a")), version(action(summary="b"))).bump() == "patch"
    assert next_version(["v1.2.3"], "minor") == "v1.3.0"
    assert next_version(["1.2.3"], "patch") == "1.2.4"


def test_no_version_is_suggested_unless_every_name_is_semantic():
    assert next_version(["1.0.0", "draft"], "major") == ""
    assert next_version([], "major") == ""


# --- Generated specs -----------------------------------------------------------------------------


def generated(change=None) -> Snapshot:
    """The medium generated spec (tests/bench/specgen.py: cycles, allOf, enums, nullable) as
    an import would create it, after `change(doc)`."""
    doc = generate(size="medium", seed=7)
    if change:
        change(doc)
    return import_snapshot(import_document(doc))


def test_a_generated_spec_compared_with_itself_has_no_findings():
    assert not classify(generated(), generated())


def test_changes_deep_in_a_generated_spec_are_found_through_its_cycles():
    def close_category(doc):
        category = doc["components"]["schemas"]["Category"]  # refers to itself
        del category["properties"]["name"]
        category["additionalProperties"] = False

    report = classify(generated(), generated(close_category))

    texts = {(f.level, f.text) for f in report.findings}
    assert (BREAKING, "definition “Category”: property “name” removed") in texts
    assert any(f.rule == "additional-closed" and f.name == "Category" for f in report.findings)
