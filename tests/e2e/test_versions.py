"""Versions in a real browser: create a draft from a published version, browse it, see what
publishing it changes, publish it (badges update in place), set the default, unpublish."""

import re

import pytest
from playwright.sync_api import expect

from tests.connectors.conftest import make_connector
from tests.versions.conftest import change_draft, fill_version

pytestmark = pytest.mark.usefixtures("api")


@pytest.fixture
def connector(api):
    """A connector with version 1.0 published."""
    made = make_connector(api, "Shop")
    api.versions.create(made.id, "1.0")
    fill_version(api, made.id, "1.0")
    api.versions.publish(made.id, "1.0")
    return made


def version_row(page, name: str):
    return page.locator("#version-table tbody tr").filter(
        has=page.get_by_role("rowheader", name=name, exact=True)
    )


def test_a_version_is_created_browsed_published_made_default_and_unpublished(
    logged_in_page, api, connector
):
    page = logged_in_page
    page.goto(f"/connectors/{connector.id}/versions/")
    expect(version_row(page, "1.0")).to_contain_text("Latest")

    # Create 2.0 from 1.0: a draft with 1.0's actions.
    page.get_by_role("link", name="New version", exact=True).click()
    page.get_by_label("Name").fill("2.0")
    page.get_by_label("Start from").select_option(label="Version 1.0")
    page.get_by_role("button", name="Create draft").click()
    expect(page).to_have_url(re.compile(rf"/connectors/{connector.id}/versions/2\.0/$"))
    status = page.locator("#version-status")
    expect(status.locator(".badge")).to_have_text(["Draft"])
    rows = page.locator("#item-results tbody th")
    expect(rows).to_have_text(["createProduct", "listProducts"])

    # Browse: the live name filter, an action's page, a definition's schema.
    page.get_by_label("Name").press_sequentially("list", delay=20)
    expect(rows).to_have_text(["listProducts"])
    expect(page).to_have_url(re.compile(r"/versions/2\.0/\?name=list$"))
    page.get_by_role("link", name="listProducts").click()
    expect(page.locator(".endpoint__request")).to_have_text("GET /products")
    expect(page.get_by_role("row", name="limit query integer No")).to_be_visible()
    page.get_by_role("link", name="Product", exact=True).first.click()
    expect(page.locator("pre.schema")).to_contain_text('"required": [')
    expect(page.get_by_role("link", name="listProducts")).to_be_visible()  # referenced by

    # Someone changes the draft through the API: getProduct's path uses an undeclared parameter.
    change_draft(api, connector.id, "2.0")
    page.goto(f"/connectors/{connector.id}/versions/2.0/actions/getProduct/")
    expect(page.get_by_role("region", name="Problems")).to_contain_text("param.id")

    # Declare it in the action's editor: a row added, filled and saved.
    page.get_by_role("link", name="Edit action").click()
    page.get_by_role("button", name="+ Add parameter").click()
    page.get_by_label("Parameter 2 name").fill("id")
    page.get_by_label("Parameter 2 in").select_option("path")
    page.get_by_label("Parameter 2 required").check()
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/versions/2\.0/actions/getProduct/$"))
    expect(page.get_by_role("row", name=re.compile(r"^id path string Yes"))).to_be_visible()
    expect(page.get_by_role("region", name="Problems")).to_have_count(0)

    # Publish: first what changes compared with 1.0, breaking first, acknowledged; then the
    # version's own page, with its new badges.
    page.goto(f"/connectors/{connector.id}/versions/2.0/")
    page.get_by_role("link", name="Publish…").click()
    breaking = page.get_by_role("region", name="Breaking (2)")
    expect(breaking.locator(".finding")).to_contain_text(
        ["createProduct: removed", "listProducts: path /products → /v2/products"]
    )
    compatible = page.get_by_role("region", name="Compatible (4)")
    expect(compatible).to_contain_text("Product: optional property “price” added")
    page.get_by_label("I understand").check()
    page.get_by_label("to confirm").fill("2.0")
    page.get_by_role("button", name="Publish version 2.0").click()
    expect(page).to_have_url(re.compile(r"/versions/2\.0/$"))
    expect(page.locator("#toasts")).to_contain_text("is now the latest version")
    expect(status.locator(".badge")).to_have_text(["Published", "Latest", "Default"])
    expect(page.locator("#version-facts")).not_to_contain_text("Not yet")

    # The table: 2.0 is the latest; make 1.0 the default, in place.
    page.goto(f"/connectors/{connector.id}/versions/")
    expect(version_row(page, "2.0")).to_contain_text("Latest")
    expect(version_row(page, "1.0")).not_to_contain_text("Latest")
    page.get_by_role("button", name="Set 1.0 as default").click()
    expect(version_row(page, "1.0").locator(".badge")).to_have_text(["Published", "Default"])
    expect(version_row(page, "2.0").locator(".badge")).to_have_text(["Published", "Latest"])

    # Unpublish 2.0: a draft again, and 1.0 the latest once more.
    page.get_by_role("link", name="Unpublish 2.0").click()
    page.get_by_role("button", name="Unpublish version 2.0").click()
    expect(page.locator("#unpublish-panel")).to_contain_text("it is a draft again")
    expect(status.locator(".badge")).to_have_text(["Draft"])
    page.goto(f"/connectors/{connector.id}/versions/")
    expect(version_row(page, "1.0").locator(".badge")).to_have_text(
        ["Published", "Latest", "Default"]
    )
    expect(version_row(page, "2.0").locator(".badge")).to_have_text(["Draft"])


def test_the_versions_table_keeps_each_date_on_one_line(logged_in_page, api, connector):
    draft = api.versions.create(connector.id, "2.0-beta.1")
    draft.description = "Imported from the shop's OpenAPI document, with its webhooks. " * 3
    api.versions.update(connector.id, draft)
    page = logged_in_page
    page.goto(f"/connectors/{connector.id}/versions/")
    dates = page.locator("#version-table .when > span:first-child")
    expect(dates).to_have_count(5)  # created and updated twice, published once
    lines = dates.evaluate_all("spans => spans.map(span => span.getClientRects().length)")
    assert lines == [1] * 5


def test_a_drafts_definition_is_edited_and_a_bad_schema_explained(logged_in_page, api, connector):
    api.versions.create(connector.id, "2.0", from_version="1.0")
    page = logged_in_page
    page.goto(f"/connectors/{connector.id}/versions/2.0/definitions/Tag/")
    page.get_by_role("link", name="Edit definition").click()
    schema = page.get_by_label("JSON Schema")

    schema.fill('{"type": "object", "properties": {"label": {"$ref": "#/$defs/Nope"}}}')
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#item-form")).to_contain_text("Nope")
    expect(schema).to_have_value(re.compile(r"#/\$defs/Nope"))  # what was typed is kept

    schema.fill('{"type": "object", "properties": {"colour": {"type": "string"}}}')
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/versions/2\.0/definitions/Tag/$"))
    expect(page.locator("pre.schema")).to_contain_text('"colour"')

    # Delete it: Product refers to it, so only "anyway".
    page.locator("article.definition").get_by_role("link", name="Delete…").click()
    expect(page.locator("#item-delete")).to_contain_text("refers to Tag")
    page.get_by_role("button", name="Delete Tag anyway").click()
    expect(page).to_have_url(re.compile(r"/versions/2\.0/definitions/$"))
    expect(page.locator("#item-results tbody th")).to_have_text(["Product"])


def test_a_new_action_is_made_in_a_draft(logged_in_page, api, connector):
    api.versions.create(connector.id, "2.0", from_version="1.0")
    page = logged_in_page
    page.goto(f"/connectors/{connector.id}/versions/2.0/")
    page.get_by_role("link", name="New action").click()

    page.get_by_label("Name", exact=True).fill("deleteProduct")
    page.get_by_label("Method").select_option("DELETE")
    page.get_by_label("Path").fill("/products/{{ param.id }}")
    page.get_by_label("Parameter 1 name").fill("id")
    page.get_by_label("Parameter 1 in").select_option("path")
    page.get_by_label("Parameter 1 required").check()
    page.get_by_label("Response 1 status").fill("204")
    page.get_by_label("Response 2 status").fill("404")
    page.get_by_label("Response 2 body").select_option("Product")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/versions/2\.0/actions/deleteProduct/$"))
    expect(page.locator(".endpoint__request")).to_have_text("DELETE /products/{{ param.id }}")
    expect(page.get_by_role("region", name="Problems")).to_have_count(0)
    expect(page.locator(".response dt")).to_have_text(["204", "404"])


def test_an_existing_actions_responses_gain_a_row_added_in_the_browser(
    logged_in_page, api, connector
):
    api.versions.create(connector.id, "2.0", from_version="1.0")
    page = logged_in_page
    page.goto(f"/connectors/{connector.id}/versions/2.0/actions/listProducts/")
    page.get_by_role("link", name="Edit action").click()

    expect(page.get_by_label("Response 1 status")).to_have_value("200")
    page.get_by_label("Response 2 status").fill("404")
    page.get_by_role("button", name="+ Add response").click()
    page.get_by_label("Response 3 status").fill("500")
    page.get_by_label("Response 3 body").select_option("Tag")
    page.get_by_label("Request body (optional)").select_option("Product")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/versions/2\.0/actions/listProducts/$"))
    expect(page.locator(".response dt")).to_have_text(["200", "404", "500"])
    saved = api.actions.get(connector.id, "2.0", "listProducts")
    assert [link.definition.name for link in saved.responses[2].definitions] == ["Tag"]
    assert [link.definition.name for link in saved.request_body.definitions] == ["Product"]


def test_a_schemas_references_read_as_linked_names_and_nested_parts_fold(
    logged_in_page, api, connector
):
    page = logged_in_page
    page.goto(f"/connectors/{connector.id}/versions/1.0/definitions/Product/")

    tree = page.locator(".schema-tree")
    expect(tree).not_to_contain_text("https://")
    tree.get_by_role("link", name="Tag").click()
    expect(page).to_have_url(re.compile(r"/versions/1\.0/definitions/Tag/$"))
    page.go_back()
    properties = page.locator(".schema-tree summary").filter(has_text="properties").first
    properties.click()  # folds away
    unfolded = page.locator(".schema-tree details[open]").filter(has_text="properties")
    expect(unfolded).to_have_count(0)


def test_the_schema_editor_numbers_lines_and_checks_json_as_it_is_typed(
    logged_in_page, api, connector
):
    api.versions.create(connector.id, "2.0", from_version="1.0")
    page = logged_in_page
    page.goto(f"/connectors/{connector.id}/versions/2.0/definitions/Product/edit/")
    schema = page.get_by_label("JSON Schema")

    expect(schema).to_have_value(re.compile(r'"\$ref": "#/\$defs/Tag"'))  # as the hint says
    expect(page.locator(".json-editor__status")).to_have_text("Valid JSON.")
    schema.fill('{\n  "type": "object",\n  "properties": {\n}')
    expect(page.locator(".json-editor__lines")).to_have_text("1\n2\n3\n4")
    expect(page.locator(".json-editor__status")).to_contain_text("Not valid JSON yet")


def test_parameter_and_response_rows_are_added_in_place_keeping_what_was_typed(
    logged_in_page, api, connector
):
    api.versions.create(connector.id, "2.0", from_version="1.0")
    page = logged_in_page
    page.goto(f"/connectors/{connector.id}/versions/2.0/new-action/")
    sent: list[str] = []
    page.on("request", lambda request: request.method == "POST" and sent.append(request.url))

    page.get_by_label("Parameter 1 name").fill("limit")
    page.get_by_role("button", name="+ Add parameter").click()
    expect(page.get_by_label("Parameter 2 name")).to_be_focused()
    page.get_by_label("Response 1 status").fill("200")
    page.get_by_label("Response 2 status").fill("404")
    page.get_by_role("button", name="+ Add response").click()
    expect(page.get_by_label("Response 3 status")).to_be_focused()

    expect(page.get_by_label("Parameter 1 name")).to_have_value("limit")
    expect(page.get_by_label("Response 2 status")).to_have_value("404")
    assert sent == []  # nothing went to the server and back

    # A mistake in a row: the first error gets focus, every row stays as typed.
    page.get_by_label("Name", exact=True).fill("listThings")
    page.get_by_label("Path").fill("/things")
    page.get_by_label("Response 3 status").fill("99")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_label("Response 3 status")).to_be_focused()
    expect(page.get_by_label("Parameter 1 name")).to_have_value("limit")
    expect(page.get_by_label("Response 2 status")).to_have_value("404")
    assert "listThings" not in [a.name for a in api.actions.list(connector.id, "2.0").items]
