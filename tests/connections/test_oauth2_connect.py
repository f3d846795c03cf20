"""OAuth 2.0 authorization code: "Connect" sends the browser to the provider through
InitialiseOAuth2Connection, and the API's callback lands back on the connection. The whole
round trip runs against a provider on 127.0.0.1 (the browser's part played by hand here;
tests/e2e/test_oauth.py drives a real browser)."""

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from dashboard.embedded_api import crypto
from dashboard.embedded_api.models import Credential
from tests.connections.conftest import make_connection, make_connector, oauth2_config
from tests.html import one, parse, text, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(api, provider):
    connector = make_connector(api, configs=[oauth2_config(provider)])
    connection = make_connection(api, connector)
    return connector, connection, connector.auth_scheme_configs[0]


def detail(connector, connection) -> str:
    return f"/connectors/{connector.id}/connections/{connection.id}/"


def connect(client, connector, connection, config):
    return client.post(f"{detail(connector, connection)}oauth2/{config.id}/connect/")


def sign_in(client, location: str):
    """The browser's part: the provider's authorize page, then the API's callback."""
    at_provider = httpx.get(location, follow_redirects=False)
    assert at_provider.status_code == 302
    callback = urlsplit(at_provider.headers["location"])
    return client.get(f"{callback.path}?{callback.query}")


def test_the_connection_page_offers_connect_and_lets_its_form_reach_the_provider(
    operator, setup, provider
):
    connector, connection, config = setup

    response = operator.get(detail(connector, connection))

    signin = one(parse(response), "li.signin")
    assert text(signin.p) == "Acme sign-in : not connected yet."
    form = one(signin, "form")
    assert form["action"] == f"{detail(connector, connection)}oauth2/{config.id}/connect/"
    button = one(form, "button[type=submit]")
    assert text(button) == "Connect with Acme sign-in"
    assert text(one(button, ".visually-hidden")) == "with Acme sign-in"
    form_action = response["Content-Security-Policy"].split("form-action")[1].split(";")[0]
    assert "'self'" in form_action and provider.url in form_action


def test_connect_sends_the_browser_to_the_providers_authorize_url(operator, setup, provider):
    connector, connection, config = setup

    response = connect(operator, connector, connection, config)

    assert response.status_code == 303
    location = response["Location"]
    assert location.startswith(provider.authorize_url + "?")
    params = {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}
    assert params["client_id"] == provider.client_id
    assert params["response_type"] == "code"
    assert params["redirect_uri"].endswith("/api/connect/v1/oauth2/callback")
    assert params["scope"] == "read offline_access"
    assert params["state"]


def test_the_round_trip_stores_the_token_and_lands_back_on_the_connection(
    operator, api, setup, provider
):
    connector, connection, config = setup

    back = sign_in(operator, connect(operator, connector, connection, config)["Location"])

    assert back.status_code == 302
    assert back["Location"] == f"{detail(connector, connection)}?oauth2=connected"
    doc = parse(operator.get(back["Location"]))
    assert texts(doc, ".outcome--success[role=status] p") == [
        "Connected: the provider issued a token and it is stored."
    ]
    assert text(one(doc, "li.signin button")) == "Re-authorise with Acme sign-in"
    (link,) = api.connections.get(connector.id, connection.id).credentials.action
    assert link.credential.type == "oauth2-token"
    stored = crypto.decrypt(Credential.objects.get(pk=link.credential.id).secret_data)
    assert stored["accessToken"] == provider.access_token
    assert provider.token_requests[0]["grant_type"] == "authorization_code"


def test_re_authorising_rotates_the_same_token_credential(operator, api, setup, provider):
    connector, connection, config = setup
    sign_in(operator, connect(operator, connector, connection, config)["Location"])
    (first,) = api.connections.get(connector.id, connection.id).credentials.action

    sign_in(operator, connect(operator, connector, connection, config)["Location"])

    (again,) = api.connections.get(connector.id, connection.id).credentials.action
    assert again.credential.id == first.credential.id
    assert again.credential.updated_at > first.credential.updated_at


def test_a_refusal_at_the_provider_is_explained_on_the_connection(operator, api, setup, provider):
    connector, connection, config = setup
    provider.deny_with = "access_denied"

    back = sign_in(operator, connect(operator, connector, connection, config)["Location"])

    assert back["Location"] == f"{detail(connector, connection)}?oauth2_error=access_denied"
    doc = parse(operator.get(back["Location"]))
    assert texts(doc, ".outcome[role=alert] p") == [
        "The sign-in was cancelled or refused at the provider."
    ]
    assert api.connections.get(connector.id, connection.id).credentials.action == []


def test_an_unknown_error_code_is_shown_as_a_code_not_as_markup(operator, setup):
    connector, connection, _ = setup

    doc = parse(operator.get(f"{detail(connector, connection)}?oauth2_error=<b>odd</b>"))

    outcome = one(doc, ".outcome[role=alert]")
    assert text(outcome) == "The sign-in failed (<b>odd</b>)."
    assert outcome.select("b") == []  # the code as text, not as markup


def test_a_scheme_without_a_stored_client_cannot_connect(operator, api):
    connector = make_connector(api, configs=[oauth2_config()])  # no client ID or secret
    connection = make_connection(api, connector)
    config = connector.auth_scheme_configs[0]

    signin = one(parse(operator.get(detail(connector, connection))), "li.signin")
    assert text(one(signin, "p.muted")).startswith("No client is stored for this auth scheme")
    assert signin.select("form") == []

    response = connect(operator, connector, connection, config)
    assert response.status_code == 302
    [toast] = texts(parse(operator.get(response["Location"])), ".toast--error .toast__message")
    assert "add its client ID and secret" in toast


def test_connect_is_only_for_oauth2_sign_in_schemes(operator, api):
    connector = make_connector(api)
    connection = make_connection(api, connector)

    response = connect(operator, connector, connection, connector.auth_scheme_configs[0])

    assert response.status_code == 404


def test_a_viewer_cannot_start_a_sign_in(client_as, setup):
    connector, connection, config = setup

    assert connect(client_as("viewer"), connector, connection, config).status_code == 403
