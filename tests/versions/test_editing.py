"""Editing a draft's actions and triggers: their own fields, parameters, request body and
responses, through the embedded Connect API; what the form does not show is kept."""

import json

import pytest
from ulid import ULID

from dashboard.connect import BadRequest, get_client
from dashboard.connect.errors import FieldError
from dashboard.connect.models import HTTPParameter
from dashboard.versions import editing
from dashboard.versions.forms import parameter_formset
from tests.connectors.conftest import htmx
from tests.html import field_value, hrefs, one, parse, text, texts

pytestmark = pytest.mark.django_db


def edit_url(connector, item: str, version: str = "2.0", kind: str = "actions") -> str:
    return f"/connectors/{connector.id}/versions/{version}/{kind}/{item}/edit/"


def form_data(**fields) -> dict:
    """getProduct of draft 2.0 as the edit form posts it, with `fields` changed; parameters as
    `rows` of (name, in, type, required, default)."""
    rows = fields.pop("rows", [])
    data = {
        "name": "getProduct",
        "summary": "",
        "description": "",
        "method": "GET",
        "path": "/products/{{ param.id }}",
        "parameters-TOTAL_FORMS": str(len(rows) + 1),
        "parameters-INITIAL_FORMS": str(len(rows)),
    } | fields
    for index, (name, place, type_, required, default) in enumerate(rows):
        data |= {
            f"parameters-{index}-name": name,
            f"parameters-{index}-in_": place,
            f"parameters-{index}-type": type_,
            f"parameters-{index}-default": default,
        }
        if required:
            data[f"parameters-{index}-required"] = "on"
    blank = len(rows)
    return data | {f"parameters-{blank}-in_": "query", f"parameters-{blank}-type": "string"}


def shown(client, url: str) -> dict:
    """The response rows and request body as the edit form at `url` shows them, posted back."""
    page = client.get(url)
    rows, body = page.context["responses"], page.context["body"]
    data = {
        f"{rows.prefix}-TOTAL_FORMS": str(rows.total_form_count()),
        f"{rows.prefix}-INITIAL_FORMS": str(rows.initial_form_count()),
    }
    for field in [field for form in [*rows.forms, body] for field in form]:
        if (value := field.value()) not in (None, "", False):
            data[field.html_name] = "on" if value is True else value
    return data


def errors(page) -> list[str]:
    """Every error the form shows: under its fields, and at its top."""
    return texts(page, ".field__errors li, .form-errors li, .form-errors p")


def read_only(response) -> str:
    """What an item's form page says instead of a form, on a published version."""
    return text(one(parse(response), "#item-form p"))


def test_the_form_is_filled_from_the_action(client_as, connector):
    page = parse(client_as("publisher").get(edit_url(connector, "listProducts")))

    assert texts(page, "#item-form h3") == ["Edit action listProducts"]
    assert field_value(page, "name") == "listProducts"
    assert field_value(page, "path") == "/v2/products"
    assert field_value(page, "parameters-0-name") == "limit"
    assert field_value(page, "parameters-1-name") == "cursor"
    assert field_value(page, "parameters-2-name") == ""  # a blank row to fill
    assert page.select('[name="parameters-3-name"]') == []


def test_declaring_the_path_parameter_clears_the_actions_problem(client_as, api, connector):
    before = api.actions.get(connector.id, "2.0", "getProduct")
    assert [error.field for error in before.errors] == ["/path"]

    publisher = client_as("publisher")
    response = publisher.post(
        edit_url(connector, "getProduct"),
        form_data(summary="Get a product", rows=[("id", "path", "string", True, "")])
        | shown(publisher, edit_url(connector, "getProduct")),
    )

    assert response.status_code == 302
    assert response["Location"] == f"/connectors/{connector.id}/versions/2.0/actions/getProduct/"
    after = api.actions.get(connector.id, "2.0", "getProduct")
    assert after.errors == []
    assert after.summary == "Get a product"
    assert [(p.name, p.in_, p.required) for p in after.parameters] == [("id", "path", True)]
    assert after.responses == before.responses  # kept as they were


def test_defaults_are_typed_and_unshown_parameter_fields_kept(client_as, api, connector):
    listing = api.actions.get(connector.id, "2.0", "listProducts")
    listing.parameters = [
        HTTPParameter.model_validate(
            {"name": "limit", "in": "query", "type": "integer", "completion": {}}
        ),
        HTTPParameter(name="filter", in_="query", default={"active": True}),
    ]
    api.actions.update(connector.id, "2.0", "listProducts", listing)
    rows = [
        ("limit", "query", "integer", False, "50"),
        ("live", "header", "boolean", False, "TRUE"),
        ("filter", "query", "string", False, '{"active": true}'),  # as the form shows it
    ]

    publisher = client_as("publisher")
    response = publisher.post(
        edit_url(connector, "listProducts"),
        form_data(name="listProducts", path="/p", rows=rows)
        | shown(publisher, edit_url(connector, "listProducts")),
    )

    assert response.status_code == 302
    saved = api.actions.get(connector.id, "2.0", "listProducts").parameters
    assert [(p.name, p.default) for p in saved] == [
        ("limit", 50),
        ("live", True),
        ("filter", {"active": True}),
    ]
    assert saved[0].model_extra == {"completion": {}}


def test_renaming_lands_on_the_new_name(client_as, api, connector):
    publisher = client_as("publisher")
    response = publisher.post(
        edit_url(connector, "getProduct"),
        form_data(name="fetchProduct", rows=[("id", "path", "string", True, "")])
        | shown(publisher, edit_url(connector, "getProduct")),
    )

    assert response["Location"].endswith("/versions/2.0/actions/fetchProduct/")
    names = [action.name for action in api.actions.list(connector.id, "2.0").items]
    assert "fetchProduct" in names and "getProduct" not in names


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("limit", "query", "integer", False, "ten"), "An integer's default is a whole"),
        (("limit", "query", "number", False, "NaN"), "A number's default is a number"),
        (("flag", "query", "boolean", False, "yes"), "A boolean's default is true or false"),
        (("", "query", "string", False, "x"), "A parameter with a default needs a name."),
    ],
)
def test_a_bad_default_is_explained_and_nothing_typed_is_lost(
    client_as, api, connector, row, message
):
    response = client_as("publisher").post(
        edit_url(connector, "getProduct"), form_data(summary="Typed", rows=[row])
    )

    page = parse(response)
    assert response.status_code == 422
    assert any(message in error for error in errors(page))
    assert field_value(page, "summary") == "Typed"
    assert field_value(page, "parameters-0-default") == row[4]
    assert api.actions.get(connector.id, "2.0", "getProduct").summary == ""


def test_a_taken_name_is_refused_by_the_api_and_a_malformed_one_by_the_form(
    client_as, api, connector
):
    publisher = client_as("publisher")
    kept = shown(publisher, edit_url(connector, "getProduct"))

    taken = publisher.post(edit_url(connector, "getProduct"), form_data(name="listProducts") | kept)
    malformed = publisher.post(
        edit_url(connector, "getProduct"), form_data(name="get product") | kept
    )

    assert taken.status_code == malformed.status_code == 422
    name_errors = "#id_name_error li"
    assert texts(parse(taken), name_errors) == ["another action is named 'listProducts'"]
    refused = parse(malformed)
    [error] = texts(refused, name_errors)
    assert error.startswith("Use only letters, digits, “_”, “-” and “$”, without spaces.")
    assert "pattern" not in malformed.text and "a-zA-Z" not in malformed.text  # no regex
    assert field_value(refused, "name") == "get product"
    assert api.actions.get(connector.id, "2.0", "getProduct").name == "getProduct"


def test_the_apis_parameter_errors_land_on_their_rows():
    data = form_data(rows=[("id", "path", "string", True, ""), ("q", "query", "string", False, "")])
    rows = parameter_formset("action", data=data)
    assert rows.is_valid()

    assert rows.add_api_error("parameters[1].in_", "is not allowed here")
    assert rows.add_api_error("parameters", "too many")
    assert not rows.add_api_error("path", "elsewhere")

    assert rows.forms[1].errors == {"in_": ["is not allowed here"]}
    assert rows.api_errors == ["too many"]


def test_a_trigger_has_no_path_and_no_path_parameters(client_as, api, connector):
    url = edit_url(connector, "productCreated", kind="triggers")
    publisher = client_as("publisher")
    page = parse(publisher.get(url))

    assert page.select('[name="path"]') == []
    assert page.select('option[value="path"]') == []
    assert page.select('option[value="query"]')  # the other places are offered
    response = publisher.post(
        url,
        {
            "name": "productCreated",
            "method": "PUT",
            "parameters-TOTAL_FORMS": "1",
            "parameters-INITIAL_FORMS": "0",
            "parameters-0-name": "X-Signature",
            "parameters-0-in_": "header",
            "parameters-0-type": "string",
        }
        | shown(publisher, url),
    )
    assert response.status_code == 302
    trigger = api.triggers.get(connector.id, "2.0", "productCreated")
    assert trigger.method == "PUT"
    assert [(p.name, p.in_) for p in trigger.parameters] == [("X-Signature", "header")]


def test_add_parameter_adds_a_row_and_saves_nothing(client_as, api, connector):
    data = form_data(summary="Not yet", add_parameter="1")

    response = client_as("publisher").post(
        edit_url(connector, "getProduct"), data, headers=htmx("item-form")
    )

    page = parse(response)
    assert response.status_code == 200 and page.select("html, body") == []
    assert field_value(page, "parameters-1-name") == ""  # the new, blank row
    assert api.actions.get(connector.id, "2.0", "getProduct").summary == ""


def test_only_drafts_are_editable(client_as, api, connector):
    publisher = client_as("publisher")
    draft_page = publisher.get(f"/connectors/{connector.id}/versions/2.0/actions/getProduct/")
    published_page = publisher.get(f"/connectors/{connector.id}/versions/1.0/actions/listProducts/")
    published_form = publisher.get(edit_url(connector, "listProducts", version="1.0"))
    refused = publisher.post(
        edit_url(connector, "listProducts", version="1.0"),
        form_data(name="listProducts", path="/elsewhere"),
    )

    assert "Edit action" in texts(parse(draft_page), "a")
    assert delete_url(connector, "actions", "getProduct") in hrefs(parse(draft_page))
    assert "Edit action" not in texts(parse(published_page), "a")
    assert "is published, so its actions are read-only" in read_only(published_form)
    assert refused.status_code == 422
    assert api.actions.get(connector.id, "1.0", "listProducts").path == "/products"


def test_a_viewer_may_not_edit(client_as, connector):
    viewer = client_as("viewer")

    page = viewer.get(f"/connectors/{connector.id}/versions/2.0/actions/getProduct/")
    form = viewer.get(edit_url(connector, "getProduct"))

    assert "Edit action" not in texts(parse(page), "a")
    assert form.status_code == 403


# --- Definitions ------------------------------------------------------------------------------


def definition_data(client, connector, item: str = "Product", **fields) -> dict:
    """The definition form of `item` as a GET fills it, with `fields` changed."""
    form = client.get(edit_url(connector, item, kind="definitions")).context["form"]
    return {field: form[field].value() for field in form.fields} | fields


def test_a_definitions_form_holds_its_schema_with_references_by_name_as_its_hint_says(
    client_as, connector
):
    form = client_as("publisher").get(edit_url(connector, "Product", kind="definitions"))

    schema = json.loads(form.context["form"]["schema"].value())
    assert schema["properties"]["price"] == {"type": "number"}
    assert schema["properties"]["tag"]["$ref"] == "#/$defs/Tag"
    assert '{"$ref": "#/$defs/<name>"}' in form.context["form"]["schema"].help_text
    assert form.context["form"]["accept"].value() == "application/json"


def test_a_schema_is_saved_and_its_references_follow(client_as, api, connector):
    publisher = client_as("publisher")
    data = definition_data(publisher, connector)
    schema = json.loads(data["schema"])
    schema["properties"]["order"] = {"$ref": "#/$defs/Order"}

    response = publisher.post(
        edit_url(connector, "Product", kind="definitions"),
        data | {"description": "A product on sale", "schema": json.dumps(schema)},
    )

    assert response.status_code == 302
    assert response["Location"].endswith("/versions/2.0/definitions/Product/")
    referrers = {
        name: [ref.name for ref in api.definitions.get(connector.id, "2.0", name).referenced_by]
        for name in ("Tag", "Order")
    }
    assert referrers == {"Tag": ["Product"], "Order": ["Product"]}
    assert api.definitions.get(connector.id, "2.0", "Product").description == "A product on sale"


def test_renaming_a_definition_keeps_what_refers_to_it(client_as, api, connector):
    publisher = client_as("publisher")

    response = publisher.post(
        edit_url(connector, "Tag", kind="definitions"),
        definition_data(publisher, connector, "Tag", name="Label"),
    )

    assert response["Location"].endswith("/definitions/Label/")
    label = api.definitions.get(connector.id, "2.0", "Label")
    assert [ref.name for ref in label.referenced_by] == ["Product"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"schema": '{"type": "object",}'}, "schema", "This is not valid JSON"),
        ({"schema": "[1, 2]"}, "schema", "A JSON Schema is an object"),
        ({"accept": " , "}, "accept", "Give at least one media type"),
        ({"schema": '{"$ref": "#/$defs/Nope"}'}, "schema", "Nope"),  # the API's refusal
    ],
)
def test_a_bad_definition_is_explained_and_nothing_typed_is_lost(
    client_as, api, connector, changes, field, message
):
    publisher = client_as("publisher")
    data = definition_data(publisher, connector, description="Typed") | changes

    response = publisher.post(edit_url(connector, "Product", kind="definitions"), data)

    assert response.status_code == 422
    errors = response.context["form"].errors
    assert message in " ".join(errors.get(field, [])), errors
    assert field_value(parse(response), "description") == "Typed"
    assert api.definitions.get(connector.id, "2.0", "Product").description == "A product"


def test_only_a_drafts_definitions_are_editable_and_only_by_version_managers(client_as, connector):
    publisher = client_as("publisher")
    draft_page = publisher.get(f"/connectors/{connector.id}/versions/2.0/definitions/Tag/")
    published_form = publisher.get(edit_url(connector, "Tag", version="1.0", kind="definitions"))
    viewer = client_as("viewer")

    assert "Edit definition" in texts(parse(draft_page), "a")
    assert "is published, so its definitions are read-only" in read_only(published_form)
    assert viewer.get(edit_url(connector, "Tag", kind="definitions")).status_code == 403


# --- Deleting ---------------------------------------------------------------------------------


def delete_url(connector, kind: str, item: str, version: str = "2.0") -> str:
    return f"/connectors/{connector.id}/versions/{version}/{kind}/{item}/delete/"


@pytest.mark.parametrize(
    ("kind", "item", "listed_at"),
    [
        ("actions", "listProducts", ""),
        ("triggers", "productCreated", "triggers/"),
        ("definitions", "Order", "definitions/"),
    ],
)
def test_an_item_is_deleted_after_confirming(client_as, api, connector, kind, item, listed_at):
    publisher = client_as("publisher")

    confirm = publisher.get(delete_url(connector, kind, item))
    response = publisher.post(delete_url(connector, kind, item))

    [question] = texts(parse(confirm), "#item-delete form p")
    assert question.endswith("from draft 2.0? This cannot be undone.")
    assert response.status_code == 302
    assert response["Location"] == f"/connectors/{connector.id}/versions/2.0/{listed_at}"
    remaining = getattr(api, kind).list(connector.id, "2.0").items
    assert item not in [each.name for each in remaining]


def test_a_referenced_definition_is_deleted_only_anyway(client_as, api, connector):
    publisher = client_as("publisher")

    confirm = publisher.get(delete_url(connector, "definitions", "Tag"))
    refused = publisher.post(delete_url(connector, "definitions", "Tag"))
    anyway = publisher.post(delete_url(connector, "definitions", "Tag"), {"force": "1"})

    page = parse(confirm)
    [referrers] = [p for p in page.select("p") if p.strong and "refers to" in text(p.strong)]
    assert text(referrers.strong) == "1 item of draft 2.0 refers to Tag:"
    assert text(referrers) == "1 item of draft 2.0 refers to Tag: definition Product."
    assert "Delete Tag anyway" in texts(page, "button")
    assert refused.status_code == 422
    assert texts(parse(refused), ".form-errors strong") == ["Definition Tag was not deleted."]
    assert anyway.status_code == 302
    names = [d.name for d in api.definitions.list(connector.id, "2.0").items]
    assert "Tag" not in names and "Product" in names


def test_a_published_versions_items_are_not_deleted(client_as, api, connector):
    publisher = client_as("publisher")
    page = publisher.get(f"/connectors/{connector.id}/versions/1.0/actions/listProducts/")

    refused = publisher.post(delete_url(connector, "actions", "listProducts", version="1.0"))

    assert delete_url(connector, "actions", "listProducts", version="1.0") not in hrefs(parse(page))
    assert refused.status_code == 422
    assert "listProducts" in [a.name for a in api.actions.list(connector.id, "1.0").items]
    assert (
        client_as("viewer").post(delete_url(connector, "actions", "getProduct")).status_code == 403
    )


# --- New items --------------------------------------------------------------------------------


def new_url(connector, kind: str, version: str = "2.0") -> str:
    return f"/connectors/{connector.id}/versions/{version}/new-{kind}/"


def responses(*rows: tuple) -> dict:
    """A new item's response rows as posted: (status, body definition), then a blank row."""
    data = {"responses-TOTAL_FORMS": str(len(rows) + 1), "responses-INITIAL_FORMS": "0"}
    for index, (status, definition) in enumerate(rows):
        data |= {f"responses-{index}-status": status, f"responses-{index}-definition": definition}
    return data


def test_a_new_action_is_created_with_its_parameters(client_as, api, connector):
    publisher = client_as("publisher")
    listing = publisher.get(f"/connectors/{connector.id}/versions/2.0/")
    empty = publisher.get(new_url(connector, "action"))

    response = publisher.post(
        new_url(connector, "action"),
        form_data(
            name="deleteProduct",
            method="DELETE",
            rows=[("id", "path", "string", True, "")],
        )
        | responses((204, ""), ("", "Product")),
    )

    assert one(parse(listing), f'a[href="{new_url(connector, "action")}"]').text == "New action"
    blank = parse(empty)
    assert texts(blank, "#item-form h3") == ["New action"]
    assert not one(blank, '[name="name"]').has_attr("value")
    assert response["Location"].endswith("/versions/2.0/actions/deleteProduct/")
    made = api.actions.get(connector.id, "2.0", "deleteProduct")
    assert (made.method, made.path, made.errors) == ("DELETE", "/products/{{ param.id }}", [])
    assert [(p.name, p.in_) for p in made.parameters] == [("id", "path")]
    bodies = [(r.status, [link.definition.name for link in r.definitions]) for r in made.responses]
    assert bodies == [(204, []), (None, ["Product"])]


def test_a_new_action_takes_a_request_body(client_as, api, connector):
    response = client_as("publisher").post(
        new_url(connector, "action"),
        form_data(name="createProduct", method="POST", path="/products")
        | responses((201, "Product"))
        | {"body-definition": "Product", "body-required": "on"},
    )

    assert response.status_code == 302
    made = api.actions.get(connector.id, "2.0", "createProduct")
    assert made.request_body.required
    assert [link.definition.name for link in made.request_body.definitions] == ["Product"]


def test_a_new_action_offers_the_drafts_definitions_as_its_body(client_as, connector):
    page = parse(client_as("publisher").get(new_url(connector, "action")))

    body = one(page, '[name="body-definition"]')
    assert field_value(page, "body-definition") == ""
    assert text(one(body, "option[selected]")) == "No body"
    assert ("Product", "Product") in [(o["value"], text(o)) for o in body.select("option")]


def test_a_new_items_name_must_be_free(client_as, api, connector):
    publisher = client_as("publisher")

    action = publisher.post(
        new_url(connector, "action"), form_data(name="listProducts") | responses((200, ""))
    )
    definition = publisher.post(
        new_url(connector, "definition"),
        {"name": "Tag", "accept": "application/json", "schema": "{}"},
    )

    assert action.status_code == definition.status_code == 422
    assert texts(parse(action), "#id_name_error li") == ["another action is named 'listProducts'"]
    assert definition.context["form"].errors["name"] == ["another definition is named 'Tag'"]


def test_a_new_trigger_and_a_new_definition_are_created(client_as, api, connector):
    publisher = client_as("publisher")

    trigger = publisher.post(
        new_url(connector, "trigger"),
        {
            "name": "productDeleted",
            "method": "POST",
            "parameters-TOTAL_FORMS": "0",
            "parameters-INITIAL_FORMS": "0",
        }
        | responses((204, "")),
    )
    definition = publisher.post(
        new_url(connector, "definition"),
        {
            "name": "Price",
            "accept": "application/json",
            "schema": '{"type": "object", "properties": {"tag": {"$ref": "#/$defs/Tag"}}}',
        },
    )

    assert trigger["Location"].endswith("/versions/2.0/triggers/productDeleted/")
    assert definition["Location"].endswith("/versions/2.0/definitions/Price/")
    assert api.triggers.get(connector.id, "2.0", "productDeleted").method == "POST"
    tag = api.definitions.get(connector.id, "2.0", "Tag")
    assert sorted(ref.name for ref in tag.referenced_by) == ["Price", "Product"]


def test_a_published_version_offers_no_new_items(client_as, connector):
    publisher = client_as("publisher")

    listing = publisher.get(f"/connectors/{connector.id}/versions/1.0/triggers/")
    form = publisher.get(new_url(connector, "trigger", version="1.0"))

    assert "New trigger" not in texts(parse(listing), "a")
    assert "is published, so its triggers are read-only" in read_only(form)


def test_a_new_items_responses_start_with_a_200_and_need_one(client_as, api, connector):
    publisher = client_as("publisher")
    empty = publisher.get(new_url(connector, "action"))
    data = form_data(name="pingProducts", path="/ping")

    none = publisher.post(new_url(connector, "action"), data | responses(("", "")))
    bad = publisher.post(new_url(connector, "action"), data | responses((99, "")))
    more = publisher.post(
        new_url(connector, "action"), data | responses((200, "")) | {"add_response": "1"}
    )

    assert empty.context["responses"].forms[0]["status"].value() == 200
    offered = [
        (o["value"], text(o)) for o in parse(empty).select('[name="responses-0-definition"] option')
    ]
    assert ("Order", "Order") in offered  # the draft's definitions
    assert none.status_code == bad.status_code == 422
    assert any(e.startswith("Give at least one response") for e in errors(parse(none)))
    assert bad.context["responses"].forms[0].errors["status"]
    assert more.status_code == 200 and field_value(parse(more), "responses-2-status") == ""
    names = [action.name for action in api.actions.list(connector.id, "2.0").items]
    assert "pingProducts" not in names


# --- An existing item's responses and request body ------------------------------------------


def test_an_existing_actions_responses_and_body_are_shown(client_as, api, connector):
    page = client_as("publisher").get(edit_url(connector, "listProducts"))
    stored = api.actions.get(connector.id, "2.0", "listProducts").responses

    rows = page.context["responses"].forms
    assert [
        (row["id"].value(), row["status"].value(), row["definition"].value()) for row in rows
    ] == [
        (stored[0].id, 200, "Product"),
        (None, None, None),  # a blank row to fill
    ]
    assert page.context["body"]["definition"].value() in (None, "")
    assert "The request body and responses are kept as they are." not in text(parse(page))


def test_an_existing_actions_responses_and_body_change_and_unshown_fields_survive(
    client_as, api, connector
):
    # Give listProducts' 200 what its row does not show: a second body definition (another
    # media type's), beside the one the row shows.
    listing = api.actions.get(connector.id, "2.0", "listProducts")
    ok = listing.responses[0]
    tag = api.definitions.get(connector.id, "2.0", "Tag")
    second = ok.definitions[0].model_copy(
        update={"id": "01JQ0PATCHBAY0SEC0NDL1NK000", "definition": tag}
    )
    listing.responses = [ok.model_copy(update={"definitions": [ok.definitions[0], second]})]
    api.actions.update(connector.id, "2.0", "listProducts", listing)
    before = api.actions.get(connector.id, "2.0", "listProducts")
    publisher = client_as("publisher")
    url = edit_url(connector, "listProducts")
    data = form_data(name="listProducts", path="/v2/products") | shown(publisher, url)

    response = publisher.post(
        url,
        data
        | {
            "responses-0-status": "206",  # the stored 200, now a 206
            "responses-1-status": "404",  # the blank row, now a new response
            "responses-TOTAL_FORMS": "2",
            "body-definition": "Product",
            "body-required": "on",
        },
    )

    assert response.status_code == 302
    after = api.actions.get(connector.id, "2.0", "listProducts")
    changed, added = after.responses
    assert (changed.id, changed.status) == (before.responses[0].id, 206)
    assert changed.definitions == before.responses[0].definitions  # both links, ids and all
    assert (added.status, added.definitions) == (404, [])
    assert after.request_body.required
    assert [link.definition.name for link in after.request_body.definitions] == ["Product"]


def test_an_existing_actions_body_and_a_responses_definition_can_be_swapped_or_dropped(
    client_as, api, connector
):
    publisher = client_as("publisher")
    url = edit_url(connector, "listProducts")
    data = form_data(name="listProducts", path="/v2/products") | shown(publisher, url)
    publisher.post(url, data | {"body-definition": "Product"})
    data = shown(publisher, url)

    response = publisher.post(
        url,
        form_data(name="listProducts", path="/v2/products")
        | data
        | {"responses-0-definition": "Tag", "body-definition": ""},
    )

    assert response.status_code == 302
    after = api.actions.get(connector.id, "2.0", "listProducts")
    assert after.request_body is None
    assert [link.definition.name for link in after.responses[0].definitions] == ["Tag"]


def test_removing_every_response_of_an_existing_action_is_refused(client_as, api, connector):
    publisher = client_as("publisher")
    url = edit_url(connector, "listProducts")
    before = api.actions.get(connector.id, "2.0", "listProducts")
    data = form_data(name="listProducts", path="/v2/products", summary="Lost?")
    data |= {"responses-TOTAL_FORMS": "1", "responses-INITIAL_FORMS": "0"}

    response = publisher.post(url, data)

    assert response.status_code == 422
    page = parse(response)
    assert any(e.startswith("Give at least one response") for e in errors(page))
    assert field_value(page, "summary") == "Lost?"
    assert api.actions.get(connector.id, "2.0", "listProducts") == before


def test_a_published_versions_responses_stay_read_only(client_as, api, connector):
    publisher = client_as("publisher")
    url = edit_url(connector, "listProducts", version="1.0")
    before = api.actions.get(connector.id, "1.0", "listProducts")

    form = publisher.get(url)
    refused = publisher.post(
        url,
        form_data(name="listProducts", path="/products")
        | {
            "responses-TOTAL_FORMS": "1",
            "responses-INITIAL_FORMS": "0",
            "responses-0-status": "500",
        },
    )

    assert parse(form).select('[name="responses-0-status"]') == []
    assert "is published, so its actions are read-only" in read_only(form)
    assert refused.status_code == 422
    assert api.actions.get(connector.id, "1.0", "listProducts").responses == before.responses


def test_the_apis_refusal_of_a_response_or_the_body_shows_on_that_cell(
    client_as, api, connector, monkeypatch
):
    # A definition the editor offers but the draft no longer has (deleted meanwhile): the
    # API refuses `responses[1].definitions[0].definition` and `request_body.definitions[0]...`.
    real = editing._definitions

    def with_a_ghost(connector_id, version):
        found = real(connector_id, version)
        ghost = next(iter(found.values())).model_copy(update={"id": str(ULID()), "name": "Ghost"})
        return found | {"Ghost": ghost}

    monkeypatch.setattr(editing, "_definitions", with_a_ghost)
    publisher = client_as("publisher")
    url = edit_url(connector, "listProducts")
    data = form_data(name="listProducts", path="/v2/products") | shown(publisher, url)
    before = api.actions.get(connector.id, "2.0", "listProducts")

    response = publisher.post(
        url,
        data
        | {
            "responses-1-status": "404",
            "responses-1-definition": "Ghost",
            "responses-TOTAL_FORMS": "2",
            "body-definition": "Ghost",
        },
    )

    assert response.status_code == 422
    page = parse(response)
    assert "no definition" in text(one(page, "#id_responses-1-definition_error"))
    assert "no definition" in text(one(page, "#id_body-definition_error"))
    assert not page.select(".form-errors")  # nothing left at the top of the form
    assert api.actions.get(connector.id, "2.0", "listProducts") == before


def test_the_apis_refusal_of_a_parameter_shows_on_its_cell(client_as, connector, monkeypatch):
    def refuse(*args, **kwargs):
        raise BadRequest(
            400,
            "bad_request",
            "The action is not valid.",
            [FieldError("parameters[1].name", "is reserved")],
        )

    publisher = client_as("publisher")
    url = edit_url(connector, "getProduct")
    data = form_data(rows=[("id", "path", "string", True, ""), ("q", "query", "string", False, "")])
    monkeypatch.setattr(get_client().actions, "update", refuse)

    response = publisher.post(url, data | shown(publisher, url))

    assert response.status_code == 422
    page = parse(response)
    assert text(one(page, "#id_parameters-1-name_error")) == "is reserved"
    assert field_value(page, "parameters-1-name") == "q"  # what was typed is kept
    assert not page.select(".form-errors")
