"""The connectors page and a connector's pages in a real browser: live filters, tag chips,
categories, paging, history, and creating, editing and deleting a connector."""

import re

import pytest
from playwright.sync_api import expect

from dashboard.connect import client as client_module
from tests.connect.fault_server import FaultServer, respond
from tests.connectors.conftest import make_connector, remote_client

pytestmark = pytest.mark.usefixtures("api")


def names(page):
    return page.locator("#connector-results .catalog-table__name")


@pytest.fixture
def catalogue(api, logged_in_page):
    """Three connectors, and the connectors page showing them."""
    make_connector(api, "Stripe", tags={"team": ["payments"]}, categories=["Accounting"])
    make_connector(api, "Salesforce", tags={"team": ["sales"]}, categories=["CRM"])
    make_connector(api, "Xero", tags={"team": ["payments"]}, categories=["Accounting"])
    logged_in_page.goto("/connectors/")


def test_typing_a_name_filters_the_list_as_you_type(logged_in_page, catalogue):
    page = logged_in_page
    expect(names(page)).to_have_count(3)

    page.get_by_label("Name").press_sequentially("sales", delay=20)

    expect(names(page)).to_have_text(["Salesforce"])
    expect(page).to_have_url(re.compile(r"/connectors/\?name=sales$"))
    expect(page.locator("#connector-results-count")).to_have_text("1–1 of 1")


def test_a_name_pasted_or_autofilled_filters_the_list_too(logged_in_page, catalogue):
    page = logged_in_page

    page.get_by_label("Name").fill("xero")  # one `input` event, no key pressed

    expect(names(page)).to_have_text(["Xero"])


def test_clicking_a_tag_chip_filters_by_it_and_its_chip_removes_it(logged_in_page, catalogue):
    page = logged_in_page

    page.locator("#connector-results").get_by_role("link", name="team:payments").first.click()

    expect(names(page)).to_have_count(2)
    expect(names(page)).to_have_text(["Xero", "Stripe"])
    active = page.locator("#connector-results-tags .chip--filter")
    expect(active).to_have_text(["team:payments×"])
    expect(page).to_have_url(re.compile(r"tag=team%3Apayments"))

    page.get_by_role("link", name="Remove the tag filter team:payments").click()

    expect(names(page)).to_have_count(3)
    expect(active).to_have_count(0)


def test_typing_a_tag_adds_it_to_the_filter(logged_in_page, catalogue):
    page = logged_in_page

    page.get_by_label("Tags").fill("team:sales")
    page.get_by_label("Tags").press("Enter")

    expect(names(page)).to_have_text(["Salesforce"])
    expect(page.locator("#connector-results-tags .chip--filter")).to_have_text(["team:sales×"])
    expect(page.get_by_label("Tags")).to_have_value("")


def test_ticking_categories_filters_by_any_of_them(logged_in_page, catalogue):
    page = logged_in_page

    page.get_by_label("CRM").check()

    expect(names(page)).to_have_text(["Salesforce"])
    page.get_by_label("Accounting").check()
    expect(names(page)).to_have_count(3)
    expect(page).to_have_url(re.compile(r"/connectors/\?categories=Accounting&categories=CRM$"))


def test_next_and_previous_pages(logged_in_page, api):
    for number in range(25):
        make_connector(api, f"Service {number:02}")
    page = logged_in_page
    page.goto("/connectors/")
    expect(page.locator("#connector-results-count")).to_have_text("1–20 of 25")

    page.get_by_role("link", name="Next →").click()

    expect(page.locator("#connector-results-count")).to_have_text("21–25 of 25")
    expect(names(page)).to_have_count(5)
    expect(page).to_have_url(re.compile(r"after=.+&start=20"))

    page.get_by_role("link", name="← Previous").click()

    expect(page.locator("#connector-results-count")).to_have_text("1–20 of 25")
    expect(names(page).first).to_have_text("Service 24")


def test_the_back_button_restores_the_previous_filter(logged_in_page, catalogue):
    page = logged_in_page
    page.get_by_label("Name").press_sequentially("s", delay=20)
    expect(names(page)).to_have_count(2)  # Stripe, Salesforce
    page.get_by_label("CRM").check()
    expect(names(page)).to_have_text(["Salesforce"])

    page.go_back()

    expect(page).to_have_url(re.compile(r"/connectors/\?name=s$"))
    expect(names(page)).to_have_count(2)
    expect(page.get_by_label("Name")).to_have_value("s")
    expect(page.get_by_label("CRM")).not_to_be_checked()

    page.go_forward()

    expect(names(page)).to_have_text(["Salesforce"])
    expect(page.get_by_label("CRM")).to_be_checked()


def test_a_failing_api_shows_an_error_panel_in_the_results(logged_in_page, catalogue, monkeypatch):
    page = logged_in_page
    with FaultServer() as server:
        server.default = respond(500, {"code": "internal", "message": "Database exploded."})
        client = remote_client(server.url + "/api/connect/v1")
        monkeypatch.setattr(client_module, "_client", client)

        page.get_by_label("Name").press_sequentially("x", delay=20)

        panel = page.locator("#connector-results .error-panel")
        expect(panel).to_contain_text("Database exploded.")
        expect(panel).to_contain_text("Reference:")
        expect(page.get_by_label("Name")).to_have_value("x")
    client.close()


def test_create_a_connector(logged_in_page, api):
    page = logged_in_page
    page.goto("/connectors/")
    page.get_by_role("link", name="New HTTP connector").click()

    page.get_by_label("Name", exact=True).fill("Stripe")
    page.get_by_label("Base URL").fill("https://api.stripe.example")
    expect(page.get_by_label("API key parameter name")).to_be_hidden()
    page.get_by_label("Authentication").select_option("api-key")
    page.get_by_label("API key parameter name").fill("Authorization")
    page.get_by_label("Variable 1 name").fill("region")
    page.get_by_label("Variable 1 value").fill("eu")
    page.get_by_role("button", name="+ Add variable").click()
    expect(page.get_by_label("Variable 2 name")).to_be_focused()
    page.get_by_label("Variable 2 name").fill("tier")
    expect(page.get_by_label("Variable 1 value")).to_have_value("eu")
    page.get_by_label("Tags").fill("team:payments")
    page.get_by_label("Accounting").check()
    page.get_by_role("button", name="Create connector").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Stripe")
    expect(page.locator("#toasts")).to_contain_text("Connector “Stripe” created.")
    [created] = api.connectors.list().items
    assert [(v.name, v.value) for v in created.connection_variables] == [
        ("region", "eu"),
        ("tier", ""),
    ]
    assert created.categories == ["Accounting"]


def test_a_create_the_api_refuses_keeps_everything_typed(logged_in_page, api):
    page = logged_in_page
    page.goto("/connectors/new/")
    page.get_by_label("Name", exact=True).fill("Stripe")
    page.get_by_label("Base URL").fill("https://api.stripe.example")
    page.get_by_label("Variable 1 name").fill("region")
    page.get_by_role("button", name="+ Add variable").click()
    page.get_by_label("Variable 2 name").fill("region")

    page.get_by_role("button", name="Create connector").click()

    expect(page.locator("#connector-form")).to_contain_text("variable names must be unique")
    expect(page.get_by_label("Name", exact=True)).to_have_value("Stripe")
    expect(page.get_by_label("Variable 2 name")).to_have_value("region")
    assert api.connectors.list().total_count == 0


def test_edit_a_connectors_tags_in_place(logged_in_page, api):
    connector = make_connector(api, "Stripe", tags={"team": ["payments"]})
    page = logged_in_page
    page.goto(f"/connectors/{connector.id}/")

    page.get_by_role("link", name="Edit tags").click()
    page.get_by_role("textbox", name="Tags").fill("team:finance, beta")
    page.get_by_role("button", name="Save tags").click()

    tags = page.locator("#connector-tags .chip")
    expect(tags).to_have_text(["team:finance", "beta"])
    expect(page.locator("#toasts")).to_contain_text("Tags saved.")
    assert api.connectors.get(connector.id).tags == {"team": ["finance"], "beta": []}


@pytest.mark.parametrize(
    ("close", "chips"),
    [(("button", "Save tags"), ["team:finance"]), (("link", "Cancel"), ["team:payments"])],
)
def test_a_tags_edit_by_keyboard_takes_the_focus_and_gives_it_back_to_edit_tags(
    logged_in_page, api, close, chips
):
    connector = make_connector(api, "Stripe", tags={"team": ["payments"]})
    page = logged_in_page
    page.goto(f"/connectors/{connector.id}/")

    page.get_by_role("link", name="Edit tags").press("Enter")
    expect(page.get_by_role("textbox", name="Tags")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("team:finance")
    page.locator("#connector-tags").get_by_role(close[0], name=close[1]).press("Enter")

    expect(page.locator("#connector-tags .chip")).to_have_text(chips)
    expect(page.get_by_role("link", name="Edit tags")).to_be_focused()
    if close[1] == "Save tags":  # said in the live region a screen reader reads out
        expect(page.locator("#toasts[role=status]")).to_contain_text("Tags saved.")


def test_delete_a_connector(logged_in_page, api):
    connector = make_connector(api, "Stripe")
    make_connector(api, "Xero")
    page = logged_in_page
    page.goto(f"/connectors/{connector.id}/")

    page.get_by_role("link", name="Delete…").click()
    page.get_by_role("button", name="Delete connector").click()

    expect(page).to_have_url(re.compile(r"/connectors/$"))
    expect(page.locator("#toasts")).to_contain_text("Connector “Stripe” deleted.")
    expect(names(page)).to_have_text(["Xero"])


def test_the_header_buttons_sit_together_and_the_filter_controls_line_up(logged_in_page, catalogue):
    page = logged_in_page
    header = page.locator(".page-header").first.bounding_box()
    buttons = [
        page.get_by_role("link", name=name).bounding_box()
        for name in ("Import OpenAPI spec", "New HTTP connector")
    ]
    # Side by side at the right of the header, not spread across it.
    assert buttons[0]["y"] == buttons[1]["y"]
    assert 0 < buttons[1]["x"] - (buttons[0]["x"] + buttons[0]["width"]) <= 16
    assert abs(header["x"] + header["width"] - (buttons[1]["x"] + buttons[1]["width"])) <= 1

    # Text boxes, select and button of the filter row share one height.
    controls = [
        page.get_by_label("Name"),
        page.get_by_label("Protocol"),
        page.locator("#id_tag_new"),
        page.locator("#connector-results-tags").get_by_role("button", name="Add"),
    ]
    heights = {round(control.bounding_box()["height"]) for control in controls}
    assert len(heights) == 1, heights

    # "Per page" sits in that row too, not on a row of its own.
    tops = {round(control.bounding_box()["y"]) for control in controls[:3]}
    assert {round(page.get_by_label("Per page").bounding_box()["y"])} == tops
