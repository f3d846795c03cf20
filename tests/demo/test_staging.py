"""The demo's second environment: staging, another organisation of the embedded API, with the
same connectors and Paystream further along, so compare and promote have something to show."""

import pytest

from dashboard.demo import staging
from dashboard.embedded_api.models import ConnectorVersion
from dashboard.embedded_api.models.connectors import ConnectorCount, recount_connectors
from dashboard.environments.models import AddedEnvironment
from dashboard.environments.registry import all_environments, client_for, get_environment
from tests.html import one, parse, text, texts

pytestmark = pytest.mark.django_db


def paystream(slug: str):
    api = client_for(get_environment(slug))
    found = [c for c in api.connectors.list(name="Paystream") if c.name == "Paystream"]
    assert len(found) == 1
    return api, found[0]


def test_the_demo_has_production_and_staging_on_the_embedded_api(seeded, settings):
    assert [(e.slug, e.backend) for e in all_environments()] == [
        ("production", "embedded"),
        ("staging", "embedded"),
    ]
    assert get_environment("staging").organisation_id != settings.CONNECT_ORGANISATION_ID
    assert "Added the 'staging' environment" in seeded


def test_staging_holds_paystream_further_along_than_production(seeded):
    production_api, production = paystream("production")
    staging_api, ahead = paystream("staging")

    assert {v.name for v in production.versions} == {"1.0.0", "1.1.0", "1.2.0-beta.1"}
    assert {v.name: v.published_at is not None for v in ahead.versions} == {
        "1.0.0": True,
        "1.1.0": True,
        "1.2.0-beta.1": False,
        "1.2.0": True,
        "1.3.0-beta.1": False,
    }
    assert ahead.tags["stage"] == ["candidate"] and "stage" not in production.tags
    descriptions = [c.description for c in ahead.auth_scheme_configs]
    assert descriptions[-1] == "Sandbox API key"
    assert len(ahead.auth_scheme_configs) == len(production.auth_scheme_configs) + 1
    beta = staging_api.actions.list(ahead.id, "1.2.0-beta.1").total_count
    assert staging_api.actions.list(ahead.id, "1.2.0").total_count == beta - 1


def test_the_library_lists_each_public_demo_connector_once(seeded):
    api = client_for(get_environment("production"))
    names = [connector.name for connector in api.library.list(first=100).iter_all()]

    assert len(names) == len(set(names))


def test_seeding_again_adds_no_environment_and_no_version(seeded, run_seed):
    versions = ConnectorVersion.objects.count()

    again = run_seed()

    assert AddedEnvironment.objects.get().slug == staging.SLUG
    assert ConnectorVersion.objects.count() == versions
    assert "Added the" not in again


def test_both_environments_are_browsable(log_in, seeded):
    viewer = log_in("viewer")

    production = parse(viewer.get("/connectors/?name=Paystream"))
    assert "Paystream" in texts(production, ".catalog-table__name")
    page = parse(viewer.get("/env/staging/connectors/?name=Paystream"))
    assert "Paystream" in texts(page, ".catalog-table__name")
    assert text(one(page, ".environment-band__name strong")) == "Staging"


def test_stagings_release_compares_with_productions_latest_and_shows_the_breaking_change(
    log_in, seeded
):
    staging_api, ahead = paystream("staging")
    names = {
        version: {a.name for a in staging_api.actions.list(ahead.id, version).iter_all()}
        for version in (staging.BETA, staging.RELEASED)
    }
    [dropped] = names[staging.BETA] - names[staging.RELEASED]
    viewer = log_in("viewer")

    page = parse(
        viewer.get(
            f"/env/staging/connectors/{ahead.id}/environments/?with=production&version=1.2.0"
        )
    )

    heading = text(one(page, "#promotion-version-heading"))
    assert heading.startswith("Staging’s 1.2.0 against Production’s 1.1.0")
    assert any(dropped in finding for finding in texts(page, ".finding--breaking"))


def test_the_seeded_counters_match_the_rows(seeded):
    """The list's and the library's totals and tag counts are stored counters: the seed must
    keep them right (a recount from the rows changes nothing)."""

    def counters():
        return {(c.scope, c.facet): c.n for c in ConnectorCount.objects.exclude(n=0)}

    stored = counters()
    recount_connectors()
    assert stored == counters()
