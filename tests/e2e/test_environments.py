"""Environments in a real browser: the band says which one a page shows, the switcher (by
keyboard) opens the same connector in the other, two tabs show two environments, and the band
and switcher fit a phone's width, all under the strict Content-Security-Policy."""

import pytest
from cryptography.fernet import Fernet
from django.core.cache import cache
from playwright.sync_api import expect

from dashboard.environments.registry import client_for, get_environment
from tests.connectors.conftest import make_connector
from tests.environments.conftest import STAGING_ORG, staging_settings

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


def focused(page) -> str:
    """What has the focus: its text, or the tag of an element without any."""
    return page.evaluate(
        "(document.activeElement.textContent.trim() || document.activeElement.tagName)"
        ".replace(/\\s+/g, ' ')"
    )


def switcher_open(page) -> bool:
    return page.evaluate("document.querySelector('.environment-switcher').open")


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_the_switcher_is_a_menu_button_for_the_keyboard(logged_in_page, two, viewport):
    page = logged_in_page
    if viewport:
        page.set_viewport_size(viewport)
    page.goto("/connectors/")
    summary = page.locator(".environment-switcher summary")
    summary.focus()

    moves = [  # key, then the link it focuses (the menu: Production, Staging, Manage)
        ("ArrowDown", "Production embedded"),  # opens it on the current one
        ("ArrowDown", "Staging embedded"),
        ("ArrowDown", "Manage environments…"),
        ("ArrowDown", "Production embedded"),  # wraps
        ("ArrowUp", "Manage environments…"),
        ("Home", "Production embedded"),
        ("End", "Manage environments…"),
    ]
    for key, link in moves:
        page.keyboard.press(key)
        assert (key, focused(page), switcher_open(page)) == (key, link, True)
    page.keyboard.press("Escape")
    assert (focused(page), switcher_open(page)) == ("Switch environment", False)

    page.keyboard.press("Enter")  # opens it natively, the focus staying on the summary
    assert (focused(page), switcher_open(page)) == ("Switch environment", True)
    for _ in range(4):  # Tab still walks the three links, then out of the menu: it closes
        page.keyboard.press("Tab")
    assert (focused(page), switcher_open(page)) == ("Patchbay", False)

    summary.click()
    page.locator(".environment-band__name").click()  # a click elsewhere closes it too
    assert switcher_open(page) is False


def test_the_shortcuts_dialog_lists_the_switchers_keys(logged_in_page):
    page = logged_in_page
    page.goto("/connectors/")

    page.keyboard.press("?")

    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    # The table static/js/environments.js binds the keys from, listed: the same keys as
    # test_the_switcher_is_a_menu_button_for_the_keyboard presses.
    expect(dialog.locator("[data-switcher-keys] > div")).to_have_text(
        [
            "↓On its button: open it on the current environment",
            "↑On its button: open it on its last link",
            "↓In its menu: next link (wrapping)",
            "↑In its menu: previous link (wrapping)",
            "HomeIn its menu: first link",
            "EndIn its menu: last link",
            "EscClose it, focus back on its button",
        ]
    )
    expect(dialog.get_by_role("heading", name="Environment switcher")).to_be_visible()


def test_the_switchers_keys_are_harmless_on_a_page_without_it(page):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/login/")
    for key in ("ArrowDown", "Home", "Escape"):
        page.keyboard.press(key)
    assert page.locator(".environment-switcher").count() == 0
    assert errors == []


def test_adding_one_on_the_same_backend_asks_first_and_keeps_the_key_typed(
    logged_in_page, two, settings
):
    """The warning comes back in place of the form (htmx); the key typed is still in its field
    (static/js/forms.js), never in the page's HTML, and is saved once the box is ticked."""
    settings.ENVIRONMENTS_ENCRYPTION_KEY = Fernet.generate_key().decode()
    key = "vk_live_TYPED_ONCE_KEPT_BY_THE_BROWSER"
    page = logged_in_page
    violations = csp_violations(page)
    page.goto("/environments/new/")
    page.get_by_label("Slug").fill("qa")
    page.get_by_label("Name", exact=True).fill("QA")
    page.get_by_label("Organisation ID", exact=True).fill(STAGING_ORG)
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Save").click()

    confirmation = page.get_by_label("Yes, this is the same organisation as “Staging”")
    expect(confirmation).to_be_visible()
    expect(confirmation).not_to_be_checked()
    assert page.url.endswith("/environments/new/")
    expect(page.get_by_label("API key")).to_have_value(key)
    expect(page.get_by_label("Name", exact=True)).to_have_value("QA")
    expect(page.locator("[data-reenter]")).to_have_count(0)  # nothing to re-enter
    assert key not in page.content()

    confirmation.check()
    page.get_by_role("button", name="Save").click()

    page.wait_for_url("**/environments/")
    expect(page.locator(".messages, [role=status]").first).to_contain_text("“QA” saved")
    assert get_environment("qa").api_key == key
    assert violations == []
