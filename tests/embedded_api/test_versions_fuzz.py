"""Malformed bodies, query strings and path names sent to every operation of the versions
area: the answer is never a 500, and always the contract's JSON (the `api` fixture checks
each response against the contract)."""

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.embedded_api.models import Action, ConnectorVersion, Definition
from tests.embedded_api.versions_support import (
    action,
    definition,
    make_connector,
    make_definitions,
    make_version,
    trigger,
    versions_path,
)

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Text as JSON can carry it: NUL characters and lone surrogates included.
text = st.text(st.characters(codec=None, exclude_categories=[]), max_size=30)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=12,
)
# Any text, percent-encoded as a client would put it in a path.
names = (
    st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=40)
    .filter(lambda name: name.strip(".") != "")
    .map(lambda name: quote(name, safe=""))
)
# A client cannot encode a lone surrogate into a URL (invalid UTF-8 that arrives anyway is
# read as U+FFFD by Django), so query values are any other text, NUL included.
query = st.dictionaries(
    st.sampled_from(["first", "after", "before", "sort", "name", "force"]),
    st.text(st.characters(codec="utf-8", exclude_categories=[]), max_size=30),
    max_size=4,
)
schema_contents = st.fixed_dictionaries(
    {
        "contentType": st.sampled_from(
            ["application/schema+json", "application/schema+yaml", "text/xml", "image/png"]
        ),
        "content": text | json_values.map(json.dumps),
    }
)


def mutated(body: dict) -> st.SearchStrategy:
    """`body` with some of its fields replaced by arbitrary JSON, some dropped."""
    return st.fixed_dictionaries(
        {}, optional={key: json_values | st.just(value) for key, value in body.items()}
    )


def assert_handled(response) -> None:
    assert response.status_code < 500, response.text
    assert (
        response.headers["content-type"].startswith(("application/json", "application/schema+json"))
        or not response.content
    )


def _send(api, method: str, path: str, body=None, params=None):
    return api.request(method, path, content=json.dumps(body), params=params)


@pytest.fixture
def version(api) -> str:
    """A draft version 1 with a definition, an action and a trigger; its path."""
    connector = make_connector(api.org)
    make_version(api, connector, "1")
    make_definitions(api, connector, "1", definition("Product"))
    path = f"{versions_path(api, connector)}/1"
    assert api.post(f"{path}/actions", json=action()).status_code == 201
    assert api.post(f"{path}/triggers", json=trigger()).status_code == 201
    return path


@FUZZ
@given(body=json_values | mutated({"name": "2", "fromVersion": "1"}))
def test_creating_versions_never_fails(api, version, body):
    assert_handled(_send(api, "POST", version.rsplit("/", 1)[0], body))


@FUZZ
@given(data=st.data())
def test_updating_a_version_never_fails(api, version, data):
    current = ConnectorVersion.objects.get()
    template = {"id": current.pk, "name": current.name, "description": "", "isDefault": False}
    assert_handled(_send(api, "PUT", version, data.draw(json_values | mutated(template))))


@FUZZ
@given(body=json_values | mutated(action("Other")), data=st.data())
def test_creating_and_updating_actions_never_fails(api, version, body, data):
    assert_handled(_send(api, "POST", f"{version}/actions", body))
    template = {**action(), "id": Action.objects.values_list("id", flat=True).first()}
    assert_handled(_send(api, "PUT", f"{version}/actions/GetProduct", data.draw(mutated(template))))


@FUZZ
@given(body=json_values | mutated(trigger("Other")))
def test_creating_triggers_never_fails(api, version, body):
    assert_handled(_send(api, "POST", f"{version}/triggers", body))


@FUZZ
@given(
    item=mutated(definition("Other")).flatmap(
        lambda item: st.fixed_dictionaries(
            {key: st.just(value) for key, value in item.items()}
            | {"schema": schema_contents | json_values}
        )
    )
)
def test_creating_definitions_never_fails(api, version, item):
    assert_handled(_send(api, "POST", f"{version}/definitions", {"definitions": [item]}))


@FUZZ
@given(data=st.data())
def test_updating_and_deleting_definitions_never_fails(api, version, data):
    # Drawn from fixed templates: earlier examples may have renamed or deleted Product.
    product = Definition.objects.filter(name="Product").values_list("id", flat=True).first()
    template = {**definition("Product"), "id": product or "01ARZ3NDEKTSV4RRFFQ69G5FAV"}
    update = data.draw(mutated({**template, "schema": data.draw(schema_contents)}))
    assert_handled(_send(api, "PUT", f"{version}/definitions/Product", update))
    body = data.draw(json_values | mutated({"ids": [template["id"]], "names": ["x"], "all": False}))
    assert_handled(_send(api, "DELETE", f"{version}/definitions", body, {"force": "false"}))


@FUZZ
@given(params=query, kind=st.sampled_from(["actions", "triggers", "definitions", ""]))
def test_lists_never_fail_on_any_query(api, version, params, kind):
    path = f"{version}/{kind}" if kind else version.rsplit("/", 1)[0]
    assert_handled(api.get(path, params=params))


@FUZZ
@given(
    name=names,
    method=st.sampled_from(["GET", "PUT", "DELETE", "POST"]),
    suffix=st.sampled_from(["", "/actions/{}", "/triggers/{}", "/definitions/{}", "/publish"]),
)
def test_any_name_in_a_path_is_answered_cleanly(api, version, name, method, suffix):
    versions = version.rsplit("/", 1)[0]
    path = version + suffix.format(name) if suffix else f"{versions}/{name}"
    assert_handled(_send(api, method, path, {}))


@FUZZ
@given(filename=names, version_name=names)
def test_any_raw_schema_path_is_answered_cleanly(api, version, filename, version_name):
    connector_id = version.split("/connectors/", 1)[1].split("/", 1)[0]
    assert_handled(api.get(f"{api.o}/schemas/{connector_id}/{version_name}/{filename}"))
