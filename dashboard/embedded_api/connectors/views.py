"""Connector operations: list (own and public), create (HTTP, BigQuery), get, update, delete,
and replacing tags and categories. Auth scheme configs are in `auth_scheme_configs`.

Every change to a connector or what it owns bumps its `updatedAt`, which orders the lists.
"""

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from ..connections.views import add_connection
from ..errors import ApiError, field_error
from ..http import check_unmodified, created, no_content, query_flag
from ..models import AuthSchemeConfig, Connector, ConnectorCategory, ConnectorTag, Subscription
from ..models.connectors import PUBLIC_SCOPE, keeping_counts
from ..pagination import paginate
from .auth_scheme_configs import add_auth_scheme_configs, drop_owned_credentials
from .filters import ConnectorFilter
from .lookup import own_connector, serialised
from .messages import refresh_validation_messages
from .schemas import (
    BigQueryConnectorCreate,
    CategoriesUpdate,
    ConnectorUpdate,
    HTTPConnectorCreate,
    TagsUpdate,
    parse,
)
from .serialise import serialise_connector, with_related


def list_connectors(request: HttpRequest, organisation_id: str) -> dict:
    """ListConnectors: the organisation's connectors, most recently updated first (id breaks
    ties), paged with `first`/`after`/`before`, sortable with `sort`.

    Filters (combined with AND): `name` and `protocol` match a case-insensitive substring;
    `tags=key:value,key2` needs every listed tag (a bare key matches any value of it);
    `categories` (repeatable) matches a connector in any listed category; an unknown
    category is a 400."""
    return _page(
        request, Connector.objects.filter(organisation_id=organisation_id), organisation_id
    )


def list_public_connectors(request: HttpRequest) -> dict:
    """ListPublicConnectors: public connectors of every organisation, with the same order,
    paging and filters as ListConnectors."""
    return _page(request, Connector.objects.filter(public=True), PUBLIC_SCOPE)


def _page(request: HttpRequest, connectors: QuerySet, scope: str) -> dict:
    filters = ConnectorFilter.from_request(request)
    matches = filters.apply(connectors)
    page = paginate(request, with_related(matches), total=filters.total(scope, matches))
    return {"connectors": [serialise_connector(c) for c in page.items], **page.info()}


def create_http_connector(request: HttpRequest, organisation_id: str):
    """CreateHTTPConnector: a new HTTP connector with its auth scheme configs and tags."""
    body = parse(request, HTTPConnectorCreate)
    with transaction.atomic():
        now = timezone.now()
        connector = Connector.objects.create(
            created_at=now,
            updated_at=now,
            organisation_id=organisation_id,
            protocol=Connector.Protocol.HTTP,
            name=body.name,
            base_url=body.base_url,
            public=body.public,
            connection_variables=[v.model_dump() for v in body.connection_variables],
        )
        add_auth_scheme_configs(connector, body.auth_scheme_configs)
        with keeping_counts(connector):
            _replace_tags(connector, body.tags)
        _create_connections(connector, body.connections)
    return created(serialised(connector))


def create_bigquery_connector(request: HttpRequest, organisation_id: str):
    """CreateBigQueryConnector: a new BigQuery connector for one dataset."""
    body = parse(request, BigQueryConnectorCreate)
    with transaction.atomic():
        now = timezone.now()
        connector = Connector.objects.create(
            created_at=now,
            updated_at=now,
            organisation_id=organisation_id,
            protocol=Connector.Protocol.BIGQUERY,
            name=body.name,
            dataset_id=body.dataset_id,
        )
        _create_connections(connector, body.connections)
    return created(serialised(connector))


def get_connector(request: HttpRequest, organisation_id: str, connector_id: str) -> dict:
    """GetConnector."""
    return serialise_connector(own_connector(organisation_id, connector_id, related=True))


def update_connector(request: HttpRequest, organisation_id: str, connector_id: str) -> dict:
    """UpdateConnector, with PUT semantics: fields left out are unset (tags emptied, URLs
    blanked, `public` false), except `authSchemeConfigIds` (reorders the configs when given)
    and `connectionVariables` (replaces them, on every connection too, when given).

    Honours `If-Match`/`If-Unmodified-Since` with the `updatedAt` the caller read (412 if
    the connector changed since)."""
    body = parse(request, ConnectorUpdate)
    with transaction.atomic():
        connector = own_connector(organisation_id, connector_id, lock=True)
        check_unmodified(request, connector.updated_at)
        for name, value, expected in (
            ("id", body.id, connector.id),
            ("organisationId", body.organisation_id, connector.organisation_id),
            ("protocol", body.protocol, connector.protocol),
        ):
            if value != expected:
                raise field_error(name, f"cannot be changed (it is '{expected}')")
        if body.auth_scheme_config_ids is not None:
            _reorder_auth_scheme_configs(connector, body.auth_scheme_config_ids)
        with keeping_counts(connector):
            connector.name = body.name
            connector.public = body.public
            connector.documentation_url = body.documentation_url
            connector.image_url = body.image_url
            if connector.protocol == Connector.Protocol.HTTP:
                connector.base_url = body.base_url
                if body.connection_variables is not None:
                    variables = [v.model_dump() for v in body.connection_variables]
                    connector.connection_variables = variables
                    _apply_variables_to_connections(connector, variables)
            else:
                connector.dataset_id = body.dataset_id
            connector.updated_at = timezone.now()
            connector.save()
            _replace_tags(connector, body.tags)
        refresh_validation_messages(connector)
    return serialised(connector)


def delete_connector(request: HttpRequest, organisation_id: str, connector_id: str):
    """DeleteConnector: 409 while another product subscribes to one of its versions (the
    contract's "in use"), unless `force=true`."""
    force = query_flag(request, "force")
    with transaction.atomic():
        connector = own_connector(organisation_id, connector_id, lock=True)
        in_use = Subscription.objects.filter(version__connector=connector).count()
        if in_use and not force:
            raise ApiError(
                409,
                "connector_in_use",
                f"The connector is in use by {in_use} subscription(s) of other products; "
                "delete it with force=true only if you accept breaking them.",
            )
        owned = list(
            connector.auth_scheme_configs.exclude(owned_credential_id="").values_list(
                "owned_credential_id", flat=True
            )
        )
        connector.delete()
        drop_owned_credentials(owned)
    return no_content()


def update_tags(request: HttpRequest, organisation_id: str, connector_id: str):
    """UpdateConnectorTags: replace all tags (`{"tags": {"key": ["value", ...]}}`)."""
    body = parse(request, TagsUpdate)
    with transaction.atomic():
        connector = own_connector(organisation_id, connector_id, lock=True)
        with keeping_counts(connector):
            _replace_tags(connector, body.tags)
        connector.touch()
    return no_content()


def update_categories(request: HttpRequest, organisation_id: str, connector_id: str):
    """UpdateConnectorCategories: replace all categories (each one of ListCategories)."""
    body = parse(request, CategoriesUpdate)
    with transaction.atomic():
        connector = own_connector(organisation_id, connector_id, lock=True)
        with keeping_counts(connector):
            connector.category_rows.all().delete()
            ConnectorCategory.objects.bulk_create(
                ConnectorCategory(connector=connector, category=category)
                for category in dict.fromkeys(body.categories)
            )
        connector.touch()
    return no_content()


def _replace_tags(connector: Connector, tags: dict[str, list[str]]) -> None:
    connector.tag_rows.all().delete()
    ConnectorTag.objects.bulk_create(
        ConnectorTag(connector=connector, key=key, value=value)
        for key, values in tags.items()
        for value in (values or [""])
    )


def _reorder_auth_scheme_configs(connector: Connector, ids: list[str]) -> None:
    configs = {config.config_id: config for config in connector.auth_scheme_configs.all()}
    if sorted(ids) != sorted(configs):
        raise field_error(
            "authSchemeConfigIds",
            "must list each of the connector's auth scheme config ids once: " + ", ".join(configs),
        )
    for position, config_id in enumerate(ids, start=1):
        configs[config_id].position = position
    AuthSchemeConfig.objects.bulk_update(configs.values(), ["position"])


def _apply_variables_to_connections(connector: Connector, variables: list[dict]) -> None:
    """Give every connection the connector's variables: a name it already has keeps the
    connection's own value, a new name takes the connector's default, a removed one goes."""
    now = timezone.now()
    for connection in connector.connections.all():
        own = {v["name"]: v["value"] for v in connection.variables}
        updated = [{"name": v["name"], "value": own.get(v["name"], v["value"])} for v in variables]
        if updated != connection.variables:
            connection.variables = updated
            connection.updated_at = now
            connection.save(update_fields=["variables", "updated_at"])


def _create_connections(connector: Connector, connections: list[dict]) -> None:
    """Connections given inline on create, made by the connections area's own code."""
    for index, connection in enumerate(connections):
        add_connection(connector, connection, field=f"connections[{index}]")
