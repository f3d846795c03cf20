"""Compare and promote in a real browser: from a connector's page in production, compare it
with staging's, preview the promotion, run it (the page polls its progress) and follow the
result's link to publish in staging."""

import re

import pytest
from cryptography.fernet import Fernet
from django.core.cache import cache
from playwright.sync_api import expect
from ulid import ULID

from dashboard.connect import get_client
from dashboard.environments.registry import client_for, get_environment
from tests.promotion.conftest import OAUTH_SECRET, make_source

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def environments(settings):
    settings.EMBEDDED_API_ENCRYPTION_KEY = Fernet.generate_key().decode()
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
    cache.clear()
    yield
    cache.clear()


def test_compare_preview_run_and_result(logged_in_page):
    page = logged_in_page
    source = make_source(get_client())
    page.goto(f"/connectors/{source.id}/")

    page.get_by_role("link", name="Compare with Staging").click()
    expect(page.get_by_role("heading", name="Shop: Production and Staging")).to_be_visible()
    expect(page.get_by_text("Staging has no connector named “Shop”")).to_be_visible()
    page.get_by_role("link", name="Promote to Staging…").click()

    page.get_by_label("Version").select_option("2.0")
    page.get_by_label(re.compile("^The connector too")).check()
    page.get_by_role("button", name="Preview").click()
    steps = page.locator(".promotion-step")
    expect(steps.first).to_contain_text("Connector “Shop” will be created")
    count = steps.count()
    page.get_by_role("button", name=f"Promote: {count} steps to do in Staging").click()

    expect(page).to_have_url(re.compile(r"/env/staging/bulk/"))
    progress = page.locator(".bulk-progress__count")
    expect(progress).to_contain_text(f"{count} of {count} finished", timeout=60_000)
    expect(progress).to_contain_text(f"{count} done, 0 refused")
    assert OAUTH_SECRET not in page.content()
    page.get_by_role("link", name="Publish 2.0 in Staging (with your role there)").click()

    expect(page).to_have_url(re.compile(r"/env/staging/connectors/[^/]+/versions/2\.0/$"))
    staging = client_for(get_environment("staging"))
    copied = next(iter(staging.connectors.list(name="Shop").iter_all()))
    assert [v.name for v in copied.versions] == ["2.0"]


def test_staging_release_compared_with_productions_latest_of_another_name(logged_in_page):
    """As in the demo: staging has a release production lacks; by default it is compared with
    production's latest (published) version, and any other can be chosen."""
    page = logged_in_page
    production = get_client()
    make_source(production, "Paystream")  # 1.0 published (the latest), 2.0 a draft
    staging = client_for(get_environment("staging"))
    theirs = make_source(staging, "Paystream")
    staging.versions.create(theirs.id, "2.1", from_version="2.0")
    staging.actions.delete(theirs.id, "2.1", "getProduct")

    page.goto(f"/env/staging/connectors/{theirs.id}/environments/?with=production")
    row = page.locator("table.promotion-versions tbody tr", has_text="2.1")
    row.get_by_role("link", name="Compare contents of 2.1").click()

    heading = page.locator("#promotion-version-heading")
    expect(heading).to_contain_text("Staging’s 2.1 against Production’s 1.0")
    expect(page.locator(".finding--breaking").first).to_contain_text("createProduct")
    against = page.get_by_label("Against Production’s version")
    expect(against).to_have_value("")

    against.select_option("2.0")
    page.get_by_role("button", name="Compare").click()
    expect(heading).to_contain_text("Staging’s 2.1 against Production’s 2.0")
    expect(page).to_have_url(re.compile(r"[?&]against=2\.0"))
    expect(page.locator(".finding--breaking")).to_contain_text("getProduct")


def test_row_headers_keep_their_case_and_long_values_wrap(logged_in_page):
    """Versions, definitions and actions are named case-sensitively: their row headers are not
    uppercased like column headers; a long value wraps instead of pushing "Compared" out of
    view; consecutive tables have space between them."""
    page = logged_in_page
    production = get_client()
    source = make_source(production, "Paystream")
    production.versions.create(source.id, "2.1-Beta", from_version="2.0")

    page.goto(f"/connectors/{source.id}/environments/?with=staging")
    version = page.locator("table.promotion-versions tbody th", has_text="2.1-Beta")
    expect(version).to_have_css("text-transform", "none")
    expect(page.locator("table.promotion-differences td").first).to_have_css(
        "overflow-wrap", "anywhere"
    )
    # the tables (details, tags, categories...) stand apart, not stacked edge to edge
    expect(page.locator(".table-wrap + .table-wrap").first).to_have_css("margin-top", "24px")

    page.goto(f"/connectors/{source.id}/promote/?to=staging&version=2.0")
    expect(page.locator("table.promotion-plan tbody th").first).to_have_css(
        "text-transform", "none"
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_the_promote_form_opens_clean_and_tidy(logged_in_page, width):
    """Opened from the comparison, the form shows no error; the connector's checkbox sits
    beside its label, on a line of its own below the two choices, at desktop and phone width."""
    page = logged_in_page
    page.set_viewport_size({"width": width, "height": 900})
    source = make_source(get_client())

    opened = page.goto(f"/connectors/{source.id}/promote/?to=staging")

    assert opened is not None and opened.status == 200
    expect(page.locator("main .form-errors, main .field__errors")).to_have_count(0)
    box = page.get_by_label(re.compile("^The connector too")).bounding_box()
    label = page.locator("label[for=id_connector]").bounding_box()
    version = page.get_by_label("Version").bounding_box()
    assert box and label and version
    assert label["x"] > box["x"]  # the label follows its box
    assert label["y"] < box["y"] + box["height"] and box["y"] < label["y"] + label["height"]
    assert box["y"] >= version["y"] + version["height"]  # below the choices
    assert page.evaluate("document.documentElement.scrollWidth") <= width
