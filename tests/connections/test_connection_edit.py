"""Editing a connection: rename, variables, reorder credentials, change a credential's auth
scheme config (same scheme type only), remove one; and no lost updates when two people edit
the same connection."""

import pytest
from django.test import Client

from dashboard.connect import BadRequest, get_client
from dashboard.connect.errors import FieldError
from dashboard.connect.models import AuthSchemeConfigNone, ConnectionVariable
from tests.connections.conftest import (
    api_key_config,
    htmx,
    make_connection,
    make_connector,
    string_credential,
)
from tests.html import field_value, one, parse, text, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def connector(api):
    return make_connector(
        api,
        configs=[
            api_key_config(description="Header key"),
            api_key_config(description="Query key", in_="query"),
            api_key_config(description="Legacy", name="X-Old"),
        ],
    )


@pytest.fixture
def connection(api, connector):
    header = connector.auth_scheme_configs[0]
    return make_connection(
        api,
        connector,
        "production",
        action=[string_credential(header, "first"), string_credential(header, "second")],
        trigger=[string_credential(header, "hook")],
        variables=[ConnectionVariable(name="region", value="eu")],
    )


def url(connector, connection) -> str:
    return f"/connectors/{connector.id}/connections/{connection.id}/edit/"


def form_data(html: str) -> dict:
    """The edit form's fields as the browser would post them (inputs and selected options)."""
    form = one(parse(html), "form#connection-form")
    data = {
        node["name"]: node.get("value", "")
        for node in form.select("input[name]")
        if node.get("type") in ("hidden", "text")
    }
    for select in form.select("select[name]"):
        data[select["name"]] = one(select, "option[selected]")["value"]
    return data


def shown_order(page) -> list[str]:
    """The credentials the form lists in its first (action) section, in order."""
    return texts(parse(page).select("fieldset.links")[0], ".link-row__name strong")


def names(connection, kind="action") -> list[str]:
    return [link.credential.name for link in getattr(connection.credentials, kind)]


def test_the_form_shows_the_connection_as_it_is(operator, connector, connection):
    html = operator.get(url(connector, connection)).text

    data = form_data(html)
    assert data["name"] == "production"
    assert data["variables-0-name"] == "region" and data["variables-0-value"] == "eu"
    assert data["updated_at"] == connection.updated_at.isoformat()
    first, second = (link.id for link in connection.credentials.action)
    assert data["order_action"] == f"{first},{second}"
    assert shown_order(html) == ["first", "second"]


def test_the_scheme_choices_are_those_of_the_same_type(operator, api):
    basic = make_connector(api, configs=[api_key_config(description="Key")])
    api.auth_scheme_configs.upsert(
        basic.id, AuthSchemeConfigNone(id=api_key_config().id, description="Nothing")
    )
    connection = make_connection(
        api, basic, action=[string_credential(basic.auth_scheme_configs[0], "k")]
    )

    doc = parse(operator.get(url(basic, connection)))

    link = connection.credentials.action[0]
    assert texts(doc, f'[name="config_{link.id}"] option') == ["API key: Key"]
    assert "No authentication: Nothing" not in text(doc)


def test_rename_and_new_variables_are_saved(operator, api, connector, connection):
    data = form_data(operator.get(url(connector, connection)).text)
    data |= {"name": "live", "variables-0-value": "us"}

    response = operator.post(url(connector, connection), data)

    assert response.status_code == 302
    saved = api.connections.get(connector.id, connection.id)
    assert saved.name == "live"
    assert [(v.name, v.value) for v in saved.variables] == [("region", "us")]
    assert names(saved) == ["first", "second"]


def test_moving_a_credential_re_renders_the_form_and_saving_keeps_the_new_order(
    operator, api, connector, connection
):
    data = form_data(operator.get(url(connector, connection)).text)
    first, second = (link.id for link in connection.credentials.action)

    moved = operator.post(
        url(connector, connection), {**data, "move": f"{first}:down"}, headers=htmx()
    )

    assert moved.status_code == 422  # a re-render, nothing saved
    assert parse(moved).select(".field__errors, .field--invalid") == []
    assert shown_order(moved) == ["second", "first"]
    assert names(api.connections.get(connector.id, connection.id)) == ["first", "second"]

    saved = operator.post(url(connector, connection), form_data(moved.text))

    assert saved.status_code == 302
    assert names(api.connections.get(connector.id, connection.id)) == ["second", "first"]
    assert form_data(moved.text)["order_action"] == f"{second},{first}"


def test_a_credential_can_use_another_config_of_the_same_scheme_type(
    operator, api, connector, connection
):
    query = connector.auth_scheme_configs[1]
    link = connection.credentials.action[0]
    data = form_data(operator.get(url(connector, connection)).text)

    operator.post(url(connector, connection), {**data, f"config_{link.id}": query.id})

    saved = api.connections.get(connector.id, connection.id)
    assert saved.credentials.action[0].auth_scheme_config.id == query.id


def test_a_removed_credential_leaves_the_connection(operator, api, connector, connection):
    hook = connection.credentials.trigger[0]
    data = form_data(operator.get(url(connector, connection)).text)

    operator.post(url(connector, connection), {**data, f"remove_{hook.id}": "on"})

    saved = api.connections.get(connector.id, connection.id)
    assert names(saved, "trigger") == []
    assert names(saved) == ["first", "second"]


def test_a_damaged_order_is_refused_and_nothing_is_saved(operator, api, connector, connection):
    data = form_data(operator.get(url(connector, connection)).text)

    response = operator.post(
        url(connector, connection), {**data, "order_action": "nonsense", "name": "x"}
    )

    assert response.status_code == 422
    assert "This form no longer matches the connection's credentials; reload the page." in (
        texts(parse(response), ".form-errors[role=alert] p")
    )
    assert api.connections.get(connector.id, connection.id).name == "production"


def test_a_second_editor_gets_a_conflict_and_overwrites_nothing(
    make_user, api, connector, connection
):
    alice, bob = Client(), Client()
    alice.force_login(make_user("operator", "alice"))
    bob.force_login(make_user("operator", "bob"))
    alices_form = form_data(alice.get(url(connector, connection)).text)
    bobs_form = form_data(bob.get(url(connector, connection)).text)

    saved = alice.post(url(connector, connection), {**alices_form, "name": "alice-was-here"})
    assert saved.status_code == 302

    response = bob.post(
        url(connector, connection), {**bobs_form, "name": "bob-was-here"}, headers=htmx()
    )

    assert response.status_code == 422
    doc = parse(response)
    conflict = one(doc, ".conflict[role=alert]")
    assert text(conflict.strong).startswith(
        "Someone else changed this connection after you opened this form."
    )
    assert text(one(conflict, "div:has(> dt:-soup-contains('Name')) dd")) == "alice-was-here"
    assert field_value(doc, "name") == "bob-was-here"  # what Bob typed is kept
    assert api.connections.get(connector.id, connection.id).name == "alice-was-here"
    # Bob's form now carries the current updatedAt: saving again is a deliberate overwrite.
    again = bob.post(url(connector, connection), form_data(response.text))
    assert again.status_code == 302
    assert api.connections.get(connector.id, connection.id).name == "bob-was-here"


def test_a_name_taken_by_another_connection_is_refused_by_the_name(
    operator, api, connector, connection
):
    make_connection(api, connector, "staging")
    data = form_data(operator.get(url(connector, connection)).text)

    response = operator.post(url(connector, connection), {**data, "name": "staging"})

    assert response.status_code == 422
    assert "already exists" in text(one(parse(response), "#id_name_error"))


def test_refusals_about_a_credential_row_and_a_variable_row_land_on_their_cells(
    operator, api, connector, connection, monkeypatch
):
    def refuse(*args, **kwargs):
        raise BadRequest(
            400,
            "bad_request",
            "The connection is not valid.",
            [
                FieldError("credentials.action[1].auth_scheme_config", "is not usable here"),
                FieldError("variables[0].name", "is reserved"),
            ],
        )

    data = form_data(operator.get(url(connector, connection)).text)
    monkeypatch.setattr(get_client().connections, "update", refuse)

    response = operator.post(url(connector, connection), data)

    page = parse(response)
    second = connection.credentials.action[1].id
    assert response.status_code == 422
    assert text(one(page, f"#id_config_{second}_error")) == "is not usable here"
    assert text(one(page, "#id_variables-0-name_error")) == "is reserved"
    assert not page.select(".form-errors")
