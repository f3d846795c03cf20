"""The rotation queue: ticked credentials (or all the worklist's) rotated one after another,
each with its own secret (never stored, never shown again), "Skip", "Stop", and where the
queue is ("2 of 3")."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dashboard.accounts.models import AuditEntry
from dashboard.bulk.models import BulkItem, BulkRun
from dashboard.connect.models import (
    AuthSchemeConfigBasicAuth,
    AuthSchemeConfigNone,
    ConnectionCredentialCreate,
    CredentialCreate,
    CredentialData,
    CredentialDataBasicAuth,
)
from dashboard.connections import rotation_queue, worklist
from dashboard.embedded_api import crypto
from dashboard.embedded_api.connections.credentials import new_credential
from dashboard.embedded_api.models import Credential
from tests.connections.conftest import (
    MARK,
    api_key_config,
    make_connection,
    make_connector,
    secret,
    string_credential,
)
from tests.html import field_value, one, parse, text, texts

pytestmark = pytest.mark.django_db

URL = "/credentials/rotation-queue/"


@pytest.fixture
def three(api):
    connector = make_connector(api, "Acme", configs=[api_key_config()])
    config = connector.auth_scheme_configs[0]
    make_connection(
        api,
        connector,
        "production",
        action=[string_credential(config, name) for name in ("first", "second", "third")],
    )
    return {c.name: c.id for c in Credential.objects.all()}


def stored_secret(credential_id: str) -> str:
    return crypto.decrypt(Credential.objects.get(pk=credential_id).secret_data)["value"]


def start_queue(client, ids) -> str:
    response = client.post(
        "/credentials/rotation-queue/", {"credential": ids, "next": "/credentials/", "confirm": "1"}
    )
    assert response.status_code == 302
    return response["Location"]


def rotate(client, url, value):
    return client.post(
        url,
        {
            "data-value": value,
            "data-value_again": value,
            "name": client.get(url).context["credential"].name,
            "updated_at": client.get(url).context["form"].initial["updated_at"].isoformat(),
            "confirm": "on",
        },
    )


def test_ticking_credentials_previews_the_queue(operator, three):
    response = operator.post(
        "/credentials/rotation-queue/", {"credential": [three["first"], three["third"]]}
    )
    doc = parse(response)
    assert text(one(doc, "h1")) == "Rotate credentials: 2 items"
    # Each says which credential it is, never its secret.
    items = texts(doc, ".bulk-preview__items li")
    assert items[0] == "first (key in header X-API-Key)"
    assert len(items) == 2 and items[1].startswith("third")
    assert "second" not in text(doc)
    assert MARK not in response.text
    assert not BulkRun.objects.exists()


def test_a_queue_of_three_rotates_skips_and_says_where_it_is(operator, three):
    url = start_queue(operator, [three["first"], three["second"], three["third"]])
    new_first, new_third = secret("first"), secret("third")

    page = operator.get(url)
    assert text(one(parse(page), "h1")) == "Rotate “first”: 1 of 3"
    assert text(one(parse(page), "dd.credential-identity")) == "key in header X-API-Key"
    assert rotate(operator, url, new_first).status_code == 302

    assert text(one(parse(operator.get(url)), "h1")) == "Rotate “second”: 2 of 3"
    operator.post(url, {"skip": "1"})

    assert text(one(parse(operator.get(url)), "h1")) == "Rotate “third”: 3 of 3"
    rotate(operator, url, new_third)

    finished = operator.get(url).text
    assert text(one(parse(finished), "h1")) == "Rotation queue finished"
    # The words of the results table: "done", not "rotated".
    assert text(one(parse(finished), ".bulk-progress__count")) == "2 done, 1 skipped, 0 refused."
    assert texts(parse(finished), ".bulk-status") == ["done", "skipped", "done"]
    assert stored_secret(three["first"]) == new_first
    assert stored_secret(three["third"]) == new_third
    assert MARK not in finished
    outcomes = AuditEntry.objects.filter(action="update_credential").values_list(
        "target_id", "outcome"
    )
    assert sorted(outcomes) == sorted(
        [(three["first"], "ok"), (three["second"], "skipped"), (three["third"], "ok")]
    )


def test_a_typing_mistake_stays_on_the_same_credential_without_showing_the_secret(operator, three):
    url = start_queue(operator, [three["first"]])
    typed = secret("typo")

    response = operator.post(
        url,
        {"data-value": typed, "data-value_again": typed + "x", "name": "first", "confirm": "on"},
    )

    assert response.status_code == 422
    assert text(one(parse(response), "h1")) == "Rotate “first”: 1 of 1"
    assert typed not in response.text
    assert BulkItem.objects.get().status == "pending"


def test_the_queue_starts_from_the_current_non_secret_values(operator, api):
    """As on the single rotate page: a basic-auth credential's username is filled in, and a
    token's scopes are kept when only the new access token is typed."""
    connector = make_connector(
        api, "Acme", configs=[AuthSchemeConfigBasicAuth(id=api_key_config().id)]
    )
    make_connection(
        api,
        connector,
        "production",
        action=[
            ConnectionCredentialCreate(
                auth_scheme_config=connector.auth_scheme_configs[0],
                credential=CredentialCreate(
                    name="basic",
                    type="basic-auth",
                    data=CredentialDataBasicAuth(username="ops", password=secret("old")),
                ),
            )
        ],
    )
    token = new_credential(
        api.organisation_id,
        name="token",
        type="oauth2-token",
        data={"scopes": ["contacts:read", "contacts:write"], "accessToken": secret("old")},
    )
    basic = Credential.objects.get(name="basic")
    url = start_queue(operator, [token.id, basic.id])
    access = secret("access")

    page = parse(operator.get(url))
    assert field_value(page, "data-scopes") == "contacts:read contacts:write"
    posted = {  # what the browser sends: the form as shown, the new token typed twice
        "name": field_value(page, "name"),
        "updated_at": field_value(page, "updated_at"),
        "data-scopes": field_value(page, "data-scopes"),
        "data-access_token": access,
        "data-access_token_again": access,
        "confirm": "on",
    }
    assert operator.post(url, posted).status_code == 302
    assert api.credentials.get(token.id).data.scopes == ["contacts:read", "contacts:write"]

    assert field_value(parse(operator.get(url)), "data-username") == "ops"


def test_stopping_leaves_the_rest_as_they_are(operator, three):
    url = start_queue(operator, [three["first"], three["second"]])

    operator.post(url, {"stop": "1"})

    page = parse(operator.get(url))
    assert text(one(page, "h1")) == "Rotation queue stopped"
    assert text(one(page, ".bulk-progress__count")) == "0 done, 0 skipped, 0 refused, 2 not run."
    assert text(one(page, "p.note")) == (
        "The queue was stopped with 2 credentials not rotated, left as they were."
    )
    assert list(BulkItem.objects.values_list("status", flat=True)) == ["pending", "pending"]


def test_the_queue_is_only_for_who_started_it(operator, client_as, three):
    url = start_queue(operator, [three["first"]])
    assert client_as("admin").get(url).status_code == 404


def test_the_worklist_rows_can_be_ticked_for_the_queue(operator, three):
    doc = parse(operator.get("/credentials/"))
    tick = one(doc, f'input[type=checkbox][value="{three["first"]}"]')
    assert (tick["name"], tick["form"]) == ("credential", "credential-queue")
    assert one(doc, "form#credential-queue")


# --- All matching the worklist's filters ----------------------------------------------------


@pytest.fixture
def five(api):
    """API keys `day-1`…`day-5` expiring 1…5 days (and an hour) from now, made out of order;
    `open`, with no secret, expiring among them; `later`, in 60 days."""
    connector = make_connector(
        api, "Acme", configs=[api_key_config(), AuthSchemeConfigNone(id=api_key_config().id)]
    )
    key, none = connector.auth_scheme_configs
    now = timezone.now()
    days = (3, 1, 5, 2, 4, 60)
    make_connection(
        api,
        connector,
        "production",
        action=[
            string_credential(
                key, f"day-{n}" if n < 60 else "later", expires_at=now + timedelta(days=n, hours=1)
            )
            for n in days
        ],
    )
    open_ = CredentialCreate(
        name="open", type="none", data=CredentialData(), expires_at=now + timedelta(hours=60)
    )
    make_connection(
        api,
        connector,
        "staging",
        action=[ConnectionCredentialCreate(auth_scheme_config=none, credential=open_)],
    )
    return {c.name: c.id for c in Credential.objects.all()}


def queued(doc) -> list[str]:
    """The names the preview lists (each label is "name (identity)")."""
    return [label.split(" (")[0] for label in texts(doc, ".bulk-preview__items li")]


def test_all_matching_queues_the_worklists_rotatable_credentials_of_every_page(
    operator, five, monkeypatch
):
    monkeypatch.setattr(worklist, "PER_PAGE", 2)  # the worklist has three pages
    posted = {
        "scope": "all",
        "credential": [five["day-3"], five["day-4"]],  # page 2's, ticked before "Select all"
        "next": "/credentials/?expiry=30&page=2",
    }

    doc = parse(operator.post(URL, posted))

    assert text(one(doc, "h1")) == "Rotate credentials: 5 items"
    assert queued(doc) == ["day-1", "day-2", "day-3", "day-4", "day-5"]  # no "open", no "later"
    assert not doc.select(".bulk-preview__notice")
    assert not BulkRun.objects.exists()

    response = operator.post(URL, {**posted, "confirm": "1"})

    run = BulkRun.objects.get()
    assert response["Location"] == f"/credentials/rotation-queue/{run.pk}/"
    assert run.back_url == "/credentials/?expiry=30&page=2"
    assert [(i.key, i.label) for i in run.items.all()] == [
        (five[name], name) for name in ("day-1", "day-2", "day-3", "day-4", "day-5")
    ]


def test_all_matching_queues_at_most_a_queues_worth_and_says_so(operator, five, monkeypatch):
    monkeypatch.setattr(rotation_queue, "MOST", 3)
    posted = {"scope": "all", "next": "/credentials/"}

    doc = parse(operator.post(URL, posted))

    assert text(one(doc, "h1")) == "Rotate credentials: 3 items"
    assert text(one(doc, ".bulk-preview__notice")) == (
        "The first 3 of 6, soonest expiry first; run again for the rest."
    )
    assert queued(doc) == ["day-1", "day-2", "day-3"]
    operator.post(URL, {**posted, "confirm": "1"})
    assert list(BulkItem.objects.values_list("label", flat=True)) == ["day-1", "day-2", "day-3"]


def test_all_matching_with_invalid_filters_is_explained_and_queues_nothing(operator, five):
    posted = {"scope": "all", "next": "/credentials/?expiry=soonish", "confirm": "1"}

    response = operator.post(URL, posted)

    assert response.status_code == 400
    assert texts(parse(response), ".form-errors li") == [
        "The worklist's filters are not valid any more; filter it again."
    ]
    assert not BulkRun.objects.exists()


def test_all_matching_with_nothing_to_rotate_is_explained(operator, five):
    response = operator.post(URL, {"scope": "all", "next": "/credentials/?type=none"})

    assert response.status_code == 400
    assert texts(parse(response), ".form-errors li") == [
        "No credential matching these filters can be rotated."
    ]


def test_nothing_ticked_is_explained(operator, five):
    response = operator.post(URL, {"next": "/credentials/"})

    assert response.status_code == 400
    assert texts(parse(response), ".form-errors li") == ["Tick a credential to rotate."]


def test_the_worklist_says_how_many_cannot_be_rotated(operator, five, client_as):
    """Seven credentials, six of them rotatable: the count says why one cannot be ticked."""
    count = text(one(parse(operator.get("/credentials/")), "#credential-results-count"))
    assert count == "7 credentials (1 of type None, with no secret to rotate)"
    assert text(one(parse(operator.get("/credentials/?type=string")), ".results-count")) == (
        "6 credentials"
    )
    viewer = client_as("viewer")  # who cannot rotate is not told
    assert text(one(parse(viewer.get("/credentials/")), ".results-count")) == "7 credentials"


def select_all(page) -> list:
    return parse(page).select("form#credential-queue [data-select-all-matching]")


def test_select_all_matching_is_offered_when_the_rotatable_rows_span_pages(
    operator, five, monkeypatch
):
    monkeypatch.setattr(worklist, "PER_PAGE", 2)

    [button] = select_all(operator.get("/credentials/?expiry=30"))
    assert text(button) == "Select all 5 matching these filters"
    assert button["data-total"] == "5" and button.has_attr("hidden")  # bulk.js shows it
    # day-1 and day-2 fill the first page; "open" on the second cannot be rotated.
    assert select_all(operator.get("/credentials/?expiry=3")) == []
    assert select_all(operator.get("/credentials/?expiry=2")) == []
