"""In a browser: the Credentials page as a rotation worklist (filters swap the results and
push the URL), and rotating an API key from it; the secret is never in a page's source."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dashboard.connect import get_client
from dashboard.embedded_api import crypto
from dashboard.embedded_api.models import Credential
from tests.connections.browser_support import leaked, record_sources
from tests.connections.conftest import (
    api_key_config,
    make_connection,
    make_connector,
    secret,
    string_credential,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("encryption_key")]


@pytest.fixture
def keys():
    """A connection with an API key expiring in 3 days and one that never expires."""
    api = get_client()
    connector = make_connector(api, "Acme CRM", configs=[api_key_config()])
    config = connector.auth_scheme_configs[0]
    old = secret("old-key")
    connection = make_connection(
        api,
        connector,
        "production",
        action=[
            string_credential(
                config, "Acme production key", old, expires_at=timezone.now() + timedelta(days=3)
            ),
            string_credential(config, "Acme reporting key"),
        ],
    )
    return connector, connection, old


def test_an_api_key_is_rotated_from_the_credentials_page(operator_page, keys):
    page = operator_page
    sources = record_sources(page)
    connector, connection, old = keys
    new = secret("new-key")

    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Credentials").click()
    row = page.locator("tr", has_text="Acme production key")
    expect(row).to_contain_text("(soon)")
    expect(row.locator(".credential-identity")).to_have_text("key in header X-API-Key")
    expect(row.get_by_role("link", name="Acme CRM / production")).to_have_attribute(
        "href", f"/connectors/{connector.id}/connections/{connection.id}/"
    )
    row.get_by_role("link", name="Rotate Acme production key").click()

    expect(page.get_by_role("heading", name="Rotate “Acme production key”")).to_be_visible()
    page.get_by_label("Secret value", exact=True).fill(new)
    page.get_by_label("Secret value again").fill(new + "typo")
    page.get_by_label("Replace the secret now").check()
    page.get_by_role("button", name="Rotate credential").click()

    expect(page.get_by_text("The two entries differ")).to_be_visible()
    # Kept in the browser (no page the server sent holds it), so only the typo is retyped.
    expect(page.get_by_label("Secret value", exact=True)).to_have_value(new)
    expect(page.get_by_label("Secret value again")).to_be_focused()
    page.get_by_label("Secret value again").fill(new)
    page.get_by_label("New expiry (UTC)").fill(
        (timezone.now() + timedelta(days=90)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_label("Replace the secret now").check()
    page.get_by_role("button", name="Rotate credential").click()

    expect(page).to_have_url("/credentials/")
    expect(page.get_by_text("Credential “Acme production key” rotated")).to_be_visible()
    expect(page.locator("tr", has_text="Acme production key")).not_to_contain_text("(soon)")
    credential = Credential.objects.get(name="Acme production key")
    assert crypto.decrypt(credential.secret_data) == {"value": new}
    assert leaked(sources, old, new) == []


def test_the_worklist_filters_swap_the_results_and_keep_the_url(operator_page, keys):
    page = operator_page

    page.goto("/credentials/")
    expect(page.locator("tbody tr")).to_have_count(2)
    page.get_by_label("Expiry").select_option("7")

    expect(page).to_have_url("/credentials/?type=&expiry=7&connector=")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr")).to_contain_text("Acme production key")
    page.reload()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.get_by_label("Expiry")).to_have_value("7")


def test_the_connector_filter_loads_every_connector_when_reached_for(operator_page, api, keys):
    page = operator_page
    beta = make_connector(api, "Beta", configs=[api_key_config()])
    make_connection(
        api, beta, "solo", action=[string_credential(beta.auth_scheme_configs[0], "Beta key")]
    )
    make_connector(api, "Alpha")  # no credentials: not in the page's own list
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "/connector-options/" in r.url else None)
    options = page.locator("#id_connector option")

    page.goto("/credentials/")
    expect(options).to_have_text(["Any connector", "Acme CRM", "Beta"])  # those in use
    assert asked == []
    page.get_by_label("Connector").focus()  # as by the keyboard, before the list opens

    expect(options).to_have_text(["Any connector", "Acme CRM", "Alpha", "Beta"])
    page.get_by_label("Connector").hover()  # "once" holds across both triggers
    page.get_by_label("Connector").select_option(label="Beta")
    expect(page).to_have_url(f"/credentials/?type=&expiry=&connector={beta.id}")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr")).to_contain_text("Beta key")
    expect(page.get_by_label("Connector")).to_have_value(beta.id)
    assert len(asked) == 1  # its request would have been seen before the filter's answer


def test_pointing_at_the_connector_filter_loads_every_connector(operator_page, api, keys):
    page = operator_page
    make_connector(api, "Alpha")

    page.goto("/credentials/?expiry=7")
    page.get_by_label("Connector").hover()

    expect(page.locator("#id_connector option")).to_have_text(
        ["Any connector", "Acme CRM", "Alpha"]
    )
    expect(page).to_have_url("/credentials/?expiry=7")  # the form's URL is not pushed
    expect(page.locator("tbody tr")).to_have_count(1)  # nor its results replaced


OPTIONS = "**/credentials/connector-options/*"


def hold_options(page) -> list:
    """The Connector filter's requests for its options, held unanswered for the test to answer."""
    held = []
    page.route(OPTIONS, lambda route: held.append(route))
    return held


def first_held(page, held: list):
    for _ in range(100):  # bounded: the route has the request as soon as it is sent
        if held:
            return held[0]
        page.wait_for_timeout(50)
    raise AssertionError("The options were never asked for.")


def test_the_connector_chosen_by_keyboard_stays_chosen_when_every_connector_arrives(
    operator_page, api, keys
):
    page = operator_page
    connectors = {}
    for name in ("Beta", "Gamma"):
        connectors[name] = make_connector(api, name, configs=[api_key_config()])
        config = connectors[name].auth_scheme_configs[0]
        make_connection(api, connectors[name], "solo", action=[string_credential(config, name)])
    make_connector(api, "Alpha")  # no credentials: arrives with every connector, before Gamma
    omega = make_connector(api, "Omega")  # and after it
    held = hold_options(page)
    select = page.get_by_label("Connector")
    gamma = connectors["Gamma"].id

    page.goto("/credentials/")
    with page.expect_request(OPTIONS):
        select.focus()
    for _ in range(3):  # before the options arrive: Any connector, Acme CRM, Beta, Gamma
        page.keyboard.press("ArrowDown")
    expect(page).to_have_url(f"/credentials/?type=&expiry=&connector={gamma}")
    expect(page.locator("tbody tr")).to_have_count(1)
    first_held(page, held).continue_()

    expect(page.locator("#id_connector option")).to_have_text(
        ["Any connector", "Acme CRM", "Alpha", "Beta", "Gamma", "Omega"]
    )
    expect(select).to_have_value(gamma)  # as the URL and the results say
    expect(page.locator("tbody tr")).to_contain_text("Gamma")
    page.keyboard.press("ArrowDown")  # on from Gamma, not from the top
    expect(page).to_have_url(f"/credentials/?type=&expiry=&connector={omega.id}")
    expect(select).to_have_value(omega.id)


def test_a_choice_the_arriving_options_lack_stays_chosen(operator_page, keys):
    page = operator_page
    connector, _, _ = keys
    held = hold_options(page)
    select = page.get_by_label("Connector")

    page.goto("/credentials/")
    with page.expect_request(OPTIONS):
        select.focus()
    page.keyboard.press("ArrowDown")
    expect(page).to_have_url(f"/credentials/?type=&expiry=&connector={connector.id}")
    first_held(page, held).fulfill(
        content_type="text/html", body='<option value="">Any connector</option>'
    )

    expect(page.locator("#id_connector option")).to_have_text(["Any connector", "Acme CRM"])
    expect(select).to_have_value(connector.id)


def test_rotation_is_reachable_from_the_connection(operator_page, keys):
    page = operator_page
    connector, connection, _ = keys

    page.goto(f"/connectors/{connector.id}/connections/{connection.id}/")
    expect(page.locator("tr", has_text="Acme reporting key")).to_contain_text(
        "key in header X-API-Key"
    )
    page.get_by_role("link", name="Rotate Acme reporting key").click()
    expect(page.locator("dd.credential-identity")).to_have_text("key in header X-API-Key")
    new = secret("from-connection")
    page.get_by_label("Secret value", exact=True).fill(new)
    page.get_by_label("Secret value again").fill(new)
    page.get_by_label("Replace the secret now").check()
    page.get_by_role("button", name="Rotate credential").click()

    expect(page).to_have_url(f"/connectors/{connector.id}/connections/{connection.id}/")
    expect(page.get_by_text("Credential “Acme reporting key” rotated")).to_be_visible()


def test_rotating_fits_a_phone(operator_page, keys):
    """At 390 px the rotate page and the queue are one column, with no sideways scrolling."""
    page = operator_page
    page.set_viewport_size({"width": 390, "height": 844})

    def fits():
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto("/credentials/")
    page.get_by_role("link", name="Rotate Acme production key").click()
    expect(page.get_by_label("Secret value", exact=True)).to_be_visible()
    fits()

    page.goto("/credentials/")
    page.get_by_label("Select Acme production key").check()
    page.get_by_role("button", name="Rotate the ticked one by one…").click()
    page.get_by_role("button", name=re.compile("^Start")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(": 1 of 1$"))
    fits()
