"""Patchbay's settings plus the benchmark's connector admin (tests/bench/connector_admin)."""

from dashboard.settings import *  # noqa: F403
from dashboard.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.bench.connector_admin"]
