"""The Versions tab, and creating, editing, setting as default and deleting versions."""

import pytest
from bs4 import Tag

from dashboard.accounts.models import AuditEntry
from tests.connectors.conftest import htmx, make_connector
from tests.html import field_value, hrefs, one, parse, text, texts

pytestmark = pytest.mark.django_db


def alerts(page) -> str:
    """The text of the page's error messages (role="alert")."""
    return " ".join(texts(page, '[role="alert"]'))


def versions_url(connector) -> str:
    return f"/connectors/{connector.id}/versions/"


def row(doc, version) -> Tag:
    """The table row of `version`."""
    return one(doc, f"tr#version-{version.id}")


def version_named(api, connector, name: str):
    return next(v for v in api.connectors.get(connector.id).versions if v.name == name)


# --- The table --------------------------------------------------------------------------------


def test_the_table_shows_each_version_with_its_status_markers_and_dates(client_as, api, connector):
    doc = parse(client_as("viewer").get(versions_url(connector)))

    published, draft = version_named(api, connector, "1.0"), version_named(api, connector, "2.0")
    first = row(doc, published)
    assert {"Published", "Latest", "Default"} <= set(texts(first, ".badge"))
    assert published.published_at.strftime("%-d %b %Y") in text(first)
    second = row(doc, draft)
    assert "Draft" in texts(second, ".badge")
    assert not {"Latest", "Default"} & set(texts(second, ".badge"))
    assert "Versions 2" in texts(doc, '[aria-current="page"]')  # the tab, with its count


def test_a_viewer_sees_no_controls_and_a_publisher_sees_them_by_status(client_as, connector):
    def controls(doc) -> set[str]:
        return {control["aria-label"] for control in doc.select("#version-table a[aria-label]")}

    new_version = f"/connectors/{connector.id}/new-version/"
    viewer = parse(client_as("viewer").get(versions_url(connector)))
    assert controls(viewer) == set() and new_version not in hrefs(viewer)

    publisher = parse(client_as("publisher").get(versions_url(connector)))
    assert {"Publish 2.0", "Unpublish 1.0", "Edit 2.0"} <= controls(publisher)
    assert not {"Publish 1.0", "Edit 1.0"} & controls(publisher)
    # Only admins may delete a published version (by force).
    assert "Delete 2.0" in controls(publisher) and "Delete 1.0" not in controls(publisher)
    assert new_version in hrefs(publisher)


def test_a_connector_without_versions_offers_to_create_one(publisher, api):
    empty = make_connector(api, "Empty")

    doc = parse(publisher.get(versions_url(empty)))

    assert "Empty has no versions yet." in text(doc)
    assert f"/connectors/{empty.id}/new-version/" in hrefs(doc)


# --- Create -----------------------------------------------------------------------------------


def test_a_blank_draft_is_created_and_its_page_shown(publisher, api, connector):
    response = publisher.post(
        f"/connectors/{connector.id}/new-version/", {"name": "3.0"}, headers=htmx()
    )

    assert response["HX-Redirect"] == f"/connectors/{connector.id}/versions/3.0/"
    assert api.versions.get(connector.id, "3.0").is_published is False
    assert api.actions.list(connector.id, "3.0").total_count == 0


def test_a_draft_is_created_from_an_existing_version(publisher, api, connector):
    publisher.post(
        f"/connectors/{connector.id}/new-version/", {"name": "1.1", "from_version": "1.0"}
    )

    names = sorted(action.name for action in api.actions.list(connector.id, "1.1"))
    assert names == ["createProduct", "listProducts"]


def test_the_form_offers_existing_versions_and_preselects_the_one_asked_for(publisher, connector):
    doc = parse(publisher.get(f"/connectors/{connector.id}/new-version/?from=1.0"))

    offered = {option["value"]: text(option) for option in doc.select("select option")}
    assert {"1.0": "Version 1.0", "2.0": "Version 2.0"}.items() <= offered.items()
    assert field_value(doc, "from_version") == "1.0"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("latest", "reserved"),
        ("1.0", "This connector already has a version “1.0”; choose another name."),
        ("no spaces", "Use letters, digits, dots, dashes, underscores or plus signs"),
    ],
)
def test_a_refused_name_is_shown_on_the_field_keeping_the_input(
    publisher, connector, name, message
):
    response = publisher.post(
        f"/connectors/{connector.id}/new-version/", {"name": name}, headers=htmx()
    )

    assert response.status_code == 422
    doc = parse(response)
    assert message in text(one(doc, "#id_name_error"))  # on the field, in the form's words
    assert field_value(doc, "name") == name


# --- Edit description -------------------------------------------------------------------------


def test_a_drafts_description_is_saved(publisher, api, connector):
    draft = version_named(api, connector, "2.0")

    response = publisher.post(
        f"/connectors/{connector.id}/versions/2.0/edit/",
        {"description": "Version two", "updated_at": draft.updated_at.isoformat()},
        headers=htmx(),
    )

    assert response["HX-Redirect"] == f"/connectors/{connector.id}/versions/2.0/"
    assert api.versions.get(connector.id, "2.0").description == "Version two"


def test_a_description_changed_meanwhile_is_not_overwritten(publisher, api, connector):
    loaded = version_named(api, connector, "2.0")
    api.versions.update(connector.id, loaded.model_copy(update={"description": "Theirs"}))

    response = publisher.post(
        f"/connectors/{connector.id}/versions/2.0/edit/",
        {"description": "Mine", "updated_at": loaded.updated_at.isoformat()},
        headers=htmx(),
    )

    assert response.status_code == 422
    doc = parse(response)
    assert "Someone else changed this version" in text(doc)
    assert "Theirs" in text(doc) and field_value(doc, "description") == "Mine"
    assert api.versions.get(connector.id, "2.0").description == "Theirs"


def test_a_published_version_has_no_edit_form_and_the_api_refuses_a_forged_edit(
    publisher, api, connector
):
    page = parse(publisher.get(f"/connectors/{connector.id}/versions/1.0/edit/"))
    assert "is published, so it is read-only" in text(page) and page.select("textarea") == []

    published = version_named(api, connector, "1.0")
    response = publisher.post(
        f"/connectors/{connector.id}/versions/1.0/edit/",
        {"description": "Sneaky", "updated_at": published.updated_at.isoformat()},
        headers=htmx(),
    )

    assert response.status_code == 422
    assert "A published version cannot be renamed or edited" in alerts(parse(response))
    assert api.versions.get(connector.id, "1.0").description == ""


# --- Set as default ---------------------------------------------------------------------------


def test_setting_the_default_from_the_table_moves_the_marker_in_place(publisher, api, connector):
    api.versions.create(connector.id, "1.1", from_version="1.0")
    api.versions.publish(connector.id, "1.1")  # now the latest, and so the default

    response = publisher.post(
        f"/connectors/{connector.id}/versions/1.0/default/", headers=htmx("version-table")
    )

    assert response.status_code == 200
    doc = parse(response)
    assert doc.select("table") and doc.find("html") is None  # the table alone
    assert "Default" in texts(row(doc, version_named(api, connector, "1.0")), ".badge")
    newer = texts(row(doc, version_named(api, connector, "1.1")), ".badge")
    assert "Latest" in newer and "Default" not in newer
    assert api.versions.get(connector.id, "default").name == "1.0"


def test_setting_the_default_from_the_versions_page_updates_its_status_in_place(
    publisher, api, connector
):
    api.versions.create(connector.id, "1.1", from_version="1.0")
    api.versions.publish(connector.id, "1.1")

    response = publisher.post(
        f"/connectors/{connector.id}/versions/1.0/default/", headers=htmx("version-status")
    )

    doc = parse(response)
    status = doc.find()  # the fragment's first element
    assert (status.name, status["id"]) == ("div", "version-status")
    assert texts(status, ".badge--default") == ["Default"]
    assert "Set as default" not in text(doc)


def test_a_draft_cannot_be_the_default_and_the_api_says_why(publisher, connector):
    response = publisher.post(
        f"/connectors/{connector.id}/versions/2.0/default/", headers=htmx("version-table")
    )

    assert response.status_code == 422
    assert "only a published version can be the default" in alerts(parse(response))


def test_setting_the_default_without_htmx_goes_to_the_version(publisher, connector):
    response = publisher.post(f"/connectors/{connector.id}/versions/1.0/default/")

    assert response.status_code == 302
    assert response["Location"] == f"/connectors/{connector.id}/versions/1.0/"


# --- Delete -----------------------------------------------------------------------------------


def test_a_draft_is_deleted_after_confirming(publisher, api, connector):
    confirm = parse(publisher.get(f"/connectors/{connector.id}/versions/2.0/delete/"))
    assert text(one(confirm, "#version-delete form p")).startswith("Delete draft 2.0 with")
    assert "Delete draft" in texts(confirm, "#version-delete button")

    response = publisher.post(f"/connectors/{connector.id}/versions/2.0/delete/", headers=htmx())

    assert response["HX-Redirect"] == versions_url(connector)
    assert [v.name for v in api.connectors.get(connector.id).versions] == ["1.0"]


def test_a_published_version_is_deleted_only_by_force_with_a_warning(client_as, api, connector):
    publisher = client_as("publisher")
    page = parse(publisher.get(f"/connectors/{connector.id}/versions/1.0/delete/"))
    assert texts(page, "#version-delete .warning strong") == ["Version 1.0 is published."]
    said = texts(page, "#version-delete > p")
    assert said[0].startswith("Only an admin can delete a published version.")
    assert page.select("#version-delete form") == []

    # Posted anyway, the API refuses and says why.
    refused = publisher.post(f"/connectors/{connector.id}/versions/1.0/delete/", headers=htmx())
    assert refused.status_code == 422
    assert "is published; unpublish it first" in alerts(parse(refused))

    admin = client_as("admin")
    page = parse(admin.get(f"/connectors/{connector.id}/versions/1.0/delete/"))
    force = one(page, "#version-delete form button")
    assert text(force) == "Force delete published version 1.0"
    response = admin.post(f"/connectors/{connector.id}/versions/1.0/force-delete/")
    assert response.status_code == 302
    assert [v.name for v in api.connectors.get(connector.id).versions] == ["2.0"]


def test_version_changes_are_in_the_audit_log_for_the_user(client_as, api, connector):
    publisher = client_as("publisher")
    publisher.post(f"/connectors/{connector.id}/new-version/", {"name": "3.0"})
    publisher.post(f"/connectors/{connector.id}/versions/3.0/delete/")

    entries = AuditEntry.objects.filter(username="publisher").order_by("pk")
    assert [(e.action, e.target_name, e.outcome) for e in entries] == [
        ("create_connector_version", "3.0", "ok"),
        ("delete_connector_version", "3.0", "ok"),
    ]


# --- Deleting several drafts at once ----------------------------------------------------------


def test_only_drafts_can_be_ticked(client_as, api, connector):
    doc = parse(client_as("publisher").get(versions_url(connector)))

    published, draft = version_named(api, connector, "1.0"), version_named(api, connector, "2.0")
    assert row(doc, draft).select('input[form="version-bulk"]')
    assert row(doc, published).select('[form="version-bulk"]') == []


def test_deleting_ticked_drafts_previews_them_then_runs(client_as, api, connector):
    publisher = client_as("publisher")
    api.versions.create(connector.id, "3.0")
    url = f"/connectors/{connector.id}/delete-drafts/"
    # "1.0" is published: never part of the run, whatever is posted.
    chosen = {"version": ["2.0", "3.0", "1.0"]}

    preview = parse(publisher.post(url, chosen))
    heading = text(one(preview, "h1"))
    assert heading.startswith("Delete drafts of") and heading.endswith(": 2 items")
    assert texts(preview, ".bulk-preview__items li") == ["2.0", "3.0"]
    assert {v.name for v in api.connectors.get(connector.id).versions} == {"1.0", "2.0", "3.0"}

    started = publisher.post(url, {**chosen, "confirm": "1"})
    publisher.post(started["Location"] + "step/")

    assert [v.name for v in api.connectors.get(connector.id).versions] == ["1.0"]
    entries = AuditEntry.objects.filter(action="delete_connector_version", outcome="ok")
    assert entries.count() == 2


def test_no_draft_ticked_is_explained(client_as, connector):
    response = client_as("publisher").post(
        f"/connectors/{connector.id}/delete-drafts/", {"version": ["1.0"]}
    )
    assert response.status_code == 400
    assert texts(parse(response), ".form-errors li") == ["Tick at least one draft."]
