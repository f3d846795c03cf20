"""Comparing any two versions of a connector at a shareable URL, and the versions table's
lazily loaded cell saying whether each version broke compatibility with the one before."""

import pytest

from tests.connectors.conftest import htmx, make_connector
from tests.html import field_value, hrefs, one, parse, sentence, text, texts

pytestmark = pytest.mark.django_db


def heading(page) -> str:
    """The comparison's heading ("2.0 against 1.0: 2 breaking, ...")."""
    return text(one(page, "#compare-result-heading"))


def findings(page) -> list[str]:
    return [sentence(node) for node in page.select(".finding")]


@pytest.fixture
def viewer(client_as):
    return client_as("viewer")


def test_two_versions_compare_at_a_shareable_url(viewer, connector):
    url = f"/connectors/{connector.id}/compare/?from=1.0&to=2.0"

    page = parse(viewer.get(url))

    assert heading(page) == "2.0 against 1.0: 2 breaking, 0 possibly breaking, 4 compatible"
    assert texts(page, ".findings-level h3") == ["Breaking (2)", "Compatible (4)"]
    assert "Action createProduct: removed (in 1.0)" in findings(page)
    # The form shows the comparison it made, so the page can be changed and shared again.
    assert (field_value(page, "from"), field_value(page, "to")) == ("1.0", "2.0")


def test_comparing_the_other_way_round_grades_the_other_way(viewer, connector):
    page = parse(viewer.get(f"/connectors/{connector.id}/compare/?from=2.0&to=1.0"))

    assert heading(page).startswith("1.0 against 2.0: 5 breaking")
    assert "Action getProduct: removed (in 2.0)" in findings(page)


def test_a_version_alone_compares_with_the_one_made_before_it(viewer, connector):
    page = parse(viewer.get(f"/connectors/{connector.id}/compare/?to=2.0"))

    assert heading(page).startswith("2.0 against 1.0:")


def test_an_unknown_version_is_refused_in_the_form(viewer, connector):
    response = viewer.get(f"/connectors/{connector.id}/compare/?from=9.9&to=2.0")

    page = parse(response)
    assert text(one(page, "#id_from_error")).startswith("Select a valid choice")
    assert page.select("#compare-result-heading") == []
    assert "against" not in text(page)


def test_the_compare_page_without_a_choice_shows_the_form(viewer, connector):
    page = parse(viewer.get(f"/connectors/{connector.id}/compare/"))

    assert text(one(page, "#compare-heading")) == "Compare versions"
    assert one(page, "form.compare-form") and page.select(".field__errors") == []
    assert "This field is required" not in text(page)
    # Two different versions to start from: the newest against the one made before it.
    assert (field_value(page, "from"), field_value(page, "to")) == ("1.0", "2.0")


def test_the_versions_table_loads_each_versions_compatibility_lazily(viewer, connector):
    page = parse(viewer.get(f"/connectors/{connector.id}/versions/"))

    url = f"/connectors/{connector.id}/versions/2.0/compatibility/"
    cell = one(page, f'td[hx-get="{url}"]')
    assert cell["hx-trigger"] == "revealed"
    # Without JavaScript, the cell is a link to the comparison.
    link = one(cell, "a")
    assert (link["href"], text(link)) == (f"/connectors/{connector.id}/compare/?to=2.0", "Compare…")
    assert "Compare versions" in texts(page, "a.button")


def test_the_compatibility_cell_says_a_version_broke_the_one_before(viewer, connector):
    cell = parse(
        viewer.get(f"/connectors/{connector.id}/versions/2.0/compatibility/", headers=htmx())
    )
    first = parse(viewer.get(f"/connectors/{connector.id}/versions/1.0/compatibility/"))

    assert text(one(cell, "a > strong.compatibility--breaking")) == "Breaking (2)"
    assert hrefs(cell) == {f"/connectors/{connector.id}/compare/?from=1.0&to=2.0"}
    assert text(first) == "First version"


def test_the_compatibility_verdict_is_cached_until_a_version_changes(
    viewer, api, connector, caplog
):
    url = f"/connectors/{connector.id}/versions/2.0/compatibility/"
    with caplog.at_level("INFO", logger="dashboard.connect"):
        viewer.get(url)
        caplog.clear()
        again = text(parse(viewer.get(url)))
    calls = [record.getMessage() for record in caplog.records]

    assert again == "Breaking (2)"
    assert not any("/actions" in call or "/schemas/" in call for call in calls)
    api.triggers.delete(connector.id, "2.0", "productCreated")  # moves 2.0's updatedAt
    assert text(parse(viewer.get(url))) == "Breaking (3)"


def test_a_compatible_version_says_so(viewer, api):
    made = make_connector(api, "Calm")
    api.versions.create(made.id, "1.0.0")
    api.versions.create(made.id, "1.0.1", from_version="1.0.0")

    cell = parse(viewer.get(f"/connectors/{made.id}/versions/1.0.1/compatibility/"))

    assert text(one(cell, "a")) == "No changes"
    assert "Breaking" not in text(cell)
