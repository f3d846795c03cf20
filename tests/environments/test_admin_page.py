"""Admins add and edit environments in the dashboard: the API key is a password field, stored
encrypted, never rendered back; bad input is refused with nothing saved."""

import pytest

from dashboard.accounts.roles import ADMIN, assign_role
from dashboard.environments.models import AddedEnvironment, EnvironmentRole
from dashboard.environments.registry import get_environment
from tests.html import field_value, one, parse, text, texts

pytestmark = pytest.mark.django_db

KEY = "vk_live_TYPED_ONCE_NEVER_SHOWN_AGAIN"
FIELDS = {
    "slug": "qa",
    "name": "QA",
    "colour": "green",
    "base_url": "http://127.0.0.1:9/api/connect/v1",
    "organisation_id": "01JQ0PATCHBAYQA0RGAN1SAT00",
    "api_key": KEY,
}


@pytest.fixture
def admin(client, make_user):
    client.force_login(make_user(ADMIN, "ada"))
    return client


def test_an_admin_adds_an_environment_whose_key_is_stored_encrypted(admin):
    response = admin.post("/environments/new/", FIELDS)

    assert response.status_code == 302
    row = AddedEnvironment.objects.get(slug="qa")
    assert KEY not in row.encrypted_api_key and row.encrypted_api_key
    assert get_environment("qa").api_key == KEY
    listing = admin.get("/environments/").content.decode()
    assert KEY not in listing
    [qa] = [row for row in parse(listing).select("tbody tr") if text(row.code) == "qa"]
    assert [text(cell) for cell in qa.select("td")[3:5]] == ["01JQ0PATCHBAYQA0RGAN1SAT00", "set"]


def test_the_key_field_is_a_password_input_never_filled_in(admin):
    admin.post("/environments/new/", FIELDS)

    html = admin.get("/environments/qa/edit/").content.decode()

    field = one(parse(html), "input[name=api_key]")
    assert field["type"] == "password" and not field.get("value")
    assert KEY not in html
    assert text(one(parse(html), "#id_api_key_helptext")).startswith("A key is set")


def test_editing_without_a_key_keeps_the_key_and_the_slug(admin):
    admin.post("/environments/new/", FIELDS)

    admin.post("/environments/qa/edit/", FIELDS | {"api_key": "", "name": "Quality", "slug": "x"})

    qa = get_environment("qa")
    assert qa.name == "Quality" and qa.api_key == KEY


def test_a_refused_form_echoes_nothing_secret_and_saves_nothing(admin):
    response = admin.post("/environments/new/", FIELDS | {"slug": "Bad Slug", "colour": "pink"})

    assert response.status_code == 422
    html = response.content.decode()
    assert KEY not in html
    assert "lower-case letters" in text(one(parse(html), "#id_slug_error"))
    assert field_value(parse(html), "api_key") == ""
    assert not AddedEnvironment.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("organisation_id", "ORG-QA", "26 letters and digits"),
        ("organisation_id", "01JQ0PATCHBAYQA0RGAN1SAT000", "26 letters and digits"),
        ("base_url", "javascript:alert(1)", "starting with https:// or http://"),
        ("base_url", "ftp://127.0.0.1/api", "starting with https:// or http://"),
    ],
)
def test_an_invalid_organisation_id_or_url_is_refused_on_its_field(admin, field, value, message):
    response = admin.post("/environments/new/", FIELDS | {field: value})

    assert response.status_code == 422
    assert message in one(parse(response.content.decode()), f"#id_{field}_error").get_text()
    assert not AddedEnvironment.objects.exists()


def test_an_organisation_id_typed_in_lower_case_is_kept_in_upper_case(admin):
    admin.post("/environments/new/", FIELDS | {"organisation_id": " 01jq0patchbayqa0rgan1sat00 "})

    assert get_environment("qa").organisation_id == "01JQ0PATCHBAYQA0RGAN1SAT00"


def test_a_slug_taken_by_the_settings_is_refused(admin):
    response = admin.post("/environments/new/", FIELDS | {"slug": "staging"})

    assert response.status_code == 422
    assert texts(parse(response), "#id_slug_error li") == [
        "An environment from the settings has this slug."
    ]


def test_a_slug_added_already_is_refused_in_words(admin):
    admin.post("/environments/new/", FIELDS)

    response = admin.post("/environments/new/", FIELDS | {"name": "QA two"})

    assert response.status_code == 422
    assert texts(parse(response), "#id_slug_error li") == [
        "Another environment has the slug “qa” already: choose another."
    ]


@pytest.mark.parametrize("name", ["Staging", "  staging ", "PRODUCTION"])
def test_a_name_another_environment_has_is_refused(admin, name):
    """Two environments of one name would be two identical entries in the switcher."""
    response = admin.post("/environments/new/", FIELDS | {"slug": "staging2", "name": name})

    assert response.status_code == 422
    [error] = texts(parse(response), "#id_name_error li")
    assert error.startswith(f"Another environment is named “{name.strip()}” already")
    assert not AddedEnvironment.objects.exists()


def test_an_environment_keeps_its_own_name_when_edited(admin):
    admin.post("/environments/new/", FIELDS)

    response = admin.post("/environments/qa/edit/", FIELDS | {"colour": "purple"})

    assert response.status_code == 302
    assert AddedEnvironment.objects.get(slug="qa").colour == "purple"


def test_removing_asks_first_saying_what_goes_and_what_stays(admin, make_user):
    admin.post("/environments/new/", FIELDS)
    EnvironmentRole.objects.create(environment="qa", user=make_user("viewer", "val"), role="admin")

    asked = admin.post("/environments/qa/delete/")

    assert asked.status_code == 200 and AddedEnvironment.objects.filter(slug="qa").exists()
    page = parse(asked)
    said = text(one(page, "main form"))
    assert "the 1 role granted in it" in said
    assert "does not delete anything in its Connect API" in said
    button = one(page, "main form button[name=confirm]")
    assert text(button) == "Remove QA"
    assert one(page, "main form a")["href"] == "/environments/qa/edit/"

    admin.post("/environments/qa/delete/", {"confirm": "yes"})
    assert not AddedEnvironment.objects.exists() and not EnvironmentRole.objects.exists()


def test_the_table_says_where_each_environment_comes_from(admin):
    admin.post("/environments/new/", FIELDS)

    rows = parse(admin.get("/environments/")).select("tbody tr")

    origin = {text(row.code): text(row.select("td")[5]) for row in rows}
    assert origin == {"production": "settings", "staging": "settings", "qa": "added here"}
    [edit] = [row.select("td")[6].a for row in rows if text(row.code) == "qa"]
    assert edit["href"] == "/environments/qa/edit/"


def test_an_added_environment_serves_pages_under_its_prefix_and_can_be_removed(admin):
    admin.post("/environments/new/", FIELDS | {"base_url": ""})  # embedded, another org

    assert admin.get("/env/qa/connectors/").status_code == 200
    admin.post("/environments/qa/delete/", {"confirm": "yes"})
    assert admin.get("/env/qa/connectors/").status_code == 404


def test_roles_are_granted_and_removed_per_environment(admin, make_user):
    pat = make_user("publisher", "pat")

    refused = admin.post("/environments/grants/", {"environment": "production", "role": "viewer"})
    admin.post(
        "/environments/grants/", {"environment": "production", "user": pat.pk, "role": "viewer"}
    )

    assert refused.status_code == 422
    assert texts(parse(refused), ".form-errors[role=alert] p") == [
        "Choose a user or a group (one of them)."
    ]
    grant = EnvironmentRole.objects.get()
    assert (grant.user, grant.environment, grant.role) == (pat, "production", "viewer")
    admin.post("/environments/grants/remove/", {"grant": grant.pk})
    assert not EnvironmentRole.objects.exists()


def test_others_may_not_manage_environments(client, make_user):
    user = make_user("publisher", "pat")
    client.force_login(user)

    assert client.get("/environments/").status_code == 403
    assert client.post("/environments/new/", FIELDS).status_code == 403
    assign_role(user, ADMIN)
    assert client.get("/environments/").status_code == 200
