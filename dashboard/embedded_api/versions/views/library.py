"""ImportPublicConnectorVersion: copy a public connector's published version into the
caller's organisation as a draft.

The first import of a public connector creates the caller's own copy of the connector (its
settings, tags, categories and auth scheme configs); importing further versions of the same
public connector adds them to that copy, so one library connector is one connector of yours.
"""

from django.db import transaction

from ...connectors.lookup import serialised
from ...errors import ApiError, field_error, not_found
from ...models import (
    AuthSchemeConfig,
    Connector,
    ConnectorCategory,
    ConnectorTag,
    ConnectorVersion,
)
from ...models.connectors import ALL, count_changes, counted_facets
from ..contents import copy_version_contents, unique_names
from ..lookup import is_ulid, version_of


def import_public_version(request, organisation_id, connector_id, version) -> dict:
    if not is_ulid(connector_id):
        raise not_found("public connector")
    source_connector = Connector.objects.filter(pk=connector_id, public=True).first()
    if source_connector is None:
        raise not_found("public connector")
    source = version_of(source_connector, version)
    if not source.is_published:
        raise ApiError(
            409,
            "version_not_published",
            f"Version '{source.name}' is a draft; only published versions can be imported.",
        )
    with unique_names("version"), transaction.atomic():
        earlier = (
            ConnectorVersion.objects.filter(
                connector__organisation_id=organisation_id,
                imported_from__connector=source_connector,
            )
            .select_related("connector")
            .order_by("created_at")
            .first()
        )
        if earlier is None:
            target = copy_connector(source_connector, organisation_id)
        else:
            target = earlier.connector
            if target.versions.filter(name=source.name).exists():
                raise field_error(
                    "version",
                    f"version '{source.name}' is already in your connector '{target.name}' "
                    f"({target.pk})",
                    409,
                )
        copy = ConnectorVersion.objects.create(
            connector=target,
            name=source.name,
            description=source.description,
            imported_from=source,
        )
        copy_version_contents(source, copy)
        target.touch(copy.updated_at)
    return serialised(target)


def copy_connector(source: Connector, organisation_id: str) -> Connector:
    """A private copy of `source` in another organisation, without its connections or
    versions. Auth scheme configs keep referring to the library's OAuth 2.0 client credential,
    which the copy may use but never change (see connectors.auth_scheme_configs)."""
    copy = Connector.objects.create(
        organisation_id=organisation_id,
        name=source.name,
        protocol=source.protocol,
        public=False,
        base_url=source.base_url,
        dataset_id=source.dataset_id,
        documentation_url=source.documentation_url,
        image_url=source.image_url,
        connection_variables=source.connection_variables,
    )
    ConnectorTag.objects.bulk_create(
        ConnectorTag(connector=copy, key=row.key, value=row.value)
        for row in source.tag_rows.order_by("id")
    )
    ConnectorCategory.objects.bulk_create(
        ConnectorCategory(connector=copy, category=row.category)
        for row in source.category_rows.order_by("id")
    )
    AuthSchemeConfig.objects.bulk_create(
        AuthSchemeConfig(
            connector=copy,
            config_id=config.config_id,
            position=config.position,
            scheme_type=config.scheme_type,
            description=config.description,
            config=config.config,
            validation_messages=config.validation_messages,
        )
        for config in source.auth_scheme_configs.order_by("position")
    )
    # Creating the connector counted it; count its tags and categories too.
    count_changes({(scope, ALL) for scope in copy.scopes()}, counted_facets(copy))
    return copy
