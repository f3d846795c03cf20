"""Local `$ref` resolution. Nothing is ever fetched: a reference must point into the document.

`check_refs` walks the whole document once before mapping starts and refuses the import if
any `$ref` is external (`other.yaml#/Pet`, `https://...`), points nowhere, or is a chain of
references that loops without reaching an object. After that, `Document.resolve` and
`Document.deref` can be used freely by the mapping. Circular references between schemas
(`Category.parent -> Category`) are fine: schemas become definitions that refer to each other
by name, so nothing is ever expanded.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from .messages import ImportFailure, Message, pointer

MAX_REPORTED_REFS = 20

# Keys whose value is a map of user-chosen names (so a property called "default" or a header
# called "x-rate-limit" is walked, not mistaken for a keyword).
NAMED_MAPS = frozenset(
    [
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "dependentSchemas",
        "paths",
        "webhooks",
        "callbacks",
        "headers",
        "responses",
        "content",
        "encoding",
        "schemas",
        "parameters",
        "requestBodies",
        "securitySchemes",
        "links",
        "pathItems",
        "variables",
        "scopes",
        "mapping",
        "examples",
    ]
)
# Keys whose value is data, not OpenAPI structure: a `$ref` in an example is just data.
DATA_KEYS = frozenset(("example", "default", "enum", "const", "value"))


def _walk_refs(node: Any, path: list[Any], named: bool, found: list[tuple[str, str]]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if not named:
                if key == "$ref" and isinstance(value, str):
                    found.append((pointer(*path, key), value))
                    continue
                if (
                    key in DATA_KEYS
                    or key.startswith("x-")
                    or (key == "examples" and isinstance(value, list))
                ):
                    continue
            if isinstance(value, dict | list):
                path.append(key)
                _walk_refs(value, path, not named and key in NAMED_MAPS, found)
                path.pop()
    else:
        for index, value in enumerate(node):
            if isinstance(value, dict | list):
                path.append(index)
                _walk_refs(value, path, False, found)
                path.pop()


def find_refs(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """Every `$ref` in the document's structure as (location pointer, reference)."""
    found: list[tuple[str, str]] = []
    _walk_refs(doc, [], False, found)
    return found


def is_reference(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get("$ref"), str)


class Document:
    """The parsed document plus cached resolution of its local references."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self._cache: dict[str, tuple[str, Any]] = {}

    def resolve(self, ref: str) -> tuple[str, Any]:
        """Target of a local reference as (JSON pointer, value); LookupError if there is none."""
        if ref in self._cache:
            return self._cache[ref]
        if not ref.startswith("#"):
            raise LookupError(f"{ref} is not in this document; external references are not fetched")
        target_pointer = unquote(ref[1:])
        if target_pointer and not target_pointer.startswith("/"):
            raise LookupError(f"{ref} is not a JSON pointer; only #/... references are supported")
        node: Any = self.root
        for raw in target_pointer.split("/")[1:]:
            part = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                raise LookupError(f"{ref} points to nothing in this document")
        self._cache[ref] = (target_pointer, node)
        return target_pointer, node

    def deref(self, node: Any, where: str, kind: str) -> tuple[dict[str, Any], str]:
        """Follow a chain of references to the object it ends at: (object, its pointer).

        For non-schema objects (parameters, responses, request bodies, path items...); `kind`
        names what is expected, for the message when a reference leads to something that is
        not an object. `check_refs` has already refused chains that loop or lead nowhere.
        """
        seen: set[str] = set()
        target = where
        while is_reference(node) and node["$ref"] not in seen:
            seen.add(node["$ref"])
            target, node = self.resolve(node["$ref"])
        if not isinstance(node, dict):
            raise ImportFailure(
                "unresolvable_ref",
                f"{where} should be {kind}, but its $ref leads to {target or '/'}, which is not.",
                [Message.error(f"Expected {kind}.", where)],
            )
        return node, target


def check_refs(doc: Document) -> None:
    """Refuse the document if any `$ref` is external, unresolvable or loops on itself."""
    problems: list[Message] = []
    for location, ref in find_refs(doc.root):
        try:
            target = doc.resolve(ref)[1]
            seen = {ref}
            while is_reference(target):
                if target["$ref"] in seen:
                    raise LookupError(f"{ref} is a loop of references that never reaches an object")
                seen.add(target["$ref"])
                target = doc.resolve(target["$ref"])[1]
        except LookupError as exc:
            problems.append(Message.error(str(exc), location))
    if problems:
        shown = problems[:MAX_REPORTED_REFS]
        extra = f" and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
        raise ImportFailure(
            "unresolvable_ref",
            f"The document has {len(problems)} $ref(s) that cannot be resolved within it "
            f"(external references are never fetched): {shown[0].text}{extra}.",
            shown,
        )
