"""The importer end to end: the summary, messages with pointers, contract shapes, purity."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.openapi import ImportFailure, import_openapi
from dashboard.openapi.refs import Document
from tests.bench.specgen import generate, render
from tests.openapi.support import as_json, as_yaml, contract_errors, document, operation, run

ROOT = Path(__file__).resolve().parents[2]


def without_ids(value):
    """The result as data, with generated ULIDs left out."""
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


def as_data(result) -> dict:
    return without_ids(
        {
            "connector": result.connector.to_dict(),
            "auth": result.auth_scheme_configs,
            "definitions": [d.to_create() for d in result.definitions],
            "actions": result.actions,
            "triggers": result.triggers,
            "messages": [m.to_dict() for m in result.messages],
        }
    )


def test_the_first_message_is_an_info_summary_with_counts():
    doc = document(
        paths={
            "/pets": {
                "get": operation(
                    parameters=[{"name": "f", "in": "query", "schema": {"type": "object"}}]
                )
            }
        },
        webhooks={"hook": {"post": operation()}},
        components={"schemas": {"Pet": {"type": "object"}}},
    )
    result = run(doc)
    summary = result.messages[0]
    assert summary.severity == "info"
    assert summary.text == (
        "Imported OpenAPI 3.1.0 document 'Pet Store': 1 action, 1 trigger, 1 definition "
        "and 1 auth scheme config."
    )
    assert [m.severity for m in result.messages[1:]] == ["warning"]


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_every_warning_names_json_pointers_that_exist_in_the_document(version):
    doc = generate(version=version, size="medium", seed=7)
    result = import_openapi(render(doc, "json"))
    warnings = [m for m in result.messages if m.severity == "warning"]
    assert warnings
    resolver = Document(doc)
    for message in warnings:
        assert message.detail, message.text
        for pointer in message.detail:
            resolver.resolve("#" + pointer)  # raises LookupError if it points nowhere


def test_messages_and_failures_match_the_contract():
    result = run(document(servers=[]))
    for message in result.messages:
        assert contract_errors("Message", message.to_dict()) == []
    with pytest.raises(ImportFailure) as caught:
        import_openapi(b"swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n")
    body = caught.value.to_dict()
    assert contract_errors("ImportHTTPConnectorError", body) == []
    assert body["code"] == "unsupported_version"


def test_json_and_yaml_of_a_document_import_the_same():
    doc = generate(version="3.1", size="small", seed=3)
    assert as_data(import_openapi(as_json(doc))) == as_data(import_openapi(as_yaml(doc)))


def test_importing_the_same_document_twice_gives_the_same_result_but_new_ids():
    data = render(generate(version="3.0", size="small", seed=5), "yaml")
    first, second = import_openapi(data), import_openapi(data)
    assert as_data(first) == as_data(second)
    assert first.auth_scheme_configs[0]["id"] != second.auth_scheme_configs[0]["id"]


def test_the_size_limit_can_be_set_per_import():
    data = as_json(document())
    with pytest.raises(ImportFailure) as caught:
        import_openapi(data, max_bytes=len(data) - 1)
    assert caught.value.code == "too_large"


def test_a_large_generated_document_imports_completely():
    doc = generate(version="3.1", size="large", seed=1)
    data = render(doc, "json")
    result = import_openapi(data)
    operations = sum(1 for item in doc["paths"].values() for key in item if key != "parameters")
    assert len(data) > 2 * 1024 * 1024
    assert len(result.actions) == operations >= 200
    assert len(result.triggers) >= len(doc["webhooks"])
    assert len(result.definitions) >= len(doc["components"]["schemas"])
    for mapped in result.actions[:20]:
        assert contract_errors("ActionHTTPCreate", mapped) == []


def test_the_library_does_not_import_django():
    code = "import sys, dashboard.openapi; print('django' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_result_json_round_trips():
    result = import_openapi(render(generate(version="3.1", size="small", seed=2), "json"))
    assert json.loads(json.dumps(as_data(result))) == as_data(result)
