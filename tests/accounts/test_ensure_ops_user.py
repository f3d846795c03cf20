"""`manage.py ensure_ops_user`: the ops user `make run` needs, created once and kept."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from dashboard.accounts.roles import FORCE_DELETE, VIEWER, assign_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def env_file(tmp_path):
    path = tmp_path / ".env"
    path.write_text("SECRET_KEY=kept\n")
    return path


@pytest.fixture
def no_password_set(monkeypatch):
    monkeypatch.delenv("OPS_PASSWORD", raising=False)


def ensure_ops_user(env_file) -> str:
    out = io.StringIO()
    call_command("ensure_ops_user", env_file=env_file, stdout=out)
    return out.getvalue()


def saved_password(env_file) -> str:
    lines = [line for line in env_file.read_text().splitlines() if line.startswith("OPS_PASSWORD=")]
    assert len(lines) == 1
    return lines[0].removeprefix("OPS_PASSWORD=")


def test_it_creates_ops_with_a_generated_password_saved_to_the_env_file(env_file, no_password_set):
    output = ensure_ops_user(env_file)

    password = saved_password(env_file)
    user = get_user_model().objects.get(username="ops")
    assert user.check_password(password)
    assert user.is_superuser and user.is_active
    assert list(user.groups.values_list("name", flat=True)) == ["admin"]
    assert env_file.read_text().startswith("SECRET_KEY=kept\n")
    assert "Log in as 'ops' with the password in $OPS_PASSWORD" in output
    assert password not in output


def test_it_uses_ops_password_from_the_environment(env_file, monkeypatch):
    monkeypatch.setenv("OPS_PASSWORD", "from-the-environment")

    output = ensure_ops_user(env_file)

    assert get_user_model().objects.get(username="ops").check_password("from-the-environment")
    assert "OPS_PASSWORD" not in env_file.read_text()
    assert "from-the-environment" not in output


def test_running_it_again_changes_nothing(env_file, no_password_set):
    ensure_ops_user(env_file)
    password_hash = get_user_model().objects.get(username="ops").password
    env_contents = env_file.read_text()

    output = ensure_ops_user(env_file)

    assert get_user_model().objects.filter(username="ops").count() == 1
    assert get_user_model().objects.get(username="ops").password == password_hash
    assert env_file.read_text() == env_contents
    assert "its password was left alone" in output


def test_a_changed_ops_password_resets_the_password(env_file, monkeypatch):
    monkeypatch.setenv("OPS_PASSWORD", "first")
    ensure_ops_user(env_file)
    monkeypatch.setenv("OPS_PASSWORD", "second")

    output = ensure_ops_user(env_file)

    user = get_user_model().objects.get(username="ops")
    assert user.check_password("second")
    assert "Set the password of 'ops' from $OPS_PASSWORD." in output


def test_it_gives_an_existing_ops_user_the_admin_role_back(env_file, no_password_set):
    user = get_user_model().objects.create_user("ops", password="kept")
    assign_role(user, VIEWER)

    ensure_ops_user(env_file)

    user = get_user_model().objects.get(username="ops")
    assert list(user.groups.values_list("name", flat=True)) == ["admin"]
    assert user.is_staff and user.has_perm(FORCE_DELETE)
    assert user.check_password("kept")
