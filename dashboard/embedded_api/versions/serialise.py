"""Versions, definitions, actions and triggers as the contract's JSON."""

from django.db.models import CharField, Prefetch, Value

from ..http import iso
from ..models import Action, ConnectorVersion, Definition, Trigger
from . import schema_content
from .contents import Catalogue, Kind
from .lookup import Markers, markers, markers_of
from .validation import endpoint_errors


def serialise_version(version: ConnectorVersion, marks: Markers | None = None) -> dict:
    """A ConnectorVersion. Pass `marks` (from `lookup.markers`) when serialising several
    versions of one connector, to compute `latest`/`default` once."""
    marks = marks or markers(version.connector_id)
    return {
        "id": version.pk,
        "name": version.name,
        "description": version.description,
        "isLatest": version.pk == marks.latest_id,
        "isDefault": version.pk == marks.default_id,
        "createdAt": iso(version.created_at),
        "updatedAt": iso(version.updated_at),
        "publishedAt": iso(version.published_at),
    }


def serialise_versions(versions: list[ConnectorVersion]) -> list[dict]:
    """Every version of a connector (all of them, as prefetched), most recently updated
    first, for connector responses."""
    versions = list(versions)
    marks = markers_of(versions)
    versions.sort(key=lambda version: (version.updated_at, version.pk), reverse=True)
    return [serialise_version(version, marks) for version in versions]


def definition_url(version: ConnectorVersion, definition: Definition) -> str:
    filename = f"{definition.pk}.{schema_content.extension(definition.content_type)}"
    connector = version.connector
    return schema_content.schema_url(
        connector.organisation_id, connector.pk, version.name, filename
    )


def serialise_definition(
    definition: Definition, version: ConnectorVersion, *, with_references: bool = True
) -> dict:
    """A Definition. `referencedBy` needs `with_referrers()` prefetched on the queryset."""
    data = {
        "id": definition.pk,
        "name": definition.name,
        "accept": definition.accept,
        "description": definition.description,
        "url": definition_url(version, definition),
    }
    if with_references:
        data["referencedBy"] = referenced_by(definition)
    return data


def with_referrers(definitions):
    """Prefetch what `referencedBy` lists (three queries for a whole page)."""
    return definitions.prefetch_related(
        Prefetch("referenced_by", queryset=Definition.objects.only("id", "name")),
        Prefetch("actions", queryset=Action.objects.only("id", "name")),
        Prefetch("triggers", queryset=Trigger.objects.only("id", "name")),
    )


def referenced_by(definition: Definition) -> list[dict]:
    refs = [("definition", item) for item in definition.referenced_by.all()]
    refs += [("action", item) for item in definition.actions.all()]
    refs += [("trigger", item) for item in definition.triggers.all()]
    return [
        {"type": kind, "id": item.pk, "name": item.name}
        for kind, item in sorted(refs, key=lambda ref: (ref[0], ref[1].name))
    ]


def referrers(definition: Definition) -> list[dict]:
    """`referenced_by` for one definition without prefetching: one query instead of three."""

    def rows(queryset, kind: str):
        return queryset.values_list(Value(kind, output_field=CharField()), "id", "name")

    found = rows(Definition.objects.filter(references=definition), "definition").union(
        rows(Action.objects.filter(definitions=definition), "action"),
        rows(Trigger.objects.filter(definitions=definition), "trigger"),
        all=True,
    )
    return [
        {"type": kind, "id": pk, "name": name}
        for kind, pk, name in sorted(found, key=lambda row: (row[0], row[2]))
    ]


def linked_ids(items) -> set[str]:
    """The ids of every definition some action/trigger in `items` links to."""
    ids = set()
    for item in items:
        spec = item.spec
        bodies = [spec["requestBody"]] if "requestBody" in spec else []
        for body in bodies + spec.get("responses", []):
            ids.update(link["definition"] for link in body["definitions"])
    return ids


def serialise_endpoint(item: Action | Trigger, kind: Kind, catalogue: Catalogue) -> dict:
    """An Action or Trigger with its linked definitions embedded and its current `errors`.

    `catalogue` must hold the linked definitions (see `linked_ids`); links to definitions
    deleted with `force` are left out here and reported in `errors`.
    """
    spec = item.spec
    version = catalogue.version

    def links(stored: list[dict]) -> list[dict]:
        return [
            {
                "id": link["id"],
                "definition": serialise_definition(
                    catalogue.by_id[link["definition"]], version, with_references=False
                ),
            }
            for link in stored
            if link["definition"] in catalogue.by_id
        ]

    data = {
        "id": item.pk,
        "type": item.type,
        "name": item.name,
        "summary": item.summary,
        "description": item.description,
        "errors": endpoint_errors(kind, spec, catalogue),
        "method": spec["method"],
    }
    if kind.has_path:
        data["path"] = spec["path"]
    data["parameters"] = spec["parameters"]
    if "requestBody" in spec:
        data["requestBody"] = {
            "required": spec["requestBody"]["required"],
            "definitions": links(spec["requestBody"]["definitions"]),
        }
    data["responses"] = [
        {**response, "definitions": links(response["definitions"])}
        for response in spec["responses"]
    ]
    return data
