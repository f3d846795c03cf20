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
from tests.html import one, parse, text, texts

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

    doc = parse(operator.get(f"/connectors/{connector.id}/connections/"))

    assert texts(doc, ".connections-table__name") == ["production", "staging"]
    row = doc.select(".connections-table tbody tr")[0]
    assert texts(row, ".credential-item .chip") == ["Action", "Trigger"]
    assert texts(row, ".credential-item__scheme") == ["API key", "API key"]
    assert texts(row, ".credential-item__type") == ["Secret string", "Secret string"]
    assert texts(row, ".credential-item__name") == ["Acme key", "Webhook key"]
    soon = one(row, ".expiry--soon")
    assert text(soon).endswith("(soon)")
    assert texts(row, ".credential-errors li") == ["The provider refused the key."]
    created = row.select("td")[2]
    assert text(created).startswith(production.created_at.strftime("%-d %b %Y"))
    assert texts(doc, '.tabs [aria-current="page"]') == ["Connections 2"]


def test_the_tab_says_when_there_are_none(operator, connector):
    empty = one(parse(operator.get(f"/connectors/{connector.id}/connections/")), ".empty-state")

    assert texts(empty, "p") == ["No connections yet.", "Create a connection"]
    assert one(empty, "a")["href"] == f"/connectors/{connector.id}/connections/new/"


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

    doc = parse(operator.get(page(connector, connection)))

    assert texts(doc, ".facts dd li") == ["region = eu"]
    assert texts(doc, ".facts dd li code") == ["region", "eu"]
    [row] = doc.select(".connection-credentials tbody tr")
    cells = texts(row, "td")
    assert cells[:5] == [
        "Acme key",
        "API key · Production key",
        "Secret string",
        "key in header X-API-Key",  # which key, not the key
        "No expiry",
    ]
    assert one(row, "a.button")["href"] == (
        f"/credentials/{credential.id}/rotate/?next=%2Fconnectors%2F{connector.id}"
        f"%2Fconnections%2F{connection.id}%2F"
    )


def test_a_viewer_sees_the_page_without_controls(client_as, api, connector):
    connection = make_connection(
        api, connector, action=[string_credential(connector.auth_scheme_configs[0], "k")]
    )

    doc = parse(client_as("viewer").get(page(connector, connection)))

    assert texts(doc, ".connection-credentials tbody td")[0] == "k"
    assert "Rotate" not in text(doc) and "Delete…" not in text(doc)
    assert "Edit" not in texts(doc, "a")
    assert doc.select("#connection-danger") == []


def test_delete_asks_for_confirmation_in_place(operator, api, connector):
    connection = make_connection(api, connector)

    response = operator.get(
        page(connector, connection, "delete/"), headers=htmx("connection-danger")
    )

    doc = parse(response)
    assert doc.select("html, body, h2") == []
    form = one(doc, "form")
    assert text(form.p).startswith("Delete “production”?")
    assert form["hx-post"] == f"/connectors/{connector.id}/connections/{connection.id}/delete/"


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
    doc = parse(response)
    refusal = one(doc, ".form-errors[role=alert]")
    assert text(refusal.strong) == "“production” is in use, so it was not deleted."
    assert "in use by switchboard" in texts(refusal, "p")[1]
    assert any(p.startswith("Only an admin can force-delete") for p in texts(doc, "p"))
    assert doc.select("form") == []
    assert len(api.connectors.get(connector.id).connections) == 1


def test_an_admin_may_force_delete_a_connection_in_use(client_as, api, connector):
    connection = make_connection(api, connector)
    ConnectionSubscription.objects.create(connection_id=connection.id, subscriber="switchboard")
    admin = client_as("admin")

    refused = admin.post(page(connector, connection, "delete/"), headers=htmx("connection-danger"))
    force = one(parse(refused), "form")
    assert text(one(force, "button")) == "Force delete"
    assert force["action"] == page(connector, connection, "force-delete/")

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
    assert text(one(parse(response), ".error-panel__title")) == "Not found"
