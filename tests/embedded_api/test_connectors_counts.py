"""The counters behind totalCount stay exact through every kind of change."""

import pytest
from django.core.management import call_command

from dashboard.embedded_api.models import Connector, ConnectorCount
from dashboard.embedded_api.models.connectors import recount_connectors
from tests.embedded_api.connector_bodies import create_http, update_body


def counters() -> dict[tuple[str, str], int]:
    return {(c.scope, c.facet): c.n for c in ConnectorCount.objects.all() if c.n}


def test_counters_equal_a_full_recount_after_every_kind_of_change(api, other_api):
    a = create_http(api, name="a", tags={"env": ["prod", "eu"], "beta": []}, public=True)
    b = create_http(api, name="b", tags={"env": ["dev"]})
    c = create_http(other_api, name="c", tags={"env": ["prod"]}, public=True)
    api.put(f"{api.o}/connectors/{b['id']}/tags", json={"tags": {"env": ["prod"], "team": ["x"]}})
    api.put(f"{api.o}/connectors/{a['id']}/categories", json={"categories": ["CRM", "HR"]})
    api.put(f"{api.o}/connectors/{b['id']}/categories", json={"categories": ["CRM"]})
    api.put(
        f"{api.o}/connectors/{a['id']}", json=update_body(a, public=False, tags={"env": ["eu"]})
    )
    api.put(f"{api.o}/connectors/{b['id']}", json=update_body(b, public=True, tags={"env": ["qa"]}))
    other_api.delete(f"{other_api.o}/connectors/{c['id']}")
    # Another area (e.g. the library import) creating a connector directly is counted too.
    Connector.objects.create(organisation_id=api.org, name="imported", protocol="http")

    kept = counters()
    recount_connectors()
    assert counters() == kept
    assert kept[api.org, ""] == 3
    assert kept["public", ""] == 1


def test_total_count_from_counters_matches_counting_the_rows(api):
    for i in range(6):
        create_http(api, name=f"n{i}", tags={"env": ["prod" if i % 3 else "dev"]})
    # One tag is served by a counter; adding a second filter makes the API count rows.
    by_counter = api.get(f"{api.o}/connectors", params={"tags": "env:prod"}).json()
    by_rows = api.get(f"{api.o}/connectors", params={"tags": "env:prod", "name": "n"}).json()
    assert by_counter["totalCount"] == by_rows["totalCount"] == 4


def test_recount_connectors_command_rebuilds_lost_counters(api, capsys):
    create_http(api, tags={"env": ["prod"]})
    kept = counters()
    ConnectorCount.objects.all().delete()
    call_command("recount_connectors")
    assert "counters rebuilt" in capsys.readouterr().out
    assert counters() == kept


@pytest.mark.concurrent_writers
def test_concurrent_tag_changes_keep_the_counters_exact(api, concurrent_writers):
    """Writers changing tags of different connectors at once, in opposite directions (each
    adds what another removes), all succeed and leave exact counters."""
    from concurrent.futures import ThreadPoolExecutor

    connectors = [create_http(api, name=f"n{i}", tags={"a": [], "b": []}) for i in range(6)]
    swaps = [{"a": [], "c": []}, {"b": [], "c": []}, {"c": []}]

    def retag(index: int) -> int:
        connector = connectors[index % len(connectors)]
        path = f"{api.o}/connectors/{connector['id']}/tags"
        return api.put(path, json={"tags": swaps[index % len(swaps)]}).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert set(pool.map(retag, range(24))) == {204}
    kept = counters()
    recount_connectors()
    assert counters() == kept


def test_a_broad_search_counts_exactly_up_to_the_limit_then_estimates_on_postgresql(
    api, monkeypatch
):
    from django.db import connection

    from dashboard.embedded_api.connectors import filters

    monkeypatch.setattr(filters, "EXACT_COUNT_LIMIT", 3)
    for i in range(5):
        create_http(api, name=f"shop {i}" if i < 4 else "other")
    few = api.get(f"{api.o}/connectors", params={"name": "shop 1"}).json()
    broad = api.get(f"{api.o}/connectors", params={"name": "shop", "first": 2}).json()

    assert few["totalCount"] == 1
    assert [c["name"] for c in broad["connectors"]] == ["shop 3", "shop 2"] and broad["next"]
    if connection.vendor == "postgresql":  # past the limit: the planner's estimate, above it
        assert broad["totalCount"] > 3
    else:  # SQLite has no estimate: every match counted
        assert broad["totalCount"] == 4
