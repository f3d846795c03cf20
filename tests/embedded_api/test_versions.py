"""Connector versions: list, create (also from another version), get (also `latest` and
`default`), update, delete, publish and unpublish."""

import pytest

from dashboard.embedded_api.models import ConnectorVersion, Subscription
from tests.embedded_api.versions_support import (
    action,
    definition,
    make_connector,
    make_definitions,
    make_version,
    publish,
    trigger,
    versions_path,
)


@pytest.fixture
def connector(api):
    return make_connector(api.org)


# --- create ---------------------------------------------------------------------------------


def test_a_new_version_is_a_draft(api, connector):
    version = make_version(api, connector, "1.0.0")
    assert version["name"] == "1.0.0"
    assert version["publishedAt"] is None
    assert (version["isLatest"], version["isDefault"]) == (False, False)


@pytest.mark.parametrize("name", ["latest", "default", "Latest", "DEFAULT"])
def test_reserved_names_are_refused(api, connector, name):
    response = api.post(versions_path(api, connector), json={"name": name})
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "name"
    assert not ConnectorVersion.objects.exists()


@pytest.mark.parametrize("name", ["", "has space", "a/b", "-leading-dash", "x" * 65])
def test_names_that_do_not_fit_in_a_url_are_refused(api, connector, name):
    response = api.post(versions_path(api, connector), json={"name": name})
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "name"


def test_a_body_without_a_name_is_refused_with_the_field_named(api, connector):
    response = api.post(versions_path(api, connector), json={"fromVersion": "1.0.0"})
    assert response.status_code == 400
    assert [field["field"] for field in response.json()["fields"]] == ["name"]


def test_a_duplicate_name_is_a_conflict(api, connector):
    make_version(api, connector, "1.0.0")
    response = api.post(versions_path(api, connector), json={"name": "1.0.0"})
    assert response.status_code == 409
    assert response.json()["fields"][0]["field"] == "name"


def test_the_same_name_may_be_used_by_another_connector(api, connector):
    make_version(api, connector, "1.0.0")
    other = make_connector(api.org, name="Other")
    assert make_version(api, other, "1.0.0")["name"] == "1.0.0"


def test_creating_from_a_version_copies_its_definitions_actions_and_triggers(api, connector):
    make_version(api, connector, "1.0.0")
    make_definitions(
        api,
        connector,
        "1.0.0",
        definition("Product", {"properties": {"variant": {"$ref": "#/$defs/Variant"}}}),
        definition("Variant", {"properties": {"product": {"$ref": "#/$defs/Product"}}}),
    )
    body = action(responses=[{"status": 200, "definitions": [{"definition": {"name": "Product"}}]}])
    assert api.post(f"{versions_path(api, connector)}/1.0.0/actions", json=body).status_code == 201
    assert api.post(f"{versions_path(api, connector)}/1.0.0/triggers", json=trigger()).is_success

    make_version(api, connector, "1.1.0", fromVersion="1.0.0")

    path = f"{versions_path(api, connector)}/1.1.0"
    copied = {item["name"]: item for item in api.get(f"{path}/definitions").json()["definitions"]}
    assert set(copied) == {"Product", "Variant"}
    assert all("/1.1.0/" in item["url"] for item in copied.values())
    assert [ref["name"] for ref in copied["Variant"]["referencedBy"]] == ["Product"]
    assert {ref["name"] for ref in copied["Product"]["referencedBy"]} == {"GetProduct", "Variant"}
    copied_action = api.get(f"{path}/actions/GetProduct").json()
    linked = copied_action["responses"][0]["definitions"][0]["definition"]
    assert linked["id"] == copied["Product"]["id"]
    assert api.get(f"{path}/triggers/OrderCreated").status_code == 200
    # The copy is independent: the source keeps its own rows.
    source = api.get(f"{versions_path(api, connector)}/1.0.0/definitions").json()["definitions"]
    assert {item["id"] for item in source}.isdisjoint(item["id"] for item in copied.values())


def test_creating_from_latest_copies_the_latest_published_version(api, connector):
    make_version(api, connector, "1.0.0")
    make_definitions(api, connector, "1.0.0", definition("Published"))
    publish(api, connector, "1.0.0")
    make_version(api, connector, "2.0.0-draft")

    make_version(api, connector, "1.1.0", fromVersion="latest")

    names = api.get(f"{versions_path(api, connector)}/1.1.0/definitions").json()["definitions"]
    assert [item["name"] for item in names] == ["Published"]


def test_creating_from_an_unknown_version_is_refused_and_creates_nothing(api, connector):
    response = api.post(versions_path(api, connector), json={"name": "2", "fromVersion": "9"})
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "fromVersion"
    assert not ConnectorVersion.objects.exists()


def test_creating_a_version_bumps_the_connectors_updated_at(api, connector):
    before = connector.updated_at
    make_version(api, connector)
    connector.refresh_from_db()
    assert connector.updated_at > before


# --- list and get ---------------------------------------------------------------------------


def test_versions_are_listed_most_recently_updated_first(api, connector):
    for name in ("1", "2", "3"):
        make_version(api, connector, name)
    api.put(
        f"{versions_path(api, connector)}/1",
        json=_update_body(api, connector, "1", description="touched"),
    )

    page = api.get(versions_path(api, connector)).json()

    assert [item["name"] for item in page["items"]] == ["1", "3", "2"]
    assert page["totalCount"] == 3


def test_version_pages_have_next_and_prev_right_at_both_ends(api, connector):
    for name in ("1", "2", "3", "4", "5"):
        make_version(api, connector, name)
    path = versions_path(api, connector)

    first = api.get(path, params={"first": 2}).json()
    second = api.get(path, params={"first": 2, "after": first["next"]}).json()
    last = api.get(path, params={"first": 2, "after": second["next"]}).json()
    back = api.get(path, params={"first": 2, "before": last["prev"]}).json()

    assert [item["name"] for item in first["items"]] == ["5", "4"]
    assert "prev" not in first
    assert [item["name"] for item in second["items"]] == ["3", "2"]
    assert [item["name"] for item in last["items"]] == ["1"]
    assert "next" not in last and "prev" in last
    assert [item["name"] for item in back["items"]] == ["3", "2"]
    assert {page["totalCount"] for page in (first, second, last, back)} == {5}


def test_a_version_is_read_by_name(api, connector):
    created = make_version(api, connector, "1.0.0")
    assert api.get(f"{versions_path(api, connector)}/1.0.0").json() == created


@pytest.mark.parametrize("name", ["latest", "default"])
def test_latest_and_default_are_404_before_anything_is_published(api, connector, name):
    make_version(api, connector, "1.0.0")
    response = api.get(f"{versions_path(api, connector)}/{name}")
    assert response.status_code == 404
    assert "published" in response.json()["message"]


def test_latest_is_the_most_recently_published_version(api, connector):
    for name in ("1", "2", "3"):
        make_version(api, connector, name)
    publish(api, connector, "2")
    publish(api, connector, "1")

    latest = api.get(f"{versions_path(api, connector)}/latest").json()

    assert latest["name"] == "1"
    assert latest["isLatest"] and latest["isDefault"]
    flags = {
        item["name"]: (item["isLatest"], item["isDefault"])
        for item in api.get(versions_path(api, connector)).json()["items"]
    }
    assert flags == {"1": (True, True), "2": (False, False), "3": (False, False)}


def test_default_follows_latest_until_one_is_chosen_and_then_stays(api, connector):
    for name in ("1", "2", "3"):
        make_version(api, connector, name)
    publish(api, connector, "1")
    publish(api, connector, "2")

    chosen = api.put(
        f"{versions_path(api, connector)}/1", json=_update_body(api, connector, "1", isDefault=True)
    )
    assert chosen.status_code == 200
    assert chosen.json()["isDefault"] and not chosen.json()["isLatest"]
    publish(api, connector, "3")

    path = versions_path(api, connector)
    assert api.get(f"{path}/default").json()["name"] == "1"
    assert api.get(f"{path}/latest").json()["name"] == "3"
    assert not api.get(f"{path}/3").json()["isDefault"]


def test_unknown_versions_and_connectors_are_404(api, connector, other_api):
    make_version(api, connector, "1.0.0")
    path = versions_path(api, connector)
    assert api.get(f"{path}/9.9.9").status_code == 404
    assert api.get(f"{path}/bad%00name").status_code == 400
    assert api.get(f"{api.o}/connectors/not-a-ulid/versions").status_code == 404
    assert api.get(f"{api.o}/connectors/{'0' * 26}/versions/1.0.0").status_code == 404
    # Another organisation sees nothing of it, even with its own organisation in the path.
    assert other_api.get(f"{other_api.o}/connectors/{connector.pk}/versions").status_code == 404
    assert other_api.get(f"{path}/1.0.0").status_code == 404


# --- update ---------------------------------------------------------------------------------


def _update_body(api, connector, version: str, **changes) -> dict:
    """The version as read, with `changes` applied: what a client PUTs back."""
    return {**api.get(f"{versions_path(api, connector)}/{version}").json(), **changes}


def test_a_draft_can_be_renamed_and_described(api, connector):
    make_version(api, connector, "1.0.0")
    body = _update_body(api, connector, "1.0.0", name="1.0.1", description="Fixes")

    response = api.put(f"{versions_path(api, connector)}/1.0.0", json=body)

    assert response.status_code == 200
    assert (response.json()["name"], response.json()["description"]) == ("1.0.1", "Fixes")
    assert api.get(f"{versions_path(api, connector)}/1.0.0").status_code == 404
    assert response.json()["updatedAt"] > body["updatedAt"]


@pytest.mark.parametrize(("new_name", "status"), [("latest", 400), ("default", 400), ("2", 409)])
def test_renaming_to_a_reserved_or_taken_name_is_refused(api, connector, new_name, status):
    make_version(api, connector, "1")
    make_version(api, connector, "2")
    body = _update_body(api, connector, "1", name=new_name)

    response = api.put(f"{versions_path(api, connector)}/1", json=body)

    assert response.status_code == status
    assert response.json()["fields"][0]["field"] == "name"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", "01ARZ3NDEKTSV4RRFFQ69G5FAV"),
        ("createdAt", "2001-01-01T00:00:00Z"),
        ("isLatest", True),
        ("publishedAt", "2001-01-01T00:00:00Z"),
    ],
)
def test_changing_a_read_only_field_is_a_400_naming_it(api, connector, field, value):
    make_version(api, connector, "1")
    body = _update_body(api, connector, "1", **{field: value})
    response = api.put(f"{versions_path(api, connector)}/1", json=body)
    assert response.status_code == 400
    assert [item["field"] for item in response.json()["fields"]] == [field]


def test_a_published_version_cannot_be_renamed_or_described(api, connector):
    make_version(api, connector, "1")
    publish(api, connector, "1")
    for change in ({"name": "2"}, {"description": "changed"}):
        response = api.put(
            f"{versions_path(api, connector)}/1", json=_update_body(api, connector, "1", **change)
        )
        assert response.status_code == 409
        assert response.json()["code"] == "published_version_immutable"
    assert api.get(f"{versions_path(api, connector)}/1").json()["description"] == ""


def test_sending_a_published_version_back_unchanged_changes_nothing(api, connector):
    make_version(api, connector, "1")
    published = publish(api, connector, "1")
    response = api.put(f"{versions_path(api, connector)}/1", json=published)
    assert response.status_code == 200
    assert response.json() == published


def test_a_draft_cannot_be_made_the_default(api, connector):
    make_version(api, connector, "1")
    response = api.put(
        f"{versions_path(api, connector)}/1", json=_update_body(api, connector, "1", isDefault=True)
    )
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "isDefault"


def test_clearing_the_chosen_default_falls_back_to_latest(api, connector):
    for name in ("1", "2"):
        make_version(api, connector, name)
        publish(api, connector, name)
    path = versions_path(api, connector)
    api.put(f"{path}/1", json=_update_body(api, connector, "1", isDefault=True))

    response = api.put(f"{path}/1", json=_update_body(api, connector, "1", isDefault=False))

    assert response.status_code == 200
    assert api.get(f"{path}/default").json()["name"] == "2"


def test_the_implicit_default_cannot_be_unset_without_choosing_another(api, connector):
    make_version(api, connector, "1")
    publish(api, connector, "1")
    response = api.put(
        f"{versions_path(api, connector)}/1",
        json=_update_body(api, connector, "1", isDefault=False),
    )
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "isDefault"


def test_a_stale_update_is_refused_with_412(api, connector):
    make_version(api, connector, "1")
    body = _update_body(api, connector, "1", description="mine")
    api.put(f"{versions_path(api, connector)}/1", json={**body, "description": "theirs"})

    response = api.put(
        f"{versions_path(api, connector)}/1", json=body, headers={"If-Match": body["updatedAt"]}
    )

    assert response.status_code == 412
    assert api.get(f"{versions_path(api, connector)}/1").json()["description"] == "theirs"


# --- delete ---------------------------------------------------------------------------------


def test_a_draft_is_deleted_with_its_contents(api, connector):
    make_version(api, connector, "1")
    make_definitions(api, connector, "1", definition("Product"))
    assert api.delete(f"{versions_path(api, connector)}/1").status_code == 204
    assert api.get(f"{versions_path(api, connector)}/1").status_code == 404
    assert not ConnectorVersion.objects.exists()


def test_a_published_version_is_only_deleted_with_force(api, connector):
    make_version(api, connector, "1")
    publish(api, connector, "1")
    path = f"{versions_path(api, connector)}/1"

    refused = api.delete(path)
    forced = api.delete(path, params={"force": "true"})

    assert refused.status_code == 409
    assert "force" in refused.json()["message"]
    assert forced.status_code == 204
    assert api.get(path).status_code == 404


def test_a_bad_force_flag_is_a_400(api, connector):
    make_version(api, connector, "1")
    response = api.delete(f"{versions_path(api, connector)}/1", params={"force": "maybe"})
    assert response.status_code == 400
    assert api.get(f"{versions_path(api, connector)}/1").status_code == 200


# --- publish and unpublish ------------------------------------------------------------------


def test_publishing_sets_published_at_and_bumps_updated_at(api, connector):
    draft = make_version(api, connector, "1")
    before = connector.updated_at

    published = publish(api, connector, "1")

    assert published["publishedAt"] is not None
    assert published["updatedAt"] > draft["updatedAt"]
    assert published["isLatest"] and published["isDefault"]
    connector.refresh_from_db()
    assert connector.updated_at > before


def test_publishing_twice_is_a_conflict(api, connector):
    make_version(api, connector, "1")
    publish(api, connector, "1")
    response = api.post(f"{versions_path(api, connector)}/1/publish")
    assert response.status_code == 409
    assert response.json()["code"] == "version_already_published"


def test_a_version_with_invalid_actions_or_triggers_is_not_published(api, connector):
    make_version(api, connector, "1")
    path = f"{versions_path(api, connector)}/1"
    api.post(f"{path}/actions", json=action("NoResponses", responses=[]))
    api.post(f"{path}/triggers", json=trigger("TwoDefaults", responses=[{}, {}]))

    response = api.post(f"{path}/publish")

    assert response.status_code == 400
    assert response.json()["code"] == "validation_failed"
    assert {item["field"] for item in response.json()["fields"]} == {
        "actions.NoResponses.responses",
        "triggers.TwoDefaults.responses[1]",
    }
    assert api.get(path).json()["publishedAt"] is None


def test_warnings_do_not_stop_publishing(api, connector):
    make_version(api, connector, "1")
    path = f"{versions_path(api, connector)}/1"
    unused = action("Unused", path="/products")  # declares `id` but does not use it
    created = api.post(f"{path}/actions", json=unused).json()
    assert [error["severity"] for error in created["errors"]] == ["warning"]

    assert publish(api, connector, "1")["publishedAt"] is not None


def test_unpublishing_makes_the_version_a_draft_again(api, connector):
    make_version(api, connector, "1")
    publish(api, connector, "1")

    response = api.post(f"{versions_path(api, connector)}/1/unpublish")

    assert response.status_code == 200
    version = response.json()["version"]
    assert version["publishedAt"] is None
    assert (version["isLatest"], version["isDefault"]) == (False, False)
    assert api.get(f"{versions_path(api, connector)}/latest").status_code == 404


def test_unpublishing_the_chosen_default_falls_back_to_latest(api, connector):
    for name in ("1", "2"):
        make_version(api, connector, name)
        publish(api, connector, name)
    path = versions_path(api, connector)
    api.put(f"{path}/1", json=_update_body(api, connector, "1", isDefault=True))

    api.post(f"{path}/1/unpublish")

    assert api.get(f"{path}/default").json()["name"] == "2"


def test_a_version_in_use_cannot_be_unpublished(api, connector):
    make_version(api, connector, "1")
    publish(api, connector, "1")
    Subscription.objects.create(
        version=ConnectorVersion.objects.get(name="1"), subscriber="switchboard", reference="b1"
    )

    response = api.post(f"{versions_path(api, connector)}/1/unpublish")

    assert response.status_code == 409
    assert response.json()["code"] == "version_in_use"
    assert "switchboard" in response.json()["message"]
    assert api.get(f"{versions_path(api, connector)}/1").json()["publishedAt"] is not None


def test_unpublishing_a_draft_is_a_conflict(api, connector):
    make_version(api, connector, "1")
    response = api.post(f"{versions_path(api, connector)}/1/unpublish")
    assert response.status_code == 409
    assert response.json()["code"] == "version_not_published"


def test_versions_appear_in_connector_responses_with_their_markers(api, connector):
    from dashboard.embedded_api.versions.serialise import serialise_versions

    for name in ("1", "2"):
        make_version(api, connector, name)
    publish(api, connector, "1")

    versions = serialise_versions(connector.versions.all())

    assert [(item["name"], item["isLatest"]) for item in versions] == [("1", True), ("2", False)]
    assert versions == [
        api.get(f"{versions_path(api, connector)}/{item['name']}").json() for item in versions
    ]


def test_listing_versions_costs_the_same_queries_for_any_page_size(
    api, connector, django_assert_max_num_queries
):
    for index in range(10):
        make_version(api, connector, str(index))
    publish(api, connector, "3")
    # Authentication, connector, count, page, and `latest`/`default` once for the page.
    with django_assert_max_num_queries(6):
        page = api.get(versions_path(api, connector), params={"first": 10}).json()
    assert [item["name"] for item in page["items"] if item["isLatest"]] == ["3"]
