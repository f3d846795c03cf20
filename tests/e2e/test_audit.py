"""The audit log in a real browser: an entry's links lead to what it changed and its connector."""

import re

from playwright.sync_api import expect

from dashboard.connect import get_client
from tests.connectors.conftest import make_connector


def test_an_entry_links_to_its_version_and_to_its_connector(logged_in_page):
    api = get_client()
    connector = make_connector(api, "Shop")
    api.versions.create(connector.id, "1.0")
    page = logged_in_page
    page.goto("/audit/")
    entry = page.locator("#audit-results tbody tr").filter(has_text="create_connector_version")

    entry.get_by_role("link", name="1.0").click()
    expect(page).to_have_url(re.compile(rf"/connectors/{connector.id}/versions/1\.0/$"))
    expect(page.get_by_role("heading", name="Version 1.0")).to_be_visible()

    page.go_back()
    entry.get_by_role("link", name="Its connector").click()
    expect(page).to_have_url(re.compile(rf"/connectors/{connector.id}/$"))
    expect(page.get_by_role("heading", name="Shop", level=1)).to_be_visible()
