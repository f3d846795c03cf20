"""Acceptance: a new version with one breaking change over a published one, in a real browser.
The import preview flags it before anything is created, the publish page lists it first, and
publishing is refused until it is acknowledged and the version's name typed."""

import re

from playwright.sync_api import expect

from tests.e2e.test_spec_upload import choose_file
from tests.imports.conftest import PETSTORE

# One breaking change: getPet gains a required query parameter.
BREAKING = PETSTORE.replace(
    b"parameters: [{name: id, in: path, required: true, schema: {type: string}}]",
    b"parameters: [{name: id, in: path, required: true, schema: {type: string}},"
    b" {name: store, in: query, required: true, schema: {type: string}}]",
)


def test_a_breaking_change_is_flagged_in_the_preview_and_gated_on_publish(logged_in_page, api):
    page = logged_in_page
    connector = api.imports.create(PETSTORE, "petstore.yaml").connector
    api.versions.publish(connector.id, "1.0")

    # The preview of version 2.0 flags the change against 1.0, and creates nothing.
    page.goto(f"/connectors/{connector.id}/")
    page.get_by_role("link", name="New version from spec").click()
    page.get_by_label("Version name").fill("2.0")
    choose_file(page, "petstore-2.yaml", BREAKING)
    page.get_by_role("button", name="Preview").click()
    against = page.get_by_role("region", name=re.compile(r"^Against version 1\.0"))
    expect(against).to_contain_text("1 breaking, 0 possibly breaking, 0 compatible")
    expect(against.get_by_role("region", name="Breaking (1)")).to_contain_text(
        "getPet: required query parameter “store” added"
    )
    assert [v.name for v in api.connectors.get(connector.id).versions] == ["1.0"]
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", name="Version 2.0 imported")).to_be_visible()

    # The publish page lists it first, and refuses to publish until it is acknowledged.
    page.goto(f"/connectors/{connector.id}/versions/2.0/publish/")
    expect(
        page.get_by_role("heading", name=re.compile("What publishing changes: 1 breaking"))
    ).to_be_visible()
    expect(page.get_by_role("region", name="Breaking (1)")).to_contain_text("store")
    page.get_by_role("button", name="Publish version 2.0").click()
    panel = page.locator("#publish-panel")
    expect(panel).to_contain_text("Version 2.0 has 1 breaking change against the latest version")
    expect(panel).to_contain_text("Type 2.0 to confirm.")
    assert not api.versions.get(connector.id, "2.0").is_published

    page.get_by_label("I understand").check()
    page.get_by_label("to confirm").fill("2.0")
    page.get_by_role("button", name="Publish version 2.0").click()
    expect(page.locator("#toasts")).to_contain_text(
        "Version 2.0 is published and is now the latest version."
    )

    # The versions table says 2.0 broke 1.0; its link is the shareable comparison.
    page.goto(f"/connectors/{connector.id}/versions/")
    row = page.locator("#version-table tbody tr").filter(has_text="2.0")
    row.get_by_role("link", name=re.compile("2.0 against 1.0: 1 breaking")).click()
    expect(page).to_have_url(re.compile(r"/compare/\?from=1\.0&to=2\.0$"))
    expect(
        page.get_by_role("heading", name=re.compile("2.0 against 1.0: 1 breaking"))
    ).to_be_visible()
