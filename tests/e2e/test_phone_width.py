"""At a phone's width (390 px): pages fit, wide tables scroll in their own box, the
navigation and the connector filters fold away, and toasts stay on screen, clear of the header
(issue 16). Each page's screenshot is kept in test-artifacts/phone/ for a person to look at."""

import re

import pytest
from playwright.sync_api import expect

from tests.connections.conftest import api_key_config, make_connection, string_credential
from tests.connections.conftest import make_connector as make_connector_with_configs
from tests.connectors.conftest import make_connector
from tests.e2e.conftest import ARTIFACTS
from tests.versions.conftest import fill_version

pytestmark = pytest.mark.usefixtures("api")

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(logged_in_page):
    logged_in_page.set_viewport_size(PHONE)
    return logged_in_page


def snapshot(page, name: str) -> None:
    (ARTIFACTS / "phone").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "phone" / f"{name}.png", full_page=True)


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_every_kind_of_page_fits_the_screen(phone, api):
    connector = make_connector(api, "Shop", public=True)
    api.versions.create(connector.id, "1.0")
    fill_version(api, connector.id, "1.0")
    api.versions.publish(connector.id, "1.0")
    api.versions.create(connector.id, "2.0", from_version="1.0")
    connection = a_connection(api)
    keyed = connection.split("/connections/")[0]
    pages = {
        "overview": "/",
        "connectors": "/connectors/",
        "connector": f"/connectors/{connector.id}/",
        "new-connection": f"/connectors/{connector.id}/connections/new/",
        "versions": f"/connectors/{connector.id}/versions/",
        "actions": f"/connectors/{connector.id}/versions/1.0/",
        "import": "/connectors/new/import/",
        "library": "/library/",
        "library-connector": f"/library/{connector.id}/",
        "definition": f"/connectors/{connector.id}/versions/1.0/definitions/Product/",
        "definition-editor": f"/connectors/{connector.id}/versions/2.0/definitions/Product/edit/",
        "new-action": f"/connectors/{connector.id}/versions/2.0/new-action/",
        "credentials": "/credentials/",
        "connection": connection,
        "edit-connection": f"{connection}edit/",
        "auth-schemes": f"{keyed}/auth-schemes/",
    }
    for name, url in pages.items():
        phone.goto(url)
        snapshot(phone, name)
        assert page_width(phone) <= PHONE["width"], f"the {name} page is wider than the screen"


def a_connection(api):
    """A connection with an API key, on a connector of its own: its page's URL."""
    connector = make_connector_with_configs(api, "Keyed", configs=[api_key_config()])
    config = connector.auth_scheme_configs[0]
    made = make_connection(api, connector, "production", action=[string_credential(config, "k")])
    return f"/connectors/{connector.id}/connections/{made.id}/"


def test_a_wide_table_scrolls_in_its_own_box(phone, api):
    connector = make_connector(api, "Shop")
    for name in ("1.0", "1.1", "2.0"):
        api.versions.create(connector.id, name)
    phone.goto(f"/connectors/{connector.id}/versions/")

    wrap = phone.locator("#version-table .table-wrap")
    sizes = wrap.evaluate("box => [box.scrollWidth, box.clientWidth]")
    assert sizes[0] > sizes[1]  # wider than the screen, so it scrolls...
    assert page_width(phone) <= PHONE["width"]  # ...inside its box, not the page
    wrap.evaluate("box => { box.scrollLeft = 200; }")
    assert wrap.evaluate("box => box.scrollLeft") > 0
    snapshot(phone, "wide-table-scrolled")


def test_the_navigation_folds_behind_a_menu_button(phone):
    phone.goto("/")
    menu = phone.get_by_role("button", name="Menu")
    navigation = phone.get_by_role("navigation", name="Main")

    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(navigation).to_be_hidden()
    menu.click()
    expect(navigation).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "true")
    snapshot(phone, "menu-open")


def filter_summary(page):
    return page.locator("#connector-results-filters summary")


def test_the_filters_fold_away_so_the_first_connector_is_on_the_first_screen(phone, api):
    make_connector(api, "Stripe", categories=["CRM"])
    phone.goto("/connectors/")

    expect(filter_summary(phone)).to_have_text("Filters")
    expect(phone.get_by_label("Name")).to_be_hidden()
    first = phone.locator("#connector-results tbody tr").first
    expect(first).to_contain_text("Stripe")
    box = first.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"]
    snapshot(phone, "connectors-filters-folded")


def test_the_folded_filters_open_and_still_filter_the_list(phone, api):
    make_connector(api, "Stripe")
    make_connector(api, "Salesforce")
    phone.goto("/connectors/")

    filter_summary(phone).click()
    phone.get_by_label("Name").fill("sales")
    phone.get_by_label("CRM").check()

    names = phone.locator("#connector-results .catalog-table__name")
    expect(phone).to_have_url(re.compile(r"name=sales&categories=CRM$"))
    expect(filter_summary(phone)).to_have_text("Filters (2 active)")
    phone.get_by_label("CRM").uncheck()
    expect(names).to_have_text(["Salesforce"])
    expect(filter_summary(phone)).to_have_text("Filters (1 active)")


def test_the_filter_shortcut_opens_the_folded_filters(phone, api):
    phone.goto("/connectors/")

    phone.keyboard.press("/")

    expect(phone.get_by_label("Name")).to_be_focused()
    expect(phone.get_by_label("Name")).to_be_visible()


def test_the_filters_are_open_while_one_is_active(phone, api):
    make_connector(api, "Stripe", tags={"team": ["payments"]})
    phone.goto("/connectors/?tag=team:payments")

    expect(filter_summary(phone)).to_have_text("Filters (1 active)")
    expect(phone.get_by_label("Name")).to_be_visible()
    remove = phone.get_by_role("link", name="Remove the tag filter team:payments")
    expect(remove).to_be_visible()
    snapshot(phone, "connectors-filters-open")


def test_the_filters_do_not_fold_on_a_wide_screen(logged_in_page):
    logged_in_page.goto("/connectors/")

    expect(filter_summary(logged_in_page)).to_be_hidden()
    expect(logged_in_page.get_by_label("Name")).to_be_visible()
    expect(logged_in_page.get_by_label("CRM")).to_be_visible()


def test_a_toast_stays_on_screen(phone, api):
    connector = make_connector(api, "Shop")
    phone.goto(f"/connectors/{connector.id}/edit/")
    phone.get_by_label("Name", exact=True).fill("Shop two")
    phone.get_by_role("button", name="Save changes").click()

    toast = phone.locator(".toast").first
    expect(toast).to_contain_text("saved")
    box = toast.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
    snapshot(phone, "toast")


# As the server sends them (HX-Trigger, dashboard/web/toasts.py): enough to fill the screen.
PILE_OF_TOASTS = """document.body.dispatchEvent(new CustomEvent("toast", {bubbles: true, detail: {
  messages: Array.from({length: 14}, (_, n) => ({message: `Connector ${n} saved.`, level: "error"}))
}}))"""


def overlaps(one: dict, other: dict) -> bool:
    return (
        one["x"] < other["x"] + other["width"]
        and other["x"] < one["x"] + one["width"]
        and one["y"] < other["y"] + other["height"]
        and other["y"] < one["y"] + one["height"]
    )


@pytest.mark.parametrize("screen", [{"width": 1280, "height": 800}, PHONE], ids=["wide", "phone"])
def test_toasts_never_cover_the_header(logged_in_page, api, screen):
    for n in range(30):  # a page longer than the screen, so the toasts are held at its foot
        make_connector(api, f"Shop {n}")
    page = logged_in_page
    page.set_viewport_size(screen)
    page.goto("/connectors/?size=50")
    if screen is PHONE:
        page.get_by_role("button", name="Menu").click()  # Log out is behind it

    page.evaluate(PILE_OF_TOASTS)

    toasts = page.locator(".toast")
    expect(toasts).to_have_count(14)
    log_out = page.get_by_role("button", name="Log out").bounding_box()
    header = page.locator(".site-header").bounding_box()
    boxes = [toast.bounding_box() for toast in toasts.all()]
    assert not any(overlaps(box, log_out) for box in boxes)
    assert min(box["y"] for box in boxes) >= header["y"] + header["height"]
    newest = boxes[-1]  # on top of the pile, still on screen
    assert newest["y"] + newest["height"] <= screen["height"]
    snapshot(page, f"toasts-{screen['width']}")


def test_the_navigation_stays_open_on_a_wide_screen(logged_in_page):
    logged_in_page.goto("/")
    expect(logged_in_page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(logged_in_page.get_by_role("button", name="Menu")).to_be_hidden()
    snapshot(logged_in_page, "desktop")
