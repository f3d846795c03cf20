"""OAuth 2.0 authorization_code: InitialiseOAuth2Connection, then the round trip through the
callback against a token endpoint on loopback."""

import base64
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.db import transaction

from dashboard.embedded_api import crypto
from dashboard.embedded_api.connections import oauth2
from dashboard.embedded_api.models import Connector, Credential
from tests.embedded_api.connections_support import (
    config,
    make_connector,
    secret,
    serve_token_endpoint,
)
from tests.embedded_api.connector_bodies import http_connector
from tests.in_process import BASE_URL, in_process_client

API_ROOT = "/api/connect/v1"
RETURN = "/connectors/acme/connections/production"
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # a frozen clock's time


@pytest.fixture
def token_endpoint(settings):
    settings.OUTBOUND_ALLOW_LOOPBACK = True  # the endpoint is on 127.0.0.1
    endpoint, server = serve_token_endpoint()
    endpoint.body = {
        "access_token": secret("access"),
        "refresh_token": secret("refresh"),
        "token_type": "Bearer",
        "expires_in": 3600,
    }
    yield endpoint
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def public_url(settings):
    settings.EMBEDDED_API_PUBLIC_URL = BASE_URL + API_ROOT


@pytest.fixture
def browser():
    """The user's browser: no API key, does not follow redirects by itself."""
    with in_process_client() as client:
        yield client


class Setup:
    def __init__(self, api, token_url: str):
        self.client_secret = secret("client-secret")
        self.client = api.post(
            f"{api.o}/credentials",
            json={
                "name": "Acme OAuth client",
                "type": "oauth2-client",
                "data": {
                    "clientId": "client-1",
                    "clientSecret": self.client_secret,
                    "authorizeUrl": "https://provider.test/authorize",
                    "tokenUrl": token_url,
                },
            },
        ).json()
        grant = {
            "grantType": "authorization_code",
            "clientId": "client-1",
            "credentialId": self.client["id"],
            "organisationId": api.org,
        }
        self.config = config(
            "oauth2",
            description="Acme login",
            tokenUrl=token_url,
            grant=grant,
            additionalTokenParams="audience=acme",
        )
        self.connector = make_connector(api.org, self.config)
        self.connection = api.post(
            f"{api.o}/connectors/{self.connector.id}/connections",
            json={"name": "production", "credentials": {}, "variables": []},
        ).json()
        self.api = api

    def initialise(self, **changes) -> httpx.Response:
        body = {
            "credential": {"id": self.client["id"], "organisationId": self.api.org},
            "authorizeUrl": "https://provider.test/authorize",
            "clientId": "client-1",
            "scopes": ["read"],
            "connectionId": self.connection["id"],
            "returnUrl": RETURN,
            **changes,
        }
        body = {key: value for key, value in body.items() if value is not None}
        return self.api.post(
            f"{self.api.o}/connectors/{self.connector.id}/oauth2/initialise", json=body
        )

    def params(self, **changes) -> dict:
        response = self.initialise(**changes)
        assert response.status_code == 200, response.text
        return {k: v[0] for k, v in parse_qs(urlsplit(response.json()["url"]).query).items()}

    def connection_now(self) -> dict:
        path = f"{self.api.o}/connectors/{self.connector.id}/connections/{self.connection['id']}"
        return self.api.get(path).json()


@pytest.fixture
def setup(api, token_endpoint):
    return Setup(api, token_endpoint.url)


def _callback(browser, **params) -> httpx.Response:
    return browser.get(f"{API_ROOT}/oauth2/callback", params=params)


# --- initialise ----------------------------------------------------------------------------


def test_initialise_returns_the_provider_url_with_the_standard_parameters(setup):
    url = setup.initialise().json()["url"]

    parts = urlsplit(url)
    params = parse_qs(parts.query)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://provider.test/authorize"
    assert params["client_id"] == ["client-1"]
    assert params["redirect_uri"] == [f"{BASE_URL}{API_ROOT}/oauth2/callback"]
    assert params["response_type"] == ["code"]
    assert params["scope"] == ["read offline_access"]
    assert params["prompt"] == ["login"]
    assert oauth2.read_state(params["state"][0]).connection_id == setup.connection["id"]


def test_offline_access_can_be_left_out(setup):
    assert setup.params(disableOfflineAccess=True)["scope"] == "read"


def test_without_scopes_the_configs_default_scopes_are_asked_for(setup):
    assert setup.params(scopes=None)["scope"] == "read offline_access"


def test_a_prompt_is_passed_on_with_plus_meaning_space(setup):
    assert setup.params(prompt="consent+select_account")["prompt"] == "consent select_account"


def test_approval_prompt_in_additional_params_means_no_default_prompt(setup):
    params = setup.params(additionalParams="approval_prompt=force&access_type=offline")

    assert "prompt" not in params
    assert params["approval_prompt"] == "force"
    assert params["access_type"] == "offline"


def test_the_authorize_urls_own_query_is_kept(setup):
    assert (
        setup.params(authorizeUrl="https://provider.test/authorize?tenant=acme")["tenant"] == "acme"
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"additionalParams": "state=mine"}, "additionalParams"),
        ({"additionalParams": "redirect_uri=https://evil.test"}, "additionalParams"),
        ({"clientId": "someone-else"}, "clientId"),
        ({"authorizeUrl": "javascript:alert(1)"}, "authorizeUrl"),
        ({"returnUrl": "https://evil.test/"}, "returnUrl"),
        ({"returnUrl": "//evil.test/"}, "returnUrl"),
        ({"returnUrl": "/\\evil.test/"}, "returnUrl"),
        ({"returnUrl": "connectors"}, "returnUrl"),
        ({"returnUrl": "/ok\r\nSet-Cookie: x=y"}, "returnUrl"),
        ({"connectionId": "01JAAAAAAAAAAAAAAAAAAAAAAA"}, "connectionId"),
        ({"authSchemeConfigId": "01JAAAAAAAAAAAAAAAAAAAAAAA"}, "authSchemeConfigId"),
        (
            {"credential": {"id": "01JAAAAAAAAAAAAAAAAAAAAAAA", "organisationId": "x"}},
            "credential.organisationId",
        ),
        ({"credential": None}, "credential"),
    ],
)
def test_initialise_refuses_bad_input_field_by_field(setup, changes, field):
    response = setup.initialise(**changes)

    assert response.status_code == 400
    assert field in [item["field"] for item in response.json()["fields"]]


def test_an_unknown_client_credential_is_refused(api, setup):
    response = setup.initialise(
        credential={"id": "01JAAAAAAAAAAAAAAAAAAAAAAA", "organisationId": api.org}
    )

    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "credential.id"


def test_another_organisations_client_credential_cannot_be_used(api, other_api, setup):
    theirs = other_api.post(
        f"{other_api.o}/credentials",
        json={
            "name": "their client",
            "type": "oauth2-client",
            "data": {
                "clientId": "client-1",
                "clientSecret": secret("theirs"),
                "authorizeUrl": "",
                "tokenUrl": "https://p.test/t",
            },
        },
    ).json()

    response = setup.initialise(credential={"id": theirs["id"], "organisationId": other_api.org})

    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "credential.organisationId"


def test_a_credential_that_is_not_an_oauth2_client_is_refused(api, setup):
    key = api.post(
        f"{api.o}/credentials", json={"name": "k", "type": "string", "data": {"value": "v"}}
    ).json()

    response = setup.initialise(credential={"id": key["id"], "organisationId": api.org})

    assert response.status_code == 400


def test_a_connector_without_an_oauth2_config_cannot_initialise(api):
    connector = make_connector(api.org, config("api-key"))

    response = api.post(
        f"{api.o}/connectors/{connector.id}/oauth2/initialise",
        json={
            "credential": {"id": "01JAAAAAAAAAAAAAAAAAAAAAAA", "organisationId": api.org},
            "authorizeUrl": "https://p.test/a",
            "clientId": "c",
        },
    )

    assert response.status_code == 400
    assert "authorization_code" in response.json()["message"]


def test_with_several_oauth2_configs_the_config_must_be_named(api, setup):
    second = config("oauth2", grant={"grantType": "authorization_code"})
    connector = make_connector(api.org, setup.config, second, name="Two logins")

    response = api.post(
        f"{api.o}/connectors/{connector.id}/oauth2/initialise",
        json={
            "credential": {"id": setup.client["id"], "organisationId": api.org},
            "authorizeUrl": "https://p.test/a",
            "clientId": "client-1",
        },
    )

    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "authSchemeConfigId"


# --- the round trip ------------------------------------------------------------------------


def test_the_round_trip_stores_an_oauth2_token_on_the_connection(
    setup, browser, token_endpoint, time_machine
):
    time_machine.move_to(NOON, tick=False)
    state = setup.params()["state"]

    # The provider sends the browser back with a code.
    response = _callback(browser, code="the-code", state=state)

    assert response.status_code == 302
    assert response.headers["location"] == f"{RETURN}?oauth2=connected"
    [sent] = token_endpoint.requests
    assert sent["form"] == {
        "audience": "acme",
        "grant_type": "authorization_code",
        "code": "the-code",
        "redirect_uri": f"{BASE_URL}{API_ROOT}/oauth2/callback",
    }
    expected_auth = base64.b64encode(f"client-1:{setup.client_secret}".encode()).decode()
    assert sent["headers"]["Authorization"] == f"Basic {expected_auth}"
    [link] = setup.connection_now()["credentials"]["action"]
    assert link["authSchemeConfig"]["id"] == setup.config["id"]
    token = link["credential"]
    assert token["type"] == "oauth2-token"
    assert token["data"] == {"scopes": ["read", "offline_access"]}
    # The token endpoint's expires_in (3600 s), from when it answered.
    assert datetime.fromisoformat(token["expiresAt"]) == NOON + timedelta(hours=1)
    stored = crypto.decrypt(Credential.objects.get(pk=token["id"]).secret_data)
    assert stored == {
        "accessToken": token_endpoint.body["access_token"],
        "refreshToken": token_endpoint.body["refresh_token"],
    }


def test_the_scopes_the_provider_granted_are_recorded(setup, browser, token_endpoint):
    token_endpoint.body["scope"] = "read profile"

    _callback(browser, code="c", state=setup.params()["state"])

    assert setup.connection_now()["credentials"]["action"][0]["credential"]["data"] == {
        "scopes": ["read", "profile"]
    }


def test_re_authorising_rotates_the_same_credential_and_keeps_the_refresh_token(
    setup, browser, token_endpoint
):
    _callback(browser, code="first", state=setup.params()["state"])
    first = setup.connection_now()["credentials"]["action"][0]["credential"]
    refresh = token_endpoint.body["refresh_token"]
    token_endpoint.body = {"access_token": secret("second-access"), "expires_in": 60}

    _callback(browser, code="second", state=setup.params()["state"])

    [link] = setup.connection_now()["credentials"]["action"]
    assert link["credential"]["id"] == first["id"]
    stored = crypto.decrypt(Credential.objects.get(pk=first["id"]).secret_data)
    assert stored == {"accessToken": token_endpoint.body["access_token"], "refreshToken": refresh}


def test_a_refusal_by_the_provider_goes_back_with_its_error_code(setup, browser, token_endpoint):
    response = _callback(
        browser, error="access_denied", error_description="no", state=setup.params()["state"]
    )

    assert response.headers["location"] == f"{RETURN}?oauth2_error=access_denied"
    assert token_endpoint.requests == []
    assert setup.connection_now()["credentials"]["action"] == []


def test_a_refused_code_goes_back_with_the_error_and_marks_the_existing_token(
    setup, browser, token_endpoint
):
    _callback(browser, code="good", state=setup.params()["state"])
    token_endpoint.status, token_endpoint.body = (
        400,
        {"error": "invalid_grant", "error_description": "expired"},
    )

    response = _callback(browser, code="stale", state=setup.params()["state"])

    assert response.headers["location"] == f"{RETURN}?oauth2_error=invalid_grant"
    credential = setup.connection_now()["credentials"]["action"][0]["credential"]
    assert credential["errors"] == ["OAuth 2.0 re-authorisation failed: invalid_grant"]


def test_an_unreachable_token_endpoint_goes_back_with_an_error(api, setup, browser, token_endpoint):
    token_endpoint.url = "http://127.0.0.1:9/token"
    setup.connector.auth_scheme_configs.update(
        config={**setup.config, "tokenUrl": token_endpoint.url}
    )

    response = _callback(browser, code="c", state=setup.params()["state"])

    assert response.headers["location"] == f"{RETURN}?oauth2_error=token_endpoint_unreachable"


@pytest.mark.parametrize(
    "token_url",
    [
        "http://127.0.0.1:{port}/token",
        "http://[::ffff:127.0.0.1]:{port}/token",
        "http://[::127.0.0.1]:{port}/token",
    ],
)  # loopback only: were the check to fail, nothing may leave the machine (the full list of
#    refused addresses is checked without connecting in tests/test_outbound.py)
def test_a_token_url_that_is_not_public_is_refused_without_connecting(
    api, setup, browser, token_endpoint, settings, token_url
):
    settings.OUTBOUND_ALLOW_LOOPBACK = False
    port = token_endpoint.url.split(":")[2].split("/")[0]
    setup.connector.auth_scheme_configs.update(
        config={**setup.config, "tokenUrl": token_url.format(port=port)}
    )

    response = _callback(browser, code="c", state=setup.params()["state"])

    assert response.headers["location"] == f"{RETURN}?oauth2_error=token_endpoint_not_allowed"
    assert token_endpoint.requests == []  # the client's credentials were sent nowhere


def test_the_token_exchange_follows_no_redirect(api, setup, browser, token_endpoint):
    token_endpoint.status = 307
    token_endpoint.body = {}

    response = _callback(browser, code="c", state=setup.params()["state"])

    assert response.headers["location"] == f"{RETURN}?oauth2_error=token_exchange_failed"
    assert len(token_endpoint.requests) == 1


def test_a_forged_state_is_refused_without_a_redirect(setup, browser, token_endpoint):
    state = setup.params()["state"]

    response = _callback(browser, code="c", state=state[:-2] + "xx")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_state"
    assert token_endpoint.requests == []


def test_a_missing_state_is_refused(browser):
    response = _callback(browser, code="c")

    assert response.status_code == 400


def test_an_expired_state_goes_back_with_an_error(setup, browser, token_endpoint, time_machine):
    time_machine.move_to(NOON, tick=False)
    state = setup.params()["state"]
    time_machine.shift(oauth2.STATE_MAX_AGE + timedelta(minutes=1))

    response = _callback(browser, code="c", state=state)

    assert response.headers["location"] == f"{RETURN}?oauth2_error=expired_state"
    assert token_endpoint.requests == []


def test_the_callback_only_answers_get(browser):
    response = browser.post(f"{API_ROOT}/oauth2/callback")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


# --- without a connection: the oauth2-code credential --------------------------------------


def test_without_a_connection_the_code_goes_to_the_return_page_which_creates_one(
    setup, browser, api, token_endpoint
):
    state = setup.params(connectionId=None)["state"]

    response = _callback(browser, code="the-code", state=state)

    location = urlsplit(response.headers["location"])
    handed_on = parse_qs(location.query)
    assert location.path == RETURN
    assert handed_on["code"] == ["the-code"] and handed_on["state"] == [state]
    created = _create_with_code(api, setup, "staging", code="the-code", state=state)
    assert created.status_code == 200
    token = created.json()["credentials"]["action"][0]["credential"]
    assert token["type"] == "oauth2-token"
    assert token["data"] == {"scopes": ["read", "offline_access"]}
    assert token_endpoint.requests[0]["form"]["code"] == "the-code"


# Outside a test transaction, so that `in_atomic_block` sees only the view's own.
@pytest.mark.django_db(transaction=True)
def test_the_code_is_exchanged_before_the_connection_is_created_in_a_transaction(
    setup, api, token_endpoint, monkeypatch
):
    # A token endpoint may take seconds: no database transaction (and its lock) may wait on it.
    in_transaction = []
    exchange = oauth2.exchange_code

    def watched(**kwargs):
        in_transaction.append(transaction.get_connection().in_atomic_block)
        return exchange(**kwargs)

    monkeypatch.setattr(oauth2, "exchange_code", watched)
    state = setup.params(connectionId=None)["state"]

    created = _create_with_code(api, setup, "staging", code="the-code", state=state)

    assert created.status_code == 200, created.text
    assert in_transaction == [False]
    assert created.json()["credentials"]["action"][0]["credential"]["type"] == "oauth2-token"


def test_a_taken_name_is_refused_before_the_code_is_spent(setup, api, token_endpoint):
    state = setup.params(connectionId=None)["state"]

    taken = _create_with_code(api, setup, setup.connection["name"], code="c", state=state)

    assert taken.status_code == 409
    assert token_endpoint.requests == []


def _create_with_code(api, setup, name: str, *, code: str, state: str) -> httpx.Response:
    return api.post(
        f"{api.o}/connectors/{setup.connector.id}/connections",
        json=_connection_with_code(setup, name, code=code, state=state),
    )


def _connection_with_code(setup, name: str, *, code: str, state: str) -> dict:
    """A CreateConnection body whose action credential is an `oauth2-code`."""
    return {
        "name": name,
        "credentials": {
            "action": [
                {
                    "authSchemeConfig": setup.config,
                    "credential": {
                        "name": "Acme login",
                        "type": "oauth2-code",
                        "data": {"code": code, "state": state},
                    },
                }
            ]
        },
        "variables": [],
    }


def test_an_oauth2_code_with_a_forged_state_is_refused(api, setup, token_endpoint):
    response = _create_with_code(api, setup, "staging", code="c", state="forged")

    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "credentials.action[0].credential.data.state"
    assert token_endpoint.requests == []


def test_an_oauth2_code_the_provider_refuses_creates_nothing(api, setup, token_endpoint):
    state = setup.params(connectionId=None)["state"]
    token_endpoint.status, token_endpoint.body = 400, {"error": "invalid_grant"}

    response = _create_with_code(api, setup, "staging", code="c", state=state)

    assert response.status_code == 400
    assert response.json()["code"] == "oauth2_exchange_failed"
    assert not setup.connector.connections.filter(name="staging").exists()


def test_a_code_given_with_a_new_connector_is_refused_before_any_exchange(
    api, setup, token_endpoint
):
    # States are issued for an existing connector; one being created cannot have any, so its
    # inline codes are refused before the provider is called (inside the create's transaction).
    state = setup.params(connectionId=None)["state"]
    connection = _connection_with_code(setup, "production", code="the-code", state=state)
    body = http_connector(name="Acme 2", authSchemeConfigs=[setup.config], connections=[connection])

    response = api.post(f"{api.o}/protocols/http/connectors", json=body)

    assert response.status_code == 400, response.text
    field = "connections[0].credentials.action[0].credential.data.state"
    assert response.json()["fields"] == [
        {"field": field, "message": "was issued for another connector or config"}
    ]
    assert token_endpoint.requests == []
    assert list(Connector.objects.values_list("name", flat=True)) == [setup.connector.name]
