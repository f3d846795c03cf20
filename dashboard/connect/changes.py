"""What an update changed, field by field, for the audit log.

An update (a PUT) sends a resource's new state; the state before it is read just ahead of the
call. Each field sent whose value differs is a change, `before -> after` as short text; an
object in a list is compared on the fields sent only (a connection's credential links are sent
as ids, read back whole). A secret (any field the models type as `Secret`) is only ever
reported as changed: its value, old or new, never leaves this module, and within lists and
objects shown whole it is masked, except inside a field no model lets hold a secret (a
connection's variables, a connector's tags), whose values are shown as they are.
"""

import json
import typing
from datetime import datetime
from functools import cache
from typing import Any

from pydantic import BaseModel, SecretStr

from . import models

# Bookkeeping the API sets itself, and ids: not changes anyone made.
IGNORED = frozenset({"id", "organisationId", "createdAt", "updatedAt"})
MAX_TEXT = 200  # each side's text, cut beyond this
MASK = "(secret)"


@cache
def secret_names() -> frozenset[str]:
    """The wire names of every field typed `Secret` in the service layer's models."""
    names = set()
    for model in vars(models).values():
        if isinstance(model, type) and issubclass(model, BaseModel):
            for name, info in model.model_fields.items():
                if _is_secret(info.annotation):
                    names.add(info.alias or name)
    return frozenset(names)


@cache
def plain_names() -> frozenset[str]:
    """The wire names of fields that hold no secret, however deep, in every model having one
    (`variables`: a variable's `value` is plain text, though a credential's is secret)."""
    plain: set[str] = set()
    holding: set[str] = set()
    for model in vars(models).values():
        if isinstance(model, type) and issubclass(model, BaseModel):
            for name, info in model.model_fields.items():
                (holding if _holds_secret(info.annotation) else plain).add(info.alias or name)
    return frozenset(plain - holding)


def _is_secret(annotation: Any) -> bool:
    if annotation is SecretStr:
        return True
    return any(_is_secret(arg) for arg in typing.get_args(annotation))


def _holds_secret(annotation: Any, seen: frozenset[type] = frozenset()) -> bool:
    """Whether a value of `annotation` (or of a subclass: credential data) can hold a secret
    anywhere inside it."""
    if _is_secret(annotation):
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return False
        inner = seen | {annotation}
        fields = [f.annotation for f in annotation.model_fields.values()]
        return any(_holds_secret(t, inner) for t in [*fields, *annotation.__subclasses__()])
    return any(_holds_secret(arg, seen) for arg in typing.get_args(annotation))


def field_changes(before: dict[str, Any] | None, sent: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields of `sent` whose values differ from `before` (the resource as it was):
    `{"field", "before", "after"}`, or `{"field", "secret": True}` for a secret sent."""
    changes: list[dict[str, Any]] = []
    _compare("", before or {}, sent, changes)
    return changes


def _compare(
    prefix: str, before: dict[str, Any], sent: dict[str, Any], changes: list[dict[str, Any]]
) -> None:
    for name, new in sent.items():
        if name in IGNORED:
            continue
        path, old = f"{prefix}{name}", before.get(name)
        if name in secret_names():
            if new not in (None, ""):
                changes.append({"field": path, "secret": True})
        elif isinstance(new, dict) and isinstance(old, dict | None):
            _compare(f"{path}.", old or {}, new, changes)
        elif not _same(_as_sent(old, new), new):
            plain = name in plain_names()
            changes.append({"field": path, "before": _text(old, plain), "after": _text(new, plain)})


def _as_sent(old: Any, new: Any) -> Any:
    """`old` cut to the shape of `new`: of each object in a list, the fields sent only."""
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [_as_sent(o, n) for o, n in zip(old, new, strict=True)]
    if isinstance(old, dict) and isinstance(new, dict):
        return {key: _as_sent(old.get(key), value) for key, value in new.items()}
    return old


def _same(old: Any, new: Any) -> bool:
    if old in (None, "", [], {}) and new in (None, "", [], {}):
        return True
    if isinstance(old, str) and isinstance(new, str):
        try:  # the same moment written two ways
            return datetime.fromisoformat(old) == datetime.fromisoformat(new)
        except ValueError:
            return old == new
    return bool(old == new)


def _text(value: Any, plain: bool = False) -> str:
    """`value` as short text; unless `plain` (a field holding no secret), secrets masked."""
    if value in (None, "", [], {}):
        return ""
    shown = value if plain else _masked(value)
    text = value if isinstance(value, str) else json.dumps(shown, ensure_ascii=False)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _masked(value: Any) -> Any:
    """`value` with every secret field's value replaced, however deep."""
    if isinstance(value, dict):
        return {k: MASK if k in secret_names() else _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(item) for item in value]
    return value
