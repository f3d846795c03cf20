"""Deleting a connector, with confirmation; when it is in use, saying so and offering a force
delete to those allowed to."""

from urllib.parse import urlsplit

import pytest

from dashboard.connect import NotFound
from dashboard.connect.models import ConnectionCredentialCreate, CredentialRef
from tests.connect.fault_server import respond
from tests.connections.conftest import make_connection, string_credential
from tests.connections.conftest import make_connector as keyed_connector  # an API-key config
from tests.connectors.conftest import htmx, make_connector
from tests.html import hrefs, one, parse, text, texts

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

    fragment = parse(
        operator.get(f"/connectors/{connector.id}/delete/", headers=htmx("connector-danger"))
    )
    page = parse(operator.get(f"/connectors/{connector.id}/delete/"))

    assert text(one(fragment, "form p")).startswith("Delete “Stripe” with its versions")
    assert fragment.select("h1") == []
    assert text(one(page, "#connector-danger form p")).startswith(
        "Delete “Stripe” with its versions"
    )
    assert texts(page, "h1") == ["Stripe"]
    assert api.connectors.get(connector.id).name == "Stripe"


def test_the_confirmation_counts_the_connections_and_credentials_going_with_it(operator, api):
    formly = keyed_connector(api, "Formly")
    config = formly.auth_scheme_configs[0]
    production = make_connection(api, formly, "production", action=[string_credential(config, "A")])
    make_connection(api, formly, "staging", action=[string_credential(config, "B")])
    shared = production.credentials.action[0].credential.id  # counted once
    reused = ConnectionCredentialCreate(
        auth_scheme_config=config, credential=CredentialRef(id=shared)
    )
    make_connection(api, formly, "backup", action=[reused])
    other = keyed_connector(api, "Other")  # its connection is not counted
    make_connection(
        api, other, "live", action=[string_credential(other.auth_scheme_configs[0], "C")]
    )

    fragment = parse(
        operator.get(f"/connectors/{formly.id}/delete/", headers=htmx("connector-danger"))
    )

    assert text(one(fragment, "form p")) == (
        "Delete “Formly” with its versions and auth scheme configs? This also deletes its "
        "3 connections (using 2 credentials), and credentials made only for those connections "
        "go too. This cannot be undone."
    )


def test_the_confirmation_says_when_nothing_goes_with_it(operator, api):
    connector = make_connector(api, "Stripe")

    page = parse(operator.get(f"/connectors/{connector.id}/delete/"))

    assert text(one(page, "#connector-danger form p")) == (
        "Delete “Stripe” with its versions and auth scheme configs? It has no connections, so "
        "no connections or credentials go with it. This cannot be undone."
    )


def test_a_confirmed_delete_removes_it_and_returns_to_the_list(operator, api):
    connector = make_connector(api, "Stripe")

    response = operator.post(
        f"/connectors/{connector.id}/delete/", headers=htmx("connector-danger")
    )

    assert response["HX-Redirect"] == "/connectors/"
    with pytest.raises(NotFound):
        api.connectors.get(connector.id)
    listing = parse(operator.get("/connectors/"))
    assert texts(listing, ".toast__message") == ["Connector “Stripe” deleted."]


def test_a_connector_in_use_is_explained_with_force_delete_for_an_admin(client_as, fault_server):
    fault_server.then(respond(200, connector_body()), IN_USE)

    response = client_as("admin").post(
        f"/connectors/{CONNECTOR_ID}/delete/", headers=htmx("connector-danger")
    )

    doc = parse(response)
    assert response.status_code == 422
    assert texts(doc, ".form-errors p") == [
        "“Stripe” is in use, so it was not deleted.",
        "The connector is in use by 2 subscription(s).",
    ]
    force = one(doc, "form:has(button.button--danger)")
    assert force["hx-post"] == f"/connectors/{CONNECTOR_ID}/force-delete/"
    assert text(one(force, "button")) == "Force delete"


def test_an_operator_is_told_only_an_admin_can_force_delete(operator, fault_server):
    fault_server.then(respond(200, connector_body()), IN_USE)

    response = operator.post(
        f"/connectors/{CONNECTOR_ID}/delete/", headers=htmx("connector-danger")
    )
    doc = parse(response)

    assert "Only an admin can force-delete a connector that is in use." in texts(doc, "p")
    # Nothing to press here: the explanation takes the focus (htmx focuses `autofocus`).
    assert doc.select("[autofocus]") == doc.select(".form-errors[tabindex='-1']") != []
    assert doc.select("form") == [] and not any("force-delete/" in h for h in hrefs(doc))
    assert "force-delete/" not in response.content.decode()  # nowhere, not even in an attribute


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
