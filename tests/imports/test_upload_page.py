"""The spec-upload form: where it is linked from, and what it asks for."""

import pytest

from dashboard.embedded_api.models import Connector as Stored
from tests.html import hrefs, one, parse, text, texts
from tests.imports.conftest import upload

pytestmark = pytest.mark.django_db


def test_the_connectors_page_links_to_the_upload_for_publishers_only(client_as):
    assert "/connectors/new/import/" in hrefs(parse(client_as("publisher").get("/connectors/")))
    assert "/connectors/new/import/" not in hrefs(parse(client_as("operator").get("/connectors/")))


def test_a_connector_page_links_to_a_new_version_from_a_spec(api, client_as):
    connector = make_connector(api)
    page = parse(client_as("publisher").get(f"/connectors/{connector.id}/"))
    assert f"/connectors/{connector.id}/import/" in hrefs(page)


def test_the_new_connector_form_takes_a_file_or_a_url_and_no_version_name(publisher):
    page = parse(publisher.get("/connectors/new/import/"))
    file = one(page, '[name="file"]')
    assert file["type"] == "file" and file["accept"].startswith(".json,.yaml,.yml")
    assert page.select("[data-drop-zone]")
    assert one(page, '[name="url"]')["inputmode"] == "url"
    assert page.select('[name="version"]') == []
    form = file.find_parent("form")
    assert form["enctype"] == form["hx-encoding"] == "multipart/form-data"
    # Drag and drop and the upload progress come from our own script (no inline scripts).
    assert "/static/js/spec_upload.js" in [script.get("src") for script in page.select("script")]
    assert page.select("progress")
    # Nothing is kept yet, so there is nothing to import.
    assert "Import" not in texts(page, "button")


def test_the_new_version_form_asks_for_the_version_name_on_the_connector_page(api, publisher):
    connector = make_connector(api, "Stripe")
    response = publisher.get(f"/connectors/{connector.id}/import/")
    assert response.status_code == 200
    page = parse(response)
    assert one(page, '[name="version"]')
    assert texts(page, "h1") == ["Stripe"]


def test_a_new_version_of_a_connector_that_does_not_exist_is_not_found(publisher):
    assert publisher.get("/connectors/01JQ0N0SUCHC0NNECT0R000000/import/").status_code == 404


def make_connector(api, name="Stripe"):
    from tests.connectors.conftest import make_connector as make

    return make(api, name)


def test_a_connector_that_is_not_http_is_refused_as_the_page_opens(api, publisher, settings):
    stored = Stored.objects.create(
        organisation_id=settings.CONNECT_ORGANISATION_ID, name="Warehouse", protocol="bigquery"
    )  # the service layer makes HTTP connectors only
    url = f"/connectors/{stored.pk}/import/"

    for response in [publisher.get(url), publisher.post(url, {"version": "2", "file": upload()})]:
        page = parse(response)
        refusal = text(one(page, "[data-unsupported]"))
        assert "Only HTTP connectors import OpenAPI documents" in refusal
        assert "“Warehouse” uses the Google BigQuery protocol." in refusal
        assert page.select("input[type=file]") == []
        assert page.select(".import-preview") == []
    created = publisher.post(f"{url}create/", {"version": "2"})
    assert "Only HTTP connectors" in text(one(parse(created), "[data-unsupported]"))
    assert api.connectors.get(stored.pk).versions == []
