"""The overview, History tabs and the sortable connectors table in a real browser: charts
drawn, counts landing on their filtered lists, an edit showing in History with its before and
after, and column headers sorting the list."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from dashboard.connect import get_client
from tests.connections.conftest import (
    api_key_config,
    make_connection,
    make_connector,
    string_credential,
)


def estate():
    """Two HTTP connectors (one in CRM), and a connection whose credential expires in 3 days."""
    api = get_client()
    billing = make_connector(api, "Billing", configs=[api_key_config()])
    api.connectors.update_categories(billing.id, ["CRM"])
    make_connector(api, "Shipping")
    expires = timezone.now() + timedelta(days=3)
    config = billing.auth_scheme_configs[0]
    make_connection(
        api, billing, "Billing EU", action=[string_credential(config, "eu-key", expires_at=expires)]
    )
    return billing


@pytest.mark.background_count
def test_the_overview_draws_its_charts_and_its_counts_land_on_filtered_lists(
    page, log_in, ops_user, ops_password
):
    cache.clear()
    estate()
    log_in(ops_user.username, ops_password)  # lands on the overview, which starts counting
    # Counted in the background; the page polls every 2 s until it is ready.
    expect(page.get_by_role("heading", name="Needs attention")).to_be_visible(timeout=30_000)
    for chart in ("expiry", "categories", "publishes"):
        expect(page.locator(f'canvas[data-chart="{chart}"][data-drawn="true"]')).to_be_visible()
    page.get_by_text("As a table").nth(1).click()
    expect(page.get_by_role("link", name="CRM")).to_be_visible()

    page.get_by_role("link", name="1 expiring within 7 days").click()
    expect(page).to_have_url(re.compile(r"/credentials/\?expiry=7$"))
    expect(page.locator("#credential-results tbody tr")).to_have_count(1)
    expect(page.locator("#credential-results")).to_contain_text("eu-key")

    page.go_back()
    page.get_by_role("link", name="2 HTTP").click()
    expect(page).to_have_url(re.compile(r"/connectors/\?protocol=http$"))
    expect(page.locator(".catalog-table__name")).to_have_count(2)


def test_a_connector_edit_shows_in_its_history_with_before_and_after(logged_in_page):
    billing = estate()
    page = logged_in_page

    page.goto(f"/connectors/{billing.id}/edit/")
    page.get_by_label("Name", exact=True).fill("Billing Europe")
    page.get_by_role("button", name="Save changes").click()
    expect(page).to_have_url(re.compile(rf"/connectors/{billing.id}/$"))
    page.get_by_role("link", name="History").click()

    expect(page).to_have_url(re.compile(rf"/connectors/{billing.id}/history/$"))
    first = page.locator(".history__entry").first
    expect(first).to_contain_text("ops edited connector Billing Europe")
    change = first.locator(".history__changes li", has_text="name")
    expect(change.locator("del")).to_have_text("Billing")
    expect(change.locator("ins")).to_have_text("Billing Europe")


def test_the_name_header_sorts_the_connectors_both_ways(logged_in_page):
    api = get_client()
    for name in ("Bravo", "Alpha", "Charlie"):
        make_connector(api, name)
    page = logged_in_page
    names = page.locator(".catalog-table__name")

    page.goto("/connectors/")
    page.get_by_role("link", name="Name").click()
    expect(names).to_have_text(["Alpha", "Bravo", "Charlie"])
    expect(page).to_have_url(re.compile(r"sort=name%3Aasc"))
    page.get_by_role("link", name="Name").click()
    expect(names).to_have_text(["Charlie", "Bravo", "Alpha"])
    expect(page).to_have_url(re.compile(r"sort=name%3Adesc"))
