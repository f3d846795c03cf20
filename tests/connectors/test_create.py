"""Creating an HTTP connector: its first auth scheme, variables, tags and categories; the API's
validation errors next to the right fields; nothing typed lost."""

import json

import pytest

from dashboard.connect.models import AuthSchemeConfigAPIKey, ConnectionVariable
from tests.connect.fault_server import respond
from tests.connectors.conftest import htmx

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
    html = operator.get("/connectors/new/").content.decode()

    assert "<h1>New HTTP connector</h1>" in html
    for field in ("name", "base_url", "auth_scheme_type", "auth_key_name", "tags", "public"):
        assert f'name="{field}"' in html
    assert 'name="variables-0-name"' in html
    assert 'value="Accounting"' in html


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
    page = operator.get(response["HX-Redirect"]).content.decode()
    assert "Connector “Stripe” created." in page


def test_without_javascript_it_redirects(operator, api):
    response = operator.post("/connectors/new/", VALID | {"auth_scheme_type": "none"})

    created = api.connectors.list(name="Stripe").items[0]
    assert response.status_code == 302
    assert response["Location"] == f"/connectors/{created.id}/"
    assert [c.scheme_type for c in created.auth_scheme_configs] == ["none"]


def test_missing_fields_are_explained_and_what_was_typed_is_kept(operator, api):
    data = VALID | {"name": "", "auth_key_name": ""}

    response = operator.post("/connectors/new/", data, headers=htmx("connector-form"))

    html = response.content.decode()
    assert response.status_code == 422
    assert "This field is required." in html
    assert "An API key needs the name it is sent under." in html
    assert 'value="https://api.stripe.example"' in html
    assert 'value="region"' in html and 'value="eu"' in html
    assert "team:payments, beta</textarea>" in html
    assert 'value="Accounting" id="id_categories_4" checked' in html
    assert api.connectors.list().total_count == 0


def test_add_variable_adds_a_row_and_saves_nothing(operator, api):
    data = VALID | {"add_variable": "1", "name": ""}

    response = operator.post("/connectors/new/", data, headers=htmx("connector-form"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="variables-2-name"' in html
    assert 'value="region"' in html and 'value="https://api.stripe.example"' in html
    assert "This field is required." not in html
    assert api.connectors.list().total_count == 0


def test_the_apis_validation_errors_appear_next_to_the_right_fields(operator, api):
    # The API refuses repeated variable names; the form leaves that check to it.
    data = VALID | {"variables-1-name": "region", "variables-1-value": "us"}

    response = operator.post("/connectors/new/", data, headers=htmx())

    html = response.content.decode()
    assert response.status_code == 422
    variables = html[html.index('<fieldset class="variables">') :]
    assert "variable names must be unique; repeated: region" in variables
    assert 'value="us"' in html
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

    html = response.content.decode()
    assert response.status_code == 422
    assert _error_after('name="base_url"', html) == "must be an absolute http or https URL"
    assert _error_after('name="variables-0-value"', html) == "too long"
    assert _error_after('name="auth_key_in"', html) == "unsupported place"
    assert _error_after('name="tags"', html) == "team: too many values"
    assert "<p>colour: no such field</p>" in html
    body = json.loads(server.received[1].body)
    assert body["connectionVariables"] == [{"name": "region", "value": "eu"}]


def _error_after(marker: str, html: str) -> str:
    """The first error message shown after the input `marker`."""
    rest = html[html.index(marker) :]
    start = rest.index('<ul class="field__errors"')
    return rest[rest.index("<li>", start) + 4 : rest.index("</li>", start)]


def test_a_viewer_may_not_create(client_as, api):
    viewer = client_as("viewer")

    assert viewer.get("/connectors/new/").status_code == 403
    assert viewer.post("/connectors/new/", VALID).status_code == 403
    assert api.connectors.list().total_count == 0
