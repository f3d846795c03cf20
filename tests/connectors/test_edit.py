"""Editing a connector's settings, refused without loss when someone changed it meanwhile."""

import pytest

from dashboard.connect.models import ConnectionVariable, HTTPConnectorUpdate
from tests.connectors.conftest import htmx, make_connector
from tests.html import one, parse, text, texts

pytestmark = pytest.mark.django_db


def form_data(page) -> dict:
    """What the edit form would submit as rendered (text inputs, hidden inputs, checkboxes)."""
    data = {}
    for field in parse(page).select("input[name]"):
        if field["name"] == "csrfmiddlewaretoken":
            continue
        if field.get("type") == "checkbox":
            if field.has_attr("checked"):
                data[field["name"]] = "on"
            continue
        data[field["name"]] = field.get("value", "")
    return data


@pytest.fixture
def connector(api):
    return make_connector(
        api,
        "Stripe",
        base_url="https://api.stripe.example",
        tags={"team": ["payments"]},
        categories=["Accounting"],
        connection_variables=[ConnectionVariable(name="region", value="eu")],
    )


def test_the_form_is_filled_with_the_connector_and_its_updated_time(operator, connector):
    page = operator.get(f"/connectors/{connector.id}/edit/")

    data = form_data(page)
    assert data["name"] == "Stripe"
    assert data["base_url"] == "https://api.stripe.example"
    assert (data["variables-0-name"], data["variables-0-value"]) == ("region", "eu")
    assert data["updated_at"] == connector.updated_at.isoformat()
    assert texts(parse(page), "h1") == ["Stripe"]  # under the connector's header and tabs


def test_saving_changes_the_settings_and_keeps_tags_and_categories(operator, api, connector):
    data = form_data(operator.get(f"/connectors/{connector.id}/edit/"))
    data |= {
        "name": "Stripe EU",
        "documentation_url": "https://docs.stripe.example",
        "public": "on",
        "variables-0-value": "eu-west",
    }

    response = operator.post(f"/connectors/{connector.id}/edit/", data, headers=htmx())

    assert response["HX-Redirect"] == f"/connectors/{connector.id}/"
    saved = api.connectors.get(connector.id)
    assert (saved.name, saved.documentation_url, saved.public) == (
        "Stripe EU",
        "https://docs.stripe.example",
        True,
    )
    assert saved.connection_variables == [ConnectionVariable(name="region", value="eu-west")]
    assert saved.tags == {"team": ["payments"]}
    assert saved.categories == ["Accounting"]


def test_an_http_logo_stored_through_the_api_does_not_block_renaming(operator, api):
    logo = "http://logos.example/stripe.svg"  # a form would refuse it: pages load https only
    connector = make_connector(api, "Stripe", base_url="https://api.stripe.example", image_url=logo)
    data = form_data(operator.get(f"/connectors/{connector.id}/edit/"))

    response = operator.post(f"/connectors/{connector.id}/edit/", data | {"name": "Stripe EU"})
    typed = operator.post(f"/connectors/{connector.id}/edit/", data | {"image_url": logo + "?v2"})

    assert response.status_code == 302
    assert (api.connectors.get(connector.id).name, typed.status_code) == ("Stripe EU", 422)


def test_a_change_made_meanwhile_is_not_overwritten(operator, api, connector):
    data = form_data(operator.get(f"/connectors/{connector.id}/edit/"))
    # Someone else renames it after the form was loaded.
    api.connectors.update(
        HTTPConnectorUpdate(
            id=connector.id,
            organisation_id=connector.organisation_id,
            name="Stripe (renamed elsewhere)",
            base_url=connector.base_url,
            tags=connector.tags,
        )
    )

    response = operator.post(
        f"/connectors/{connector.id}/edit/", data | {"name": "Mine"}, headers=htmx()
    )

    conflict = one(parse(response), ".conflict.form-errors")
    assert response.status_code == 422
    assert "Someone else changed this connector after you opened this form." in text(conflict)
    now = {text(row.dt): text(row.dd) for row in conflict.select("dl > div")}
    assert now["Name"] == "Stripe (renamed elsewhere)"
    assert form_data(response)["name"] == "Mine"  # what was typed is still there
    assert api.connectors.get(connector.id).name == "Stripe (renamed elsewhere)"

    # Saving again, having seen the current values, replaces them.
    again = operator.post(f"/connectors/{connector.id}/edit/", form_data(response), headers=htmx())
    assert again["HX-Redirect"] == f"/connectors/{connector.id}/"
    assert api.connectors.get(connector.id).name == "Mine"


def test_a_damaged_updated_time_is_refused(operator, api, connector):
    data = form_data(operator.get(f"/connectors/{connector.id}/edit/"))

    response = operator.post(
        f"/connectors/{connector.id}/edit/", data | {"updated_at": "yesterday"}, headers=htmx()
    )

    assert response.status_code == 422
    assert "This form is damaged; reload the page to edit the connector." in texts(
        parse(response), ".form-errors p, .field__errors li"
    )


def test_removing_a_variable_row_removes_the_variable(operator, api, connector):
    data = form_data(operator.get(f"/connectors/{connector.id}/edit/"))

    operator.post(
        f"/connectors/{connector.id}/edit/",
        data | {"variables-0-name": "", "variables-0-value": ""},
    )

    assert api.connectors.get(connector.id).connection_variables == []


def test_an_operator_without_javascript_is_redirected(operator, api, connector):
    data = form_data(operator.get(f"/connectors/{connector.id}/edit/"))

    response = operator.post(f"/connectors/{connector.id}/edit/", data | {"name": "Renamed"})

    assert response.status_code == 302
    assert api.connectors.get(connector.id).name == "Renamed"


def test_a_viewer_may_not_edit(client_as, connector):
    assert client_as("viewer").get(f"/connectors/{connector.id}/edit/").status_code == 403
