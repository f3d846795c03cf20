"""The library tests use the connector pages' fixtures."""

from tests.connectors.conftest import (  # noqa: F401
    api,
    client_as,
    dashboard_api,
    encryption_key,
    fault_server,
    fresh_catalogue,
    make_user,
    operator,
    other_api,
    start_fault_server,
)
