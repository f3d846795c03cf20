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
from tests.html import hrefs, one, parse, text, texts

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

    doc = parse(operator.get(tab(connector)))

    key, oauth, signed = doc.select("li.scheme")
    assert texts(doc, ".scheme__title") == [
        "1. API key · Production key",
        "2. OAuth 2.0 · Acme sign-in",
        "3. HMAC signature",
    ]
    fact = one(key, "p:has(> code)")
    assert text(fact) == "The key is sent as X-API-Key Copy in the query."
    assert text(one(fact, "code")) == "X-API-Key"
    copy = one(fact, "button.copy-button")
    assert (copy["data-copy"], copy["aria-label"]) == ("X-API-Key", "Copy key name")
    assert "https://provider.test/token" in texts(oauth, "dd > code")
    assert text(one(oauth, "dd li:has(> code)")).startswith("read — Read things")
    # The API's validation messages, with their severity.
    messages = texts(doc, "li.message")
    assert any(m.startswith("Info: The API key is sent in the query string") for m in messages)
    assert any(m.startswith("Error: No digest inputs are selected") for m in messages)
    assert any(m.startswith("Warning: SHA-1 is weak") for m in messages)
    assert texts(signed, "li.message strong") == ["Error:", "Warning:"]
    assert texts(doc, '.tabs [aria-current="page"]') == ["Auth schemes 3"]


def test_a_viewer_sees_the_list_without_controls(client_as, api):
    connector = make_connector(api, configs=[api_key_config(), api_key_config(name="X-Two")])

    doc = parse(client_as("viewer").get(tab(connector)))

    assert "X-Two" in texts(doc, "li.scheme code")
    assert "Add auth scheme" not in text(doc)
    assert doc.select(".scheme__actions, button[name=direction]") == []
    assert "Delete…" not in text(doc)


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
    doc = parse(response)
    assert doc.select("html, body, h1") == []
    assert ids(api, connector) == [first.id, third.id, second.id]
    up = one(doc, f"#scheme-{third.id} button[value=up]")
    assert up["aria-label"] == "Move 2. API key Key up"
    assert up.has_attr("autofocus")
    assert [b for b in doc.select("button") if b.has_attr("autofocus")] == [up]
    assert text(one(doc, "[role=status]")) == "Moved to position 2 of 3."
    # The list carries the connector's new updatedAt, so the next move is not stale.
    updated_at = api.connectors.get(connector.id).updated_at.isoformat()
    assert {node["value"] for node in doc.select("input[name=updated_at]")} == {updated_at}


def test_the_buttons_that_cannot_move_are_disabled(operator, api):
    connector = make_connector(api, configs=[api_key_config(name="A"), api_key_config(name="B")])

    doc = parse(operator.get(tab(connector)))

    first, second = doc.select("li.scheme")
    up, down = one(first, "button[value=up]"), one(second, "button[value=down]")
    assert (up["aria-label"], up.has_attr("disabled")) == ("Move 1. API key Key up", True)
    assert (down["aria-label"], down.has_attr("disabled")) == ("Move 2. API key Key down", True)
    assert not one(first, "button[value=down]").has_attr("disabled")


def test_a_move_from_a_stale_page_moves_nothing_and_shows_the_current_order(operator, api):
    connector = make_connector(api, configs=[api_key_config(name="A"), api_key_config(name="B")])
    first, second = connector.auth_scheme_configs
    api.auth_scheme_configs.upsert(connector.id, api_key_config(name="C"))  # someone else

    response = move(operator, connector, first, "down", **htmx("auth-scheme-list"))

    assert response.status_code == 422
    doc = parse(response)
    assert text(one(doc, "[role=alert] strong")) == (
        "The connector changed since you loaded this page, so nothing was moved."
    )
    assert ids(api, connector)[:2] == [first.id, second.id]
    assert texts(doc, "li.scheme p > code") == ["A", "B", "C"]  # the list as it is now


def test_a_damaged_move_is_refused_readably(operator, api):
    connector = make_connector(api, configs=[api_key_config(), api_key_config(name="B")])

    response = operator.post(
        f"{tab(connector)}{connector.auth_scheme_configs[0].id}/move/",
        {"direction": "sideways", "updated_at": "yesterday"},
        headers=htmx("auth-scheme-list"),
    )

    assert response.status_code == 422
    assert text(one(parse(response), "[role=alert]")).startswith("That move could not be made.")


def test_the_delete_page_warns_about_refreshable_credentials_and_names_the_users(operator, api):
    config = api_key_config()
    connector = make_connector(api, configs=[config])
    connection = api.connections.create(
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

    doc = parse(operator.get(f"{tab(connector)}{config.id}/delete/"))

    assert (
        "refreshable credentials made through it (OAuth 2.0 tokens, custom functions) can no "
        "longer refresh and become invalid after their next expiry"
    ) in text(one(doc, ".warning[role=note]"))
    assert texts(doc, ".panel--danger ul li a") == ["production"]
    assert f"/connectors/{connector.id}/connections/{connection.id}/" in hrefs(doc)


def test_deleting_a_config_removes_it(operator, api):
    connector = make_connector(api, configs=[api_key_config(), api_key_config(name="B")])
    doomed = connector.auth_scheme_configs[0]

    response = operator.post(f"{tab(connector)}{doomed.id}/delete/")

    assert response.status_code == 302
    assert ids(api, connector) == [connector.auth_scheme_configs[1].id]
    assert texts(parse(operator.get(response["Location"])), ".toast__message") == [
        "API key auth scheme deleted."
    ]
