"""Connectors and their auth scheme configs."""

from collections.abc import Sequence
from datetime import datetime

from pydantic import TypeAdapter
from pydantic.alias_generators import to_camel

from ..models import AuthSchemeConfig, Connector, HTTPConnectorCreate, HTTPConnectorUpdate, Tags
from ..pagination import Page
from ..paths import http_connectors_path
from ._base import Resource, cursor, force_param, target

CONNECTOR: TypeAdapter[Connector] = TypeAdapter(Connector)
_AUTH_SCHEME_CONFIG: TypeAdapter[AuthSchemeConfig] = TypeAdapter(AuthSchemeConfig)


class ConnectorLists(Resource):
    """The filtered, paged connector list, which the organisation's connectors and the public
    library share (ListConnectors, ListPublicConnectors)."""

    def _listed_at(self) -> str:
        return self._org("connectors")

    def list(
        self,
        *,
        first: int | None = None,
        after: str | None = None,
        before: str | None = None,
        sort: str | None = None,
        name: str | None = None,
        protocol: str | None = None,
        tags: Sequence[str] = (),
        categories: Sequence[str] = (),
    ) -> Page[Connector]:
        """Most recently updated first, or by `sort`, a column in Python names and a direction
        (`updated_at:asc`). `tags` are `key` or `key:value` (every one must match);
        `categories` match any."""
        filters = {
            "sort": _api_sort(sort) if sort else None,
            "name": name,
            "protocol": protocol,
            "tags": ",".join(tags),
            "categories": list(categories),
        }
        return self._page(
            self._listed_at(), "connectors", Connector, cursor(first, after, before) | filters
        )


class Connectors(ConnectorLists):
    def get(self, connector_id: str) -> Connector:
        """GetConnector."""
        return self._get(self._connector(connector_id), CONNECTOR.validate_python)

    def create_http(self, connector: HTTPConnectorCreate) -> Connector:
        """CreateHTTPConnector: a new HTTP connector (no versions yet)."""
        return self._write(
            "create_http_connector",
            target("connector", name=connector.name),
            "POST",
            http_connectors_path(self._client.organisation_id),
            json=connector.to_api(),
            parse=CONNECTOR.validate_python,
        )

    def update(
        self, connector: HTTPConnectorUpdate, *, if_unmodified_since: datetime | None = None
    ) -> Connector:
        """UpdateConnector: replaces the connector's mutable fields (omitted ones are unset)."""
        return self._write(
            "update_connector",
            target("connector", connector.id, connector.name),
            "PUT",
            self._connector(connector.id),
            json=connector.to_api(),
            parse=CONNECTOR.validate_python,
            if_unmodified_since=if_unmodified_since,
            current=lambda: self.get(connector.id).updated_at,
        )

    def delete(self, connector_id: str, *, force: bool = False) -> None:
        """DeleteConnector; `force` deletes it even when in use (409 otherwise)."""
        self._write(
            "delete_connector",
            target("connector", connector_id),
            "DELETE",
            self._connector(connector_id),
            named=lambda: self.get(connector_id).name,
            params=force_param(force),
        )

    def update_tags(
        self,
        connector_id: str,
        tags: Tags,
        *,
        if_unmodified_since: datetime | None = None,
    ) -> None:
        """UpdateConnectorTags: replaces all tags."""
        self._write(
            "update_connector_tags",
            target("connector", connector_id),
            "PUT",
            self._connector(connector_id, "tags"),
            json={"tags": tags},
            if_unmodified_since=if_unmodified_since,
            current=lambda: self.get(connector_id).updated_at,
        )

    def update_categories(
        self,
        connector_id: str,
        categories: Sequence[str],
        *,
        if_unmodified_since: datetime | None = None,
    ) -> None:
        """UpdateConnectorCategories: replaces all categories."""
        self._write(
            "update_connector_categories",
            target("connector", connector_id),
            "PUT",
            self._connector(connector_id, "categories"),
            json={"categories": list(categories)},
            if_unmodified_since=if_unmodified_since,
            current=lambda: self.get(connector_id).updated_at,
        )


class AuthSchemeConfigs(Resource):
    def upsert(
        self,
        connector_id: str,
        config: AuthSchemeConfig,
        *,
        if_unmodified_since: datetime | None = None,
    ) -> Connector:
        """UpsertAuthSchemeConfig: adds or replaces the config with `config.id` (a ULID the
        caller makes); returns the updated connector. Pass the connector's `updated_at`."""
        return self._write(
            "upsert_auth_scheme_config",
            target("auth_scheme_config", config.id, config.description),
            "PUT",
            self._connector(connector_id, "auth-scheme-configs", config.id),
            json=_AUTH_SCHEME_CONFIG.dump_python(
                config, mode="json", by_alias=True, exclude_none=True
            ),
            parse=CONNECTOR.validate_python,
            if_unmodified_since=if_unmodified_since,
            current=lambda: self._client.connectors.get(connector_id).updated_at,
        )

    def delete(self, connector_id: str, auth_scheme_config_id: str) -> Connector:
        """DeleteAuthSchemeConfig; refreshable credentials made through it stop refreshing."""
        return self._write(
            "delete_auth_scheme_config",
            target("auth_scheme_config", auth_scheme_config_id),
            "DELETE",
            self._connector(connector_id, "auth-scheme-configs", auth_scheme_config_id),
            parse=CONNECTOR.validate_python,
            named=lambda: self._description(connector_id, auth_scheme_config_id),
        )

    def _description(self, connector_id: str, auth_scheme_config_id: str) -> str | None:
        """A config's name for the audit log (as `upsert` names it): its description."""
        configs = self._client.connectors.get(connector_id).auth_scheme_configs
        found = (config for config in configs if config.id == auth_scheme_config_id)
        return next((config.description or None for config in found), None)


def _api_sort(sort: str) -> str:
    """`updated_at:desc` as the API takes it: `updatedAt:desc`."""
    column, colon, direction = sort.partition(":")
    return to_camel(column) + colon + direction
