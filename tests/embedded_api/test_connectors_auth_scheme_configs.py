"""UpsertAuthSchemeConfig and DeleteAuthSchemeConfig: the six scheme types, validation,
computed validationMessages, order, and OAuth 2.0 client secrets kept in credentials."""

import pytest

from dashboard.embedded_api import crypto
from dashboard.embedded_api.models import (
    AuthSchemeConfig,
    Connection,
    ConnectionCredential,
    Credential,
)
from tests.embedded_api.connector_bodies import (
    api_key_config,
    basic_auth_config,
    certificate_config,
    create_http,
    hmac_config,
    new_id,
    none_config,
    oauth2_config,
)

AUTHORIZATION_CODE = {"grantType": "authorization_code", "clientId": "app", "clientSecret": "s1"}
PASSWORD = {"grantType": "password", "clientId": "app", "clientSecret": "s1"}
CLIENT_CREDENTIALS = {"grantType": "client_credentials"}


def put(api, connector: dict, config: dict, config_id: str | None = None):
    path = f"{api.o}/connectors/{connector['id']}/auth-scheme-configs/{config_id or config['id']}"
    return api.put(path, json=config)


def delete(api, connector: dict, config_id: str):
    return api.delete(f"{api.o}/connectors/{connector['id']}/auth-scheme-configs/{config_id}")


def messages(config: dict) -> list[str]:
    return [f"{m['severity']}: {m['text']}" for m in config["validationMessages"]]


@pytest.fixture
def connector(api) -> dict:
    return create_http(api, authSchemeConfigs=[none_config()])


@pytest.mark.parametrize(
    "config",
    [
        none_config(),
        api_key_config(),
        basic_auth_config(),
        certificate_config(),
        hmac_config(),
        oauth2_config(grant=AUTHORIZATION_CODE),
        oauth2_config(grant=CLIENT_CREDENTIALS, authorizeUrl=""),
        oauth2_config(grant=PASSWORD, authorizeUrl=""),
    ],
    ids=lambda c: f"{c['schemeType']}-{c.get('grant', {}).get('grantType', '')}",
)
def test_upsert_adds_a_config_of_each_scheme_type_after_the_others(api, connector, config):
    response = put(api, connector, config)
    assert response.status_code == 200
    updated = response.json()
    added = updated["authSchemeConfigs"][-1]
    assert len(updated["authSchemeConfigs"]) == 2
    assert added["id"] == config["id"]
    assert added["schemeType"] == config["schemeType"]
    for name, value in config.items():
        if name == "scopes":  # A scope's description defaults to "".
            assert [s["name"] for s in added[name]] == [s["name"] for s in value]
        elif name != "grant":
            assert added[name] == value
    assert "clientSecret" not in added.get("grant", {})
    assert updated["updatedAt"] > connector["updatedAt"]


def test_upsert_replaces_a_config_in_place(api):
    configs = [api_key_config(), none_config(), hmac_config()]
    connector = create_http(api, authSchemeConfigs=configs)
    replacement = api_key_config(id=configs[0]["id"], name="Authorization", description="new")
    updated = put(api, connector, replacement).json()
    assert [c["id"] for c in updated["authSchemeConfigs"]] == [c["id"] for c in configs]
    assert updated["authSchemeConfigs"][0]["name"] == "Authorization"
    assert AuthSchemeConfig.objects.count() == 3


def test_the_same_config_id_may_be_used_by_another_connector(api, connector):
    config = api_key_config()
    other = create_http(api, name="other")
    assert put(api, connector, config).status_code == 200
    assert put(api, other, config).status_code == 200


def test_upsert_refuses_a_body_id_that_differs_from_the_path(api, connector):
    response = put(api, connector, api_key_config(), config_id=new_id())
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "id"


def test_upsert_accepts_the_path_id_in_lower_case(api, connector):
    config = api_key_config()
    assert put(api, connector, config, config_id=config["id"].lower()).status_code == 200


@pytest.mark.parametrize(
    ("config", "field"),
    [
        ({"id": new_id(), "description": ""}, "schemeType"),
        (none_config(schemeType="google-service-account"), "schemeType"),
        (none_config(description=None), "description"),
        (api_key_config(name=None), "name"),
        (api_key_config(**{"in": "path"}), "in"),
        (hmac_config(algorithm="md5"), "algorithm"),
        (hmac_config(digestInputs=["headers"]), "digestInputs[0]"),
        (oauth2_config(tokenUrl="not a url"), "tokenUrl"),
        (oauth2_config(tokenUrl="ftp://auth.example.com/token"), "tokenUrl"),
        (oauth2_config(scopes=[{"description": "no name"}]), "scopes[0].name"),
        (oauth2_config(grant={"grantType": "implicit"}), "grant.grantType"),
        (oauth2_config(grant={**AUTHORIZATION_CODE}, authorizeUrl=""), "body"),
        (
            oauth2_config(grant={"grantType": "password", "credentialId": new_id()}),
            "grant",
        ),
        (
            oauth2_config(grant={"grantType": "password", "clientId": "only the id"}),
            "grant.clientSecret",
        ),
    ],
)
def test_upsert_validates_each_scheme_type_and_names_the_field(api, connector, config, field):
    response = put(api, connector, config)
    assert response.status_code == 400
    assert field in [f["field"] for f in response.json()["fields"]]
    assert api.get(f"{api.o}/connectors/{connector['id']}").json() == connector


def test_validation_messages_sent_by_the_client_are_ignored(api, connector):
    config = api_key_config(validationMessages=[{"text": "all good", "severity": "info"}])
    added = put(api, connector, config).json()["authSchemeConfigs"][-1]
    assert added["validationMessages"] == []


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (api_key_config(**{"in": "query"}), "info: The API key is sent in the query string"),
        (hmac_config(digestInputs=[]), "error: No digest inputs are selected"),
        (hmac_config(algorithm="sha1"), "warning: SHA-1 is weak"),
        (
            oauth2_config(defaultScopes=["read", "admin"]),
            "warning: Some default scopes are not among the listed scopes.",
        ),
        (
            oauth2_config(tokenUrl="http://auth.example.com/token"),
            "warning: OAuth 2.0 endpoints should use HTTPS",
        ),
        (
            oauth2_config(grant={"grantType": "authorization_code"}),
            "info: No client ID and secret are configured",
        ),
        (oauth2_config(mtlsEnabled=True), "warning: mTLS is enabled but the connector has no"),
    ],
)
def test_the_api_computes_validation_messages(api, connector, config, expected):
    added = put(api, connector, config).json()["authSchemeConfigs"][-1]
    assert any(message.startswith(expected) for message in messages(added)), messages(added)


def test_a_plain_http_base_url_is_flagged_on_credentials_sent_with_it(api):
    connector = create_http(api, baseUrl="http://shop.example.com", authSchemeConfigs=[])
    added = put(api, connector, basic_auth_config()).json()["authSchemeConfigs"][-1]
    assert any("plain HTTP" in message for message in messages(added))


def test_messages_follow_changes_to_the_other_configs(api):
    mtls = oauth2_config(mtlsEnabled=True)
    connector = create_http(api, authSchemeConfigs=[mtls])
    assert any("mTLS" in m for m in messages(connector["authSchemeConfigs"][0]))
    updated = put(api, connector, certificate_config()).json()
    assert not any("mTLS" in m for m in messages(updated["authSchemeConfigs"][0]))


def test_undescribed_configs_of_one_type_are_asked_for_a_description(api, connector):
    updated = put(api, connector, none_config()).json()
    assert all(
        any("describe each" in m for m in messages(config))
        for config in updated["authSchemeConfigs"]
    )


# --- OAuth 2.0 client secrets ------------------------------------------------------------------


def oauth2_with_secret(api, connector: dict) -> tuple[dict, Credential]:
    config = oauth2_config(grant=AUTHORIZATION_CODE)
    added = put(api, connector, config).json()["authSchemeConfigs"][-1]
    return added, Credential.objects.get(pk=added["grant"]["credentialId"])


def test_the_client_secret_goes_into_an_encrypted_credential_never_into_responses(api, connector):
    added, credential = oauth2_with_secret(api, connector)
    assert added["grant"] == {
        "grantType": "authorization_code",
        "credentialId": credential.pk,
        "organisationId": api.org,
        "clientId": "app",
    }
    assert credential.type == "oauth2-client"
    assert credential.public_data["tokenUrl"] == "https://auth.example.com/token"
    assert crypto.decrypt(credential.secret_data) == {"clientSecret": "s1"}
    # Quotes are outside Fernet's alphabet: plaintext JSON would show them, ciphertext never.
    assert '"s1"' not in credential.secret_data and "clientSecret" not in credential.secret_data
    body = api.get(f"{api.o}/connectors/{connector['id']}").text
    assert '"s1"' not in body


def test_sending_back_the_config_as_read_keeps_the_secret(api, connector):
    added, credential = oauth2_with_secret(api, connector)
    again = put(api, connector, added).json()["authSchemeConfigs"][-1]
    assert again["grant"]["credentialId"] == credential.pk
    credential.refresh_from_db()
    assert crypto.decrypt(credential.secret_data) == {"clientSecret": "s1"}


def test_a_new_client_secret_rotates_the_same_credential(api, connector):
    added, credential = oauth2_with_secret(api, connector)
    added["grant"] |= {"clientId": "app-2", "clientSecret": "s2"}
    again = put(api, connector, added).json()["authSchemeConfigs"][-1]
    assert again["grant"]["credentialId"] == credential.pk
    assert again["grant"]["clientId"] == "app-2"
    credential.refresh_from_db()
    assert crypto.decrypt(credential.secret_data) == {"clientSecret": "s2"}
    assert Credential.objects.count() == 1


def test_another_organisations_credential_cannot_be_referenced(api, other_api, connector):
    theirs = create_http(other_api)
    _, credential = oauth2_with_secret(other_api, theirs)
    grant = {
        "grantType": "authorization_code",
        "credentialId": credential.pk,
        "organisationId": credential.organisation_id,
    }
    response = put(api, connector, oauth2_config(grant=grant))
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "grant.credentialId"


def test_a_library_connectors_client_can_be_referenced_but_not_changed(api, other_api, connector):
    library = create_http(other_api, public=True)
    _, credential = oauth2_with_secret(other_api, library)
    grant = {
        "grantType": "authorization_code",
        "credentialId": credential.pk,
        "organisationId": credential.organisation_id,
    }
    assert put(api, connector, oauth2_config(grant=grant)).status_code == 200
    response = put(api, connector, oauth2_config(grant=grant | {"clientSecret": "mine"}))
    assert response.status_code == 400
    credential.refresh_from_db()
    assert crypto.decrypt(credential.secret_data) == {"clientSecret": "s1"}


def test_replacing_an_oauth2_config_with_another_scheme_deletes_its_client(api, connector):
    added, credential = oauth2_with_secret(api, connector)
    put(api, connector, api_key_config(id=added["id"]))
    assert not Credential.objects.filter(pk=credential.pk).exists()


# --- DeleteAuthSchemeConfig ----------------------------------------------------------------


def test_delete_removes_the_config_and_answers_with_the_connector(api):
    configs = [api_key_config(), none_config(), hmac_config()]
    connector = create_http(api, authSchemeConfigs=configs)
    response = delete(api, connector, configs[1]["id"])
    assert response.status_code == 200
    remaining = [c["id"] for c in response.json()["authSchemeConfigs"]]
    assert remaining == [configs[0]["id"], configs[2]["id"]]
    assert response.json()["updatedAt"] > connector["updatedAt"]


def test_delete_of_an_unknown_config_is_404(api, connector):
    response = delete(api, connector, new_id())
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_delete_deletes_the_client_credential_the_config_created(api, connector):
    added, credential = oauth2_with_secret(api, connector)
    delete(api, connector, added["id"])
    assert not Credential.objects.filter(pk=credential.pk).exists()


def test_delete_keeps_a_client_credential_a_connection_uses(api, connector):
    added, credential = oauth2_with_secret(api, connector)
    connection = Connection.objects.create(connector_id=connector["id"], name="production")
    ConnectionCredential.objects.create(
        connection=connection,
        credential=credential,
        kind="action",
        position=0,
        auth_scheme_config_id=added["id"],
        auth_scheme_config=added,
    )
    assert delete(api, connector, added["id"]).status_code == 200
    assert Credential.objects.filter(pk=credential.pk).exists()


def test_configs_of_another_organisations_connector_are_404(api, other_api):
    theirs = create_http(other_api, public=True, authSchemeConfigs=[none_config()])
    config_id = theirs["authSchemeConfigs"][0]["id"]
    path = f"{api.o}/connectors/{theirs['id']}/auth-scheme-configs/{config_id}"
    assert api.put(path, json=none_config(id=config_id)).status_code == 404
    assert api.delete(path).status_code == 404


def test_upsert_from_a_stale_read_of_the_connector_is_refused_with_412(api, connector):
    api.put(f"{api.o}/connectors/{connector['id']}/tags", json={"tags": {"changed": []}})
    config = api_key_config()
    path = f"{api.o}/connectors/{connector['id']}/auth-scheme-configs/{config['id']}"
    stale = api.put(path, json=config, headers={"If-Match": connector["updatedAt"]})
    assert stale.status_code == 412
    current = api.get(f"{api.o}/connectors/{connector['id']}").json()
    assert len(current["authSchemeConfigs"]) == 1
    fresh = api.put(path, json=config, headers={"If-Match": current["updatedAt"]})
    assert fresh.status_code == 200
