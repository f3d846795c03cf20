"""Helpers for the importer's tests: small documents, encoders and message lookups."""

from __future__ import annotations

import json
from functools import cache

import jsonschema_rs
import yaml

from dashboard.openapi import ImportResult, import_openapi
from tests import reference


def document(version: str = "3.1.0", **fields) -> dict:
    """A minimal valid OpenAPI document; keyword arguments replace or add top-level fields."""
    doc = {
        "openapi": version,
        "info": {"title": "Pet Store", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com/v1"}],
        "paths": {},
    }
    doc.update(fields)
    return doc


def operation(**fields) -> dict:
    """An operation with one plain 200 response unless `responses` is given."""
    return {"responses": {"200": {"description": "OK"}}, **fields}


def json_body(schema: dict, media_type: str = "application/json") -> dict:
    return {"content": {media_type: {"schema": schema}}}


def as_json(doc: dict) -> bytes:
    return json.dumps(doc).encode()


def as_yaml(doc: dict) -> bytes:
    return yaml.safe_dump(doc, sort_keys=False).encode()


def run(doc: dict, **options) -> ImportResult:
    return import_openapi(as_json(doc), **options)


def texts(result: ImportResult, severity: str = "warning") -> list[str]:
    return [m.text for m in result.messages if m.severity == severity]


def messages_at(result: ImportResult, pointer: str) -> list[str]:
    """Texts of the messages that name `pointer`."""
    return [m.text for m in result.messages if pointer in m.detail]


def action(result: ImportResult, name: str) -> dict:
    return next(a for a in result.actions if a["name"] == name)


def definition(result: ImportResult, name: str):
    return next(d for d in result.definitions if d.name == name)


@cache
def _contract() -> dict:
    return yaml.load(reference.require().read_text(), Loader=yaml.CSafeLoader)


def contract_errors(schema_name: str, instance: object) -> list[str]:
    """Where `instance` breaks the contract's `components.schemas[schema_name]`."""
    components = _contract()["components"]
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": components}
    validator = jsonschema_rs.validator_for(schema, offline=True)
    return [f"{list(e.instance_path)}: {e.message}" for e in validator.iter_errors(instance)]
