"""The Connect API client: the only code that knows the API's paths and JSON.

Operations are grouped by resource, as the contract groups them: `client.connectors.list()`,
`client.versions.publish(...)`, `client.actions.get(...)` (resources/, one module each), each
method named after its operationId and returning the typed models of `models/` (or a `Page`
of them). Every failure is a `ConnectError` (errors.py); HTTP policy (deadlines, retries,
circuit breaker, logging) lives in session.py. This module holds what every operation shares.

Every call that changes something also sends `signals.connect_mutation` (operation, path,
target, outcome; never a body), which the audit log records.

Methods that update take `if_unmodified_since` (the `updatedAt` the caller's form was loaded
with). The embedded API checks it itself (`If-Unmodified-Since`, plus `If-Match` with the exact
time because HTTP dates drop sub-seconds); against a remote platform, which may ignore those
headers, the client re-reads the resource first and refuses to overwrite a newer one.
"""

import atexit
import contextvars
import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from functools import cached_property
from typing import Any, TypeVar

import httpx
from django.conf import settings
from django.utils.module_loading import import_string
from pydantic import TypeAdapter
from pydantic.alias_generators import to_camel

from .breaker import CircuitBreaker
from .changes import field_changes
from .errors import (
    APIError,
    CircuitOpen,
    ConnectError,
    ConnectTimeout,
    MalformedResponse,
    PreconditionFailed,
)
from .pagination import Page, parse_page
from .paths import organisation_path
from .resources._base import rfc3339, utc
from .resources.catalogue import AuthSchemes, Categories, Protocols
from .resources.connections import Connections
from .resources.connectors import AuthSchemeConfigs, Connectors
from .resources.credentials import Credentials
from .resources.definitions import Definitions
from .resources.imports import Imports
from .resources.items import Actions, Triggers
from .resources.library import Library
from .resources.versions import Versions
from .retry import RetryPolicy
from .session import ApiSession
from .signals import connect_mutation

T = TypeVar("T")


@functools.cache
def _list_of(item: Any) -> TypeAdapter[list[Any]]:
    # Building an adapter compiles a validator: do it once per item type, not per call.
    return TypeAdapter(list[item])


class ConnectClient:
    """The Connect API for one organisation. Build one per process and environment
    (`get_client()`); it is safe to share between threads. `timeout` is each call's total
    deadline. `environment` names the Patchbay environment it serves (recorded with every
    mutation)."""

    def __init__(
        self,
        *,
        base_url: str,
        token: str,
        organisation_id: str,
        environment: str = "",
        timeout: float = 10.0,
        connect_timeout: float = 3.0,
        retry: RetryPolicy | None = None,
        breaker: CircuitBreaker | None = None,
        transport: httpx.BaseTransport | None = None,
        backend_label: str = "remote",
        server_checks_preconditions: bool = False,
        record_changes: bool = True,
    ):
        self.organisation_id = organisation_id
        self.environment = environment
        # Read a resource before updating it, so the audit log can say which fields changed.
        self.record_changes = record_changes
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
        """A cheap contract call whose answer must have the contract's shape: proves the API
        answers, accepts our token and speaks the contract (a 200 with another body, or a
        redirect to a login page, fails as the pages would)."""
        self.connectors.list(first=1)

    # --- Resources -------------------------------------------------------------------------

    @cached_property
    def categories(self) -> Categories:
        return Categories(self)

    @cached_property
    def protocols(self) -> Protocols:
        return Protocols(self)

    @cached_property
    def auth_schemes(self) -> AuthSchemes:
        return AuthSchemes(self)

    @cached_property
    def connectors(self) -> Connectors:
        return Connectors(self)

    @cached_property
    def auth_scheme_configs(self) -> AuthSchemeConfigs:
        return AuthSchemeConfigs(self)

    @cached_property
    def library(self) -> Library:
        return Library(self)

    @cached_property
    def versions(self) -> Versions:
        return Versions(self)

    @cached_property
    def actions(self) -> Actions:
        return Actions(self)

    @cached_property
    def triggers(self) -> Triggers:
        return Triggers(self)

    @cached_property
    def definitions(self) -> Definitions:
        return Definitions(self)

    @cached_property
    def connections(self) -> Connections:
        return Connections(self)

    @cached_property
    def credentials(self) -> Credentials:
        return Credentials(self)

    @cached_property
    def imports(self) -> Imports:
        return Imports(self)

    # --- Plumbing (used by resources/) -----------------------------------------------------

    def _org(self, *parts: str) -> str:
        return organisation_path(self.organisation_id, *parts)

    def _get(self, path: str, parse: Callable[[Any], T], **kwargs: Any) -> T:
        return self.session.json("GET", path, parse=parse, **kwargs)

    def _page(self, path: str, items_key: str, item: Any, params: dict[str, Any]) -> Page[Any]:
        params = {k: v for k, v in params.items() if v not in (None, "", [], ())}
        adapter = _list_of(item)

        def fetch(cursor: dict[str, str]) -> Page[Any]:
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
        named: Callable[[], str | None] | None = None,
        **kwargs: Any,
    ) -> T:
        """A call that changes something: the precondition, the request, then (whatever the
        outcome) `connect_mutation` for the audit log, with no body and no secret; for an
        update, the fields it changed (secrets only named). `named` reads the name of a
        target known by id alone (a delete's), so its entry still says what it was."""
        status, outcome, result, request_id, changes = None, "ok", None, None, []
        before: dict[str, Any] | None = None
        try:
            headers = self._preconditions(if_unmodified_since, current)
            before = self._before(method, path, kwargs.get("json"))
            target = self._named(target, named)
            response = self.session.request(method, path, headers=headers, **kwargs)
            status, request_id = response.status_code, response.request.headers["X-Request-ID"]
            result = self.session.decode(response, parse)
            if before is not None:
                changes = field_changes(before, kwargs["json"])
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
                target=_identified(_as_was(target, outcome, before), result),
                outcome=outcome,
                status=status,
                request_id=request_id,
                changes=changes,
                environment=self.environment,
            )

    def _named(
        self, target: dict[str, str | None], named: Callable[[], str | None] | None
    ) -> dict[str, str | None]:
        """A target known by id alone under its name, read before the call deletes it."""
        if named is None or target["name"] is not None or not self.record_changes:
            return target
        try:
            return target | {"name": named()}
        except ConnectError:  # gone already, or unreadable: the id alone
            return target

    def _before(self, method: str, path: str, sent: Any) -> dict[str, Any] | None:
        """For an update, the resource as it is before it: read at `path`, or at its parent
        when the path names the one field sent (`connectors/{id}/tags` sends `tags`). None
        when it cannot be read (the update then records no field changes)."""
        if not self.record_changes or method != "PUT" or not isinstance(sent, dict):
            return None
        parent, _, last = path.rpartition("/")
        field = to_camel(last.replace("-", "_"))
        try:
            before = self.session.json("GET", parent if list(sent) == [field] else path)
        except ConnectError:
            return None
        return before if isinstance(before, dict) else None

    def _preconditions(
        self, since: datetime | None, current: Callable[[], datetime | None]
    ) -> dict[str, str]:
        """Headers asking the server to refuse the write if the resource changed after
        `since`; against a server that may not check them, re-read it and refuse here."""
        if since is None:
            return {}
        headers = {"If-Unmodified-Since": format_datetime(utc(since), usegmt=True)}
        if self.server_checks_preconditions:
            headers["If-Match"] = f'"{rfc3339(since)}"'
            return headers
        updated_at = current()
        if updated_at is not None and updated_at > utc(since):
            raise PreconditionFailed(
                status=412,
                code="precondition_failed",
                message="The resource was changed by someone else since you loaded it.",
            )
        return headers


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


def _as_was(
    target: dict[str, str | None], outcome: str, before: dict[str, Any] | None
) -> dict[str, str | None]:
    """A refused update is named as what it tried to edit, not by the name it sent (a
    duplicate's, say): that name is the one that was not taken."""
    name = before.get("name") if outcome != "ok" and before is not None else None
    return target | {"name": name} if isinstance(name, str) and name else target


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


# --- Which client: the environment being shown, else the default -----------------------------


@dataclass(frozen=True)
class Target:
    """Where one environment's Connect API is: `base_url` empty means the embedded API."""

    environment: str
    organisation_id: str
    base_url: str = ""
    token: str = field(default="", repr=False)


def default_target() -> Target:
    """The default environment, from today's settings (CONNECT_API_URL and friends)."""
    return Target(
        environment=settings.CONNECT_ENVIRONMENT_SLUG,
        organisation_id=settings.CONNECT_ORGANISATION_ID,
        base_url=settings.CONNECT_API_URL,
        token=settings.CONNECT_API_TOKEN,
    )


_current: contextvars.ContextVar[ConnectClient | None] = contextvars.ContextVar(
    "connect_client", default=None
)


@contextmanager
def using(client: ConnectClient) -> Iterator[ConnectClient]:
    """`get_client()` answers `client` inside the block (on this thread or task only): the
    environments middleware wraps each request in it, a bulk run each of its steps."""
    token = _current.set(client)
    try:
        yield client
    finally:
        _current.reset(token)


def get_client() -> ConnectClient:
    """The client of the environment being shown (see `using`), else the default one."""
    return _current.get() or default_client()


_client: ConnectClient | None = None
_client_lock = threading.Lock()


def default_client() -> ConnectClient:
    """The default environment's process-wide client (one connection pool), built from
    settings on first use and closed when the process exits."""
    global _client
    with _client_lock:
        if _client is None:
            _client = build_client()
            atexit.register(_client.close)
        return _client


def build_client(target: Target | None = None) -> ConnectClient:
    """A client for `target` (default: the settings'): the remote platform when it has a
    base URL, else the embedded API in process."""
    target = target or default_target()
    common = {
        "organisation_id": target.organisation_id,
        "environment": target.environment,
        "timeout": settings.CONNECT_API_TIMEOUT,
        "connect_timeout": settings.CONNECT_API_CONNECT_TIMEOUT,
        "retry": RetryPolicy(max_retries=settings.CONNECT_API_RETRIES),
        "breaker": CircuitBreaker(
            threshold=settings.CONNECT_API_BREAKER_THRESHOLD,
            cooldown=settings.CONNECT_API_BREAKER_COOLDOWN,
        ),
    }
    if target.base_url:
        return ConnectClient(
            base_url=target.base_url,
            token=target.token,
            backend_label=target.base_url,
            **common,
        )
    from .embedded import EMBEDDED_BASE_URL

    # The embedded API's own token: injected by settings, so this layer imports none of it.
    service_token = import_string(settings.CONNECT_EMBEDDED_TOKEN)
    transport = import_string(settings.CONNECT_EMBEDDED_TRANSPORT)
    return ConnectClient(
        base_url=EMBEDDED_BASE_URL,
        token=service_token(target.organisation_id),
        transport=transport(workers=settings.WEB_THREADS),
        backend_label="embedded",
        server_checks_preconditions=True,
        **common,
    )
