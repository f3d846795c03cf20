"""Creating an HTTP connector: its first auth scheme, variables, tags and categories; the API's
validation errors next to the right fields; nothing typed lost."""

import json

import pytest

from dashboard.connect.models import AuthSchemeConfigAPIKey, ConnectionVariable
from tests.connect.fault_server import respond
from tests.connectors.conftest import htmx
from tests.html import field_value, one, parse, text, texts

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Stripe",
    "base_url": "https://api.stripe.example",
    "auth_scheme_type": "api-key",
    "auth_description": "Secret key",
    "auth_key_name": "Authorization",
    "auth_key_in": "header",
    "tags": "team:payments, beta",
    "categories": ["Accounting", "eCommerce"],
    "public": "on",
    "variables-TOTAL_FORMS": "2",
    "variables-INITIAL_FORMS": "0",
    "variables-0-name": "region",
    "variables-0-value": "eu",
    "variables-1-name": "",
    "variables-1-value": "",
}


def test_the_form_offers_the_first_auth_scheme_variables_tags_and_categories(operator):
    doc = parse(operator.get("/connectors/new/"))

    assert texts(doc, "h1") == ["New HTTP connector"]
    form = one(doc, "form#connector-form")
    for field in ("name", "base_url", "auth_scheme_type", "auth_key_name", "tags", "public"):
        assert one(form, f'[name="{field}"]')
    assert one(form, '[name="variables-0-name"]')
    assert one(form, 'input[name="categories"][value="Accounting"]')


def test_a_connector_is_created_with_everything_and_the_browser_lands_on_it(operator, api):
    response = operator.post("/connectors/new/", VALID, headers=htmx("connector-form"))

    created = api.connectors.list(name="Stripe").items[0]
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/connectors/{created.id}/"
    assert (created.name, created.base_url, created.public) == (
        "Stripe",
        "https://api.stripe.example",
        True,
    )
    assert created.tags == {"team": ["payments"], "beta": []}
    assert created.categories == ["Accounting", "eCommerce"]
    assert created.connection_variables == [ConnectionVariable(name="region", value="eu")]
    [scheme] = created.auth_scheme_configs
    assert isinstance(scheme, AuthSchemeConfigAPIKey)
    assert (scheme.name, scheme.in_, scheme.description) == (
        "Authorization",
        "header",
        "Secret key",
    )
    page = parse(operator.get(response["HX-Redirect"]))
    assert texts(page, ".toast__message") == ["Connector “Stripe” created."]


def test_without_javascript_it_redirects(operator, api):
    response = operator.post("/connectors/new/", VALID | {"auth_scheme_type": "none"})

    created = api.connectors.list(name="Stripe").items[0]
    assert response.status_code == 302
    assert response["Location"] == f"/connectors/{created.id}/"
    assert [c.scheme_type for c in created.auth_scheme_configs] == ["none"]


def test_missing_fields_are_explained_and_what_was_typed_is_kept(operator, api):
    data = VALID | {"name": "", "auth_key_name": ""}

    response = operator.post("/connectors/new/", data, headers=htmx("connector-form"))

    doc = parse(response)
    assert response.status_code == 422
    assert texts(doc, "#id_name_error li") == ["This field is required."]
    assert texts(doc, "#id_auth_key_name_error li") == [
        "An API key needs the name it is sent under."
    ]
    assert field_value(doc, "base_url") == "https://api.stripe.example"
    assert field_value(doc, "variables-0-name") == "region"
    assert field_value(doc, "variables-0-value") == "eu"
    assert field_value(doc, "tags") == "team:payments, beta"
    ticked = doc.select('input[name="categories"][checked]')
    assert [box["value"] for box in ticked] == ["Accounting", "eCommerce"]
    assert api.connectors.list().total_count == 0


def test_add_variable_adds_a_row_and_saves_nothing(operator, api):
    data = VALID | {"add_variable": "1", "name": ""}

    response = operator.post("/connectors/new/", data, headers=htmx("connector-form"))

    doc = parse(response)
    assert response.status_code == 200
    assert field_value(doc, "variables-2-name") == ""  # the new, blank row
    assert field_value(doc, "variables-0-name") == "region"
    assert field_value(doc, "base_url") == "https://api.stripe.example"
    assert doc.select(".field__errors") == []
    assert "This field is required." not in text(doc)
    assert api.connectors.list().total_count == 0


def test_the_apis_validation_errors_appear_next_to_the_right_fields(operator, api):
    # The API refuses repeated variable names; the form leaves that check to it.
    data = VALID | {"variables-1-name": "region", "variables-1-value": "us"}

    response = operator.post("/connectors/new/", data, headers=htmx())

    doc = parse(response)
    assert response.status_code == 422
    variables = one(doc, "fieldset.variables")
    assert "variable names must be unique; repeated: region" in text(variables)
    assert field_value(doc, "variables-1-value") == "us"
    assert api.connectors.list().total_count == 0


def test_api_field_paths_map_onto_the_form(operator, start_fault_server):
    with start_fault_server() as server:
        server.then(
            respond(200, ["Accounting", "eCommerce"]),
            respond(
                400,
                {
                    "code": "bad_request",
                    "message": "The request is not valid.",
                    "fields": [
                        {"field": "baseUrl", "message": "must be an absolute http or https URL"},
                        {"field": "connectionVariables[0].value", "message": "too long"},
                        {"field": "authSchemeConfigs[0].in", "message": "unsupported place"},
                        {"field": "tags.team", "message": "too many values"},
                        {"field": "colour", "message": "no such field"},
                    ],
                },
            ),
        )

        response = operator.post("/connectors/new/", VALID, headers=htmx())

    doc = parse(response)
    assert response.status_code == 422
    assert errors_of(doc, "base_url") == ["must be an absolute http or https URL"]
    assert errors_of(doc, "variables-0-value") == ["too long"]
    assert errors_of(doc, "auth_key_in") == ["unsupported place"]
    assert errors_of(doc, "tags") == ["team: too many values"]
    assert "colour: no such field" in texts(doc, ".form-errors p")
    body = json.loads(server.received[1].body)
    assert body["connectionVariables"] == [{"name": "region", "value": "eu"}]


def errors_of(doc, name: str) -> list[str]:
    """The errors the field `name` points to (its aria-describedby error list)."""
    field = one(doc, f'[name="{name}"]')
    [error_list] = [
        one(doc, f"#{ref}") for ref in field["aria-describedby"].split() if ref.endswith("_error")
    ]
    return texts(error_list, "li")


def test_a_viewer_may_not_create(client_as, api):
    viewer = client_as("viewer")

    assert viewer.get("/connectors/new/").status_code == 403
    assert viewer.post("/connectors/new/", VALID).status_code == 403
    assert api.connectors.list().total_count == 0
