"""The wire format stays in the service layer: no module above it spells a camelCase field
name of the contract or an API path in a string (docstrings, which describe, excepted).

The camelCase names are the connect models' aliases, so a field added to a model is covered
without editing this test."""

import ast
import re
from pathlib import Path

import dashboard
from dashboard.connect.wire import python_names

ROOT = Path(dashboard.__file__).parent
EXEMPT = (
    # The service layer speaks the wire format; the embedded API implements it.
    ROOT / "connect",
    ROOT / "embedded_api",
    # The importer turns OpenAPI documents into the contract's JSON for the embedded API.
    ROOT / "openapi",
    # The demo writes the embedded API's stored data (the contract's JSON) and OpenAPI
    # documents; its audit history is checked (paths come from dashboard.connect.paths).
    ROOT / "demo" / "seed.py",
    ROOT / "demo" / "staging.py",
    ROOT / "demo" / "credentials.py",
    ROOT / "demo" / "specs.py",
)
# A contract route: organisation-scoped (`o/{id}/...`), or under a version prefix
# (`/api/connect/v1/...`). Absolute URLs (`https://accounts.google.com/o/oauth2/...`) are
# other hosts', not routes of the contract.
API_PATH = re.compile(r"(?:^|/)(?:o|organisations)/[^/\s]|/v1/\S")
NAME = re.compile(r"[A-Za-z_]\w*")


def camel_names() -> set[str]:
    return {alias for alias in python_names() if alias != alias.lower()}


def docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes of `tree`'s module, classes and functions."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def strings(tree: ast.AST):
    """(line, text) of each string literal; an f-string's holes read as `{}`."""
    skip = docstrings(tree)
    inside_fstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = []
            for value in node.values:
                inside_fstrings.add(id(value))
                is_text = isinstance(value, ast.Constant)
                parts.append(value.value if is_text else "{}")
            yield node.lineno, "".join(parts)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skip | inside_fstrings
        ):
            yield node.lineno, node.value


def violations(source: str, camel: set[str]) -> list[str]:
    found = []
    for line, text in sorted(strings(ast.parse(source))):
        names = sorted(set(NAME.findall(text)) & camel)
        if names:
            found.append(f"{line}: {', '.join(names)} in {text!r}")
        if "://" not in text and API_PATH.search(text):
            found.append(f"{line}: API path {text!r}")
    return found


def modules() -> list[Path]:
    return [
        path
        for path in sorted(ROOT.rglob("*.py"))
        if not any(path.is_relative_to(exempt) for exempt in EXEMPT)
        and "migrations" not in path.parts
    ]


def test_the_camel_case_names_come_from_the_models():
    camel = camel_names()

    assert {"baseUrl", "authSchemeConfigs", "clientId", "documentationURL"} <= camel
    assert "in" not in camel  # renamed (`in_`) but not camelCase


def test_the_checker_finds_camel_case_names_and_api_paths_but_not_docstrings():
    source = '''
"""A docstring may say `baseUrl`."""
FIELDS = {"authSchemeConfigs[0].clientId": "client_id", "name": "name"}
PATH = f"o/{org}/connectors/{id}"
OTHER = "/api/connect/v1/connectors"
FINE = "https://api.example.com/v1"
'''
    found = violations(source, camel_names())

    assert found == [
        "3: authSchemeConfigs, clientId in 'authSchemeConfigs[0].clientId'",
        "4: API path 'o/{}/connectors/{}'",
        "5: API path '/api/connect/v1/connectors'",
    ]


def test_no_module_above_the_service_layer_spells_the_wire_format():
    camel = camel_names()
    found = [
        f"{path.relative_to(ROOT.parent)}:{problem}"
        for path in modules()
        for problem in violations(path.read_text(), camel)
    ]

    assert found == [], "\n".join(found)
