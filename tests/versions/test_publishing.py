"""Publishing a draft after seeing what it changes, and unpublishing."""

import pytest

from dashboard.accounts.models import AuditEntry
from dashboard.connect.models import HTTPParameter
from dashboard.embedded_api.models import Subscription
from dashboard.versions.forms import PublishForm
from tests.connectors.conftest import htmx, make_connector
from tests.html import field_value, hrefs, one, parse, text, texts

pytestmark = pytest.mark.django_db


def fix_draft(api, connector) -> None:
    """Give getProduct the path parameter its path uses, so 2.0 can be published."""
    action = api.actions.get(connector.id, "2.0", "getProduct")
    action.parameters = [HTTPParameter(name="id", in_="path", required=True)]
    api.actions.update(connector.id, "2.0", "getProduct", action)


ACKNOWLEDGED = {"acknowledge": "on", "confirm_name": "2.0"}


def test_the_publish_page_loads_what_changes_with_htmx(publisher, connector):
    url = f"/connectors/{connector.id}/versions/2.0/publish/"
    page = parse(publisher.get(url))
    changes = parse(publisher.get(f"{url}?compare", headers=htmx("publish-changes")))

    loader = one(page, "#publish-changes [hx-get]")
    assert (loader["hx-get"], loader["hx-trigger"], loader["hx-target"]) == (
        f"{url}?compare",
        "load",
        "#publish-changes",
    )
    without_javascript = one(loader, "a.button")
    assert (without_javascript["href"], text(without_javascript)) == (
        f"{url}?compare",
        "Show what changes",
    )
    assert "Publish version 2.0" in texts(page, "button[type=submit]")
    assert page.select('[name="acknowledge"]') == []
    assert changes.find("html") is None  # a fragment
    assert texts(changes, "h2") == [
        "What publishing changes: 2 breaking, 0 possibly breaking, 4 compatible",
        *texts(changes, ".publish-problems h2"),
    ]
    # Breaking findings ask for an acknowledgement: the confirmation comes out of band.
    panel = one(changes, "#publish-panel")
    assert panel["hx-swap-oob"] == "innerHTML"
    assert one(panel, 'input[type="checkbox"][name="acknowledge"]')
    assert texts(panel, "legend") == ["2 breaking changes against version 1.0"]


def test_the_publish_page_shows_the_findings_by_level_breaking_first(publisher, connector):
    url = f"/connectors/{connector.id}/versions/2.0/publish/?compare"
    doc = parse(publisher.get(url))
    versions = f"/connectors/{connector.id}/versions"

    compared = one(doc, ".publish-diff > p")
    latest = compared.select("a")[0]
    assert text(compared).startswith("Compared with version")
    assert (latest["href"], text(latest)) == (f"{versions}/1.0/", "1.0")
    assert latest.next_sibling.startswith(", the latest published version")
    assert texts(doc, ".findings-level h3") == ["Breaking (2)", "Compatible (4)"]
    findings = {
        text(finding).split(" (")[0]: [link["href"] for link in finding.select(".finding__links a")]
        for finding in doc.select(".finding")
    }
    # Each links to the item in both versions (a removed one only to the old).
    assert findings["Action createProduct : removed"] == [f"{versions}/1.0/actions/createProduct/"]
    assert findings["Action listProducts : path /products → /v2/products"] == [
        f"{versions}/1.0/actions/listProducts/",
        f"{versions}/2.0/actions/listProducts/",
    ]
    assert "Action listProducts : optional query parameter “cursor” added" in findings
    assert "Definition Product : optional property “price” added" in findings
    # Product's reference to Tag points at another version's Tag, yet is not a change.
    assert not [finding for finding in findings if "“tag”" in finding]
    assert f"/connectors/{connector.id}/compare/?from=1.0&to=2.0" in hrefs(doc)


def test_the_publish_page_shows_the_problems_the_api_found_in_the_draft(publisher, connector):
    url = f"/connectors/{connector.id}/versions/2.0/publish/?compare"
    doc = parse(publisher.get(url))

    problems = one(doc, ".publish-problems")
    assert texts(problems, "h2") == ["Problems the Connect API found"]
    [error] = problems.select(".message--error")
    link = one(error, "a")
    assert (link["href"], text(link)) == (
        f"/connectors/{connector.id}/versions/2.0/actions/getProduct/",
        "action getProduct",
    )
    assert text(error).endswith("The path uses {{ param.id }} but no path parameter 'id' exists.")


def test_with_nothing_published_everything_is_new(publisher, api):
    connector = make_connector(api, "Fresh")
    api.versions.create(connector.id, "0.1")

    url = f"/connectors/{connector.id}/versions/0.1/publish/?compare"
    said = texts(parse(publisher.get(url)), ".publish-diff p")

    assert said[0].startswith("No version of Fresh is published yet")
    assert said[1].startswith("0.1 is empty")


def test_a_refused_publish_shows_the_apis_reasons_in_the_panel(publisher, api, connector):
    response = publisher.post(
        f"/connectors/{connector.id}/versions/2.0/publish/",
        ACKNOWLEDGED,
        headers=htmx("publish-panel"),
    )

    assert response.status_code == 422
    doc = parse(response)
    assert texts(doc, "strong") == ["Version 2.0 was not published."]
    assert "It has 1 problem to fix first" in text(doc)
    assert "force=true" not in text(doc) and "`errors`" not in text(doc)
    assert [problem.startswith("action getProduct: path: ") for problem in texts(doc, "li")] == [
        True
    ]
    assert not api.versions.get(connector.id, "2.0").is_published


def test_breaking_changes_are_not_published_until_acknowledged(publisher, api, connector):
    fix_draft(api, connector)
    url = f"/connectors/{connector.id}/versions/2.0/publish/"

    unacknowledged = publisher.post(url, headers=htmx("publish-panel"))
    wrong_name = publisher.post(
        url, {"acknowledge": "on", "confirm_name": "1.0"}, headers=htmx("publish-panel")
    )

    assert unacknowledged.status_code == wrong_name.status_code == 422
    page = parse(unacknowledged)
    assert text(one(page, "#id_acknowledge_error")).startswith(
        "Version 2.0 has 2 breaking changes against the latest version"
    )
    assert texts(page, "#id_confirm_name_error li") == ["Type 2.0 to confirm."]
    assert texts(parse(wrong_name), "#id_confirm_name_error li") == ["Type 2.0 to confirm."]
    assert not api.versions.get(connector.id, "2.0").is_published
    assert not AuditEntry.objects.filter(action="publish_connector", target_name="2.0").exists()


def test_an_acknowledgement_of_fewer_breaking_changes_than_there_are_now_is_refused(
    publisher, api, connector
):
    fix_draft(api, connector)
    api.triggers.delete(connector.id, "2.0", "productCreated")  # a third, after the look

    response = publisher.post(
        f"/connectors/{connector.id}/versions/2.0/publish/",
        {**ACKNOWLEDGED, "seen": "2"},
        headers=htmx("publish-panel"),
    )

    assert response.status_code == 422
    page = parse(response)
    assert "changed since the comparison: it now has 3 breaking changes" in text(
        one(page, ".publish-acknowledge .form-errors")
    )
    assert field_value(page, "seen") == "3"
    assert not api.versions.get(connector.id, "2.0").is_published


def test_the_audit_entry_records_how_many_breaking_changes_were_acknowledged(
    publisher, api, connector
):
    fix_draft(api, connector)

    publisher.post(f"/connectors/{connector.id}/versions/2.0/publish/", ACKNOWLEDGED)

    entry = AuditEntry.objects.get(action="publish_connector", target_name="2.0")
    assert entry.note == "2 breaking changes acknowledged"
    audit = parse(publisher.get("/audit/"))
    assert "2 breaking changes acknowledged" in texts(audit, "tbody td span.muted")


def test_a_version_without_breaking_changes_publishes_without_acknowledgement(publisher, api):
    connector = make_connector(api, "Calm")
    api.versions.create(connector.id, "1.0")
    api.versions.publish(connector.id, "1.0")
    api.versions.create(connector.id, "1.1", from_version="1.0")

    response = publisher.post(f"/connectors/{connector.id}/versions/1.1/publish/")

    assert response.status_code == 302
    assert AuditEntry.objects.get(action="publish_connector", target_name="1.1").note == ""


def test_publishing_goes_to_the_version_which_is_now_latest(publisher, api, connector):
    fix_draft(api, connector)

    response = publisher.post(
        f"/connectors/{connector.id}/versions/2.0/publish/",
        ACKNOWLEDGED,
        headers=htmx("publish-panel"),
    )

    # Not the publish page again, still saying what publishing would change.
    assert response["HX-Redirect"] == f"/connectors/{connector.id}/versions/2.0/"
    page = parse(publisher.get(response["HX-Redirect"]))
    said = "Version 2.0 is published and is now the latest version."
    assert texts(page, ".toast__message") == [said]
    assert {"Published", "Latest"} <= set(texts(one(page, "#version-status"), ".badge"))
    assert page.select("#version-status .badge--draft") == []
    assert api.versions.get(connector.id, "latest").name == "2.0"
    assert AuditEntry.objects.filter(
        action="publish_connector", target_name="2.0", username="publisher", outcome="ok"
    ).exists()


def test_publishing_without_htmx_goes_to_the_version(publisher, api, connector):
    fix_draft(api, connector)

    response = publisher.post(f"/connectors/{connector.id}/versions/2.0/publish/", ACKNOWLEDGED)

    assert response["Location"] == f"/connectors/{connector.id}/versions/2.0/"


def test_a_published_versions_publish_page_says_so(publisher, connector):
    page = parse(publisher.get(f"/connectors/{connector.id}/versions/1.0/publish/"))

    assert "Version 1.0 is already published." in texts(page, ".panel p")
    assert "Publish version 1.0" not in texts(page, "button")
    assert page.select("#publish-panel") == []


def test_unpublishing_makes_it_a_draft_again_in_place(publisher, api, connector):
    confirm = parse(publisher.get(f"/connectors/{connector.id}/versions/1.0/unpublish/"))
    assert texts(confirm, "#unpublish-panel h2") == ["Unpublish version 1.0"]
    assert texts(confirm, "#unpublish-panel button") == ["Unpublish version 1.0"]

    response = publisher.post(
        f"/connectors/{connector.id}/versions/1.0/unpublish/", headers=htmx("unpublish-panel")
    )

    doc = parse(response)
    assert response.status_code == 200
    assert texts(doc, '[role="status"]') == ["Version 1.0 is unpublished: it is a draft again."]
    status = one(doc, "div#version-status")
    assert status["hx-swap-oob"] == "true"
    assert "Draft" in texts(status, ".badge--draft")
    assert not api.versions.get(connector.id, "1.0").is_published


def test_a_version_in_use_is_not_unpublished_and_the_page_explains(publisher, api, connector):
    published = api.versions.get(connector.id, "1.0")
    Subscription.objects.create(version_id=published.id, subscriber="switchboard")

    response = publisher.post(
        f"/connectors/{connector.id}/versions/1.0/unpublish/", headers=htmx("unpublish-panel")
    )

    assert response.status_code == 422
    refusal = one(parse(response), ".form-errors")
    assert texts(refusal, "strong") == ["Version 1.0 was not unpublished."]
    assert "is in use (switchboard)" in text(refusal)
    assert "move them to another version first" in text(refusal)
    assert api.versions.get(connector.id, "1.0").is_published


def test_the_published_side_of_the_comparison_is_fetched_once(publisher, connector, caplog):
    url = f"/connectors/{connector.id}/versions/2.0/publish/?compare"
    published_actions = f"/connectors/{connector.id}/versions/1.0/actions"

    def fetched(path: str) -> int:
        # The service layer's line per call (the embedded API's access line names it too).
        return sum(
            record.name == "dashboard.connect" and path in record.getMessage()
            for record in caplog.records
        )

    with caplog.at_level("INFO", logger="dashboard.connect"):
        first = parse(publisher.get(url))
        assert fetched(published_actions) == 1
        caplog.clear()
        second = parse(publisher.get(url))

    # A published version cannot change: the second comparison fetches only the draft, which
    # is always fetched afresh (the publish gate counts its breaking changes).
    assert fetched(published_actions) == 0
    assert fetched(f"/connectors/{connector.id}/versions/2.0/actions") == 1
    assert "Breaking (2)" in texts(first, ".findings-level h3")
    assert "Breaking (2)" in texts(second, ".findings-level h3")


@pytest.mark.parametrize(
    ("breaking", "them"), [(1, "1 breaking change"), (2, "2 breaking changes")]
)
def test_the_acknowledgement_asked_for_agrees_with_the_count(breaking, them):
    form = PublishForm({"confirm_name": "2.0"}, version="2.0", breaking=breaking)

    assert not form.is_valid()
    pronoun = "it" if breaking == 1 else "them"
    assert form.errors["acknowledge"] == [
        f"Version 2.0 has {them} against the latest version: acknowledge {pronoun} to publish."
    ]
