"""3.1 webhooks and operation callbacks to triggers in the contract's TriggerHTTPCreate shape."""

from tests.openapi.support import contract_errors, document, json_body, messages_at, operation, run

EVENT = {"type": "object", "properties": {"event": {"type": "string"}}}


def test_a_webhook_becomes_a_trigger_named_after_its_operation_id():
    webhook = {
        "post": operation(
            operationId="petAdded",
            summary="A pet was added",
            parameters=[
                {
                    "name": "X-Signature",
                    "in": "header",
                    "required": True,
                    "schema": {"type": "string"},
                }
            ],
            requestBody={"required": True, **json_body(EVENT)},
        )
    }
    result = run(document(webhooks={"pet.added": webhook}))
    [trigger] = result.triggers
    assert {k: v for k, v in trigger.items() if k != "responses"} == {
        "type": "http",
        "name": "petAdded",
        "summary": "A pet was added",
        "method": "POST",
        "parameters": [{"name": "X-Signature", "in": "header", "required": True, "type": "string"}],
        "requestBody": {
            "required": True,
            "definitions": [{"definition": {"name": "petAdded_request"}}],
        },
    }
    assert [r["status"] for r in trigger["responses"]] == [200]
    assert contract_errors("TriggerHTTPCreate", trigger) == []
    assert contract_errors("TriggerCreate", trigger) == []


def test_a_webhook_without_operation_id_is_named_after_its_key_and_method():
    webhooks = {
        "pet.added": {"post": operation()},
        "pet.changed": {"post": operation(), "put": operation()},
    }
    result = run(document(webhooks=webhooks))
    assert [t["name"] for t in result.triggers] == [
        "pet_added",
        "pet_changed_post",
        "pet_changed_put",
    ]


def test_trigger_names_are_unique_among_triggers_only():
    doc = document(
        paths={"/pets": {"post": operation(operationId="petAdded")}},
        webhooks={
            "a": {"post": operation(operationId="petAdded")},
            "b": {"post": operation(operationId="petAdded")},
        },
    )
    result = run(doc)
    assert [a["name"] for a in result.actions] == ["petAdded"]
    assert [t["name"] for t in result.triggers] == ["petAdded", "petAdded_2"]


def test_path_parameters_of_a_webhook_are_dropped_with_a_warning():
    webhook = {
        "post": operation(
            parameters=[
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                {"name": "q", "in": "query", "schema": {"type": "integer"}},
            ]
        )
    }
    result = run(document(webhooks={"hook": webhook}))
    assert result.triggers[0]["parameters"] == [
        {"name": "q", "in": "query", "required": False, "type": "integer"}
    ]
    assert "triggers have no path" in messages_at(result, "/webhooks/hook/post/parameters/0")[0]


def test_a_webhook_may_be_a_reference_to_a_path_item():
    doc = document(
        webhooks={"hook": {"$ref": "#/components/pathItems/Hook"}},
        components={"pathItems": {"Hook": {"post": operation(operationId="hooked")}}},
    )
    assert [t["name"] for t in run(doc).triggers] == ["hooked"]


def test_callbacks_become_triggers_named_after_their_operation():
    callbacks = {
        "onDone": {
            "{$request.body#/callbackUrl}": {"post": operation(requestBody=json_body(EVENT))}
        },
        "onStatus": {
            "{$request.body#/statusUrl}": {
                "post": operation(operationId="statusChanged"),
                "put": operation(),
            },
        },
    }
    op = operation(operationId="startJob", callbacks=callbacks)
    for version in ("3.0.3", "3.1.0"):
        result = run(document(version, paths={"/jobs": {"post": op}}))
        assert [a["name"] for a in result.actions] == ["startJob"]
        assert [t["name"] for t in result.triggers] == [
            "startJob_onDone",
            "statusChanged",
            "startJob_onStatus_put",
        ]
        assert result.triggers[0]["requestBody"]["definitions"] == [
            {"definition": {"name": "startJob_onDone_request"}}
        ]
        for trigger in result.triggers:
            assert contract_errors("TriggerHTTPCreate", trigger) == []
