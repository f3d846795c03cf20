"""A connector's overview, and its tags and categories edited in place."""

import pytest

from dashboard.connect.models import ConnectionVariable, HTTPConnectorUpdate
from dashboard.embedded_api.models import Connector
from tests.connectors.conftest import htmx, make_connector
from tests.html import field_value, hrefs, one, parse, text, texts

pytestmark = pytest.mark.django_db


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

    doc = parse(operator.get(f"/connectors/{connector.id}/"))

    assert text(one(doc, "h1")) == "Stripe"
    assert "https://api.stripe.example" in texts(doc, "code")
    assert "Yes: listed in every organisation’s library" in text(doc)
    assert one(doc, 'a[href="https://docs.stripe.example"]')["rel"] == ["noopener", "noreferrer"]
    assert doc.select('img[src="https://stripe.example/logo.png"]')
    assert "region = eu" in text(doc) and {"region", "eu"} <= set(texts(doc, "code"))
    # Tags and categories link to the connectors they share.
    assert {"/connectors/?tag=team%3Apayments", "/connectors/?categories=Accounting"} <= hrefs(doc)
    for tab in ("versions", "auth-schemes", "connections"):
        assert f"/connectors/{connector.id}/{tab}/" in hrefs(doc)
    assert "Overview" in texts(doc, 'a[aria-current="page"]')


def test_a_url_that_could_run_script_is_shown_as_text_not_a_link(operator, api):
    connector = make_connector(api, "Sneaky")
    # The embedded API refuses script URLs; an upstream Connect API might not.
    Connector.objects.filter(pk=connector.id).update(documentation_url="javascript:alert(1)")

    html = operator.get(f"/connectors/{connector.id}/").content.decode()
    doc = parse(html)

    assert 'href="javascript:' not in html  # nowhere in the bytes
    assert not any(href.startswith("javascript:") for href in hrefs(doc))
    documentation = one(doc, "dl div:has(> dt:-soup-contains('Documentation')) > dd")
    assert text(documentation) == "javascript:alert(1)" and documentation.select("a") == []


def test_the_protocol_is_shown_by_the_name_the_connectors_filter_gives_it(operator, api, settings):
    warehouse = Connector.objects.create(
        organisation_id=settings.CONNECT_ORGANISATION_ID, name="Warehouse", protocol="bigquery"
    )  # the service layer makes HTTP connectors only
    stripe = make_connector(api, "Stripe")
    filter_names = texts(parse(operator.get("/connectors/")), "#id_protocol option")

    for connector_id, name in [(warehouse.pk, "Google BigQuery"), (stripe.id, "HTTP")]:
        doc = parse(operator.get(f"/connectors/{connector_id}/"))

        assert name in filter_names
        assert texts(doc, ".connector-header__meta .chip")[0] == name  # then Private/Public
        assert text(one(doc, "dl div:has(> dt:-soup-contains('Protocol')) > dd")) == name
    edit = parse(operator.get(f"/connectors/{warehouse.pk}/edit/"))
    assert "this one uses the Google BigQuery protocol." in text(edit)


def test_a_viewer_sees_no_edit_controls(client_as, api):
    connector = make_connector(api, "Stripe")

    doc = parse(client_as("viewer").get(f"/connectors/{connector.id}/"))

    assert text(one(doc, "h1")) == "Stripe"
    links = texts(doc, "a")
    for control in ("Edit tags", "Edit categories", "Edit", "Delete…"):
        assert control not in links


# --- Tags --------------------------------------------------------------------------------


def test_the_tags_form_opens_in_place(operator, api):
    connector = make_connector(api, "Stripe", tags={"team": ["payments"], "beta": []})

    fragment = operator.get(f"/connectors/{connector.id}/tags/", headers=htmx("connector-tags"))
    page = operator.get(f"/connectors/{connector.id}/tags/")

    doc = parse(fragment)
    assert not doc.select("h1")
    assert one(doc, "form[hx-post]")["hx-post"].startswith("/connectors/")
    assert field_value(doc, "tags") == "team:payments, beta"
    # Without JavaScript: the whole overview, with the tags form open.
    assert text(one(parse(page), "h1")) == "Stripe"
    assert field_value(parse(page), "tags") == "team:payments, beta"


def test_saving_tags_replaces_them_and_returns_the_section_with_a_toast(operator, api):
    connector = make_connector(api, "Stripe", tags={"team": ["payments"]})

    response = operator.post(
        f"/connectors/{connector.id}/tags/",
        {"tags": "team:finance, tier:gold\nbeta"},
        headers=htmx("connector-tags"),
    )

    assert response.status_code == 200
    doc = parse(response)
    assert {"team:finance", "tier:gold", "beta"} <= set(texts(doc, "a"))
    assert not doc.select("textarea")
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
    doc = parse(response)
    assert "“:orphan” has no key: write key or key:value." in text(doc)
    assert field_value(doc, "tags") == "team:finance, :orphan"
    assert api.connectors.get(connector.id).tags == {"team": ["payments"]}


@pytest.mark.parametrize("typed", ["env:prod team:x", "bad tag with spaces"])
def test_tags_typed_with_spaces_are_refused_with_the_separator_explained(operator, api, typed):
    connector = make_connector(api, "Stripe", tags={"team": ["payments"]})

    response = operator.post(
        f"/connectors/{connector.id}/tags/", {"tags": typed}, headers=htmx("connector-tags")
    )

    assert response.status_code == 422
    doc = parse(response)
    assert texts(doc, "ul#id_tags_error li") == [
        f"“{typed}” has a space in it: separate tags with commas or new lines "
        "(a key or value cannot hold spaces)."
    ]
    assert "Separate tags with commas or new lines" in text(one(doc, "#id_tags_helptext"))
    assert field_value(doc, "tags") == typed
    assert api.connectors.get(connector.id).tags == {"team": ["payments"]}


def test_tags_the_api_refuses_are_explained_next_to_the_tags(operator, api):
    connector = make_connector(api, "Stripe")
    too_many = ", ".join(f"key{number}" for number in range(51))

    response = operator.post(
        f"/connectors/{connector.id}/tags/", {"tags": too_many}, headers=htmx("connector-tags")
    )

    assert response.status_code == 422
    errors = text(one(parse(response), "ul.field__errors#id_tags_error"))
    assert "at most 50 tag keys" in errors
    assert api.connectors.get(connector.id).tags == {}


def test_a_viewer_cannot_change_tags(client_as, api):
    connector = make_connector(api, "Stripe", tags={"team": ["payments"]})

    response = client_as("viewer").post(
        f"/connectors/{connector.id}/tags/", {"tags": "x"}, headers=htmx("connector-tags")
    )

    assert response.status_code == 403
    assert "Your role does not allow this" in text(parse(response))
    assert api.connectors.get(connector.id).tags == {"team": ["payments"]}


# --- Categories --------------------------------------------------------------------------


def test_saving_categories_replaces_them(operator, api):
    connector = make_connector(api, "Stripe", categories=["Accounting"])

    form = parse(
        operator.get(
            f"/connectors/{connector.id}/categories/", headers=htmx("connector-categories")
        )
    )
    response = operator.post(
        f"/connectors/{connector.id}/categories/",
        {"categories": ["CRM", "eCommerce"]},
        headers=htmx("connector-categories"),
    )

    assert one(form, 'input[name="categories"][value="Accounting"]').has_attr("checked")
    assert response.status_code == 200
    assert "CRM" in texts(parse(response), "a")
    assert api.connectors.get(connector.id).categories == ["CRM", "eCommerce"]


def test_an_unknown_category_is_refused(operator, api):
    connector = make_connector(api, "Stripe", categories=["Accounting"])

    response = operator.post(
        f"/connectors/{connector.id}/categories/",
        {"categories": ["Astrology"]},
        headers=htmx("connector-categories"),
    )

    assert response.status_code == 422
    assert "Astrology is not one of the available choices" in text(parse(response))
    assert api.connectors.get(connector.id).categories == ["Accounting"]


def test_cancel_brings_back_the_section_as_it_was(operator, api):
    connector = make_connector(api, "Stripe", tags={"team": ["payments"]})

    response = operator.get(f"/connectors/{connector.id}/", headers=htmx("connector-tags"))

    doc = parse(response)
    assert not doc.select("h1")
    assert "team:payments" in texts(doc, "a")
    assert "Edit tags" in texts(doc, "a")


@pytest.mark.parametrize(
    ("section", "opener"),
    [
        ("connector-tags", "Edit tags"),
        ("connector-categories", "Edit categories"),
        ("connector-danger", "Delete…"),
    ],
)
def test_a_section_swapped_back_in_gives_its_opener_the_focus(operator, api, section, opener):
    connector = make_connector(api, "Stripe")

    fragment = parse(operator.get(f"/connectors/{connector.id}/", headers=htmx(section)))
    page = parse(operator.get(f"/connectors/{connector.id}/"))

    # htmx focuses `autofocus` in swapped content: where the Save or Cancel pressed was.
    assert texts(fragment, "[autofocus]") == [opener]
    assert page.select("[autofocus]") == []


@pytest.mark.parametrize(
    ("path", "section", "focused"),
    [
        ("tags/", "connector-tags", "textarea[name=tags]"),
        ("categories/", "connector-categories", "input[name=categories]"),
        ("delete/", "connector-danger", "a.button--quiet"),
    ],
)
def test_an_editor_opened_in_place_takes_the_focus(operator, api, path, section, focused):
    connector = make_connector(api, "Stripe")

    fragment = parse(operator.get(f"/connectors/{connector.id}/{path}", headers=htmx(section)))

    # The field typed into first, every checkbox (the first takes it), or Cancel, never Delete.
    assert fragment.select("[autofocus]")
    assert fragment.select("[autofocus]") == fragment.select(focused)
