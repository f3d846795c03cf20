"""Is this an OpenAPI 3.0 or 3.1 document? Checked against the official OpenAPI JSON Schemas.

The schemas are the ones openapi-spec-validator ships (the OpenAPI Initiative's published
`schema.json` for 3.0 and 3.1); they are read from that package's files, not copied here.
Validation runs in jsonschema-rs, which is much faster than the pure-Python validators, and
never fetches anything (`offline=True`).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import jsonschema_rs

from .messages import ImportFailure, Message, plain, pointer, readable

MAX_REPORTED_ERRORS = 10
_VERSION = re.compile(r"^3\.([01])\.\d+(-.+)?$")


@functools.cache
def _validator(minor: str) -> jsonschema_rs.Validator:
    # find_spec locates the package's files without importing it (its import is slow).
    found = importlib.util.find_spec("openapi_spec_validator")
    if found is None or not found.submodule_search_locations:
        raise RuntimeError("openapi-spec-validator is not installed; it ships the OpenAPI schemas")
    path = Path(
        found.submodule_search_locations[0], "resources", "schemas", f"v3.{minor}", "schema.json"
    )
    return jsonschema_rs.validator_for(json.loads(path.read_text()), offline=True)


def _most_specific(error: jsonschema_rs.ValidationError) -> jsonschema_rs.ValidationError:
    """For a failed oneOf/anyOf, the alternative's error that got furthest into the document."""
    while branches := getattr(error.kind, "context", None):
        candidates = [sub for branch in branches for sub in branch]
        if not candidates:
            break
        error = max(candidates, key=lambda sub: len(sub.instance_path))
    return error


def _shorten(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def openapi_version(doc: dict[str, Any]) -> str:
    """Return "3.0" or "3.1" for a document with the fields an OpenAPI document needs.

    Raises `ImportFailure` (`unsupported_version` or `missing_fields`) otherwise. A 3.1
    document may have `webhooks` instead of `paths`, as the 3.1 specification allows.
    """
    if "swagger" in doc and "openapi" not in doc:
        raise ImportFailure(
            "unsupported_version",
            f"This is a Swagger {doc['swagger']} document; only OpenAPI 3.0 and 3.1 can be "
            "imported. Convert it to OpenAPI 3 (for example with swagger2openapi) and try again.",
            [Message.error("Swagger 2.0 is not supported.", "/swagger")],
        )
    raw = doc.get("openapi")
    missing = [name for name in ("openapi", "info") if name not in doc]
    if "paths" not in doc and not (
        isinstance(raw, str) and raw.startswith("3.1") and "webhooks" in doc
    ):
        missing.append("paths")
    if missing:
        raise ImportFailure(
            "missing_fields",
            f"This is not an OpenAPI document: it has no {', '.join(missing)}.",
            [Message.error(f"{name} is required.", pointer(name)) for name in missing],
        )
    match = _VERSION.match(raw) if isinstance(raw, str) else None
    if match is None:
        raise ImportFailure(
            "unsupported_version",
            f"OpenAPI version {raw!r} is not supported; import a 3.0.x or 3.1.x document "
            '(the version is a string such as "3.1.0").',
            [Message.error("Unsupported version.", "/openapi")],
        )
    return f"3.{match.group(1)}"


def validate_openapi(doc: dict[str, Any]) -> str:
    """Check the document against the OpenAPI schema for its version; return "3.0" or "3.1".

    Raises `ImportFailure` with code `invalid_openapi` listing the first errors, each with the
    JSON pointer of the offending value.
    """
    version = openapi_version(doc)
    validator = _validator(version[-1])
    errors = []
    for error in validator.iter_errors(doc):
        errors.append(_most_specific(error))
        if len(errors) == MAX_REPORTED_ERRORS:
            break
    if errors:
        # Told in words (`paths › /pets › get`, no `~1` or `'anyOf' keyword`); the pointer
        # itself stays in `detail`.
        messages = [
            Message.error(
                f"{readable(where) or 'The document'}: {_shorten(plain(e.message))}", where
            )
            for e in errors
            for where in [pointer(*e.instance_path)]
        ]
        first = messages[0].text
        more = " (first errors listed)" if len(errors) == MAX_REPORTED_ERRORS else ""
        raise ImportFailure(
            "invalid_openapi",
            f"The document is not valid OpenAPI {version}: {first}{more}",
            messages,
        )
    return version
