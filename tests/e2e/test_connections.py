"""In a browser: add an API key and an OAuth 2.0 auth scheme, reorder them from the
keyboard, and create a connection with an API key; no secret is ever in a page's source."""

import pytest
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


def test_an_operator_adds_an_api_key_scheme_and_an_oauth2_scheme(operator_page):
    page = operator_page
    sources = record_sources(page)
    connector = make_connector(get_client(), "Acme CRM", configs=[])
    client_secret = secret("browser-client-secret")

    page.goto(f"/connectors/{connector.id}/auth-schemes/")
    expect(page.get_by_text("No auth schemes yet")).to_be_visible()
    page.get_by_role("link", name="Add auth scheme").click()
    page.get_by_label("Scheme type").select_option("api-key")
    expect(page).to_have_url(f"/connectors/{connector.id}/auth-schemes/new/?type=api-key")
    page.get_by_label("Description").fill("Production key")
    page.get_by_label("Parameter name").fill("X-Acme-Key")
    page.get_by_label("Sent in").select_option("header")
    page.get_by_role("button", name="Add auth scheme").click()

    expect(page.get_by_text("API key auth scheme added.")).to_be_visible()
    expect(page.locator(".scheme")).to_have_count(1)
    expect(page.locator(".scheme").first).to_contain_text("X-Acme-Key")

    page.get_by_role("link", name="Add auth scheme").click()
    # Choosing the type swaps in its form (htmx) and puts it in the address.
    page.get_by_label("Scheme type").select_option("oauth2")
    expect(page.get_by_label("Token URL")).to_be_visible()
    expect(page).to_have_url(f"/connectors/{connector.id}/auth-schemes/new/?type=oauth2")
    page.get_by_label("Description").fill("Acme sign-in")
    page.get_by_label("Authorize URL").fill("https://id.acme.example/authorize")
    page.get_by_label("Token URL").fill("https://id.acme.example/token")
    page.get_by_label("Scopes (optional)", exact=True).fill("contacts.read Read contacts")
    page.get_by_label("Default scopes").fill("contacts.read")
    page.get_by_label("Client ID").fill("acme-client")
    page.get_by_label("Client secret").fill(client_secret)
    page.get_by_role("button", name="Add auth scheme").click()

    expect(page.get_by_text("OAuth 2.0 auth scheme added.")).to_be_visible()
    expect(page.locator(".scheme")).to_have_count(2)
    expect(page.locator(".scheme").nth(1)).to_contain_text("acme-client")
    expect(page.locator(".scheme").nth(1)).to_contain_text("secret stored")
    assert leaked(sources, client_secret) == []


def test_an_invalid_oauth2_form_keeps_what_was_typed_the_secret_only_in_the_browser(
    operator_page,
):
    page = operator_page
    sources = record_sources(page)
    connector = make_connector(get_client(), configs=[])
    client_secret = secret("typed")

    page.goto(f"/connectors/{connector.id}/auth-schemes/new/?type=oauth2")
    page.get_by_label("Token URL").fill("not a url")
    page.get_by_label("Authorize URL").fill("https://id.acme.example/authorize")
    page.get_by_label("Client ID").fill("acme-client")
    page.get_by_label("Client secret").fill(client_secret)
    page.get_by_role("button", name="Add auth scheme").click()

    expect(
        page.get_by_text(
            "Enter a full web address starting with https:// or http://, e.g. https://api.example.com."
        )
    ).to_be_visible()
    expect(page.get_by_label("Client ID")).to_have_value("acme-client")
    # The secret was carried over in the browser: no page the server sent holds it.
    expect(page.get_by_label("Client secret")).to_have_value(client_secret)
    expect(page.get_by_text("re-enter it")).to_have_count(0)
    expect(page.get_by_label("Token URL")).to_be_focused()
    assert leaked(sources, client_secret) == []


def test_auth_schemes_are_reordered_from_the_keyboard(operator_page):
    page = operator_page
    api = get_client()
    connector = make_connector(
        api, configs=[api_key_config(description="First"), api_key_config(description="Second")]
    )

    page.goto(f"/connectors/{connector.id}/auth-schemes/")
    page.get_by_role("button", name="Move 1. API key First down").focus()
    page.keyboard.press("Enter")

    moved_up_button = page.get_by_role("button", name="Move 2. API key First up")
    expect(moved_up_button).to_be_focused()
    expect(page.locator(".scheme").first).to_contain_text("Second")
    order = [config.description for config in api.connectors.get(connector.id).auth_scheme_configs]
    assert order == ["Second", "First"]


def test_an_operator_creates_a_connection_with_an_api_key(operator_page):
    page = operator_page
    sources = record_sources(page)
    connector = make_connector(get_client(), "Acme CRM", configs=[api_key_config()])
    key = secret("browser-api-key")

    page.goto(f"/connectors/{connector.id}/connections/")
    page.get_by_role("link", name="New connection").click()
    page.get_by_label("Name", exact=True).fill("production")
    page.get_by_label("Auth scheme and credential type").select_option(index=0)
    page.get_by_label("Credential name").fill("Acme production key")
    # Only the chosen type's fields show.
    expect(page.get_by_label("Secret value")).to_be_visible()
    expect(page.locator(".credential-data--none")).to_be_hidden()
    page.get_by_label("Secret value").fill(key)
    page.get_by_role("button", name="Create connection").click()

    expect(page.get_by_role("heading", name="production")).to_be_visible()
    expect(page.get_by_text("Connection “production” created.")).to_be_visible()
    expect(page.get_by_role("cell", name="Acme production key", exact=True)).to_be_visible()
    credential = Credential.objects.get(name="Acme production key")
    assert crypto.decrypt(credential.secret_data) == {"value": key}
    assert leaked(sources, key) == []


def test_a_connections_credentials_are_reordered_and_saved(operator_page):
    page = operator_page
    api = get_client()
    connector = make_connector(api, configs=[api_key_config()])
    config = connector.auth_scheme_configs[0]
    connection = make_connection(
        api,
        connector,
        action=[string_credential(config, "first"), string_credential(config, "second")],
    )

    page.goto(f"/connectors/{connector.id}/connections/{connection.id}/edit/")
    page.get_by_role("button", name="Move “second” up").click()

    expect(page.locator(".link-row").first).to_contain_text("second")
    page.get_by_label("Name", exact=True).fill("live")
    page.get_by_role("button", name="Save changes").click()

    expect(page.get_by_role("heading", name="live")).to_be_visible()
    saved = api.connections.get(connector.id, connection.id)
    assert [link.credential.name for link in saved.credentials.action] == ["second", "first"]
