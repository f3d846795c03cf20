"""Comparing any two versions of a connector at a shareable URL, and the versions table's
lazily loaded cell saying whether each version broke compatibility with the one before."""

import pytest

from tests.connectors.conftest import htmx, make_connector

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(client_as):
    return client_as("viewer")


def test_two_versions_compare_at_a_shareable_url(viewer, connector):
    url = f"/connectors/{connector.id}/compare/?from=1.0&to=2.0"

    html = viewer.get(url).content.decode()

    assert "2.0 against 1.0: 2 breaking, 0 possibly breaking, 4 compatible" in html
    assert html.index("Breaking (2)") < html.index("Compatible (4)")
    assert "Action <code>createProduct</code>: removed" in html
    # The form shows the comparison it made, so the page can be changed and shared again.
    assert '<option value="1.0" selected>' in html and '<option value="2.0" selected>' in html


def test_comparing_the_other_way_round_grades_the_other_way(viewer, connector):
    html = viewer.get(f"/connectors/{connector.id}/compare/?from=2.0&to=1.0").content.decode()

    assert "1.0 against 2.0: 5 breaking" in html
    assert "Action <code>getProduct</code>: removed" in html


def test_a_version_alone_compares_with_the_one_made_before_it(viewer, connector):
    html = viewer.get(f"/connectors/{connector.id}/compare/?to=2.0").content.decode()

    assert "2.0 against 1.0:" in html


def test_an_unknown_version_is_refused_in_the_form(viewer, connector):
    response = viewer.get(f"/connectors/{connector.id}/compare/?from=9.9&to=2.0")

    assert "Select a valid choice" in response.content.decode()
    assert "against" not in response.content.decode()


def test_the_compare_page_without_a_choice_shows_the_form(viewer, connector):
    html = viewer.get(f"/connectors/{connector.id}/compare/").content.decode()

    assert "Compare versions" in html and "This field is required" not in html


def test_the_versions_table_loads_each_versions_compatibility_lazily(viewer, connector):
    html = viewer.get(f"/connectors/{connector.id}/versions/").content.decode()

    url = f"/connectors/{connector.id}/versions/2.0/compatibility/"
    assert f'hx-get="{url}" hx-trigger="revealed"' in html
    # Without JavaScript, the cell is a link to the comparison.
    assert f'href="/connectors/{connector.id}/compare/?to=2.0">Compare&hellip;</a>' in html
    assert "Compare versions" in html


def test_the_compatibility_cell_says_a_version_broke_the_one_before(viewer, connector):
    cell = viewer.get(
        f"/connectors/{connector.id}/versions/2.0/compatibility/", headers=htmx()
    ).content.decode()
    first = viewer.get(f"/connectors/{connector.id}/versions/1.0/compatibility/").content.decode()

    assert "Breaking (2)" in cell and "compare/?from=1.0&amp;to=2.0" in cell
    assert "First version" in first


def test_the_compatibility_verdict_is_cached_until_a_version_changes(
    viewer, api, connector, caplog
):
    url = f"/connectors/{connector.id}/versions/2.0/compatibility/"
    with caplog.at_level("INFO", logger="dashboard.connect"):
        viewer.get(url)
        caplog.clear()
        again = viewer.get(url).content.decode()
    calls = [record.getMessage() for record in caplog.records]

    assert "Breaking (2)" in again
    assert not any("/actions" in call or "/schemas/" in call for call in calls)
    api.triggers.delete(connector.id, "2.0", "productCreated")  # moves 2.0's updatedAt
    assert "Breaking (3)" in viewer.get(url).content.decode()


def test_a_compatible_version_says_so(viewer, api):
    made = make_connector(api, "Calm")
    api.versions.create(made.id, "1.0.0")
    api.versions.create(made.id, "1.0.1", from_version="1.0.0")

    cell = viewer.get(f"/connectors/{made.id}/versions/1.0.1/compatibility/").content.decode()

    assert "No changes" in cell and "Breaking" not in cell
