"""Acceptance: a connector's life from an OpenAPI document, in a real browser. Upload a spec
for a new connector (dropped on the form), preview, import, browse its actions and
definitions; publish it; a second version from a changed spec; see what publishing it
changes, publish it and see it become latest; unpublish it; set the default. Also: the upload
progress indicator, and a refused document shown next to the upload."""

import re

import pytest
from playwright.sync_api import expect

from tests.bench.specgen import generate, render
from tests.imports.conftest import PETSTORE, make_connector

pytestmark = pytest.mark.usefixtures("api")

# The changed spec: deletePet added, listPets gone, Pet has a new property.
PETSTORE_2 = (
    PETSTORE.replace(b'version: "1.0"', b'version: "2.0"')
    .replace(
        b"properties: {id: {type: string}, name: {type: string}}",
        b"properties: {id: {type: string}, name: {type: string}, tag: {type: string}}",
    )
    .replace(
        b"  /pets:\n    get:\n      operationId: listPets",
        b"  /all-pets:\n    get:\n      operationId: listAllPets",
    )
)
PETSTORE_2 += b"""    delete:
      operationId: deletePet
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "204": {description: Deleted}
"""


def drop_file(page, name: str, content: bytes) -> None:
    """Drop a file on the upload's drop zone, as dragging it from the desktop does."""
    # The drop handler is a deferred script: a drop before DOMContentLoaded would be lost.
    page.wait_for_load_state("domcontentloaded")
    transfer = page.evaluate_handle(
        "([name, text]) => { const t = new DataTransfer();"
        " t.items.add(new File([text], name, {type: 'application/yaml'})); return t; }",
        [name, content.decode()],
    )
    page.dispatch_event("[data-drop-zone]", "drop", {"dataTransfer": transfer})


def choose_file(page, name: str, content: bytes) -> None:
    page.get_by_label("OpenAPI document").set_input_files(
        {"name": name, "mimeType": "application/yaml", "buffer": content}
    )


def version_row(page, name: str):
    return page.locator("#version-table tbody tr").filter(
        has=page.get_by_role("rowheader", name=name, exact=True)
    )


def test_a_connector_from_a_spec_browsed_versioned_published_and_defaulted(logged_in_page, api):
    page = logged_in_page

    # Upload a spec for a new connector, dropped on the form, and preview it.
    page.goto("/connectors/")
    page.get_by_role("link", name="Import OpenAPI spec").click()
    drop_file(page, "petstore.yaml", PETSTORE)
    expect(page.locator("[data-chosen-file]")).to_contain_text("Chosen: petstore.yaml")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator(".import-preview")
    expect(preview.locator('[data-count="actions"]')).to_have_text("2 actions")
    expect(preview.locator('[data-count="definitions"]')).to_have_text("2 definitions")
    expect(preview).to_contain_text("paths › /pets › get › parameters › 0")
    assert api.connectors.list().items == []  # a preview creates nothing

    # Import: the result page lists what was created.
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", name="Connector imported")).to_be_visible()
    expect(page.locator(".toast")).to_contain_text("“Pet Store” imported.")
    [connector] = api.connectors.list().items

    # Browse its actions and definitions.
    page.get_by_role("link", name="Browse its actions").click()
    expect(page).to_have_url(re.compile(rf"/connectors/{connector.id}/versions/1\.0/$"))
    expect(page.locator("#item-results tbody th")).to_have_text(["getPet", "listPets"])
    page.get_by_role("link", name="getPet").click()
    expect(page.locator(".endpoint__request")).to_have_text("GET /pets/{{ param.id }}")
    page.get_by_role("link", name="Definitions").click()
    page.get_by_role("link", name="Pet", exact=True).click()
    expect(page.locator("pre.schema")).to_contain_text('"name"')

    # Publish 1.0, so the next version has something to be compared with.
    page.goto(f"/connectors/{connector.id}/versions/1.0/publish/")
    page.get_by_role("button", name="Publish version 1.0").click()
    expect(page).to_have_url(re.compile(r"/versions/1\.0/$"))  # the version, not /publish/
    expect(page.locator("#toasts")).to_contain_text("is now the latest version")

    # A second version from a changed spec, from the connector's page.
    page.goto(f"/connectors/{connector.id}/")
    page.get_by_role("link", name="New version from spec").click()
    page.get_by_label("Version name").fill("2.0")
    choose_file(page, "petstore-2.yaml", PETSTORE_2)
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".import-preview")).to_contain_text("Version 2.0 of “Pet Store”")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", name="Version 2.0 imported")).to_be_visible()

    # What publishing it changes, then publish: it becomes the latest.
    page.goto(f"/connectors/{connector.id}/versions/2.0/publish/")
    breaking = page.get_by_role("region", name=re.compile(r"^Breaking \("))
    expect(breaking).to_contain_text("listPets: removed")
    compatible = page.get_by_role("region", name=re.compile(r"^Compatible \("))
    expect(compatible).to_contain_text("deletePet: added")
    page.get_by_label("I understand").check()
    page.get_by_label("to confirm").fill("2.0")
    page.get_by_role("button", name="Publish version 2.0").click()
    expect(page.locator("#toasts")).to_contain_text("is now the latest version")
    page.goto(f"/connectors/{connector.id}/versions/")
    expect(version_row(page, "2.0").locator(".badge")).to_have_text(
        ["Published", "Latest", "Default"]
    )
    expect(version_row(page, "1.0").locator(".badge")).to_have_text(["Published"])

    # Unpublish 2.0: 1.0 is the latest again.
    page.get_by_role("link", name="Unpublish 2.0").click()
    page.get_by_role("button", name="Unpublish version 2.0").click()
    expect(page.locator("#unpublish-panel")).to_contain_text("it is a draft again")
    page.goto(f"/connectors/{connector.id}/versions/")
    expect(version_row(page, "1.0").locator(".badge")).to_have_text(
        ["Published", "Latest", "Default"]
    )
    expect(version_row(page, "2.0").locator(".badge")).to_have_text(["Draft"])

    # Publish 2.0 again (acknowledging its breaking changes once more), then keep
    # integrations on 1.0: set it as the default, in place.
    page.goto(f"/connectors/{connector.id}/versions/2.0/publish/")
    page.get_by_label("I understand").check()
    page.get_by_label("to confirm").fill("2.0")
    page.get_by_role("button", name="Publish version 2.0").click()
    expect(page.locator("#toasts")).to_contain_text("is now the latest version")
    page.goto(f"/connectors/{connector.id}/versions/")
    page.get_by_role("button", name="Set 1.0 as default").click()
    expect(version_row(page, "1.0").locator(".badge")).to_have_text(["Published", "Default"])
    expect(version_row(page, "2.0").locator(".badge")).to_have_text(["Published", "Latest"])


def test_a_large_upload_shows_its_progress_then_its_preview(logged_in_page):
    page = logged_in_page
    large = render(generate(version="3.1", size="large", seed=1), "yaml")
    assert len(large) > 2_000_000

    page.goto("/connectors/new/import/")
    choose_file(page, "large.yaml", large)
    expect(page.locator("[data-chosen-file]")).to_contain_text("Chosen: large.yaml (2.")
    # Each state lasts only as long as the upload or the server's check, which may be less than
    # the time between two of expect()'s polls: the page records every state as it happens.
    page.evaluate(RECORD_UPLOAD_STATES)
    page.get_by_role("button", name="Preview").click()
    expect(page.locator('.import-preview [data-count="actions"]')).to_contain_text("actions")

    states = page.evaluate("window.uploadStates")
    # Sent in no time over loopback; then the indicator waits for the importer's verdict.
    checking = [
        state
        for state in states
        if state["showing"] and state["text"].startswith("Checking the document")
    ]
    assert checking, states
    assert all(state["value"] == "100" and state["previewDisabled"] for state in checking)
    expect(page.locator("#spec-upload-status")).not_to_have_class(re.compile(r"\bhtmx-request\b"))


# Records the upload form's state (status text, progress, indicator shown, Preview disabled)
# after every change to the form, in `window.uploadStates`.
RECORD_UPLOAD_STATES = """() => {
  const form = document.querySelector("[data-upload-form]");
  window.uploadStates = [];
  new MutationObserver(() => {
    const status = document.querySelector("#spec-upload-status");
    const preview = [...document.querySelectorAll("[data-upload-form] button")]
      .find((button) => button.textContent.trim() === "Preview");
    if (!status || !preview) return;
    window.uploadStates.push({
      text: status.textContent.trim(),
      value: status.querySelector("[data-upload-progress]").getAttribute("value"),
      showing: status.classList.contains("htmx-request"),
      previewDisabled: preview.disabled,
    });
  }).observe(form, {subtree: true, childList: true, characterData: true, attributes: true});
}"""


def test_a_refused_document_is_shown_next_to_the_upload_keeping_the_url(logged_in_page):
    page = logged_in_page
    page.goto("/connectors/new/import/")
    choose_file(page, "old.json", b'{"swagger": "2.0", "info": {"title": "Old"}, "paths": {}}')
    page.get_by_role("button", name="Preview").click()

    errors = page.locator("#id_file_error")
    expect(errors).to_contain_text("Swagger 2.0")
    expect(page.get_by_role("button", name="Import")).to_have_count(0)

    # A URL and a file together: refused, and the URL typed is still there.
    page.get_by_label("Or the document’s URL").fill("https://example.com/openapi.json")
    choose_file(page, "petstore.yaml", PETSTORE)
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".form-errors")).to_contain_text("Give a file or a URL, not both.")
    expect(page.get_by_label("Or the document’s URL")).to_have_value(
        "https://example.com/openapi.json"
    )


def test_a_taken_version_name_keeps_the_chosen_file(logged_in_page, api):
    connector = make_connector(api, "Pet Store")
    api.versions.create(connector.id, "1.0")
    page = logged_in_page
    page.goto(f"/connectors/{connector.id}/import/")
    page.get_by_label("Version name").fill("1.0")
    choose_file(page, "petstore.yaml", PETSTORE)
    page.get_by_role("button", name="Preview").click()

    expect(page.locator("#id_version_error")).to_contain_text("already has a version “1.0”")
    # The browser empties the file input; the page says the file is kept all the same.
    expect(page.locator("[data-chosen-file]")).to_contain_text("Kept: petstore.yaml")
    expect(page.get_by_role("button", name="Import")).to_have_count(0)

    page.get_by_label("Version name").fill("1.1")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".import-preview")).to_contain_text("Version 1.1 of “Pet Store”")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", name="Version 1.1 imported")).to_be_visible()


def test_a_namesake_is_updated_with_a_new_version_and_the_token_stays_out_of_urls(
    logged_in_page, api
):
    pets = make_connector(api, "Pet Store")
    page = logged_in_page
    requested = []
    page.on("request", lambda request: requested.append(request))
    page.goto("/connectors/new/import/")
    choose_file(page, "petstore.yaml", PETSTORE)
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("[data-namesakes]")).to_contain_text("“Pet Store” already exists.")
    token = page.locator("[data-upload-form] [name=upload]").input_value()

    # Import without "Import anyway": refused, the error focused (and announced, an alert).
    page.get_by_role("button", name="Import", exact=True).click()
    error = page.locator("#id_namesake_error")
    expect(error).to_be_focused()
    expect(error).to_have_attribute("role", "alert")
    expect(error).to_contain_text("Tick “Import anyway”")

    # The offer, inside the (htmx) upload form, submits its own form: a full-page POST, then
    # a redirect to the new-version form, so reloading it sends nothing again.
    page.get_by_role("button", name="import this document as a new version of it").click()

    expect(page).to_have_url(re.compile(f"/connectors/{pets.id}/import/$"))
    expect(page.locator("[data-chosen-file]")).to_contain_text("Kept: petstore.yaml")
    expect(page.get_by_label("Version name")).to_have_value("1.0")  # the document's info.version
    page.reload()
    expect(page.locator("[data-chosen-file]")).to_contain_text("Kept: petstore.yaml")
    offer = next(r for r in requested if r.url.endswith("/as-new-version/"))
    assert offer.method == "POST" and f"upload={token}" in offer.post_data
    assert token not in " ".join(r.url for r in requested)
    assert token not in " ".join(r.headers.get("referer", "") for r in requested)
    page.get_by_label("Version name").fill("2.0")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".import-preview")).to_contain_text("Version 2.0 of “Pet Store”")
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="Version 2.0 imported")).to_be_visible()
    assert [c.name for c in api.connectors.list().items] == ["Pet Store"]
