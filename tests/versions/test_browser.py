"""The version browser: a version's actions, triggers and definitions, and their pages."""

import json

import pytest

from tests.connectors.conftest import htmx
from tests.versions.conftest import PRODUCT

pytestmark = pytest.mark.django_db


def version_url(connector, path: str = "") -> str:
    return f"/connectors/{connector.id}/versions/1.0/{path}"


def test_a_versions_page_lists_its_actions_with_method_and_path(client_as, connector):
    html = client_as("viewer").get(version_url(connector)).content.decode()

    assert "<h2>Version 1.0</h2>" in html
    assert '<span class="method method--get">GET</span>' in html
    assert '<span class="method method--post">POST</span>' in html
    assert html.count("<code>/products</code>") == 2
    assert f'href="{version_url(connector, "actions/listProducts/")}">listProducts</a>' in html
    assert "2 actions" in html


def test_the_name_filter_swaps_only_the_results_and_pushes_a_clean_url(client_as, connector):
    response = client_as("viewer").get(
        version_url(connector) + "?name=list&after=", headers=htmx("item-results")
    )

    html = response.content.decode()
    assert "<html" not in html and "listProducts" in html and "createProduct" not in html
    assert response["HX-Push-Url"] == version_url(connector) + "?name=list"


def test_a_filter_matching_nothing_says_so(client_as, connector):
    html = client_as("viewer").get(version_url(connector) + "?name=zzz").content.decode()

    assert "No actions match “zzz”." in html


def test_a_long_list_is_paged_with_cursor_links(client_as, api, connector, monkeypatch):
    monkeypatch.setattr("dashboard.versions.browse.PAGE_SIZE", 1)
    viewer = client_as("viewer")

    first = viewer.get(version_url(connector)).content.decode()
    next_url = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = viewer.get(next_url).content.decode()

    assert "createProduct" in first and "listProducts" not in first
    assert "listProducts" in second and "createProduct" not in second
    assert 'rel="prev"' in second


def test_an_actions_page_shows_parameters_body_and_responses_with_definitions(client_as, connector):
    viewer = client_as("viewer")
    listing = viewer.get(version_url(connector, "actions/listProducts/")).content.decode()
    creating = viewer.get(version_url(connector, "actions/createProduct/")).content.decode()

    assert '<th scope="row"><code>limit</code></th><td>query</td><td>integer</td><td>No</td>' in (
        listing
    )
    assert "No request body." in listing
    assert '<span class="status status--2xx">200</span>' in listing
    product = f'href="{version_url(connector, "definitions/Product/")}">Product</a>'
    assert product in listing
    assert "Required." in creating and product in creating
    assert '<span class="status status--2xx">201</span>' in creating


def test_an_actions_problems_are_shown_on_its_page(client_as, connector):
    html = (
        client_as("viewer")
        .get(f"/connectors/{connector.id}/versions/2.0/actions/getProduct/")
        .content.decode()
    )

    assert "<code>/path</code>: The path uses {{ param.id }}" in html
    assert (
        '<span class="badge badge--problems">1 problem</span>'
        in client_as("publisher").get(f"/connectors/{connector.id}/versions/2.0/").content.decode()
    )


def test_triggers_are_listed_and_shown_like_actions(client_as, connector):
    viewer = client_as("viewer")
    listing = viewer.get(version_url(connector, "triggers/")).content.decode()
    page = viewer.get(version_url(connector, "triggers/productCreated/")).content.decode()

    assert 'aria-current="page">Triggers' in listing and "productCreated" in listing
    assert '<span class="muted">Trigger</span> productCreated' in page
    assert '<span class="status status--2xx">204</span>' in page


def test_definitions_are_listed_with_what_references_them(client_as, connector):
    html = client_as("viewer").get(version_url(connector, "definitions/")).content.decode()

    assert "Product" in html and "Tag" in html
    # Product: two actions and a trigger use it; Tag: Product refers to it.
    assert '<td class="numeric">3</td>' in html and '<td class="numeric">1</td>' in html


def test_a_definitions_page_pretty_prints_its_schema_and_lists_its_referrers(client_as, connector):
    html = client_as("viewer").get(version_url(connector, "definitions/Product/")).content.decode()

    assert '<pre class="schema"><code>{\n  &quot;type&quot;: &quot;object&quot;,' in html
    assert f'href="{version_url(connector, "actions/listProducts/")}">listProducts</a>' in html
    assert f'href="{version_url(connector, "triggers/productCreated/")}">productCreated</a>' in html
    assert f'href="{version_url(connector, "definitions/Product/schema.json")}">Raw schema' in html


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
    html = client_as("viewer").get(f"/connectors/{connector.id}/versions/latest/").content.decode()

    assert "<h2>Version 1.0</h2>" in html


def test_a_cursor_the_api_refuses_is_explained_with_a_way_back(client_as, connector):
    response = client_as("viewer").get(version_url(connector) + "?after=not-a-cursor")

    assert response.status_code == 400
    html = response.content.decode()
    assert "This list cannot be shown as asked" in html and "invalid cursor" in html
    assert f'<a href="{version_url(connector)}">Start again from the first page</a>' in html
