"""Every screen has something to show after the first `make run`: read through the dashboard's
own service layer and pages, as a demo user of each screen would."""

from collections import Counter

import pytest

from dashboard.connect import get_client
from dashboard.connections import worklist
from dashboard.demo import catalogue
from tests.html import parse, text, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(log_in):
    return log_in("viewer")


def names(page) -> set[str]:
    return {connector.name for connector in page.items}


def test_connectors_fill_the_list_and_every_filter_finds_some(viewer):
    api = get_client()
    everything = api.connectors.list(first=100)

    assert everything.total_count == 45
    assert names(api.connectors.list(tags=["team:payments"])) == {"Paystream", "Subscriptly"}
    assert names(api.connectors.list(tags=["team:platform", "tier:gold"])) == {
        "Pipelined CI",
        "Pagerly",
    }
    pii = api.connectors.list(tags=["pii"], first=100)
    assert pii.total_count == len(pii.items) == 10
    assert all("pii" in connector.tags for connector in pii.items)
    assert api.connectors.list(categories=["Hospitality"]).total_count == 4
    assert names(api.connectors.list(protocol="bigquery")) == {
        "Analytics warehouse",
        "Finance warehouse",
        "Marketing warehouse",
    }
    categories = {c for connector in everything.items for c in connector.categories}
    assert categories == set(api.categories.list())
    for connector in everything.items:
        assert connector.image_url.endswith(".svg") and connector.documentation_url
    page = parse(viewer.get("/connectors/", {"tag": "team:payments"}))
    assert sorted(texts(page, ".catalog-table__name")) == ["Paystream", "Subscriptly"]


def test_auth_scheme_configs_of_every_type_with_advice_to_show(seeded):
    connectors = get_client().connectors.list(first=100).items
    configs = [config for connector in connectors for config in connector.auth_scheme_configs]

    assert {config.scheme_type for config in configs} == {
        "none",
        "api-key",
        "basic-auth",
        "oauth2",
        "hmac",
        "certificate",
    }
    grants = {config.grant.grant_type for config in configs if config.scheme_type == "oauth2"}
    assert grants == {"authorization_code", "client_credentials", "password"}
    severities = Counter(
        message.severity for config in configs for message in config.validation_messages
    )
    assert severities["error"] and severities["warning"] and severities["info"]


def test_the_library_offers_another_organisations_connectors(log_in):
    api = get_client()
    library = api.library.list(first=100).items

    others = [c for c in library if c.organisation_id == catalogue.LIBRARY_ORGANISATION_ID]
    assert len(others) == 10
    assert {c.name for c in library} - {c.name for c in others} == {"Huddle Chat", "Uptimer"}
    for connector in others:
        if connector.name != "Storefront Starter":  # a draft only: nothing to import yet
            assert any(version.published_at for version in connector.versions)
    imported = api.connectors.list(name="Geocodr").items
    assert [version.name for version in imported[0].versions] == ["1.1.0"]
    page = parse(log_in("publisher").get("/library/"))
    assert "Weatherline" in texts(page, ".catalog-table__name")
    offered = {(o["value"], text(o)) for o in page.select(".import-form option")}
    assert ("1.1.0", "1.1.0 (latest)") in offered


def test_versions_are_published_and_drafted_from_imported_specs(seeded):
    api = get_client()
    paystream = api.connectors.list(name="Paystream").items[0]
    versions = {version.name: version for version in paystream.versions}

    assert set(versions) == {"1.0.0", "1.1.0", "1.2.0-beta.1"}
    assert versions["1.1.0"].is_latest and versions["1.1.0"].is_default
    assert versions["1.2.0-beta.1"].published_at is None
    actions = api.actions.list(paystream.id, "latest", first=100).items
    assert len(actions) == 20 and {a.name for a in actions} >= {"listCustomers", "createRefund"}
    triggers = api.triggers.list(paystream.id, "latest").items
    assert {t.name for t in triggers} == {
        "customer_created",
        "customer_updated",
        "payment_created",
        "payment_updated",
    }
    assert api.definitions.list(paystream.id, "latest").total_count >= 12
    # A later draft has more than the first version (its spec grew).
    first = api.actions.list(paystream.id, "1.0.0", first=100).total_count
    assert first < api.actions.list(paystream.id, "1.2.0-beta.1", first=100).total_count

    ledgerly = {v.name: v for v in api.connectors.list(name="Ledgerly").items[0].versions}
    assert ledgerly["2024.06"].is_default and not ledgerly["2024.06"].is_latest
    assert ledgerly["2025.01"].is_latest and not ledgerly["2025.01"].is_default


def test_the_credentials_worklist_has_expiring_expired_and_failing_credentials(viewer):
    api = get_client()

    soon = worklist.fetch(api, {"expiry": "7"}).rows
    expired = worklist.fetch(api, {"expiry": "expired"}).rows
    failing = worklist.fetch(api, {"errors": True}).rows

    assert [row.credential.name for row in soon] == [
        "Globex CRM Production OAuth 2.0 token",
        "Ledgerly Production OAuth 2.0 token",
        "Acme mTLS client certificate",
    ]
    assert {row.state for row in soon} == {"soon"}
    assert [row.credential.name for row in expired] == [
        "Finance warehouse Staging OAuth 2.0 token",
        "Shiftly Production login",
        "Pipewise Production OAuth 2.0 token",
    ]
    assert {row.state for row in expired} == {"expired"}
    assert len(failing) == 3 and all(row.credential.errors for row in failing)
    everything = worklist.fetch(api, {}).rows
    assert {row.credential.type for row in everything} == set(worklist.CREDENTIAL_TYPES)
    shared = next(row for row in everything if row.credential.name.startswith("Acme mTLS"))
    assert len(shared.credential.usages) == 2
    listed = texts(parse(viewer.get("/credentials/")), "tbody td > strong")
    assert "Acme mTLS client certificate" in listed
    assert "Pipewise Production OAuth 2.0 token" in listed
