"""The connectors page: the table, its filters (validated like a form), cursor paging with
its range, and the htmx fragment beside the full page."""

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import Tag
from django.http import QueryDict

from dashboard.connectors import catalogue
from dashboard.connectors.filters import ConnectorFilterForm
from dashboard.embedded_api.models import Connector
from tests.connectors.conftest import htmx, make_connector
from tests.html import hrefs, one, parse, text, texts

pytestmark = pytest.mark.django_db


def read(page) -> Tag:
    """A response, or a page already parsed, as a document."""
    return page if isinstance(page, Tag) else parse(page)


def rows(page) -> list[str]:
    """The connector names in the results table, in order."""
    return texts(read(page), "a.catalog-table__name[href]")


def count(page) -> str:
    """The results' range ("1–20 of 25")."""
    return text(one(read(page), "#connector-results-count"))


def pager(page) -> str:
    """The pager's range and position ("1–50 of 55 · Page 1 of 2")."""
    return text(one(read(page), ".pager .pager__range"))


def problems(page) -> list[str]:
    """What the filter-problems panel lists, after its heading."""
    panel = one(read(page), ".form-errors")
    assert text(panel).startswith("These filters cannot be used:")
    return texts(panel, "li")


def test_the_page_lists_connectors_with_tags_categories_latest_version_and_connections(
    operator, api
):
    stripe = make_connector(
        api, "Stripe", tags={"team": ["payments"], "beta": []}, categories=["Accounting"]
    )
    api.versions.create(stripe.id, "1.0.0")
    api.versions.publish(stripe.id, "1.0.0")
    api.versions.create(stripe.id, "1.1.0")  # a draft: not the latest published

    response = operator.get("/connectors/")

    html = response.content.decode()
    doc = parse(html)
    assert response.status_code == 200
    assert text(one(doc, "h1")) == "Connectors"
    assert rows(html) == ["Stripe"]
    assert {"team:payments", "beta"} <= set(texts(doc, "td a"))
    assert {"Accounting", "1.0.0"} <= set(texts(doc, "td"))
    assert "0" in texts(doc, "td.numeric")
    assert count(html) == "1–1 of 1"


def test_an_htmx_request_gets_only_the_results_and_the_tag_chips_out_of_band(operator, api):
    make_connector(api, "Stripe", tags={"team": ["payments"]})

    response = operator.get("/connectors/?tag=team:payments", headers=htmx("connector-results"))

    html = response.content.decode()
    doc = parse(html)
    assert response.status_code == 200
    assert not doc.select("h1, #connector-results-filters")
    assert rows(html) == ["Stripe"]
    assert one(doc, "div#connector-results-tags")["hx-swap-oob"] == "true"
    assert one(doc, 'input[type="hidden"][name="tag"]')["value"] == "team:payments"
    assert "HX-Request" in response["Vary"]
    assert response["HX-Push-Url"] == "/connectors/?tag=team%3Apayments"


def test_the_filters_fold_unless_one_is_active_and_their_summary_counts_them(operator, api):
    make_connector(api, "Stripe", tags={"team": ["payments"]}, categories=["CRM"])

    unfiltered = parse(operator.get("/connectors/?size=50"))  # a view option, not a filter
    filtered = parse(operator.get("/connectors/?name=str&tag=team:payments&categories=CRM"))

    assert not one(unfiltered, "details.catalog-filters__fold").has_attr("open")
    assert text(one(unfiltered, "#connector-results-filter-count")) == ""
    assert one(filtered, "details.catalog-filters__fold").has_attr("open")
    assert text(one(filtered, ".catalog-filters__summary")) == "Filters (3 active)"


def test_filters_with_an_error_are_open_to_show_it(operator, api):
    page = parse(operator.get("/connectors/?tag=:gold"))

    assert one(page, "details.catalog-filters__fold").has_attr("open")


def test_an_htmx_request_updates_the_count_of_active_filters_out_of_band(operator, api):
    response = operator.get("/connectors/?name=str&tag=a&tag=b", headers=htmx("connector-results"))

    active = one(parse(response), "span#connector-results-filter-count")
    assert active["hx-swap-oob"] == "true"
    assert text(active) == "(3 active)"


def test_the_pushed_url_leaves_out_empty_fields(operator, api):
    response = operator.get(
        "/connectors/?name=&protocol=&tag=&categories=CRM", headers=htmx("connector-results")
    )

    assert response["HX-Push-Url"] == "/connectors/?categories=CRM"


def test_a_history_restore_gets_the_whole_page(operator, api):
    response = operator.get("/connectors/", headers=htmx(**{"HX-History-Restore-Request": "true"}))

    assert text(one(parse(response), "h1")) == "Connectors"


def test_the_name_filter_matches_part_of_a_name_in_any_case(operator, api):
    for name in ("Stripe", "Stripe Connect", "Xero"):
        make_connector(api, name)

    response = operator.get("/connectors/?name=STRIPE", headers=htmx("connector-results"))

    assert sorted(rows(response)) == ["Stripe", "Stripe Connect"]


def test_the_protocol_filter_offers_the_apis_protocols(operator, api):
    make_connector(api, "Stripe")

    page = parse(operator.get("/connectors/"))
    http = operator.get("/connectors/?protocol=http", headers=htmx("connector-results"))
    bigquery = operator.get("/connectors/?protocol=bigquery", headers=htmx("connector-results"))

    assert "http" in [option["value"] for option in one(page, '[name="protocol"]').select("option")]
    assert rows(http) == ["Stripe"]
    assert rows(bigquery) == []


def test_a_row_names_its_protocol_as_the_protocol_filter_does(operator, api, settings, monkeypatch):
    Connector.objects.create(
        organisation_id=settings.CONNECT_ORGANISATION_ID, name="Warehouse", protocol="bigquery"
    )  # the service layer makes HTTP connectors only
    make_connector(api, "Stripe")
    # The rows take the names the filter form was given, not a catalogue read each.
    monkeypatch.setattr(catalogue, "protocol_names", None)

    doc = parse(operator.get("/connectors/"))

    protocols = {
        text(row.select("td")[1]): text(row.select("td")[2]) for row in doc.select("tbody tr")
    }
    assert protocols == {"Stripe": "HTTP", "Warehouse": "Google BigQuery"}
    assert {"HTTP", "Google BigQuery"} <= set(texts(doc, "#id_protocol option"))


def test_every_tag_filter_must_match_and_a_bare_key_matches_any_value(operator, api):
    make_connector(api, "Stripe", tags={"team": ["payments"], "tier": ["gold"]})
    make_connector(api, "Xero", tags={"team": ["finance"]})
    make_connector(api, "Slack", tags={"tier": ["gold"]})

    by_key = operator.get("/connectors/?tag=team", headers=htmx("connector-results"))
    both = operator.get("/connectors/?tag=team&tag=tier:gold", headers=htmx("connector-results"))

    assert sorted(rows(by_key)) == ["Stripe", "Xero"]
    assert rows(both) == ["Stripe"]


def test_a_row_tag_chip_links_to_the_list_with_that_tag_added(operator, api):
    make_connector(api, "Stripe", tags={"team": ["payments"], "tier": ["gold"]})

    doc = parse(operator.get("/connectors/?name=str&tag=tier:gold"))

    assert "/connectors/?name=str&tag=tier%3Agold&tag=team%3Apayments" in hrefs(doc)
    # A tag already filtered on is shown as such, not as a link adding it again.
    assert texts(doc, 'span[title="Already filtered by this tag"]') == ["tier:gold"]
    # The active filter's chip removes it and keeps the other filters.
    assert one(doc, 'a[href="/connectors/?name=str"]')["hx-get"] == "/connectors/?name=str"


def test_a_rows_name_and_tags_are_escaped(operator, api):
    # Rows are made in Python (listing.Row.html), outside the template's autoescaping.
    make_connector(api, "<b>Bold</b>", tags={"x": ['"><img src=q onerror=alert(1)>']})

    html = operator.get("/connectors/").content.decode()
    doc = parse(html)

    # No markup of theirs anywhere in the bytes; their text shown as text, in its link.
    assert "<b>Bold</b>" not in html and "<img" not in html
    assert rows(html) == ["<b>Bold</b>"]
    assert 'x:"><img src=q onerror=alert(1)>' in texts(doc, "td a")


def test_the_categories_filter_matches_any_of_them(operator, api):
    make_connector(api, "Stripe", categories=["Accounting"])
    make_connector(api, "Salesforce", categories=["CRM"])
    make_connector(api, "Slack", categories=["Communication"])

    response = operator.get(
        "/connectors/?categories=Accounting&categories=CRM", headers=htmx("connector-results")
    )

    assert sorted(rows(response)) == ["Salesforce", "Stripe"]


@pytest.mark.parametrize(
    "query", ["", "categories=CRM&categories=Accounting", "categories=CRM&categories=Nonsense"]
)
def test_the_category_checkboxes_are_the_markup_djangos_widget_draws(operator, query):
    """The page draws them in one template loop (filter_form.html), not a widget template
    per option: the same ids, labels, checked and invalid states as the form's own widget."""
    page = operator.get(f"/connectors/?{query}").content.decode()
    form = ConnectorFilterForm(QueryDict(query), **catalogue.filter_choices())
    form.is_valid()

    drawn = one(parse(page), "div#id_categories")

    assert drawn == one(parse(str(form["categories"])), "div#id_categories")
    assert len(drawn.select('input[type="checkbox"]')) == len(catalogue.categories()) > 1


def test_pages_follow_cursors_and_count_from_the_offset_in_the_url(operator, api):
    for number in range(25):
        make_connector(api, f"Service {number:02}", tags={"kind": ["saas"]})

    first = parse(operator.get("/connectors/?tag=kind:saas"))
    next_url = one(first, '.pager a[rel="next"]')["href"]
    second = parse(operator.get(next_url, headers=htmx("connector-results")))
    prev_url = one(second, '.pager a[rel="prev"]')["href"]

    assert count(first) == "1–20 of 25"
    assert len(rows(first)) == 20
    query = parse_qs(urlsplit(next_url).query)
    assert query["tag"] == ["kind:saas"] and query["start"] == ["20"] and query["after"]
    assert count(second) == "21–25 of 25"
    assert len(rows(second)) == 5
    assert set(rows(first)).isdisjoint(rows(second))
    # Back to the first page: a clean URL, filters kept.
    assert prev_url == "/connectors/?tag=kind%3Asaas"
    assert second.select('[rel="next"]') == []


def test_an_edited_offset_cannot_produce_an_impossible_range(operator, api):
    for number in range(3):
        make_connector(api, f"Service {number}")
    assert count(operator.get("/connectors/")) == "1–3 of 3"

    assert count(operator.get("/connectors/?start=500")) == "1–3 of 3"


def test_an_unknown_category_is_explained_and_nothing_is_listed(operator, api):
    make_connector(api, "Stripe")

    page = operator.get("/connectors/?categories=Nonsense")
    fragment = operator.get("/connectors/?categories=Nonsense", headers=htmx("connector-results"))

    assert page.status_code == 400
    assert texts(parse(page), "#connector-results-filters .field__errors li") == [
        "Select a valid choice. Nonsense is not one of the available choices."
    ]
    assert fragment.status_code == 422
    assert problems(fragment) == [
        "Categories: Select a valid choice. Nonsense is not one of the available choices."
    ]
    assert rows(fragment) == []


def test_a_tag_filter_without_a_key_is_refused(operator, api):
    response = operator.get("/connectors/?tag=:gold", headers=htmx("connector-results"))

    assert response.status_code == 422
    assert any(
        p.endswith("“:gold” has no key: write key or key:value.") for p in problems(response)
    )


def test_a_page_cannot_start_both_after_and_before_a_cursor(operator, api):
    response = operator.get("/connectors/?after=a&before=b")

    assert response.status_code == 400
    assert any(
        "not both" in error for error in texts(parse(response), ".form-errors p, .form-errors li")
    )


def test_a_cursor_the_api_refuses_is_shown_as_a_filter_problem(operator, api):
    response = operator.get("/connectors/?after=not-a-cursor", headers=htmx("connector-results"))

    assert response.status_code == 422
    assert problems(response)


def test_no_connectors_at_all_invites_creating_one(operator, api):
    doc = parse(operator.get("/connectors/"))

    assert "There are no connectors yet." in text(doc)
    assert "/connectors/new/" in hrefs(doc)


def test_no_match_offers_to_clear_the_filters(operator, api):
    make_connector(api, "Stripe")

    doc = parse(operator.get("/connectors/?name=zzz", headers=htmx("connector-results")))

    assert "No connectors match these filters." in text(doc)
    assert text(one(doc, 'a.button[href="/connectors/"]')) == "Clear all filters"


def test_a_viewer_sees_the_list_without_the_create_button(client_as, api):
    make_connector(api, "Stripe")

    doc = parse(client_as("viewer").get("/connectors/"))

    assert rows(doc) == ["Stripe"]
    assert "New HTTP connector" not in texts(doc, "a, button")


# --- Sorting, page size, first and last pages, and the old address --------------------------


def link(page, label: str) -> str:
    """The href of the one link whose text starts with `label`."""
    [href] = [a["href"] for a in read(page).select("a[href]") if text(a).startswith(label)]
    return href


def test_the_name_header_sorts_by_name_and_then_flips_the_order(operator, api):
    for name in ("Bravo", "Alpha", "Charlie"):
        make_connector(api, name)

    default = parse(operator.get("/connectors/"))
    ascending = parse(operator.get(link(default, "Name")))
    descending = parse(operator.get(link(ascending, "Name")))

    assert rows(default) == ["Charlie", "Alpha", "Bravo"]  # most recently updated first
    assert link(default, "Name") == "/connectors/?sort=name%3Aasc"
    assert rows(ascending) == ["Alpha", "Bravo", "Charlie"]
    assert text(one(ascending, 'th[scope="col"][aria-sort="ascending"]')).startswith("Name")
    assert rows(descending) == ["Charlie", "Bravo", "Alpha"]


def test_the_sort_order_is_kept_by_paging_and_filters(operator, api):
    for number in range(25):
        make_connector(api, f"Service {number:02}", tags={"kind": ["saas"]})

    first = parse(operator.get("/connectors/?sort=name:desc&tag=kind=saas"))
    second = parse(operator.get(link(first, "Next")))

    assert rows(first)[:2] == ["Service 24", "Service 23"]
    assert rows(second) == [f"Service {n:02}" for n in range(4, -1, -1)]
    assert one(first, 'input[type="hidden"][name="sort"]')["value"] == "name:desc"


def test_the_updated_header_sorts_and_older_links_in_the_contracts_names_still_work(operator, api):
    for name in ("Bravo", "Alpha", "Charlie"):
        make_connector(api, name)

    default = parse(operator.get("/connectors/"))
    older_link = parse(operator.get("/connectors/?sort=updatedAt:asc"))

    assert link(default, "Updated") == "/connectors/?sort=updated_at%3Aasc"
    assert rows(older_link) == ["Bravo", "Alpha", "Charlie"]  # least recently updated first


def test_an_unknown_sort_is_refused_like_any_bad_filter(operator, api):
    response = operator.get("/connectors/?sort=secret:asc", headers=htmx("connector-results"))

    assert response.status_code == 422
    assert any("Select a valid choice" in problem for problem in problems(response))


def test_the_page_size_is_chosen_from_20_50_or_100(operator, api):
    for number in range(55):
        make_connector(api, f"Service {number:02}")

    fifty = parse(operator.get("/connectors/?size=50"))
    refused = operator.get("/connectors/?size=7")

    assert len(rows(fifty)) == 50
    assert count(fifty) == "1–50 of 55" and pager(fifty) == "1–50 of 55 · Page 1 of 2"
    assert "size=50" in link(fifty, "Next")
    assert refused.status_code == 400


def test_the_last_page_holds_what_is_left_after_whole_pages_and_goes_back(operator, api):
    for number in range(45):
        make_connector(api, f"Service {number:02}")

    first = parse(operator.get("/connectors/?sort=name:asc"))
    last = parse(operator.get(link(first, "Last")))
    before_last = parse(operator.get(link(last, "← Previous")))

    assert link(first, "Last") == "/connectors/?sort=name%3Aasc&last=1"
    assert rows(last) == [f"Service {n:02}" for n in range(40, 45)]
    assert count(last) == "41–45 of 45" and pager(last) == "41–45 of 45 · Page 3 of 3"
    assert last.select('[rel="next"]') == []
    assert rows(before_last) == [f"Service {n:02}" for n in range(20, 40)]
    assert count(before_last) == "21–40 of 45"
    assert link(before_last, "« First") == "/connectors/?sort=name%3Aasc"


def test_a_tag_written_key_equals_value_is_read_as_key_colon_value_and_says_so(operator, api):
    make_connector(api, "Stripe", tags={"team": ["payments"]})
    make_connector(api, "Xero", tags={"team": ["finance"]})

    response = operator.get("/connectors/?tag=team=payments", headers=htmx("connector-results"))

    doc = parse(response)
    assert rows(doc) == ["Stripe"]
    assert texts(doc, ".tag-reading") == ["“team=payments” read as tag team:payments."]
    assert response["HX-Push-Url"] == "/connectors/?tag=team%3Apayments"


def test_the_old_home_address_of_the_list_redirects_keeping_its_filters(operator, api):
    response = operator.get("/?tag=team:payments&sort=name:asc")

    assert response.status_code == 302
    assert response["Location"] == "/connectors/?tag=team:payments&sort=name:asc"
