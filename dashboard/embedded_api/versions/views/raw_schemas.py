"""GetRawSchema: the schema a definition's `url` points to."""

import json

from django.http import HttpResponse

from ...errors import not_found
from ...models import Connector, Definition
from .. import schema_content
from ..lookup import child_of, is_ulid, version_of
from ..schemas import RESERVED_VERSION_NAMES
from ..serialise import definition_url


def get_raw_schema(request, organisation_id, connector_id, version, schema_filename):
    """Served to the owning organisation, and to anyone for a public connector (the library
    shows public connectors' definitions to every organisation)."""
    stem, _, extension = schema_filename.rpartition(".")
    definition = _by_url(request, organisation_id, connector_id, version, stem)
    if definition is None:
        definition = _looked_up(request, organisation_id, connector_id, version, stem)
    found = definition.version
    if extension != schema_content.extension(definition.content_type):
        raise not_found("schema")
    if definition.schema is None:
        return HttpResponse(definition.source, content_type=definition.content_type)
    targets = Definition.objects.filter(
        version=found, pk__in=schema_content.referenced_ids(definition.schema)
    )
    urls = {
        target.pk: definition_url(found, target) for target in targets.only("id", "content_type")
    }
    rendered = schema_content.render(definition.schema, urls.get)
    return HttpResponse(json.dumps(rendered), content_type="application/schema+json")


def _by_url(request, organisation_id, connector_id, version, stem) -> Definition | None:
    """The readable definition a URL as `definition_url` writes it names (by id, in a named
    version), with its version and connector, in one query; None otherwise."""
    if version in RESERVED_VERSION_NAMES or not (is_ulid(connector_id) and is_ulid(stem)):
        return None
    definitions = Definition.objects.select_related("version__connector").filter(
        pk=stem,
        version__name=version,
        version__connector_id=connector_id,
        version__connector__organisation_id=organisation_id,
    )
    if request.organisation_id != organisation_id:
        definitions = definitions.filter(version__connector__public=True)
    return definitions.first()


def _looked_up(request, organisation_id, connector_id, version, stem) -> Definition:
    """The definition step by step: `latest`/`default` versions, names for ids, and the 404s
    (another organisation's private connector is a 404 before its versions are looked at)."""
    if not is_ulid(connector_id):
        raise not_found("schema")
    connector = Connector.objects.filter(organisation_id=organisation_id, pk=connector_id).first()
    if connector is None or not (connector.public or request.organisation_id == organisation_id):
        raise not_found("schema")
    found = version_of(connector, version)
    definitions = found.definitions.all()
    definition = definitions.filter(pk=stem).first() if is_ulid(stem) else None
    if definition is None:  # GetRawSchema also answers to the definition's name
        definition = child_of(definitions, stem, "schema")
    definition.version = found
    return definition
