"""Environments in a real browser: the band says which one a page shows, the switcher (by
keyboard) opens the same connector in the other, two tabs show two environments, and the band
and switcher fit a phone's width, all under the strict Content-Security-Policy."""

import pytest
from cryptography.fernet import Fernet
from django.core.cache import cache
from playwright.sync_api import expect

from dashboard.environments.registry import client_for, get_environment
from tests.connectors.conftest import make_connector
from tests.environments.conftest import staging_settings

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def two(settings):
    settings.EMBEDDED_API_ENCRYPTION_KEY = Fernet.generate_key().decode()
    settings.CONNECT_ENVIRONMENTS = [staging_settings()]
    cache.clear()
    production = client_for(get_environment("production"))
    staging = client_for(get_environment("staging"))
    yield {
        "production": make_connector(production, "Stripe"),
        "staging": make_connector(staging, "Stripe"),
        "staging_only": make_connector(staging, "Shopify"),
    }
    cache.clear()


def csp_violations(page) -> list[str]:
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if "Content Security" in m.text else None)
    return found


def test_the_switcher_opens_the_same_connector_in_the_other_environment_by_keyboard(
    logged_in_page, two
):
    page = logged_in_page
    violations = csp_violations(page)
    page.goto(f"/connectors/{two['production'].id}/")
    band = page.locator(".environment-band")
    expect(band).to_contain_text("Production")
    expect(band).to_have_class("environment-band environment--red")

    page.get_by_text("Switch environment").focus()
    page.keyboard.press("Enter")
    menu = page.locator(".environment-switcher__menu")
    expect(menu).to_be_visible()
    page.keyboard.press("Escape")  # closes, as menus do
    expect(menu).to_be_hidden()
    expect(page.locator(":focus")).to_have_text("Switch environment")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # production, the one shown
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_contain_text("Staging")
    page.keyboard.press("Enter")

    page.wait_for_url(f"**/env/staging/connectors/{two['staging'].id}/")
    expect(band).to_contain_text("Staging")
    expect(band).to_have_class("environment-band environment--amber")
    expect(page).to_have_title("Stripe · Staging · Patchbay")
    assert violations == []


def test_two_tabs_show_two_environments(logged_in_page, two):
    production = logged_in_page
    staging = production.context.new_page()

    production.goto("/connectors/")
    staging.goto("/env/staging/connectors/")
    production.reload()

    expect(production.locator(".catalog-table__name")).to_have_text(["Stripe"])
    expect(staging.locator(".catalog-table__name")).to_have_text(["Shopify", "Stripe"])
    staging.get_by_role("link", name="Shopify").click()
    expect(staging.locator(".environment-band")).to_contain_text("Staging")
    assert "/env/staging/connectors/" in staging.url
    staging.close()


def test_the_band_and_its_switcher_fit_a_phone(logged_in_page, two):
    page = logged_in_page
    page.set_viewport_size(PHONE)
    page.goto("/env/staging/connectors/")

    page.get_by_text("Switch environment").click()
    menu = page.locator(".environment-switcher__menu")
    expect(menu).to_be_visible()
    box = menu.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    menu.get_by_role("link", name="Production").click()
    page.wait_for_url("**/connectors/")
    expect(page.locator(".environment-band")).to_contain_text("Production")
