"""The compare page and the promotion's preview, run and result, between the default
environment (production) and staging, two organisations of the embedded API."""

import pytest
from ulid import ULID

from dashboard.accounts.models import AuditEntry
from dashboard.bulk.models import BulkRun
from dashboard.connect.models import ActionCreate, HTTPConnectorUpdate
from dashboard.embedded_api.models import Connector
from dashboard.environments.models import EnvironmentRole
from dashboard.environments.registry import client_for, get_environment
from tests.connectors.conftest import make_connector, unused_loopback_url
from tests.html import field_value, hrefs, parse, text, texts
from tests.promotion.conftest import OAUTH_SECRET, make_source
from tests.versions.conftest import fill_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def staging_environment(settings):
    settings.CONNECT_ENVIRONMENTS = [
        {
            "slug": "staging",
            "api_url": "",
            "api_token": "",
            "organisation_id": str(ULID()),
            "name": "Staging",
            "colour": "amber",
        }
    ]


@pytest.fixture
def staging():
    return client_for(get_environment("staging"))


def compare_url(connector, **query):
    params = "&".join(f"{k}={v}" for k, v in ({"with": "staging"} | query).items())
    return f"/connectors/{connector.id}/environments/?{params}"


def preview_url(connector, version="2.0", connector_too=True):
    url = f"/connectors/{connector.id}/promote/?to=staging&version={version}"
    return url + ("&connector=on" if connector_too else "")


def test_the_connector_page_offers_a_comparison_with_each_other_environment(api, client_as):
    connector = make_connector(api, "Shop")
    page = parse(client_as("viewer").get(f"/connectors/{connector.id}/"))
    assert compare_url(connector) in hrefs(page)


def test_every_environment_offers_a_comparison_with_the_others(staging, client_as):
    theirs = make_connector(staging, "Shop")
    page = parse(client_as("viewer").get(f"/env/staging/connectors/{theirs.id}/"))
    assert f"/env/staging/connectors/{theirs.id}/environments/?with=production" in hrefs(page)


def test_the_compare_page_shows_each_difference_and_never_a_secret(api, staging, client_as):
    source = make_source(api)
    theirs = make_connector(
        staging, "Shop", base_url="https://shop.example/api", tags={"tier": ["silver"]}
    )
    staging.versions.create(theirs.id, "2.0")

    response = client_as("viewer").get(compare_url(source, version="2.0"))

    assert response.status_code == 200
    assert OAUTH_SECRET.encode() not in response.content
    page = parse(response)
    tags = {
        text(row.th): text(row.select("td")[-1])
        for row in page.select("table:has(caption:-soup-contains('Tags')) tbody tr")
    }
    assert tags == {"team": "only in Production", "tier": "different"}
    findings = texts(page, ".finding")
    assert any("listProducts" in finding for finding in findings)
    # The count says what it counts (versions are listed apart), the heading reads whole.
    summary = text(page.select_one("#promotion-result-heading + p"))
    assert summary.startswith("9 differences in the details, tags, categories and auth scheme")
    heading = text(page.select_one("#promotion-version-heading"))
    assert heading == "Production’s 2.0 against Staging’s 2.0: what changed, breaking first"


def test_versions_of_different_names_are_compared_with_breaking_change_levels(
    api, staging, client_as
):
    source = make_source(api)  # 1.0 published, 2.0 a draft (createProduct removed)
    theirs = make_connector(staging, "Shop", base_url="https://shop.example/api")
    staging.versions.create(theirs.id, "1.5")
    fill_version(staging, theirs.id, "1.5")
    browser = client_as("viewer")

    # Staging has no 2.0: by default its latest, 1.5, and the version table offers it.
    page = parse(browser.get(compare_url(source)))
    row = page.select_one("table.promotion-versions tbody tr:has(th:-soup-contains('2.0'))")
    assert "?with=staging&version=2.0" in hrefs(row)
    promote = f"/connectors/{source.id}/promote/?to=staging&version=2.0"
    assert promote in hrefs(row)
    page = parse(browser.get(compare_url(source, version="2.0")))
    assert text(page.select_one("#promotion-version-heading")).startswith(
        "Production’s 2.0 against Staging’s 1.5"
    )
    assert page.select_one("#id_against option[selected]").get("value") == ""
    assert text(page.select_one("#promotion-findings-breaking")).startswith("Breaking")
    breaking = texts(page, ".finding--breaking")
    assert any("createProduct" in finding for finding in breaking)

    # Chosen explicitly: 1.0 against 1.5, the same contents.
    page = parse(browser.get(compare_url(source, version="1.0", against="1.5")))
    assert text(page.select_one("#promotion-version-heading")).startswith(
        "Production’s 1.0 against Staging’s 1.5"
    )
    assert not page.select(".finding")
    assert "The same actions, triggers and definitions" in text(page.select_one(".publish-diff"))

    # A version staging does not have is refused on the form, the comparison still shown.
    page = parse(browser.get(compare_url(source, version="1.0", against="9.9")))
    error = text(page.select_one("#id_against_error"))
    assert error == "Staging’s connector has no version “9.9”."
    assert not page.select("#promotion-version-heading")
    assert page.select("table.promotion-versions")


def test_a_name_clash_is_shown_on_the_compare_page(api, staging, client_as):
    source = make_connector(api, "Shop")
    make_connector(staging, "Shop", base_url="https://elsewhere.example")
    page = parse(client_as("viewer").get(compare_url(source)))
    assert "Name clash" in text(page.select_one(".form-errors"))


def test_the_compare_page_and_preview_name_the_protocols_as_the_catalogue_does(
    api, staging, client_as
):
    source = make_connector(api, "Shop")
    Connector.objects.create(
        organisation_id=staging.organisation_id, name="Shop", protocol="bigquery"
    )  # the service layer makes HTTP connectors only
    browser = client_as("publisher")

    page = parse(browser.get(compare_url(source)))
    preview = parse(browser.get(preview_url(source, version="", connector_too=True)))

    clash = "its protocol is Google BigQuery, not HTTP"
    assert f"({clash})" in text(page.select_one(".form-errors"))
    details = page.select("table:has(caption:-soup-contains('Details')) tbody tr")
    protocol = next(row for row in details if text(row.th) == "Protocol")
    assert texts(protocol, "td")[:2] == ["HTTP", "Google BigQuery"]
    assert any(clash in step for step in texts(preview, ".promotion-step"))


def test_preview_run_and_result_promote_into_staging(api, staging, client_as):
    source = make_source(api)
    browser = client_as("publisher")

    preview = parse(browser.get(preview_url(source)))
    steps = texts(preview, ".promotion-step")
    assert steps[0].startswith("Connector “Shop” will be created")
    assert any(s.startswith("Action “getProduct” will be created") for s in steps)

    started = browser.post(
        f"/connectors/{source.id}/promote/", {"to": "staging", "version": "2.0", "connector": "on"}
    )
    run = BulkRun.objects.get()
    assert started.status_code == 302 and started.url == f"/env/staging/bulk/{run.pk}/"
    for _ in range(20):  # steps of about a second each
        browser.post(f"/env/staging/bulk/{run.pk}/step/", headers={"HX-Request": "true"})
        if not run.items.filter(status="pending").exists():
            break
    assert set(run.items.values_list("status", flat=True)) == {"done"}
    # Each call audited once, for the user, in staging, with where it was promoted from.
    promoted = AuditEntry.objects.filter(note="Promoted from Production")
    assert promoted.count() == run.items.count()
    assert {(e.environment, e.username, e.outcome) for e in promoted} == {
        ("staging", "publisher", "ok")
    }

    result = parse(browser.get(f"/env/staging/bulk/{run.pk}/"))
    # Back to where it started: production's comparison of 2.0 with staging.
    comparison = f"/connectors/{source.id}/environments/?with=staging&version=2.0"
    backs = result.select("a[href]:-soup-contains('Back to the comparison')")
    assert [a["href"] for a in backs] == [comparison, comparison]
    assert not result.select("a:-soup-contains('Back to the list')")
    assert browser.get(comparison).status_code == 200
    links = {text(a): a["href"] for a in result.select("#bulk-next-heading ~ ul a")}
    assert list(links) == [
        "Shop in Staging",
        "Set up connections for Shop in Staging (none are copied)",
        "Publish 2.0 in Staging (with your role there)",
    ]
    copied = next(c for c in staging.connectors.list(name="Shop").iter_all())
    opened = {label: browser.get(url).url for label, url in links.items()}
    assert opened == {
        "Shop in Staging": f"/env/staging/connectors/{copied.id}/",
        "Set up connections for Shop in Staging (none are copied)": (
            f"/env/staging/connectors/{copied.id}/connections/"
        ),
        "Publish 2.0 in Staging (with your role there)": (
            f"/env/staging/connectors/{copied.id}/versions/2.0/"
        ),
    }


def test_compare_and_promote_highlight_no_tab_of_the_connector(api, client_as):
    """They are pages of their own, not the connector's Overview."""
    source = make_source(api)
    browser = client_as("viewer")

    for url in (compare_url(source), f"/connectors/{source.id}/promote/?to=staging"):
        page = parse(browser.get(url))
        assert page.select(".tabs a") and not page.select(".tabs [aria-current]"), url


def test_the_promote_page_opened_from_the_comparison_is_a_clean_form(api, staging, client_as):
    """The link "Promote to Staging…" opens a blank form with Staging chosen: no error before it is
    submitted. Submitted without a version, it promotes the connector alone, as its default
    option says."""
    source = make_source(api)
    browser = client_as("publisher")

    opened = browser.get(f"/connectors/{source.id}/promote/?to=staging")
    page = parse(opened)
    assert opened.status_code == 200
    assert not page.select("main .form-errors, main .field__errors, main [role=alert]")
    assert field_value(page, "to") == "staging" and field_value(page, "version") == ""
    assert not page.select(".promotion-step")

    submitted = parse(browser.get(f"/connectors/{source.id}/promote/?to=staging&version="))
    steps = texts(submitted, ".promotion-step th")
    assert steps[0] == "Connector “Shop”" and not any(s.startswith("Version") for s in steps)


def test_a_promotion_with_nothing_to_do_says_so_and_starts_nothing(api, staging, client_as):
    source = make_source(api)
    make_source(staging)  # the same connector, 1.0 published there too
    browser = client_as("publisher")

    page = parse(browser.get(preview_url(source, version="1.0")))
    posted = browser.post(
        f"/connectors/{source.id}/promote/", {"to": "staging", "version": "1.0", "connector": "on"}
    )

    steps = texts(page, ".promotion-step td:first-of-type")
    assert steps and set(steps) == {"already there"}
    assert text(page.select_one(".promotion-nothing")).startswith("Nothing to promote")
    assert not page.select("main form[method=post] button")
    assert posted.status_code == 200 and not BulkRun.objects.exists()


def test_the_button_counts_the_steps_to_do_and_next_steps_skip_what_is_done(
    api, staging, client_as
):
    """Staging has the connector and its published 1.0 but lacks a tag: one step to do, and
    afterwards nothing to publish."""
    source = make_source(api)
    theirs = make_source(staging)
    staging.connectors.update(
        HTTPConnectorUpdate(
            id=theirs.id,
            organisation_id=theirs.organisation_id,
            name=theirs.name,
            base_url=theirs.base_url,
            tags={"team": ["commerce"]},
            documentation_url=theirs.documentation_url,
        ),
        if_unmodified_since=theirs.updated_at,
    )
    browser = client_as("publisher")

    page = parse(browser.get(preview_url(source, version="1.0")))
    browser.post(
        f"/connectors/{source.id}/promote/", {"to": "staging", "version": "1.0", "connector": "on"}
    )

    [button] = page.select("main form[method=post] button")
    assert text(button) == "Promote: 1 step to do in Staging"
    labels = [label for label, _ in BulkRun.objects.get().params["next_steps"]]
    assert labels == [
        "Shop in Staging",
        "Set up connections for Shop in Staging (none are copied)",
    ]


def test_a_user_who_may_only_view_staging_is_refused(api, staging, client_as, django_user_model):
    source = make_source(api)
    browser = client_as("publisher")
    user = django_user_model.objects.get(username="publisher")
    EnvironmentRole.objects.create(environment="staging", user=user, role="viewer")

    preview = parse(browser.get(preview_url(source)))
    refused = browser.post(
        f"/connectors/{source.id}/promote/", {"to": "staging", "version": "2.0", "connector": "on"}
    )

    assert "In Staging: Your role does not allow this" in text(preview.select_one(".form-errors"))
    assert not preview.select("form[method=post] button.button--primary")
    assert refused.status_code == 200 and not BulkRun.objects.exists()
    assert staging.connectors.list().items == []


def test_a_version_staging_has_with_other_contents_shows_the_diff_and_cannot_run(
    api, staging, client_as
):
    source = make_source(api)
    theirs = make_connector(staging, "Shop", base_url="https://shop.example/api")
    staging.versions.create(theirs.id, "2.0")
    staging.actions.create(theirs.id, "2.0", ActionCreate(name="other", method="GET", path="/x"))

    page = parse(client_as("publisher").get(preview_url(source, connector_too=False)))

    assert "has other contents" in text(page.select_one(".form-errors"))
    assert any("other" in f and "removed" in f for f in texts(page, ".finding"))
    assert not page.select("form[method=post] button.button--primary")


def test_a_target_that_does_not_answer_gets_a_readable_panel(api, client_as, settings):
    settings.CONNECT_ENVIRONMENTS = [
        settings.CONNECT_ENVIRONMENTS[0] | {"api_url": unused_loopback_url(), "api_token": "t"}
    ]
    source = make_connector(api, "Shop")
    browser = client_as("publisher")

    compared = browser.get(compare_url(source))
    previewed = browser.get(preview_url(source, version="", connector_too=True))

    assert compared.status_code == 502
    assert "could not be reached" in text(parse(compared))
    # By then the circuit breaker may pause calls to it: a 503 saying so.
    assert previewed.status_code in (502, 503) and parse(previewed).select(".error-panel")
    assert not BulkRun.objects.exists()


def test_promotion_runs_the_other_way_too_into_the_default_environment(api, staging, client_as):
    source = make_source(staging)
    browser = client_as("publisher")

    started = browser.post(
        f"/env/staging/connectors/{source.id}/promote/", {"to": "production", "version": "1.0"}
    )
    assert "has no connector “Shop”" in text(parse(started).select_one(".form-errors"))
    started = browser.post(
        f"/env/staging/connectors/{source.id}/promote/",
        {"to": "production", "version": "1.0", "connector": "on"},
    )

    run = BulkRun.objects.get()
    assert started.url == f"/bulk/{run.pk}/" and run.environment == "production"
    for _ in range(30):  # steps of about a second each
        if not run.items.filter(status="pending").exists():
            break
        browser.post(f"/bulk/{run.pk}/step/", headers={"HX-Request": "true"})
    assert set(run.items.values_list("status", flat=True)) == {"done"}
    assert [v.name for v in next(api.connectors.list(name="Shop").iter_all()).versions] == ["1.0"]


@pytest.fixture
def twin(settings, staging_environment):
    """Another name for production: the embedded API and the same organisation."""
    twin = {"slug": "twin", "api_url": "", "api_token": "", "name": "Twin", "colour": "blue"}
    settings.CONNECT_ENVIRONMENTS = [
        *settings.CONNECT_ENVIRONMENTS,
        twin | {"organisation_id": settings.CONNECT_ORGANISATION_ID.lower()},
    ]


def test_promoting_into_another_name_for_the_same_backend_is_refused_before_anything(
    api, twin, client_as
):
    source = make_source(api)
    audited = AuditEntry.objects.count()
    browser = client_as("publisher")
    chosen = {"to": "twin", "version": "2.0", "connector": "on"}

    previewed = browser.get(f"/connectors/{source.id}/promote/", chosen)
    posted = browser.post(f"/connectors/{source.id}/promote/", chosen)

    for response in (previewed, posted):
        assert response.status_code == 422
        page = parse(response)
        assert texts(page, "#id_to_error li") == [
            "Twin is the same Connect API and organisation as Production, shown here: "
            "promoting would copy Shop onto itself. Nothing was done; choose another environment."
        ]
        assert not page.select(".promotion-plan, main form[method=post]")
        assert field_value(page, "to") == "twin" and field_value(page, "version") == "2.0"
    assert not BulkRun.objects.exists()
    assert AuditEntry.objects.count() == audited
    assert [c.name for c in api.connectors.list(name="Shop").iter_all()] == ["Shop"]
