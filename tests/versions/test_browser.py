"""The version browser: a version's actions, triggers and definitions, and their pages."""

import json

import pytest

from tests.connectors.conftest import htmx
from tests.html import one, parse, sentence, text, texts
from tests.versions.conftest import PRODUCT

pytestmark = pytest.mark.django_db


def version_url(connector, path: str = "") -> str:
    return f"/connectors/{connector.id}/versions/1.0/{path}"


def listed(page) -> list[str]:
    """The names in the version's item table."""
    return texts(page, ".item-table tbody th")


def test_a_versions_page_lists_its_actions_with_method_and_path(client_as, connector):
    page = parse(client_as("viewer").get(version_url(connector)))

    assert texts(page, ".version-head h2") == ["Version 1.0"]
    rows = {text(row.th): row for row in page.select(".item-table tbody tr")}
    assert texts(rows["listProducts"], "td > span.method--get") == ["GET"]
    assert texts(rows["createProduct"], "td > span.method--post") == ["POST"]
    assert texts(page, ".item-table td > code") == ["/products", "/products"]
    link = one(rows["listProducts"], "th a")
    assert (link["href"], text(link)) == (
        version_url(connector, "actions/listProducts/"),
        "listProducts",
    )
    assert text(one(page, ".item-count")) == "2 actions"


def test_the_name_filter_swaps_only_the_results_and_pushes_a_clean_url(client_as, connector):
    response = client_as("viewer").get(
        version_url(connector) + "?name=list&after=", headers=htmx("item-results")
    )

    page = parse(response)
    assert page.select("html, body") == [] and listed(page) == ["listProducts"]
    assert response["HX-Push-Url"] == version_url(connector) + "?name=list"


def test_a_filter_matching_nothing_says_so(client_as, connector):
    page = parse(client_as("viewer").get(version_url(connector) + "?name=zzz"))

    assert texts(page, "#item-results .empty-state p") == ["No actions match “zzz”."]


def test_a_long_list_is_paged_with_cursor_links(client_as, api, connector, monkeypatch):
    monkeypatch.setattr("dashboard.versions.browse.PAGE_SIZE", 1)
    viewer = client_as("viewer")

    first = parse(viewer.get(version_url(connector)))
    second = parse(viewer.get(one(first, '.pager a[rel="next"]')["href"]))

    assert listed(first) == ["createProduct"]
    assert listed(second) == ["listProducts"]
    assert one(second, '.pager a[rel="prev"]')["href"]


def test_an_actions_page_shows_parameters_body_and_responses_with_definitions(client_as, connector):
    viewer = client_as("viewer")
    listing = parse(viewer.get(version_url(connector, "actions/listProducts/")))
    creating = parse(viewer.get(version_url(connector, "actions/createProduct/")))

    [limit] = listing.select('section[aria-labelledby="endpoint-parameters-heading"] tbody tr')
    assert texts(limit, "th > code") == ["limit"]
    assert texts(limit, "td")[:3] == ["query", "integer", "No"]
    body = 'section[aria-labelledby="endpoint-body-heading"] p'
    assert texts(listing, body) == ["No request body."]
    assert texts(listing, ".responses dt > span.status--2xx") == ["200"]
    product = (version_url(connector, "definitions/Product/"), "Product")
    links = 'section[aria-labelledby="endpoint-{}-heading"] a'
    assert product in [(a["href"], text(a)) for a in listing.select(links.format("responses"))]
    assert texts(creating, body)[0] == "Required."
    assert product in [(a["href"], text(a)) for a in creating.select(links.format("body"))]
    assert texts(creating, ".responses dt > span.status--2xx") == ["201"]


def test_an_actions_problems_are_shown_on_its_page(client_as, connector):
    page = parse(
        client_as("viewer").get(f"/connectors/{connector.id}/versions/2.0/actions/getProduct/")
    )
    listing = parse(client_as("publisher").get(f"/connectors/{connector.id}/versions/2.0/"))

    [problem] = page.select("#endpoint-problems-heading + ul.messages > li")
    assert texts(problem, "code") == ["/path"]
    assert "/path: The path uses {{ param.id }}" in sentence(problem)
    assert texts(listing, ".item-table .badge--problems") == ["1 problem"]


def test_triggers_are_listed_and_shown_like_actions(client_as, connector):
    viewer = client_as("viewer")
    listing = parse(viewer.get(version_url(connector, "triggers/")))
    page = parse(viewer.get(version_url(connector, "triggers/productCreated/")))

    assert texts(listing, '.subtabs a[aria-current="page"]') == ["Triggers"]
    assert listed(listing) == ["productCreated"]
    assert text(one(page, "#endpoint-heading")) == "Trigger productCreated"
    assert texts(page, "#endpoint-heading > span.muted") == ["Trigger"]
    assert texts(page, ".responses dt > span.status--2xx") == ["204"]


def test_definitions_are_listed_with_what_references_them(client_as, connector):
    page = parse(client_as("viewer").get(version_url(connector, "definitions/")))

    # Product: two actions and a trigger use it; Tag: Product refers to it.
    referenced = {text(row.th): text(one(row, "td.numeric")) for row in page.select("tbody tr")}
    assert referenced == {"Product": "3", "Tag": "1"}


def test_a_definitions_page_pretty_prints_its_schema_and_lists_its_referrers(client_as, connector):
    page = parse(client_as("viewer").get(version_url(connector, "definitions/Product/")))

    assert one(page, "pre.schema > code").get_text().startswith('{\n  "type": "object",')
    referrers = page.select("#definition-references-heading + ul a")
    assert (version_url(connector, "actions/listProducts/"), "listProducts") in [
        (a["href"], text(a)) for a in referrers
    ]
    assert (version_url(connector, "triggers/productCreated/"), "productCreated") in [
        (a["href"], text(a)) for a in referrers
    ]
    raw = one(page, ".section-head a.button")
    assert (raw["href"], text(raw)) == (
        version_url(connector, "definitions/Product/schema.json"),
        "Raw schema",
    )


def test_the_raw_schema_is_the_apis_json_schema(client_as, connector):
    response = client_as("viewer").get(version_url(connector, "definitions/Product/schema.json"))

    assert response["Content-Type"] == "application/schema+json; charset=utf-8"
    schema = json.loads(response.content)
    assert schema["properties"]["id"] == PRODUCT["properties"]["id"]
    # The reference to Tag is served as Tag's own schema URL.
    assert schema["properties"]["tag"]["$ref"].endswith(".json")


def test_an_unknown_item_or_version_is_a_not_found_page(client_as, connector):
    viewer = client_as("viewer")

    assert viewer.get(version_url(connector, "actions/noSuchAction/")).status_code == 404
    assert viewer.get(f"/connectors/{connector.id}/versions/9.9/").status_code == 404


def test_latest_names_the_latest_published_version(client_as, connector):
    page = parse(client_as("viewer").get(f"/connectors/{connector.id}/versions/latest/"))

    assert texts(page, ".version-head h2") == ["Version 1.0"]


def test_a_cursor_the_api_refuses_is_explained_with_a_way_back(client_as, connector):
    response = client_as("viewer").get(version_url(connector) + "?after=not-a-cursor")

    assert response.status_code == 400
    errors = one(parse(response), ".form-errors")
    assert text(errors).startswith("This list cannot be shown as asked")
    assert any("invalid cursor" in error for error in texts(errors, "li"))
    again = one(errors, "a")
    assert (again["href"], text(again)) == (
        version_url(connector),
        "Start again from the first page",
    )
