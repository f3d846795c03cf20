"""The audit page (/audit/) and its CSV export."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from dashboard.accounts.audit_views import PAGE_SIZE
from dashboard.accounts.models import AuditEntry
from dashboard.accounts.roles import OPERATOR, VIEWER
from tests.html import field_value, hrefs, one, parse, text, texts

from .conftest import NO_ROLE

pytestmark = pytest.mark.django_db

DAY = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def entry(**fields) -> AuditEntry:
    values = {
        "at": DAY,
        "username": "alice",
        "action": "update_connector",
        "method": "PUT",
        "path": "o/ORG/connectors/C1",
        "target_kind": "connector",
        "target_id": "C1",
        "target_name": "Stripe",
        "outcome": "ok",
        "status": 200,
        "request_id": "req-1",
    } | fields
    return AuditEntry.objects.create(**values)


@pytest.fixture
def viewer(client_as):
    return client_as(VIEWER)


def shown_ids(response) -> list[int]:
    return [row.entry.pk for row in response.context["page"].object_list]


def column(response, index: int) -> list[str]:
    """The text of one column of the entries' table, row by row."""
    return [text(row.select("td")[index]) for row in parse(response).select("tbody tr")]


def errors(response) -> list[str]:
    return texts(parse(response), ".field__errors li")


def csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_a_viewer_sees_entries_newest_first(viewer):
    older = entry(at=DAY - timedelta(hours=1), target_name="Older")
    newer = entry(target_name="Newer")
    response = viewer.get("/audit/")
    assert response.status_code == 200
    assert shown_ids(response) == [newer.pk, older.pk]
    assert [target.split()[1] for target in column(response, 4)] == ["Newer", "Older"]
    assert text(one(parse(response), "#audit-count")) == "2 entries"


def test_an_empty_log_says_so_and_an_empty_filter_result_says_why(viewer):
    def said(response) -> str:
        return text(one(parse(response), "#audit-results > p"))

    assert said(viewer.get("/audit/")).startswith("Nothing has been changed through Patchbay yet")

    entry(username="alice")
    response = viewer.get("/audit/", {"user": "bob"})
    assert said(response) == "No entries match these filters."
    assert "Nothing has been changed" not in text(parse(response))


def test_a_user_without_a_role_may_not_read_it(client_as):
    client = client_as(NO_ROLE)
    response = client.get("/audit/")
    assert response.status_code == 403
    assert "Ask an admin for the viewer role." in text(one(parse(response), ".page-message"))
    assert client.get("/audit/export.csv").status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/audit/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/audit/"


def test_entries_are_filtered_by_user_case_insensitively(viewer):
    alice = entry(username="alice")
    entry(username="bob")
    assert shown_ids(viewer.get("/audit/", {"user": "ALICE"})) == [alice.pk]


def test_entries_are_filtered_by_action_chosen_from_those_recorded(viewer):
    entry(action="update_connector")
    publish = entry(action="publish_connector")
    response = viewer.get("/audit/", {"action": "publish_connector"})
    assert shown_ids(response) == [publish.pk]
    assert [value for value, _ in response.context["form"].fields["action"].choices] == [
        "",
        "publish_connector",
        "update_connector",
    ]


def test_entries_are_filtered_by_target_kind_id_or_part_of_its_name(viewer):
    stripe = entry(target_kind="connector", target_id="C1", target_name="Stripe payments")
    hubspot = entry(target_kind="connection", target_id="K9", target_name="HubSpot")
    assert shown_ids(viewer.get("/audit/", {"target": "payments"})) == [stripe.pk]
    assert shown_ids(viewer.get("/audit/", {"target": "k9"})) == [hubspot.pk]
    assert shown_ids(viewer.get("/audit/", {"target": "connection"})) == [hubspot.pk]


def test_entries_are_filtered_by_outcome(viewer):
    ok = entry(outcome="ok")
    failed = entry(outcome="conflict", status=409)
    assert shown_ids(viewer.get("/audit/", {"outcome": "ok"})) == [ok.pk]
    assert shown_ids(viewer.get("/audit/", {"outcome": "failed"})) == [failed.pk]


def test_a_date_range_includes_both_whole_days(viewer):
    before = entry(at=datetime(2026, 3, 8, 23, 59, 59, tzinfo=UTC))
    first = entry(at=datetime(2026, 3, 9, 0, 0, tzinfo=UTC))
    last = entry(at=datetime(2026, 3, 10, 23, 59, 59, tzinfo=UTC))
    after = entry(at=datetime(2026, 3, 11, 0, 0, tzinfo=UTC))
    response = viewer.get("/audit/", {"since": "2026-03-09", "until": "2026-03-10"})
    assert shown_ids(response) == [last.pk, first.pk]
    assert before.pk not in shown_ids(response) and after.pk not in shown_ids(response)


def test_an_end_date_before_the_start_is_explained_and_the_input_kept(viewer):
    entry()
    response = viewer.get("/audit/", {"since": "2026-03-10", "until": "2026-03-01"})
    assert response.status_code == 200
    assert shown_ids(response) == []
    assert errors(response) == ["The end date is before the start date."]
    assert field_value(parse(response), "since") == "2026-03-10"


def test_a_malformed_date_is_explained_not_a_server_error(viewer):
    response = viewer.get("/audit/", {"since": "yesterday"})
    assert response.status_code == 200
    assert errors(response) == ["Enter a valid date."]


def test_an_htmx_request_gets_only_the_results(viewer):
    entry(target_name="Stripe")
    response = viewer.get("/audit/", {"user": "alice"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    doc = parse(response)
    assert [target.split()[1] for target in column(response, 4)] == ["Stripe"]
    assert text(one(doc, "#audit-count")) == "1 entry"
    assert doc.select("html, body, form") == []
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_pages_hold_fifty_entries_and_page_links_keep_the_filters(viewer):
    for index in range(PAGE_SIZE + 3):
        entry(at=DAY - timedelta(minutes=index), target_id=f"C{index}")
    first = viewer.get("/audit/", {"user": "alice"})
    assert len(shown_ids(first)) == PAGE_SIZE
    assert "?user=alice&page=2" in hrefs(parse(first))
    second = viewer.get("/audit/", {"user": "alice", "page": "2"})
    assert len(shown_ids(second)) == 3


def test_a_page_number_out_of_range_shows_the_last_page(viewer):
    entry()
    assert len(shown_ids(viewer.get("/audit/", {"page": "99"}))) == 1
    assert len(shown_ids(viewer.get("/audit/", {"page": "x"}))) == 1


def test_the_list_takes_a_fixed_number_of_queries(viewer, django_assert_num_queries):
    for index in range(30):
        entry(target_id=f"C{index}")
    viewer.get("/audit/")  # warm the session
    # session, user, the user's own permissions, their groups' permissions, the actions
    # offered as a filter, the environments offered as a filter, the environments added in
    # the dashboard (for the entries' links, and again for the header's switcher), the count,
    # the page of entries, the user's groups (their role, in the header), their roles
    # granted in this environment (the session, refreshed a moment ago, is not saved again)
    with django_assert_num_queries(12):
        viewer.get("/audit/")


def test_entries_link_to_what_they_changed_and_to_its_connector(viewer):
    under_c1 = {"path": "o/ORG/connectors/C1/versions/1.2.0/publish"}
    version = {"target_kind": "version", "target_id": "V1", "target_name": "1.2.0"}
    connection = {"target_kind": "connection", "target_id": "K1", "target_name": "Prod"}
    expected = {
        # (target page, connector page)
        entry(): ("/connectors/C1/", None),
        entry(action="delete_connector"): (None, None),
        entry(action="publish_connector", **under_c1, **version): (
            "/connectors/C1/versions/1.2.0/",
            "/connectors/C1/",
        ),
        entry(
            action="import_http_connector_version", path="o/ORG/connector/C1/http/import", **version
        ): ("/connectors/C1/versions/1.2.0/", "/connectors/C1/"),
        entry(
            action="update_connection", path="o/ORG/connectors/C1/connections/K1", **connection
        ): (
            "/connectors/C1/connections/K1/",
            "/connectors/C1/",
        ),
        entry(
            action="delete_connection", path="o/ORG/connectors/C1/connections/K1", **connection
        ): (
            None,
            "/connectors/C1/",
        ),
        entry(
            action="update_auth_scheme_config",
            path="o/ORG/connectors/C1/auth-scheme-configs/A1",
            target_kind="auth_scheme_config",
            target_id="A1",
        ): ("/connectors/C1/auth-schemes/", "/connectors/C1/"),
        # The library's import names the public connector in its path, the new one as target.
        entry(
            action="import_public_connector_version",
            path="o/ORG/connectors/PUBLIC/versions/1.0.0/library/import",
            target_id="C9",
        ): ("/connectors/C9/", None),
        entry(
            action="update_credential",
            path="o/ORG/credentials/K7",
            target_kind="credential",
            target_id="K7",
        ): (None, None),
        # A name no URL can hold is shown unlinked, not an error.
        entry(action="publish_connector", **under_c1, **(version | {"target_name": "a/b"})): (
            None,
            "/connectors/C1/",
        ),
    }
    response = viewer.get("/audit/")
    rows = response.context["page"].object_list
    assert {row.entry: (row.target_url, row.connector_url) for row in rows} == expected
    doc = parse(response)
    links = {(link["href"], text(link)) for link in doc.select("tbody td a")}
    assert ("/connectors/C1/versions/1.2.0/", "1.2.0") in links
    assert ("/connectors/C1/", "Its connector") in links
    assert {text(link) for link in doc.select("a.audit-connector")} == {"Its connector"}


def test_user_text_in_entries_is_escaped(viewer):
    entry(target_name='<script>alert("x")</script>', username="<b>mallory</b>")
    response = viewer.get("/audit/")
    assert "<script>alert" not in response.text
    assert column(response, 4) == ['connector <script>alert("x")</script> C1']  # shown as text
    assert column(response, 2) == ["<b>mallory</b>"]
    assert "<b>mallory</b>" not in response.text


def test_the_export_link_carries_the_current_filters(viewer):
    entry()
    response = viewer.get("/audit/", {"user": "alice", "page": "1"})
    assert one(parse(response), "#audit-export")["href"] == "/audit/export.csv?user=alice"


def test_the_csv_export_holds_every_filtered_entry_across_pages(viewer):
    for index in range(PAGE_SIZE + 5):
        entry(at=DAY - timedelta(minutes=index), target_id=f"C{index}")
    entry(username="bob")
    response = viewer.get("/audit/export.csv", {"user": "alice"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="patchbay-audit.csv"'
    rows = csv_rows(response)
    assert len(rows) == PAGE_SIZE + 5
    assert {row["username"] for row in rows} == {"alice"}
    assert rows[0] == {
        "at": "2026-03-10T12:00:00+00:00",
        "environment": "production",
        "username": "alice",
        "action": "update_connector",
        "method": "PUT",
        "path": "o/ORG/connectors/C1",
        "target_kind": "connector",
        "target_id": "C0",
        "target_name": "Stripe",
        "outcome": "ok",
        "status": "200",
        "request_id": "req-1",
    }


def test_the_csv_export_never_hands_a_spreadsheet_a_formula(viewer):
    entry(target_name='=HYPERLINK("http://evil.example","x")', username="+cmd")
    row = csv_rows(viewer.get("/audit/export.csv"))[0]
    assert row["target_name"] == '\'=HYPERLINK("http://evil.example","x")'
    assert row["username"] == "'+cmd"


def test_an_export_with_invalid_filters_says_why_and_exports_nothing(viewer):
    response = viewer.get("/audit/export.csv", {"since": "2026-03-10", "until": "2026-03-01"})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "To: The end date is before the start date." in response.text


def test_the_page_offers_no_way_to_change_an_entry(client_as):
    entry()
    response = client_as(OPERATOR).post("/audit/")
    assert response.status_code == 405
    assert AuditEntry.objects.count() == 1


def test_every_configured_environment_is_offered_by_name_even_with_nothing_recorded(
    viewer, settings
):
    settings.CONNECT_ENVIRONMENTS = [
        {
            "slug": "staging",
            "api_url": "",
            "api_token": "",
            "organisation_id": "01JQ0PATCHBAYSTAG1NGDEM0RG",
            "name": "Staging",
            "colour": "amber",
        }
    ]
    entry(environment="production")
    entry(environment="qa")  # recorded, since removed from the settings
    response = viewer.get("/audit/", {"environment": "staging"})
    form = response.context["form"]
    assert form.is_valid(), form.errors
    assert form.fields["environment"].choices == [
        ("", "Any"),
        ("production", "Production"),
        ("staging", "Staging"),
        ("qa", "qa (removed)"),
    ]
    assert shown_ids(response) == []
