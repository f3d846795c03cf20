"""Which environments there are, the client of each, and who may do what in each.

The default environment is today's settings (CONNECT_API_URL, CONNECT_API_TOKEN,
CONNECT_ORGANISATION_ID), named by CONNECT_ENVIRONMENT_SLUG; more come from settings
(CONNECT_ENVIRONMENTS) or are added by an admin in the dashboard (`AddedEnvironment`).
"""

import logging
import re
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.urls import get_script_prefix

from dashboard.connect import ConnectClient, Target, using
from dashboard.connect.client import build_client, default_client, default_target

from .models import COLOURS, SLUG_PATTERN, AddedEnvironment
from .secrets import UnreadableKey, decrypt

logger = logging.getLogger(__name__)

PREFIX = "/env/"
EMBEDDED = "embedded"
_DEFAULT_PORTS = {"http": 80, "https": 443}


class UnknownEnvironment(LookupError):
    """No environment has this slug."""


@dataclass(frozen=True)
class Environment:
    """One Connect API target. `api_key` is never rendered: templates get the rest."""

    slug: str
    name: str
    colour: str
    organisation_id: str
    base_url: str = ""  # empty: the embedded API
    api_key: str = field(default="", repr=False, compare=False)
    is_default: bool = False
    added: bool = False  # added in the dashboard (editable there), else from settings
    # Its stored key could not be decrypted (ENVIRONMENTS_ENCRYPTION_KEY changed without
    # rotation): every page still renders; the admin page asks for the key again.
    key_unreadable: bool = False

    @property
    def backend(self) -> str:
        return self.base_url or EMBEDDED

    @property
    def backend_key(self) -> tuple[str, str]:
        return backend_key(self.base_url, self.organisation_id)

    @property
    def url_prefix(self) -> str:
        """What its pages' paths start with: nothing for the default, so old URLs show it."""
        return "" if self.is_default else f"{PREFIX}{self.slug}"

    def target(self) -> Target:
        return Target(self.slug, self.organisation_id, self.base_url, self.api_key)


def backend_key(base_url: str, organisation_id: str) -> tuple[str, str]:
    """What makes two environments one Connect API and organisation, however their URLs are
    spelt: scheme and host in any case, a default port, a trailing slash. Every environment
    without a URL is the embedded API, one backend."""
    return _normalised(base_url.strip()), organisation_id.strip().upper()


def _normalised(url: str) -> str:
    if not url:
        return EMBEDDED
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), parts.hostname or ""
    if ":" in host:  # IPv6: urlsplit dropped its brackets
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:  # not a port: left as typed, so it still matches itself
        return url
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path.rstrip("/"), parts.query, ""))


_PREFIXED = re.compile(rf"^{PREFIX}(?P<slug>[^/]+)(?P<rest>/.*)?$")


def split_prefix(path: str) -> tuple[Environment, str]:
    """The environment a path shows and the path without its prefix (`UnknownEnvironment`
    for a prefix naming none)."""
    match = _PREFIXED.match(path)
    if match is None:
        return default_environment(), path
    return get_environment(match["slug"]), match["rest"] or "/"


def url_in(environment: Environment, url: str) -> str:
    """`url`, reversed in the current request, as the same page in `environment`."""
    return environment.url_prefix + "/" + url.removeprefix(get_script_prefix())


def default_environment() -> Environment:
    """The service layer's default target (today's CONNECT_* settings), named and coloured."""
    target = default_target()
    return Environment(
        slug=target.environment,
        name=settings.CONNECT_ENVIRONMENT_NAME,
        colour=settings.CONNECT_ENVIRONMENT_COLOUR,
        organisation_id=target.organisation_id,
        base_url=target.base_url,
        api_key=target.token,
        is_default=True,
    )


def settings_environments() -> list[Environment]:
    """The default, then CONNECT_ENVIRONMENTS in order; a bad value fails loudly."""
    found = [default_environment()]
    for entry in settings.CONNECT_ENVIRONMENTS:
        slug = entry["slug"]
        variable = f"CONNECT_{slug.upper().replace('-', '_')}"
        found.append(
            Environment(
                slug=slug,
                name=entry["name"] or slug.capitalize(),
                colour=entry["colour"] or "blue",
                organisation_id=entry["organisation_id"],
                base_url=entry["api_url"],
                api_key=entry["api_token"],
            )
        )
        if not entry["organisation_id"]:
            raise ImproperlyConfigured(f"{variable}_ORGANISATION_ID is not set.")
    for environment in found:
        if not SLUG_PATTERN.match(environment.slug):
            raise ImproperlyConfigured(
                f"Environment slug {environment.slug!r} is not lower-case letters, digits and "
                "hyphens."
            )
        if environment.colour not in dict(COLOURS):
            raise ImproperlyConfigured(
                f"Environment {environment.slug!r}: colour {environment.colour!r} is not one "
                f"of {', '.join(dict(COLOURS))}."
            )
    slugs = [environment.slug for environment in found]
    if len(set(slugs)) != len(slugs):
        raise ImproperlyConfigured(f"Environment slugs repeat: {', '.join(slugs)}.")
    return found


def _added(row: AddedEnvironment) -> Environment:
    api_key, unreadable = "", False
    if row.encrypted_api_key:
        try:
            api_key = decrypt(row.encrypted_api_key)
        except UnreadableKey:
            unreadable = True
            logger.warning("The API key of environment %r cannot be decrypted.", row.slug)
    return Environment(
        slug=row.slug,
        name=row.name,
        colour=row.colour,
        organisation_id=row.organisation_id,
        base_url=row.base_url,
        api_key=api_key,
        added=True,
        key_unreadable=unreadable,
    )


def all_environments() -> list[Environment]:
    """Every environment: the default first, then settings', then those added by admins
    (a slug taken by settings wins)."""
    found = settings_environments()
    taken = {environment.slug for environment in found}
    return found + [
        environment for environment in _added_environments() if environment.slug not in taken
    ]


# --- Added environments, read once per process until one changes ----------------------------
# Every page's header lists the environments. The rows are kept in each process beside a
# token from the shared cache; a change sets a new token (at once and again on commit), so
# every process reads the rows again on its next request. Without a shared cache (a dummy,
# settings.py) there is never a token to match: the rows are read every time.
_TOKEN_KEY = "environments:token"
_memo: tuple[str, list[Environment]] | None = None


def _added_environments() -> list[Environment]:
    global _memo
    shared = caches[settings.SHARED_CACHE_ALIAS]
    token = shared.get(_TOKEN_KEY)
    if token is None:
        token = uuid.uuid4().hex
        if not shared.add(_TOKEN_KEY, token, timeout=None):
            token = shared.get(_TOKEN_KEY, token)
    memo = _memo
    if memo is not None and memo[0] == token:
        return memo[1]
    rows = [_added(row) for row in AddedEnvironment.objects.all()]
    _memo = (token, rows)
    return rows


def forget_added_environments() -> None:
    """Every process reads the added environments again: called when one changes."""
    caches[settings.SHARED_CACHE_ALIAS].set(_TOKEN_KEY, uuid.uuid4().hex, timeout=None)


def others_than(
    here: Environment | None, among: Iterable[Environment] | None = None
) -> list[Environment]:
    """Every environment but `here`: of `among` when the page has read them already (its
    `environments`, shared with the header's switcher), else of all."""
    environments = all_environments() if among is None else among
    return [e for e in environments if here is None or e.slug != here.slug]


def get_environment(slug: str) -> Environment:
    """The environment with this slug; `UnknownEnvironment` if none has it."""
    for environment in settings_environments():  # no query for these (the first wins)
        if environment.slug == slug:
            return environment
    for environment in _added_environments():
        if environment.slug == slug:
            return environment
    raise UnknownEnvironment(f"There is no environment {slug!r}.")


def same_backend(base_url: str, organisation_id: str, besides: str = "") -> list[Environment]:
    """The environments (but the one whose slug is `besides`) on this Connect API and
    organisation: two of them would show the same data under two names."""
    key = backend_key(base_url, organisation_id)
    return [e for e in all_environments() if e.slug != besides and e.backend_key == key]


def embedded_environment_of(organisation_id: str) -> Environment | None:
    """The environment showing this organisation of the embedded API, if one does."""
    return next(
        (e for e in all_environments() if not e.base_url and e.organisation_id == organisation_id),
        None,
    )


# --- Clients -------------------------------------------------------------------------------

_clients: dict[Target, ConnectClient] = {}
_clients_lock = threading.Lock()


def client_for(environment: Environment) -> ConnectClient:
    """The environment's process-wide client (one connection pool and circuit breaker each).
    The default environment's is the service layer's own default client. An environment
    edited in the dashboard gets a new client (the target is the cache key)."""
    if environment.is_default:
        return default_client()
    target = environment.target()
    with _clients_lock:
        client = _clients.get(target)
        if client is None:
            client = _clients[target] = build_client(target)
        return client


# --- The environment being shown -------------------------------------------------------------

_current: ContextVar[Environment | None] = ContextVar("environment", default=None)


@contextmanager
def activated(environment: Environment) -> Iterator[Environment]:
    """Inside the block (this thread or task), `current_environment()` is `environment`,
    `get_client()` its client and permissions its roles': a request (the middleware), a
    bulk run's step."""
    token = _current.set(environment)
    try:
        with using(client_for(environment)):
            yield environment
    finally:
        _current.reset(token)


def current_environment() -> Environment:
    return _current.get() or default_environment()


def can(user: AbstractUser | AnonymousUser, environment: Environment, permission: str) -> bool:
    """Whether `user` holds `permission` (e.g. "accounts.publish_versions") in `environment`,
    whichever environment is being shown: asked of the authentication backends, as
    `user.has_perm` always is (roles.py decides)."""
    token = _current.set(environment)
    try:
        return user.has_perm(permission)
    finally:
        _current.reset(token)
