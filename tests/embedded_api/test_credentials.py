"""The organisation's credentials: create, list (with filters), get, rotate, delete."""

from datetime import UTC, datetime, timedelta

import pytest

from dashboard.embedded_api import crypto
from dashboard.embedded_api.models import Credential
from tests.embedded_api.connections_support import (
    SCHEME_FOR_TYPE,
    config,
    make_connector,
    samples,
    secret,
)


def _create(api, type_="string", data=None, name="Acme API key", **extra):
    data = {"value": secret("v")} if data is None else data
    body = {"name": name, "type": type_, "data": data, **extra}
    return api.post(f"{api.o}/credentials", json=body)


@pytest.mark.parametrize("sample", samples(), ids=lambda s: s.type)
def test_it_creates_a_credential_of_every_type_and_answers_with_its_data_redacted(api, sample):
    response = _create(api, sample.type, sample.data, name=f"{sample.type} credential")

    assert response.status_code == 201
    body = response.json()
    assert body["type"] == sample.type
    assert body["data"] == sample.redacted
    assert body["organisationId"] == api.org
    assert body["usages"] == []
    assert body["errors"] == []
    assert body["authSchemeType"] == SCHEME_FOR_TYPE[sample.type]
    stored = Credential.objects.get(pk=body["id"])
    assert {**stored.public_data, **crypto.decrypt(stored.secret_data)} == sample.data


def test_a_created_credential_reads_back_without_its_secret(api):
    planted = secret("api-key")
    created = _create(api, data={"value": planted}).json()

    response = api.get(f"{api.o}/credentials/{created['id']}")

    assert response.status_code == 200
    assert response.json()["data"] == {"value": ""}
    assert planted not in response.text


def test_an_expiry_is_kept_and_returned(api):
    expires = "2031-05-01T12:00:00Z"

    body = _create(api, expiresAt=expires).json()

    assert body["expiresAt"] == expires


@pytest.mark.parametrize(
    ("type_", "data", "field"),
    [
        ("string", {"value": ""}, "data.value"),
        ("string", {}, "data.value"),
        ("string", {"value": "k", "extra": "x"}, "data.extra"),
        ("binary", {"valueBase64": "not base64!"}, "data.valueBase64"),
        ("basic-auth", {"username": "ops"}, "data.password"),
        (
            "oauth2-client",
            {"clientId": "c", "clientSecret": "s", "authorizeUrl": "", "tokenUrl": "ftp://x"},
            "data.tokenUrl",
        ),
        ("certificate", {"certificate": "nope", "key": "nope", "ca": ""}, "data.certificate"),
        ("string", "a string", "data"),
        ("kerberos", {}, "type"),
        ("custom-function", {}, "type"),
        ("oauth2-code", {"code": "c", "state": "s"}, "type"),
    ],
)
def test_bad_data_is_refused_field_by_field(api, type_, data, field):
    response = api.post(f"{api.o}/credentials", json={"name": "bad", "type": type_, "data": data})

    assert response.status_code == 400
    assert field in [item["field"] for item in response.json()["fields"]]


def test_a_name_is_required(api):
    response = api.post(f"{api.o}/credentials", json={"type": "none", "data": {}})

    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "name"


def test_the_list_is_paged_most_recently_updated_first(api):
    ids = [_create(api, name=f"key {n}").json()["id"] for n in range(3)]

    first = api.get(f"{api.o}/credentials", params={"first": 2}).json()
    rest = api.get(f"{api.o}/credentials", params={"first": 2, "after": first["next"]}).json()

    assert first["totalCount"] == 3
    assert [c["id"] for c in first["credentials"] + rest["credentials"]] == ids[::-1]
    assert "data" not in first["credentials"][0]
    assert "next" not in rest


def test_the_list_shows_which_connections_use_each_credential(api):
    api_key = config("api-key")
    connector = make_connector(api.org, api_key)
    shared = _create(api, name="shared key").json()
    for name in ("production", "staging"):
        api.post(
            f"{api.o}/connectors/{connector.id}/connections",
            json={
                "name": name,
                "credentials": {
                    "action": [{"authSchemeConfig": api_key, "credential": {"id": shared["id"]}}]
                },
                "variables": [],
            },
        )

    listed = api.get(f"{api.o}/credentials").json()["credentials"]

    usages = next(c for c in listed if c["id"] == shared["id"])["usages"]
    assert [u["connection"]["name"] for u in usages] == ["production", "staging"]
    assert usages[0]["connection"]["connector"]["id"] == connector.id
    assert usages[0]["environment"]["slug"] == "production"


def test_the_list_filters_by_type(api):
    _create(api, name="key")
    _create(api, "basic-auth", {"username": "u", "password": secret("p")}, name="login")

    listed = api.get(f"{api.o}/credentials", params={"type": "basic-auth"}).json()

    assert [c["name"] for c in listed["credentials"]] == ["login"]
    assert listed["totalCount"] == 1


def test_the_list_filters_what_expires_before_a_time(api):
    now = datetime.now(UTC)
    _create(api, name="expired", expiresAt=(now - timedelta(days=1)).isoformat())
    _create(api, name="expires soon", expiresAt=(now + timedelta(days=3)).isoformat())
    _create(api, name="expires later", expiresAt=(now + timedelta(days=60)).isoformat())
    _create(api, name="never expires")
    week = (now + timedelta(days=7)).isoformat()

    listed = api.get(f"{api.o}/credentials", params={"expiresBefore": week}).json()

    assert sorted(c["name"] for c in listed["credentials"]) == ["expired", "expires soon"]


def test_the_list_filters_credentials_with_errors(api):
    broken = _create(api, name="broken").json()
    _create(api, name="fine")
    Credential.objects.filter(pk=broken["id"]).update(errors=["refused by the provider"])

    with_errors = api.get(f"{api.o}/credentials", params={"hasErrors": "true"}).json()
    without = api.get(f"{api.o}/credentials", params={"hasErrors": "false"}).json()

    assert [c["name"] for c in with_errors["credentials"]] == ["broken"]
    assert with_errors["credentials"][0]["errors"] == ["refused by the provider"]
    assert [c["name"] for c in without["credentials"]] == ["fine"]


@pytest.mark.parametrize(
    "params",
    [
        {"type": "kerberos"},
        {"expiresBefore": "tomorrow"},
        {"expiresBefore": "2030-01-01T00:00:00"},
        {"hasErrors": "maybe"},
    ],
)
def test_a_bad_filter_is_a_400(api, params):
    response = api.get(f"{api.o}/credentials", params=params)

    assert response.status_code == 400


def test_another_organisations_credential_is_not_found(api, other_api):
    created = _create(other_api).json()

    assert api.get(f"{api.o}/credentials/{created['id']}").status_code == 404
    assert api.get(f"{other_api.o}/credentials/{created['id']}").status_code == 404
    assert api.get(f"{api.o}/credentials/not-a-ulid").status_code == 404


def test_rotating_a_credential_keeps_its_id_and_replaces_the_secret(api):
    old, new = secret("old"), secret("new")
    created = _create(api, data={"value": old}).json()

    response = api.put(
        f"{api.o}/credentials/{created['id']}",
        json={**created, "name": "rotated key", "data": {"value": new}},
    )

    assert response.status_code == 200
    assert response.json()["id"] == created["id"]
    assert response.json()["name"] == "rotated key"
    assert new not in response.text
    stored = Credential.objects.get(pk=created["id"])
    assert crypto.decrypt(stored.secret_data) == {"value": new}


def test_rotating_clears_the_errors_and_sets_the_new_expiry(api):
    created = _create(api, expiresAt="2030-01-01T00:00:00Z").json()
    Credential.objects.filter(pk=created["id"]).update(errors=["expired"])

    body = api.put(
        f"{api.o}/credentials/{created['id']}",
        json={
            "name": "key",
            "type": "string",
            "data": {"value": secret("n")},
            "expiresAt": "2032-01-01T00:00:00Z",
        },
    ).json()

    assert body["errors"] == []
    assert body["expiresAt"] == "2032-01-01T00:00:00Z"


def test_an_update_without_an_expiry_clears_it(api):
    created = _create(api, expiresAt="2030-01-01T00:00:00Z").json()

    body = api.put(
        f"{api.o}/credentials/{created['id']}",
        json={"name": "key", "type": "string", "data": {"value": secret("n")}},
    ).json()

    assert "expiresAt" not in body


def test_sending_back_the_redacted_credential_keeps_its_secrets(api):
    password = secret("pw")
    created = _create(api, "basic-auth", {"username": "ops", "password": password}).json()
    read = api.get(f"{api.o}/credentials/{created['id']}").json()

    response = api.put(
        f"{api.o}/credentials/{created['id']}",
        json={**read, "data": {**read["data"], "username": "admin"}},
    )

    assert response.status_code == 200
    assert response.json()["data"] == {"username": "admin", "password": ""}
    stored = Credential.objects.get(pk=created["id"])
    assert crypto.decrypt(stored.secret_data) == {"password": password}


def test_the_type_of_a_credential_cannot_change(api):
    created = _create(api).json()

    response = api.put(
        f"{api.o}/credentials/{created['id']}",
        json={"name": "key", "type": "basic-auth", "data": {"username": "u", "password": "p"}},
    )

    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "type"


def test_an_update_naming_another_id_is_refused(api):
    created = _create(api).json()
    other = _create(api, name="other").json()

    response = api.put(
        f"{api.o}/credentials/{created['id']}", json={**other, "data": {"value": "x"}}
    )

    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "id"


def test_a_stale_update_is_refused_with_412_and_changes_nothing(api):
    created = _create(api).json()
    loaded_at = created["updatedAt"]
    api.put(f"{api.o}/credentials/{created['id']}", json={**created, "name": "first edit"})

    response = api.put(
        f"{api.o}/credentials/{created['id']}",
        json={**created, "name": "stale edit"},
        headers={"If-Unmodified-Since": loaded_at},
    )

    assert response.status_code == 412
    assert api.get(f"{api.o}/credentials/{created['id']}").json()["name"] == "first edit"


def test_an_update_with_a_current_precondition_succeeds(api):
    created = _create(api).json()

    response = api.put(
        f"{api.o}/credentials/{created['id']}",
        json={**created, "name": "renamed"},
        headers={"If-Match": f'"{created["updatedAt"]}"'},
    )

    assert response.status_code == 200


def test_an_unused_credential_is_deleted(api):
    created = _create(api).json()

    response = api.delete(f"{api.o}/credentials/{created['id']}")

    assert response.status_code == 204
    assert api.get(f"{api.o}/credentials/{created['id']}").status_code == 404


def _used_credential(api):
    api_key = config("api-key")
    connector = make_connector(api.org, api_key)
    credential = _create(api).json()
    connection = api.post(
        f"{api.o}/connectors/{connector.id}/connections",
        json={
            "name": "production",
            "credentials": {
                "action": [{"authSchemeConfig": api_key, "credential": {"id": credential["id"]}}]
            },
            "variables": [],
        },
    ).json()
    return connector, connection, credential


def test_a_credential_in_use_is_not_deleted_without_force(api):
    _, _, credential = _used_credential(api)

    response = api.delete(f"{api.o}/credentials/{credential['id']}")

    assert response.status_code == 412
    assert "production" in response.json()["message"]
    assert api.get(f"{api.o}/credentials/{credential['id']}").status_code == 200


def test_force_deletes_a_credential_in_use_and_removes_it_from_its_connections(api):
    connector, connection, credential = _used_credential(api)

    response = api.delete(f"{api.o}/credentials/{credential['id']}", params={"force": "true"})

    assert response.status_code == 204
    after = api.get(f"{api.o}/connectors/{connector.id}/connections/{connection['id']}").json()
    assert after["credentials"]["action"] == []
    assert after["updatedAt"] > connection["updatedAt"]


def test_a_client_secret_of_an_auth_scheme_config_is_never_deleted(api):
    credential = _create(
        api,
        "oauth2-client",
        {
            "clientId": "c",
            "clientSecret": secret("cs"),
            "authorizeUrl": "https://p.test/a",
            "tokenUrl": "https://p.test/t",
        },
    ).json()
    make_connector(
        api.org,
        config(
            "oauth2",
            grant={
                "grantType": "authorization_code",
                "clientId": "c",
                "credentialId": credential["id"],
                "organisationId": api.org,
            },
        ),
    )

    response = api.delete(f"{api.o}/credentials/{credential['id']}", params={"force": "true"})

    assert response.status_code == 412


@pytest.mark.parametrize(
    "body",
    [
        {"name": "a\x00b", "type": "string", "data": {"value": "v"}},
        {"name": "key", "type": "basic-auth", "data": {"username": "u\x00", "password": "p"}},
        {"name": "key", "type": "string", "data": {"value": "v\x00"}},
    ],
)
def test_a_nul_character_is_refused_with_a_400_on_every_database(api, body):
    response = api.post(f"{api.o}/credentials", json=body)

    assert response.status_code == 400
