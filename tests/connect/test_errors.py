"""One error hierarchy: the contract's `{code, message, fields}` by status, and bodies that are
not JSON or not the contract's shape as MalformedResponse."""

import pytest

from dashboard.connect import (
    APIError,
    BadRequest,
    Conflict,
    MalformedResponse,
    NotFound,
    PreconditionFailed,
    ServerError,
    Unauthorised,
)
from dashboard.connect.wire import _models, python_path
from tests.connect.conftest import CONNECTOR_ID, connector_body, connector_page
from tests.connect.fault_server import raw, respond


def test_a_400_becomes_bad_request_with_its_field_errors(server, client):
    server.default = respond(
        400,
        {
            "code": "bad_request",
            "message": "The request is not valid.",
            "fields": [
                {"field": "baseUrl", "message": "Enter a valid URL."},
                {"field": "baseUrl", "message": "Use https."},
                {"field": "name", "message": "Required."},
            ],
        },
    )

    with pytest.raises(BadRequest) as raised:
        client.connectors.get(CONNECTOR_ID)

    assert raised.value.code == "bad_request"
    assert raised.value.field_errors() == {  # in the models' Python names
        "base_url": ["Enter a valid URL.", "Use https."],
        "name": ["Required."],
    }


@pytest.mark.parametrize(
    ("sent", "python"),
    [
        ("authSchemeConfigs[0].clientId", "auth_scheme_configs[0].client_id"),
        ("authSchemeConfigs[0].in", "auth_scheme_configs[0].in_"),
        ("documentationURL", "documentation_url"),
        ("responses[1].status", "responses[1].status"),
        ("actions.listPets.path", "actions.listPets.path"),  # an action's own name stays
        ("body", "body"),
    ],
)
def test_field_paths_come_out_in_the_models_python_names(sent, python):
    assert python_path(sent) == python


def test_each_contract_name_has_one_python_name():
    """`python_names` is one map for every model: a name must mean the same field in each."""
    seen: dict[str, set[str]] = {}
    for model in _models():
        for name, info in model.model_fields.items():
            seen.setdefault(info.alias or name, set()).add(name)

    assert {alias: names for alias, names in seen.items() if len(names) > 1} == {}


@pytest.mark.parametrize(
    ("status", "kind"),
    [(401, Unauthorised), (404, NotFound), (409, Conflict), (412, PreconditionFailed)],
)
def test_each_error_status_maps_to_its_own_exception(server, client, status, kind):
    server.default = respond(status, {"code": "x", "message": "Explained."})

    with pytest.raises(kind) as raised:
        client.connectors.delete(CONNECTOR_ID)

    assert raised.value.status == status
    assert str(raised.value) == "Explained."


def test_an_unlisted_4xx_is_still_an_api_error(server, client):
    server.default = respond(422, {"code": "unprocessable", "message": "No."})

    with pytest.raises(APIError) as raised:
        client.connectors.get(CONNECTOR_ID)

    assert raised.value.status == 422


def test_an_error_page_that_is_not_json_still_gives_a_readable_message(server, client):
    server.default = raw(
        500, b"<html><body>Traceback (most recent call last)</body></html>", "text/html"
    )

    with pytest.raises(ServerError) as raised:
        client.connectors.get(CONNECTOR_ID)

    assert raised.value.message == "The Connect API answered with status 500."
    assert "Traceback" not in raised.value.message


def test_import_errors_carry_the_contracts_messages(server, client):
    server.default = respond(
        400,
        {
            "code": "invalid_document",
            "message": "The document is not valid OpenAPI.",
            "messages": [
                {"text": "Missing 'info'.", "severity": "error", "detail": ["/info"]},
                "not a message",
            ],
        },
    )

    with pytest.raises(BadRequest) as raised:
        client.imports.create(b"openapi: 3.0.0", "spec.yaml")

    [message] = raised.value.messages
    assert (message.text, message.severity, message.detail) == (
        "Missing 'info'.",
        "error",
        ["/info"],
    )


def test_a_success_body_that_is_not_json_is_malformed(server, client):
    server.default = raw(200, b"{'connectors': [", "application/json")

    with pytest.raises(MalformedResponse) as raised:
        client.connectors.list()

    assert raised.value.request_id == server.received[0].headers["X-Request-ID"]


@pytest.mark.parametrize(
    "body",
    [
        [],  # not an object
        {"connectors": []},  # no totalCount
        {"totalCount": "many", "connectors": []},
        {"totalCount": 1},  # no items
        connector_page(connector_body(id=None)),  # an item without its id
        connector_page(connector_body(createdAt="yesterday")),
        connector_page({"protocol": "http"}),
    ],
)
def test_a_page_of_the_wrong_shape_is_malformed(server, client, body):
    server.default = respond(200, body)

    with pytest.raises(MalformedResponse):
        client.connectors.list()


def test_a_response_may_carry_fields_the_contract_does_not_know(server, client):
    server.default = respond(200, connector_body(futureField={"x": 1}, categories=["CRM"]))

    connector = client.connectors.get(CONNECTOR_ID)

    assert connector.categories == ["CRM"]
    assert connector.model_extra == {"futureField": {"x": 1}}


def test_a_connector_of_an_unknown_protocol_is_still_read(server, client):
    server.default = respond(200, connector_body(protocol="graphql", endpoint="https://g"))

    connector = client.connectors.get(CONNECTOR_ID)

    assert (connector.protocol, connector.name) == ("graphql", "Stripe")


def test_an_auth_scheme_config_of_an_unknown_type_is_still_read(server, client):
    server.default = respond(
        200,
        connector_body(
            authSchemeConfigs=[
                {
                    "id": "a",
                    "description": "Key",
                    "schemeType": "api-key",
                    "name": "X-Key",
                    "in": "header",
                },
                {"id": "b", "description": "JWT", "schemeType": "jwt-bearer", "audience": "x"},
            ]
        ),
    )

    first, second = client.connectors.get(CONNECTOR_ID).auth_scheme_configs

    assert (first.scheme_type, first.name, first.in_) == ("api-key", "X-Key", "header")
    assert (second.scheme_type, second.description) == ("jwt-bearer", "JWT")


def test_a_body_that_cannot_be_decoded_is_malformed_not_an_httpx_error(server, client):
    server.default = raw(200, b"not gzip at all", "application/json", {"Content-Encoding": "gzip"})

    with pytest.raises(MalformedResponse):
        client.connectors.list()

    assert len(server.received) == 1
