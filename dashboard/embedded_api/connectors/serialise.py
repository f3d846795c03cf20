"""Connectors and auth scheme configs as the contract's JSON.

`with_related` prefetches everything `serialise_connector` reads, so a page of connectors
costs a fixed number of queries whatever its size.
"""

from django.db.models import Prefetch, QuerySet

from ..connections.serialise import CONNECTION_RELATED, serialise_connection
from ..http import iso
from ..models import AuthSchemeConfig, Connection, Connector, ConnectorCategory, ConnectorTag
from ..versions.serialise import serialise_versions


def with_related(queryset: QuerySet) -> QuerySet:
    """`queryset` of connectors with what `serialise_connector` needs prefetched."""
    return queryset.prefetch_related(
        # Plain lists (`to_attr`): cheaper than a related manager per connector. The auth scheme
        # configs keep theirs: serialising a connection reads them through its connector.
        Prefetch("tag_rows", queryset=ConnectorTag.objects.order_by("id"), to_attr="tag_list"),
        Prefetch(
            "category_rows",
            queryset=ConnectorCategory.objects.order_by("id"),
            to_attr="category_list",
        ),
        Prefetch("auth_scheme_configs", queryset=AuthSchemeConfig.objects.order_by("position")),
        Prefetch("versions", to_attr="version_list"),
        Prefetch(
            "connections",
            queryset=Connection.objects.order_by("-updated_at", "-id").prefetch_related(
                *CONNECTION_RELATED
            ),
            to_attr="connection_list",
        ),
    )


def serialise_tags(connector: Connector) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for row in connector.tag_list:
        values = tags.setdefault(row.key, [])
        if row.value:
            values.append(row.value)
    return tags


def serialise_auth_scheme_config(config: AuthSchemeConfig) -> dict:
    """The contract's AuthSchemeConfig. Secrets are never stored here (they live in
    credentials), so nothing needs redacting: the OAuth 2.0 client secret is simply absent."""
    return {
        "id": config.config_id,
        "description": config.description,
        "schemeType": config.scheme_type,
        **config.config,
        "validationMessages": config.validation_messages,
    }


def serialise_connector(connector: Connector) -> dict:
    """The contract's Connector (HTTPConnector or BigQueryConnector), plus `categories`, which
    the contract sets with UpdateConnectorCategories but does not list among the fields."""
    data = {
        "id": connector.id,
        "organisationId": connector.organisation_id,
        "name": connector.name,
        "public": connector.public,
        "documentationURL": connector.documentation_url,
        "imageURL": connector.image_url,
        "tags": serialise_tags(connector),
        "categories": [row.category for row in connector.category_list],
        "protocol": connector.protocol,
        "authSchemeConfigs": [
            serialise_auth_scheme_config(config) for config in connector.auth_scheme_configs.all()
        ],
        "connectionVariables": connector.connection_variables,
        "connections": [serialise_connection(c) for c in connector.connection_list],
        "versions": serialise_versions(connector.version_list),
        "createdAt": iso(connector.created_at),
        "updatedAt": iso(connector.updated_at),
    }
    if connector.protocol == Connector.Protocol.BIGQUERY:
        data["datasetId"] = connector.dataset_id
    else:
        data["baseUrl"] = connector.base_url
    return data
