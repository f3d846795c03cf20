"""The shared plumbing: authentication, organisation scoping, unknown paths, contract check."""

import pytest
from django.core.management import call_command

from tests import reference
from tests.embedded_api import contract


def test_the_contract_document_is_beside_the_project():
    assert reference.require() == contract.REFERENCE


def test_a_request_without_a_key_is_refused_with_401(anonymous_api):
    response = anonymous_api.get(f"{anonymous_api.o}/protocols")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorised"


def test_a_wrong_key_is_refused_with_401(anonymous_api):
    response = anonymous_api.get(
        f"{anonymous_api.o}/protocols", headers={"Authorization": "Bearer pbk_nope_nope"}
    )
    assert response.status_code == 401


def test_a_forged_service_token_is_refused(anonymous_api):
    response = anonymous_api.get(
        f"{anonymous_api.o}/protocols", headers={"Authorization": "Bearer pbs_forged:abc"}
    )
    assert response.status_code == 401


def test_another_organisations_paths_answer_404(api, other_api):
    response = api.get(f"{other_api.o}/connectors")
    assert response.status_code == 404
    assert set(response.json()) >= {"code", "message"}


def test_an_unknown_path_answers_json_404(api):
    response = api.get("/no/such/endpoint", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")


def test_create_api_key_prints_the_key_alone_on_the_last_line(api, capsys, organisation_id):
    call_command("create_api_key", "--organisation", organisation_id)
    key = capsys.readouterr().out.strip().splitlines()[-1]
    assert key.startswith("pbk_")
    response = api.get(f"{api.o}/connectors", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200


def test_a_revoked_key_stops_working(api, capsys, organisation_id):
    call_command("create_api_key", "--organisation", organisation_id)
    key = capsys.readouterr().out.strip().splitlines()[-1]
    call_command("revoke_api_key", key.split("_")[1])
    response = api.get(f"{api.o}/connectors", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 401


def test_create_api_key_refuses_an_organisation_that_is_not_a_ulid(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ULID"):
        call_command("create_api_key", "--organisation", "acme")
