"""CreateHTTPConnector and CreateBigQueryConnector with `connections` given inline: made as
CreateConnection makes them, in the same transaction as the connector."""

import pytest

from dashboard.embedded_api import crypto
from dashboard.embedded_api.models import Connection, Connector, Credential
from tests.embedded_api.connections_support import secret
from tests.embedded_api.connector_bodies import api_key_config, http_connector


def _connection(config: dict, name: str = "production", value: str | None = None) -> dict:
    return {
        "name": name,
        "credentials": {
            "action": [
                {
                    "authSchemeConfig": config,
                    "credential": {
                        "name": "API key",
                        "type": "string",
                        "data": {"value": value or secret("k")},
                    },
                }
            ]
        },
        "variables": [{"name": "region", "value": "eu"}],
    }


def _create(api, **fields):
    return api.post(f"{api.o}/protocols/http/connectors", json=http_connector(**fields))


def test_an_http_connector_is_created_with_its_connections_and_their_credentials(api):
    config = api_key_config()
    planted = secret("inline")

    response = _create(
        api,
        authSchemeConfigs=[config],
        connections=[_connection(config, value=planted), _connection(config, name="staging")],
    )

    assert response.status_code == 201, response.text
    connections = response.json()["connections"]
    assert sorted(c["name"] for c in connections) == ["production", "staging"]
    production = next(c for c in connections if c["name"] == "production")
    assert production["variables"] == [{"name": "region", "value": "eu"}]
    [link] = production["credentials"]["action"]
    assert link["authSchemeConfig"]["id"] == config["id"]
    assert link["credential"]["authSchemeType"] == "api-key"
    assert link["credential"]["data"] == {"value": ""}
    assert planted not in response.text
    stored = Credential.objects.get(pk=link["credential"]["id"])
    assert crypto.decrypt(stored.secret_data) == {"value": planted}
    read_back = api.get(f"{api.o}/connectors/{response.json()['id']}").json()
    assert read_back["connections"] == connections


def test_a_bigquery_connector_is_created_with_a_connection(api):
    response = api.post(
        f"{api.o}/protocols/bigquery/connectors",
        json={
            "name": "Warehouse",
            "datasetId": "acme.sales",
            "connections": [{"name": "production", "credentials": {}, "variables": []}],
        },
    )

    assert response.status_code == 201, response.text
    assert [c["name"] for c in response.json()["connections"]] == ["production"]


@pytest.mark.parametrize(
    ("connection", "field"),
    [
        (
            lambda config: _connection(config) | {"variables": None},
            "connections[0].variables",
        ),
        (
            lambda config: _connection(api_key_config()),
            "connections[0].credentials.action[0].authSchemeConfig.id",
        ),
        (
            lambda config: (
                _connection(config)
                | {
                    "credentials": {
                        "action": [{"authSchemeConfig": config, "credential": {"type": "string"}}]
                    }
                }
            ),
            "connections[0].credentials.action[0].credential.name",
        ),
    ],
)
def test_a_bad_connection_is_a_400_naming_it_and_nothing_is_created(api, connection, field):
    config = api_key_config()
    response = _create(api, authSchemeConfigs=[config], connections=[connection(config)])

    assert response.status_code == 400, response.text
    assert field in [item["field"] for item in response.json()["fields"]]
    assert not Connector.objects.exists()
    assert not Credential.objects.exists()


def test_two_connections_with_one_name_are_a_409_and_nothing_is_created(api):
    config = api_key_config()
    response = _create(
        api, authSchemeConfigs=[config], connections=[_connection(config), _connection(config)]
    )

    assert response.status_code == 409
    assert response.json()["fields"][0]["field"] == "connections[1].name"
    assert not Connection.objects.exists()
    assert not Credential.objects.exists()
