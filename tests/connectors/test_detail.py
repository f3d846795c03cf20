"""A connector's overview, and its tags and categories edited in place."""

import pytest

from dashboard.connect.models import ConnectionVariable, HTTPConnectorUpdate
from tests.connectors.conftest import htmx, make_connector

pytestmark = pytest.mark.django_db(transaction=True)


def set_links(api, connector, *, documentation_url: str = "", image_url: str = ""):
    api.connectors.update(
        HTTPConnectorUpdate(
            id=connector.id,
            organisation_id=connector.organisation_id,
            name=connector.name,
            base_url=connector.base_url,
            tags=connector.tags,
            public=connector.public,
            documentation_url=documentation_url,
            image_url=image_url,
        )
    )


def test_the_overview_shows_the_connector_and_links_its_tabs(operator, api):
    connector = make_connector(
        api,
        "Stripe",
        base_url="https://api.stripe.example",
        public=True,
        tags={"team": ["payments"]},
        categories=["Accounting"],
        connection_variables=[ConnectionVariable(name="region", value="eu")],
    )
    set_links(
        api,
        connector,
        documentation_url="https://docs.stripe.example",
        image_url="https://stripe.example/logo.png",
    )

    html = operator.get(f"/connectors/{connector.id}/").content.decode()

    assert "<h1>Stripe</h1>" in html
    assert "<code>https://api.stripe.example</code>" in html
    assert "Yes: listed in every organisation’s library" in html
    assert '<a href="https://docs.stripe.example" rel="noopener noreferrer"' in html
    assert 'src="https://stripe.example/logo.png"' in html
    assert "<code>region</code> = <code>eu</code>" in html
    # Tags and categories link to the connectors they share.
    assert 'href="/?tag=team%3Apayments"' in html
    assert 'href="/?categories=Accounting"' in html
    for tab in ("versions", "auth-schemes", "connections"):
        assert f'href="/connectors/{connector.id}/{tab}/"' in html
    assert 'aria-current="page">Overview</a>' in html


def test_a_url_that_could_run_script_is_shown_as_text_not_a_link(operator, api):
    connector = make_connector(api, "Sneaky")
    set_links(api, connector, documentation_url="javascript:alert(1)")

    html = operator.get(f"/connectors/{connector.id}/").content.decode()

    assert 'href="javascript:' not in html
    assert "javascript:alert(1)" in html


def test_a_viewer_sees_no_edit_controls(client_as, api):
    connector = make_connector(api, "Stripe")

    html = client_as("viewer").get(f"/connectors/{connector.id}/").content.decode()

    assert "<h1>Stripe</h1>" in html
    for control in ("Edit tags", "Edit categories", ">Edit</a>", "Delete&hellip;"):
        assert control not in html


# --- Tags --------------------------------------------------------------------------------


def test_the_tags_form_opens_in_place(operator, api):
    connector = make_connector(api, "Stripe", tags={"team": ["payments"], "beta": []})

    fragment = operator.get(f"/connectors/{connector.id}/tags/", headers=htmx("connector-tags"))
    page = operator.get(f"/connectors/{connector.id}/tags/")

    html = fragment.content.decode()
    assert "<h1>" not in html
    assert 'hx-post="/connectors/' in html
    assert "\nteam:payments, beta</textarea>" in html
    # Without JavaScript: the whole overview, with the tags form open.
    assert "<h1>Stripe</h1>" in page.content.decode()
    assert "\nteam:payments, beta</textarea>" in page.content.decode()


def test_saving_tags_replaces_them_and_returns_the_section_with_a_toast(operator, api):
    connector = make_connector(api, "Stripe", tags={"team": ["payments"]})

    response = operator.post(
        f"/connectors/{connector.id}/tags/",
        {"tags": "team:finance, tier:gold\nbeta"},
        headers=htmx("connector-tags"),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert ">team:finance</a>" in html and ">tier:gold</a>" in html and ">beta</a>" in html
    assert "<textarea" not in html
    assert '"message": "Tags saved."' in response["HX-Trigger"]
    assert api.connectors.get(connector.id).tags == {
        "team": ["finance"],
        "tier": ["gold"],
        "beta": [],
    }


def test_saving_tags_without_javascript_goes_back_to_the_overview(operator, api):
    connector = make_connector(api, "Stripe")

    response = operator.post(f"/connectors/{connector.id}/tags/", {"tags": "team:payments"})

    assert response.status_code == 302
    assert response["Location"] == f"/connectors/{connector.id}/"
    assert api.connectors.get(connector.id).tags == {"team": ["payments"]}


def test_a_malformed_tag_is_explained_and_what_was_typed_kept(operator, api):
    connector = make_connector(api, "Stripe", tags={"team": ["payments"]})

    response = operator.post(
        f"/connectors/{connector.id}/tags/",
        {"tags": "team:finance, :orphan"},
        headers=htmx("connector-tags"),
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert "“:orphan” has no key: write key or key:value." in html
    assert "\nteam:finance, :orphan</textarea>" in html
    assert api.connectors.get(connector.id).tags == {"team": ["payments"]}


def test_tags_the_api_refuses_are_explained_next_to_the_tags(operator, api):
    connector = make_connector(api, "Stripe")
    too_many = ", ".join(f"key{number}" for number in range(51))

    response = operator.post(
        f"/connectors/{connector.id}/tags/", {"tags": too_many}, headers=htmx("connector-tags")
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert '<ul class="field__errors" id="id_tags_error">' in html
    assert "at most 50 tag keys" in html
    assert api.connectors.get(connector.id).tags == {}


def test_a_viewer_cannot_change_tags(client_as, api):
    connector = make_connector(api, "Stripe", tags={"team": ["payments"]})

    response = client_as("viewer").post(
        f"/connectors/{connector.id}/tags/", {"tags": "x"}, headers=htmx("connector-tags")
    )

    assert response.status_code == 403
    assert "Your role does not allow this" in response.content.decode()
    assert api.connectors.get(connector.id).tags == {"team": ["payments"]}


# --- Categories --------------------------------------------------------------------------


def test_saving_categories_replaces_them(operator, api):
    connector = make_connector(api, "Stripe", categories=["Accounting"])

    form = operator.get(
        f"/connectors/{connector.id}/categories/", headers=htmx("connector-categories")
    ).content.decode()
    response = operator.post(
        f"/connectors/{connector.id}/categories/",
        {"categories": ["CRM", "eCommerce"]},
        headers=htmx("connector-categories"),
    )

    assert 'value="Accounting"' in form and "checked" in form
    assert response.status_code == 200
    assert ">CRM</a>" in response.content.decode()
    assert api.connectors.get(connector.id).categories == ["CRM", "eCommerce"]


def test_an_unknown_category_is_refused(operator, api):
    connector = make_connector(api, "Stripe", categories=["Accounting"])

    response = operator.post(
        f"/connectors/{connector.id}/categories/",
        {"categories": ["Astrology"]},
        headers=htmx("connector-categories"),
    )

    assert response.status_code == 422
    assert "Astrology is not one of the available choices" in response.content.decode()
    assert api.connectors.get(connector.id).categories == ["Accounting"]


def test_cancel_brings_back_the_section_as_it_was(operator, api):
    connector = make_connector(api, "Stripe", tags={"team": ["payments"]})

    response = operator.get(f"/connectors/{connector.id}/", headers=htmx("connector-tags"))

    html = response.content.decode()
    assert "<h1>" not in html
    assert ">team:payments</a>" in html
    assert "Edit tags" in html
