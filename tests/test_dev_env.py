"""`python -m dashboard.dev_env`: the development .env, completed but never overwritten."""

import stat

from cryptography.fernet import Fernet
from django.conf import settings

from dashboard.dev_env import ensure_dev_env, read_env_keys, set_env_value


def test_it_writes_a_complete_development_env_file(tmp_path):
    path = tmp_path / ".env"

    added = ensure_dev_env(path)

    assert added == ["SECRET_KEY", "DEBUG", "EMBEDDED_API_ENCRYPTION_KEY"]
    values = dict(line.split("=", 1) for line in path.read_text().splitlines()[1:])
    assert len(values["SECRET_KEY"]) >= 50
    assert values["DEBUG"] == "true"
    Fernet(values["EMBEDDED_API_ENCRYPTION_KEY"])  # raises unless it is a valid key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_it_only_adds_what_is_missing(tmp_path):
    path = tmp_path / ".env"
    path.write_text("# mine\nexport SECRET_KEY=keep-me\nDEBUG=false\n")

    added = ensure_dev_env(path)

    assert added == ["EMBEDDED_API_ENCRYPTION_KEY"]
    assert path.read_text().startswith("# mine\nexport SECRET_KEY=keep-me\nDEBUG=false\n")
    assert ensure_dev_env(path) == []


def test_it_fills_in_a_copy_of_the_example_file(tmp_path):
    path = tmp_path / ".env"
    path.write_text((settings.BASE_DIR / ".env.example").read_text())

    added = ensure_dev_env(path)

    assert added == ["SECRET_KEY", "DEBUG", "EMBEDDED_API_ENCRYPTION_KEY"]
    assert "\nSECRET_KEY=\n" not in path.read_text()
    assert read_env_keys(path) == set(added)


def test_setting_a_value_replaces_its_line(tmp_path):
    path = tmp_path / ".env"
    path.write_text("A=1\nOPS_PASSWORD=old\nB=2\n")

    set_env_value(path, "OPS_PASSWORD", "new")

    assert path.read_text() == "A=1\nOPS_PASSWORD=new\nB=2\n"
    assert read_env_keys(path) == {"A", "OPS_PASSWORD", "B"}
