"""Names stay unique under concurrent writers: one request wins, the others get a clean 409
(the database's unique constraints decide, never a 500 or a duplicate)."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from dashboard.embedded_api.models import Action, ConnectorVersion, Definition
from tests.embedded_api.versions_support import (
    action,
    definition,
    make_connector,
    make_version,
    versions_path,
)

pytestmark = [pytest.mark.concurrent_writers, pytest.mark.usefixtures("concurrent_writers")]

WRITERS = 8


def _race(send) -> list[int]:
    with ThreadPoolExecutor(WRITERS) as pool:
        return sorted(pool.map(lambda _: send().status_code, range(WRITERS)))


def test_concurrent_versions_with_one_name_yield_one_version(api):
    connector = make_connector(api.org)
    statuses = _race(lambda: api.post(versions_path(api, connector), json={"name": "1.0.0"}))
    assert statuses == [201] + [409] * (WRITERS - 1)
    assert ConnectorVersion.objects.filter(connector=connector).count() == 1


def test_concurrent_actions_with_one_name_yield_one_action(api):
    connector = make_connector(api.org)
    make_version(api, connector, "1")
    path = f"{versions_path(api, connector)}/1/actions"
    statuses = _race(lambda: api.post(path, json=action()))
    assert statuses == [201] + [409] * (WRITERS - 1)
    assert Action.objects.count() == 1


def test_concurrent_definitions_with_one_name_yield_one_definition(api):
    connector = make_connector(api.org)
    make_version(api, connector, "1")
    path = f"{versions_path(api, connector)}/1/definitions"
    statuses = _race(lambda: api.post(path, json={"definitions": [definition("Product")]}))
    assert statuses == [201] + [409] * (WRITERS - 1)
    assert Definition.objects.count() == 1


def test_publishing_concurrently_publishes_once(api):
    connector = make_connector(api.org)
    make_version(api, connector, "1")
    statuses = _race(lambda: api.post(f"{versions_path(api, connector)}/1/publish"))
    assert statuses == [200] + [409] * (WRITERS - 1)
