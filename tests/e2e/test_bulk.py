"""Bulk actions and the keyboard in a real browser: selecting across pages and retagging, a
bulk delete with one refusal and its results, a rotation queue of three (and of all the
worklist's), and the shortcuts (which stay quiet while typing in a field)."""

import re

import pytest
from playwright.sync_api import expect

from dashboard.connections import worklist
from dashboard.embedded_api.models import ConnectorVersion, Subscription
from tests.connections.browser_support import leaked, record_sources
from tests.connections.conftest import api_key_config, make_connection, secret, string_credential
from tests.connections.conftest import make_connector as make_connector_with_configs
from tests.connectors.conftest import make_connector

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("api")]


RUN_TIMEOUT_MS = 60_000


def rows(page):
    return page.locator("#connector-results tbody tr")


def test_all_matching_a_filter_across_pages_are_retagged(logged_in_page, api):
    page = logged_in_page
    team = [make_connector(api, f"Team {n:02}", tags={"team": ["old"]}) for n in range(23)]
    make_connector(api, "Someone else's")
    page.goto("/connectors/?tag=team%3Aold")
    expect(page.locator("#connector-results-count")).to_have_text("1–20 of 23")

    page.get_by_label("Select every connector on this page").check()
    expect(page.locator("[data-select-count]")).to_have_text("20 selected")
    page.get_by_role("button", name="Select all 23 matching this filter").click()
    expect(page.locator("[data-select-count]")).to_have_text(
        "All 23 matching this filter are selected"
    )
    page.get_by_label("With the selected").select_option("add_tag")
    page.get_by_label("Tag (key or key:value)").fill("team:platform")
    page.get_by_role("button", name="Review…").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Add tag “team:platform”: 23 items")
    expect(page.locator(".bulk-preview__items li")).to_have_count(23)
    page.get_by_role("button", name=re.compile("^Start")).click()

    # 23 items, one step (about a second) after another: longer than a click's wait.
    expect(page.get_by_role("status").filter(has_text="23 of 23")).to_contain_text(
        "23 done, 0 refused, 0 skipped", timeout=RUN_TIMEOUT_MS
    )
    expect(page.locator(".bulk-result--done")).to_have_count(23)
    assert all(api.connectors.get(c.id).tags["team"] == ["old", "platform"] for c in team)
    assert "platform" not in str(api.connectors.list(name="Someone").items[0].tags)


def test_shift_click_ticks_a_range_of_rows(logged_in_page, api):
    page = logged_in_page
    for n in range(5):
        make_connector(api, f"Range {n}")
    page.goto("/connectors/")

    page.get_by_label("Select Range 4").check()
    page.get_by_label("Select Range 1").click(modifiers=["Shift"])

    expect(page.locator("[data-select-count]")).to_have_text("4 selected")
    expect(page.get_by_label("Select Range 0")).not_to_be_checked()


def test_the_bulk_bar_shows_only_while_something_is_ticked_and_moves_no_row(logged_in_page, api):
    page = logged_in_page
    for n in range(3):
        make_connector(api, f"Quiet {n}")
    page.goto("/connectors/")
    bar = page.locator("#connector-bulk")
    expect(bar).to_be_hidden()
    first_row = rows(page).first.bounding_box()

    box = page.get_by_label("Select Quiet 1")
    box.focus()
    page.keyboard.press("Space")  # ticked from the keyboard

    expect(bar).to_be_visible()
    expect(page.locator("[data-select-count]")).to_have_text("1 selected")
    assert rows(page).first.bounding_box() == first_row  # nothing above the bar moved
    expect(box).to_be_focused()

    page.get_by_role("button", name="Clear selection").click()
    expect(bar).to_be_hidden()
    expect(page.get_by_label("Select every connector on this page")).to_be_focused()


def test_the_bulk_bar_of_a_list_swapped_in_by_a_filter_starts_hidden(logged_in_page, api):
    page = logged_in_page
    for name in ("Alpha", "Beta"):
        make_connector(api, name)
    page.goto("/connectors/")

    page.get_by_label("Name").fill("Alp")
    expect(page.locator("#connector-results tbody tr")).to_have_count(1)

    expect(page.locator("#connector-bulk")).to_be_hidden()
    page.get_by_label("Select Alpha").check()
    expect(page.locator("#connector-bulk")).to_be_visible()


def test_a_bulk_delete_lists_each_result_with_the_refusal_and_its_reason(logged_in_page, api):
    page = logged_in_page
    used = make_connector(api, "In use")
    version = ConnectorVersion.objects.create(connector_id=used.id, name="1.0")
    Subscription.objects.create(version=version, subscriber="switchboard", reference="board-1")
    free = [make_connector(api, name) for name in ("Spare A", "Spare B")]
    page.goto("/connectors/")

    for name in ("In use", "Spare A", "Spare B"):
        page.get_by_label(f"Select {name}").check()
    page.get_by_label("With the selected").select_option("delete_connectors")
    page.get_by_role("button", name="Review…").click()
    expect(page.get_by_text("Deleted connectors cannot be brought back.")).to_be_visible()
    page.get_by_role("button", name=re.compile("^Start")).click()

    expect(page.get_by_role("status").filter(has_text="3 of 3")).to_contain_text(
        "2 done, 1 refused, 0 skipped"
    )
    refused = page.locator(".bulk-result--refused")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("In use")
    expect(refused).to_contain_text("in use by 1 subscription")
    expect(refused).not_to_contain_text("force=true")  # the screen's words: "Force delete"
    expect(page.locator(".bulk-result--done")).to_have_count(2)
    assert [c.name for c in api.connectors.list().items] == ["In use"]
    assert {c.id for c in free}.isdisjoint(c.id for c in api.connectors.list().items)


def test_a_rotation_queue_of_three(operator_page, api):
    page = operator_page
    sources = record_sources(page)
    connector = make_connector_with_configs(api, "Acme", configs=[api_key_config()])
    config = connector.auth_scheme_configs[0]
    names = ("Key one", "Key two", "Key three")
    make_connection(api, connector, "prod", action=[string_credential(config, n) for n in names])
    new_one, new_three = secret("one"), secret("three")
    page.goto("/credentials/")

    for name in names:
        page.get_by_label(f"Select {name}").check()
    page.get_by_role("button", name="Rotate the ticked one by one…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rotate credentials: 3 items")
    page.get_by_role("button", name=re.compile("^Start")).click()

    def rotate_with(value):
        page.get_by_label("Secret value", exact=True).fill(value)
        page.get_by_label("Secret value again").fill(value)
        page.get_by_label("Replace the secret now").check()
        page.get_by_role("button", name="Rotate and go on").click()

    first = page.get_by_role("heading", level=1)
    expect(first).to_have_text(re.compile(r"Rotate “Key .+”: 1 of 3"))
    rotate_with(new_one)
    expect(first).to_have_text(re.compile(r": 2 of 3$"))
    page.get_by_role("button", name="Skip this one").click()
    expect(first).to_have_text(re.compile(r": 3 of 3$"))
    rotate_with(new_three)

    expect(first).to_have_text("Rotation queue finished")
    expect(page.get_by_role("status").filter(has_text="skipped")).to_have_text(
        "2 done, 1 skipped, 0 refused."
    )
    expect(page.locator(".bulk-result--skipped")).to_have_count(1)
    assert leaked(sources, new_one, new_three) == []


def test_all_the_worklists_credentials_matching_its_filters_are_queued(
    operator_page, api, monkeypatch
):
    page = operator_page
    monkeypatch.setattr(worklist, "PER_PAGE", 2)
    connector = make_connector_with_configs(api, "Acme", configs=[api_key_config()])
    config = connector.auth_scheme_configs[0]
    names = ("Key one", "Key two", "Key three")
    make_connection(api, connector, "prod", action=[string_credential(config, n) for n in names])
    page.goto("/credentials/")

    page.get_by_label("Select every credential on this page").check()
    expect(page.locator("[data-select-count]")).to_have_text("2 selected")
    page.get_by_role("button", name="Select all 3 matching these filters").click()
    expect(page.locator("[data-select-count]")).to_have_text(
        "All 3 matching these filters are selected"
    )
    page.get_by_role("button", name="Rotate the ticked one by one…").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Rotate credentials: 3 items")
    expect(page.locator(".bulk-preview__items li")).to_have_count(3)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_current_row_stays_above_the_bulk_bar(logged_in_page, api, width):
    page = logged_in_page
    page.set_viewport_size({"width": width, "height": 700})
    for n in range(20):
        make_connector(api, f"Row {n:02}")
    page.goto("/connectors/")
    page.locator("h1").click()
    page.keyboard.press("j")
    page.keyboard.press("x")
    bar = page.locator("#connector-bulk")
    expect(bar).to_be_visible()

    for _ in range(12):
        page.keyboard.press("j")
        row = page.locator("#connector-results tbody tr:focus-within").bounding_box()
        assert row["y"] + row["height"] <= bar.bounding_box()["y"] + 1


def test_the_bulk_bar_shows_only_the_chosen_actions_fields(logged_in_page, api):
    page = logged_in_page  # the ops user, an admin: force delete is offered
    make_connector(api, "Fields")
    page.goto("/connectors/")
    page.get_by_label("Select Fields").check()
    tag, categories = page.get_by_label("Tag (key or key:value)"), page.locator("#bulk-categories")
    force = page.get_by_label("Force delete (also those in use)")
    shown = {
        "add_tag": tag,
        "remove_categories": categories,
        "delete_connectors": force,
        "export_csv": None,
    }

    for action, field in shown.items():
        page.get_by_label("With the selected").select_option(action)
        for other in (tag, categories, force):
            if other is field:
                expect(other).to_be_visible()
            else:
                expect(other).to_be_hidden()


def test_a_bulk_action_missing_its_tag_is_explained_with_the_selection_kept(logged_in_page, api):
    page = logged_in_page
    make_connector(api, "Kept")
    make_connector(api, "Other")
    page.goto("/connectors/")
    page.get_by_label("Select Kept").check()
    page.get_by_label("With the selected").select_option("add_tag")
    page.get_by_role("button", name="Review…").click()

    expect(page.locator(".form-errors")).to_contain_text("Write the tag, as key or key:value.")
    expect(page.get_by_label("Select Kept")).to_be_checked()
    expect(page.locator("[data-select-count]")).to_have_text("1 selected")
    page.get_by_label("Tag (key or key:value)").fill("team:kept")
    page.get_by_role("button", name="Review…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add tag “team:kept”: 1 item")


def test_the_shortcuts_move_select_open_and_go_but_not_while_typing(logged_in_page, api):
    page = logged_in_page
    make_connector(api, "Beta")
    make_connector(api, "Alpha")
    page.goto("/connectors/")

    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Go to Credentials")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    page.keyboard.press("/")
    name_filter = page.get_by_label("Name")
    expect(name_filter).to_be_focused()
    page.keyboard.type("gr?jx")  # typed into the field, not taken as shortcuts
    expect(name_filter).to_have_value("gr?jx")
    expect(page).to_have_url(re.compile(r"/(\?.*)?$"))
    expect(dialog).to_be_hidden()

    page.goto("/connectors/")
    expect(rows(page)).to_have_count(2)
    page.locator("h1").click()
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(page.get_by_role("link", name="Beta", exact=True)).to_be_focused()
    page.keyboard.press("k")
    alpha = page.get_by_role("link", name="Alpha", exact=True)
    expect(alpha).to_be_focused()
    page.keyboard.press("x")
    expect(page.get_by_label("Select Alpha")).to_be_checked()
    expect(page.locator("[data-select-count]")).to_have_text("1 selected")
    page.get_by_label("Select Alpha").focus()
    page.keyboard.press("j")
    page.keyboard.press("k")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alpha")

    page.keyboard.press("g")
    page.keyboard.press("r")
    expect(page).to_have_url(re.compile(r"/credentials/$"))
    page.keyboard.press("g")
    page.keyboard.press("a")
    expect(page).to_have_url(re.compile(r"/audit/$"))
