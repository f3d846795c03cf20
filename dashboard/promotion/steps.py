"""Promotion, step by step: what copying a connector version from environment A to B does to B.

A promotion is a list of steps (one bulk run item each), in order: the connector, its details,
each auth scheme config, its tags and categories (those when the connector is asked for
too), then the version, its definitions (a group where they refer to each other in a cycle,
created together), its actions and its triggers. What is copied is frozen from A when the
preview is made (`Source`, plain JSON kept in the run), so the run copies exactly what the
preview listed, through the service layer's contract operations only.

Every step first reads B (`Target`) and judges (`check`): missing → created; identical →
skipped; different → refused, never overwritten. So a run stopped halfway and run again does
what is left, without duplicates. Tags, categories and blank details are the exception that
proves the rule: A's are *added* to B's, nothing of B's is removed or replaced. Connections and
credentials are never copied: they hold secrets.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pydantic import TypeAdapter

from dashboard.connect import ConnectClient, NotFound
from dashboard.connect.models import (
    Action,
    ActionCreate,
    AuthSchemeConfig,
    ConnectionVariable,
    Connector,
    ConnectorVersion,
    Definition,
    DefinitionCreate,
    DefinitionLink,
    DefinitionLinkCreate,
    DefinitionRef,
    HTTPConnectorCreate,
    HTTPConnectorUpdate,
    HTTPRequestBodyCreate,
    HTTPResponseCreate,
    InlineSchema,
    Trigger,
    TriggerCreate,
)
from dashboard.openapi.breaking import Report, Snapshot
from dashboard.openapi.schema_diff import REF_PREFIXES
from dashboard.versions.contents import PAGE, load_contents, named_refs, schema_filename

from .compare import clash, compare_contents, conflicts, portable_config

CREATE, CHANGE, SKIP, REFUSE = "create", "change", "skip", "refuse"
_CONFIG = TypeAdapter(AuthSchemeConfig)


@dataclass(frozen=True)
class Verdict:
    status: str  # CREATE, CHANGE, SKIP or REFUSE
    message: str


@dataclass(frozen=True)
class Step:
    key: str  # "connector", "details", "config:<id>", "tags", "categories", "version",
    # "definitions:<first name of its group>", "action:<name>", "trigger:<name>"
    label: str


class Ambiguous(Exception):
    """B has several connectors of the name: promotion cannot tell which one is meant."""


# --- What is copied: frozen from A --------------------------------------------------------------


def freeze(
    source: ConnectClient,
    connector: Connector,
    version: ConnectorVersion | None,
    *,
    with_connector: bool,
) -> dict[str, Any]:
    """What a promotion copies from A, as JSON: the connector (without connections), its auth
    scheme configs in their portable form, and the version's contents as the version diff reads
    them (definitions' schemas referring to each other by name)."""
    frozen: dict[str, Any] = {
        "withConnector": with_connector,
        "connector": {
            "name": connector.name,
            "protocol": connector.protocol,
            "base_url": str(getattr(connector, "base_url", "")),
            "documentation_url": connector.documentation_url,
            "image_url": connector.image_url,
            "connection_variables": [v.to_api() for v in connector.connection_variables],
            "tags": connector.tags,
            "categories": connector.categories,
        },
        "configs": {c.id: portable_config(c) for c in connector.auth_scheme_configs},
        "version": None,
    }
    if version is not None:
        taken = contents(source, connector.id, version)
        frozen["version"] = {
            "name": version.name,
            "description": version.description,
            "actions": dict(taken.actions),
            "triggers": dict(taken.triggers),
            "definitions": dict(taken.definitions),
            "schemas": dict(taken.schemas),
        }
    return frozen


def contents(client: ConnectClient, connector_id: str, version: ConnectorVersion) -> Snapshot:
    """A version's contents as the version diff reads them (a published one's cached)."""
    return load_contents(client, connector_id, version).snapshot()


def snapshot(frozen_version: dict[str, Any]) -> Snapshot:
    return Snapshot(
        actions=frozen_version["actions"],
        triggers=frozen_version["triggers"],
        definitions=frozen_version["definitions"],
        schemas=frozen_version["schemas"],
    )


def steps(frozen: dict[str, Any]) -> list[Step]:
    """The promotion's steps, in the order they must run."""
    connector, found = frozen["connector"], []
    if frozen["withConnector"]:
        found.append(Step("connector", f"Connector “{connector['name']}”"))
        if connector["documentation_url"] or connector["image_url"]:
            found.append(Step("details", "Documentation and image URLs"))
        for config_id, config in frozen["configs"].items():
            described = config.get("description") or config["scheme_type"]
            found.append(
                Step(f"config:{config_id}", f"Auth scheme config “{described}” ({config_id})")
            )
        if connector["tags"]:
            found.append(Step("tags", "Tags"))
        if connector["categories"]:
            found.append(Step("categories", "Categories"))
    version = frozen["version"]
    if version is not None:
        found.append(Step("version", f"Version {version['name']}"))
        for group in definition_groups(version):
            names = ", ".join(f"“{name}”" for name in group)
            plural = "s" if len(group) > 1 else ""
            # Keyed by its first name (a key is short; the group follows from what is frozen).
            found.append(Step(f"definitions:{group[0]}", f"Definition{plural} {names}"))
        found += [Step(f"action:{name}", f"Action “{name}”") for name in version["actions"]]
        found += [Step(f"trigger:{name}", f"Trigger “{name}”") for name in version["triggers"]]
    return found


def definition_groups(version: dict[str, Any]) -> list[list[str]]:
    """The definitions in the order they can be created: each after those it refers to, those
    referring to each other in a cycle together (strongly connected components, Tarjan)."""
    names = list(version["definitions"])
    refers = {name: sorted(_refs(version["schemas"].get(name), set(names))) for name in names}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(name: str) -> None:  # recursion depth is bounded by the version's definitions
        index[name] = low[name] = len(index)
        stack.append(name)
        for other in refers[name]:
            if other not in index:
                visit(other)
                low[name] = min(low[name], low[other])
            elif other in stack:
                low[name] = min(low[name], index[other])
        if low[name] == index[name]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == name:
                    break
            groups.append(sorted(group))

    for name in names:
        if name not in index:
            visit(name)
    return groups  # Tarjan finds a component after every one it refers to


def _refs(schema: Any, known: set[str]) -> Iterator[str]:
    """The names of the version's definitions a schema refers to (`#/$defs/<name>`)."""
    found: set[str] = set()
    todo = [schema]
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                for prefix in REF_PREFIXES:
                    name = ref[len(prefix) :].split("/", 1)[0] if ref.startswith(prefix) else ""
                    if name in known:
                        found.add(name)
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
    return iter(found)


# --- B, as a step finds it ---------------------------------------------------------------------


def counterpart(client: ConnectClient, name: str) -> Connector | None:
    """The connector named exactly `name` in the client's environment, if any (several:
    `Ambiguous`)."""
    listed = client.connectors.list(name=name, first=PAGE).iter_all()
    found = [c for c in listed if c.name == name]
    if len(found) > 1:
        raise Ambiguous(f"There are {len(found)} connectors named “{name}”; rename all but one.")
    return client.connectors.get(found[0].id) if found else None


class Target:
    """Environment B for one step (or one preview): each thing read at most once."""

    def __init__(
        self,
        client: ConnectClient,
        frozen: dict[str, Any],
        *,
        preview: bool = False,
        there: str = "the target",
    ):
        self.client = client
        self.frozen = frozen
        self.there = there  # B's name, as messages say it
        # A preview judges every step before any runs: what earlier steps create is missing.
        self.preview = preview

    @cached_property
    def connector(self) -> Connector | None:
        return counterpart(self.client, self.frozen["connector"]["name"])

    @cached_property
    def version(self) -> ConnectorVersion | None:
        name = self.frozen["version"]["name"]
        connector = self.connector
        found = [v for v in connector.versions if v.name == name] if connector else []
        return found[0] if found else None

    @cached_property
    def definitions(self) -> dict[str, Definition]:
        if self.connector is None or self.version is None:
            return {}
        listed = self.client.definitions.list(self.connector.id, self.version.name, first=PAGE)
        return {d.name: d for d in listed.iter_all()}

    @cached_property
    def version_report(self) -> Report:
        """B's existing version against A's: the version diff from B to A."""
        assert self.connector is not None and self.version is not None
        theirs = contents(self.client, self.connector.id, self.version)
        return compare_contents(snapshot(self.frozen["version"]), theirs)

    def schema(self, definition: Definition) -> Any:
        """A definition's JSON Schema, referring to the others by name, as A's is frozen."""
        assert self.connector and self.version
        raw = self.client.definitions.raw_schema(
            self.connector.id, self.version.name, schema_filename(definition)
        )
        return named_refs(raw, {d.url: d.name for d in self.definitions.values()})

    def item(self, kind: str, name: str) -> Action | Trigger | None:
        if self.connector is None or self.version is None:
            return None
        resource = self.client.actions if kind == "action" else self.client.triggers
        try:
            return resource.get(self.connector.id, self.version.name, name)
        except NotFound:
            return None


# --- Judging and doing one step ----------------------------------------------------------------


def check(step: Step, target: Target) -> Verdict:
    """What the step would do to B as it is now (nothing is changed)."""
    kind, _, rest = step.key.partition(":")
    try:
        return _CHECKS[kind](target, rest)
    except Ambiguous as error:
        return Verdict(REFUSE, str(error))


def apply(step: Step, target: Target) -> None:
    """Do what `check` found to do (CREATE or CHANGE), through contract operations."""
    kind, _, rest = step.key.partition(":")
    _APPLY[kind](target, rest)


def _missing(target: Target, *, version: bool = False) -> Verdict | None:
    """A step needing the connector (and the version) in B, which an earlier step creates:
    a preview expects it; a run finding it missing refuses the step (its maker did not run)."""
    if target.connector is None:
        name = target.frozen["connector"]["name"]
        if not target.frozen["withConnector"]:
            return Verdict(
                REFUSE, f"{target.there} has no connector “{name}”: promote the connector too."
            )
        if target.preview:
            return Verdict(CREATE, "Created.")
        return Verdict(
            REFUSE, f"{target.there} has no connector “{name}”: its step did not create it."
        )
    if version and target.version is None:
        if target.preview:
            return Verdict(CREATE, "Created.")
        name = target.frozen["version"]["name"]
        return Verdict(REFUSE, f"{target.there} has no version {name}: its step did not create it.")
    return None


def _absent(target: Target) -> Verdict:
    verdict = _missing(target)
    assert verdict is not None
    return verdict


def _check_connector(target: Target, _: str) -> Verdict:
    wanted = target.frozen["connector"]
    if target.connector is None:
        if wanted["protocol"] != "http":
            return Verdict(REFUSE, "Only HTTP connectors can be created by promotion.")
        return Verdict(CREATE, f"Created (calls {wanted['base_url']}).")
    reason = clash(_as_connector(target), target.connector)
    if reason:
        return Verdict(
            REFUSE,
            f"Name clash: {target.there}'s “{wanted['name']}” is another connector: {reason}.",
        )
    return Verdict(SKIP, f"Already in {target.there}.")


def _as_connector(target: Target) -> Connector:
    """A's connector as the clash rule reads it, from what was frozen."""
    wanted = target.frozen["connector"]
    assert target.connector is not None
    return target.connector.model_copy(
        update={"protocol": wanted["protocol"], "base_url": wanted["base_url"]}
    )


def _apply_connector(target: Target, _: str) -> None:
    wanted = target.frozen["connector"]
    target.client.connectors.create_http(
        HTTPConnectorCreate(
            name=wanted["name"],
            base_url=wanted["base_url"],
            connection_variables=[
                ConnectionVariable.model_validate(v) for v in wanted["connection_variables"]
            ],
        )
    )


_DETAILS = (("documentation_url", "documentation URL"), ("image_url", "image URL"))


def _check_details(target: Target, _: str) -> Verdict:
    wanted = target.frozen["connector"]
    if target.connector is None and not target.preview:
        return _absent(target)
    if target.connector and target.connector.protocol != "http":
        return Verdict(SKIP, "Only an HTTP connector's details are copied.")
    blank, different = [], []
    for name, words in _DETAILS:
        theirs = getattr(target.connector, name) if target.connector else ""
        if wanted[name] and not theirs:
            blank.append(words)
        elif wanted[name] and theirs != wanted[name]:
            different.append(words)
    if different:
        return Verdict(
            REFUSE, f"{target.there} has another {' and '.join(different)}; left as it is."
        )
    if blank:
        return Verdict(CHANGE, f"Set the {' and '.join(blank)} (blank in {target.there}).")
    return Verdict(SKIP, f"Already the same in {target.there}.")


def _apply_details(target: Target, _: str) -> None:
    wanted, connector = target.frozen["connector"], target.connector
    assert connector is not None
    target.client.connectors.update(
        HTTPConnectorUpdate(
            id=connector.id,
            organisation_id=connector.organisation_id,
            name=connector.name,
            base_url=getattr(connector, "base_url", ""),
            tags=connector.tags,
            public=connector.public,
            documentation_url=connector.documentation_url or wanted["documentation_url"],
            image_url=connector.image_url or wanted["image_url"],
        ),
        if_unmodified_since=connector.updated_at,
    )


def _check_config(target: Target, config_id: str) -> Verdict:
    wanted = target.frozen["configs"][config_id]
    if target.connector is None and not target.preview:
        return _absent(target)
    configs = target.connector.auth_scheme_configs if target.connector else []
    theirs = {c.id: portable_config(c) for c in configs}
    if config_id in theirs:
        if theirs[config_id] == wanted:
            return Verdict(SKIP, f"Already in {target.there}.")
        return Verdict(
            REFUSE, f"{target.there} has a different config with this id; left as it is."
        )
    if wanted in theirs.values():
        return Verdict(SKIP, f"Already in {target.there} (under another id).")
    note = ""
    if "grant" in wanted and wanted["grant"].get("grant_type") != "client_credentials":
        note = f" Its OAuth 2.0 client ID and secret are not copied: set them in {target.there}."
    return Verdict(CREATE, "Created." + note)


def _apply_config(target: Target, config_id: str) -> None:
    connector = target.connector
    assert connector is not None
    config = _CONFIG.validate_python(target.frozen["configs"][config_id] | {"id": config_id})
    target.client.auth_scheme_configs.upsert(
        connector.id, config, if_unmodified_since=connector.updated_at
    )


def _missing_tags(target: Target) -> dict[str, list[str]]:
    theirs = target.connector.tags if target.connector else {}
    missing = {}
    for key, values in target.frozen["connector"]["tags"].items():
        lacking = [v for v in values if v not in theirs.get(key, [])]
        if lacking or key not in theirs:
            missing[key] = lacking
    return missing


def _check_tags(target: Target, _: str) -> Verdict:
    if target.connector is None and not target.preview:
        return _absent(target)
    missing = _missing_tags(target)
    if not missing:
        return Verdict(SKIP, f"{target.there} has every one of them.")
    listed = ", ".join(f"{k}:{v}" if v else k for k, vs in missing.items() for v in vs or [""])
    return Verdict(CHANGE, f"Add {listed} ({target.there}'s other tags are kept).")


def _apply_tags(target: Target, _: str) -> None:
    connector = target.connector
    assert connector is not None
    merged = {key: list(values) for key, values in connector.tags.items()}
    for key, values in _missing_tags(target).items():
        merged.setdefault(key, []).extend(values)
    target.client.connectors.update_tags(
        connector.id, merged, if_unmodified_since=connector.updated_at
    )


def _missing_categories(target: Target) -> list[str]:
    theirs = target.connector.categories if target.connector else []
    return [c for c in target.frozen["connector"]["categories"] if c not in theirs]


def _check_categories(target: Target, _: str) -> Verdict:
    if target.connector is None and not target.preview:
        return _absent(target)
    missing = _missing_categories(target)
    if not missing:
        return Verdict(SKIP, f"{target.there} has every one of them.")
    return Verdict(
        CHANGE, f"Add {', '.join(missing)} ({target.there}'s other categories are kept)."
    )


def _apply_categories(target: Target, _: str) -> None:
    connector = target.connector
    assert connector is not None
    target.client.connectors.update_categories(
        connector.id,
        [*connector.categories, *_missing_categories(target)],
        if_unmodified_since=connector.updated_at,
    )


def _check_version(target: Target, _: str) -> Verdict:
    wanted = target.frozen["version"]
    if refused := _missing(target):
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
    group = _group(wanted, first)
    if any(name not in wanted["schemas"] for name in group):
        return Verdict(REFUSE, "Not a JSON Schema: the service layer cannot copy it.")
    if refused := _missing(target, version=True):
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


def _group(version: dict[str, Any], first: str) -> list[str]:
    """The definitions created together with `first` (its step's key)."""
    return next(group for group in definition_groups(version) if group[0] == first)


def _definition_fields(definition: Definition) -> dict[str, Any]:
    return {"accept": definition.accept, "description": definition.description}


def _apply_definitions(target: Target, first: str) -> None:
    wanted, connector = target.frozen["version"], target.connector
    assert connector is not None and target.version is not None
    group = _group(wanted, first)
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
        if refused := _missing(target, version=True):
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


_CHECKS = {
    "connector": _check_connector,
    "details": _check_details,
    "config": _check_config,
    "tags": _check_tags,
    "categories": _check_categories,
    "version": _check_version,
    "definitions": _check_definitions,
    "action": _check_item("action"),
    "trigger": _check_item("trigger"),
}
_APPLY = {
    "connector": _apply_connector,
    "details": _apply_details,
    "config": _apply_config,
    "tags": _apply_tags,
    "categories": _apply_categories,
    "version": _apply_version,
    "definitions": _apply_definitions,
    "action": _apply_item("action"),
    "trigger": _apply_item("trigger"),
}
