"""Bulk runs are exercised on connectors, the dashboard's own fixtures for them reused."""

from tests.connectors.conftest import (  # noqa: F401
    api,
    client_as,
    encryption_key,
    fresh_catalogue,
    make_user,
    operator,
)
