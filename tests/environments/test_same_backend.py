"""An environment pointing where another does (the same Connect API, however its URL is spelt,
and organisation) is saved only once the admin confirms it, naming the other; until then
nothing is saved and everything typed stays in the form (the key in the browser only)."""

import pytest
from django.conf import settings

from dashboard.accounts.models import AuditEntry
from dashboard.accounts.roles import ADMIN
from dashboard.environments.models import AddedEnvironment
from dashboard.environments.registry import backend_key, get_environment
from tests.environments.conftest import STAGING_ORG
from tests.html import field_value, one, parse, text

pytestmark = pytest.mark.django_db

KEY = "vk_live_TYPED_ONCE_NEVER_SHOWN_AGAIN"
URL = "http://127.0.0.1:9/api/connect/v1"
QA_ORG = "01JQ0PATCHBAYQA0RGAN1SAT00"
FIELDS = {
    "slug": "qa",
    "name": "QA",
    "colour": "green",
    "base_url": URL,
    "organisation_id": QA_ORG,
    "api_key": KEY,
}
# Staging (from the settings) is the embedded API's STAGING_ORG.
AS_STAGING = FIELDS | {"base_url": "", "organisation_id": STAGING_ORG}
HTMX = {"HX-Request": "true"}


@pytest.fixture
def admin(client, make_user):
    client.force_login(make_user(ADMIN, "ada"))
    return client


@pytest.mark.parametrize(
    ("one_url", "another"),
    [
        ("https://platform.example/api/connect/v1", "HTTPS://Platform.EXAMPLE/api/connect/v1/"),
        ("https://platform.example/api/connect/v1", "https://platform.example:443/api/connect/v1"),
        ("http://127.0.0.1:80/api/", "http://127.0.0.1/api"),
        ("http://[::1]:8000/api", "http://[::1]:8000/api/"),
    ],
)
def test_spellings_of_one_url_are_one_backend(one_url, another):
    assert backend_key(one_url, QA_ORG) == backend_key(another, QA_ORG.lower())


@pytest.mark.parametrize(
    ("one_url", "another"),
    [
        ("https://platform.example/api/connect/v1", "https://platform.example:8443/api/connect/v1"),
        ("https://platform.example/api/connect/v1", "http://platform.example/api/connect/v1"),
        ("https://platform.example/api/connect/v1", "https://platform.example/api/Connect/v1"),
        ("", "https://platform.example/api/connect/v1"),
    ],
)
def test_other_urls_are_other_backends(one_url, another):
    assert backend_key(one_url, QA_ORG) != backend_key(another, QA_ORG)


def test_adding_one_on_the_same_backend_warns_naming_it_and_saves_nothing(admin):
    response = admin.post("/environments/new/", AS_STAGING)

    assert response.status_code == 422
    assert not AddedEnvironment.objects.exists()
    assert not AuditEntry.objects.exists()
    page = parse(response)
    warning = one(page, "#same-backend")
    assert text(warning.legend) == "The same Connect API and organisation as “Staging”"
    assert f"the embedded API, organisation {STAGING_ORG}" in text(warning)
    box = one(warning, "input[type=checkbox][name=same_backend]")
    assert box["value"] == "staging" and not box.has_attr("checked")
    assert text(box.parent) == "Yes, this is the same organisation as “Staging”"
    assert text(one(page, "#id_same_backend_error")).startswith("Tick the box to confirm")
    assert text(one(page, ".form-errors")).startswith("Nothing was saved: confirm below")


def test_a_refused_form_keeps_what_was_typed_and_never_echoes_the_key(admin):
    response = admin.post(
        "/environments/new/", AS_STAGING | {"organisation_id": f" {STAGING_ORG.lower()} "}
    )

    assert response.status_code == 422
    page = parse(response)
    kept = {name: field_value(page, name) for name in ("slug", "name", "base_url")}
    assert kept == {"slug": "qa", "name": "QA", "base_url": ""}
    assert field_value(page, "organisation_id") == f" {STAGING_ORG.lower()} "  # as typed
    assert field_value(page, "colour") == "green"
    # The key is never sent back: the form is an htmx form (static/js/forms.js carries what
    # was typed over to the re-rendered one); without JavaScript the page asks for it again.
    assert KEY.encode() not in response.content
    assert field_value(page, "api_key") == ""
    form = one(page, "form#environment-form")
    assert form["hx-post"] == "/environments/new/" and form["hx-target"] == "this"
    assert text(one(form, ".field:has(#id_api_key) [data-reenter]")).startswith("Secrets are")


def test_confirming_saves_it_with_its_key(admin):
    admin.post("/environments/new/", AS_STAGING)

    response = admin.post("/environments/new/", AS_STAGING | {"same_backend": "staging"})

    assert response.status_code == 302 and response.url == "/environments/"
    qa = get_environment("qa")
    assert (qa.base_url, qa.organisation_id, qa.api_key) == ("", STAGING_ORG, KEY)
    assert AuditEntry.objects.filter(action="add_environment").count() == 1


def test_a_tick_given_for_another_environment_does_not_confirm(admin):
    """The box names the environment it was shown for: pointed elsewhere since, it asks again."""
    response = admin.post("/environments/new/", AS_STAGING | {"same_backend": "production"})

    assert response.status_code == 422
    assert not AddedEnvironment.objects.exists()
    assert not one(parse(response), "#id_same_backend").has_attr("checked")


def test_the_default_environment_from_the_settings_counts(admin):
    production = FIELDS | {"base_url": "", "organisation_id": settings.CONNECT_ORGANISATION_ID}

    response = admin.post("/environments/new/", production)

    assert response.status_code == 422
    label = text(one(parse(response), "#id_same_backend").parent)
    assert label == "Yes, this is the same organisation as “Production”"


def test_one_url_spelt_otherwise_is_the_same_backend(admin):
    admin.post("/environments/new/", FIELDS)

    spelt = {"slug": "qa2", "name": "QA two", "base_url": "HTTP://127.0.0.1:9/api/connect/v1/"}

    response = admin.post("/environments/new/", FIELDS | spelt)

    assert response.status_code == 422
    assert text(one(parse(response), "#same-backend").legend).endswith("as “QA”")
    assert list(AddedEnvironment.objects.values_list("slug", flat=True)) == ["qa"]


def test_several_alike_are_all_named_and_all_confirmed_at_once(admin):
    admin.post("/environments/new/", AS_STAGING | {"same_backend": "staging"})
    third = AS_STAGING | {"slug": "qa2", "name": "QA two"}

    asked = admin.post("/environments/new/", third)
    confirmed = admin.post("/environments/new/", third | {"same_backend": "staging,qa"})

    box = one(parse(asked), "#id_same_backend")
    assert text(box.parent) == "Yes, this is the same organisation as “Staging” and “QA”"
    assert confirmed.status_code == 302
    assert AddedEnvironment.objects.count() == 2


@pytest.mark.parametrize(
    "elsewhere",
    [
        {"organisation_id": STAGING_ORG},  # the organisation of another API
        {"base_url": "", "organisation_id": QA_ORG},  # another organisation of the embedded API
    ],
)
def test_another_api_or_organisation_is_saved_without_a_question(admin, elsewhere):
    response = admin.post("/environments/new/", FIELDS | elsewhere)

    assert response.status_code == 302
    assert AddedEnvironment.objects.filter(slug="qa").exists()


def test_editing_one_into_the_same_backend_asks_too_and_changes_nothing_until_then(admin):
    admin.post("/environments/new/", FIELDS)
    # It does not match itself: an edit elsewhere is saved at once.
    assert admin.post("/environments/qa/edit/", FIELDS | {"colour": "blue"}).status_code == 302

    asked = admin.post("/environments/qa/edit/", AS_STAGING | {"name": "Quality"})

    assert asked.status_code == 422
    row = AddedEnvironment.objects.get(slug="qa")
    assert (row.name, row.base_url, row.organisation_id) == ("QA", URL, QA_ORG)
    page = parse(asked)
    assert field_value(page, "name") == "Quality"
    assert text(one(page, "#same-backend").legend).endswith("as “Staging”")
    confirmed = admin.post(
        "/environments/qa/edit/", AS_STAGING | {"name": "Quality", "same_backend": "staging"}
    )
    assert confirmed.status_code == 302
    assert get_environment("qa").organisation_id == STAGING_ORG


def test_with_htmx_the_warning_comes_back_as_the_form_and_the_confirmation_redirects(admin):
    asked = admin.post("/environments/new/", AS_STAGING, headers=HTMX)
    confirmed = admin.post(
        "/environments/new/", AS_STAGING | {"same_backend": "staging"}, headers=HTMX
    )

    assert asked.status_code == 422 and "HX-Request" in asked["Vary"]
    page = parse(asked)
    assert not page.select("html, header") and one(page, "form#environment-form #same-backend")
    assert KEY.encode() not in asked.content
    assert confirmed.status_code == 200 and confirmed["HX-Redirect"] == "/environments/"
    assert get_environment("qa").api_key == KEY
