"""Roles: the groups, assigning them, and `require_permission`."""

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.template import Context, Template

from dashboard.accounts import roles
from dashboard.accounts.roles import (
    ADMIN,
    OPERATOR,
    PUBLISH_VERSIONS,
    PUBLISHER,
    ROLES,
    VIEWER,
    assign_role,
    ensure_role_users,
    require_permission,
)
from tests.html import one, parse, text, texts

from .conftest import NO_ROLE


def group_permissions() -> dict[str, set[str]]:
    return {
        group.name: {
            f"{permission.content_type.app_label}.{permission.codename}"
            for permission in group.permissions.select_related("content_type")
        }
        for group in Group.objects.filter(name__in=ROLES)
    }


def migrate(target: tuple[str, str]) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([target])


@pytest.mark.django_db(transaction=True)
def test_the_roles_migrations_create_the_four_groups_with_their_permissions():
    migrate(("accounts", "0001_initial"))
    assert not Group.objects.filter(name__in=ROLES).exists()
    try:
        migrate(("accounts", "0002_roles"))
        migrate(("accounts", "0005_environments"))  # adds managing environments to admin
        found = group_permissions()
    finally:
        call_command("migrate", verbosity=0)
    assert found == {role: set(granted) for role, granted in ROLES.items()}


@pytest.mark.django_db
def test_the_groups_hold_exactly_the_permissions_roles_lists():
    assert group_permissions() == {role: set(granted) for role, granted in ROLES.items()}


def test_each_role_holds_everything_the_role_before_it_holds():
    ordered = list(ROLES.values())
    for lower, higher in zip(ordered, ordered[1:], strict=False):
        assert set(lower) < set(higher)


def test_only_admins_may_force_delete_or_manage_users():
    for role in (VIEWER, OPERATOR, PUBLISHER):
        assert roles.FORCE_DELETE not in ROLES[role]
        assert "auth.change_user" not in ROLES[role]
    assert {roles.FORCE_DELETE, "auth.change_user"} <= set(ROLES[ADMIN])


@pytest.mark.django_db(transaction=True)
def test_the_roles_come_back_after_the_database_is_flushed():
    call_command("flush", interactive=False, verbosity=0)
    assert group_permissions() == {role: set(granted) for role, granted in ROLES.items()}


@pytest.mark.django_db
def test_assigning_a_role_replaces_the_previous_one(make_user):
    user = make_user(PUBLISHER, username="pat")
    assert user.has_perm(PUBLISH_VERSIONS)
    assign_role(user, VIEWER)
    assert [group.name for group in user.groups.all()] == [VIEWER]
    assert not user.has_perm(PUBLISH_VERSIONS)


@pytest.mark.django_db
def test_only_the_admin_role_opens_the_django_admin(make_user, django_user_model):
    admin = make_user(ADMIN)
    assert admin.is_staff
    assert admin.has_perm("auth.change_user")
    root = django_user_model.objects.create_superuser("root", password="x")
    assign_role(root, OPERATOR)
    root.refresh_from_db()
    assert not root.is_staff and not root.is_superuser


@pytest.mark.django_db
def test_an_unknown_role_is_refused(make_user):
    with pytest.raises(ValueError, match="Unknown role 'owner'"):
        assign_role(make_user(VIEWER), "owner")


def test_an_unknown_permission_is_refused_when_the_view_is_defined():
    with pytest.raises(ImproperlyConfigured, match="accounts.publish_version"):
        require_permission("accounts.publish_version")


def test_a_guarded_view_says_which_permission_it_needs():
    @require_permission(PUBLISH_VERSIONS)
    def view(request):
        raise AssertionError("not called")

    assert view.required_permission == PUBLISH_VERSIONS
    assert view.permission_methods is None
    assert view.__name__ == "view"


@pytest.mark.urls("tests.accounts.urls_for_tests")
@pytest.mark.django_db
def test_a_user_with_the_permission_reaches_the_view(client_as):
    response = client_as(PUBLISHER).post("/test/publish")
    assert response.status_code == 200
    assert response.content == b"published"


@pytest.mark.urls("tests.accounts.urls_for_tests")
@pytest.mark.django_db
def test_a_user_without_it_gets_the_403_page_saying_which_role_allows_it(client_as):
    response = client_as(OPERATOR).post("/test/publish")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    message = one(parse(response), ".page-message")
    assert text(one(message, "h1")) == "Not allowed"
    assert text(message.p).endswith("Ask an admin for the publisher role.")


@pytest.mark.urls("tests.accounts.urls_for_tests")
@pytest.mark.django_db
def test_an_htmx_request_without_it_gets_one_plain_sentence_for_the_error_region(client_as):
    response = client_as(VIEWER).post("/test/publish", headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.text == (
        "Your role does not allow this (publish and unpublish connector versions). "
        "Ask an admin for the publisher role."
    )


@pytest.mark.urls("tests.accounts.urls_for_tests")
@pytest.mark.django_db
def test_a_check_limited_to_some_methods_lets_everyone_else_through(client_as):
    client = client_as(VIEWER)
    assert client.get("/test/publish-form").content == b"form"
    assert client.post("/test/publish-form").status_code == 403


@pytest.mark.urls("tests.accounts.urls_for_tests")
@pytest.mark.django_db
def test_a_user_without_any_role_is_refused(client_as):
    assert client_as(NO_ROLE).post("/test/publish").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "shown"), [(VIEWER, False), (OPERATOR, False), (PUBLISHER, True)])
def test_templates_hide_controls_with_djangos_perms(make_user, rf, role, shown):
    from django.template import RequestContext

    request = rf.get("/")
    request.user = make_user(role)
    template = Template(
        "{% if perms.accounts.publish_versions %}<button>Publish</button>{% endif %}"
    )
    html = template.render(RequestContext(request, {}))
    assert texts(parse(html), "button") == (["Publish"] if shown else [])


def test_a_template_without_a_request_shows_no_controls():
    assert Template("{% if perms.accounts.publish_versions %}x{% endif %}").render(Context()) == ""


@pytest.mark.django_db
def test_demo_users_are_created_one_per_role_with_their_logins_printed_once(
    django_user_model, monkeypatch
):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    out = io.StringIO()
    ensure_role_users(out)
    logins = dict(re.findall(r"^\s+\w+\s+(\w+) / (\S+)$", out.getvalue(), flags=re.MULTILINE))
    assert set(logins) == set(ROLES)
    for role, password in logins.items():
        user = django_user_model.objects.get(username=role)
        assert user.check_password(password)
        assert [group.name for group in user.groups.all()] == [role]

    again = io.StringIO()
    ensure_role_users(again)
    assert all(password not in again.getvalue() for password in logins.values())
    assert django_user_model.objects.get(username=PUBLISHER).check_password(logins[PUBLISHER])


@pytest.mark.django_db
def test_demo_users_share_demo_password_when_set_and_it_is_not_printed(
    django_user_model, monkeypatch
):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-secret-1234")
    out = io.StringIO()
    ensure_role_users(out)
    assert "demo-secret-1234" not in out.getvalue()
    assert "$DEMO_PASSWORD" in out.getvalue()
    assert django_user_model.objects.get(username=ADMIN).check_password("demo-secret-1234")
