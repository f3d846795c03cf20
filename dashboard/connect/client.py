"""The Connect API client: the only code that knows the API's paths and JSON.

One method per contract operation the dashboard uses, named after its operationId in
snake_case, returning the typed models of `models.py` (or a `Page` of them). Every failure is
a `ConnectError` (errors.py); HTTP policy (deadlines, retries, circuit breaker, logging) lives
in session.py.

Every call that changes something also sends `signals.connect_mutation` (operation, path,
target, outcome; never a body), which the audit log records.

Methods that update take `if_unmodified_since` (the `updatedAt` the caller's form was loaded
with). The embedded API checks it itself (`If-Unmodified-Since`, plus `If-Match` with the exact
time because HTTP dates drop sub-seconds); against a remote platform, which may ignore those
headers, the client re-reads the resource first and refuses to overwrite a newer one.
"""

import atexit
import functools
import json
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from django.conf import settings
from pydantic import TypeAdapter

from .breaker import CircuitBreaker
from .errors import (
    APIError,
    CircuitOpen,
    ConnectError,
    ConnectTimeout,
    MalformedResponse,
    PreconditionFailed,
)
from .models import (
    Action,
    ActionCreate,
    AuthScheme,
    AuthSchemeConfig,
    Connection,
    ConnectionCreate,
    ConnectionSummary,
    ConnectionUpdate,
    Connector,
    ConnectorVersion,
    Credential,
    CredentialSummary,
    CredentialUpdate,
    Definition,
    DefinitionCreate,
    DefinitionUpdate,
    HTTPConnectorCreate,
    HTTPConnectorUpdate,
    ImportHTTPConnectorResult,
    InitialiseOAuth2ConnectionRequest,
    Protocol,
    Trigger,
    TriggerCreate,
)
from .pagination import Page, parse_page
from .retry import RetryPolicy
from .session import ApiSession
from .signals import connect_mutation

T = TypeVar("T")

_CONNECTOR = TypeAdapter(Connector)
_AUTH_SCHEME_CONFIG = TypeAdapter(AuthSchemeConfig)
_STRINGS = TypeAdapter(list[str])
_STRING = TypeAdapter(str)
_DEFINITIONS = TypeAdapter(list[Definition])
_RAW_SCHEMA = TypeAdapter(dict[str, Any] | bool)


@functools.cache
def _list_of(item: Any) -> TypeAdapter:
    # Building an adapter compiles a validator: do it once per item type, not per call.
    return TypeAdapter(list[item])


def _field(name: str, parse: Callable[[Any], T]) -> Callable[[Any], T]:
    """Parse one property of a wrapper object, e.g. `{"version": {...}}`."""
    return lambda data: parse(data[name])


class ConnectClient:
    """The Connect API for one organisation. Build one per process (`get_client()`); it is
    safe to share between threads. `timeout` is each call's total deadline."""

    def __init__(
        self,
        *,
        base_url: str,
        token: str,
        organisation_id: str,
        timeout: float = 10.0,
        connect_timeout: float = 3.0,
        retry: RetryPolicy | None = None,
        breaker: CircuitBreaker | None = None,
        transport: httpx.BaseTransport | None = None,
        backend_label: str = "remote",
        server_checks_preconditions: bool = False,
    ):
        self.organisation_id = organisation_id
        self.backend_label = backend_label
        self.server_checks_preconditions = server_checks_preconditions
        self.session = ApiSession(
            base_url=base_url,
            token=token,
            timeout=timeout,
            connect_timeout=connect_timeout,
            retry=retry or RetryPolicy(),
            breaker=breaker or CircuitBreaker(threshold=5, cooldown=30.0),
            transport=transport,
        )

    def close(self) -> None:
        self.session.close()

    def ping(self) -> None:
        """Cheapest authenticated call: proves the API answers and accepts our token."""
        self.session.json("GET", self._org("protocols"), params={"first": 1})

    # --- Plumbing --------------------------------------------------------------------------

    def _org(self, *parts: str) -> str:
        return api_path("o", self.organisation_id, *parts)

    def _connector(self, connector_id: str, *parts: str) -> str:
        return self._org("connectors", connector_id, *parts)

    def _version(self, connector_id: str, version: str, *parts: str) -> str:
        return self._org("connectors", connector_id, "versions", version, *parts)

    def _get(self, path: str, parse: Callable[[Any], T], **kwargs: Any) -> T:
        return self.session.json("GET", path, parse=parse, **kwargs)

    def _page(self, path: str, items_key: str, item: Any, params: dict[str, Any]) -> Page:
        params = {k: v for k, v in params.items() if v not in (None, "", [], ())}
        adapter = _list_of(item)

        def fetch(cursor: dict[str, str]) -> Page:
            kept = {k: v for k, v in params.items() if k not in ("after", "before")}
            return self._page(path, items_key, item, kept | cursor)

        return self._get(
            path, lambda data: parse_page(data, items_key, adapter, fetch), params=params
        )

    def _write(
        self,
        operation: str,
        target: dict[str, str | None],
        method: str,
        path: str,
        *,
        parse: Callable[[Any], T] | None = None,
        if_unmodified_since: datetime | None = None,
        current: Callable[[], datetime | None] = lambda: None,
        **kwargs: Any,
    ) -> T:
        """A call that changes something: the precondition, the request, then (whatever the
        outcome) `connect_mutation` for the audit log, with no body and no secret."""
        status, outcome, result, request_id = None, "ok", None, None
        try:
            headers = self._preconditions(if_unmodified_since, current)
            response = self.session.request(method, path, headers=headers, **kwargs)
            status, request_id = response.status_code, response.request.headers["X-Request-ID"]
            result = self.session.decode(response, parse)
            return result
        except ConnectError as error:
            status, outcome = getattr(error, "status", status), _outcome(error)
            request_id = request_id or error.request_id
            raise
        finally:
            connect_mutation.send(
                sender=type(self),
                operation=operation,
                method=method,
                path=path,
                target=_identified(target, result),
                outcome=outcome,
                status=status,
                request_id=request_id,
            )

    def _preconditions(
        self, since: datetime | None, current: Callable[[], datetime | None]
    ) -> dict[str, str]:
        """Headers asking the server to refuse the write if the resource changed after
        `since`; against a server that may not check them, re-read it and refuse here."""
        if since is None:
            return {}
        headers = {"If-Unmodified-Since": format_datetime(_utc(since), usegmt=True)}
        if self.server_checks_preconditions:
            headers["If-Match"] = f'"{_rfc3339(since)}"'
            return headers
        updated_at = current()
        if updated_at is not None and updated_at > _utc(since):
            raise PreconditionFailed(
                status=412,
                code="precondition_failed",
                message="The resource was changed by someone else since you loaded it.",
            )
        return headers

    # --- Catalogue -------------------------------------------------------------------------

    def list_categories(self) -> list[str]:
        """ListCategories: every category a connector may have."""
        return self._get("categories", _STRINGS.validate_python)

    def list_protocols(
        self, *, first: int | None = None, after: str | None = None, before: str | None = None
    ) -> Page[Protocol]:
        """ListProtocols: the protocols this organisation may use."""
        return self._page(
            self._org("protocols"), "protocols", Protocol, _cursor(first, after, before)
        )

    def list_auth_schemes(self, protocol_slug: str) -> Page[AuthScheme]:
        """ListAuthSchemes: the auth scheme types a protocol supports."""
        path = self._org("protocols", protocol_slug, "auth-schemes")
        return self._page(path, "authSchemes", AuthScheme, {})

    # --- Connectors ------------------------------------------------------------------------

    def list_connectors(
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
        """ListConnectors: the organisation's connectors, most recently updated first.
        `tags` are `key` or `key:value` (every one must match); `categories` match any."""
        filters = _connector_filters(sort, name, protocol, tags, categories)
        return self._page(
            self._org("connectors"),
            "connectors",
            Connector,
            _cursor(first, after, before) | filters,
        )

    def list_public_connectors(
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
        """ListPublicConnectors: the public library, with the same filters as list_connectors."""
        filters = _connector_filters(sort, name, protocol, tags, categories)
        return self._page(
            "connectors", "connectors", Connector, _cursor(first, after, before) | filters
        )

    def get_connector(self, connector_id: str) -> Connector:
        """GetConnector."""
        return self._get(self._connector(connector_id), _CONNECTOR.validate_python)

    def create_http_connector(self, connector: HTTPConnectorCreate) -> Connector:
        """CreateHTTPConnector: a new HTTP connector (no versions yet)."""
        return self._write(
            "create_http_connector",
            _target("connector", name=connector.name),
            "POST",
            self._org("protocols", "http", "connectors"),
            json=connector.to_api(),
            parse=_CONNECTOR.validate_python,
        )

    def update_connector(
        self, connector: HTTPConnectorUpdate, *, if_unmodified_since: datetime | None = None
    ) -> Connector:
        """UpdateConnector: replaces the connector's mutable fields (omitted ones are unset)."""
        return self._write(
            "update_connector",
            _target("connector", connector.id, connector.name),
            "PUT",
            self._connector(connector.id),
            json=connector.to_api(),
            parse=_CONNECTOR.validate_python,
            if_unmodified_since=if_unmodified_since,
            current=lambda: self.get_connector(connector.id).updated_at,
        )

    def delete_connector(self, connector_id: str, *, force: bool = False) -> None:
        """DeleteConnector; `force` deletes it even when in use (409 otherwise)."""
        self._write(
            "delete_connector",
            _target("connector", connector_id),
            "DELETE",
            self._connector(connector_id),
            params=_force(force),
        )

    def update_connector_tags(
        self,
        connector_id: str,
        tags: dict[str, list[str]],
        *,
        if_unmodified_since: datetime | None = None,
    ) -> None:
        """UpdateConnectorTags: replaces all tags."""
        self._write(
            "update_connector_tags",
            _target("connector", connector_id),
            "PUT",
            self._connector(connector_id, "tags"),
            json={"tags": tags},
            if_unmodified_since=if_unmodified_since,
            current=lambda: self.get_connector(connector_id).updated_at,
        )

    def update_connector_categories(
        self,
        connector_id: str,
        categories: Sequence[str],
        *,
        if_unmodified_since: datetime | None = None,
    ) -> None:
        """UpdateConnectorCategories: replaces all categories."""
        self._write(
            "update_connector_categories",
            _target("connector", connector_id),
            "PUT",
            self._connector(connector_id, "categories"),
            json={"categories": list(categories)},
            if_unmodified_since=if_unmodified_since,
            current=lambda: self.get_connector(connector_id).updated_at,
        )

    # --- Auth scheme configs ---------------------------------------------------------------

    def upsert_auth_scheme_config(
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
            _target("auth_scheme_config", config.id, config.description),
            "PUT",
            self._connector(connector_id, "auth-scheme-configs", config.id),
            json=_AUTH_SCHEME_CONFIG.dump_python(
                config, mode="json", by_alias=True, exclude_none=True
            ),
            parse=_CONNECTOR.validate_python,
            if_unmodified_since=if_unmodified_since,
            current=lambda: self.get_connector(connector_id).updated_at,
        )

    def delete_auth_scheme_config(self, connector_id: str, auth_scheme_config_id: str) -> Connector:
        """DeleteAuthSchemeConfig; refreshable credentials made through it stop refreshing."""
        return self._write(
            "delete_auth_scheme_config",
            _target("auth_scheme_config", auth_scheme_config_id),
            "DELETE",
            self._connector(connector_id, "auth-scheme-configs", auth_scheme_config_id),
            parse=_CONNECTOR.validate_python,
        )

    def initialise_oauth2_connection(
        self, connector_id: str, request: InitialiseOAuth2ConnectionRequest
    ) -> str:
        """InitialiseOAuth2Connection: the provider URL to send the user's browser to."""
        return self._write(
            "initialise_oauth2_connection",
            _target("credential", request.credential.id),
            "POST",
            self._connector(connector_id, "oauth2", "initialise"),
            json=request.to_api(),
            parse=_field("url", _STRING.validate_python),
        )

    # --- Connections -----------------------------------------------------------------------

    def list_connector_connections(
        self,
        connector_id: str,
        *,
        first: int | None = None,
        after: str | None = None,
        before: str | None = None,
    ) -> Page[ConnectionSummary]:
        """ListConnectorConnections."""
        return self._page(
            self._connector(connector_id, "connections"),
            "items",
            ConnectionSummary,
            _cursor(first, after, before),
        )

    def create_connector_connection(
        self, connector_id: str, connection: ConnectionCreate
    ) -> Connection:
        """CreateConnectorConnection, creating its credentials inline."""
        return self._write(
            "create_connector_connection",
            _target("connection", name=connection.name),
            "POST",
            self._connector(connector_id, "connections"),
            json=connection.to_api(),
            parse=Connection.model_validate,
        )

    def get_connection(self, connector_id: str, connection_id: str) -> Connection:
        """GetConnection (credential data redacted)."""
        path = self._connector(connector_id, "connections", connection_id)
        return self._get(path, Connection.model_validate)

    def update_connection(
        self,
        connector_id: str,
        connection: ConnectionUpdate,
        *,
        if_unmodified_since: datetime | None = None,
    ) -> Connection:
        """UpdateConnection: name, variables, credential order and auth scheme configs (the
        secrets themselves change through update_credential)."""
        return self._write(
            "update_connection",
            _target("connection", connection.id, connection.name),
            "PUT",
            self._connector(connector_id, "connections", connection.id),
            json=connection.to_api(),
            parse=Connection.model_validate,
            if_unmodified_since=if_unmodified_since,
            current=lambda: self.get_connection(connector_id, connection.id).updated_at,
        )

    def delete_connection(
        self, connector_id: str, connection_id: str, *, force: bool = False
    ) -> None:
        """DeleteConnection; PreconditionFailed (412) while in use, unless `force`."""
        self._write(
            "delete_connection",
            _target("connection", connection_id),
            "DELETE",
            self._connector(connector_id, "connections", connection_id),
            params=_force(force),
        )

    # --- Credentials (organisation level, v1alpha1) ----------------------------------------

    def list_credentials(
        self,
        *,
        first: int | None = None,
        after: str | None = None,
        before: str | None = None,
        type: Sequence[str] = (),
        expires_before: datetime | None = None,
        has_errors: bool | None = None,
    ) -> Page[CredentialSummary]:
        """ListCredentials: every credential of the organisation, with its usages. The
        filters are the embedded API's (v1alpha1 has none): `type` (any of), `expires_before`,
        `has_errors`."""
        filters = {
            "type": list(type),
            "expiresBefore": _rfc3339(expires_before) if expires_before else None,
            "hasErrors": None if has_errors is None else str(has_errors).lower(),
        }
        return self._page(
            self._org("credentials"),
            "credentials",
            CredentialSummary,
            _cursor(first, after, before) | filters,
        )

    def get_credential(self, credential_id: str) -> Credential:
        """GetCredential (data redacted)."""
        return self._get(self._org("credentials", credential_id), Credential.model_validate)

    def update_credential(
        self, credential: CredentialUpdate, *, if_unmodified_since: datetime | None = None
    ) -> Credential:
        """UpdateCredential: how a secret is rotated."""
        return self._write(
            "update_credential",
            _target("credential", credential.id, credential.name),
            "PUT",
            self._org("credentials", credential.id),
            json=credential.to_api(),
            parse=Credential.model_validate,
            if_unmodified_since=if_unmodified_since,
            current=lambda: self.get_credential(credential.id).updated_at,
        )

    def delete_credential(self, credential_id: str, *, force: bool = False) -> None:
        """DeleteCredential; PreconditionFailed (412) while in use, unless `force` (which
        removes it from the connections using it)."""
        self._write(
            "delete_credential",
            _target("credential", credential_id),
            "DELETE",
            self._org("credentials", credential_id),
            params=_force(force),
        )

    # --- Versions --------------------------------------------------------------------------

    def list_connector_versions(
        self,
        connector_id: str,
        *,
        first: int | None = None,
        after: str | None = None,
        before: str | None = None,
    ) -> Page[ConnectorVersion]:
        """ListConnectorVersions, most recently updated first."""
        return self._page(
            self._connector(connector_id, "versions"),
            "items",
            ConnectorVersion,
            _cursor(first, after, before),
        )

    def create_connector_version(
        self, connector_id: str, name: str, *, from_version: str | None = None
    ) -> ConnectorVersion:
        """CreateConnectorVersion: a draft, empty or copied from `from_version`."""
        return self._write(
            "create_connector_version",
            _target("version", name=name),
            "POST",
            self._connector(connector_id, "versions"),
            json={"name": name} | ({"fromVersion": from_version} if from_version else {}),
            parse=ConnectorVersion.model_validate,
        )

    def get_connector_version(self, connector_id: str, version: str) -> ConnectorVersion:
        """GetConnectorVersion; `version` may be a name, "latest" or "default"."""
        return self._get(self._version(connector_id, version), ConnectorVersion.model_validate)

    def update_connector_version(
        self,
        connector_id: str,
        version: ConnectorVersion,
        *,
        if_unmodified_since: datetime | None = None,
    ) -> ConnectorVersion:
        """UpdateConnectorVersion: send back a fetched version with `description` or
        `is_default` changed (read-only fields must be unchanged)."""
        return self._write(
            "update_connector_version",
            _target("version", version.id, version.name),
            "PUT",
            self._version(connector_id, version.name),
            # The contract's body is a whole ConnectorVersion: `publishedAt: null` included.
            json=version.to_api(exclude_none=False),
            parse=ConnectorVersion.model_validate,
            if_unmodified_since=if_unmodified_since,
            current=lambda: self.get_connector_version(connector_id, version.name).updated_at,
        )

    def delete_connector_version(
        self, connector_id: str, version: str, *, force: bool = False
    ) -> None:
        """DeleteConnectorVersion; a published one only with `force`."""
        self._write(
            "delete_connector_version",
            _target("version", name=version),
            "DELETE",
            self._version(connector_id, version),
            params=_force(force),
        )

    def publish_connector(self, connector_id: str, version: str) -> ConnectorVersion:
        """PublishConnector: validates and publishes a draft; returns the published version."""
        return self._write(
            "publish_connector",
            _target("version", name=version),
            "POST",
            self._version(connector_id, version, "publish"),
            parse=_field("version", ConnectorVersion.model_validate),
        )

    def unpublish_connector(self, connector_id: str, version: str) -> ConnectorVersion:
        """UnpublishConnector: refused while the version is in use."""
        return self._write(
            "unpublish_connector",
            _target("version", name=version),
            "POST",
            self._version(connector_id, version, "unpublish"),
            parse=_field("version", ConnectorVersion.model_validate),
        )

    def import_public_connector_version(self, connector_id: str, version: str) -> Connector:
        """ImportPublicConnectorVersion: copies a public connector's version into this
        organisation as a draft; returns the organisation's connector."""
        return self._write(
            "import_public_connector_version",
            _target("connector"),
            "POST",
            self._version(connector_id, version, "library", "import"),
            parse=_CONNECTOR.validate_python,
        )

    # --- Actions ---------------------------------------------------------------------------

    def get_actions(
        self,
        connector_id: str,
        version: str,
        *,
        name: str | None = None,
        first: int | None = None,
        after: str | None = None,
        before: str | None = None,
    ) -> Page[Action]:
        """GetActions; `name` is a case-insensitive substring filter."""
        return self._page(
            self._version(connector_id, version, "actions"),
            "actions",
            Action,
            _cursor(first, after, before) | {"name": name},
        )

    def get_action(self, connector_id: str, version: str, action_name: str) -> Action:
        """GetAction."""
        path = self._version(connector_id, version, "actions", action_name)
        return self._get(path, Action.model_validate)

    def create_action(self, connector_id: str, version: str, action: ActionCreate) -> Action:
        """CreateAction (drafts only)."""
        return self._write(
            "create_action",
            _target("action", name=action.name),
            "POST",
            self._version(connector_id, version, "actions"),
            json=action.to_api(),
            parse=Action.model_validate,
        )

    def update_action(
        self, connector_id: str, version: str, action_name: str, action: Action
    ) -> Action:
        """UpdateAction (drafts only): send back a fetched action with changes."""
        return self._write(
            "update_action",
            _target("action", action.id, action_name),
            "PUT",
            self._version(connector_id, version, "actions", action_name),
            json=action.to_api(),
            parse=Action.model_validate,
        )

    def delete_action(self, connector_id: str, version: str, action_name: str) -> None:
        """DeleteAction (drafts only)."""
        self._write(
            "delete_action",
            _target("action", name=action_name),
            "DELETE",
            self._version(connector_id, version, "actions", action_name),
        )

    # --- Triggers --------------------------------------------------------------------------

    def get_triggers(
        self,
        connector_id: str,
        version: str,
        *,
        name: str | None = None,
        first: int | None = None,
        after: str | None = None,
        before: str | None = None,
    ) -> Page[Trigger]:
        """GetTriggers; `name` is a case-insensitive substring filter."""
        return self._page(
            self._version(connector_id, version, "triggers"),
            "triggers",
            Trigger,
            _cursor(first, after, before) | {"name": name},
        )

    def get_trigger(self, connector_id: str, version: str, trigger_name: str) -> Trigger:
        """GetTrigger."""
        path = self._version(connector_id, version, "triggers", trigger_name)
        return self._get(path, Trigger.model_validate)

    def create_trigger(self, connector_id: str, version: str, trigger: TriggerCreate) -> Trigger:
        """CreateTrigger (drafts only)."""
        return self._write(
            "create_trigger",
            _target("trigger", name=trigger.name),
            "POST",
            self._version(connector_id, version, "triggers"),
            json=trigger.to_api(),
            parse=Trigger.model_validate,
        )

    def update_trigger(
        self, connector_id: str, version: str, trigger_name: str, trigger: Trigger
    ) -> Trigger:
        """UpdateTrigger (drafts only): send back a fetched trigger with changes."""
        return self._write(
            "update_trigger",
            _target("trigger", trigger.id, trigger_name),
            "PUT",
            self._version(connector_id, version, "triggers", trigger_name),
            json=trigger.to_api(),
            parse=Trigger.model_validate,
        )

    def delete_trigger(self, connector_id: str, version: str, trigger_name: str) -> None:
        """DeleteTrigger (drafts only)."""
        self._write(
            "delete_trigger",
            _target("trigger", name=trigger_name),
            "DELETE",
            self._version(connector_id, version, "triggers", trigger_name),
        )

    # --- Definitions -----------------------------------------------------------------------

    def get_definitions(
        self,
        connector_id: str,
        version: str,
        *,
        name: str | None = None,
        first: int | None = None,
        after: str | None = None,
        before: str | None = None,
    ) -> Page[Definition]:
        """GetDefinitions; `name` is a case-insensitive substring filter."""
        return self._page(
            self._version(connector_id, version, "definitions"),
            "definitions",
            Definition,
            _cursor(first, after, before) | {"name": name},
        )

    def get_definition(self, connector_id: str, version: str, definition_name: str) -> Definition:
        """GetDefinition, with what references it."""
        path = self._version(connector_id, version, "definitions", definition_name)
        return self._get(path, Definition.model_validate)

    def create_definitions(
        self, connector_id: str, version: str, definitions: Sequence[DefinitionCreate]
    ) -> list[Definition]:
        """CreateDefinitions: several at once, which may reference each other."""
        return self._write(
            "create_definitions",
            _target("definition", name=", ".join(d.name for d in definitions)),
            "POST",
            self._version(connector_id, version, "definitions"),
            json={"definitions": [definition.to_api() for definition in definitions]},
            parse=_field("definitions", _DEFINITIONS.validate_python),
        )

    def update_definition(
        self, connector_id: str, version: str, definition_name: str, definition: DefinitionUpdate
    ) -> Definition:
        """UpdateDefinition (drafts only)."""
        return self._write(
            "update_definition",
            _target("definition", definition.id, definition_name),
            "PUT",
            self._version(connector_id, version, "definitions", definition_name),
            json=definition.to_api(),
            parse=Definition.model_validate,
        )

    def delete_definition(
        self, connector_id: str, version: str, definition_name: str, *, force: bool = False
    ) -> None:
        """DeleteDefinition; PreconditionFailed (412, its body lists `referencedBy`) while
        other items reference it, unless `force`."""
        self._write(
            "delete_definition",
            _target("definition", name=definition_name),
            "DELETE",
            self._version(connector_id, version, "definitions", definition_name),
            params=_force(force),
        )

    def delete_definitions(
        self,
        connector_id: str,
        version: str,
        *,
        ids: Sequence[str] = (),
        names: Sequence[str] = (),
        all: bool = False,
        force: bool = False,
    ) -> None:
        """DeleteDefinitions: by ids and/or names, or `all`."""
        body: dict[str, Any] = {"all": True} if all else {}
        body |= {"ids": list(ids)} if ids else {}
        body |= {"names": list(names)} if names else {}
        self._write(
            "delete_definitions",
            _target("definition", name="(all)" if all else ", ".join([*ids, *names])),
            "DELETE",
            self._version(connector_id, version, "definitions"),
            json=body,
            params=_force(force),
        )

    def get_raw_schema(
        self, connector_id: str, version: str, schema_filename: str
    ) -> dict[str, Any] | bool:
        """GetRawSchema: the JSON Schema a definition's `url` points at."""
        return self._get(
            self._org("schemas", connector_id, version, schema_filename),
            _RAW_SCHEMA.validate_python,
            headers={"Accept": "application/schema+json, application/json"},
        )

    # --- OpenAPI import --------------------------------------------------------------------

    def import_http_connector(
        self, file: bytes, filename: str, *, format: str = "openapi", timeout: float | None = None
    ) -> ImportHTTPConnectorResult:
        """ImportHTTPConnector from an uploaded document (multipart `file` + `metadata`).
        An invalid document raises BadRequest whose `.messages` say what and where. Large
        documents may need a longer `timeout` than the default deadline."""
        return self._write(
            "import_http_connector",
            _target("connector"),
            "POST",
            self._org("protocols", "http", "import"),
            files=_upload(file, filename, {"format": format}),
            timeout=timeout,
            parse=ImportHTTPConnectorResult.model_validate,
        )

    def import_http_connector_from_url(
        self,
        schema_url: str,
        *,
        filetype: str = "",
        format: str = "openapi",
        timeout: float | None = None,
    ) -> ImportHTTPConnectorResult:
        """ImportHTTPConnector from a document the API downloads from `schema_url`."""
        return self._write(
            "import_http_connector",
            _target("connector"),
            "POST",
            self._org("protocols", "http", "import"),
            json=_from_url(schema_url, filetype, format),
            timeout=timeout,
            parse=ImportHTTPConnectorResult.model_validate,
        )

    def import_http_connector_version(
        self,
        connector_id: str,
        version: str,
        file: bytes,
        filename: str,
        *,
        format: str = "openapi",
        timeout: float | None = None,
    ) -> ImportHTTPConnectorResult:
        """ImportHTTPConnectorVersion: a new version of a connector from an uploaded document."""
        return self._write(
            "import_http_connector_version",
            _target("version", name=version),
            "POST",
            self._org("connector", connector_id, "http", "import"),
            files=_upload(file, filename, {"format": format, "version": version}),
            timeout=timeout,
            parse=ImportHTTPConnectorResult.model_validate,
        )

    def import_http_connector_version_from_url(
        self,
        connector_id: str,
        version: str,
        schema_url: str,
        *,
        filetype: str = "",
        format: str = "openapi",
        timeout: float | None = None,
    ) -> ImportHTTPConnectorResult:
        """ImportHTTPConnectorVersion from a document the API downloads from `schema_url`."""
        return self._write(
            "import_http_connector_version",
            _target("version", name=version),
            "POST",
            self._org("connector", connector_id, "http", "import"),
            json=_from_url(schema_url, filetype, format) | {"version": version},
            timeout=timeout,
            parse=ImportHTTPConnectorResult.model_validate,
        )


def api_path(*parts: str) -> str:
    """Join API path segments, each percent-encoded, so an id can never reach another route
    (also the form in which the audit log records paths)."""
    return "/".join(quote(str(part), safe="") for part in parts)


def _target(kind: str, id: str | None = None, name: str | None = None) -> dict[str, str | None]:
    return {"kind": kind, "id": id, "name": name}


def _identified(target: dict[str, str | None], result: Any) -> dict[str, str | None]:
    """A create learns its resource's id (and name) from the response."""
    if target["id"] is not None or result is None:
        return target
    # An import's result holds the connector it made.
    made = getattr(result, "connector", result) if target["kind"] == "connector" else result
    return target | {
        "id": getattr(made, "id", None),
        "name": target["name"] or getattr(made, "name", None),
    }


def _outcome(error: ConnectError) -> str:
    """A failed call's audit outcome: the contract's error code, or what went wrong."""
    if isinstance(error, APIError):
        return error.code
    if isinstance(error, CircuitOpen):
        return "circuit_open"
    if isinstance(error, ConnectTimeout):
        return "timeout"
    if isinstance(error, MalformedResponse):
        return "malformed_response"
    return "unreachable"


def _utc(moment: datetime) -> datetime:
    """Naive datetimes are taken as UTC (the contract's times all are)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _rfc3339(moment: datetime) -> str:
    return _utc(moment).isoformat()


def _cursor(first: int | None, after: str | None, before: str | None) -> dict[str, Any]:
    return {"first": first, "after": after, "before": before}


def _force(force: bool) -> dict[str, str]:
    return {"force": "true"} if force else {}


def _connector_filters(sort, name, protocol, tags, categories) -> dict[str, Any]:
    return {
        "sort": sort,
        "name": name,
        "protocol": protocol,
        "tags": ",".join(tags),
        "categories": list(categories),
    }


def _upload(file: bytes, filename: str, metadata: dict[str, str]) -> dict[str, tuple]:
    content_type = "application/json" if filename.lower().endswith(".json") else "application/yaml"
    return {
        "file": (filename, file, content_type),
        "metadata": (None, json.dumps(metadata), "application/json"),
    }


def _from_url(schema_url: str, filetype: str, format: str) -> dict[str, str]:
    body = {"schemaURL": schema_url, "format": format}
    return body | ({"filetype": filetype} if filetype else {})


# --- The process-wide client ------------------------------------------------------------------

_client: ConnectClient | None = None
_client_lock = threading.Lock()


def get_client() -> ConnectClient:
    """The process-wide client (one connection pool), built from settings on first use and
    closed when the process exits."""
    global _client
    with _client_lock:
        if _client is None:
            _client = build_client()
            atexit.register(_client.close)
        return _client


def build_client() -> ConnectClient:
    """A client configured from settings: the remote platform when CONNECT_API_URL is set,
    else the embedded API in process."""
    org = settings.CONNECT_ORGANISATION_ID
    common = {
        "organisation_id": org,
        "timeout": settings.CONNECT_API_TIMEOUT,
        "connect_timeout": settings.CONNECT_API_CONNECT_TIMEOUT,
        "retry": RetryPolicy(max_retries=settings.CONNECT_API_RETRIES),
        "breaker": CircuitBreaker(
            threshold=settings.CONNECT_API_BREAKER_THRESHOLD,
            cooldown=settings.CONNECT_API_BREAKER_COOLDOWN,
        ),
    }
    if settings.CONNECT_API_URL:
        return ConnectClient(
            base_url=settings.CONNECT_API_URL,
            token=settings.CONNECT_API_TOKEN,
            backend_label=settings.CONNECT_API_URL,
            **common,
        )
    from dashboard.embedded_api.auth import service_token

    from .embedded import EMBEDDED_BASE_URL, InProcessTransport

    return ConnectClient(
        base_url=EMBEDDED_BASE_URL,
        token=service_token(org),
        transport=InProcessTransport(),
        backend_label="embedded",
        server_checks_preconditions=True,
        **common,
    )
