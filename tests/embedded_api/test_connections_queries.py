"""Query counts of the connections and credentials reads: fixed, whatever the number of rows.
Run in process (Django's test client) so the queries can be counted on this thread."""

import pytest
from django.db import connection as db
from django.test import Client
from django.test.utils import CaptureQueriesContext
from ulid import ULID

from dashboard.embedded_api.auth import service_token
from tests.embedded_api.connections_support import config, make_connector, secret

pytestmark = pytest.mark.django_db

ROOT = "/api/connect/v1"


@pytest.fixture
def org():
    return str(ULID())


@pytest.fixture
def client(org):
    # The service token is checked by signature, so authentication costs no query.
    return Client(HTTP_AUTHORIZATION=f"Bearer {service_token(org)}")


@pytest.fixture
def connector(client, org):
    """A connector with several connections sharing several credentials."""
    api_key = config("api-key")
    connector = make_connector(org, api_key)
    shared = [
        client.post(
            f"{ROOT}/o/{org}/credentials",
            {"name": f"key {n}", "type": "string", "data": {"value": secret("k")}},
            content_type="application/json",
        ).json()
        for n in range(4)
    ]
    for n in range(5):
        links = [{"authSchemeConfig": api_key, "credential": {"id": c["id"]}} for c in shared]
        response = client.post(
            f"{ROOT}/o/{org}/connectors/{connector.id}/connections",
            {
                "name": f"env {n}",
                "credentials": {"action": links, "trigger": links},
                "variables": [],
            },
            content_type="application/json",
        )
        assert response.status_code == 200
    return connector


def _queries(client, path) -> int:
    with CaptureQueriesContext(db) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def test_listing_credentials_costs_five_queries(client, org, connector):
    # The total, the page, then the page's links, their connections and those connectors.
    assert _queries(client, f"{ROOT}/o/{org}/credentials") == 5


def test_listing_connections_costs_three_queries(client, org, connector):
    # The connector, the total and the page (summaries carry no credentials).
    assert _queries(client, f"{ROOT}/o/{org}/connectors/{connector.id}/connections") == 3


def test_getting_a_connection_costs_five_queries(client, org, connector):
    connection = connector.connections.first()
    path = f"{ROOT}/o/{org}/connectors/{connector.id}/connections/{connection.id}"
    # The connector, the connection, its links, their credentials, the connector's configs.
    assert _queries(client, path) == 5


def test_getting_a_credential_costs_four_queries(client, org, connector):
    credential = client.get(f"{ROOT}/o/{org}/credentials").json()["credentials"][0]
    # The credential, then its links, their connections and those connectors.
    assert _queries(client, f"{ROOT}/o/{org}/credentials/{credential['id']}") == 4


def test_getting_a_connector_costs_the_same_queries_for_1_or_5_connections(client, org):
    api_key = config("api-key")
    connector = make_connector(org, api_key)
    path = f"{ROOT}/o/{org}/connectors/{connector.id}"

    def add_connection(n: int) -> None:
        key = {"name": f"key {n}", "type": "string", "data": {"value": secret("k")}}
        response = client.post(
            f"{path}/connections",
            {
                "name": f"env {n}",
                "credentials": {"action": [{"authSchemeConfig": api_key, "credential": key}]},
                "variables": [],
            },
            content_type="application/json",
        )
        assert response.status_code == 200

    add_connection(0)
    # The connector (read once, with its prefetches), its tags, categories, configs,
    # versions, connections, their links and the credentials (each link names its
    # credential's scheme, so the credentials' own links are never read).
    assert _queries(client, path) == 8
    for n in range(1, 5):
        add_connection(n)
    assert _queries(client, path) == 8
