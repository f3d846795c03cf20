"""Deleting a connector, with confirmation; when it is in use, saying so and offering a force
delete to those allowed to."""

from urllib.parse import urlsplit

import pytest

from dashboard.connect import NotFound
from tests.connect.fault_server import respond
from tests.connectors.conftest import htmx, make_connector

pytestmark = pytest.mark.django_db

CONNECTOR_ID = "01JQ0CONNECTOR000000000001"


def connector_body() -> dict:
    return {
        "id": CONNECTOR_ID,
        "organisationId": "01JQ0PATCHBAY0DEM0RGAN1SAT",
        "name": "Stripe",
        "protocol": "http",
        "baseUrl": "https://api.stripe.example",
        "createdAt": "2025-01-02T03:04:05Z",
        "updatedAt": "2025-01-02T03:04:05Z",
    }


IN_USE = respond(
    409,
    {"code": "connector_in_use", "message": "The connector is in use by 2 subscription(s)."},
)


def test_delete_asks_for_confirmation_first(operator, api):
    connector = make_connector(api, "Stripe")

    fragment = operator.get(
        f"/connectors/{connector.id}/delete/", headers=htmx("connector-danger")
    ).content.decode()
    page = operator.get(f"/connectors/{connector.id}/delete/").content.decode()

    assert "Delete “Stripe” with its versions" in fragment
    assert "<h1>" not in fragment
    assert "Delete “Stripe” with its versions" in page and "<h1>Stripe</h1>" in page
    assert api.connectors.get(connector.id).name == "Stripe"


def test_a_confirmed_delete_removes_it_and_returns_to_the_list(operator, api):
    connector = make_connector(api, "Stripe")

    response = operator.post(
        f"/connectors/{connector.id}/delete/", headers=htmx("connector-danger")
    )

    assert response["HX-Redirect"] == "/connectors/"
    with pytest.raises(NotFound):
        api.connectors.get(connector.id)
    assert "Connector “Stripe” deleted." in operator.get("/connectors/").content.decode()


def test_a_connector_in_use_is_explained_with_force_delete_for_an_admin(client_as, fault_server):
    fault_server.then(respond(200, connector_body()), IN_USE)

    response = client_as("admin").post(
        f"/connectors/{CONNECTOR_ID}/delete/", headers=htmx("connector-danger")
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert "“Stripe” is in use, so it was not deleted." in html
    assert "The connector is in use by 2 subscription(s)." in html
    assert f'hx-post="/connectors/{CONNECTOR_ID}/force-delete/"' in html


def test_an_operator_is_told_only_an_admin_can_force_delete(operator, fault_server):
    fault_server.then(respond(200, connector_body()), IN_USE)

    html = operator.post(
        f"/connectors/{CONNECTOR_ID}/delete/", headers=htmx("connector-danger")
    ).content.decode()

    assert "Only an admin can force-delete" in html
    assert "force-delete/" not in html


def test_force_delete_sends_force_and_needs_the_permission(client_as, fault_server):
    fault_server.then(respond(200, connector_body()), respond(204))

    refused = client_as("operator").post(f"/connectors/{CONNECTOR_ID}/force-delete/")
    allowed = client_as("admin").post(f"/connectors/{CONNECTOR_ID}/force-delete/")

    assert refused.status_code == 403
    assert allowed.status_code == 302 and allowed["Location"] == "/connectors/"
    delete = fault_server.received[-1]
    assert delete.method == "DELETE"
    assert urlsplit(delete.path).query == "force=true"


def test_a_viewer_may_not_delete(client_as, api):
    connector = make_connector(api, "Stripe")

    response = client_as("viewer").post(f"/connectors/{connector.id}/delete/")

    assert response.status_code == 403
    assert api.connectors.get(connector.id).name == "Stripe"
