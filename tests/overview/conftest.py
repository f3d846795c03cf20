"""The overview's fixtures are the connection pages' (the embedded API, users in each role),
and its snapshot computed on the request's own thread, so a test sees it at once."""

import pytest

from dashboard.overview import estate
from tests.connections.conftest import (  # noqa: F401
    api,
    client_as,
    encryption_key,
    fresh_cache,
    make_user,
    operator,
)


@pytest.fixture(autouse=True)
def counted_at_once(monkeypatch):
    monkeypatch.setattr(estate, "start_refresh", estate.refresh)
