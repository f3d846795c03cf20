"""The steps that copy a version's contents: the version (a draft), its definitions (a group
at a time, in `ordering`'s order), its actions and its triggers. An item B already has with
other contents is refused, never overwritten: the version diff says how it differs."""

import json
from typing import Any

from dashboard.connect.models import (
    Action,
    ActionCreate,
    Definition,
    DefinitionCreate,
    DefinitionLink,
    DefinitionLinkCreate,
    DefinitionRef,
    HTTPRequestBodyCreate,
    HTTPResponseCreate,
    InlineSchema,
    Trigger,
    TriggerCreate,
)
from dashboard.openapi.breaking import Snapshot
from dashboard.openapi.schema_diff import REF_PREFIXES

from .compare import compare_contents, conflicts
from .frozen import snapshot
from .target import CHANGE, CREATE, REFUSE, SKIP, Target, Verdict, missing


def _check_version(target: Target, _: str) -> Verdict:
    wanted = target.frozen["version"]
    if refused := missing(target):
        return refused
    if target.version is None:
        return Verdict(CREATE, "Created as a draft.")
    found = version_conflicts(target)
    if found:
        return Verdict(
            REFUSE, f"{target.there}'s {wanted['name']} has other contents: {'; '.join(found)}."
        )
    if wanted["description"] and not target.version.description:
        return Verdict(CHANGE, f"Set its description (blank in {target.there}).")
    return Verdict(SKIP, f"Already in {target.there}.")


def version_conflicts(target: Target) -> list[str]:
    """How B's existing version differs from A's, beyond items a draft still lacks."""
    assert target.version is not None
    return list(conflicts(target.version_report, b_is_draft=not target.version.is_published))


def _apply_version(target: Target, _: str) -> None:
    wanted, connector = target.frozen["version"], target.connector
    assert connector is not None
    version = target.version or target.client.versions.create(connector.id, wanted["name"])
    if wanted["description"] and not version.description:
        target.client.versions.update(
            connector.id,
            version.model_copy(update={"description": wanted["description"]}),
            if_unmodified_since=version.updated_at,
        )


def _same(kind: str, name: str, wanted: dict[str, Any], theirs: Snapshot) -> list[str]:
    """The version diff's findings about one item (none: B's is identical)."""
    mine = snapshot(wanted)
    report = compare_contents(mine, theirs)
    return [f.what for f in report.findings if f.kind == kind and f.name == name]


def _check_definitions(target: Target, first: str) -> Verdict:
    wanted = target.frozen["version"]
    group = target.definition_groups[first]
    if any(name not in wanted["schemas"] for name in group):
        return Verdict(REFUSE, "Not a JSON Schema: the service layer cannot copy it.")
    if refused := missing(target, version=True):
        return refused
    present = [name for name in group if name in target.definitions]
    for name in present:
        theirs = Snapshot(
            definitions={name: _definition_fields(target.definitions[name])},
            schemas={name: target.schema(target.definitions[name])},
        )
        alone = wanted | {
            "actions": {},
            "triggers": {},
            "definitions": {name: wanted["definitions"][name]},
            "schemas": {name: wanted["schemas"][name]},
        }
        if found := _same("definition", name, alone, theirs):
            return Verdict(
                REFUSE, f"{target.there}'s “{name}” differs: {'; '.join(found)}. Left as it is."
            )
    if len(present) == len(group):
        return Verdict(SKIP, f"Already in {target.there}.")
    return Verdict(
        CREATE, "Created." if not present else f"Created ({target.there} had {', '.join(present)})."
    )


def _definition_fields(definition: Definition) -> dict[str, Any]:
    return {"accept": definition.accept, "description": definition.description}


def _apply_definitions(target: Target, first: str) -> None:
    wanted, connector = target.frozen["version"], target.connector
    assert connector is not None and target.version is not None
    group = target.definition_groups[first]
    missing = [name for name in group if name not in target.definitions]
    existing = {name: d.url for name, d in target.definitions.items()}
    target.client.definitions.create(
        connector.id,
        target.version.name,
        [
            DefinitionCreate(
                name=name,
                accept=wanted["definitions"][name].get("accept") or ["application/json"],
                description=wanted["definitions"][name].get("description") or "",
                schema_=InlineSchema(
                    content=json.dumps(_referring_to(wanted["schemas"][name], existing))
                ),
            )
            for name in missing
        ],
    )


def _referring_to(schema: Any, existing: dict[str, str]) -> Any:
    """A's schema for B: references to definitions B already has become their URLs (as the
    contract asks); those created in the same call stay `#/$defs/<name>`."""
    if isinstance(schema, list):
        return [_referring_to(item, existing) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {}
    for key, value in schema.items():
        if key == "$ref" and isinstance(value, str):
            for prefix in REF_PREFIXES:
                if value.startswith(prefix):
                    name, slash, pointer = value[len(prefix) :].partition("/")
                    if name in existing:
                        value = existing[name] + (f"#/{pointer}" if slash else "")
        result[key] = _referring_to(value, existing)
    return result


def _check_item(kind: str):
    def check_item(target: Target, name: str) -> Verdict:
        if refused := missing(target, version=True):
            return refused
        theirs = target.item(kind, name)
        if theirs is None:
            return Verdict(CREATE, "Created.")
        wanted = target.frozen["version"]
        dumped = theirs.model_dump(by_alias=True, mode="json")
        mine = wanted | {
            "actions": {name: wanted["actions"][name]} if kind == "action" else {},
            "triggers": {name: wanted["triggers"][name]} if kind == "trigger" else {},
            "definitions": {},
            "schemas": {},
        }
        plural = f"{kind}s"
        found = _same(kind, name, mine, Snapshot(**{plural: {name: dumped}}))
        if found:
            return Verdict(REFUSE, f"{target.there}'s differs: {'; '.join(found)}. Left as it is.")
        return Verdict(SKIP, f"Already in {target.there}.")

    return check_item


def _links(links: list[DefinitionLink]) -> list[DefinitionLinkCreate]:
    return [
        DefinitionLinkCreate(definition=DefinitionRef(name=link.definition.name)) for link in links
    ]


def _apply_item(kind: str):
    def apply_item(target: Target, name: str) -> None:
        connector, version = target.connector, target.version
        assert connector is not None and version is not None
        frozen = target.frozen["version"][f"{kind}s"][name]
        item = (Action if kind == "action" else Trigger).model_validate(frozen)
        body = item.request_body
        fields: dict[str, Any] = {
            "name": name,
            "summary": item.summary,
            "description": item.description,
            "method": item.method,
            "parameters": item.parameters,
            "request_body": body
            and HTTPRequestBodyCreate(required=body.required, definitions=_links(body.definitions)),
            "responses": [
                HTTPResponseCreate(status=r.status, definitions=_links(r.definitions))
                for r in item.responses
            ],
        }
        if isinstance(item, Action):
            target.client.actions.create(
                connector.id, version.name, ActionCreate(path=item.path, **fields)
            )
        else:
            target.client.triggers.create(connector.id, version.name, TriggerCreate(**fields))

    return apply_item


CHECKS = {
    "version": _check_version,
    "definitions": _check_definitions,
    "action": _check_item("action"),
    "trigger": _check_item("trigger"),
}
APPLY = {
    "version": _apply_version,
    "definitions": _apply_definitions,
    "action": _apply_item("action"),
    "trigger": _apply_item("trigger"),
}
