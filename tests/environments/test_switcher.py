"""Every page says which environment it shows (a band in its colour, its name in the title)
and offers the same page in another environment: found by name, else that one's home."""

import pytest
from django.contrib.messages import get_messages

from tests.connectors.conftest import make_connector
from tests.html import one, parse, text, texts

pytestmark = pytest.mark.django_db


def switch(client, slug: str, next_url: str, prefix: str = ""):
    return client.get(f"{prefix}/environments/switch/{slug}/", {"next": next_url})


def test_every_page_wears_its_environments_colour_and_name(ops_client):
    production = parse(ops_client.get("/connectors/").content.decode())
    staging = parse(ops_client.get("/env/staging/connectors/").content.decode())

    assert "environment--red" in one(production, ".environment-band")["class"]
    assert "environment--amber" in one(staging, ".environment-band")["class"]
    assert text(one(staging, ".environment-band__name")) == "Environment Staging"
    assert text(one(staging, "title")).endswith("· Staging · Patchbay")
    assert "style=" not in str(one(staging, ".environment-band"))  # strict CSP: classes only


def test_the_switcher_lists_every_environment_and_keeps_the_page_asked_for(ops_client):
    html = parse(ops_client.get("/connectors/?name=str").content.decode())

    links = [link["href"] for link in html.select(".environment-switcher a")]

    assert links == [
        "/environments/switch/production/?next=/connectors/%3Fname%3Dstr",
        "/environments/switch/staging/?next=/connectors/%3Fname%3Dstr",
        "/environments/",  # "Manage environments", for admins
    ]


def test_a_list_page_switches_to_the_same_list_with_its_filters(ops_client):
    response = switch(ops_client, "staging", "/connectors/?name=str")

    assert response["Location"] == "/env/staging/connectors/?name=str"


def test_a_connectors_page_switches_to_the_connector_of_the_same_name(ops_client, both):
    production, staging = both["production"], both["staging"]

    there = switch(ops_client, "staging", f"/connectors/{production.id}/history/")
    back = switch(
        ops_client, "production", f"/env/staging/connectors/{staging.id}/", "/env/staging"
    )

    assert there["Location"] == f"/env/staging/connectors/{staging.id}/history/"
    assert back["Location"] == f"/connectors/{production.id}/"


def test_a_version_switches_to_the_same_version_or_else_the_versions_tab(
    ops_client, both, production_api, staging_api
):
    production, staging = both["production"], both["staging"]
    production_api.versions.create(production.id, "1.0.0")
    staging_api.versions.create(staging.id, "1.0.0")
    staging_api.versions.create(staging.id, "2.0.0")

    same = switch(ops_client, "staging", f"/connectors/{production.id}/versions/1.0.0/triggers/")
    missing = switch(
        ops_client, "production", f"/env/staging/connectors/{staging.id}/versions/2.0.0/"
    )  # (from a page of staging, whichever prefix the switcher's own URL has)

    assert same["Location"] == f"/env/staging/connectors/{staging.id}/versions/1.0.0/triggers/"
    assert missing["Location"] == f"/connectors/{production.id}/versions/"


def test_an_object_with_no_counterpart_lands_on_the_other_home_with_a_message(ops_client, both):
    response = switch(ops_client, "production", f"/connectors/{both['staging_only'].id}/")

    assert response["Location"] == "/"
    assert "no counterpart in Production" in str(list(get_messages(response.wsgi_request))[0])


def test_a_connection_lands_on_the_connections_tab_of_the_same_connector(ops_client, both):
    production, staging = both["production"], both["staging"]

    response = switch(ops_client, "staging", f"/connectors/{production.id}/connections/X1/")

    assert response["Location"] == f"/env/staging/connectors/{staging.id}/connections/"


def test_switching_never_leaves_the_site(ops_client):
    response = switch(ops_client, "staging", "https://elsewhere.invalid/connectors/")

    assert response["Location"] == "/env/staging/"


def test_an_unknown_environment_is_not_found(ops_client):
    assert switch(ops_client, "nowhere", "/").status_code == 404


def test_the_band_needs_no_extra_environment_when_only_the_default_exists(settings, ops_client):
    settings.CONNECT_ENVIRONMENTS = []
    html = parse(ops_client.get("/connectors/").content.decode())

    assert text(one(html, ".environment-band__name")) == "Environment Production"


def test_a_new_connector_made_in_staging_stays_in_staging(ops_client, staging_api):
    make_connector(staging_api, "Only here")

    def names(path: str) -> list[str]:
        return texts(parse(ops_client.get(path)), ".catalog-table__name")

    assert "Only here" in names("/env/staging/connectors/")
    assert "Only here" not in names("/connectors/")
    assert "Only here" not in text(parse(ops_client.get("/connectors/")))
