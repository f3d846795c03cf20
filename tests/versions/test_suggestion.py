"""The version name suggested where a new version is created: the next semantic version from
what it changes against the latest published version."""

import pytest

from tests.html import field_value, parse
from tests.versions.conftest import fill_version, make_connector

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client_as):
    return client_as("publisher")


@pytest.fixture
def semver(api):
    """A connector with 1.0.0 (filled, published) and 1.1.0 (a draft copy)."""
    made = make_connector(api, "Semver")
    api.versions.create(made.id, "1.0.0")
    fill_version(api, made.id, "1.0.0")
    api.versions.publish(made.id, "1.0.0")
    api.versions.create(made.id, "1.1.0", from_version="1.0.0")
    return made


def name_offered(manager, connector_id: str, query: str = "") -> str:
    return field_value(
        parse(manager.get(f"/connectors/{connector_id}/new-version/{query}")), "name"
    )


def test_a_copy_of_the_latest_is_offered_the_next_patch(manager, semver):
    assert name_offered(manager, semver.id, "?from=1.0.0") == "1.1.1"


def test_a_blank_version_removes_everything_so_a_major_is_offered(manager, semver):
    assert name_offered(manager, semver.id) == "2.0.0"


def test_no_name_is_offered_when_the_names_are_not_semantic_versions(manager, api, connector):
    assert name_offered(manager, connector.id, "?from=1.0") == ""
