"""What is recorded or computed per environment: audit entries (with a column and a filter),
history, the overview's snapshot and bulk runs."""

import pytest

from dashboard.accounts.models import AuditEntry
from dashboard.bulk import runs
from dashboard.bulk.actions import ADD_TAG
from dashboard.environments.registry import activated, get_environment
from tests.html import parse, texts

pytestmark = pytest.mark.django_db


def test_each_audit_entry_records_the_environment_whose_api_was_called(ops_client, both):
    staging = both["staging"]

    ops_client.post(f"/env/staging/connectors/{staging.id}/tags/", {"tags": "team:core"})
    entry = AuditEntry.objects.get(action="update_connector_tags")

    assert entry.environment == "staging"
    assert AuditEntry.objects.get(target_id=both["production"].id).environment == "production"


def test_entries_made_before_environments_existed_belong_to_the_default():
    entry = AuditEntry.objects.create(action="publish_connector", method="POST", path="p")

    assert entry.environment == "production"


def test_the_audit_page_shows_and_filters_by_environment_and_links_into_it(ops_client, both):
    html = parse(ops_client.get("/audit/").content.decode())
    staging_only = parse(ops_client.get("/audit/", {"environment": "staging"}).content.decode())

    assert "Environment" in texts(html, "thead th")
    assert sorted(texts(html, "tbody td:nth-child(2)")) == ["Production", "Staging", "Staging"]
    assert texts(staging_only, "tbody td:nth-child(2)") == ["Staging", "Staging"]
    links = {a["href"] for a in staging_only.select("tbody a[href]")}
    assert f"/env/staging/connectors/{both['staging'].id}/" in links


def test_a_history_tab_holds_only_its_environments_entries(ops_client, both):
    staging = both["staging"]
    with activated(get_environment("staging")):
        AuditEntry.objects.create(
            action="update_connector", method="PUT", path=f"o/X/connectors/{staging.id}",
            target_kind="connector", target_id=staging.id, environment="production",
        )  # fmt: skip

    html = parse(ops_client.get(f"/env/staging/connectors/{staging.id}/history/"))

    # its creation, made in staging; not the entry about the same id in production
    assert len(html.select(".history__entry")) == 1


def test_the_overview_counts_each_environment_apart(ops_client, both):
    def connectors(path: str) -> str:
        html = parse(ops_client.get(path))
        return html.select(".counts a strong")[0].get_text()  # "N connectors"

    assert connectors("/") == "1"
    assert connectors("/env/staging/") == "2"


def test_a_bulk_run_acts_in_the_environment_it_was_started_in(ops_client, ops_user, both):
    staging = both["staging"]
    with activated(get_environment("staging")):
        run = runs.start(
            ops_user, runs.ACTIONS[ADD_TAG], [(staging.id, "Stripe")], {"tag": "t"}, "/"
        )

    runs.step(run, ops_user)  # outside any request: the default environment is current

    assert run.environment == "staging"
    run.refresh_from_db()
    assert [item.status for item in run.items.all()] == ["done"]
    assert AuditEntry.objects.get(action="update_connector_tags").environment == "staging"
    assert ops_client.get(f"/env/staging/bulk/{run.pk}/").status_code == 200
    assert ops_client.get(f"/bulk/{run.pk}/").status_code == 404  # not production's


def test_a_call_made_with_an_api_key_is_recorded_in_its_organisations_environment(client):
    from django.conf import settings

    from dashboard.embedded_api.models import ApiKey
    from tests.environments.conftest import STAGING_ORG

    for organisation in (settings.CONNECT_ORGANISATION_ID, STAGING_ORG):
        _, raw = ApiKey.mint(organisation, "ci deployer")
        client.post(
            f"/api/connect/v1/o/{organisation}/protocols/http/connectors",
            {"name": f"Made in {organisation}", "baseURL": "https://x.example"},
            content_type="application/json",
            headers={"Authorization": f"Bearer {raw}"},
        )

    entries = AuditEntry.objects.filter(username="API key: ci deployer").order_by("id")
    assert [(e.action, e.environment) for e in entries] == [
        ("create_http_connector", "production"),
        ("create_http_connector", "staging"),
    ]
