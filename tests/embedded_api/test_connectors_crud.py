"""GetConnector, UpdateConnector, DeleteConnector, UpdateConnectorTags and
UpdateConnectorCategories."""

import pytest

from dashboard.embedded_api.models import (
    Connection,
    Connector,
    ConnectorTag,
    ConnectorVersion,
    Subscription,
)
from tests.embedded_api.connector_bodies import (
    api_key_config,
    create_http,
    hmac_config,
    http_connector,
    new_id,
    none_config,
    update_body,
)


def url(api, connector: dict, suffix: str = "") -> str:
    return f"{api.o}/connectors/{connector['id']}{suffix}"


# --- GetConnector ----------------------------------------------------------------------------


def test_get_connector_accepts_the_id_in_lower_case(api):
    connector = create_http(api)
    assert api.get(f"{api.o}/connectors/{connector['id'].lower()}").json() == connector


@pytest.mark.parametrize("connector_id", ["nope", "0" * 27, "ZZZZZZZZZZZZZZZZZZZZZZZZZZ", "é" * 26])
def test_get_connector_with_a_malformed_id_is_404(api, connector_id):
    response = api.get(f"{api.o}/connectors/{connector_id}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_get_connector_of_an_unknown_id_is_404(api):
    assert api.get(f"{api.o}/connectors/{new_id()}").status_code == 404


def test_another_organisations_connector_is_404_even_when_public(api, other_api):
    theirs = create_http(other_api, public=True)
    assert api.get(url(api, theirs)).status_code == 404
    assert api.get(url(other_api, theirs)).status_code == 404


def test_another_organisations_public_connector_cannot_be_changed(api, other_api):
    theirs = create_http(other_api, public=True)
    for response in (
        api.put(url(api, theirs), json=update_body(theirs, name="mine now")),
        api.put(url(api, theirs, "/tags"), json={"tags": {}}),
        api.put(url(api, theirs, "/categories"), json={"categories": []}),
        api.delete(url(api, theirs)),
    ):
        assert response.status_code == 404
    assert other_api.get(url(other_api, theirs)).json() == theirs


# --- UpdateConnector -------------------------------------------------------------------------


def test_update_connector_changes_every_mutable_field_and_bumps_updated_at(api):
    connector = create_http(api)
    body = update_body(
        connector,
        name="Shopify Plus",
        baseUrl="https://plus.example.com",
        public=True,
        documentationURL="https://docs.example.com",
        imageURL="https://img.example.com/logo.png",
        tags={"tier": ["plus"]},
    )
    response = api.put(url(api, connector), json=body)
    assert response.status_code == 200
    updated = response.json()
    assert updated["name"] == "Shopify Plus"
    assert updated["baseUrl"] == "https://plus.example.com"
    assert updated["public"] is True
    assert updated["documentationURL"] == "https://docs.example.com"
    assert updated["imageURL"] == "https://img.example.com/logo.png"
    assert updated["tags"] == {"tier": ["plus"]}
    assert updated["updatedAt"] > connector["updatedAt"]
    assert updated["createdAt"] == connector["createdAt"]
    assert api.get(url(api, connector)).json() == updated


def test_update_connector_unsets_the_fields_left_out(api):
    connector = create_http(api, tags={"env": ["prod"]}, public=True)
    api.put(url(api, connector), json=update_body(connector, documentationURL="https://d.example"))
    minimal = {k: connector[k] for k in ("id", "organisationId", "name", "protocol", "baseUrl")}
    updated = api.put(url(api, connector), json=minimal).json()
    assert updated["tags"] == {}
    assert updated["public"] is False
    assert updated["documentationURL"] == ""


def test_update_connector_keeps_connection_variables_when_left_out(api):
    connector = create_http(api, connectionVariables=[{"name": "shop", "value": "acme"}])
    body = update_body(connector)
    del body["connectionVariables"]
    updated = api.put(url(api, connector), json=body).json()
    assert updated["connectionVariables"] == [{"name": "shop", "value": "acme"}]


def test_update_connector_gives_every_connection_the_new_variables(api):
    connector = create_http(
        api, connectionVariables=[{"name": "shop", "value": "demo"}, {"name": "old", "value": "x"}]
    )
    connection = Connection.objects.create(
        connector_id=connector["id"],
        name="production",
        variables=[{"name": "shop", "value": "acme"}, {"name": "old", "value": "y"}],
    )
    variables = [{"name": "shop", "value": "demo"}, {"name": "region", "value": "eu"}]
    api.put(url(api, connector), json=update_body(connector, connectionVariables=variables))
    connection.refresh_from_db()
    # The connection keeps its own value for `shop`, gains `region`, loses `old`.
    assert connection.variables == [
        {"name": "shop", "value": "acme"},
        {"name": "region", "value": "eu"},
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id": new_id()}, "id"),
        ({"organisationId": new_id()}, "organisationId"),
        ({"protocol": "bigquery", "datasetId": "a.b"}, "protocol"),
        ({"protocol": "smtp"}, "protocol"),
        ({"name": ""}, "name"),
        ({"baseUrl": None}, "baseUrl"),
        ({"tags": ["env"]}, "tags"),
    ],
)
def test_update_connector_refuses_a_bad_body_and_changes_nothing(api, change, field):
    connector = create_http(api)
    response = api.put(url(api, connector), json=update_body(connector, **change))
    assert response.status_code == 400
    assert field in [f["field"] for f in response.json()["fields"]]
    assert api.get(url(api, connector)).json() == connector


def test_update_connector_reorders_the_auth_scheme_configs(api):
    configs = [api_key_config(), none_config(), hmac_config()]
    connector = create_http(api, authSchemeConfigs=configs)
    order = [configs[2]["id"], configs[0]["id"], configs[1]["id"]]
    updated = api.put(
        url(api, connector), json=update_body(connector, authSchemeConfigIds=order)
    ).json()
    assert [c["id"] for c in updated["authSchemeConfigs"]] == order
    assert [c["id"] for c in api.get(url(api, connector)).json()["authSchemeConfigs"]] == order


@pytest.mark.parametrize("pick", [lambda ids: ids[:1], lambda ids: [*ids, ids[0]], lambda ids: []])
def test_update_connector_refuses_config_ids_that_are_not_a_reordering(api, pick):
    configs = [api_key_config(), none_config()]
    connector = create_http(api, authSchemeConfigs=configs)
    ids = pick([c["id"] for c in configs])
    response = api.put(url(api, connector), json=update_body(connector, authSchemeConfigIds=ids))
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "authSchemeConfigIds"


def test_update_connector_with_a_current_if_match_succeeds(api):
    connector = create_http(api)
    response = api.put(
        url(api, connector),
        json=update_body(connector, name="renamed"),
        headers={"If-Match": connector["updatedAt"]},
    )
    assert response.status_code == 200


def test_update_connector_from_a_stale_read_is_refused_with_412(api):
    stale = create_http(api)
    api.put(url(api, stale), json=update_body(stale, name="someone else's edit"))
    response = api.put(
        url(api, stale),
        json=update_body(stale, name="my edit"),
        headers={"If-Unmodified-Since": stale["updatedAt"]},
    )
    assert response.status_code == 412
    assert api.get(url(api, stale)).json()["name"] == "someone else's edit"


def test_update_bigquery_connector_changes_the_dataset(api):
    connector = api.post(
        f"{api.o}/protocols/bigquery/connectors",
        json={"name": "Warehouse", "datasetId": "acme.sales", "connections": []},
    ).json()
    updated = api.put(url(api, connector), json=update_body(connector, datasetId="acme.finance"))
    assert updated.status_code == 200
    assert updated.json()["datasetId"] == "acme.finance"


# --- DeleteConnector -------------------------------------------------------------------------


def test_delete_connector_answers_204_and_the_connector_is_gone(api):
    connector = create_http(api, tags={"env": ["prod"]}, authSchemeConfigs=[api_key_config()])
    response = api.delete(url(api, connector))
    assert response.status_code == 204
    assert response.content == b""
    assert api.get(url(api, connector)).status_code == 404
    assert not ConnectorTag.objects.exists()
    assert api.get(f"{api.o}/connectors").json()["totalCount"] == 0


def test_delete_connector_of_an_unknown_id_is_404(api):
    assert api.delete(f"{api.o}/connectors/{new_id()}").status_code == 404


@pytest.fixture
def subscribed(api) -> dict:
    """A connector another product (e.g. a live Switchboard board) subscribes to."""
    connector = create_http(api)
    version = ConnectorVersion.objects.create(connector_id=connector["id"], name="1.0")
    Subscription.objects.create(version=version, subscriber="switchboard", reference="board-1")
    return connector


def test_delete_connector_in_use_by_another_product_is_refused_with_409(api, subscribed):
    response = api.delete(url(api, subscribed))
    assert response.status_code == 409
    assert response.json()["code"] == "connector_in_use"
    assert "force" in response.json()["message"]
    assert Connector.objects.filter(pk=subscribed["id"]).exists()


def test_delete_connector_in_use_goes_with_force(api, subscribed):
    assert api.delete(url(api, subscribed), params={"force": "true"}).status_code == 204
    assert not Connector.objects.filter(pk=subscribed["id"]).exists()


def test_delete_connector_refuses_a_force_that_is_not_a_boolean(api, subscribed):
    response = api.delete(url(api, subscribed), params={"force": "please"})
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "force"


# --- UpdateConnectorTags and UpdateConnectorCategories -------------------------------------


def test_update_tags_replaces_all_tags_and_bumps_updated_at(api):
    connector = create_http(api, tags={"env": ["prod"], "team": ["core"]})
    response = api.put(url(api, connector, "/tags"), json={"tags": {"env": ["dev", "dev", "qa"]}})
    assert response.status_code == 204
    after = api.get(url(api, connector)).json()
    assert after["tags"] == {"env": ["dev", "qa"]}
    assert after["updatedAt"] > connector["updatedAt"]


def test_update_tags_without_tags_clears_them(api):
    connector = create_http(api, tags={"env": ["prod"]})
    assert api.put(url(api, connector, "/tags"), json={}).status_code == 204
    assert api.get(url(api, connector)).json()["tags"] == {}


@pytest.mark.parametrize(
    "body",
    [
        {"tags": {"": ["x"]}},
        {"tags": {"a,b": []}},
        {"tags": {"env": [""]}},
        {"tags": {"env": [1]}},
        {"tags": {f"k{i}": [] for i in range(51)}},
        {"tags": "env:prod"},
    ],
)
def test_update_tags_refuses_bad_tags_and_keeps_the_old_ones(api, body):
    connector = create_http(api, tags={"env": ["prod"]})
    response = api.put(url(api, connector, "/tags"), json=body)
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"].startswith("tags")
    assert api.get(url(api, connector)).json()["tags"] == {"env": ["prod"]}


def test_update_categories_replaces_them_and_bumps_updated_at(api):
    connector = create_http(api)
    response = api.put(
        url(api, connector, "/categories"), json={"categories": ["CRM", "eCommerce", "CRM"]}
    )
    assert response.status_code == 204
    after = api.get(url(api, connector)).json()
    assert after["categories"] == ["CRM", "eCommerce"]
    assert after["updatedAt"] > connector["updatedAt"]
    api.put(url(api, connector, "/categories"), json={"categories": ["HR"]})
    assert api.get(url(api, connector)).json()["categories"] == ["HR"]


def test_update_categories_refuses_an_unknown_category_naming_it(api):
    connector = create_http(api)
    response = api.put(
        url(api, connector, "/categories"), json={"categories": ["CRM", "Astrology"]}
    )
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "categories[1]"
    assert api.get(url(api, connector)).json()["categories"] == []


def test_an_unsupported_method_is_a_405_in_the_contract_format(api):
    connector = create_http(api)
    response = api.post(url(api, connector))
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


SCRIPT_URLS = ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:,x"]


@pytest.mark.parametrize("script_url", SCRIPT_URLS)
def test_a_base_url_that_is_not_http_is_refused_with_a_field_error(api, script_url):
    response = api.post(
        f"{api.o}/protocols/http/connectors", json=http_connector(baseUrl=script_url)
    )

    assert response.status_code == 400
    assert [f["field"] for f in response.json()["fields"]] == ["baseUrl"]


@pytest.mark.parametrize("field", ["documentationURL", "imageURL", "baseUrl"])
@pytest.mark.parametrize("script_url", SCRIPT_URLS)
def test_an_update_with_a_url_that_is_not_http_is_refused_and_changes_nothing(
    api, field, script_url
):
    connector = create_http(api)

    response = api.put(url(api, connector), json=update_body(connector, **{field: script_url}))

    assert response.status_code == 400
    assert [f["field"] for f in response.json()["fields"]] == [field]
    assert api.get(url(api, connector)).json() == connector
