"""Rotating a credential: its metadata (never the secret), the new secret by type (single-line
secrets typed twice), an optional new expiry and a confirmation; UpdateCredential under the
same id, refused on a stale page."""

import base64
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dashboard.connect.models import (
    AuthSchemeConfigBasicAuth,
    AuthSchemeConfigCertificate,
    AuthSchemeConfigHMAC,
    ConnectionCredentialCreate,
    CredentialCreate,
    CredentialData,
    CredentialDataBasicAuth,
    CredentialDataCertificate,
    CredentialDataOAuth2Client,
    CredentialDataOAuth2Password,
    CredentialDataOAuth2Token,
    CredentialDataString,
    CredentialUpdate,
)
from dashboard.embedded_api import crypto
from dashboard.embedded_api.connections.credentials import new_credential
from dashboard.embedded_api.connections.serialise import auth_scheme_config
from dashboard.embedded_api.models import AuthSchemeConfig as StoredConfig
from dashboard.embedded_api.models import ConnectionCredential, Credential
from tests.connect.fault_server import respond
from tests.connections.conftest import (
    MARK,
    api_key_config,
    every_scheme_config,
    htmx,
    make_connection,
    make_connector,
    oauth2_config,
    secret,
    self_signed,
)
from tests.html import field_value, one, parse, sentence, text, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def connector(api):
    return make_connector(
        api,
        configs=[
            api_key_config(),
            AuthSchemeConfigBasicAuth(id=api_key_config().id),
            oauth2_config(grant="client_credentials"),
            oauth2_config(grant="password"),
            AuthSchemeConfigCertificate(id=api_key_config().id),
            AuthSchemeConfigHMAC(
                id=api_key_config().id,
                name="X",
                in_="header",
                algorithm="sha256",
                digest_inputs=["body"],
            ),
            oauth2_config(description="Sign-in"),
        ],
    )


def credential_of(api, connector, credential_type: str, data, name="cred", config_index=0):
    """A connection holding one credential of `credential_type`; returns the credential."""
    config = connector.auth_scheme_configs[config_index]
    connection = make_connection(
        api,
        connector,
        f"connection-{credential_type}",
        action=[
            ConnectionCredentialCreate(
                auth_scheme_config=config,
                credential=CredentialCreate(name=name, type=credential_type, data=data),
            )
        ],
    )
    return connection, api.credentials.get(connection.credentials.action[0].credential.id)


@pytest.fixture
def api_key(api, connector):
    connection, credential = credential_of(
        api, connector, "string", CredentialDataString(value=secret("old")), "Acme key"
    )
    return connection, credential


def url(credential) -> str:
    return f"/credentials/{credential.id}/rotate/"


def rotation(credential, **fields) -> dict:
    return {
        "name": credential.name,
        "updated_at": credential.updated_at.isoformat(),
        "confirm": "on",
        **fields,
    }


def stored(credential) -> dict:
    return crypto.decrypt(Credential.objects.get(pk=credential.id).secret_data)


def test_the_page_shows_the_credentials_metadata_and_never_its_secret(operator, connector, api_key):
    connection, credential = api_key

    html = operator.get(url(credential)).text
    doc = parse(html)

    assert text(one(doc, "h1")) == "Rotate “Acme key”"
    facts = {text(div.dt): div.dd for div in one(doc, ".facts").find_all("div", recursive=False)}
    assert text(facts["Type"]) == "Secret string" and text(facts["Expiry"]) == "No expiry"
    assert text(facts["Which"]) == "key in header X-API-Key"
    assert "credential-identity" in facts["Which"]["class"]
    used_by = one(facts["Used by"], "a")
    assert used_by["href"].endswith(f"/connections/{connection.id}/")
    assert text(used_by) == "Acme / connection-string"
    assert MARK not in html
    assert one(doc, '[name="data-value"]')["autocomplete"] == "new-password"
    assert one(doc, '[name="data-value_again"]')["autocomplete"] == "new-password"
    assert "1 connection using this credential switches to the new one" in text(
        one(doc, ".rotate-confirm > p")
    )


def test_a_string_secret_is_rotated_after_confirmation(operator, api, connector, api_key):
    connection, credential = api_key
    new = secret("new")
    back = f"/connectors/{connector.id}/connections/{connection.id}/"
    expires = (timezone.now() + timedelta(days=90)).replace(second=0, microsecond=0)

    response = operator.post(
        f"{url(credential)}?next={back}",
        rotation(
            credential,
            **{"data-value": new, "data-value_again": new},
            expires_at=expires.strftime("%Y-%m-%dT%H:%M"),
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == back
    assert stored(credential) == {"value": new}
    after = api.credentials.get(credential.id)
    assert after.expires_at == expires
    [toast] = texts(parse(operator.get(back)), ".toast--success .toast__message")
    assert toast.startswith("Credential “Acme key” rotated")


def test_two_different_entries_are_refused_and_neither_is_shown_again(operator, api_key):
    _, credential = api_key
    first, second = secret("one"), secret("two")

    response = operator.post(
        url(credential),
        rotation(credential, **{"data-value": first, "data-value_again": second}),
        headers=htmx(),
    )

    assert response.status_code == 422
    doc = parse(response)
    assert "The two entries differ" in text(one(doc, "#id_data-value_again_error"))
    assert MARK not in response.text
    assert any(note.endswith("re-enter it.") for note in texts(doc, ".field__reenter"))
    assert field_value(doc, "data-value") == field_value(doc, "data-value_again") == ""
    assert stored(credential)["value"] != first


def test_without_the_confirmation_nothing_is_rotated(operator, api_key):
    _, credential = api_key
    new = secret("new")
    data = rotation(credential, **{"data-value": new, "data-value_again": new})
    del data["confirm"]

    response = operator.post(url(credential), data)

    assert response.status_code == 422
    assert texts(parse(response), "#id_confirm_error li") == ["Tick this to confirm the rotation."]
    assert stored(credential)["value"] != new


def test_an_expiry_in_the_past_is_refused(operator, api_key):
    _, credential = api_key
    new = secret("new")

    response = operator.post(
        url(credential),
        rotation(
            credential,
            **{"data-value": new, "data-value_again": new},
            expires_at="2000-01-01T00:00",
        ),
    )

    assert texts(parse(response), "#id_expires_at_error li") == ["Choose a time in the future."]


def other_types():
    """(credential type, config index, initial data, rotation fields, what is stored after,
    non-secret values the form shows prefilled)."""
    password, client_secret, owner = secret("pw"), secret("cs"), secret("owner")
    access, refresh = secret("access"), secret("refresh")
    certificate, key = self_signed()
    return [
        (
            "basic-auth",
            1,
            CredentialDataBasicAuth(username="ops", password=secret("o")),
            {"username": "ops2", "password": password, "password_again": password},
            {"password": password},
            {"data-username": "ops"},
        ),
        (
            "oauth2-client",
            2,
            CredentialDataOAuth2Client(
                client_id="machine", client_secret=secret("o"), token_url="https://id.example/token"
            ),
            {
                "client_id": "machine",
                "client_secret": client_secret,
                "client_secret_again": client_secret,
                "token_url": "https://id.example/token",
            },
            {"clientSecret": client_secret},
            {"data-client_id": "machine", "data-token_url": "https://id.example/token"},
        ),
        (
            "oauth2-password",
            3,
            CredentialDataOAuth2Password(username="owner", password=secret("o")),
            {"username": "owner", "password": owner, "password_again": owner},
            {"password": owner},
            {"data-username": "owner"},
        ),
        (
            "certificate",
            4,
            CredentialDataCertificate(certificate=self_signed()[0], key=self_signed()[1], ca=""),
            {"certificate": certificate, "key": key, "ca": ""},
            {"key": key},
            {},
        ),
        (
            "oauth2-token",
            6,
            CredentialDataOAuth2Token(scopes=["read"], access_token=secret("o")),
            {
                "access_token": access,
                "access_token_again": access,
                "refresh_token": refresh,
                "refresh_token_again": refresh,
                "scopes": "read",
            },
            {"accessToken": access, "refreshToken": refresh},
            {"data-scopes": "read"},
        ),
    ]


@pytest.mark.parametrize(
    ("credential_type", "config_index", "initial", "fields", "after", "prefilled"),
    other_types(),
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_each_credential_type_has_its_rotation_form(
    operator, api, connector, credential_type, config_index, initial, fields, after, prefilled
):
    if credential_type == "certificate":  # a fresh pair, so the initial one is valid
        certificate, key = self_signed()
        initial = CredentialDataCertificate(certificate=certificate, key=key, ca="")
    if credential_type == "oauth2-token":
        credential = _token_credential(api, connector, initial)
    else:
        _, credential = credential_of(
            api, connector, credential_type, initial, config_index=config_index
        )

    page = operator.get(url(credential)).text
    for name, value in prefilled.items():
        assert field_value(parse(page), name) == value
    assert MARK not in page

    response = operator.post(
        url(credential), rotation(credential, **{f"data-{k}": v for k, v in fields.items()})
    )

    assert response.status_code == 302, response.text
    assert stored(credential) == after


def _token_credential(api, connector, initial):
    """An oauth2-token credential cannot be typed in on a new connection: store one directly
    through the embedded API's own helper, as the OAuth callback does."""
    made = new_credential(
        api.organisation_id,
        name="token",
        type="oauth2-token",
        data={"scopes": initial.scopes, "accessToken": initial.access_token.get_secret_value()},
    )
    return api.credentials.get(made.id)


def test_a_binary_credential_takes_a_new_file(operator, api, connector):
    _, credential = credential_of(
        api,
        connector,
        "binary",
        CredentialData.model_validate({"valueBase64": base64.b64encode(b"old").decode()}),
        config_index=5,
    )
    content = b"new key \x00\x01"

    response = operator.post(
        url(credential), {**rotation(credential), "data-file": SimpleUploadedFile("k.bin", content)}
    )

    assert response.status_code == 302
    assert base64.b64decode(stored(credential)["valueBase64"]) == content


def test_a_certificate_and_a_key_that_do_not_match_are_refused(operator, api, connector):
    certificate, key = self_signed()
    _, credential = credential_of(
        api,
        connector,
        "certificate",
        CredentialDataCertificate(certificate=certificate, key=key, ca=""),
        config_index=4,
    )
    other_certificate, _ = self_signed("other.test")

    response = operator.post(
        url(credential),
        rotation(credential, **{"data-certificate": other_certificate, "data-key": key}),
    )

    assert response.status_code == 422
    assert "This key does not belong to the certificate." in texts(
        parse(response), "#id_data-key_error li"
    )
    assert key.splitlines()[1] not in response.text


def test_a_rotation_made_meanwhile_is_not_overwritten(operator, api, api_key):
    _, credential = api_key
    theirs, mine = secret("theirs"), secret("mine")
    api.credentials.update(
        CredentialUpdate(
            id=credential.id,
            name=credential.name,
            type="string",
            data=CredentialDataString(value=theirs),
        )
    )

    response = operator.post(
        url(credential), rotation(credential, **{"data-value": mine, "data-value_again": mine})
    )

    assert response.status_code == 422
    assert text(one(parse(response), ".conflict[role=alert] strong")).startswith(
        "Someone else changed this credential after you opened this page"
    )
    assert stored(credential)["value"] == theirs
    assert MARK not in response.text
    # The form now carries the current updatedAt: confirming again replaces it.
    current = api.credentials.get(credential.id)
    again = operator.post(
        url(credential), rotation(current, **{"data-value": mine, "data-value_again": mine})
    )
    assert again.status_code == 302
    assert stored(credential)["value"] == mine


def test_an_api_failure_is_a_readable_panel(operator, api, failing_api, api_key):
    _, credential = api_key
    credential_json = api.session.json(
        "GET", f"o/{api.organisation_id}/credentials/{credential.id}"
    )
    new = secret("new")
    with failing_api() as server:
        server.then(
            respond(200, credential_json), respond(503, {"code": "down", "message": "Down."})
        )
        response = operator.post(
            url(credential), rotation(credential, **{"data-value": new, "data-value_again": new})
        )

    assert response.status_code == 502
    assert texts(parse(response), ".error-panel__message") == ["Down."]
    assert new not in response.text


def test_next_never_leads_off_site(operator, api_key):
    _, credential = api_key
    new = secret("new")

    response = operator.post(
        f"{url(credential)}?next=https://evil.example/",
        rotation(credential, **{"data-value": new, "data-value_again": new}),
    )

    assert response["Location"] == "/credentials/"


def test_a_none_credential_has_nothing_to_rotate(operator, api):
    connector = make_connector(api, configs=[every_scheme_config()[-1]])
    _, credential = credential_of(api, connector, "none", CredentialData())

    assert operator.get(url(credential)).status_code == 404


def test_a_viewer_cannot_rotate(client_as, api_key):
    _, credential = api_key

    assert client_as("viewer").get(url(credential)).status_code == 403


def signed_in_token(api, *, with_client: bool):
    """A connection holding an oauth2-token credential from its authorization code sign-in,
    whose client is stored or not (as the OAuth callback leaves it, linked in the database)."""
    client = SimpleNamespace(
        client_id="acme-app",
        client_secret=secret("client"),
        authorize_url="https://provider.test/authorize",
        token_url="https://provider.test/token",
    )
    connector = make_connector(api, configs=[oauth2_config(client if with_client else None)])
    connection = make_connection(api, connector)
    token = new_credential(
        api.organisation_id,
        name="token",
        type="oauth2-token",
        data={"scopes": ["read"], "accessToken": secret("at")},
    )
    config = StoredConfig.objects.get(config_id=connector.auth_scheme_configs[0].id)
    ConnectionCredential.objects.create(
        connection_id=connection.id,
        credential=token,
        kind="action",
        position=0,
        auth_scheme_config_id=config.config_id,
        auth_scheme_config=auth_scheme_config(config),
    )
    return connector, connection, api.credentials.get(token.id)


@pytest.mark.parametrize("with_client", [True, False], ids=["client stored", "no client"])
def test_a_tokens_advice_matches_what_its_connection_page_offers(operator, api, with_client):
    connector, connection, token = signed_in_token(api, with_client=with_client)
    page = f"/connectors/{connector.id}/connections/{connection.id}/"
    buttons = texts(parse(operator.get(page)), "li.signin button")
    offers_reauthorise = buttons == ["Re-authorise with Acme sign-in"]

    note = one(parse(operator.get(url(token))), "#credential-facts-heading ~ p.note")

    assert offers_reauthorise == with_client
    assert ("use Re-authorise on the connection's page" in sentence(note)) == with_client
    links = [a["href"] for a in note.select("a")]
    if with_client:
        assert links == [page]
    else:
        assert sentence(note).startswith("No client is stored for this sign-in")
        assert links == [page, f"/connectors/{connector.id}/auth-schemes/"]
