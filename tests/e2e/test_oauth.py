"""In a browser: the OAuth 2.0 authorization code round trip. "Connect" on a connection sends
the browser to a provider on 127.0.0.1, which sends it back through the embedded API's
callback to the connection's page; the tokens never reach a page's source."""

import re

import pytest
from playwright.sync_api import expect

from dashboard.connect import get_client
from dashboard.embedded_api import crypto
from dashboard.embedded_api.models import Credential
from tests.connections.browser_support import leaked, record_sources
from tests.connections.conftest import make_connection, make_connector, oauth2_config, secret
from tests.connections.oauth_provider import Provider, ProviderServer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("encryption_key")]


@pytest.fixture
def provider(settings, live_server):
    settings.EMBEDDED_API_PUBLIC_URL = f"{live_server.url}/api/connect/v1"
    with ProviderServer(
        Provider(
            client_id="patchbay-client",
            client_secret=secret("client-secret"),
            access_token=secret("access-token"),
            refresh_token=secret("refresh-token"),
        )
    ) as running:
        yield running


@pytest.fixture
def connection(provider):
    api = get_client()
    connector = make_connector(api, "Acme CRM", configs=[oauth2_config(provider)])
    return connector, make_connection(api, connector)


def test_connect_completes_the_round_trip_and_lands_back_on_the_connection(
    operator_page, provider, connection
):
    page = operator_page
    connector, made = connection
    sources = record_sources(page)
    at_provider = []
    page.on(
        "request",
        lambda request: (
            at_provider.append(request.url)
            if request.url.startswith(provider.authorize_url)
            else None
        ),
    )

    page.goto(f"/connectors/{connector.id}/connections/{made.id}/")
    expect(page.get_by_text("not connected yet")).to_be_visible()
    page.get_by_role("button", name=re.compile("^Connect")).click()

    expect(page).to_have_url(f"/connectors/{connector.id}/connections/{made.id}/?oauth2=connected")
    expect(
        page.get_by_text("Connected: the provider issued a token and it is stored.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Re-authorise")).to_be_visible()
    expect(page.get_by_role("cell", name="OAuth 2.0 token")).to_be_visible()
    assert len(at_provider) == 1 and "state=" in at_provider[0]
    (token,) = Credential.objects.filter(type="oauth2-token")
    assert crypto.decrypt(token.secret_data)["accessToken"] == provider.access_token

    page.get_by_role("button", name="Re-authorise").click()
    expect(page).to_have_url(f"/connectors/{connector.id}/connections/{made.id}/?oauth2=connected")
    assert len(at_provider) == 2
    assert Credential.objects.filter(type="oauth2-token").count() == 1
    assert (
        leaked(sources, provider.client_secret, provider.access_token, provider.refresh_token) == []
    )


def test_a_sign_in_refused_at_the_provider_is_explained(operator_page, provider, connection):
    page = operator_page
    connector, made = connection
    provider.deny_with = "access_denied"

    page.goto(f"/connectors/{connector.id}/connections/{made.id}/")
    page.get_by_role("button", name=re.compile("^Connect")).click()

    expect(page.get_by_role("alert").filter(has_text="cancelled or refused")).to_be_visible()
    expect(page.get_by_text("not connected yet")).to_be_visible()
