"""The overview (home): counts that link to filtered lists, chart data with table
alternatives, what needs attention, recent activity, and the snapshot's short-lived cache."""

import json
import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from dashboard.accounts.models import AuditEntry
from dashboard.embedded_api.models import ConnectorVersion, Credential
from tests.connections.conftest import (
    api_key_config,
    make_connection,
    make_connector,
    string_credential,
)
from tests.html import parse, texts
from tests.imports.conftest import PETSTORE

pytestmark = pytest.mark.django_db


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
    html = operator.get("/").content.decode()

    def count(href: str) -> str:
        return re.search(rf'<a href="{re.escape(href)}"><strong>(\d+)</strong>', html)[1]

    assert count("/connectors/") == "2"
    assert count("/connectors/?protocol=http") == "2"
    assert count("/overview/versions/?state=draft") == "1"
    assert count("/overview/versions/?state=published&amp;published_within=7") == "2"
    assert count("/overview/connections/") == "1"
    assert count("/credentials/") == "3"
    assert count("/credentials/?expiry=expired") == "1"
    assert count("/credentials/?expiry=7") == "1"
    assert count("/credentials/?expiry=30") == "1"
    assert count("/credentials/?errors=on") == "1"


def test_the_linked_lists_show_what_was_counted(operator, estate):
    drafts = operator.get("/overview/versions/?state=draft").content.decode()
    published = operator.get("/overview/versions/?state=published&published_within=7")
    failing = operator.get("/overview/connections/?failing=on").content.decode()

    assert "<h1>Drafts waiting to be published</h1>" in drafts and ">2.0.0</a>" in drafts
    assert ">1.0.0</a>" in published.content.decode() and ">1.1.0</a>" in published.text
    assert ">Billing EU</a>" in failing and "eu-spare: The provider refused it." in failing


def test_a_list_with_bad_filters_says_so(operator, estate):
    response = operator.get("/overview/versions/?state=nonsense")

    assert response.status_code == 400
    assert "This list cannot be shown" in response.content.decode()


def test_chart_data_travels_as_json_and_each_chart_has_a_table(operator, estate):
    html = operator.get("/").content.decode()

    data = json.loads(unescape(re.search(r'data-charts="([^"]*)"', html)[1]))
    assert data["expiry"]["expired"] == 1
    assert sum(week["count"] for week in data["expiry"]["weeks"]) == 2  # 3 and 60 days
    assert data["categories"] == [{"label": "CRM", "count": 1}]
    assert sum(week["count"] for week in data["publishes"]) == 2
    assert html.count("<summary>As a table</summary>") == 3
    assert '<a href="/connectors/?categories=CRM">CRM</a>' in html


def test_needs_attention_links_straight_to_the_fix(operator, estate):
    billing, connection = estate

    html = operator.get("/").content.decode()

    rotate = re.findall(r'<a href="/credentials/([^/]+)/rotate/">Rotate ([^<]+)</a>', html)
    assert [name for _, name in rotate] == ["eu-old-key", "eu-key"]  # within 30 days
    assert (
        f'<a href="/connectors/{billing.id}/connections/{connection.id}/">Fix Billing EU</a>'
        in html
    )
    assert (
        f'<a href="/connectors/{billing.id}/versions/2.0.0/publish/">Publish Billing 2.0.0</a>'
        in html
    )


def test_recent_activity_reads_as_sentences(operator, estate):
    html = operator.get("/").content.decode()

    assert "published version 1.1.0 of Billing" in html
    assert "created connector Shipping" in html


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
    first = operator.get("/").content.decode()
    make_connector(api, "Ledger")
    cached = operator.get("/").content.decode()

    assert "Counted at <time" in first
    assert '<a href="/connectors/"><strong>2</strong>' in cached  # the new one not yet counted


def test_an_old_snapshot_is_shown_while_a_new_one_is_counted(operator, api, estate, settings):
    operator.get("/")
    make_connector(api, "Ledger")
    settings.OVERVIEW_CACHE_SECONDS = 0

    stale = operator.get("/").content.decode()  # starts a new count (here, at once)
    settings.OVERVIEW_CACHE_SECONDS = 300
    fresh = operator.get("/").content.decode()

    assert '<a href="/connectors/"><strong>2</strong>' in stale
    assert "a newer count is being made" in stale
    assert '<a href="/connectors/"><strong>3</strong>' in fresh


def test_the_first_visit_says_it_is_counting_and_polls_until_ready(operator, monkeypatch):
    from dashboard.overview import estate as estate_module

    started = []
    monkeypatch.setattr(estate_module, "start_refresh", started.append)

    html = operator.get("/").content.decode()

    assert len(started) == 1
    assert "Counting connectors, versions, connections and credentials" in html
    assert 'hx-trigger="every 2s" hx-select="#overview"' in html
    assert operator.get("/overview/versions/?state=draft").status_code == 503


def test_an_empty_estate_shows_zeros_and_nothing_to_attend_to(operator):
    html = operator.get("/").content.decode()

    assert '<a href="/connectors/"><strong>0</strong> connectors</a>' in html
    assert "No credential expires in the next 90 days." in html
    assert "Nothing has been changed in Production through Patchbay yet." in html


def test_recent_activity_links_to_the_audit_log_of_the_environment_shown(operator, estate):
    """Recent activity lists this environment's entries only; its link says so and keeps to it
    (the audit page unfiltered lists every environment's)."""
    html = operator.get("/").content.decode()

    assert '<a href="/audit/?environment=production">Production’s whole audit log</a>' in html


def test_the_page_has_no_inline_script(operator, estate):
    html = operator.get("/").content.decode()

    assert re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", html) == []
    assert '<script src="/static/vendor/chartjs/chart.umd.min.js" defer></script>' in html


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

    html = operator.get("/").content.decode()

    assert "publisher failed to publish version 3.0.0 (validation_failed)" in html
