"""A connector's connections: create with inline credentials, list, get, update, delete."""

import pytest

from dashboard.embedded_api import crypto
from dashboard.embedded_api.models import ConnectionSubscription, Connector, Credential
from tests.embedded_api.connections_support import config, make_connector, secret


@pytest.fixture
def api_key():
    return config("api-key", description="Production key")


@pytest.fixture
def basic():
    return config("basic-auth")


@pytest.fixture
def connector(api, api_key, basic):
    return make_connector(api.org, api_key, basic)


def _path(api, connector, connection_id=None):
    base = f"{api.o}/connectors/{connector.id}/connections"
    return f"{base}/{connection_id}" if connection_id else base


def _key(api_key, value=None, name="API key"):
    return {
        "authSchemeConfig": api_key,
        "credential": {"name": name, "type": "string", "data": {"value": value or secret("k")}},
    }


def _create(api, connector, api_key, name="production", **body):
    body = {"name": name, "credentials": {"action": [_key(api_key)]}, "variables": [], **body}
    return api.post(_path(api, connector), json=body)


def test_it_creates_a_connection_with_an_inline_credential(api, connector, api_key):
    planted = secret("api-key")

    response = api.post(
        _path(api, connector),
        json={
            "name": "production",
            "credentials": {"action": [_key(api_key, planted)]},
            "variables": [{"name": "region", "value": "eu"}],
        },
    )

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "production"
    assert body["variables"] == [{"name": "region", "value": "eu"}]
    assert body["credentials"]["trigger"] == []
    [link] = body["credentials"]["action"]
    assert link["authSchemeConfig"]["id"] == api_key["id"]
    assert link["authSchemeConfig"]["description"] == "Production key"
    assert link["credential"]["type"] == "string"
    assert link["credential"]["data"] == {"value": ""}
    assert planted not in response.text
    stored = Credential.objects.get(pk=link["credential"]["id"])
    assert crypto.decrypt(stored.secret_data) == {"value": planted}


def test_action_and_trigger_credentials_keep_their_order(api, connector, api_key, basic):
    login = {
        "authSchemeConfig": basic,
        "credential": {
            "name": "login",
            "type": "basic-auth",
            "data": {"username": "u", "password": secret("p")},
        },
    }

    body = api.post(
        _path(api, connector),
        json={
            "name": "both",
            "credentials": {
                "action": [login, _key(api_key, name="key")],
                "trigger": [_key(api_key, name="hook key")],
            },
            "variables": [],
        },
    ).json()

    assert [c["credential"]["name"] for c in body["credentials"]["action"]] == ["login", "key"]
    assert [c["credential"]["name"] for c in body["credentials"]["trigger"]] == ["hook key"]


def test_a_connection_can_use_an_existing_credential(api, connector, api_key):
    credential = api.post(
        f"{api.o}/credentials",
        json={"name": "shared", "type": "string", "data": {"value": secret("s")}},
    ).json()

    body = api.post(
        _path(api, connector),
        json={
            "name": "production",
            "credentials": {
                "action": [{"authSchemeConfig": api_key, "credential": {"id": credential["id"]}}]
            },
            "variables": [],
        },
    ).json()

    assert body["credentials"]["action"][0]["credential"]["id"] == credential["id"]


def test_creating_a_connection_bumps_the_connectors_updated_at(api, connector, api_key):
    before = Connector.objects.get(pk=connector.pk).updated_at

    _create(api, connector, api_key)

    assert Connector.objects.get(pk=connector.pk).updated_at > before


def test_connection_names_are_unique_per_connector(api, connector, api_key):
    _create(api, connector, api_key, name="production")

    response = _create(api, connector, api_key, name="production")

    assert response.status_code == 409
    assert response.json()["fields"][0]["field"] == "name"
    assert Credential.objects.filter(organisation_id=api.org).count() == 1


def test_the_same_name_is_fine_on_another_connector(api, connector, api_key):
    other = make_connector(api.org, api_key, name="Other")
    _create(api, connector, api_key, name="production")

    assert _create(api, other, api_key, name="production").status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            lambda c: {
                **c,
                "authSchemeConfig": {**c["authSchemeConfig"], "id": "01JAAAAAAAAAAAAAAAAAAAAAAA"},
            },
            "credentials.action[0].authSchemeConfig.id",
        ),
        (
            lambda c: {
                **c,
                "authSchemeConfig": {**c["authSchemeConfig"], "schemeType": "basic-auth"},
            },
            "credentials.action[0].authSchemeConfig.schemeType",
        ),
        (
            lambda c: {
                **c,
                "credential": {
                    **c["credential"],
                    "type": "basic-auth",
                    "data": {"username": "u", "password": "p"},
                },
            },
            "credentials.action[0].credential.type",
        ),
        (
            lambda c: {**c, "credential": {**c["credential"], "data": {"value": ""}}},
            "credentials.action[0].credential.data.value",
        ),
        (
            lambda c: {**c, "credential": {"type": "string", "data": {"value": "v"}}},
            "credentials.action[0].credential.name",
        ),
        (
            lambda c: {**c, "credential": {"id": "01JAAAAAAAAAAAAAAAAAAAAAAA"}},
            "credentials.action[0].credential.id",
        ),
        (lambda c: {"credential": c["credential"]}, "credentials.action[0].authSchemeConfig"),
    ],
)
def test_a_bad_credential_is_refused_with_the_field_named_and_nothing_kept(
    api, connector, api_key, change, field
):
    response = api.post(
        _path(api, connector),
        json={
            "name": "production",
            "credentials": {"action": [change(_key(api_key))]},
            "variables": [],
        },
    )

    assert response.status_code == 400
    assert field in [item["field"] for item in response.json()["fields"]]
    assert not connector.connections.exists()
    assert not Credential.objects.filter(organisation_id=api.org).exists()


@pytest.mark.parametrize(
    "body",
    [
        {"credentials": {}, "variables": []},
        {"name": "", "credentials": {}, "variables": []},
        {
            "name": "x",
            "credentials": {},
            "variables": [{"name": "a", "value": "1"}, {"name": "a", "value": "2"}],
        },
        {"name": "x", "credentials": {"action": "nope"}, "variables": []},
        [],
    ],
)
def test_a_malformed_body_is_a_400(api, connector, body):
    response = api.post(_path(api, connector), json=body)

    assert response.status_code == 400


def test_a_body_that_is_not_json_is_a_400(api, connector):
    response = api.post(
        _path(api, connector), content=b"{nope", headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400


def test_the_list_is_paged_most_recently_updated_first(api, connector, api_key):
    ids = [_create(api, connector, api_key, name=f"env {n}").json()["id"] for n in range(3)]

    first = api.get(_path(api, connector), params={"first": 2}).json()
    rest = api.get(_path(api, connector), params={"first": 2, "after": first["next"]}).json()

    assert first["totalCount"] == 3
    assert [c["id"] for c in first["items"] + rest["items"]] == ids[::-1]
    assert set(first["items"][0]) == {"id", "name", "createdAt", "updatedAt"}
    assert rest["prev"]


def test_another_organisations_connections_are_not_found(api, other_api, api_key):
    theirs = make_connector(other_api.org, api_key)
    connection = _create(other_api, theirs, api_key).json()

    assert api.get(f"{api.o}/connectors/{theirs.id}/connections").status_code == 404
    assert (
        api.get(f"{api.o}/connectors/{theirs.id}/connections/{connection['id']}").status_code == 404
    )
    assert api.get(f"{other_api.o}/connectors/{theirs.id}/connections").status_code == 404


@pytest.mark.parametrize("connection_id", ["nope", "01JAAAAAAAAAAAAAAAAAAAAAAA"])
def test_an_unknown_connection_is_a_404(api, connector, connection_id):
    assert api.get(_path(api, connector, connection_id)).status_code == 404


def test_a_connection_id_with_nul_is_a_400_naming_it(api, connector):
    response = api.get(_path(api, connector, "%00"))
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "connection_id"


def test_a_connection_of_another_connector_is_not_found_under_this_one(api, connector, api_key):
    other = make_connector(api.org, api_key, name="Other")
    connection = _create(api, other, api_key).json()

    assert api.get(_path(api, connector, connection["id"])).status_code == 404


def test_get_returns_the_connection(api, connector, api_key):
    created = _create(api, connector, api_key).json()

    response = api.get(_path(api, connector, created["id"]))

    assert response.json() == created


def _update(api, connector, connection, **changes):
    body = {"id": connection["id"], "name": connection["name"], **changes}
    return api.put(_path(api, connector, connection["id"]), json=body)


def test_it_renames_and_replaces_variables(api, connector, api_key):
    created = _create(api, connector, api_key, variables=[{"name": "a", "value": "1"}]).json()

    response = _update(
        api, connector, created, name="staging", variables=[{"name": "b", "value": "2"}]
    )

    assert response.status_code == 200
    assert response.json()["name"] == "staging"
    assert response.json()["variables"] == [{"name": "b", "value": "2"}]
    assert response.json()["updatedAt"] > created["updatedAt"]


def test_variables_left_out_are_kept(api, connector, api_key):
    created = _create(api, connector, api_key, variables=[{"name": "a", "value": "1"}]).json()

    body = _update(api, connector, created, name="renamed").json()

    assert body["variables"] == [{"name": "a", "value": "1"}]
    assert body["credentials"] == created["credentials"]


def test_renaming_to_a_taken_name_is_a_409(api, connector, api_key):
    _create(api, connector, api_key, name="production")
    staging = _create(api, connector, api_key, name="staging").json()

    response = _update(api, connector, staging, name="production")

    assert response.status_code == 409
    assert response.json()["fields"] == [{"field": "name", "message": response.json()["message"]}]


def test_an_update_naming_another_connection_is_refused(api, connector, api_key):
    created = _create(api, connector, api_key).json()

    response = api.put(
        _path(api, connector, created["id"]), json={"id": "01JAAAAAAAAAAAAAAAAAAAAAAA", "name": "x"}
    )

    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "id"


def _two_keys(api, connector, api_key):
    return api.post(
        _path(api, connector),
        json={
            "name": "production",
            "credentials": {"action": [_key(api_key, name="first"), _key(api_key, name="second")]},
            "variables": [],
        },
    ).json()


def _update_links(links, config_for=None):
    return [
        {"id": link["id"], "authSchemeConfig": config_for or link["authSchemeConfig"]}
        for link in links
    ]


def test_it_reorders_credentials(api, connector, api_key):
    created = _two_keys(api, connector, api_key)
    first, second = created["credentials"]["action"]

    body = _update(
        api, connector, created, credentials={"action": _update_links([second, first])}
    ).json()

    assert [c["credential"]["name"] for c in body["credentials"]["action"]] == ["second", "first"]


def test_a_credential_left_out_is_removed_and_its_inline_secret_deleted(api, connector, api_key):
    created = _two_keys(api, connector, api_key)
    first, second = created["credentials"]["action"]

    body = _update(api, connector, created, credentials={"action": _update_links([second])}).json()

    assert [c["credential"]["name"] for c in body["credentials"]["action"]] == ["second"]
    assert not Credential.objects.filter(pk=first["credential"]["id"]).exists()


def test_it_moves_a_credential_to_another_config_of_the_same_scheme(api, api_key):
    other_key = config("api-key", name="X-Other", description="Other key")
    connector = make_connector(api.org, api_key, other_key)
    created = _create(api, connector, api_key).json()

    body = _update(
        api,
        connector,
        created,
        credentials={"action": _update_links(created["credentials"]["action"], other_key)},
    ).json()

    assert body["credentials"]["action"][0]["authSchemeConfig"]["id"] == other_key["id"]


def test_the_scheme_type_of_a_credential_cannot_change(api, connector, api_key, basic):
    created = _create(api, connector, api_key).json()

    response = _update(
        api,
        connector,
        created,
        credentials={"action": _update_links(created["credentials"]["action"], basic)},
    )

    assert response.status_code == 400
    assert (
        response.json()["fields"][0]["field"] == "credentials.action[0].authSchemeConfig.schemeType"
    )


@pytest.mark.parametrize("kind", ["action", "trigger"])
def test_an_unknown_or_repeated_credential_id_is_refused(api, connector, api_key, kind):
    created = _create(api, connector, api_key).json()
    [link] = created["credentials"]["action"]

    response = _update(api, connector, created, credentials={kind: _update_links([link, link])})

    assert response.status_code == 400
    assert response.json()["fields"][0]["field"].startswith(f"credentials.{kind}[")


def test_a_connection_keeps_its_auth_scheme_config_after_the_config_is_deleted(
    api, connector, api_key
):
    created = _create(api, connector, api_key).json()
    connector.auth_scheme_configs.filter(config_id=api_key["id"]).delete()

    body = api.get(_path(api, connector, created["id"])).json()

    assert body["credentials"]["action"][0]["authSchemeConfig"]["id"] == api_key["id"]


def test_a_connection_whose_config_was_deleted_can_still_be_updated(api, connector, api_key):
    created = _create(api, connector, api_key).json()
    connector.auth_scheme_configs.filter(config_id=api_key["id"]).delete()

    response = _update(api, connector, created, name="renamed", credentials=created["credentials"])

    assert response.status_code == 200
    assert response.json()["credentials"] == created["credentials"]


def test_a_stale_update_is_refused_with_412_and_changes_nothing(api, connector, api_key):
    created = _create(api, connector, api_key).json()
    _update(api, connector, created, name="first edit")

    response = api.put(
        _path(api, connector, created["id"]),
        json={"id": created["id"], "name": "stale edit"},
        headers={"If-Unmodified-Since": created["updatedAt"]},
    )

    assert response.status_code == 412
    assert api.get(_path(api, connector, created["id"])).json()["name"] == "first edit"


def test_an_update_with_a_current_precondition_succeeds(api, connector, api_key):
    created = _create(api, connector, api_key).json()

    response = api.put(
        _path(api, connector, created["id"]),
        json={"id": created["id"], "name": "renamed"},
        headers={"If-Unmodified-Since": created["updatedAt"]},
    )

    assert response.status_code == 200


def test_it_deletes_a_connection_and_its_inline_credentials(api, connector, api_key):
    created = _create(api, connector, api_key).json()
    credential_id = created["credentials"]["action"][0]["credential"]["id"]

    response = api.delete(_path(api, connector, created["id"]))

    assert response.status_code == 204
    assert api.get(_path(api, connector, created["id"])).status_code == 404
    assert not Credential.objects.filter(pk=credential_id).exists()


def test_deleting_a_connection_keeps_a_credential_created_on_its_own(api, connector, api_key):
    credential = api.post(
        f"{api.o}/credentials",
        json={"name": "shared", "type": "string", "data": {"value": secret("s")}},
    ).json()
    created = api.post(
        _path(api, connector),
        json={
            "name": "production",
            "credentials": {
                "action": [{"authSchemeConfig": api_key, "credential": {"id": credential["id"]}}]
            },
            "variables": [],
        },
    ).json()

    api.delete(_path(api, connector, created["id"]))

    assert api.get(f"{api.o}/credentials/{credential['id']}").json()["usages"] == []


def test_deleting_the_connector_deletes_the_inline_credentials(api, connector, api_key):
    created = _create(api, connector, api_key).json()

    Connector.objects.get(pk=connector.pk).delete()

    assert not Credential.objects.filter(
        pk=created["credentials"]["action"][0]["credential"]["id"]
    ).exists()


def test_a_connection_in_use_is_not_deleted_without_force(api, connector, api_key):
    created = _create(api, connector, api_key).json()
    ConnectionSubscription.objects.create(
        connection_id=created["id"], subscriber="switchboard", reference="board-1"
    )

    response = api.delete(_path(api, connector, created["id"]))

    assert response.status_code == 412
    assert "switchboard" in response.json()["message"]
    assert api.get(_path(api, connector, created["id"])).status_code == 200


def test_force_deletes_a_connection_in_use(api, connector, api_key):
    created = _create(api, connector, api_key).json()
    ConnectionSubscription.objects.create(connection_id=created["id"], subscriber="switchboard")

    response = api.delete(_path(api, connector, created["id"]), params={"force": "true"})

    assert response.status_code == 204
    assert not ConnectionSubscription.objects.exists()


def test_a_bad_force_flag_is_a_400(api, connector, api_key):
    created = _create(api, connector, api_key).json()

    assert (
        api.delete(_path(api, connector, created["id"]), params={"force": "yes please"}).status_code
        == 400
    )


def test_the_connector_embeds_its_connections_with_secrets_redacted(api, connector, api_key):
    planted = secret("embedded")
    created = api.post(
        _path(api, connector),
        json={
            "name": "production",
            "credentials": {"action": [_key(api_key, planted)]},
            "variables": [],
        },
    ).json()

    response = api.get(f"{api.o}/connectors/{connector.id}")

    assert response.json()["connections"] == [created]
    assert planted not in response.text


def test_a_nul_character_in_a_variable_is_refused_with_a_400(api, connector, api_key):
    response = _create(api, connector, api_key, variables=[{"name": "region", "value": "e\x00u"}])

    assert response.status_code == 400
