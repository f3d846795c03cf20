"""Whatever is posted to the connections pages, the answer is a page or a message, never a
server error: damaged forms, missing management data, unknown ids, wrong types."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.connections.conftest import (
    api_key_config,
    every_scheme_config,
    make_connection,
    make_connector,
    string_credential,
)

pytestmark = pytest.mark.django_db

GARBAGE = [
    {},
    {"name": "x", "variables-TOTAL_FORMS": "many", "action-TOTAL_FORMS": "-1"},
    {"action-TOTAL_FORMS": "1", "action-INITIAL_FORMS": "0", "action-0-scheme": "no-colon"},
    {"action-TOTAL_FORMS": "1", "action-INITIAL_FORMS": "0", "action-0-scheme": ":string"},
    {"add_credential": "sideways", "move": "nonsense:up", "updated_at": "yesterday"},
    {"direction": "up", "updated_at": "2000-01-01T00:00:00+00:00"},
    {"order_action": ",,,", "order_trigger": "x", "name": "\x00"},
    {"confirm": "on", "updated_at": "\x00😀", "expires_at": "31/31/31"},
    {"grant_type": "implicit", "token_url": "http://", "scopes": "a\n" * 600},
]


@pytest.fixture
def urls(api):
    connector = make_connector(api, configs=[*every_scheme_config(), api_key_config()])
    config = connector.auth_scheme_configs[0]
    connection = make_connection(api, connector, action=[string_credential(config, "k")])
    credential = connection.credentials.action[0].credential
    base = f"/connectors/{connector.id}"
    configs = [f"{base}/auth-schemes/{c.id}/edit/" for c in connector.auth_scheme_configs]
    return [
        f"{base}/auth-schemes/new/?type=oauth2",
        f"{base}/auth-schemes/new/?type=bogus",
        *configs,
        f"{base}/auth-schemes/{config.id}/move/",
        f"{base}/auth-schemes/01JQ0N0SUCHAUTHSCHEME00000/move/",
        f"{base}/connections/new/",
        f"{base}/connections/{connection.id}/edit/",
        f"{base}/connections/{connection.id}/oauth2/{config.id}/connect/",
        f"/credentials/{credential.id}/rotate/",
        f"/credentials/{credential.id}/rotate/?next=javascript:alert(1)",
        "/credentials/not-a-ulid/rotate/",
    ]


@pytest.mark.parametrize("data", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_posted_anywhere_is_answered_without_a_server_error(client_as, urls, data):
    client = client_as("admin")
    for url in urls:
        for headers in ({}, {"HX-Request": "true"}):
            response = client.post(url, data, headers=headers)
            assert response.status_code < 500, (url, response.status_code)


@pytest.fixture
def viewer(client_as):
    return client_as("viewer")


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    query=st.dictionaries(
        st.sampled_from(["type", "expiry", "errors", "after"]), st.text(max_size=20), max_size=4
    )
)
def test_any_credentials_filter_is_answered_without_a_server_error(viewer, query):
    response = viewer.get("/credentials/", query)

    assert response.status_code in (200, 400)
