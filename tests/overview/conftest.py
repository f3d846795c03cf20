"""The overview's fixtures are the connection pages' (the embedded API, users in each role);
its snapshot is computed on the request's own thread (tests/conftest.py)."""

from tests.connections.conftest import (  # noqa: F401
    api,
    client_as,
    encryption_key,
    fresh_cache,
    make_user,
    operator,
)
