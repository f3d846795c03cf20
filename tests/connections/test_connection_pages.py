"""The Connections tab and a connection's page: credentials with their scheme, type, name,
expiry and errors; delete, with "in use" explained and force offered to admins."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dashboard.connect.models import ConnectionVariable
from dashboard.embedded_api.models import ConnectionSubscription, Credential
from tests.connections.conftest import (
    api_key_config,
    htmx,
    make_connection,
    make_connector,
    string_credential,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def connector(api):
    return make_connector(api, configs=[api_key_config(description="Production key")])


def page(connector, connection, action: str = "") -> str:
    return f"/connectors/{connector.id}/connections/{connection.id}/{action}"


def test_the_tab_lists_connections_by_name_with_each_credential(operator, api, connector):
    config = connector.auth_scheme_configs[0]
    soon = timezone.now() + timedelta(days=2)
    make_connection(api, connector, "staging")
    production = make_connection(
        api,
        connector,
        "production",
        action=[string_credential(config, "Acme key", expires_at=soon)],
        trigger=[string_credential(config, "Webhook key")],
    )
    Credential.objects.filter(pk=production.credentials.action[0].credential.id).update(
        errors=["The provider refused the key."]
    )

    html = operator.get(f"/connectors/{connector.id}/connections/").text

    assert html.index(">production</a>") < html.index(">staging</a>")
    row = html.split(">production</a>")[1].split("</tr>")[0]
    assert "Action</span>" in row and "Trigger</span>" in row
    assert "API key</span>" in row and "Secret string</span>" in row
    assert '<strong class="credential-item__name">Acme key</strong>' in row
    assert "expiry--soon" in row and "(soon)" in row
    assert "The provider refused the key." in row
    assert production.created_at.strftime("%-d %b %Y") in row
    assert 'aria-current="page">Connections' in html


def test_the_tab_says_when_there_are_none(operator, connector):
    html = operator.get(f"/connectors/{connector.id}/connections/").text

    assert "No connections yet." in html
    assert "Create a connection" in html


def test_a_connections_page_shows_its_variables_and_credentials_with_rotate_links(
    operator, api, connector
):
    config = connector.auth_scheme_configs[0]
    connection = make_connection(
        api,
        connector,
        action=[string_credential(config, "Acme key")],
        variables=[ConnectionVariable(name="region", value="eu")],
    )
    credential = connection.credentials.action[0].credential

    html = operator.get(page(connector, connection)).text

    assert "<code>region</code> = <code>eu</code>" in html
    assert "<td>Acme key</td>" in html
    assert "API key · Production key" in html
    assert "<td>key in header X-API-Key</td>" in html  # which key, not the key
    assert (
        f'href="/credentials/{credential.id}/rotate/?next=%2Fconnectors%2F{connector.id}'
        f'%2Fconnections%2F{connection.id}%2F"'
    ) in html
    assert "No expiry" in html


def test_a_viewer_sees_the_page_without_controls(client_as, api, connector):
    connection = make_connection(
        api, connector, action=[string_credential(connector.auth_scheme_configs[0], "k")]
    )

    html = client_as("viewer").get(page(connector, connection)).text

    assert "<td>k</td>" in html
    assert "Rotate" not in html and "Delete&hellip;" not in html and ">Edit</a>" not in html


def test_delete_asks_for_confirmation_in_place(operator, api, connector):
    connection = make_connection(api, connector)

    response = operator.get(
        page(connector, connection, "delete/"), headers=htmx("connection-danger")
    )

    assert "<html" not in response.text
    assert "Delete “production”?" in response.text
    assert 'hx-post="/connectors/' in response.text


def test_deleting_a_connection_removes_it(operator, api, connector):
    connection = make_connection(api, connector)

    response = operator.post(
        page(connector, connection, "delete/"), headers=htmx("connection-danger")
    )

    assert response["HX-Redirect"] == f"/connectors/{connector.id}/connections/"
    assert api.connectors.get(connector.id).connections == []


def test_a_connection_in_use_is_not_deleted_and_the_reason_is_shown(operator, api, connector):
    connection = make_connection(api, connector)
    ConnectionSubscription.objects.create(connection_id=connection.id, subscriber="switchboard")

    response = operator.post(
        page(connector, connection, "delete/"), headers=htmx("connection-danger")
    )

    assert response.status_code == 422
    assert "“production” is in use, so it was not deleted." in response.text
    assert "in use by switchboard" in response.text
    assert "Only an admin can force-delete" in response.text
    assert len(api.connectors.get(connector.id).connections) == 1


def test_an_admin_may_force_delete_a_connection_in_use(client_as, api, connector):
    connection = make_connection(api, connector)
    ConnectionSubscription.objects.create(connection_id=connection.id, subscriber="switchboard")
    admin = client_as("admin")

    refused = admin.post(page(connector, connection, "delete/"), headers=htmx("connection-danger"))
    assert "Force delete" in refused.text

    response = admin.post(page(connector, connection, "force-delete/"), headers=htmx())

    assert response["HX-Redirect"] == f"/connectors/{connector.id}/connections/"
    assert api.connectors.get(connector.id).connections == []


def test_an_operator_cannot_force_delete(operator, api, connector):
    connection = make_connection(api, connector)

    response = operator.post(page(connector, connection, "force-delete/"))

    assert response.status_code == 403
    assert len(api.connectors.get(connector.id).connections) == 1


def test_an_unknown_connection_is_a_not_found_page(operator, connector):
    response = operator.get(f"/connectors/{connector.id}/connections/01JQ0N0SUCHC0NNECT10N00000/")

    assert response.status_code == 404
    assert "Not found" in response.text
