"""The first thing anyone does: log in, land on the overview, log out."""

from playwright.sync_api import expect


def test_an_ops_user_logs_in_lands_on_the_overview_and_logs_out(page, ops_user, ops_password):
    page.goto("/")
    expect(page).to_have_url("/login/?next=/")

    page.get_by_label("Username").fill("ops")
    page.get_by_label("Password").fill(ops_password)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Overview")
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Overview")
    ).to_have_attribute("aria-current", "page")
    expect(page.locator(".backend-info")).to_contain_text("embedded")

    page.get_by_role("button", name="Log out").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("You have logged out")
    page.goto("/")
    expect(page).to_have_url("/login/?next=/")


def test_a_wrong_password_keeps_the_user_on_the_login_page(page, ops_user):
    page.goto("/login/")
    page.get_by_label("Username").fill("ops")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("alert").filter(has_text="correct username")).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value("ops")
