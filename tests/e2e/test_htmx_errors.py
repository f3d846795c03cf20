"""How htmx failures reach the user (static/js/patchbay.js, README "htmx conventions").

Each test adds a small htmx form to the home page. Failures the real server can produce
(a refused CSRF token, an unknown URL, an ended session) come from it; responses no view
sends yet (422 re-renders, retargeted errors, toasts) are fulfilled by Playwright.
"""

import json

import pytest
from playwright.sync_api import expect

PROBE = """([action]) => {
    document.getElementById("main").insertAdjacentHTML("beforeend", `
        <form id="probe" hx-post="${action}" hx-target="#probe-result">
          <label for="probe-note">Note</label><input id="probe-note" name="note">
          <button type="submit">Send</button>
        </form>
        <div id="probe-result">untouched</div>`);
    htmx.process(document.getElementById("probe"));
}"""


@pytest.fixture
def probe(logged_in_page):
    """On the home page, add the probe form posting to `action`, type into it, and send it."""
    logged_in_page.goto("/")

    def send(action: str, note: str = "what I typed"):
        page = logged_in_page
        page.evaluate(PROBE, [action])
        page.get_by_label("Note").fill(note)
        page.get_by_role("button", name="Send").click()
        return page

    return send


def error_region(page):
    return page.locator("#error-region")


def test_a_refused_csrf_token_is_explained_and_the_typed_text_kept(probe, logged_in_page):
    logged_in_page.context.clear_cookies(name="csrftoken")

    page = probe("/logout/")

    expect(error_region(page)).to_contain_text("security token is missing or out of date")
    expect(error_region(page)).to_contain_text("quote this reference:")
    expect(page.get_by_label("Note")).to_have_value("what I typed")
    expect(page.locator("#probe-result")).to_have_text("untouched")


def test_an_unknown_url_gets_a_plain_not_found_message(probe):
    page = probe("/no-such-endpoint/")

    expect(error_region(page)).to_contain_text("That was not found")
    expect(page.locator("#probe-result")).to_have_text("untouched")


def test_a_network_failure_is_reported(probe, logged_in_page):
    logged_in_page.route("**/probe-endpoint/", lambda route: route.abort("connectionrefused"))

    page = probe("/probe-endpoint/")

    expect(error_region(page)).to_contain_text("Patchbay could not be reached")
    expect(page.get_by_label("Note")).to_have_value("what I typed")


def test_a_422_form_re_render_is_swapped_in_without_an_error(probe, logged_in_page):
    logged_in_page.route(
        "**/probe-endpoint/",
        lambda route: route.fulfill(
            status=422, content_type="text/html", body="<p>Name is required.</p>"
        ),
    )

    page = probe("/probe-endpoint/")

    expect(page.locator("#probe-result")).to_have_text("Name is required.")
    expect(error_region(page)).to_be_empty()


def test_an_error_the_server_retargets_is_swapped_into_that_target(probe, logged_in_page):
    logged_in_page.evaluate(
        """() => document.getElementById("main")
            .insertAdjacentHTML("beforeend", '<div id="elsewhere"></div>')"""
    )
    logged_in_page.route(
        "**/probe-endpoint/",
        lambda route: route.fulfill(
            status=502,
            content_type="text/html",
            headers={"HX-Retarget": "#elsewhere"},
            body='<section class="error-panel">The Connect API is down.</section>',
        ),
    )

    page = probe("/probe-endpoint/")

    expect(page.locator("#elsewhere")).to_have_text("The Connect API is down.")
    expect(page.locator("#probe-result")).to_have_text("untouched")
    expect(error_region(page)).to_be_empty()


def test_a_later_success_clears_the_error_and_a_toast_event_shows_a_toast(probe, logged_in_page):
    answers = [
        {"status": 500, "body": "boom", "content_type": "text/html"},
        {
            "status": 200,
            "body": "<p>Saved.</p>",
            "content_type": "text/html",
            "headers": {
                "HX-Trigger": json.dumps(
                    {"toast": {"messages": [{"message": "Connector saved.", "level": "success"}]}}
                )
            },
        },
    ]
    logged_in_page.route("**/probe-endpoint/", lambda route: route.fulfill(**answers.pop(0)))

    page = probe("/probe-endpoint/")
    expect(error_region(page)).to_contain_text("Something went wrong on the server")
    page.get_by_role("button", name="Send").click()

    expect(error_region(page)).to_be_empty()
    toast = page.locator(".toast", has_text="Connector saved.")
    expect(toast).to_be_visible()
    toast.get_by_role("button", name="Dismiss message").click()
    expect(toast).to_have_count(0)


def test_an_htmx_request_after_the_session_ended_goes_to_the_login_page(probe, logged_in_page):
    logged_in_page.context.clear_cookies(name="sessionid")

    page = probe("/")

    expect(page).to_have_url("/login/?next=/")


def test_the_layout_fits_a_narrow_screen(logged_in_page):
    logged_in_page.goto("/")
    logged_in_page.set_viewport_size({"width": 375, "height": 700})

    overflow = logged_in_page.evaluate(
        "() => document.documentElement.scrollWidth - window.innerWidth"
    )

    assert overflow <= 0
    # The header folds behind "Menu" at this width (issue 16); logging out is one tap away.
    logged_in_page.get_by_role("button", name="Menu").click()
    expect(logged_in_page.get_by_role("button", name="Log out")).to_be_visible()


@pytest.mark.parametrize("screen", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}])
def test_the_error_shows_below_the_header_and_stays_in_view_when_scrolled(
    probe, logged_in_page, screen
):
    logged_in_page.set_viewport_size(screen)
    page = probe("/no-such-endpoint/")
    message = error_region(page).locator(".error-region__box")
    expect(message).to_contain_text("That was not found")

    page.evaluate("window.scrollTo(0, 0)")
    header = page.locator(".site-header").bounding_box()
    assert message.bounding_box()["y"] >= header["y"] + header["height"]
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    expect(message).to_be_in_viewport()


@pytest.mark.parametrize("request_id", ["req-7f3a", None])
def test_a_server_error_asks_to_quote_its_reference_only_when_it_has_one(
    probe, logged_in_page, request_id
):
    headers = {"X-Request-ID": request_id} if request_id else {}
    logged_in_page.route(
        "**/probe-endpoint/",
        lambda route: route.fulfill(
            status=500, body="boom", content_type="text/html", headers=headers
        ),
    )

    region = error_region(probe("/probe-endpoint/"))

    expect(region).to_contain_text("Something went wrong on the server. Try again in a moment.")
    if request_id:
        expect(region).to_contain_text(f"If it keeps failing, quote this reference: {request_id}")
    else:
        expect(region).not_to_contain_text("reference")


def test_the_same_message_twice_shows_one_toast(probe, logged_in_page):
    def toast(message: str) -> dict:
        trigger = {"toast": {"messages": [{"message": message, "level": "success"}]}}
        return {
            "status": 200,
            "body": "<p>Saved.</p>",
            "headers": {"HX-Trigger": json.dumps(trigger)},
        }

    answers = [toast("Tags saved."), toast("Tags saved."), toast("Categories saved.")]
    logged_in_page.route("**/probe-endpoint/", lambda route: route.fulfill(**answers.pop(0)))

    page = probe("/probe-endpoint/")
    expect(page.locator(".toast")).to_have_text(["Tags saved.×"])
    for shown in (["Tags saved.×"], ["Tags saved.×", "Categories saved.×"]):
        page.get_by_role("button", name="Send").click()
        expect(page.locator(".toast")).to_have_text(shown)
