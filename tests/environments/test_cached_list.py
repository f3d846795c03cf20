"""The added environments are read once per process and read again as soon as one changes,
in every process: a token in the shared cache (Redis in production; here a cache of the test
process) says which reading is current (dashboard/environments/registry.py)."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboard.environments import registry
from dashboard.environments.models import AddedEnvironment
from dashboard.environments.registry import all_environments, get_environment

pytestmark = pytest.mark.django_db

QA_ORG = "01JQ0PATCHBAYQA0RGAN1SAT00"
TABLE = f'"{AddedEnvironment._meta.db_table}"'


@pytest.fixture
def shared_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test-environments",
        },
    }
    caches["shared"].clear()
    yield caches["shared"]
    caches["shared"].clear()


def environment_reads(captured) -> int:
    return sum(TABLE in query["sql"] for query in captured.captured_queries)


def slugs() -> list[str]:
    return [environment.slug for environment in all_environments()]


def test_pages_after_the_first_read_no_environment_rows(shared_cache, ops_client):
    AddedEnvironment.objects.create(slug="qa", name="QA", organisation_id=QA_ORG)
    ops_client.get("/connectors/")

    with CaptureQueriesContext(connection) as captured:
        page = ops_client.get("/connectors/")
        prefixed = ops_client.get("/env/qa/connectors/")

    assert page.status_code == prefixed.status_code == 200
    assert f'href="{reverse("environment_switch", args=["qa"])}?' in page.content.decode()
    assert environment_reads(captured) == 0


def test_an_environment_added_edited_or_removed_shows_at_once(shared_cache):
    assert "qa" not in slugs()

    row = AddedEnvironment.objects.create(slug="qa", name="QA", organisation_id=QA_ORG)
    assert "qa" in slugs()
    row.name = "Quality"
    row.save()
    assert get_environment("qa").name == "Quality"
    row.delete()
    assert "qa" not in slugs()


def test_a_change_made_by_another_process_shows_at_once(shared_cache):
    AddedEnvironment.objects.create(slug="qa", name="QA", organisation_id=QA_ORG)
    assert "qa" in slugs()
    # Another process removes it: its signal sets a new token in the shared cache; this
    # process's memory still holds the row (the DELETE does not go through this process).
    AddedEnvironment.objects.filter(slug="qa")._raw_delete(AddedEnvironment.objects.db)
    assert "qa" in slugs()

    registry.forget_added_environments()  # what the other process's signal did

    assert "qa" not in slugs()


def test_the_rows_are_read_again_once_the_change_is_committed(
    shared_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        AddedEnvironment.objects.create(slug="qa", name="QA", organisation_id=QA_ORG)
        token = shared_cache.get("environments:token")

    assert shared_cache.get("environments:token") != token


def test_without_a_shared_cache_every_read_asks_the_database():
    # The test settings' shared cache is a dummy (the default cache is per process).
    with CaptureQueriesContext(connection) as captured:
        all_environments()
        all_environments()

    assert environment_reads(captured) == 2
