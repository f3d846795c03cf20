"""The version pages when the Connect API cannot be reached: an error panel, never a crash."""

import pytest

from dashboard.connect import client as client_module
from tests.connectors.conftest import htmx, remote_client, unused_loopback_url
from tests.html import hrefs, one, parse, text, texts

pytestmark = pytest.mark.django_db

CONNECTOR = "01JQ0N0SUCHC0NNECT0R000000"


@pytest.fixture
def unreachable_api(monkeypatch):
    """The dashboard's client pointed at a loopback port nothing listens on."""
    client = remote_client(unused_loopback_url())
    monkeypatch.setattr(client_module, "_client", client)
    yield
    client.close()


def panel_title(response) -> str:
    return text(one(parse(response), ".error-panel .error-panel__title"))


def test_the_versions_tab_shows_an_error_page(client_as, unreachable_api):
    response = client_as("viewer").get(f"/connectors/{CONNECTOR}/versions/")

    assert response.status_code == 502
    assert panel_title(response) == "The Connect API is not available"


def test_the_publish_comparison_shows_the_panel_where_the_changes_would_be(
    client_as, unreachable_api
):
    response = client_as("publisher").get(
        f"/connectors/{CONNECTOR}/versions/2.0/publish/?compare", headers=htmx("publish-changes")
    )

    assert response.status_code == 502
    assert response["HX-Retarget"] == "#publish-changes"
    assert one(parse(response), "section.error-panel")["role"] == "alert"


def test_a_failed_publish_leaves_the_page_and_says_why_in_one_sentence(client_as, unreachable_api):
    response = client_as("publisher").post(
        f"/connectors/{CONNECTOR}/versions/2.0/publish/", headers=htmx("publish-panel")
    )

    assert response.status_code == 502
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == "The Connect API could not be reached."


@pytest.mark.parametrize(
    "path",
    ["actions/listProducts/edit/", "triggers/productCreated/edit/", "definitions/Tag/delete/"],
)
def test_the_editors_show_an_error_page(client_as, unreachable_api, path):
    response = client_as("publisher").get(f"/connectors/{CONNECTOR}/versions/2.0/{path}")

    assert response.status_code == 502
    assert panel_title(response) == "The Connect API is not available"


def test_a_connector_that_does_not_exist_offers_a_way_home_not_a_retry(client_as):
    response = client_as("viewer").get(f"/connectors/{CONNECTOR}/versions/")

    assert response.status_code == 404
    page = parse(response)
    assert panel_title(response) == "Not found"
    assert "Try again" not in texts(page, "a")  # it would only be not found again
    assert "/" in hrefs(one(page, ".page-message"))


def test_an_api_that_failed_offers_to_try_again(client_as, unreachable_api):
    url = f"/connectors/{CONNECTOR}/versions/"

    page = parse(client_as("viewer").get(url))

    assert url in hrefs(one(page, ".error-panel"))
