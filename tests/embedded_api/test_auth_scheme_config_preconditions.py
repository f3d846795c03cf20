"""UpsertAuthSchemeConfig honours If-Match / If-Unmodified-Since with the connector's
updatedAt, so an auth scheme config edited on a stale page never overwrites a newer one."""

from tests.embedded_api.connector_bodies import api_key_config, create_http


def put(api, connector: dict, config: dict, **headers):
    path = f"{api.o}/connectors/{connector['id']}/auth-scheme-configs/{config['id']}"
    return api.put(path, json=config, headers=headers)


def test_an_upsert_with_the_current_updated_at_is_saved(api):
    connector = create_http(api)

    response = put(api, connector, api_key_config(), **{"If-Match": f'"{connector["updatedAt"]}"'})

    assert response.status_code == 200
    assert len(response.json()["authSchemeConfigs"]) == 1


def test_an_upsert_made_from_a_stale_read_is_refused_and_changes_nothing(api):
    connector = create_http(api)
    config = api_key_config(name="X-Theirs")
    assert put(api, connector, config).status_code == 200  # someone else, meanwhile

    response = put(
        api, connector, {**config, "name": "X-Mine"}, **{"If-Match": f'"{connector["updatedAt"]}"'}
    )

    assert response.status_code == 412
    assert response.json()["code"] == "precondition_failed"
    current = api.get(f"{api.o}/connectors/{connector['id']}").json()
    assert current["authSchemeConfigs"][0]["name"] == "X-Theirs"
