"""Creating a connection: name, variables prefilled from the connector, and credentials of
every type typed in with it; invalid input kept, API refusals by their fields."""

import base64
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dashboard.connect.models import ConnectionVariable
from dashboard.embedded_api import crypto
from dashboard.embedded_api.models import Credential
from tests.connect.fault_server import respond
from tests.connections.conftest import (
    MARK,
    every_scheme_config,
    htmx,
    make_connector,
    oauth2_config,
    secret,
    self_signed,
)
from tests.connections.forms_support import as_shown, config_of, new_connection, slot
from tests.html import field_value, one, parse, text, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def connector(api):
    return make_connector(
        api,
        configs=every_scheme_config(),
        connection_variables=[ConnectionVariable(name="region", value="eu")],
    )


def url(connector) -> str:
    return f"/connectors/{connector.id}/connections/new/"


def only_connection(api, connector):
    (connection,) = api.connectors.get(connector.id).connections
    return connection


def stored_secret(credential_id: str) -> dict:
    return crypto.decrypt(Credential.objects.get(pk=credential_id).secret_data)


def test_the_form_starts_with_the_connectors_variables_and_one_credential(operator, connector):
    doc = parse(operator.get(url(connector)))

    assert field_value(doc, "variables-0-name") == "region"
    assert field_value(doc, "variables-0-value") == "eu"
    assert field_value(doc, "action-TOTAL_FORMS") == "1"
    assert field_value(doc, "trigger-TOTAL_FORMS") == "0"
    # One choice per auth scheme and credential type it takes.
    choices = one(doc, '[name="action-0-scheme"]')
    basic = config_of(connector, "basic-auth")
    assert text(one(choices, f'option[value="{basic.id}:basic-auth"]')).startswith(
        "Basic auth: Basic — Username and password"
    )
    hmac = config_of(connector, "hmac")
    assert one(choices, f'option[value="{hmac.id}:string"]')
    assert one(choices, f'option[value="{hmac.id}:binary"]')
    assert one(doc, "#connection-form")["autocomplete"] == "off"


def test_a_connection_with_an_api_key_is_created_with_its_variables(operator, api, connector):
    key = secret("api-key")
    expires = (timezone.now() + timedelta(days=30)).replace(second=0, microsecond=0)
    form = new_connection(
        "production",
        action=[
            slot(
                config_of(connector, "api-key").id,
                "string",
                "Acme production key",
                {"value": key},
                expires_at=expires.strftime("%Y-%m-%dT%H:%M"),
            )
        ],
        variables=[("region", "us")],
    )

    response = operator.post(url(connector), form)

    assert response.status_code == 302
    connection = only_connection(api, connector)
    assert response["Location"] == f"/connectors/{connector.id}/connections/{connection.id}/"
    assert connection.name == "production"
    assert [(v.name, v.value) for v in connection.variables] == [("region", "us")]
    (link,) = connection.credentials.action
    assert (link.credential.type, link.credential.name) == ("string", "Acme production key")
    assert link.credential.expires_at == expires
    assert link.auth_scheme_config.id == config_of(connector, "api-key").id
    assert stored_secret(link.credential.id) == {"value": key}


def typed_credentials():
    """(scheme type, description, credential type, data form fields, the secret to find)."""
    password, client_secret, owner_password = secret("pw"), secret("cs"), secret("owner")
    certificate, key = self_signed()
    return [
        (
            "basic-auth",
            None,
            "basic-auth",
            {"username": "ops", "password": password},
            {"password": password},
        ),
        (
            "oauth2",
            "Machine",
            "oauth2-client",
            {
                "client_id": "machine",
                "client_secret": client_secret,
                "token_url": "https://id.acme.example/token",
                "scopes": "read write",
            },
            {"clientSecret": client_secret},
        ),
        (
            "oauth2",
            "Owner",
            "oauth2-password",
            {"username": "owner", "password": owner_password},
            {"password": owner_password},
        ),
        (
            "certificate",
            None,
            "certificate",
            {"certificate": certificate, "key": key, "ca": ""},
            {"key": key},
        ),
        ("hmac", None, "string", {"value": password}, {"value": password}),
        ("none", None, "none", {}, {}),
    ]


@pytest.mark.parametrize(
    ("scheme", "description", "credential_type", "data", "stored"),
    typed_credentials(),
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_each_credential_type_is_sent_with_its_data(
    operator, api, connector, scheme, description, credential_type, data, stored
):
    config = config_of(connector, scheme, description)
    form = new_connection("c", trigger=[slot(config.id, credential_type, "cred", data)])

    response = operator.post(url(connector), form)

    assert response.status_code == 302, response.text
    (link,) = only_connection(api, connector).credentials.trigger
    assert link.credential.type == credential_type
    assert stored_secret(link.credential.id) == stored


def test_a_binary_file_is_sent_base64_encoded(operator, api, connector):
    content = secret("binary").encode() + b"\x00\xff"
    upload = SimpleUploadedFile("key.bin", content)
    form = new_connection(
        "c", action=[slot(config_of(connector, "hmac").id, "binary", "Signing key")]
    )

    response = operator.post(url(connector), {**form, "action-0-binary-file": upload})

    assert response.status_code == 302
    (link,) = only_connection(api, connector).credentials.action
    assert base64.b64decode(stored_secret(link.credential.id)["valueBase64"]) == content


def test_several_credentials_keep_their_order(operator, api, connector):
    api_key = config_of(connector, "api-key").id
    form = new_connection(
        "c",
        action=[
            slot(api_key, "string", "first", {"value": secret("1")}),
            slot(api_key, "string", "second", {"value": secret("2")}),
        ],
    )

    operator.post(url(connector), form)

    names = [link.credential.name for link in only_connection(api, connector).credentials.action]
    assert names == ["first", "second"]


def test_a_credential_marked_remove_is_not_sent(operator, api, connector):
    api_key = config_of(connector, "api-key").id
    form = new_connection(
        "c",
        action=[
            slot(api_key, "string", "kept", {"value": secret("1")}),
            slot(api_key, "string", "", {}, DELETE="on"),  # half filled, then removed
        ],
    )

    response = operator.post(url(connector), form)

    assert response.status_code == 302
    names = [link.credential.name for link in only_connection(api, connector).credentials.action]
    assert names == ["kept"]


def test_the_blank_credential_the_form_starts_with_is_left_out(operator, api, connector):
    """Credentials are optional: the slot offered to start with, left as it came, is not an
    error and is not sent."""
    shown = as_shown(parse(operator.get(url(connector))), "#connection-form")
    assert shown["action-TOTAL_FORMS"] == "1"

    response = operator.post(url(connector), {**shown, "name": "production"})

    assert response.status_code == 302
    connection = only_connection(api, connector)
    assert connection.credentials.action == [] and connection.credentials.trigger == []


def test_only_a_typed_secret_is_asked_for_again(operator, api, connector):
    """After an error the page says "re-enter it" by the secret that was typed, not by the
    empty secret fields of the other credential types."""
    shown = as_shown(parse(operator.get(url(connector))), "#connection-form")
    password = secret("pw")
    basic = f"{config_of(connector, 'basic-auth').id}:basic-auth"
    typed = {
        "action-0-scheme": basic,
        "action-0-name": "ops",
        "action-0-basic-auth-password": password,
    }

    response = operator.post(url(connector), {**shown, "name": "production", **typed})

    assert response.status_code == 422
    doc = parse(response)
    assert texts(doc, "#id_action-0-basic-auth-username_error li") == ["This field is required."]
    asked = [
        note.find_parent(class_="field").select_one("[name]")["name"]
        for note in doc.select(".field__reenter")
    ]
    assert asked == ["action-0-basic-auth-password"]
    assert password not in response.text
    assert api.connectors.get(connector.id).connections == []


def test_add_credential_shows_another_slot_and_saves_nothing(operator, api, connector):
    form = new_connection("c", action=[slot(config_of(connector, "none").id, "none", "open")])

    response = operator.post(url(connector), {**form, "add_credential": "trigger"}, headers=htmx())

    assert response.status_code == 422
    doc = parse(response)
    assert field_value(doc, "trigger-TOTAL_FORMS") == "1"
    assert one(doc, '[name="trigger-0-scheme"]')
    assert field_value(doc, "action-0-name") == "open"
    assert doc.select(".field__errors, .field--invalid") == []  # nothing judged yet
    assert api.connectors.get(connector.id).connections == []


def test_add_variable_shows_another_row(operator, connector):
    form = new_connection("c", variables=[("region", "eu")])

    response = operator.post(url(connector), {**form, "add_variable": "1"})

    doc = parse(response)
    assert field_value(doc, "variables-TOTAL_FORMS") == "2"
    assert field_value(doc, "variables-1-name") == ""


def certificate_invalid():
    certificate, key = self_signed()
    other_certificate, _ = self_signed("other.test")
    return [
        (
            {"certificate": "not a certificate", "key": key},
            "certificate",
            "This is not a PEM-encoded X.509 certificate.",
        ),
        (
            {"certificate": certificate, "key": "-----BEGIN PRIVATE KEY-----\nxx"},
            "key",
            "This is not a PEM-encoded private key.",
        ),
        (
            {"certificate": other_certificate, "key": key},
            "key",
            "This key does not belong to the certificate.",
        ),
        (
            {"certificate": certificate, "key": key, "ca": "junk"},
            "ca",
            "These are not PEM-encoded X.509 certificates.",
        ),
    ]


INVALID = [
    ("api-key", None, "string", {"value": ""}, "string-value", "This field is required."),
    (
        "basic-auth",
        None,
        "basic-auth",
        {"username": "", "password": "x"},
        "basic-auth-username",
        "This field is required.",
    ),
    (
        "oauth2",
        "Machine",
        "oauth2-client",
        {"client_id": "m", "client_secret": "s", "token_url": "javascript:alert(1)"},
        "oauth2-client-token_url",
        "Enter a full web address starting with https:// or http://, e.g. https://api.example.com.",
    ),
    (
        "oauth2",
        "Owner",
        "oauth2-password",
        {"username": "owner", "password": ""},
        "oauth2-password-password",
        "This field is required.",
    ),
    *[
        ("certificate", None, "certificate", data, f"certificate-{field}", message)
        for data, field, message in certificate_invalid()
    ],
]


@pytest.mark.parametrize(
    ("scheme", "description", "credential_type", "data", "field", "message"), INVALID
)
def test_invalid_credential_data_is_kept_with_the_error_by_its_field(
    operator, api, connector, scheme, description, credential_type, data, field, message
):
    config = config_of(connector, scheme, description)
    form = new_connection("kept-name", action=[slot(config.id, credential_type, "kept-cred", data)])

    response = operator.post(url(connector), form, headers=htmx())

    assert response.status_code == 422
    doc = parse(response)
    assert message in text(one(doc, f"#id_action-0-{field}_error"))
    assert field_value(doc, "name") == "kept-name"
    assert field_value(doc, "action-0-name") == "kept-cred"
    assert field_value(doc, "action-0-scheme") == f"{config.id}:{credential_type}"
    assert api.connectors.get(connector.id).connections == []


def test_an_empty_or_oversized_file_is_refused(operator, connector):
    form = new_connection("c", action=[slot(config_of(connector, "hmac").id, "binary", "k")])

    empty = operator.post(
        url(connector), {**form, "action-0-binary-file": SimpleUploadedFile("e", b"")}
    )
    large = operator.post(
        url(connector), {**form, "action-0-binary-file": SimpleUploadedFile("l", b"x" * 700_001)}
    )

    assert texts(parse(empty), "#id_action-0-binary-file_error li") == [
        "The submitted file is empty."
    ]
    assert texts(parse(large), "#id_action-0-binary-file_error li") == [
        "The file is larger than 700 kB."
    ]


def test_an_expiry_in_the_past_is_refused(operator, connector):
    form = new_connection(
        "c",
        action=[slot(config_of(connector, "none").id, "none", "n", expires_at="2001-01-01T00:00")],
    )

    response = operator.post(url(connector), form)

    assert texts(parse(response), "#id_action-0-expires_at_error li") == [
        "Choose a time in the future."
    ]


def test_a_name_already_taken_is_refused_by_the_api_next_to_the_name(operator, api, connector):
    operator.post(url(connector), new_connection("production"))

    response = operator.post(url(connector), new_connection("production"), headers=htmx())

    assert response.status_code == 422
    assert "A connection with this name already exists for this connector." in texts(
        parse(response), "#id_name_error li"
    )


def test_a_refusal_about_a_credentials_data_lands_on_that_field(
    operator, api, failing_api, connector
):
    connector_json = api.session.json("GET", f"o/{api.organisation_id}/connectors/{connector.id}")
    refusal = {
        "code": "bad_request",
        "message": "The credential is not valid.",
        "fields": [
            {"field": "credentials.action[0].credential.data.username", "message": "is banned"}
        ],
    }
    form = new_connection(
        "c",
        action=[
            slot(
                config_of(connector, "basic-auth").id,
                "basic-auth",
                "b",
                {"username": "root", "password": secret("pw")},
            )
        ],
    )
    with failing_api() as server:
        server.then(respond(200, connector_json), respond(400, refusal))
        response = operator.post(url(connector), form)

    errors = text(one(parse(response), "#id_action-0-basic-auth-username_error"))
    assert "is banned" in errors


def test_refusals_about_a_credential_row_and_a_variable_row_land_on_their_cells(
    operator, api, failing_api, connector
):
    connector_json = api.session.json("GET", f"o/{api.organisation_id}/connectors/{connector.id}")
    refusal = {
        "code": "bad_request",
        "message": "The connection is not valid.",
        "fields": [
            {"field": "credentials.action[1].credential.name", "message": "is taken"},
            {"field": "variables[0].value", "message": "is too long for the connector"},
        ],
    }
    basic = config_of(connector, "basic-auth").id
    form = new_connection(
        "c",
        action=[
            slot(basic, "basic-auth", "first", {"username": "a", "password": secret("a")}),
            slot(basic, "basic-auth", "second", {"username": "b", "password": secret("b")}),
        ],
        variables=[("region", "eu")],
    )
    with failing_api() as server:
        server.then(respond(200, connector_json), respond(400, refusal))
        response = operator.post(url(connector), form)

    page = parse(response)
    assert response.status_code == 422
    assert text(one(page, "#id_action-1-name_error")) == "is taken"
    assert text(one(page, "#id_variables-0-value_error")) == "is too long for the connector"
    assert not page.select(".form-errors")  # nothing of it left at the top
    assert MARK not in response.text


def test_an_api_failure_is_a_readable_panel(operator, api, failing_api, connector):
    connector_json = api.session.json("GET", f"o/{api.organisation_id}/connectors/{connector.id}")
    with failing_api() as server:
        server.then(
            respond(200, connector_json), respond(500, {"code": "internal", "message": "Boom."})
        )
        response = operator.post(url(connector), new_connection("c"), headers=htmx())

    assert response.status_code == 502
    assert response["Content-Type"].startswith("text/plain")
    assert response.text == "Boom."


def test_oauth2_sign_in_schemes_are_left_for_connect_after_creating(operator, api):
    connector = make_connector(api, configs=[oauth2_config(description="Acme login")])

    doc = parse(operator.get(url(connector)))

    assert text(one(doc, ".note[role=note]")).startswith(
        "Sign-in with OAuth 2.0 (Acme login) happens after the connection is created"
    )
    assert "None of this connector's auth schemes takes a credential typed in here." in texts(
        doc, "p.muted"
    )
    assert field_value(doc, "action-TOTAL_FORMS") == "0"


def test_a_user_without_the_role_cannot_create_one(client_as, api, connector):
    response = client_as("viewer").post(url(connector), new_connection("c"))

    assert response.status_code == 403
    assert api.connectors.get(connector.id).connections == []
