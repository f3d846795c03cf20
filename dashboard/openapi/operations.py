"""Operations to actions, webhooks and callbacks to triggers (ActionHTTPCreate/TriggerHTTPCreate).

Rules:
- Every operation under `paths` (a path item may be a `$ref`) becomes an action, in document
  order. Its name is the `operationId`, else `<method> <path>`, made valid and unique (see
  `names`); a duplicate `operationId` is renamed `<id>_2`... with a warning, and so is one
  with characters a name cannot have.
- `summary` and `description` are copied; `method` is upper-cased; `path` has every `{id}`
  turned into `{{ param.id }}`.
- Parameters: path-level parameters merged with the operation's (the operation's win for the
  same name and location), as `{name, in, required, type, default}` for path, query, header
  and cookie. Path parameters are always required; a path template variable that no
  parameter declares is added as a required string, with a warning. `type` is the schema's
  scalar type (3.1 `["string", "null"]` counts as string); arrays, objects, schemas with no
  single scalar type and `content`-described parameters are approximated as `string` with a
  warning. A scalar schema `default` becomes the parameter's default. Header parameters
  `Accept`, `Content-Type` and `Authorization` are dropped with a warning (OpenAPI ignores
  them; auth comes from the auth scheme configs).
- Request body: `required` plus one definition per distinct schema among its media types
  (several media types sharing a schema share a definition). A `$ref` schema uses the
  referenced definition; an inline one becomes a definition `<name>_request` (further
  distinct inline schemas: `<name>_request_<media type>`). A request body or response that is
  a `$ref` to a component is mapped once, its inline schemas named after the component
  (`<component>_request`, `<component>_response`), and shared by every operation using it.
  A media type without a schema is dropped with a warning.
- Responses, per status: `default` has no status; `2XX`-style ranges become the range's first
  code (`200`) with a warning, or are dropped with a warning if that code is also listed.
  Content maps like the request body, with definitions named `<name>_response_<status>`. An
  operation without responses gets a default response, with a warning.
- Not representable, so dropped with one warning each listing every place: response
  headers, response links, operation or path-level `servers`, and per-operation `security`.
- 3.1 `webhooks` become triggers named after their `operationId`, else the webhook's key
  (plus `_<method>` if it has several). Operation `callbacks` become triggers too (the
  external system calls back, as with a webhook), named after their `operationId`, else
  `<action>_<callback>`. Trigger parameters cannot be in the path: such parameters are
  dropped with a warning.
"""

from __future__ import annotations

import re
from typing import Any

from ulid import ULID

from .limits import MEDIA_TYPE_MAX, PATH_MAX
from .messages import ImportFailure, Message, pointer
from .names import NameAllocator, valid_name
from .refs import Document
from .schemas import Definition, DefinitionBuilder

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SCALAR_TYPES = ("string", "number", "integer", "boolean")
LOCATIONS = ("path", "query", "header", "cookie")
IGNORED_HEADERS = ("accept", "content-type", "authorization")
STATUS_RANGE = re.compile(r"^[1-5]XX$", re.IGNORECASE)
PATH_VARIABLE = re.compile(r"\{([^{}]+)\}")

DROPPED = {
    "headers": "Response headers are not imported (actions have no place for them).",
    "links": "Response links are not imported.",
    "servers": "Servers set on a path or an operation are not imported; actions use the "
    "connector's base URL.",
    "security": "Security requirements set on an operation are not imported; the connector's "
    "auth scheme configs apply to every action.",
}


def template_path(path: str) -> str:
    """`/pets/{petId}` -> `/pets/{{ param.petId }}` (the contract's ActionPath syntax)."""
    return PATH_VARIABLE.sub(lambda m: "{{ param." + m.group(1) + " }}", path)


def _media_type(raw: str) -> str:
    return raw.split(";", 1)[0].strip()


class OperationMapper:
    """Maps the paths, webhooks and callbacks of one document; warnings go to `messages`."""

    def __init__(
        self, doc: Document, definitions: DefinitionBuilder, messages: list[Message]
    ) -> None:
        self.doc = doc
        self.definitions = definitions
        self.messages = messages
        self.actions: list[dict[str, Any]] = []
        self.triggers: list[dict[str, Any]] = []
        self._action_names = NameAllocator()
        self._trigger_names = NameAllocator()
        self._operation_ids: dict[str, str] = {}
        self._dropped: dict[str, dict[str, None]] = {}  # kind -> places (an ordered set)
        self._warned: set[str] = set()

    def map_document(self) -> None:
        for path, raw in (self.doc.root.get("paths") or {}).items():
            where = pointer("paths", path)
            item, _ = self.doc.deref(raw, where, "a path item")
            self._note_dropped("servers", item, where)
            for method, operation in self._operations(item):
                self._action(path, method, operation, item, where)
        for key, raw in (self.doc.root.get("webhooks") or {}).items():
            where = pointer("webhooks", key)
            item, _ = self.doc.deref(raw, where, "a path item")
            operations = self._operations(item)
            for method, operation in operations:
                fallback = key if len(operations) == 1 else f"{key}_{method}"
                self._trigger(fallback, method, operation, item, where)
        for text_key, places in self._dropped.items():
            self.messages.append(Message.warning(DROPPED[text_key], *places))

    # -- actions and triggers ------------------------------------------------------------
    @staticmethod
    def _operations(item: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        return [
            (key, value)
            for key, value in item.items()
            if key in HTTP_METHODS and isinstance(value, dict)
        ]

    def _name(
        self, operation: dict[str, Any], fallback: str, where: str, allocator: NameAllocator
    ) -> str:
        operation_id = operation.get("operationId")
        if not isinstance(operation_id, str) or not operation_id:
            return allocator.allocate(fallback)
        name = allocator.allocate(operation_id)
        id_where = f"{where}/operationId"
        if name != operation_id:
            first = self._operation_ids.get(operation_id)
            reason = (
                f"is a duplicate (first at {first})"
                if first
                else "is not a valid name (letters, digits, '_' and '-', at most 200 characters)"
            )
            self.messages.append(
                Message.warning(
                    f"operationId '{operation_id}' {reason}; renamed '{name}'.", id_where
                )
            )
        self._operation_ids.setdefault(operation_id, id_where)
        return name

    def _common(self, name: str, method: str, operation: dict[str, Any]) -> dict[str, Any]:
        mapped: dict[str, Any] = {"type": "http", "name": name}
        for key in ("summary", "description"):
            if isinstance(operation.get(key), str):
                mapped[key] = operation[key]
        mapped["method"] = method.upper()
        return mapped

    def _action(
        self,
        path: str,
        method: str,
        operation: dict[str, Any],
        item: dict[str, Any],
        item_where: str,
    ) -> None:
        where = f"{item_where}/{method}"
        name = self._name(operation, f"{method} {path}", where, self._action_names)
        action = self._common(name, method, operation)
        action["path"] = template_path(path)
        if len(action["path"]) > PATH_MAX:
            raise ImportFailure(
                "not_importable",
                f"A path is longer than {PATH_MAX} characters, the most an action's path may hold.",
                [Message.error(f"Paths are at most {PATH_MAX} characters.", item_where)],
            )
        action["parameters"] = self._parameters(item, item_where, operation, where, path=path)
        self._body_and_responses(action, operation, where, name)
        self._note_dropped("servers", operation, where)
        self._note_dropped("security", operation, where)
        self.actions.append(action)

        for callback_key, raw_callback in (operation.get("callbacks") or {}).items():
            callback_where = f"{where}/callbacks/{pointer(callback_key)[1:]}"
            callback, _ = self.doc.deref(raw_callback, callback_where, "a callback")
            expressions = [
                (e, self.doc.deref(raw, f"{callback_where}/{pointer(e)[1:]}", "a path item")[0])
                for e, raw in callback.items()
            ]
            for expression, callback_item in expressions:
                operations = self._operations(callback_item)
                for callback_method, callback_operation in operations:
                    fallback = f"{name}_{callback_key}"
                    if len(operations) > 1 or len(expressions) > 1:
                        fallback += f"_{callback_method}"
                    self._trigger(
                        fallback,
                        callback_method,
                        callback_operation,
                        callback_item,
                        f"{callback_where}/{pointer(expression)[1:]}",
                    )

    def _trigger(
        self,
        fallback: str,
        method: str,
        operation: dict[str, Any],
        item: dict[str, Any],
        item_where: str,
    ) -> None:
        where = f"{item_where}/{method}"
        name = self._name(operation, fallback, where, self._trigger_names)
        trigger = self._common(name, method, operation)
        trigger["parameters"] = self._parameters(item, item_where, operation, where, path=None)
        self._body_and_responses(trigger, operation, where, name)
        self.triggers.append(trigger)

    def _body_and_responses(
        self, mapped: dict[str, Any], operation: dict[str, Any], where: str, name: str
    ) -> None:
        if "requestBody" in operation:
            usage = f"{where}/requestBody"
            body, body_where = self.doc.deref(operation["requestBody"], usage, "a request body")
            owner = name if body_where == usage else _component_name(body_where)
            definitions = self._content(
                body.get("content") or {},
                f"{body_where}/content",
                f"{owner}_request",
                f"Request body of {owner}",
            )
            mapped["requestBody"] = {
                "required": body.get("required") is True,
                "definitions": _refs(definitions),
            }
        mapped["responses"] = self._responses(operation, where, name)

    # -- parameters ----------------------------------------------------------------------
    def _parameters(
        self,
        item: dict[str, Any],
        item_where: str,
        operation: dict[str, Any],
        where: str,
        *,
        path: str | None,
    ) -> list[dict[str, Any]]:
        merged: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        for source, source_where in ((item, item_where), (operation, where)):
            for index, raw in enumerate(source.get("parameters") or []):
                param_where = f"{source_where}/parameters/{index}"
                param, _ = self.doc.deref(raw, param_where, "a parameter")
                if param.get("in") not in LOCATIONS or not isinstance(param.get("name"), str):
                    raise ImportFailure(
                        "unresolvable_ref",
                        f"{param_where} is not a parameter (it needs a name and an in).",
                        [Message.error("Expected a parameter.", param_where)],
                    )
                merged[(param["name"], param["in"])] = (param, param_where)

        parameters = []
        for (name, location), (param, param_where) in merged.items():
            if location == "header" and name.lower() in IGNORED_HEADERS:
                self.messages.append(
                    Message.warning(
                        f"Header parameter '{name}' was dropped: OpenAPI ignores it.", param_where
                    )
                )
                continue
            if location == "path" and path is None:
                self.messages.append(
                    Message.warning(
                        f"Path parameter '{name}' was dropped: triggers have no path.", param_where
                    )
                )
                continue
            parameters.append(self._parameter(name, location, param, param_where))

        declared = {name for name, location in merged if location == "path"}
        for variable in PATH_VARIABLE.findall(path or ""):
            if variable not in declared:
                declared.add(variable)
                self.messages.append(
                    Message.warning(
                        f"Path variable '{variable}' has no parameter; added as a required string.",
                        where,
                    )
                )
                parameters.append(
                    {"name": variable, "in": "path", "required": True, "type": "string"}
                )
        return parameters

    def _parameter(
        self, name: str, location: str, param: dict[str, Any], where: str
    ) -> dict[str, Any]:
        mapped: dict[str, Any] = {
            "name": name,
            "in": location,
            "required": location == "path" or param.get("required") is True,
        }
        schema = param.get("schema")
        if schema is not None:
            schema, _ = self.doc.deref(schema, f"{where}/schema", "a schema")
        kind = schema.get("type") if isinstance(schema, dict) else None
        if isinstance(kind, list):
            non_null = [k for k in kind if k != "null"]
            kind = non_null[0] if len(non_null) == 1 else kind
        if kind is None and isinstance(schema, dict) and schema.get("enum"):
            kind = "string" if all(isinstance(v, str) for v in schema["enum"]) else None
        if kind in SCALAR_TYPES and isinstance(schema, dict):
            mapped["type"] = kind
            default = schema.get("default")
            if isinstance(default, str | int | float):  # bool is an int too
                mapped["default"] = default
            return mapped

        if schema is None and "content" in param:
            what = "is described by content"
        elif kind is None:
            what = "has no single scalar type"
        else:
            what = f"is of type {kind if isinstance(kind, str) else ' or '.join(map(str, kind))}"
        self.messages.append(
            Message.warning(
                f"Parameter '{name}' ({location}) {what}; it was approximated as a string.", where
            )
        )
        mapped["type"] = "string"
        return mapped

    # -- content and responses -----------------------------------------------------------
    def _content(
        self, content: dict[str, Any], where: str, name: str, description: str
    ) -> list[Definition]:
        used: list[Definition] = []
        seen: list[tuple[Any, Definition]] = []  # schemas already mapped for this content
        created = 0
        for raw_media, media_object in content.items():
            media_where = f"{where}/{pointer(raw_media)[1:]}"
            media = _media_type(raw_media)
            schema = media_object.get("schema") if isinstance(media_object, dict) else None
            if not 0 < len(media) <= MEDIA_TYPE_MAX:
                problem = f"is longer than {MEDIA_TYPE_MAX} characters" if media else "is empty"
                if media_where not in self._warned:
                    self._warned.add(media_where)
                    self.messages.append(
                        Message.warning(
                            f"The media type {problem}; it was not imported.", media_where
                        )
                    )
                continue
            if schema is None:
                if media_where not in self._warned:  # shared content is seen once per use
                    self._warned.add(media_where)
                    self.messages.append(
                        Message.warning(
                            f"Media type {media} has no schema; it was not imported.", media_where
                        )
                    )
                continue
            definition = next((d for s, d in seen if s == schema), None)
            if definition is None:
                schema_where = f"{media_where}/schema"
                definition = self.definitions.for_schema(
                    schema,
                    schema_where,
                    name if not created else f"{name}_{valid_name(media)}",
                    f"{description} ({media})",
                )
                created += definition.source == schema_where
                seen.append((schema, definition))
            self.definitions.use(definition, media)
            if definition not in used:
                used.append(definition)
        return used

    def _responses(self, operation: dict[str, Any], where: str, name: str) -> list[dict[str, Any]]:
        responses = operation.get("responses") or {}
        listed = {int(key) for key in responses if key.isdigit()}
        mapped = []
        for key, raw in responses.items():
            response_where = f"{where}/responses/{key}"
            response, target = self.doc.deref(raw, response_where, "a response")
            status: int | None = None
            if key.isdigit():
                status = int(key)
            elif STATUS_RANGE.match(key):
                status = int(key[0]) * 100
                if status in listed:
                    self.messages.append(
                        Message.warning(
                            f"Response range {key} was dropped: status {status} is listed too.",
                            response_where,
                        )
                    )
                    continue
                listed.add(status)
                self.messages.append(
                    Message.warning(
                        f"Response range {key} was approximated as status {status}.", response_where
                    )
                )
            elif key != "default":
                continue  # a specification extension (x-...)
            # A shared response (a $ref) is mapped once, named after its component.
            owner = (
                f"{name}_response_{key}" if target == response_where else _component_name(target)
            )
            definitions = self._content(
                response.get("content") or {},
                f"{target}/content",
                owner if target == response_where else f"{owner}_response",
                f"Response {key} of {name}" if target == response_where else f"Response {owner}",
            )
            # The contract's ActionHTTPResponseCreate/TriggerHTTPResponseCreate require an id.
            entry: dict[str, Any] = {"id": str(ULID()), "definitions": _refs(definitions)}
            if status is not None:
                entry["status"] = status
            mapped.append(entry)
            self._note_dropped("headers", response, target)
            self._note_dropped("links", response, target)
        if not mapped:
            self.messages.append(
                Message.warning("No responses are declared; a default response was added.", where)
            )
            mapped.append({"id": str(ULID()), "definitions": []})
        return mapped

    def _note_dropped(self, key: str, node: dict[str, Any], where: str) -> None:
        if node.get(key):
            self._dropped.setdefault(key, {})[f"{where}/{key}"] = None


def _component_name(where: str) -> str:
    """`/components/responses/Not~1Found` -> `Not/Found` (names are made valid later)."""
    return where.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")


def _refs(definitions: list[Definition]) -> list[dict[str, Any]]:
    return [{"definition": {"name": d.name}} for d in definitions]
