"""Importing a connector from the library in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.connectors.conftest import make_connector, other_organisation_client

pytestmark = pytest.mark.usefixtures("api")


@pytest.fixture
def other_api():
    client = other_organisation_client()
    yield client
    client.close()


def test_import_a_connector_from_the_library(logged_in_page, api, other_api):
    shop = make_connector(other_api, "Shopify", public=True, tags={"kind": ["shop"]})
    for version in ("1.0.0", "2.0.0"):
        other_api.versions.create(shop.id, version)
        other_api.versions.publish(shop.id, version)
    page = logged_in_page
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Library").click()

    page.get_by_label("Version of Shopify to import").select_option("1.0.0")
    page.get_by_role("button", name="Import Shopify").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Shopify")
    expect(page.locator("#toasts")).to_contain_text("Imported version 1.0.0 of “Shopify”")
    [ours] = api.connectors.list().items
    expect(page).to_have_url(re.compile(rf"/connectors/{ours.id}/$"))
    assert [v.name for v in ours.versions] == ["1.0.0"]


def test_a_library_connectors_page_says_what_importing_creates_then_marks_it_imported(
    logged_in_page, api, other_api
):
    shop = make_connector(other_api, "Shopify", public=True)
    draft = other_api.versions.create(shop.id, "1.0.0")
    other_api.versions.update(shop.id, draft.model_copy(update={"description": "Orders."}))
    other_api.versions.publish(shop.id, "1.0.0")
    page = logged_in_page
    page.goto("/library/")
    page.get_by_role("link", name="Shopify", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Shopify")
    expect(page.locator(".page-intro")).to_have_text("Orders.")  # the latest's description
    facts = page.locator(".facts")
    expect(facts).to_contain_text(f"Organisation {shop.organisation_id}")
    expect(facts).to_contain_text("Not yet")
    expect(page.get_by_role("region", name="Published versions")).to_contain_text("1.0.0")
    expect(page.get_by_role("region", name="What importing creates")).to_contain_text(
        "creates a connector “Shopify” of your own"
    )

    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("#toasts")).to_contain_text("Imported version 1.0.0 of “Shopify”")
    page.goto("/library/")
    marker = page.locator(".chip--imported")
    expect(marker).to_have_text("Imported 1.0.0: open your copy")
    page.goto(f"/library/{shop.id}/")
    expect(page.locator(".facts")).to_contain_text("Yes, version 1.0.0")
