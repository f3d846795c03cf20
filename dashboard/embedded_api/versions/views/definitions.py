"""GetDefinitions, CreateDefinitions, DeleteDefinitions, and Get/Update/DeleteDefinition."""

from django.db import transaction

from ...errors import ApiError, bad_request
from ...http import check_unmodified, created, no_content, parse_body, query_flag
from ...models import Definition
from ...pagination import paginate
from ..contents import Catalogue, add_definitions, touch, unique_names, update_definition
from ..lookup import child_of, connector_of, draft_of, is_ulid, name_filter, readable_version
from ..schemas import DefinitionsCreate, DefinitionsDelete, DefinitionUpdate
from ..serialise import referenced_by, referrers, serialise_definition, with_referrers

SORTABLE = {"updatedAt": "updated_at"}


def list_definitions(request, organisation_id, connector_id, version) -> dict:
    found = readable_version(organisation_id, connector_id, version)
    definitions = found.definitions.defer("schema", "source")
    if (name := name_filter(request)) is not None:
        definitions = definitions.filter(name__icontains=name)
    page = paginate(request, with_referrers(definitions), sortable=SORTABLE)
    return {
        "definitions": [serialise_definition(item, found) for item in page.items],
        **page.info(),
    }


def create_definitions(request, organisation_id, connector_id, version):
    connector = connector_of(organisation_id, connector_id)
    with unique_names("definition"), transaction.atomic():
        found = draft_of(connector, version, "definition")
        body = parse_body(request, DefinitionsCreate)
        new = add_definitions(
            found, body.definitions, Catalogue.load(found), lambda i: f"definitions[{i}]."
        )
        touch(found)
    fresh = with_referrers(Definition.objects.filter(pk__in=[item.pk for item in new])).in_bulk()
    return created({"definitions": [serialise_definition(fresh[item.pk], found) for item in new]})


def get_definition(request, organisation_id, connector_id, version, definition_name) -> dict:
    found = readable_version(organisation_id, connector_id, version)
    definition = child_of(
        found.definitions.defer("schema", "source"), definition_name, "definition"
    )
    data = serialise_definition(definition, found, with_references=False)
    return data | {"referencedBy": referrers(definition)}


def update_definition_view(request, organisation_id, connector_id, version, definition_name):
    connector = connector_of(organisation_id, connector_id)
    with unique_names("definition"), transaction.atomic():
        found = draft_of(connector, version, "definition")
        definition = child_of(found.definitions.all(), definition_name, "definition")
        definition.version = found
        check_unmodified(request, definition.updated_at)
        body = parse_body(request, DefinitionUpdate)
        update_definition(definition, body, Catalogue.load(found))
        touch(found)
    fresh = child_of(with_referrers(found.definitions.all()), body.name, "definition")
    return serialise_definition(fresh, found)


def delete_definition(request, organisation_id, connector_id, version, definition_name):
    connector = connector_of(organisation_id, connector_id)
    force = query_flag(request, "force")
    with transaction.atomic():
        found = draft_of(connector, version, "definition")
        definitions = with_referrers(found.definitions.defer("schema", "source"))
        definition = child_of(definitions, definition_name, "definition")
        _delete(found, [definition], force)
    return no_content()


def delete_definitions(request, organisation_id, connector_id, version):
    connector = connector_of(organisation_id, connector_id)
    force = query_flag(request, "force")
    with transaction.atomic():
        found = draft_of(connector, version, "definition")
        body = parse_body(request, DefinitionsDelete)
        definitions = with_referrers(found.definitions.defer("schema", "source"))
        if body.all:
            targets = list(definitions)
        else:
            targets = _selected(definitions, body.ids or [], body.names or [])
        _delete(found, targets, force)
    return no_content()


def _selected(definitions, ids: list[str], names: list[str]) -> list[Definition]:
    by_id = {item.pk: item for item in definitions.filter(pk__in=[i for i in ids if is_ulid(i)])}
    by_name = {item.name: item for item in definitions.filter(name__in=names)}
    missing = [
        {"field": f"ids[{index}]", "message": f"no definition with id '{value}'"}
        for index, value in enumerate(ids)
        if value not in by_id
    ] + [
        {"field": f"names[{index}]", "message": f"no definition named '{value}'"}
        for index, value in enumerate(names)
        if value not in by_name
    ]
    if missing:
        raise ApiError(404, "not_found", "Some definitions to delete do not exist.", missing)
    twice = [
        {"field": f"names[{index}]", "message": "this definition is also listed in 'ids'"}
        for index, value in enumerate(names)
        if by_name[value].pk in by_id
    ]
    if twice:
        raise bad_request("Name each definition once, by id or by name.", twice)
    return list({item.pk: item for item in [*by_id.values(), *by_name.values()]}.values())


def _delete(version, targets: list[Definition], force: bool) -> None:
    """Delete definitions; unless `force`, refuse (412) while anything outside the deleted set
    refers to them. Forced deletes leave dangling references that block publishing."""
    doomed = {item.pk for item in targets}
    blocked = [
        (item, refs)
        for item in targets
        if (refs := [ref for ref in referenced_by(item) if ref["id"] not in doomed])
    ]
    if blocked and not force:
        first, refs = blocked[0]
        raise ApiError(
            412,
            "definition_referenced",
            f"Definition '{first.name}' is referenced by other definitions, actions or triggers; "
            "change them first, or delete with force=true.",
            [
                {
                    "field": f"definitions.{item.name}",
                    "message": "referenced by "
                    + ", ".join(f"{ref['type']} '{ref['name']}'" for ref in item_refs),
                }
                for item, item_refs in blocked
            ],
            extra={"definition": {"id": first.pk, "name": first.name, "referencedBy": refs}},
        )
    Definition.objects.filter(pk__in=doomed).delete()
    touch(version)
