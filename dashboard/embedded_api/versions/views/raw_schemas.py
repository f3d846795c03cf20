"""GetRawSchema: the schema a definition's `url` points to."""

import json

from django.http import HttpResponse

from ...errors import not_found
from ...models import Connector
from .. import schema_content
from ..lookup import child_of, is_ulid, version_of
from ..serialise import definition_url


def get_raw_schema(request, organisation_id, connector_id, version, schema_filename):
    """Served to the owning organisation, and to anyone for a public connector (the library
    shows public connectors' definitions to every organisation)."""
    if not is_ulid(connector_id):
        raise not_found("schema")
    connector = Connector.objects.filter(organisation_id=organisation_id, pk=connector_id).first()
    if connector is None or not (connector.public or request.organisation_id == organisation_id):
        raise not_found("schema")
    found = version_of(connector, version)
    stem, _, extension = schema_filename.rpartition(".")
    definitions = found.definitions.all()
    definition = definitions.filter(pk=stem).first() if is_ulid(stem) else None
    if definition is None:  # GetRawSchema also answers to the definition's name
        definition = child_of(definitions, stem, "schema")
    if extension != schema_content.extension(definition.content_type):
        raise not_found("schema")
    if definition.schema is None:
        return HttpResponse(definition.source, content_type=definition.content_type)
    targets = found.definitions.filter(pk__in=schema_content.referenced_ids(definition.schema))
    urls = {
        target.pk: definition_url(found, target) for target in targets.only("id", "content_type")
    }
    rendered = schema_content.render(definition.schema, urls.get)
    return HttpResponse(json.dumps(rendered), content_type="application/schema+json")
