"""The connectors page's bulk actions: the selection (ticked rows, or all matching the
filters), a preview of what will happen, the run it starts, and exports."""

import csv
import io
import json

import pytest

from dashboard.bulk import runs
from dashboard.bulk.models import BulkRun
from dashboard.embedded_api.models import ConnectorVersion, Subscription
from tests.connections.conftest import make_connection, string_credential
from tests.connections.conftest import make_connector as keyed_connector  # an API-key config
from tests.connectors.conftest import make_connector
from tests.html import one, parse, text, texts

pytestmark = pytest.mark.django_db


def test_each_row_has_a_checkbox_belonging_to_the_bulk_form(operator, api):
    connector = make_connector(api, "Stripe")

    doc = parse(operator.get("/connectors/"))

    assert one(doc, "form#connector-bulk")
    box = one(doc, f'input[type="checkbox"][value="{connector.id}"]')
    assert box["form"] == "connector-bulk" and box.has_attr("data-select")
    assert box["aria-label"] == "Select Stripe"


def test_a_preview_says_how_many_and_which_and_changes_nothing(operator, api):
    first, second = make_connector(api, "Alpha"), make_connector(api, "Beta")

    response = operator.post(
        "/connectors/bulk/",
        {"action": "add_tag", "tag": " team : core ", "id": [first.id, second.id], "next": "/"},
    )

    doc = parse(response)
    assert response.status_code == 200
    assert text(one(doc, "h1")) == "Add tag “team:core”: 2 items"
    assert texts(doc, ".bulk-preview__items li") == ["Alpha", "Beta"]
    assert api.connectors.get(first.id).tags == {}
    assert not BulkRun.objects.exists()


def test_confirming_starts_a_run_over_the_selection(operator, api):
    first = make_connector(api, "Alpha")

    response = operator.post(
        "/connectors/bulk/",
        {"action": "add_tag", "tag": "team:core", "id": [first.id], "next": "/", "confirm": "1"},
    )

    run = BulkRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/bulk/{run.pk}/"
    assert run.title == "Add tag “team:core”" and run.params == {"tag": "team:core"}
    assert [(i.key, i.label) for i in run.items.all()] == [(first.id, "Alpha")]


def test_all_matching_takes_every_page_of_the_lists_filters(operator, api):
    for n in range(25):
        make_connector(api, f"Payments {n:02}", tags={"team": ["pay"]})
    make_connector(api, "Other")

    response = operator.post(
        "/connectors/bulk/",
        {
            "action": "remove_tag",
            "tag": "team:pay",
            "scope": "all",
            "next": "/connectors/?tag=team%3Apay",
        },
    )

    doc = parse(response)
    assert text(one(doc, "h1")) == "Remove tag “team:pay”: 25 items"
    listed = texts(doc, ".bulk-preview__items li")
    assert len(listed) == 25 and "Other" not in listed
    assert "Other" not in text(doc)


def test_an_action_missing_its_parameter_is_explained(operator, api):
    connector = make_connector(api, "Alpha")

    response = operator.post(
        "/connectors/bulk/", {"action": "add_categories", "id": [connector.id], "next": "/"}
    )

    assert response.status_code == 400
    assert texts(parse(response), ".form-errors li") == ["Choose at least one category."]


def test_nothing_selected_is_explained(operator):
    response = operator.post("/connectors/bulk/", {"action": "delete_connectors", "next": "/"})

    assert response.status_code == 400
    assert texts(parse(response), ".form-errors li") == ["Select at least one connector."]


def test_the_return_address_stays_on_this_site(operator, api):
    connector = make_connector(api, "Alpha")
    response = operator.post(
        "/connectors/bulk/",
        {
            "action": "add_tag",
            "tag": "x",
            "id": [connector.id],
            "next": "https://evil.example/",
            "confirm": "1",
        },
    )
    assert response.status_code == 302
    assert BulkRun.objects.get().back_url == "/connectors/"


def test_the_selection_exports_as_csv(client_as, api):
    viewer = client_as("viewer")
    connector = make_connector(api, "=cmd", tags={"team": ["core"], "pii": []}, categories=["ERP"])

    response = viewer.post(
        "/connectors/bulk/", {"action": "export_csv", "id": [connector.id], "next": "/"}
    )

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    [row] = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert row["id"] == connector.id
    assert row["name"] == "'=cmd"  # never a spreadsheet formula
    assert row["tags"] == "team:core, pii"


def test_all_matching_exports_as_json(client_as, api):
    viewer = client_as("viewer")
    for name in ("Alpha", "Beta"):
        make_connector(api, name)

    response = viewer.post(
        "/connectors/bulk/", {"action": "export_json", "scope": "all", "next": "/"}
    )

    records = json.loads(response.content)
    assert response["Content-Type"] == "application/json"
    assert sorted(r["name"] for r in records) == ["Alpha", "Beta"]
    assert set(records[0]) == {
        "id",
        "name",
        "protocol",
        "tags",
        "categories",
        "latest_version",
        "updated_at",
    }


def test_a_viewer_sees_only_the_exports(client_as, api):
    make_connector(api, "Alpha")
    doc = parse(client_as("viewer").get("/connectors/"))
    offered = [option["value"] for option in one(doc, "#bulk-action").select("option")]
    assert offered == ["export_csv", "export_json"]


def test_force_is_offered_only_to_roles_that_may(client_as, api):
    make_connector(api, "Alpha")
    assert parse(client_as("publisher").get("/connectors/")).select('[name="force"]') == []
    assert one(parse(client_as("admin").get("/connectors/")), 'form#connector-bulk [name="force"]')


def test_a_delete_preview_says_which_connections_and_credentials_go_too(operator, api):
    formly, shopfront = keyed_connector(api, "Formly"), keyed_connector(api, "Shopfront")
    config = formly.auth_scheme_configs[0]
    make_connection(api, formly, "production", action=[string_credential(config, "Prod key")])
    make_connection(api, formly, "staging", action=[string_credential(config, "Stage key")])
    shop_config = shopfront.auth_scheme_configs[0]
    make_connection(api, shopfront, "live", action=[string_credential(shop_config, "Live key")])
    contractly = make_connector(api, "Contractly")

    response = operator.post(
        "/connectors/bulk/",
        {
            "action": "delete_connectors",
            "id": [formly.id, shopfront.id, contractly.id],
            "next": "/",
        },
    )

    doc = parse(response)
    assert texts(doc, ".bulk-preview__items li") == [
        "Formly: 2 connections, using 2 credentials",
        "Shopfront: 1 connection, using 1 credential",
        "Contractly: no connections",
    ]
    warning = text(one(doc, ".bulk-preview strong:-soup-contains('cannot be brought back')"))
    assert warning.startswith("Their 3 connections (using 3 credentials) are deleted with them")
    assert len(api.connections.list(formly.id).items) == 2


def test_the_preview_says_plainly_what_is_skipped_and_refused(operator, api):
    connector = make_connector(api, "Alpha")

    response = operator.post(
        "/connectors/bulk/", {"action": "add_tag", "tag": "x", "id": [connector.id], "next": "/"}
    )

    note = text(one(parse(response), ".bulk-preview p.note:not(.bulk-preview__notice)"))
    assert "Any that needs no change (for example, it already has the tag" in note
    assert "the results say why, and the others go on" in note


def test_a_too_long_tag_gets_one_message_with_the_value_cut_short(operator, api):
    connector = make_connector(api, "Alpha")
    tag = "k:" + "v" * 400

    response = operator.post(
        "/connectors/bulk/", {"action": "add_tag", "tag": tag, "id": [connector.id], "next": "/"}
    )

    assert response.status_code == 400
    assert texts(parse(response), ".form-errors li") == [
        f"“{tag[:40]}…” is too long (keys up to 100 characters, values up to 200)."
    ]


def test_running_again_what_was_refused_goes_through_the_preview_where_force_is_offered(
    client_as, api
):
    admin = client_as("admin")
    used, free = make_connector(api, "In use"), make_connector(api, "Spare")
    version = ConnectorVersion.objects.create(connector_id=used.id, name="1.0")
    Subscription.objects.create(version=version, subscriber="switchboard", reference="b")
    admin.post(
        "/connectors/bulk/",
        {"action": "delete_connectors", "id": [used.id, free.id], "next": "/", "confirm": "1"},
    )
    run = BulkRun.objects.get()
    runs.step(run, run.user)

    doc = parse(admin.get(f"/bulk/{run.pk}/"))
    assert not doc.select(f'form[action="/bulk/{run.pk}/rerun/"]')  # no blind rerun
    again = one(doc, 'form[action="/connectors/bulk/"]')
    assert text(one(again, "button")) == "Review again the 1 not done…"
    fields = [(i["name"], i["value"]) for i in again.select("input[type=hidden]")]
    posted = dict(fields) | {"id": [v for n, v in fields if n == "id"]}
    assert posted["action"] == "delete_connectors" and posted["id"] == [used.id]

    preview = parse(admin.post("/connectors/bulk/", posted))
    assert texts(preview, ".bulk-preview__items li") == ["In use: no connections"]
    force = one(preview, '.bulk-preview form input[type="checkbox"][name="force"]')
    assert not force.has_attr("checked")

    admin.post("/connectors/bulk/", posted | {"force": "on", "confirm": "1"})
    forced = BulkRun.objects.exclude(pk=run.pk).get()
    runs.step(forced, forced.user)
    assert forced.params == {"force": True} and forced.items.get().status == "done"
    assert api.connectors.list().items == []


def test_a_bulk_action_that_cannot_run_keeps_the_list_and_the_selection(operator, api):
    first, second = make_connector(api, "Alpha"), make_connector(api, "Beta")
    make_connector(api, "Gamma")

    response = operator.post(
        "/connectors/bulk/",
        {
            "action": "add_tag",
            "tag": " ",
            "id": [first.id, second.id],
            "next": "/connectors/?sort=name%3Aasc",
        },
    )

    assert response.status_code == 400
    doc = parse(response)
    assert texts(doc, ".form-errors li") == ["Write the tag, as key or key:value."]
    ticked = [box["aria-label"] for box in doc.select("input[data-select][checked]")]
    assert ticked == ["Select Alpha", "Select Beta"]
    assert one(doc, "#bulk-action option[selected]")["value"] == "add_tag"
    assert texts(doc, ".catalog-table__name") == ["Alpha", "Beta", "Gamma"]
