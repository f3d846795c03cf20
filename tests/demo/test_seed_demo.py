"""`manage.py seed_demo`: demo data that is there once, however often `make run` seeds."""

import hashlib
import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from dashboard.accounts.roles import ROLES
from dashboard.demo import catalogue
from dashboard.demo.ids import demo_id
from dashboard.demo.seed import seed
from dashboard.embedded_api.models import Connector
from tests.demo.api import DemoApi
from tests.demo.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

TIMES = {"createdAt", "updatedAt", "publishedAt", "expiresAt"}


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in apps.get_app_config("embedded_api").get_models()
    }


def listing_digest(api: DemoApi) -> str:
    """What the API shows: every connector (with its configs, connections and versions),
    the library and the credentials."""
    listing = {
        "connectors": api.all("connectors", "connectors"),
        "library": api.all("/connectors", "connectors"),
        "credentials": api.all("credentials", "credentials"),
    }
    return hashlib.sha256(json.dumps(listing, sort_keys=True).encode()).hexdigest()


def without_times(data):
    if isinstance(data, dict):
        return {key: without_times(value) for key, value in data.items() if key not in TIMES}
    if isinstance(data, list):
        return [without_times(value) for value in data]
    return data


def test_seeding_again_changes_nothing(seeded, run_seed, settings):
    before, digest = counts(), listing_digest(DemoApi())

    again = run_seed()

    assert "Seeded 55 demo connectors" in seeded
    assert "Demo data already present" in again
    assert "Staging's demo data already present" in again
    assert counts() == before
    assert listing_digest(DemoApi()) == digest
    # 41 HTTP and 3 BigQuery connectors of ours, 10 in the library, 1 imported from it; and
    # the same but the library in staging.
    assert before["Connector"] == len(catalogue.CONNECTORS) + 3 + 10 + 1 + 45 == 100


def test_a_second_run_only_looks(seeded, settings, django_assert_max_num_queries):
    # Which demo connectors exist, their logos' URLs, and whether the library import was made.
    with django_assert_max_num_queries(3):
        assert seed(settings.CONNECT_ORGANISATION_ID, timezone.now()) == 0


def test_a_run_on_another_port_points_the_demo_logos_there(seeded, settings):
    settings.EMBEDDED_API_PUBLIC_URL = "http://127.0.0.1:8100/api/connect/v1"

    seed(settings.CONNECT_ORGANISATION_ID, timezone.now())

    # The organisation seeded and the library's (staging's follow when staging is seeded).
    ours = [settings.CONNECT_ORGANISATION_ID, catalogue.LIBRARY_ORGANISATION_ID]
    logos = Connector.objects.filter(organisation_id__in=ours).exclude(image_url="")
    logos = logos.values_list("image_url", flat=True)
    assert logos
    assert all(logo.startswith("http://127.0.0.1:8100/static/demo/logos/") for logo in logos)


def test_demo_records_have_stable_ids(seeded, settings):
    ids = set(Connector.objects.values_list("pk", flat=True))

    for item in catalogue.CONNECTORS + catalogue.WAREHOUSES:
        assert demo_id("connector", settings.CONNECT_ORGANISATION_ID, item.slug) in ids
    for item in catalogue.LIBRARY:
        assert demo_id("connector", catalogue.LIBRARY_ORGANISATION_ID, item.slug) in ids


def test_a_demo_connector_deleted_by_hand_comes_back_as_it_was(seeded, run_seed, settings):
    paystream = demo_id("connector", settings.CONNECT_ORGANISATION_ID, "paystream")
    api = DemoApi()
    before = api.get(f"connectors/{paystream}")
    Connector.objects.get(pk=paystream).delete()

    assert "Seeded 1 demo connectors" in run_seed()

    after = api.get(f"connectors/{paystream}")
    assert without_times(after) == without_times(before)
    assert after["connections"] and after["versions"]


def test_it_says_what_it_seeded(seeded, settings):
    assert f"Organisation {settings.CONNECT_ORGANISATION_ID}: 45 connectors" in seeded
    assert "3 expire within 7 days, 3 expired, 3 with errors" in seeded
    assert "Library: 12 public connectors, 10 of other organisations" in seeded


def test_it_creates_one_user_per_role_and_says_how_to_log_in(seeded):
    for role in ROLES:
        user = get_user_model().objects.get(username=role)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert user.check_password(DEMO_PASSWORD)
        assert f"{role} / $DEMO_PASSWORD" in seeded
    assert DEMO_PASSWORD not in seeded


def test_without_a_demo_password_one_is_generated_into_the_env_file(
    seeded, run_seed, monkeypatch, tmp_path
):
    get_user_model().objects.filter(username__in=list(ROLES)).delete()
    monkeypatch.setenv("DEMO_PASSWORD", "")

    out = run_seed()

    saved = (tmp_path / ".env").read_text().split("DEMO_PASSWORD=")[1].strip()
    assert len(saved) >= 16
    assert saved not in out
    assert get_user_model().objects.get(username="admin").check_password(saved)


def test_with_a_remote_connect_api_nothing_is_seeded(seeded, run_seed, settings):
    Connector.objects.all().delete()
    settings.CONNECT_API_URL = "http://127.0.0.1:9/api/connect/v1"

    out = run_seed()

    assert "no demo data is seeded" in out
    assert not Connector.objects.exists()
    assert get_user_model().objects.filter(username__in=ROLES).count() == len(ROLES)
