"""Creating, changing and copying what a version contains: definitions, actions, triggers.

One implementation serves the API handlers, the OpenAPI importer (`create_version_contents`)
and copies (`fromVersion`, library import). Handlers hold the version row locked and check it
is a draft (`lookup.draft_of`); these functions check names and resolve definition references.
"""

from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from pydantic import BaseModel

from ..errors import ApiError, bad_request, conflict, immutable
from ..http import UNSTORABLE, unstorable_in
from ..models import Action, ConnectorVersion, Definition, Trigger
from ..models.base import new_id
from . import schema_content
from .lookup import is_ulid
from .schemas import (
    ActionBody,
    DefinitionCreate,
    DefinitionLink,
    DefinitionUpdate,
    TriggerBody,
)

Where = Callable[[int], str]


@dataclass(frozen=True)
class Kind:
    """Actions and triggers differ only in these respects."""

    name: str
    plural: str
    model: type[Action] | type[Trigger]
    body: type[ActionBody] | type[TriggerBody]
    has_path: bool


ACTION = Kind("action", "actions", Action, ActionBody, has_path=True)
TRIGGER = Kind("trigger", "triggers", Trigger, TriggerBody, has_path=False)


class VersionContents(BaseModel):
    definitions: list[DefinitionCreate] = []
    actions: list[ActionBody] = []
    triggers: list[TriggerBody] = []


@dataclass
class Catalogue:
    """A version's definitions by id and by name (schemas deferred): what references resolve
    against and what action/trigger responses embed."""

    version: ConnectorVersion
    by_id: dict[str, Definition] = field(default_factory=dict)
    by_name: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, version: ConnectorVersion, ids: Iterable[str] | None = None) -> "Catalogue":
        rows = version.definitions.defer("schema", "source")
        if ids is not None:
            rows = rows.filter(pk__in=set(ids))
        catalogue = cls(version)
        catalogue.add(rows)
        return catalogue

    def add(self, definitions: Iterable[Definition]) -> None:
        for definition in definitions:
            self.by_id[definition.pk] = definition
            self.by_name[definition.name] = definition.pk


@contextmanager
def unique_names(what: str):
    """Turn a unique-constraint race (two writers, same name) into the contract's 409."""
    try:
        yield
    except IntegrityError:
        raise conflict(f"A {what} with this name already exists.", "name") from None


def touch(version: ConnectorVersion) -> None:
    """A change to a version or its children bumps the version's and connector's `updatedAt`."""
    now = timezone.now()
    version.touch(now)
    version.connector.touch(now)


def create_version_contents(
    version: ConnectorVersion,
    definitions: Sequence[dict] = (),
    actions: Sequence[dict] = (),
    triggers: Sequence[dict] = (),
) -> tuple[list[Definition], list[Action], list[Trigger]]:
    """Create definitions, actions and triggers in a draft version, all or nothing.

    Payloads are contract-shaped: DefinitionsCreateDefinition (references between definitions
    as `#/$defs/<name>`), ActionCreate and TriggerCreate (DefinitionRef by `name` or `id`).
    Raises ApiError (400/409 with `fields` such as `actions[3].name`; 409 if the version is
    published) or pydantic's ValidationError; nothing is created on error.
    """
    payload = {
        "definitions": list(definitions),
        "actions": list(actions),
        "triggers": list(triggers),
    }
    # Not a request body, so not checked as one is read (`http.json_body`).
    if (where := unstorable_in(payload)) is not None:
        raise bad_request("Some text cannot be stored.", [{"field": where, "message": UNSTORABLE}])
    contents = VersionContents.model_validate(payload)
    with unique_names("definition, action or trigger"), transaction.atomic():
        if ConnectorVersion.objects.select_for_update().get(pk=version.pk).is_published:
            raise immutable("connector version")
        catalogue = Catalogue.load(version)
        created = (
            add_definitions(
                version, contents.definitions, catalogue, lambda i: f"definitions[{i}]."
            ),
            add_endpoints(version, ACTION, contents.actions, catalogue, lambda i: f"actions[{i}]."),
            add_endpoints(
                version, TRIGGER, contents.triggers, catalogue, lambda i: f"triggers[{i}]."
            ),
        )
        touch(version)
    return created


# --- definitions ---------------------------------------------------------------------------


def add_definitions(
    version: ConnectorVersion,
    items: list[DefinitionCreate],
    catalogue: Catalogue,
    where: Where,
) -> list[Definition]:
    """Create definitions that may reference each other (cycles included) and existing ones."""
    if not items:
        return []
    _check_new_names([item.name for item in items], catalogue.by_name, where, "definition")
    new = [
        Definition(
            id=new_id(),
            version=version,
            name=item.name,
            description=item.description,
            accept=item.accept,
            content_type=item.schema_.contentType,
        )
        for item in items
    ]
    ids_by_name = catalogue.by_name | {definition.name: definition.pk for definition in new}
    known = set(catalogue.by_id) | {definition.pk for definition in new}
    problems, references = [], {}
    for index, (item, definition) in enumerate(zip(items, new, strict=True)):
        found, references[definition.pk] = _set_schema(
            definition, item.schema_, ids_by_name, known, where(index)
        )
        problems += found
    if problems:
        raise bad_request("Some definitions refer to definitions that do not exist.", problems)
    Definition.objects.bulk_create(new)
    _link_references(references)
    catalogue.add(new)
    return new


def update_definition(
    definition: Definition, body: DefinitionUpdate, catalogue: Catalogue
) -> Definition:
    if body.id != definition.pk:
        raise _read_only("id", "must be the id of the definition in the path")
    if body.name != definition.name:
        _check_new_names([body.name], catalogue.by_name, lambda _: "", "definition")
    definition.name = body.name
    definition.accept = body.accept
    if body.description is not None:
        definition.description = body.description
    if body.schema_ is not None:
        ids_by_name = catalogue.by_name | {body.name: definition.pk}
        problems, references = _set_schema(
            definition, body.schema_, ids_by_name, set(catalogue.by_id), ""
        )
        if problems:
            raise bad_request("The schema refers to definitions that do not exist.", problems)
        definition.content_type = body.schema_.contentType
        definition.references.clear()
        _link_references({definition.pk: references})
    definition.updated_at = timezone.now()
    definition.save()
    return definition


def _set_schema(definition, inline, ids_by_name, known, where: str) -> tuple[list[dict], set[str]]:
    """Parse and store `inline` on `definition`: the problems with its references, and the
    ids of the definitions it refers to."""
    parsed = schema_content.parse(inline.contentType, inline.content, f"{where}schema")
    definition.source = parsed.source
    definition.schema = None
    if not schema_content.is_json_schema(inline.contentType):
        return [], set()
    version = definition.version
    home = schema_content.schema_url(
        version.connector.organisation_id, version.connector_id, version.name, ""
    )
    internal = schema_content.internalise(parsed.schema, ids_by_name, known, home)
    definition.schema = internal.schema
    problems = [
        {
            "field": f"{where}schema.content",
            "message": f"'{ref}' names no definition of this version",
        }
        for ref in internal.missing
    ]
    return problems, internal.referenced


def _link_references(references: dict[str, set[str]]) -> None:
    """Mirror schema references (definition id -> ids it refers to) in `references`."""
    through = Definition.references.through
    through.objects.bulk_create(
        [
            through(from_definition_id=definition_id, to_definition_id=target)
            for definition_id, targets in references.items()
            for target in sorted(targets)
        ]
    )


# --- actions and triggers ------------------------------------------------------------------


def add_endpoints(
    version: ConnectorVersion,
    kind: Kind,
    bodies: list[ActionBody | TriggerBody],
    catalogue: Catalogue,
    where: Where,
) -> list[Action | Trigger]:
    if not bodies:
        return []
    existing = set(
        kind.model.objects.filter(
            version=version, name__in=[body.name for body in bodies]
        ).values_list("name", flat=True)
    )
    _check_new_names([body.name for body in bodies], existing, where, kind.name)
    items, links = [], {}
    for index, body in enumerate(bodies):
        _check_protocol(version, body, where(index))
        spec, linked = _spec(kind, body, catalogue, where(index))
        item = kind.model(
            id=new_id(),
            version=version,
            name=body.name,
            type=body.type,
            summary=body.summary,
            description=body.description,
            spec=spec,
        )
        items.append(item)
        links[item.pk] = linked
    kind.model.objects.bulk_create(items)
    _link_definitions(kind, links)
    return items


def update_endpoint(
    item: Action | Trigger, kind: Kind, body: ActionBody | TriggerBody, catalogue: Catalogue
) -> Action | Trigger:
    if body.id is not None and body.id != item.pk:
        raise _read_only("id", f"must be the id of the {kind.name} in the path")
    if body.name != item.name:
        taken = kind.model.objects.filter(version=item.version, name=body.name).exists()
        _check_new_names([body.name], {body.name} if taken else set(), lambda _: "", kind.name)
    _check_protocol(item.version, body, "")
    item.spec, linked = _spec(kind, body, catalogue, "")
    item.name, item.type = body.name, body.type
    item.summary, item.description = body.summary, body.description
    item.updated_at = timezone.now()
    item.save()
    item.definitions.clear()
    _link_definitions(kind, {item.pk: linked})
    return item


def _check_protocol(version: ConnectorVersion, body, where: str) -> None:
    protocol = version.connector.protocol
    if body.type != protocol:
        raise bad_request(
            f"A {protocol} connector cannot have {body.type} actions or triggers.",
            [
                {
                    "field": f"{where}type",
                    "message": f"must match the connector's protocol ({protocol})",
                }
            ],
        )


def _spec(kind: Kind, body, catalogue: Catalogue, where: str) -> tuple[dict, set[str]]:
    """The stored form of an action/trigger body, and the ids of the definitions it links."""
    linked: set[str] = set()
    problems: list[dict] = []

    def links(items: list[DefinitionLink], at: str) -> list[dict]:
        resolved, used = [], set()
        for index, link in enumerate(items):
            definition_id = _resolve(link.definition, catalogue)
            if definition_id is None:
                ref = link.definition
                problems.append(
                    {
                        "field": f"{where}{at}.definitions[{index}].definition",
                        "message": f"no definition {'id ' + ref.id if ref.id else ref.name!r} "
                        "in this version",
                    }
                )
                continue
            link_id = link.id if link.id and is_ulid(link.id) and link.id not in used else new_id()
            used.add(link_id)
            linked.add(definition_id)
            resolved.append({"id": link_id, "definition": definition_id})
        return resolved

    spec: dict = {"method": body.method}
    if kind.has_path:
        spec["path"] = body.path
    spec["parameters"] = [
        parameter.model_dump(by_alias=True, exclude_unset=True) for parameter in body.parameters
    ]
    if body.requestBody is not None:
        spec["requestBody"] = {
            "required": body.requestBody.required,
            "definitions": links(body.requestBody.definitions, "requestBody"),
        }
    responses, used_ids = [], set()
    for index, response in enumerate(body.responses):
        response_id = response.id
        if not (response_id and is_ulid(response_id)) or response_id in used_ids:
            response_id = new_id()
        used_ids.add(response_id)
        stored = {
            "id": response_id,
            "definitions": links(response.definitions, f"responses[{index}]"),
        }
        if response.status is not None:
            stored["status"] = response.status
        responses.append(stored)
    spec["responses"] = responses
    if problems:
        raise bad_request(f"The {kind.name} links definitions that do not exist.", problems)
    return spec, linked


def _resolve(ref, catalogue: Catalogue) -> str | None:
    if ref.id:
        return ref.id if ref.id in catalogue.by_id else None
    return catalogue.by_name.get(ref.name)


def _link_definitions(kind: Kind, links: dict[str, set[str]]) -> None:
    through = kind.model.definitions.through
    column = f"{kind.name}_id"
    through.objects.bulk_create(
        [
            through(**{column: item_id, "definition_id": definition_id})
            for item_id, definition_ids in links.items()
            for definition_id in sorted(definition_ids)
        ]
    )


# --- copies --------------------------------------------------------------------------------


def copy_version_contents(source: ConnectorVersion, target: ConnectorVersion) -> None:
    """Copy every definition, action and trigger of `source` into the empty `target` (new ids,
    references and links moved to the copies)."""
    now = timezone.now()
    definitions = list(source.definitions.all())
    new_ids = {definition.pk: new_id() for definition in definitions}
    Definition.objects.bulk_create(
        [
            Definition(
                id=new_ids[definition.pk],
                version=target,
                name=definition.name,
                description=definition.description,
                accept=definition.accept,
                content_type=definition.content_type,
                schema=None
                if definition.schema is None
                else schema_content.remap(definition.schema, new_ids),
                source=definition.source,
                created_at=now,
                updated_at=now,
            )
            for definition in definitions
        ]
    )
    references = Definition.references.through
    references.objects.bulk_create(
        [
            references(from_definition_id=new_ids[start], to_definition_id=new_ids[end])
            for start, end in references.objects.filter(
                from_definition__version=source
            ).values_list("from_definition_id", "to_definition_id")
        ]
    )
    for kind in (ACTION, TRIGGER):
        items = list(kind.model.objects.filter(version=source))
        item_ids = {item.pk: new_id() for item in items}
        kind.model.objects.bulk_create(
            [
                kind.model(
                    id=item_ids[item.pk],
                    version=target,
                    name=item.name,
                    type=item.type,
                    summary=item.summary,
                    description=item.description,
                    spec=_remap_links(item.spec, new_ids),
                    created_at=now,
                    updated_at=now,
                )
                for item in items
            ]
        )
        through = kind.model.definitions.through
        column = f"{kind.name}_id"
        through.objects.bulk_create(
            [
                through(**{column: item_ids[item_id], "definition_id": new_ids[definition_id]})
                for item_id, definition_id in through.objects.filter(
                    **{f"{kind.name}__version": source}
                ).values_list(column, "definition_id")
            ]
        )


def _remap_links(spec: dict, new_ids: dict[str, str]) -> dict:
    def moved(links: list[dict]) -> list[dict]:
        return [
            {**link, "definition": new_ids.get(link["definition"], link["definition"])}
            for link in links
        ]

    copy = dict(spec)
    if "requestBody" in spec:
        copy["requestBody"] = {
            **spec["requestBody"],
            "definitions": moved(spec["requestBody"]["definitions"]),
        }
    copy["responses"] = [
        {**response, "definitions": moved(response["definitions"])}
        for response in spec.get("responses", [])
    ]
    return copy


# --- checks --------------------------------------------------------------------------------


def _check_new_names(names: list[str], taken: Iterable[str], where: Where, what: str) -> None:
    taken = set(taken)
    problems, seen = [], set()
    for index, name in enumerate(names):
        if name in taken or name in seen:
            problems.append(
                {"field": f"{where(index)}name", "message": f"another {what} is named '{name}'"}
            )
        seen.add(name)
    if problems:
        raise ApiError(409, "conflict", f"The {what} name is already in use.", problems)


def _read_only(field_name: str, message: str) -> ApiError:
    return bad_request(
        f"'{field_name}' is read-only: it {message}.", [{"field": field_name, "message": message}]
    )
