"""The documented production settings (compose.yaml's, as in the README) pass Django's
deployment checks, and the settings follow HOST and PORT."""

import os
import subprocess

import yaml

from .servers import BIN, ROOT


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [BIN / "python", "manage.py", *args],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def compose_environment() -> dict:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return compose["services"]["patchbay-a"]["environment"]


def test_the_documented_production_settings_pass_check_deploy():
    done = manage(compose_environment(), "check", "--deploy", "--fail-level", "WARNING")

    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout


def test_both_compose_instances_run_the_same_settings():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]

    assert compose["patchbay-a"] == compose["patchbay-b"]
    assert compose["migrate"]["environment"] == compose["patchbay-a"]["environment"]


def test_the_embedded_api_links_follow_host_and_port():
    show = "from django.conf import settings; print(settings.EMBEDDED_API_PUBLIC_URL)"
    environment = {**compose_environment(), "HOST": "127.0.0.1", "PORT": "8100"}
    del environment["EMBEDDED_API_PUBLIC_URL"]

    done = manage(environment, "shell", "-c", show)

    assert done.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8100/api/connect/v1"
