"""The Auth schemes tab: the list with the API's validation messages, reordering with
keyboard-usable buttons, and deleting with the contract's warning."""

import pytest

from dashboard.connect.models import (
    AuthSchemeConfigHMAC,
    ConnectionCreate,
    ConnectionCredentialCreate,
    ConnectionCredentialsCreate,
    CredentialCreate,
    CredentialDataString,
)
from tests.connections.conftest import api_key_config, htmx, make_connector, oauth2_config, secret

pytestmark = pytest.mark.django_db


def tab(connector) -> str:
    return f"/connectors/{connector.id}/auth-schemes/"


def move(client, connector, config, direction: str, **headers):
    return client.post(
        f"{tab(connector)}{config.id}/move/",
        {"direction": direction, "updated_at": connector.updated_at.isoformat()},
        headers=headers,
    )


def ids(api, connector) -> list[str]:
    return [config.id for config in api.connectors.get(connector.id).auth_scheme_configs]


def test_the_tab_lists_each_config_with_its_type_settings_and_the_apis_messages(operator, api):
    hmac = AuthSchemeConfigHMAC(
        id=api_key_config().id, name="X-Sig", in_="header", algorithm="sha1", digest_inputs=[]
    )
    connector = make_connector(
        api,
        configs=[api_key_config(description="Production key", in_="query"), oauth2_config(), hmac],
    )

    html = operator.get(tab(connector)).text

    assert "1. API key" in html and "Production key" in html
    copy = '<button type="button" class="copy-button" data-copy="X-API-Key"'
    assert f"sent as <code>X-API-Key</code> {copy}" in html
    assert 'aria-label="Copy key name" title="Copy key name">Copy</button>\n in the query' in html
    assert "2. OAuth 2.0" in html and "<code>https://provider.test/token</code>" in html
    assert "<code>read</code> — Read things" in html
    assert "3. HMAC signature" in html
    # The API's validation messages, with their severity.
    assert "Info:</strong> The API key is sent in the query string" in html
    assert "Error:</strong> No digest inputs are selected" in html
    assert "Warning:</strong> SHA-1 is weak" in html
    assert 'aria-current="page">Auth schemes' in html


def test_a_viewer_sees_the_list_without_controls(client_as, api):
    connector = make_connector(api, configs=[api_key_config(), api_key_config(name="X-Two")])

    html = client_as("viewer").get(tab(connector)).text

    assert "X-Two" in html
    assert "Add auth scheme" not in html
    assert "Move" not in html and "Delete&hellip;" not in html


def test_the_first_config_moves_down_and_the_order_is_saved(operator, api):
    connector = make_connector(api, configs=[api_key_config(name="A"), api_key_config(name="B")])
    first, second = connector.auth_scheme_configs

    response = move(operator, connector, first, "down")

    assert response.status_code == 302
    assert ids(api, connector) == [second.id, first.id]


def test_an_htmx_move_answers_with_the_list_focused_on_the_moved_configs_button(operator, api):
    connector = make_connector(
        api, configs=[api_key_config(name="A"), api_key_config(name="B"), api_key_config(name="C")]
    )
    first, second, third = connector.auth_scheme_configs

    response = move(operator, connector, third, "up", **htmx("auth-scheme-list"))

    assert response.status_code == 200
    assert "<html" not in response.text
    assert ids(api, connector) == [first.id, third.id, second.id]
    moved = response.text.split(f'id="scheme-{third.id}"')[1].split("</form>")[0]
    assert 'value="up" aria-label="Move 2. API key Key up" autofocus' in moved
    assert "Moved to position 2 of 3." in response.text
    # The list carries the connector's new updatedAt, so the next move is not stale.
    assert api.connectors.get(connector.id).updated_at.isoformat() in response.text


def test_the_buttons_that_cannot_move_are_disabled(operator, api):
    connector = make_connector(api, configs=[api_key_config(name="A"), api_key_config(name="B")])

    html = operator.get(tab(connector)).text

    first, second = html.split('class="scheme panel"')[1:3]
    assert 'value="up" aria-label="Move 1. API key Key up" disabled' in first
    assert 'value="down" aria-label="Move 2. API key Key down" disabled' in second


def test_a_move_from_a_stale_page_moves_nothing_and_shows_the_current_order(operator, api):
    connector = make_connector(api, configs=[api_key_config(name="A"), api_key_config(name="B")])
    first, second = connector.auth_scheme_configs
    api.auth_scheme_configs.upsert(connector.id, api_key_config(name="C"))  # someone else

    response = move(operator, connector, first, "down", **htmx("auth-scheme-list"))

    assert response.status_code == 422
    assert (
        "The connector changed since you loaded this page, so nothing was moved." in response.text
    )
    assert ids(api, connector)[:2] == [first.id, second.id]
    assert "C</code>" in response.text  # the list as it is now


def test_a_damaged_move_is_refused_readably(operator, api):
    connector = make_connector(api, configs=[api_key_config(), api_key_config(name="B")])

    response = operator.post(
        f"{tab(connector)}{connector.auth_scheme_configs[0].id}/move/",
        {"direction": "sideways", "updated_at": "yesterday"},
        headers=htmx("auth-scheme-list"),
    )

    assert response.status_code == 422
    assert "That move could not be made." in response.text


def test_the_delete_page_warns_about_refreshable_credentials_and_names_the_users(operator, api):
    config = api_key_config()
    connector = make_connector(api, configs=[config])
    api.connections.create(
        connector.id,
        ConnectionCreate(
            name="production",
            credentials=ConnectionCredentialsCreate(
                action=[
                    ConnectionCredentialCreate(
                        auth_scheme_config=connector.auth_scheme_configs[0],
                        credential=CredentialCreate(
                            name="key", type="string", data=CredentialDataString(value=secret("k"))
                        ),
                    )
                ]
            ),
        ),
    )

    html = operator.get(f"{tab(connector)}{config.id}/delete/").text

    assert (
        "refreshable credentials made through it (OAuth 2.0 tokens, custom functions) can no "
        "longer refresh and become invalid after their next expiry" in html
    )
    assert ">production</a>" in html


def test_deleting_a_config_removes_it(operator, api):
    connector = make_connector(api, configs=[api_key_config(), api_key_config(name="B")])
    doomed = connector.auth_scheme_configs[0]

    response = operator.post(f"{tab(connector)}{doomed.id}/delete/")

    assert response.status_code == 302
    assert ids(api, connector) == [connector.auth_scheme_configs[1].id]
    assert "API key auth scheme deleted." in operator.get(response["Location"]).text
