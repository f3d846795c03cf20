"""The library: public connectors of every organisation with the connectors page's filters,
and importing a published version into our organisation."""

import pytest

from dashboard.accounts.models import AuditEntry
from dashboard.connect import Unreachable
from dashboard.connectors import catalogue
from dashboard.embedded_api.models import Connector
from tests.connectors.conftest import htmx, make_connector
from tests.html import one, parse, text, texts

pytestmark = pytest.mark.django_db


def names(page) -> list[str]:
    return texts(parse(page), ".catalog-table__name")


def published(api, connector, *versions: str):
    for version in versions:
        api.versions.create(connector.id, version)
        api.versions.publish(connector.id, version)
    return api.connectors.get(connector.id)


@pytest.fixture
def shop(other_api):
    """A public connector of another organisation, with two published versions and a draft."""
    shop = make_connector(
        other_api, "Shopify", public=True, tags={"kind": ["shop"]}, categories=["eCommerce"]
    )
    published(other_api, shop, "1.0.0", "2.0.0")
    other_api.versions.create(shop.id, "3.0.0-draft")
    return other_api.connectors.get(shop.id)


def test_the_library_lists_public_connectors_of_every_organisation(client_as, api, other_api, shop):
    make_connector(other_api, "Private elsewhere")
    make_connector(api, "Ours, public", public=True)

    response = client_as("publisher").get("/library/")
    doc = parse(response)

    assert texts(doc, "h1") == ["Library"]
    assert sorted(names(response)) == ["Ours, public", "Shopify"]
    # Published versions can be imported, latest first; drafts are not offered.
    offered = [(o["value"], text(o)) for o in doc.select(".import-form option")]
    assert offered == [("2.0.0", "2.0.0 (latest)"), ("1.0.0", "1.0.0")]
    assert "3.0.0-draft" not in text(doc)


def test_the_library_names_each_protocol_as_the_connectors_page_does(operator, other_api, shop):
    warehouse = Connector.objects.create(
        organisation_id=other_api.organisation_id,
        name="Warehouse",
        protocol="bigquery",
        public=True,
    )  # the service layer makes HTTP connectors only

    doc = parse(operator.get("/library/"))
    page = parse(operator.get(f"/library/{warehouse.pk}/"))

    protocols = {
        text(row.select("td")[0]): text(row.select("td")[1]) for row in doc.select("tbody tr")
    }
    assert protocols == {"Shopify": "HTTP", "Warehouse": "Google BigQuery"}
    assert text(one(page, "dl div:has(> dt:-soup-contains('Protocol')) > dd")) == "Google BigQuery"


def test_a_protocol_is_named_by_its_slug_when_the_catalogue_cannot_be_read(
    operator, shop, monkeypatch
):
    def unreachable():
        raise Unreachable()

    monkeypatch.setattr(catalogue, "_protocols", unreachable)

    page = parse(operator.get(f"/library/{shop.id}/"))

    assert text(one(page, "dl div:has(> dt:-soup-contains('Protocol')) > dd")) == "http"


def test_the_library_has_the_same_filters(operator, api, other_api, shop):
    make_connector(other_api, "Stripe", public=True, tags={"kind": ["payments"]})

    by_tag = operator.get("/library/?tag=kind:shop", headers=htmx("library-results"))
    by_name = operator.get("/library/?name=strip", headers=htmx("library-results"))
    by_category = operator.get("/library/?categories=eCommerce", headers=htmx("library-results"))

    assert names(by_tag) == ["Shopify"]
    assert names(by_name) == ["Stripe"]
    assert names(by_category) == ["Shopify"]
    assert one(parse(by_tag), "div#library-results-tags")["hx-swap-oob"] == "true"
    assert text(one(parse(by_tag), "span#library-results-filter-count")) == "(1 active)"


def test_importing_a_version_lands_on_our_copy_with_a_toast(client_as, api, shop):
    publisher = client_as("publisher")

    response = publisher.post(
        "/library/import/", {"connector_id": shop.id, "version": "1.0.0"}, headers=htmx()
    )

    [ours] = api.connectors.list().items
    assert response["HX-Redirect"] == f"/connectors/{ours.id}/"
    assert ours.name == "Shopify" and ours.organisation_id == api.organisation_id
    assert [(v.name, v.is_published) for v in ours.versions] == [("1.0.0", False)]
    page = parse(publisher.get(response["HX-Redirect"]))
    assert texts(page, ".toast__message") == [
        "Imported version 1.0.0 of “Shopify” as a draft of your own."
    ]


def test_importing_without_javascript_redirects(client_as, api, shop):
    response = client_as("publisher").post(
        "/library/import/", {"connector_id": shop.id, "version": "2.0.0"}
    )

    [ours] = api.connectors.list().items
    assert response.status_code == 302 and response["Location"] == f"/connectors/{ours.id}/"


def test_importing_the_same_version_twice_goes_to_the_copy_with_a_readable_message(
    client_as, api, shop
):
    publisher = client_as("publisher")
    publisher.post("/library/import/", {"connector_id": shop.id, "version": "1.0.0"}, follow=True)

    again = publisher.post(
        "/library/import/", {"connector_id": shop.id, "version": "1.0.0"}, headers=htmx()
    )

    [ours] = api.connectors.list().items
    assert again["HX-Redirect"] == f"/connectors/{ours.id}/versions/1.0.0/"
    page = parse(publisher.get(again["HX-Redirect"]))
    assert texts(page, ".toast__message") == [
        "Version 1.0.0 was imported before, so not again: here is your copy of it."
    ]
    assert [v.name for v in api.connectors.get(ours.id).versions] == ["1.0.0"]


def test_a_version_imported_outside_patchbay_is_explained_on_the_library_page(client_as, api, shop):
    api.library.import_version(shop.id, "1.0.0")
    AuditEntry.objects.all().delete()  # as if imported outside Patchbay

    publisher = client_as("publisher")

    again = publisher.post("/library/import/", {"connector_id": shop.id, "version": "1.0.0"})

    assert again["Location"] == f"/library/{shop.id}/"
    page = parse(publisher.get(again["Location"]))
    assert texts(page, ".toast__message") == [
        "Version 1.0.0 is already in your copy of this connector."
    ]


def test_an_import_form_without_a_version_is_refused(client_as, shop):
    response = client_as("publisher").post("/library/import/", {"connector_id": shop.id})

    assert response.status_code == 400


def test_an_operator_may_browse_but_not_import(operator, api, shop):
    listing = operator.get("/library/")
    response = operator.post("/library/import/", {"connector_id": shop.id, "version": "1.0.0"})

    assert names(listing) == ["Shopify"] and parse(listing).select(".import-form") == []
    assert response.status_code == 403
    assert api.connectors.list().total_count == 0


def test_a_public_connector_has_a_page_of_its_own(operator, shop):
    listing = parse(operator.get("/library/"))
    assert one(listing, ".catalog-table__name")["href"] == f"/library/{shop.id}/"

    page = parse(operator.get(f"/library/{shop.id}/"))

    facts = {text(row.dt): row.dd for row in page.select("dl.facts > div")}
    assert texts(page, "h1") == ["Shopify"]
    assert text(facts["Publisher"]) == f"Organisation {shop.organisation_id}"
    assert texts(facts["Publisher"], "code") == [shop.organisation_id]
    assert texts(page, "#library-versions-heading + ul > li > strong") == ["2.0.0", "1.0.0"]
    assert "3.0.0-draft" not in text(page)
    assert "What importing creates" in texts(page, "h2") and text(facts["Imported"]) == "Not yet"


def test_an_imported_connector_is_marked_with_a_link_to_our_copy(client_as, api, shop):
    publisher = client_as("publisher")
    publisher.post("/library/import/", {"connector_id": shop.id, "version": "1.0.0"})
    [ours] = api.connectors.list().items

    listing = parse(publisher.get("/library/"))
    page = parse(publisher.get(f"/library/{shop.id}/"))

    chip = one(listing, "a.chip--imported")
    assert chip["href"] == f"/connectors/{ours.id}/"
    assert text(chip).startswith("Imported 1.0.0")
    imported = one(page, "dl.facts > div:has(> dt:-soup-contains('Imported')) > dd")
    assert text(imported) == "Yes, version 1.0.0: open your copy"
    assert one(imported, "a")["href"] == f"/connectors/{ours.id}/"


def test_a_connector_that_is_not_public_has_no_library_page(client_as, api):
    private = make_connector(api, "Private")

    assert client_as("operator").get(f"/library/{private.id}/").status_code == 404
