"""URLs carry the environment: /env/<slug>/... shows that one, with every link and redirect
under the same prefix; a path without it shows the default, so old URLs keep working."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_script_prefix, reverse

from dashboard.environments.models import AddedEnvironment
from tests.html import hrefs, parse, text, texts

pytestmark = pytest.mark.django_db


def names(html: str) -> list[str]:
    return texts(parse(html), "a.catalog-table__name[href]")


def test_two_environments_show_their_own_data_in_two_requests(ops_client, both):
    production = ops_client.get("/connectors/")
    staging = ops_client.get("/env/staging/connectors/")

    assert names(production.content.decode()) == ["Stripe"]
    assert names(staging.content.decode()) == ["Shopify", "Stripe"]


def test_links_on_a_prefixed_page_carry_the_prefix(ops_client, both):
    staging = both["staging"]

    response = ops_client.get(f"/env/staging/connectors/{staging.id}/")

    assert response.status_code == 200
    links = hrefs(parse(response.content.decode()))
    assert f"/env/staging/connectors/{staging.id}/versions/" in links
    assert "/env/staging/connectors/" in links  # the main navigation too
    assert not [link for link in links if link.startswith("/connectors/")]
    assert get_script_prefix() == "/"  # put back after the request


def test_the_default_environment_keeps_its_old_unprefixed_urls(ops_client, both):
    production = both["production"]

    response = ops_client.get(f"/connectors/{production.id}/")

    assert response.status_code == 200
    assert f"/connectors/{production.id}/versions/" in hrefs(parse(response.content.decode()))
    # and its slug works as a prefix too
    assert ops_client.get(f"/env/production/connectors/{production.id}/").status_code == 200


def test_a_connector_of_another_environment_is_not_found_here(ops_client, both):
    response = ops_client.get(f"/connectors/{both['staging_only'].id}/")

    assert response.status_code == 404


def test_redirects_keep_the_prefix(client, both):
    response = client.get("/env/staging/connectors/")  # not signed in

    assert response.status_code == 302
    assert response["Location"].startswith("/env/staging/login/?next=/env/staging/connectors/")


@pytest.mark.parametrize(
    "path", ["/env/nowhere/connectors/", "/env/staging/static/css/patchbay.css"]
)
def test_an_unknown_environment_or_static_files_under_a_prefix_are_not_found(ops_client, path):
    assert ops_client.get(path).status_code == 404


def test_reverse_outside_a_request_has_no_prefix():
    assert reverse("connectors") == "/connectors/"


def test_a_connector_page_reads_the_added_environments_once(ops_client, both):
    # The header's switcher and the "Compare with" buttons share the page's one list.
    table = AddedEnvironment._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        response = ops_client.get(f"/env/staging/connectors/{both['staging'].id}/")

    assert response.status_code == 200
    compare = [a for a in parse(response).select("a") if text(a) == "Compare with Production"]
    assert [a["href"] for a in compare] == [
        f"/env/staging/connectors/{both['staging'].id}/environments/?with=production"
    ]
    assert sum(f'"{table}"' in query["sql"] for query in queries.captured_queries) == 1
