"""The spec-upload form: where it is linked from, and what it asks for."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_connectors_page_links_to_the_upload_for_publishers_only(client_as):
    assert 'href="/connectors/new/import/"' in client_as("publisher").get("/connectors/").text
    assert 'href="/connectors/new/import/"' not in client_as("operator").get("/connectors/").text


def test_a_connector_page_links_to_a_new_version_from_a_spec(api, client_as):
    connector = make_connector(api)
    page = client_as("publisher").get(f"/connectors/{connector.id}/").text
    assert f'href="/connectors/{connector.id}/import/"' in page


def test_the_new_connector_form_takes_a_file_or_a_url_and_no_version_name(publisher):
    page = publisher.get("/connectors/new/import/").text
    assert 'type="file" name="file"' in page
    assert 'accept=".json,.yaml,.yml' in page
    assert "data-drop-zone" in page
    assert 'name="url" inputmode="url"' in page
    assert 'name="version"' not in page
    assert 'enctype="multipart/form-data"' in page
    assert 'hx-encoding="multipart/form-data"' in page
    # Drag and drop and the upload progress come from our own script (no inline scripts).
    assert 'src="/static/js/spec_upload.js"' in page
    assert "<progress" in page
    # Nothing is kept yet, so there is nothing to import.
    assert ">Import</button>" not in page


def test_the_new_version_form_asks_for_the_version_name_on_the_connector_page(api, publisher):
    connector = make_connector(api, "Stripe")
    response = publisher.get(f"/connectors/{connector.id}/import/")
    assert response.status_code == 200
    assert 'name="version"' in response.text
    assert "<h1>Stripe</h1>" in response.text


def test_a_new_version_of_a_connector_that_does_not_exist_is_not_found(publisher):
    assert publisher.get("/connectors/01JQ0N0SUCHC0NNECT0R000000/import/").status_code == 404


def make_connector(api, name="Stripe"):
    from tests.connectors.conftest import make_connector as make

    return make(api, name)
