"""The bulk-run mechanism: items run one by one through the service layer, each with its own
result and audit entry; role checks per item; a failure halfway pauses with nothing lost;
cancel; running again does only what is left."""

import pytest
from ulid import ULID

from dashboard.accounts.models import AuditEntry
from dashboard.accounts.roles import assign_role
from dashboard.bulk import runs
from dashboard.bulk.actions import ADD_TAG, DELETE_CONNECTORS
from dashboard.bulk.models import BulkItem
from dashboard.connect import Unreachable
from dashboard.embedded_api.models import ConnectorVersion, Subscription
from tests.connectors.conftest import make_connector
from tests.html import one, parse, text, texts

pytestmark = pytest.mark.django_db


def start(user, action, connectors, **params):
    items = [(c.id, c.name) for c in connectors]
    return runs.start(user, runs.ACTIONS[action], items, params, "/")


def results(run):
    return [(item.label, item.status, item.message) for item in run.items.all()]


def test_a_run_adds_a_tag_to_each_and_skips_those_that_have_it(api, make_user):
    user = make_user("operator")
    first = make_connector(api, "Alpha")
    second = make_connector(api, "Beta", tags={"team": ["core"]})
    run = start(user, ADD_TAG, [first, second], tag="team:core")

    runs.step(run, user)

    assert results(run) == [
        ("Alpha", "done", ""),
        ("Beta", "skipped", "Already has this tag."),
    ]
    assert api.connectors.get(first.id).tags == {"team": ["core"]}
    entries = AuditEntry.objects.filter(action="update_connector_tags").order_by("id")
    assert [(e.target_id, e.outcome, e.username) for e in entries] == [
        (first.id, "ok", user.username),
        (second.id, "skipped", user.username),
    ]


def test_refusals_carry_the_apis_reason_and_the_others_go_on(api, make_user):
    user = make_user("operator")
    free, used = make_connector(api, "Free"), make_connector(api, "Used")
    version = ConnectorVersion.objects.create(connector_id=used.id, name="1.0")
    Subscription.objects.create(version=version, subscriber="switchboard", reference="b")
    run = start(user, DELETE_CONNECTORS, [used, free], force=False)

    runs.step(run, user)

    (_, used_status, reason), free_result = results(run)
    assert used_status == "refused" and "in use" in reason
    assert free_result == ("Free", "done", "")
    assert runs.progress(run).refused == 1


def test_each_item_checks_the_role_when_it_runs(api, make_user):
    user = make_user("operator")
    connector = make_connector(api, "Alpha")
    run = start(user, DELETE_CONNECTORS, [connector], force=True)

    runs.step(run, user)

    [(_, status, reason)] = results(run)
    assert status == "refused" and "admin role" in reason
    assert api.connectors.get(connector.id).name == "Alpha"
    assert AuditEntry.objects.get(action="delete_connector").outcome == "forbidden"


def test_a_role_taken_away_mid_run_refuses_the_items_left(api, make_user):
    user = make_user("operator")
    connectors = [make_connector(api, name) for name in ("A", "B")]
    run = start(user, ADD_TAG, connectors, tag="x")
    runs.step(run, user, budget=0)  # one item
    assign_role(user, "viewer")

    runs.step(run, user)

    assert [status for _, status, _ in results(run)] == ["done", "refused"]


def test_an_api_failure_pauses_the_run_and_loses_nothing(api, make_user, monkeypatch):
    user = make_user("operator")
    connectors = [make_connector(api, name) for name in ("A", "B", "C")]
    run = start(user, ADD_TAG, connectors, tag="x")
    runs.step(run, user, budget=0)
    real = type(api.connectors).update_tags

    def unreachable(self, *args, **kwargs):
        raise Unreachable()

    monkeypatch.setattr(type(api.connectors), "update_tags", unreachable)
    runs.step(run, user)

    assert "could not be reached" in run.stopped
    assert [status for _, status, _ in results(run)] == ["done", "pending", "pending"]
    assert not runs.is_active(run, runs.progress(run))

    monkeypatch.setattr(type(api.connectors), "update_tags", real)
    runs.resume(run)
    runs.step(run, user)
    assert [status for _, status, _ in results(run)] == ["done", "done", "done"]


def test_a_cancelled_run_takes_no_more_items(api, make_user):
    user = make_user("operator")
    connectors = [make_connector(api, name) for name in ("A", "B")]
    run = start(user, ADD_TAG, connectors, tag="x")
    runs.step(run, user, budget=0)
    runs.cancel(run)

    runs.step(run, user)

    assert [status for _, status, _ in results(run)] == ["done", "pending"]
    assert api.connectors.get(connectors[1].id).tags == {}


def test_running_again_covers_only_what_was_not_done(api, make_user):
    user = make_user("operator")
    done, used = make_connector(api, "Done"), make_connector(api, "Used")
    version = ConnectorVersion.objects.create(connector_id=used.id, name="1.0")
    subscription = Subscription.objects.create(version=version, subscriber="s", reference="b")
    run = start(user, DELETE_CONNECTORS, [done, used], force=False)
    runs.step(run, user)
    subscription.delete()

    again = runs.rerun(run, user)
    runs.step(again, user)

    assert results(again) == [("Used", "done", "")]


def test_two_steps_never_take_the_same_item(api, make_user):
    user = make_user("operator")
    run = start(user, ADD_TAG, [make_connector(api, "A")], tag="x")

    first, second = runs.claim_next(run), runs.claim_next(run)

    assert first is not None and second is None
    assert BulkItem.objects.get().status == "running"


def test_the_run_page_is_only_for_the_user_who_started_it(api, make_user, client):
    owner = make_user("operator")
    run = start(owner, ADD_TAG, [make_connector(api, "A")], tag="x")
    client.force_login(make_user("admin"))

    assert client.get(f"/bulk/{run.pk}/").status_code == 404
    assert client.post(f"/bulk/{run.pk}/step/").status_code == 404


def test_the_step_answers_htmx_with_progress_then_the_results(api, make_user, client):
    user = make_user("operator")
    run = start(user, ADD_TAG, [make_connector(api, f"C{i}") for i in range(3)], tag="x")
    client.force_login(user)

    fragment = client.post(f"/bulk/{run.pk}/step/", headers={"HX-Request": "true"})

    doc = parse(fragment)
    assert doc.select("html, body, h1") == []
    assert text(one(doc, ".bulk-progress__count")) == (
        "3 of 3 finished: 3 done, 0 refused, 0 skipped."
    )
    assert text(one(doc, ".bulk-results caption")) == "Results, item by item"
    page = parse(client.get(f"/bulk/{run.pk}/"))
    assert text(one(page, "h1")) == "Add tag “x”"
    assert "C2" in texts(page, ".bulk-results tbody th")


def test_a_run_not_found_is_404(make_user, client):
    client.force_login(make_user("operator"))
    assert client.get(f"/bulk/{ULID().to_uuid()}/").status_code == 404


def test_the_audit_page_lists_items_skipped_without_a_call(api, make_user, client):
    user = make_user("operator")
    connector = make_connector(api, "Tagged", tags={"x": []})
    runs.step(start(user, ADD_TAG, [connector], tag="x"), user)
    client.force_login(user)

    response = client.get("/audit/")

    assert response.status_code == 200
    rows = [texts(row, "td") for row in parse(response).select("tbody tr")]
    skipped = [cells[4] for cells in rows if cells[5] == "skipped"]
    assert skipped and all(target.startswith("connector Tagged") for target in skipped)
