"""Promotion between two organisations of the embedded API, in process: the preview lists
every step, a run copies the connector and a version through the service layer (never a
secret), running again changes nothing, and each refusal the issue names is refused."""

import pytest

from dashboard.accounts.models import AuditEntry
from dashboard.bulk import runs
from dashboard.connect.models import ActionCreate, DefinitionCreate, ProtocolNames
from dashboard.promotion import plan
from dashboard.promotion.compare import compare_connectors, compare_contents
from dashboard.promotion.target import CHANGE, CREATE, REFUSE, SKIP
from dashboard.versions.contents import load_contents
from tests.connectors.conftest import make_connector
from tests.promotion.conftest import OAUTH_SECRET
from tests.versions.conftest import schema

pytestmark = pytest.mark.django_db


def preview(api, target, source, version="2.0", with_connector=True):
    return plan.preview(api, target, source.id, version, with_connector=with_connector, there="B")


def start(user, made, target):
    return runs.start(
        user,
        plan.ACTION,
        plan.items(made),
        plan.params(made, source="a", target="b", organisation=target.organisation_id),
        "/",
    )


def results(run):
    return [(item.key, item.status) for item in run.items.all()]


def contents(client, connector_id, version):
    connector = client.connectors.get(connector_id)
    found = next(v for v in connector.versions if v.name == version)
    return load_contents(client, connector_id, found).snapshot()


def b_connector(target, name="Shop"):
    return next(c for c in target.connectors.list(name=name).iter_all() if c.name == name)


def test_the_preview_lists_each_step_and_changes_nothing(api, target, source):
    made = preview(api, target, source)

    assert [step.key for step, _ in made.rows][:2] == ["connector", "details"]
    keys = [step.key for step, _ in made.rows]
    assert keys.index("version") < keys.index("definitions:Tag") < keys.index("definitions:Product")
    assert {"action:listProducts", "action:getProduct", "trigger:productCreated"} <= set(keys)
    assert all(v.status in (CREATE, CHANGE) for _, v in made.rows), made.rows
    assert made.blockers == [] and made.report is None
    assert target.connectors.list().items == []
    assert OAUTH_SECRET not in str(made.frozen)


def test_a_run_copies_connector_and_version_and_a_second_run_only_skips(
    api, target, source, make_user, as_current
):
    user = make_user("publisher")
    as_current(target)
    run = start(user, preview(api, target, source), target)

    runs.step(run, user, budget=60)

    assert {status for _, status in results(run)} == {"done"}, list(run.items.values())
    copied = target.connectors.get(b_connector(target).id)
    assert copied.base_url == source.base_url
    assert copied.documentation_url == "https://shop.example/docs"
    assert copied.tags == source.tags and copied.categories == source.categories
    assert [c.id for c in copied.auth_scheme_configs] == [c.id for c in source.auth_scheme_configs]
    oauth = copied.auth_scheme_configs[2]
    assert oauth.grant.credential_id is None and oauth.grant.client_id is None
    assert [v.name for v in copied.versions] == ["2.0"] and not copied.versions[0].is_published
    assert not compare_contents(contents(api, source.id, "2.0"), contents(target, copied.id, "2.0"))
    comparison = compare_connectors(api.connectors.get(source.id), copied, ProtocolNames())
    assert comparison.clash == ""
    # Each step made one call, audited once, in B, with the promotion's note.
    promoted = AuditEntry.objects.filter(note="Promoted from a")
    assert promoted.count() == len(results(run))
    assert all(f"o/{target.organisation_id}/" in entry.path for entry in promoted)
    calls = AuditEntry.objects.exclude(method="").count()

    again = start(user, preview(api, target, source), target)
    runs.step(again, user, budget=60)

    assert {status for _, status in results(again)} == {"skipped"}
    assert AuditEntry.objects.exclude(method="").count() == calls  # nothing written
    assert AuditEntry.objects.filter(action="promote", outcome="skipped").count() == len(
        results(again)
    )


def test_a_version_alone_goes_into_the_connector_b_has(api, target, source, make_user, as_current):
    make_connector(target, "Shop", base_url="https://shop.example/api")
    as_current(target)
    user = make_user("publisher")
    made = preview(api, target, source, version="1.0", with_connector=False)
    assert made.rows[0][0].key == "version" and made.blockers == []

    run = start(user, made, target)
    runs.step(run, user, budget=60)

    assert {status for _, status in results(run)} == {"done"}
    copied = b_connector(target)
    assert not compare_contents(contents(api, source.id, "1.0"), contents(target, copied.id, "1.0"))


def test_a_connector_b_lacks_must_be_asked_for(api, target, source):
    made = preview(api, target, source, with_connector=False)

    assert made.blockers == ["B has no connector “Shop”: promote the connector too."]


def test_a_name_clash_with_another_connector_is_refused(api, target, source):
    make_connector(target, "Shop", base_url="https://other-shop.example")

    made = preview(api, target, source)

    assert made.blockers == [
        "Name clash: B's “Shop” is another connector: it calls https://other-shop.example, "
        "not https://shop.example/api."
    ]


def test_a_version_b_has_with_other_contents_is_refused_with_its_diff(
    api, target, source, make_user, as_current
):
    user = make_user("publisher")
    as_current(target)
    first = start(user, preview(api, target, source, version="1.0"), target)
    runs.step(first, user, budget=60)
    copied = b_connector(target)
    target.versions.create(copied.id, "2.0")
    target.actions.create(copied.id, "2.0", plan_action("listProducts", "/elsewhere"))

    made = preview(api, target, source, version="2.0")

    assert made.blockers and made.blockers[0].startswith("B's 2.0 has other contents")
    assert made.report and any(f.name == "listProducts" for f in made.report.findings)
    assert dict((s.key, v.status) for s, v in made.rows)["action:listProducts"] == REFUSE
    # Nothing of B's was overwritten.
    assert target.actions.get(copied.id, "2.0", "listProducts").path == "/elsewhere"


def plan_action(name, path):
    return ActionCreate(name=name, method="GET", path=path)


def test_b_going_down_midway_pauses_and_a_rerun_completes_without_duplicates(
    api, target, switch, source, make_user, as_current
):
    user = make_user("publisher")
    as_current(target)
    run = start(user, preview(api, target, source), target)
    switch.down_after = 12  # B answers a few steps' calls, then goes down

    runs.step(run, user, budget=60)

    run.refresh_from_db()
    assert run.stopped
    done = [key for key, status in results(run) if status == "done"]
    assert done and len(done) < len(results(run))
    assert all(status in ("done", "pending") for _, status in results(run))

    switch.down_after = None  # B is back
    runs.resume(run)
    runs.step(run, user, budget=60)

    assert {status for _, status in results(run)} == {"done"}, list(run.items.values())
    copied = target.connectors.get(b_connector(target).id)
    assert len(copied.auth_scheme_configs) == 3 and [v.name for v in copied.versions] == ["2.0"]
    assert not compare_contents(contents(api, source.id, "2.0"), contents(target, copied.id, "2.0"))


def test_a_user_who_may_not_manage_versions_in_b_is_refused_each_step(
    api, target, source, make_user, as_current
):
    user = make_user("operator")
    as_current(target)
    run = start(user, preview(api, target, source), target)

    runs.step(run, user, budget=60)

    assert {status for _, status in results(run)} == {"refused"}
    assert target.connectors.list().items == []
    assert AuditEntry.objects.filter(action="promote", outcome="forbidden").count() == len(
        results(run)
    )


def test_steps_report_skip_for_what_b_already_has(api, target, source):
    make_connector(target, "Shop", base_url="https://shop.example/api/")
    made = preview(api, target, source)
    verdicts = {step.key: verdict.status for step, verdict in made.rows}
    assert verdicts["connector"] == SKIP


def test_definitions_in_a_cycle_are_created_together_and_others_refer_to_bs_by_url(
    api, target, make_user, as_current
):
    source = make_connector(api, "Graph", base_url="https://graph.example")
    api.versions.create(source.id, "1.0")
    api.definitions.create(
        source.id,
        "1.0",
        [
            DefinitionCreate(name="Leaf", schema=schema({"type": "string"})),
            DefinitionCreate(
                name="Node",
                schema=schema({"type": "object", "properties": {"edge": {"$ref": "#/$defs/Edge"}}}),
            ),
            DefinitionCreate(
                name="Edge",
                schema=schema(
                    {
                        "type": "object",
                        "properties": {
                            "to": {"$ref": "#/$defs/Node"},
                            "label": {"$ref": "#/$defs/Leaf"},
                        },
                    }
                ),
            ),
        ],
    )
    # B already has the version and Leaf (as a stopped promotion would have left it).
    theirs = make_connector(target, "Graph", base_url="https://graph.example")
    target.versions.create(theirs.id, "1.0")
    target.definitions.create(
        theirs.id, "1.0", [DefinitionCreate(name="Leaf", schema=schema({"type": "string"}))]
    )
    source = api.connectors.get(source.id)
    as_current(target)
    user = make_user("publisher")

    made = preview(api, target, source, version="1.0", with_connector=False)

    assert [(s.key, v.status) for s, v in made.rows] == [
        ("version", "skip"),
        ("definitions:Leaf", "skip"),
        ("definitions:Edge", "create"),
    ]
    run = start(user, made, target)
    runs.step(run, user, budget=60)
    assert [status for _, status in results(run)] == ["skipped", "skipped", "done"]
    assert not compare_contents(contents(api, source.id, "1.0"), contents(target, theirs.id, "1.0"))


def test_a_run_opened_in_another_environment_writes_nothing_there(
    api, target, source, make_user, as_current
):
    user = make_user("publisher")
    as_current(api)  # the run's steps would take A's client: it is not the target's
    run = start(user, preview(api, target, source), target)

    runs.step(run, user, budget=60)

    assert {status for _, status in results(run)} == {"refused"}
    assert run.items.first().message == "This run writes into b: open it there."
    assert not AuditEntry.objects.filter(note="Promoted from a").exists()
