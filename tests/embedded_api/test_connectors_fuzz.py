"""Malformed bodies, query strings and path ids sent to every connector and catalogue
operation: the answer is never a 500, and always the contract's JSON (the `api` fixture
checks each response against the contract)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.embedded_api.connector_bodies import (
    api_key_config,
    create_http,
    http_connector,
    oauth2_config,
    update_body,
)

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=12,
)
path_ids = st.text(
    st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="/?#%\\"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip(".") != "")
query_params = st.dictionaries(
    st.sampled_from(
        ["first", "after", "before", "sort", "tags", "categories", "name", "protocol", "force"]
    ),
    st.text(st.characters(blacklist_categories=["Cs"]), max_size=30),
    max_size=5,
)


def mutated(body: dict) -> st.SearchStrategy:
    """`body` with some of its fields replaced by arbitrary JSON, some dropped."""
    return st.fixed_dictionaries(
        {},
        optional={name: json_values | st.just(value) for name, value in body.items()},
    )


def assert_handled(response) -> None:
    assert response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/json") or not response.content


@FUZZ
@given(body=json_values | mutated(http_connector(authSchemeConfigs=[api_key_config()])))
def test_create_http_connector_never_fails_on_any_body(api, body):
    assert_handled(api.post(f"{api.o}/protocols/http/connectors", json=body))


@FUZZ
@given(body=json_values | mutated({"name": "w", "datasetId": "a.b", "connections": []}))
def test_create_bigquery_connector_never_fails_on_any_body(api, body):
    assert_handled(api.post(f"{api.o}/protocols/bigquery/connectors", json=body))


@FUZZ
@given(data=st.data())
def test_update_connector_and_its_parts_never_fail_on_any_body(api, data):
    connector = create_http(api)
    path = f"{api.o}/connectors/{connector['id']}"
    config = oauth2_config(grant={"grantType": "password", "clientId": "a", "clientSecret": "b"})
    for suffix, valid in (
        ("", update_body(connector)),
        ("/tags", {"tags": {"env": ["prod"]}}),
        ("/categories", {"categories": ["CRM"]}),
        (f"/auth-scheme-configs/{config['id']}", config),
    ):
        body = data.draw(json_values | mutated(valid))
        assert_handled(api.put(path + suffix, json=body))


@FUZZ
@given(params=query_params)
def test_list_operations_never_fail_on_any_query_string(api, params):
    for path in (f"{api.o}/connectors", "/connectors", f"{api.o}/protocols", "/categories"):
        assert_handled(api.get(path, params=params))


@FUZZ
@given(connector_id=path_ids, config_id=path_ids, slug=path_ids, params=query_params)
def test_operations_never_fail_on_any_path_id(api, connector_id, config_id, slug, params):
    connector = f"{api.o}/connectors/{connector_id}"
    assert_handled(api.get(connector))
    assert_handled(api.delete(connector, params=params))
    assert_handled(api.put(connector, json={}))
    assert_handled(api.put(f"{connector}/tags", json={"tags": {}}))
    assert_handled(api.put(f"{connector}/auth-scheme-configs/{config_id}", json={}))
    assert_handled(api.delete(f"{connector}/auth-scheme-configs/{config_id}"))
    assert_handled(api.get(f"{api.o}/protocols/{slug}/auth-schemes", params=params))


def test_nul_characters_are_refused_with_400_not_stored(api):
    """PostgreSQL cannot store NUL in text: refused up front on every backend."""
    connector = create_http(api)
    config = api_key_config()
    for response, field in (
        (api.post(f"{api.o}/protocols/http/connectors", json=http_connector(name="a\x00")), "name"),
        (
            api.put(f"{api.o}/connectors/{connector['id']}/tags", json={"tags": {"k": ["\x00"]}}),
            "tags.k[0]",
        ),
        (
            api.put(
                f"{api.o}/connectors/{connector['id']}/auth-scheme-configs/{config['id']}",
                json=config | {"description": "\x00"},
            ),
            "description",
        ),
        (api.get(f"{api.o}/connectors", params={"name": "\x00"}), "name"),
        (api.get("/connectors", params={"tags": "env:\x00"}), "tags"),
    ):
        assert response.status_code == 400
        assert response.json()["fields"][0]["field"] == field


def test_a_forged_cursor_holding_nul_is_a_400(api):
    import base64
    import json

    create_http(api)
    forged = json.dumps(["2026-01-01T00:00:00+00:00", "\x00"]).encode()
    response = api.get(
        f"{api.o}/connectors", params={"after": base64.urlsafe_b64encode(forged).decode()}
    )
    assert response.status_code == 400


def test_a_config_path_id_with_nul_is_a_400_naming_it(api):
    connector = create_http(api)
    response = api.delete(f"{api.o}/connectors/{connector['id']}/auth-scheme-configs/a%00b")
    assert response.status_code == 400
    assert response.json()["fields"] == [
        {
            "field": "auth_scheme_config_id",
            "message": "must not contain NUL characters or unpaired surrogates",
        }
    ]
