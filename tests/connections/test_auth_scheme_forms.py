"""Adding and editing auth scheme configs: a form per scheme type, invalid input kept with
errors by the fields, the OAuth 2.0 client secret write-only, API failures readable, and
no save on a stale page."""

import pytest
from pydantic import SecretStr

from dashboard.connect.models import OAuth2GrantAuthorizationCode
from tests.connect.fault_server import respond
from tests.connections.conftest import (
    MARK,
    api_key_config,
    htmx,
    make_connector,
    oauth2_config,
    secret,
)
from tests.html import field_value, one, parse, text, texts

pytestmark = pytest.mark.django_db


def add_url(connector, scheme_type: str) -> str:
    return f"/connectors/{connector.id}/auth-schemes/new/?type={scheme_type}"


def edit_url(connector, config) -> str:
    return f"/connectors/{connector.id}/auth-schemes/{config.id}/edit/"


def loaded(connector) -> dict:
    """What every form carries: the connector's updatedAt when it was loaded."""
    return {"updated_at": connector.updated_at.isoformat()}


def added(api, connector):
    """The config the last add created (configs keep the order they were added in)."""
    return api.connectors.get(connector.id).auth_scheme_configs[-1]


OAUTH2_FORM = {
    "description": "Acme sign-in",
    "grant_type": "authorization_code",
    "authorize_url": "https://id.acme.example/authorize",
    "token_url": "https://id.acme.example/token",
    "scopes": "contacts.read Read contacts\ncontacts.write Change contacts",
    "default_scopes": "contacts.read",
    "additional_authorize_params": "access_type=offline",
    "additional_token_params": "audience=https%3A%2F%2Fapi.acme.example",
    "mtls_enabled": "on",
    "client_id": "acme-client",
}


def test_each_scheme_type_has_its_own_form(operator, api):
    connector = make_connector(api)
    fields = {
        "api-key": ["name", "in_"],
        "basic-auth": [],
        "oauth2": ["grant_type", "authorize_url", "token_url", "scopes", "client_secret"],
        "hmac": ["name", "in_", "algorithm", "digest_inputs"],
        "certificate": [],
        "none": [],
    }
    for scheme_type, names in fields.items():
        form = one(parse(operator.get(add_url(connector, scheme_type))), "#auth-scheme-form")
        for name in ["description", "updated_at", *names]:
            assert form.select(f'[name="{name}"]'), (scheme_type, name)


def test_choosing_a_type_with_htmx_swaps_in_just_its_form(operator, api):
    connector = make_connector(api)

    response = operator.get(add_url(connector, "hmac"), headers=htmx("auth-scheme-form"))

    doc = parse(response)
    assert [node.get("id") for node in doc.find_all(recursive=False)] == ["auth-scheme-form"]
    assert one(doc, '#auth-scheme-form [name="algorithm"]')


def test_an_api_key_scheme_is_added_with_a_ulid_made_by_the_dashboard(operator, api):
    connector = make_connector(api)

    response = operator.post(
        add_url(connector, "api-key"),
        {
            "description": "Production key",
            "name": "X-Acme-Key",
            "in_": "query",
            **loaded(connector),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"/connectors/{connector.id}/auth-schemes/"
    config = added(api, connector)
    assert (config.scheme_type, config.name, config.in_) == ("api-key", "X-Acme-Key", "query")
    assert config.description == "Production key"
    assert len(config.id) == 26


def test_an_oauth2_scheme_keeps_every_setting_and_stores_the_client(operator, api):
    connector = make_connector(api)
    client_secret = secret("oauth-client")

    response = operator.post(
        add_url(connector, "oauth2"),
        {**OAUTH2_FORM, "client_secret": client_secret, **loaded(connector)},
    )

    assert response.status_code == 302
    config = added(api, connector)
    assert config.authorize_url == "https://id.acme.example/authorize"
    assert config.token_url == "https://id.acme.example/token"
    assert [(s.name, s.description) for s in config.scopes] == [
        ("contacts.read", "Read contacts"),
        ("contacts.write", "Change contacts"),
    ]
    assert config.default_scopes == ["contacts.read"]
    assert config.additional_authorize_params == "access_type=offline"
    assert config.additional_token_params == "audience=https%3A%2F%2Fapi.acme.example"
    assert config.mtls_enabled is True
    assert config.grant.grant_type == "authorization_code"
    assert config.grant.client_id == "acme-client"
    assert config.grant.credential_id  # the secret lives in a credential
    assert client_secret not in api.connectors.get(connector.id).model_dump_json()


@pytest.mark.parametrize("grant", ["client_credentials", "password"])
def test_an_oauth2_scheme_with_another_grant_is_added(operator, api, grant):
    connector = make_connector(api)
    form = {**OAUTH2_FORM, "grant_type": grant, "authorize_url": "", "client_id": ""}

    response = operator.post(add_url(connector, "oauth2"), {**form, **loaded(connector)})

    assert response.status_code == 302
    assert added(api, connector).grant.grant_type == grant


def test_an_hmac_scheme_keeps_its_digest_inputs_in_order(operator, api):
    connector = make_connector(api)

    operator.post(
        add_url(connector, "hmac"),
        {
            "name": "X-Signature",
            "in_": "header",
            "algorithm": "sha512",
            "digest_inputs": "url,body",
            **loaded(connector),
        },
    )

    config = added(api, connector)
    assert (config.name, config.algorithm) == ("X-Signature", "sha512")
    assert config.digest_inputs == ["url", "body"]


@pytest.mark.parametrize("scheme_type", ["basic-auth", "certificate", "none"])
def test_a_scheme_without_settings_needs_only_a_description(operator, api, scheme_type):
    connector = make_connector(api)

    operator.post(
        add_url(connector, scheme_type), {"description": "Described", **loaded(connector)}
    )

    config = added(api, connector)
    assert (config.scheme_type, config.description) == (scheme_type, "Described")


INVALID = [
    ("api-key", {"name": "", "in_": "header"}, "name", "This field is required."),
    ("api-key", {"name": "X-Key", "in_": "body"}, "in_", "Select a valid choice."),
    (
        "hmac",
        {"name": "X", "in_": "header", "algorithm": "md5", "digest_inputs": "body"},
        "algorithm",
        "Select a valid choice.",
    ),
    (
        "hmac",
        {"name": "X", "in_": "header", "algorithm": "sha1"},
        "digest_inputs",
        "This field is required.",
    ),
    (
        "oauth2",
        {**OAUTH2_FORM, "token_url": "ftp://x"},
        "token_url",
        "Enter a full web address starting with https:// or http://, e.g. https://api.example.com.",
    ),
    (
        "oauth2",
        {**OAUTH2_FORM, "authorize_url": ""},
        "authorize_url",
        "The authorization code grant needs it.",
    ),
    ("oauth2", {**OAUTH2_FORM, "scopes": "read A\nread B"}, "scopes", "is listed twice"),
    (
        "oauth2",
        {**OAUTH2_FORM, "additional_token_params": "a=1&&b"},
        "additional_token_params",
        "Enter URL-encoded parameters",
    ),
    (
        "oauth2",
        {**OAUTH2_FORM, "client_id": "acme-client"},
        "client_secret",
        "Enter the client secret for this client ID.",
    ),
]


@pytest.mark.parametrize(("scheme_type", "form", "field", "message"), INVALID)
def test_invalid_input_is_kept_with_the_error_by_its_field(
    operator, api, scheme_type, form, field, message
):
    connector = make_connector(api)
    form = {**form, "description": "Kept description", **loaded(connector)}

    response = operator.post(add_url(connector, scheme_type), form, headers=htmx())

    assert response.status_code == 422
    doc = parse(response)
    assert message in text(one(doc, f"#id_{field}_error"))
    assert field_value(doc, "description") == "Kept description"
    assert len(api.connectors.get(connector.id).auth_scheme_configs) == 1  # nothing added


def test_an_invalid_oauth2_form_asks_for_the_client_secret_again(operator, api):
    connector = make_connector(api)
    client_secret = secret("typed-then-rejected")
    form = {**OAUTH2_FORM, "token_url": "not a url", "client_secret": client_secret}

    response = operator.post(add_url(connector, "oauth2"), {**form, **loaded(connector)})

    assert response.status_code == 422
    assert client_secret not in response.text
    doc = parse(response)
    assert text(one(doc, ".field--secret .field__reenter")).endswith("re-enter it.")
    assert field_value(doc, "client_secret") == ""
    assert field_value(doc, "client_id") == "acme-client"  # what is not secret stays


def test_the_apis_refusal_lands_on_the_field_it_names(operator, api, failing_api):
    connector = make_connector(api)
    connector_json = api.session.json("GET", f"o/{api.organisation_id}/connectors/{connector.id}")
    refusal = {
        "code": "bad_request",
        "message": "The auth scheme config is not valid.",
        "fields": [
            {"field": "grant.clientId", "message": "is not registered with the provider"},
            {"field": "somethingElse", "message": "is wrong too"},
        ],
    }
    with failing_api() as server:
        server.then(respond(200, connector_json), respond(400, refusal))

        response = operator.post(
            add_url(connector, "oauth2"),
            {**OAUTH2_FORM, "client_secret": secret("x"), **loaded(connector)},
        )

    assert response.status_code == 422
    doc = parse(response)
    assert "is not registered with the provider" in text(one(doc, "#id_client_id_error"))
    assert "somethingElse: is wrong too" in texts(doc, ".form-errors p")  # above the form
    assert field_value(doc, "client_id") == "acme-client"


def test_the_apis_refusal_of_one_scope_names_that_scope_on_the_scopes_field(
    operator, api, failing_api
):
    connector = make_connector(api)
    connector_json = api.session.json("GET", f"o/{api.organisation_id}/connectors/{connector.id}")
    refusal = {
        "code": "bad_request",
        "message": "The auth scheme config is not valid.",
        "fields": [
            {"field": "scopes[1].name", "message": "is not offered by the provider"},
            {"field": "defaultScopes[0]", "message": "is not offered either"},
        ],
    }
    with failing_api() as server:
        server.then(respond(200, connector_json), respond(400, refusal))
        response = operator.post(
            add_url(connector, "oauth2"),
            {**OAUTH2_FORM, "client_secret": secret("x"), **loaded(connector)},
        )

    page = parse(response)
    assert response.status_code == 422
    assert text(one(page, "#id_scopes_error")) == (
        "“contacts.write”: name: is not offered by the provider"
    )
    assert text(one(page, "#id_default_scopes_error")) == "“contacts.read”: is not offered either"
    assert not page.select(".form-errors")


def test_editing_an_oauth2_scheme_shows_no_secret_and_keeps_it_when_left_empty(operator, api):
    first_secret = secret("first")
    config = oauth2_config()
    config.grant = OAuth2GrantAuthorizationCode(
        client_id="acme-client", client_secret=SecretStr(first_secret)
    )
    connector = make_connector(api, configs=[config])
    config = connector.auth_scheme_configs[0]

    page = operator.get(edit_url(connector, config)).text
    assert MARK not in page
    doc = parse(page)
    assert field_value(doc, "client_id") == "acme-client"
    assert any(help.startswith("A client secret is stored") for help in texts(doc, ".field__help"))

    response = operator.post(
        edit_url(connector, config),
        {**OAUTH2_FORM, "description": "Renamed", **loaded(connector)},
    )

    assert response.status_code == 302
    after = api.connectors.get(connector.id).auth_scheme_configs[0]
    assert after.description == "Renamed"
    assert after.grant.credential_id == config.grant.credential_id
    client = api.credentials.get(after.grant.credential_id)
    assert client.data.client_id == "acme-client"


def test_typing_a_new_client_secret_replaces_the_stored_one(operator, api):
    config = oauth2_config()
    config.grant = OAuth2GrantAuthorizationCode(
        client_id="acme-client", client_secret=SecretStr(secret("old"))
    )
    connector = make_connector(api, configs=[config])
    config = connector.auth_scheme_configs[0]
    before = api.credentials.get(config.grant.credential_id).updated_at

    operator.post(
        edit_url(connector, config),
        {**OAUTH2_FORM, "client_secret": secret("new"), **loaded(connector)},
    )

    assert api.credentials.get(config.grant.credential_id).updated_at > before


def test_an_edit_form_carries_the_current_values(operator, api):
    connector = make_connector(api, configs=[api_key_config(name="X-Old", in_="cookie")])
    config = connector.auth_scheme_configs[0]

    doc = parse(operator.get(edit_url(connector, config)))

    assert field_value(doc, "name") == "X-Old"
    assert field_value(doc, "in_") == "cookie"
    assert field_value(doc, "updated_at") == connector.updated_at.isoformat()


def test_saving_a_stale_form_saves_nothing_and_shows_the_current_values(operator, api):
    connector = make_connector(api, configs=[api_key_config(name="X-Original")])
    config = connector.auth_scheme_configs[0]
    stale = loaded(connector)
    # Someone else edits it meanwhile.
    api.auth_scheme_configs.upsert(connector.id, api_key_config(id=config.id, name="X-Theirs"))

    response = operator.post(
        edit_url(connector, config), {"name": "X-Mine", "in_": "header", **stale}
    )

    assert response.status_code == 422
    conflict = one(parse(response), ".conflict[role=alert]")
    assert text(conflict.strong).startswith("Someone else changed this connector")
    assert texts(conflict, "code") == ["X-Theirs"]  # the current value
    assert field_value(parse(response), "name") == "X-Mine"  # what was typed
    assert api.connectors.get(connector.id).auth_scheme_configs[0].name == "X-Theirs"
    # Saving again (the form now carries the new updatedAt) replaces it.
    current = api.connectors.get(connector.id)
    operator.post(
        edit_url(connector, config), {"name": "X-Mine", "in_": "header", **loaded(current)}
    )
    assert api.connectors.get(connector.id).auth_scheme_configs[0].name == "X-Mine"


def test_an_api_failure_while_saving_is_a_readable_panel(operator, api, failing_api):
    connector = make_connector(api)
    connector_json = api.session.json("GET", f"o/{api.organisation_id}/connectors/{connector.id}")
    with failing_api() as server:
        server.then(
            respond(200, connector_json),
            respond(
                503, {"code": "unavailable", "message": "The platform is down for maintenance."}
            ),
        )

        response = operator.post(
            add_url(connector, "api-key"), {"name": "X-Key", "in_": "header", **loaded(connector)}
        )

    assert response.status_code == 502
    assert texts(parse(response), ".error-panel__message") == [
        "The platform is down for maintenance."
    ]
    assert "Traceback" not in response.text


def test_a_config_that_does_not_exist_is_not_found(operator, api):
    connector = make_connector(api)

    response = operator.get(
        f"/connectors/{connector.id}/auth-schemes/01JQ0N0SUCHAUTHSCHEME00000/edit/"
    )

    assert response.status_code == 404


def test_a_viewer_cannot_add_a_scheme(client_as, api):
    connector = make_connector(api)

    response = client_as("viewer").post(add_url(connector, "none"), loaded(connector))

    assert response.status_code == 403
    assert len(api.connectors.get(connector.id).auth_scheme_configs) == 1
