"""CreateHTTPConnector and CreateBigQueryConnector."""

import pytest

from dashboard.embedded_api.models import AuthSchemeConfig, Connector
from tests.embedded_api.connector_bodies import (
    api_key_config,
    create_http,
    hmac_config,
    http_connector,
    new_id,
    none_config,
    oauth2_config,
)


def test_create_http_connector_answers_201_with_the_connector(api):
    configs = [api_key_config(), none_config()]
    connector = create_http(
        api,
        name="  Shopify  ",
        baseUrl="https://shop.example.com/admin",
        connectionVariables=[{"name": "shop", "value": "acme"}],
        authSchemeConfigs=configs,
        tags={"env": ["prod", "eu"], "team": []},
        public=True,
    )
    assert connector["name"] == "Shopify"
    assert connector["organisationId"] == api.org
    assert connector["protocol"] == "http"
    assert connector["baseUrl"] == "https://shop.example.com/admin"
    assert connector["public"] is True
    assert connector["tags"] == {"env": ["prod", "eu"], "team": []}
    assert connector["connectionVariables"] == [{"name": "shop", "value": "acme"}]
    assert [c["id"] for c in connector["authSchemeConfigs"]] == [c["id"] for c in configs]
    assert connector["connections"] == [] and connector["versions"] == []
    assert connector["createdAt"] == connector["updatedAt"]


def test_a_created_connector_can_be_read_back(api):
    created = create_http(api, authSchemeConfigs=[hmac_config()])
    response = api.get(f"{api.o}/connectors/{created['id']}")
    assert response.status_code == 200
    assert response.json() == created


def test_create_http_connector_keeps_the_auth_scheme_configs_in_the_order_given(api):
    configs = [oauth2_config(), none_config(), api_key_config(), hmac_config()]
    connector = create_http(api, authSchemeConfigs=configs)
    assert [c["schemeType"] for c in connector["authSchemeConfigs"]] == [
        "oauth2",
        "none",
        "api-key",
        "hmac",
    ]


def test_create_http_connector_refuses_repeated_auth_scheme_config_ids(api):
    config = api_key_config()
    response = api.post(
        f"{api.o}/protocols/http/connectors",
        json=http_connector(authSchemeConfigs=[config, none_config(id=config["id"])]),
    )
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "authSchemeConfigs"
    assert Connector.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": 42}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"baseUrl": None}, "baseUrl"),
        ({"public": "yes"}, "public"),
        ({"authSchemeConfigs": None}, "authSchemeConfigs"),
        (
            {"authSchemeConfigs": [{"id": new_id(), "description": ""}]},
            "authSchemeConfigs[0].schemeType",
        ),
        (
            {"authSchemeConfigs": [none_config(schemeType="kerberos")]},
            "authSchemeConfigs[0].schemeType",
        ),
        ({"authSchemeConfigs": [none_config(id="k1")]}, "authSchemeConfigs[0].id"),
        ({"authSchemeConfigs": [api_key_config(name="")]}, "authSchemeConfigs[0].name"),
        ({"authSchemeConfigs": [api_key_config(**{"in": "body"})]}, "authSchemeConfigs[0].in"),
        ({"tags": {"env": "prod"}}, "tags.env"),
        ({"tags": {"a:b": []}}, "tags.a:b.[key]"),
        ({"tags": {"env": ["a,b"]}}, "tags.env[0]"),
        ({"connectionVariables": [{"name": "x"}]}, "connectionVariables[0].value"),
        (
            {"connectionVariables": [{"name": "x", "value": "1"}, {"name": "x", "value": "2"}]},
            "connectionVariables",
        ),
    ],
)
def test_create_http_connector_names_the_field_of_a_bad_body(api, body, field):
    response = api.post(f"{api.o}/protocols/http/connectors", json=http_connector(**body))
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "bad_request"
    assert field in [f["field"] for f in error["fields"]]


def test_create_http_connector_refuses_a_body_that_is_not_json(api):
    response = api.post(
        f"{api.o}/protocols/http/connectors",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["message"] == "The request body is not valid JSON."


def test_create_http_connector_refuses_a_json_array(api):
    response = api.post(f"{api.o}/protocols/http/connectors", json=[1, 2])
    assert response.status_code == 400


def test_create_http_connector_in_another_organisation_is_404(api, other_api):
    response = api.post(f"{other_api.o}/protocols/http/connectors", json=http_connector())
    assert response.status_code == 404
    assert Connector.objects.count() == 0


def test_create_http_connector_never_returns_the_oauth2_client_secret(api):
    grant = {"grantType": "authorization_code", "clientId": "app-1", "clientSecret": "s3cr3t!"}
    connector = create_http(api, authSchemeConfigs=[oauth2_config(grant=grant)])
    assert "s3cr3t!" not in str(connector)
    stored = connector["authSchemeConfigs"][0]["grant"]
    assert stored["clientId"] == "app-1" and "clientSecret" not in stored
    assert "s3cr3t!" not in str(AuthSchemeConfig.objects.get().config)


def test_create_bigquery_connector_answers_201_with_the_dataset(api):
    response = api.post(
        f"{api.o}/protocols/bigquery/connectors",
        json={"name": "Warehouse", "datasetId": "acme-prod.sales", "connections": []},
    )
    assert response.status_code == 201
    connector = response.json()
    assert connector["protocol"] == "bigquery"
    assert connector["datasetId"] == "acme-prod.sales"
    assert "baseUrl" not in connector
    assert api.get(f"{api.o}/connectors/{connector['id']}").json() == connector


@pytest.mark.parametrize(
    "body",
    [
        {"name": "Warehouse", "datasetId": "no-dataset", "connections": []},
        {"name": "Warehouse", "datasetId": "a.b c", "connections": []},
        {"name": "Warehouse", "datasetId": "acme.sales"},
        {"datasetId": "acme.sales", "connections": []},
    ],
)
def test_create_bigquery_connector_refuses_a_bad_body(api, body):
    response = api.post(f"{api.o}/protocols/bigquery/connectors", json=body)
    assert response.status_code == 400
    assert response.json()["fields"]


def test_a_bigquery_connector_takes_only_the_schemes_its_protocol_supports(api):
    connector = api.post(
        f"{api.o}/protocols/bigquery/connectors",
        json={"name": "Warehouse", "datasetId": "acme.sales", "connections": []},
    ).json()
    config = api_key_config()
    response = api.put(
        f"{api.o}/connectors/{connector['id']}/auth-scheme-configs/{config['id']}", json=config
    )
    assert response.status_code == 400
    assert response.json()["fields"] == [
        {"field": "schemeType", "message": "bigquery connectors support: oauth2"}
    ]
