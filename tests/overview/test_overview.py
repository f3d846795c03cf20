"""The overview (home): counts that link to filtered lists, chart data with table
alternatives, what needs attention, recent activity, and the snapshot's short-lived cache."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from dashboard.accounts.models import AuditEntry
from dashboard.embedded_api.models import ConnectorVersion, Credential
from dashboard.environments.models import EnvironmentRole
from tests.connections.conftest import (
    api_key_config,
    make_connection,
    make_connector,
    string_credential,
)
from tests.html import one, parse, text, texts
from tests.imports.conftest import PETSTORE

pytestmark = pytest.mark.django_db


def counts(page) -> dict[str, str]:
    """Each count of the overview, by the list it links to."""
    return {link["href"]: text(link.strong) for link in parse(page).select(".counts a")}


@pytest.fixture
def estate(api):
    """Two connectors (one filed under CRM), a connection whose credentials expire at
    different times (one expired, one failing), an old draft and two recent publishes."""
    now = timezone.now()
    billing = make_connector(api, "Billing", configs=[api_key_config()])
    api.connectors.update_categories(billing.id, ["CRM"])
    make_connector(api, "Shipping")
    key = billing.auth_scheme_configs[0]
    connection = make_connection(
        api,
        billing,
        "Billing EU",
        action=[
            string_credential(key, "eu-key", expires_at=now + timedelta(days=3)),
            string_credential(key, "eu-old-key", expires_at=now + timedelta(days=20)),
            string_credential(key, "eu-spare", expires_at=now + timedelta(days=60)),
        ],
    )
    Credential.objects.filter(name="eu-old-key").update(expires_at=now - timedelta(days=2))
    Credential.objects.filter(name="eu-spare").update(errors=["The provider refused it."])
    for name in ("1.0.0", "1.1.0", "2.0.0"):
        api.versions.create(billing.id, name)
    api.versions.publish(billing.id, "1.0.0")
    api.versions.publish(billing.id, "1.1.0")
    # A draft made a month ago: time the API cannot be told.
    ConnectorVersion.objects.filter(name="2.0.0").update(created_at=now - timedelta(days=30))
    return billing, connection


def test_the_counts_link_to_the_lists_they_count(operator, estate):
    shown = counts(operator.get("/"))

    assert shown["/connectors/"] == "2"
    assert shown["/connectors/?protocol=http"] == "2"
    assert shown["/overview/versions/?state=draft"] == "1"
    assert shown["/overview/versions/?state=published&published_within=7"] == "2"
    assert shown["/overview/connections/"] == "1"
    assert shown["/credentials/"] == "3"
    assert shown["/credentials/?expiry=expired"] == "1"
    assert shown["/credentials/?expiry=7"] == "1"
    assert shown["/credentials/?expiry=30"] == "1"
    assert shown["/credentials/?errors=on"] == "1"


def test_the_linked_lists_show_what_was_counted(operator, estate):
    drafts = parse(operator.get("/overview/versions/?state=draft"))
    published = parse(operator.get("/overview/versions/?state=published&published_within=7"))
    failing = parse(operator.get("/overview/connections/?failing=on"))

    def column(doc, index: int) -> list[str]:
        return [text(row.select("td")[index]) for row in doc.select("tbody tr")]

    assert text(one(drafts, "h1")) == "Drafts waiting to be published"
    assert column(drafts, 1) == ["2.0.0"]
    assert sorted(column(published, 1)) == ["1.0.0", "1.1.0"]
    assert column(failing, 0) == ["Billing EU"]
    assert column(failing, 2) == ["eu-spare: The provider refused it."]


def test_a_list_with_bad_filters_says_so(operator, estate):
    response = operator.get("/overview/versions/?state=nonsense")

    assert response.status_code == 400
    assert text(one(parse(response), ".form-errors[role=alert]")).startswith(
        "This list cannot be shown"
    )


def test_chart_data_travels_as_json_and_each_chart_has_a_table(operator, estate):
    doc = parse(operator.get("/"))

    data = json.loads(one(doc, "#overview-charts")["data-charts"])
    assert data["expiry"]["expired"] == 1
    assert sum(week["count"] for week in data["expiry"]["weeks"]) == 2  # 3 and 60 days
    assert data["categories"] == [{"label": "CRM", "count": 1}]
    assert sum(week["count"] for week in data["publishes"]) == 2
    assert texts(doc, ".chart details.chart__table summary") == ["As a table"] * 3
    [category] = doc.select(".chart__table tbody a")
    assert (category["href"], text(category)) == ("/connectors/?categories=CRM", "CRM")


def test_needs_attention_links_straight_to_the_fix(client_as, estate):
    billing, connection = estate

    doc = parse(client_as("publisher").get("/"))

    links = {text(link): link["href"] for link in doc.select(".attention__list a")}
    rotate = [name for name in links if name.startswith("Rotate ")]
    assert rotate == ["Rotate eu-old-key", "Rotate eu-key"]  # within 30 days
    assert all(
        links[name].startswith("/credentials/") and links[name].endswith("/rotate/")
        for name in rotate
    )
    assert links["Fix Billing EU"] == f"/connectors/{billing.id}/connections/{connection.id}/"
    assert links["Publish Billing 2.0.0"] == f"/connectors/{billing.id}/versions/2.0.0/publish/"


def attention(doc) -> dict[str, dict[str, str]]:
    """Each "Needs attention" list's items, by heading: their text and link (or "")."""
    lists = {}
    for column in doc.select(".attention__lists > div"):
        items = column.select(".attention__list li")
        lists[text(column.h3)] = {text(item): (item.a["href"] if item.a else "") for item in items}
    return lists


def test_needs_attention_offers_only_what_the_role_allows_and_says_who_can(client_as, estate):
    """A viewer gets no link to a page that would refuse them: each item names who can act,
    and a draft links to the version itself (read-only)."""
    billing, connection = estate

    shown = attention(parse(client_as("viewer").get("/")))

    rotate, fix, publish = shown.values()
    assert all("Rotate" not in item and href == "" for item, href in rotate.items())
    assert all(item.endswith("rotating it needs the operator role") for item in rotate)
    [(item, href)] = fix.items()
    assert item.startswith("Billing EU Billing") and item.endswith("needs the operator role")
    assert href == f"/connectors/{billing.id}/connections/{connection.id}/"
    [(item, href)] = publish.items()
    assert item.startswith("Billing 2.0.0 draft since")
    assert item.endswith("publishing it needs the publisher role")
    assert href == f"/connectors/{billing.id}/versions/2.0.0/"


def test_needs_attention_follows_the_role_in_the_environment_shown(
    client_as, django_user_model, estate
):
    """An operator may rotate but not publish; one granted only "viewer" here may do
    neither, whatever their global role."""
    operator_client = client_as("operator")
    operator_view = attention(parse(operator_client.get("/")))
    rotate, fix, publish = operator_view.values()
    assert all(
        item.startswith("Rotate ") and href.endswith("/rotate/") for item, href in rotate.items()
    )
    assert all(item.startswith("Fix ") for item in fix)
    assert [href for href in publish.values()] == [f"/connectors/{estate[0].id}/versions/2.0.0/"]

    user = django_user_model.objects.get(username="operator")
    EnvironmentRole.objects.create(environment="production", user=user, role="viewer")
    rotate, _, _ = attention(parse(operator_client.get("/"))).values()
    assert all(href == "" for href in rotate.values())


def test_recent_activity_reads_as_sentences(operator, estate):
    recent = texts(parse(operator.get("/")), ".activity li")

    assert any(line.endswith("published version 1.1.0 of Billing") for line in recent)
    assert any(line.endswith("created connector Shipping") for line in recent)


def test_a_version_import_in_recent_activity_names_its_connector(operator, api, estate):
    billing, _ = estate
    operator.get("/")  # the snapshot is counted before the next connector exists
    ledger = make_connector(api, "Ledger")
    api.imports.create_version(ledger.id, "3.0.0", PETSTORE, filename="pets.yaml")

    recent = texts(parse(operator.get("/")), ".activity li")

    assert any(
        "imported version 3.0.0 of Ledger from an OpenAPI document" in line for line in recent
    )


def test_the_snapshot_is_kept_and_says_when_it_was_counted(operator, api, estate):
    first = parse(operator.get("/"))
    make_connector(api, "Ledger")
    cached = operator.get("/")

    assert text(one(first, ".overview-computed")).startswith("Counted at ")
    assert one(first, ".overview-computed time")["datetime"]
    assert counts(cached)["/connectors/"] == "2"  # the new one not yet counted


def test_an_old_snapshot_is_shown_while_a_new_one_is_counted(operator, api, estate, settings):
    operator.get("/")
    make_connector(api, "Ledger")
    settings.OVERVIEW_CACHE_SECONDS = 0

    stale = operator.get("/")  # starts a new count (here, at once)
    settings.OVERVIEW_CACHE_SECONDS = 300
    fresh = operator.get("/")

    assert counts(stale)["/connectors/"] == "2"
    assert "a newer count is being made" in text(one(parse(stale), ".overview-computed"))
    assert counts(fresh)["/connectors/"] == "3"


def test_the_first_visit_says_it_is_counting_and_polls_until_ready(operator, monkeypatch):
    from dashboard.overview import estate as estate_module

    started = []
    monkeypatch.setattr(estate_module, "start_refresh", started.append)

    doc = parse(operator.get("/"))

    assert len(started) == 1
    counting = one(doc, "#overview")
    assert text(one(counting, "[role=status]")).startswith(
        "Counting connectors, versions, connections and credentials"
    )
    assert (counting["hx-trigger"], counting["hx-select"]) == ("every 2s", "#overview")
    assert operator.get("/overview/versions/?state=draft").status_code == 503


def test_an_empty_estate_shows_zeros_and_nothing_to_attend_to(operator):
    doc = parse(operator.get("/"))

    assert text(one(doc, '.counts a[href="/connectors/"]')) == "0 connectors"
    assert "No credential expires in the next 90 days." in texts(doc, ".attention__list li")
    assert texts(doc, ".activity li") == [
        "Nothing has been changed in Production through Patchbay yet."
    ]


def test_recent_activity_links_to_the_audit_log_of_the_environment_shown(operator, estate):
    """Recent activity lists this environment's entries only; its link says so and keeps to it
    (the audit page unfiltered lists every environment's)."""
    doc = parse(operator.get("/"))

    [link] = doc.select(".recent p a")
    assert (link["href"], text(link)) == (
        "/audit/?environment=production",
        "Production’s whole audit log",
    )


def test_the_page_has_no_inline_script(operator, estate):
    doc = parse(operator.get("/"))

    assert doc.select("script:not([src])") == []
    chart = one(doc, 'script[src="/static/vendor/chartjs/chart.umd.min.js"]')
    assert chart.has_attr("defer") and text(chart) == ""


def test_failed_calls_read_as_what_someone_failed_to_do(operator, estate):
    AuditEntry.objects.create(
        username="publisher",
        action="publish_connector",
        method="POST",
        path="o/x/connectors/y/versions/3.0.0/publish",
        target_kind="version",
        target_name="3.0.0",
        outcome="validation_failed",
        status=400,
    )

    recent = texts(parse(operator.get("/")), ".activity li")

    assert any(
        line.endswith("publisher failed to publish version 3.0.0 (validation_failed)")
        for line in recent
    )
