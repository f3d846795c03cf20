"""In a browser: forms keep what was typed (issue 16). Rows are added and removed without a
round trip, a re-rendered form keeps its secrets in the browser only, focus follows the work."""

import pytest
from playwright.sync_api import expect

from dashboard.connect import get_client
from dashboard.embedded_api.models import Connection
from tests.connections.browser_support import leaked, record_sources
from tests.connections.conftest import api_key_config, make_connector, secret

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("encryption_key")]


def posts(page) -> list[str]:
    sent: list[str] = []
    page.on("request", lambda request: request.method == "POST" and sent.append(request.url))
    return sent


def test_adding_a_credential_keeps_the_typed_secret_and_sends_nothing(operator_page):
    page = operator_page
    sources = record_sources(page)
    connector = make_connector(get_client(), configs=[api_key_config()])
    key = secret("row-kept")
    page.goto(f"/connectors/{connector.id}/connections/new/")
    sent = posts(page)

    page.get_by_label("Secret value").fill(key)
    page.get_by_role("button", name="+ Add action credential").click()

    slots = page.locator(".credential-slot")
    expect(slots).to_have_count(2)
    expect(slots.nth(1).get_by_label("Auth scheme and credential type")).to_be_focused()
    expect(slots.nth(0).get_by_label("Secret value")).to_have_value(key)
    expect(slots.nth(1)).to_contain_text("Action credential 2")
    assert sent == []
    page.get_by_role("button", name="Remove action credential 2").click()
    expect(slots).to_have_count(1)
    assert leaked(sources, key) == []


def test_a_refused_connection_keeps_every_secret_in_the_browser_only(operator_page):
    page = operator_page
    sources = record_sources(page)
    connector = make_connector(get_client(), configs=[api_key_config()])
    key = secret("kept-on-error")
    page.goto(f"/connectors/{connector.id}/connections/new/")

    page.get_by_label("Name", exact=True).fill("production")
    page.get_by_label("Credential name").fill("Key")
    page.get_by_label("Secret value").fill(key)
    page.get_by_role("button", name="+ Add variable").click()
    page.get_by_label("Variable 2 name").fill("")
    page.get_by_label("Variable 2 value").fill("a value without a name")
    page.get_by_role("button", name="Create connection").click()

    expect(page.get_by_text("A variable with a value needs a name.")).to_be_visible()
    expect(page.get_by_label("Variable 2 name")).to_be_focused()
    expect(page.get_by_label("Secret value")).to_have_value(key)
    expect(page.get_by_label("Credential name")).to_have_value("Key")
    assert not Connection.objects.exists()
    assert leaked(sources, key) == []


def test_rows_of_connection_variables_are_added_and_removed_in_place(operator_page):
    page = operator_page
    connector = make_connector(get_client(), configs=[])
    page.goto(f"/connectors/{connector.id}/connections/new/")
    sent = posts(page)

    page.get_by_label("Variable 1 name").fill("tenant")
    page.get_by_role("button", name="+ Add variable").click()
    expect(page.get_by_label("Variable 2 name")).to_be_focused()
    page.get_by_label("Variable 2 name").fill("region")
    page.get_by_label("Variable 2 value").fill("eu")
    page.get_by_role("button", name="Remove variable 1").click()

    expect(page.get_by_label("Variable 1 name")).to_have_value("region")
    expect(page.get_by_label("Variable 2 name")).to_have_count(0)
    expect(page.get_by_label("Variable 1 name")).to_be_focused()
    assert sent == []
    page.get_by_label("Name", exact=True).fill("staging")
    page.get_by_role("button", name="Create connection").click()
    expect(page.get_by_role("heading", name="staging")).to_be_visible()
    assert Connection.objects.get().variables == [{"name": "region", "value": "eu"}]


def test_changing_an_auth_schemes_type_keeps_the_typed_description(operator_page):
    page = operator_page
    connector = make_connector(get_client(), configs=[])
    page.goto(f"/connectors/{connector.id}/auth-schemes/new/?type=api-key")

    page.get_by_label("Description").fill("Partner sign-in")
    page.get_by_label("Scheme type").select_option("oauth2")

    expect(page.get_by_label("Token URL")).to_be_visible()
    expect(page.get_by_label("Description")).to_have_value("Partner sign-in")
    expect(page).to_have_url(f"/connectors/{connector.id}/auth-schemes/new/?type=oauth2")


def test_a_connector_with_unsafe_urls_is_refused_and_nothing_saved(operator_page):
    page = operator_page
    api = get_client()
    connector = make_connector(api, "Acme CRM", configs=[])
    page.goto(f"/connectors/{connector.id}/edit/")

    page.get_by_label("Base URL").fill("not a url")
    page.get_by_label("Documentation URL").fill("javascript:alert(1)")
    page.get_by_label("Image URL").fill("http://cdn.example.com/logo.png")
    page.get_by_role("button", name="Save changes").click()

    expect(page.get_by_text("Enter a full web address starting with https://")).to_have_count(2)
    expect(page.get_by_text("Enter an image address starting with https://")).to_be_visible()
    expect(page.get_by_label("Base URL")).to_be_focused()
    expect(page.get_by_label("Documentation URL")).to_have_value("javascript:alert(1)")
    saved = api.connectors.get(connector.id)
    assert (saved.base_url, saved.documentation_url, saved.image_url) == (
        connector.base_url,
        "",
        "",
    )


def test_a_connection_variable_with_a_bad_name_is_refused(operator_page):
    page = operator_page
    connector = make_connector(get_client(), configs=[])
    page.goto(f"/connectors/{connector.id}/connections/new/")

    page.get_by_label("Name", exact=True).fill("production")
    page.get_by_label("Variable 1 name").fill("bad name!")
    page.get_by_label("Variable 1 value").fill("x")
    page.get_by_role("button", name="Create connection").click()

    expect(
        page.get_by_text("Use only letters, digits, “_” and “-”, without spaces.")
    ).to_be_visible()
    expect(page.get_by_label("Variable 1 name")).to_be_focused()
    assert not Connection.objects.exists()
