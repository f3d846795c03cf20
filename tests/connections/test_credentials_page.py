"""The Credentials page, the rotation worklist: every credential with its type, name, users,
expiry and errors; expired and soonest first; filters by type, expiry and errors."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from ulid import ULID

from dashboard.connect import Unreachable
from dashboard.connect.models import (
    AuthSchemeConfigBasicAuth,
    AuthSchemeConfigNone,
    ConnectionCredentialCreate,
    CredentialCreate,
    CredentialData,
    CredentialDataBasicAuth,
)
from dashboard.connections import worklist
from dashboard.embedded_api.connections.credentials import new_credential
from dashboard.embedded_api.models import Credential
from tests.connections.conftest import (
    api_key_config,
    htmx,
    make_connection,
    make_connector,
    secret,
    string_credential,
)
from tests.html import field_value, one, parse, text, texts

pytestmark = pytest.mark.django_db

URL = "/credentials/"


@pytest.fixture
def credentials(api):
    """Credentials expiring at different times, one with errors, one of another type."""
    connector = make_connector(
        api, configs=[api_key_config(), AuthSchemeConfigNone(id=api_key_config().id)]
    )
    key, open_ = connector.auth_scheme_configs
    now = timezone.now()
    connection = make_connection(
        api,
        connector,
        "production",
        action=[
            string_credential(key, "in-20-days", expires_at=now + timedelta(days=20)),
            string_credential(key, "in-3-days", expires_at=now + timedelta(days=3)),
            string_credential(key, "never"),
            string_credential(key, "expired", expires_at=now + timedelta(days=40)),
        ],
    )
    # Expiry in the past cannot be set through the dashboard; it happens with time.
    Credential.objects.filter(name="expired").update(expires_at=now - timedelta(days=1))
    Credential.objects.filter(name="in-20-days").update(errors=["The provider refused it."])
    make_connection(
        api,
        connector,
        "staging",
        action=[
            ConnectionCredentialCreate(
                auth_scheme_config=open_,
                credential=CredentialCreate(name="open", type="none", data=CredentialData()),
            )
        ],
    )
    return connector, connection


def order(page) -> list[str]:
    return texts(parse(page), ".credentials-table tbody tr td strong")


def row_of(doc, name: str):
    """The table row of the credential named `name`."""
    [row] = [row for row in doc.select(".credentials-table tbody tr") if text(row.strong) == name]
    return row


def test_every_credential_is_listed_expired_and_soonest_first(operator, credentials):
    response = operator.get(URL)

    assert order(response) == ["expired", "in-3-days", "in-20-days", "never", "open"]
    assert text(one(parse(response), "#credential-results-count")) == (
        "5 credentials (1 of type None, with no secret to rotate)"
    )


def test_each_row_shows_type_users_expiry_errors_and_rotate(operator, credentials):
    connector, connection = credentials
    doc = parse(operator.get(URL))

    row = row_of(doc, "in-3-days")
    assert "Secret string" in texts(row, "td")
    [used_by] = row.select("ul.plain-list a")
    assert used_by["href"] == f"/connectors/{connector.id}/connections/{connection.id}/"
    assert text(used_by) == "Acme / production"
    assert one(row, ".expiry.expiry--soon")
    assert text(one(row, "a.button.button--primary")) == "Rotate in-3-days"
    assert texts(row_of(doc, "in-20-days"), ".credential-errors li") == ["The provider refused it."]
    assert text(one(row_of(doc, "expired"), ".expiry--expired")).startswith("Expired ")
    assert one(row_of(doc, "expired"), ".expiry--expired time")
    assert row_of(doc, "open").select("a.button") == []  # nothing to rotate


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=none", ["open"]),
        ("type=string", ["expired", "in-3-days", "in-20-days", "never"]),
        ("expiry=7", ["in-3-days"]),
        ("expiry=30", ["in-3-days", "in-20-days"]),
        ("expiry=expired", ["expired"]),
        ("errors=on", ["in-20-days"]),
        ("type=string&expiry=30&errors=on", ["in-20-days"]),
        ("expiry=4", ["in-3-days"]),  # any N days, from a link
        ("expiry=25", ["in-3-days", "in-20-days"]),
    ],
)
def test_filters_narrow_the_list(operator, credentials, query, expected):
    assert order(operator.get(f"{URL}?{query}").text) == expected


def test_filters_that_match_nothing_say_so(operator, credentials):
    doc = parse(operator.get(f"{URL}?type=certificate"))

    assert texts(doc, "#credential-results .empty-state p")[0] == (
        "No credentials match these filters."
    )


def test_an_htmx_filter_request_gets_just_the_results(operator, credentials):
    response = operator.get(f"{URL}?expiry=7", headers=htmx("credential-results"))

    assert parse(response).select("html, body, h1") == []
    assert order(response) == ["in-3-days"]
    assert "Vary" in response and "HX-Request" in response["Vary"]


def test_an_invalid_filter_is_explained_without_a_list(operator, credentials):
    page = operator.get(f"{URL}?expiry=forever")
    fragment = operator.get(f"{URL}?type=jwt", headers=htmx("credential-results"))

    assert page.status_code == 400
    assert text(one(parse(page), "#credential-results [role=alert]")).startswith(
        "These filters are not valid"
    )
    assert fragment.status_code == 422


def test_a_viewer_sees_the_list_without_rotate(client_as, credentials):
    doc = parse(client_as("viewer").get(URL))

    assert "never" in texts(doc, ".credentials-table tbody strong")
    assert "Rotate" not in text(doc)
    assert doc.select("#credential-queue, a[href*='/rotate']") == []


def test_with_no_credentials_the_page_says_where_they_come_from(operator):
    doc = parse(operator.get(URL))

    assert text(one(doc, "#credential-results .empty-state")).startswith(
        "There are no credentials yet."
    )
    assert texts(doc, '[aria-current="page"]') == ["Credentials"]


def test_any_n_days_is_offered_back_in_the_expiry_list(operator, credentials):
    doc = parse(operator.get(f"{URL}?expiry=25"))
    assert field_value(doc, "expiry") == "25"
    assert text(one(doc, '[name="expiry"] option[value="25"]')) == "Expires within 25 days"


@pytest.mark.parametrize("query", ["expiry=0", "expiry=3651", "expiry=-3"])
def test_days_out_of_range_are_refused(operator, credentials, query):
    assert operator.get(f"{URL}?{query}").status_code == 400


def test_the_connector_filter_offers_the_connectors_using_them(operator, api, credentials):
    connector, _ = credentials
    other = make_connector(api, "Other")
    make_connection(
        api, other, "solo", action=[string_credential(other.auth_scheme_configs[0], "solo")]
    )

    doc = parse(operator.get(URL))
    assert text(one(doc, f'[name="connector"] option[value="{connector.id}"]')) == "Acme"
    assert order(operator.get(f"{URL}?connector={other.id}").text) == ["solo"]


OPTIONS = "/credentials/connector-options/"


def connector_options(doc) -> list[str]:
    return texts(doc, '[name="connector"] option')


def listing_connectors(api, monkeypatch) -> list[dict]:
    """The arguments of each ListConnectors call from now on."""
    listed = []
    real = type(api.connectors).list
    monkeypatch.setattr(
        type(api.connectors), "list", lambda self, **kw: listed.append(kw) or real(self, **kw)
    )
    return listed


def unreachable(self, *args, **kwargs):
    raise Unreachable()


def test_the_page_offers_the_connectors_in_use_and_lists_no_connectors(
    operator, api, credentials, monkeypatch
):
    make_connector(api, "Unused")
    listed = listing_connectors(api, monkeypatch)

    doc = parse(operator.get(f"{URL}?expiry=7"))
    operator.get(f"{URL}?expiry=7", headers=htmx("credential-results"))

    assert listed == []  # every connector is loaded only when the filter is reached for
    assert connector_options(doc) == ["Any connector", "Acme"]
    select = one(doc, '[name="connector"]')
    assert select["hx-get"] == OPTIONS
    assert select["hx-trigger"] == "focus once, pointerenter once"
    assert (select["hx-target"], select["hx-swap"]) == ("this", "innerHTML")
    assert select["hx-push-url"] == "false"  # not the form's, which pushes the results' URL


def test_the_options_are_every_connector_by_name_the_choice_selected(operator, api, credentials):
    unused = make_connector(api, "bravo")  # no credentials: in no row
    make_connector(api, "Zulu")

    response = operator.get(f"{OPTIONS}?type=none&connector={unused.id}", headers=htmx())

    assert response.status_code == 200
    doc = parse(response)
    assert texts(doc, "option") == ["Any connector", "Acme", "bravo", "Zulu"]
    assert text(one(doc, "option[selected]")) == "bravo"
    assert one(doc, "option[selected]")["value"] == unused.id
    assert doc.select("select, html, body") == []  # swapped into the page's select


def test_the_options_read_a_bounded_number_of_pages(operator, api, credentials, monkeypatch):
    for name in ("B", "C", "D", "E"):
        make_connector(api, name)
    listed = listing_connectors(api, monkeypatch)
    monkeypatch.setattr(worklist, "LARGEST_PAGE", 1)
    monkeypatch.setattr(worklist, "MAX_CONNECTORS", 2)

    doc = parse(operator.get(OPTIONS, headers=htmx()))

    # The two most recently updated (E and D, the first two pages), and Acme, used by a row.
    assert texts(doc, "option") == ["Any connector", "Acme", "D", "E"]
    assert text(one(doc, "option[selected]")) == "Any connector"
    assert listed == [{"first": 1}]  # the second page came from the first's cursor


def test_when_the_connectors_cannot_be_listed_the_options_are_those_in_use(
    operator, api, credentials, monkeypatch
):
    make_connector(api, "Unused")
    other = make_connector(api, "Other")
    make_connection(
        api, other, "solo", action=[string_credential(other.auth_scheme_configs[0], "solo")]
    )

    connector, _ = credentials
    monkeypatch.setattr(type(api.connectors), "list", unreachable)
    response = operator.get(f"{OPTIONS}?type=string&connector={connector.id}", headers=htmx())

    assert response.status_code == 200
    doc = parse(response)
    assert texts(doc, "option") == ["Any connector", "Acme", "Other"]
    assert one(doc, "option[selected]")["value"] == connector.id


def api_calls(api, monkeypatch) -> list[str]:
    """Each call to the API from now on, as "METHOD path" (no query)."""
    calls = []
    real = type(api.session).request
    monkeypatch.setattr(
        type(api.session),
        "request",
        lambda self, method, path, **kw: (
            calls.append(f"{method} {path}") or real(self, method, path, **kw)
        ),
    )
    return calls


def get_connector(api, connector_id: str) -> str:
    """GetConnector, as `api_calls` records it."""
    return f"GET o/{api.organisation_id}/connectors/{connector_id}"


def selected(doc):
    return one(doc, '[name="connector"] option[selected]')


def test_a_chosen_connector_no_credential_uses_is_shown_by_name(
    operator, api, credentials, monkeypatch
):
    unused = make_connector(api, "Unused")  # not in use: the page's list does not name it
    calls = api_calls(api, monkeypatch)

    doc = parse(operator.get(f"{URL}?connector={unused.id}"))
    chosen_calls = calls.copy()
    calls.clear()
    operator.get(f"{URL}?type=binary")  # no rows either, and no connector chosen

    assert (text(selected(doc)), selected(doc)["value"]) == ("Unused", unused.id)
    assert order(str(doc)) == []
    # One call more than with no connector chosen: GetConnector, for the chosen one.
    assert chosen_calls == [*calls, get_connector(api, unused.id)]


def test_a_chosen_connector_in_use_is_named_by_the_list(operator, api, credentials, monkeypatch):
    connector, _ = credentials
    calls = api_calls(api, monkeypatch)

    doc = parse(operator.get(f"{URL}?connector={connector.id}"))

    assert (text(selected(doc)), selected(doc)["value"]) == ("Acme", connector.id)
    assert order(str(doc)) != []
    assert get_connector(api, connector.id) not in calls


def test_the_results_alone_read_no_connector(operator, api, credentials, monkeypatch):
    unused = make_connector(api, "Unused")
    calls = api_calls(api, monkeypatch)

    response = operator.get(f"{URL}?connector={unused.id}", headers=htmx("credential-results"))

    assert response.status_code == 200
    assert get_connector(api, unused.id) not in calls  # no filter shown to name it in


@pytest.mark.parametrize("failure", ["missing", "unreachable"])
def test_a_chosen_connector_that_cannot_be_read_is_shown_by_its_id(
    operator, api, credentials, monkeypatch, failure
):
    chosen = str(ULID())  # no such connector
    if failure == "unreachable":
        chosen = make_connector(api, "Unused").id
        monkeypatch.setattr(type(api.connectors), "get", unreachable)
    calls = api_calls(api, monkeypatch)

    response = operator.get(f"{URL}?connector={chosen}")

    assert response.status_code == 200
    assert (text(selected(parse(response))), selected(parse(response))["value"]) == (
        chosen,
        chosen,
    )
    if failure == "missing":
        assert calls[-1] == get_connector(api, chosen)


def test_when_the_connectors_cannot_be_listed_the_chosen_one_is_named(
    operator, api, credentials, monkeypatch
):
    unused = make_connector(api, "Unused")
    monkeypatch.setattr(type(api.connectors), "list", unreachable)

    doc = parse(operator.get(f"{OPTIONS}?connector={unused.id}", headers=htmx()))

    assert texts(doc, "option") == ["Any connector", "Acme", "Unused"]
    assert one(doc, "option[selected]")["value"] == unused.id


def test_the_list_exports_as_filtered_in_csv_and_json(client_as, credentials):
    viewer = client_as("viewer")

    as_csv = viewer.get("/credentials/export/?expiry=30&format=csv")
    as_json = viewer.get("/credentials/export/?expiry=30&format=json").json()

    assert as_csv["Content-Disposition"].startswith('attachment; filename="credentials-')
    lines = as_csv.text.splitlines()
    assert lines[0] == "id,name,type,auth_scheme_type,expires_at,state,errors,used_by"
    assert [line.split(",")[1] for line in lines[1:]] == ["in-3-days", "in-20-days"]
    assert [(r["name"], r["state"], r["used_by"]) for r in as_json] == [
        ("in-3-days", "soon", ["Acme / production"]),
        ("in-20-days", "ok", ["Acme / production"]),
    ]
    assert as_json[1]["errors"] == ["The provider refused it."]


def test_an_export_with_invalid_filters_shows_the_page_with_the_filters_error(
    client_as, credentials
):
    response = client_as("viewer").get("/credentials/export/?expiry=abc&format=csv")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    doc = parse(response)
    assert text(one(doc, "h1")) == "Credentials"
    assert texts(doc, "#credential-results .form-errors p") == [
        "These filters are not valid; choose from the lists above."
    ]
    assert one(doc, '[name="expiry"]')["aria-invalid"] == "true"


def test_an_unknown_export_format_is_refused_with_the_ones_there_are(client_as, credentials):
    viewer = client_as("viewer")

    refused = viewer.get("/credentials/export/?format=xml")
    default = viewer.get("/credentials/export/")

    assert refused.status_code == 400
    assert refused.content.decode() == "Unknown export format: use format=csv or format=json."
    assert default["Content-Type"].startswith("text/csv")


def test_each_row_says_which_credential_it_is_without_its_secret(operator, api, credentials):
    connector, _ = credentials
    basic = make_connector(api, "Basic", configs=[AuthSchemeConfigBasicAuth(id=str(ULID()))])
    planted = secret("password")
    make_connection(
        api,
        basic,
        action=[
            ConnectionCredentialCreate(
                auth_scheme_config=basic.auth_scheme_configs[0],
                credential=CredentialCreate(
                    name="alice's login",
                    type="basic-auth",
                    data=CredentialDataBasicAuth(username="alice", password=planted),
                ),
            )
        ],
    )
    new_credential(
        settings.CONNECT_ORGANISATION_ID,
        name="spare client",
        type="oauth2-client",
        data={
            "clientId": "acme-app",
            "clientSecret": planted,
            "authorizeUrl": "",
            "tokenUrl": "https://provider.test/token",
        },
    )

    response = operator.get(URL)

    assert planted not in response.text
    html = parse(response)
    assert identity_of(html, "alice's login") == "user alice"
    assert identity_of(html, "spare client") == "client acme-app"  # used by no connection
    assert identity_of(html, "in-3-days") == "key in header X-API-Key"
    assert identity_of(html, "open") is None  # nothing tells it apart but its name


def identity_of(doc, name: str) -> str | None:
    found = texts(row_of(doc, name), ".credential-identity")
    return found[0] if found else None


def test_credentials_are_read_a_page_of_rows_at_a_time(operator, api, monkeypatch):
    connector = make_connector(api)
    key = connector.auth_scheme_configs[0]
    for batch in range(3):  # 60 credentials over three connections
        make_connection(
            api,
            connector,
            f"c{batch}",
            action=[string_credential(key, f"key-{batch}-{n:02}") for n in range(20)],
        )
    calls = []
    for resource in (api.connections, api.credentials):
        real = resource.get
        monkeypatch.setattr(resource, "get", lambda *a, real=real: calls.append(a) or real(*a))

    first = parse(operator.get(URL))
    read_for_first = len(calls)
    second = parse(operator.get(f"{URL}?page=2"))

    assert read_for_first == 3  # one GetConnectorConnection per connection, not per row
    assert text(first.select_one("#credential-results-count")).startswith("1–50 of 60")
    assert len(first.select(".credential-identity")) == worklist.PER_PAGE
    assert len(second.select(".credentials-table tbody tr")) == 10
    assert second.select_one(".pager [rel=prev]")["href"] == "?page=1"


def test_a_list_seen_before_reads_nothing_and_a_changed_key_name_shows_at_once(
    operator, api, credentials, monkeypatch
):
    connector, _ = credentials
    operator.get(URL)
    calls = []
    for resource in (api.connections, api.credentials):
        real = resource.get
        monkeypatch.setattr(resource, "get", lambda *a, real=real: calls.append(a) or real(*a))

    operator.get(URL)
    assert calls == []  # every identity came from the cache

    key = connector.auth_scheme_configs[0].model_copy(update={"name": "X-Acme-Key"})
    api.auth_scheme_configs.upsert(connector.id, key)
    doc = parse(operator.get(URL))

    assert identity_of(doc, "in-3-days") == "key in header X-Acme-Key"
