"""The audit log's recording side: every Connect API mutation, for the user who caused it.

The service layer sends `connect_mutation` after each non-GET call; the receiver here turns it
into an `AuditEntry`. Recording in one place means no view can forget to. The embedded API
sends `api_mutation` (same arguments, plus `actor`: the API key's name) for calls made straight
to it with an API key, so those are recorded too, with the key as the actor.
"""

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.dispatch import receiver

from dashboard.connect.paths import organisation_in
from dashboard.connect.signals import connect_mutation, current_mutation_note
from dashboard.embedded_api.audit import api_mutation
from dashboard.environments.registry import current_environment, embedded_environment_of
from dashboard.request_id import current_request_id

from .models import AuditEntry

_current_user: contextvars.ContextVar[AbstractBaseUser | AnonymousUser | None] = (
    contextvars.ContextVar("audit_user", default=None)
)


class CurrentUserMiddleware:
    """Makes the request's user known to the audit receiver, which has no request to hand."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_as(request.user):
            return self.get_response(request)


@contextmanager
def acting_as(user: AbstractBaseUser | AnonymousUser | None) -> Iterator[None]:
    """Audit the mutations made meanwhile for `user` (a request's, or a bulk run's owner)."""
    token = _current_user.set(user)
    try:
        yield
    finally:
        _current_user.reset(token)


def _text(value: object, limit: int) -> str:
    # A NUL (a caller's `%00` in a path) is shown as U+FFFD: PostgreSQL's text holds none.
    return "" if value is None else str(value)[:limit].replace("\x00", "\ufffd")


API_KEY_ACTOR = "API key: {}"


@receiver(api_mutation, dispatch_uid="dashboard.accounts.audit.record_api_mutation")
@receiver(connect_mutation, dispatch_uid="dashboard.accounts.audit.record_mutation")
def record_mutation(
    sender: object,
    *,
    operation: str,
    method: str,
    path: str,
    outcome: str,
    target: dict | None = None,
    status: int | None = None,
    request_id: str | None = None,
    actor: str | None = None,
    changes: list[dict] | None = None,
    environment: str | None = None,
    **ignored: object,
) -> AuditEntry:
    """Record one mutation. Only the named fields are kept: anything else sent is dropped.
    `actor` (an API key's name) stands in for the signed-in user. `environment` is the
    client's; else (a call made to the embedded API with a key, an item a bulk run skipped)
    the environment being shown."""
    user = None if actor is not None else _current_user.get()
    if user is not None and not user.is_authenticated:
        user = None
    if actor is not None:
        username = API_KEY_ACTOR.format(actor)
    else:
        username = user.get_username() if user else ""
    target = target or {}
    # The call's own id (also in the logs and the Connect API's), else the request's.
    request_id = request_id or current_request_id()
    return AuditEntry.objects.create(
        user_id=user.pk if user else None,
        username=_text(username, 150),
        action=_text(operation, 100),
        method=_text(method, 10).upper(),
        # A query string could carry anything; the path alone says what was called.
        path=_text(urlsplit(path).path, 500),
        target_kind=_text(target.get("kind"), 50),
        target_id=_text(target.get("id"), 100),
        target_name=_text(target.get("name"), 200),
        outcome=_text(outcome, 100),
        status=status,
        request_id="" if request_id == "-" else _text(request_id, 64),
        note=_text(current_mutation_note(), 200),
        changes=[_change(change) for change in changes or ()],
        environment=_text(environment or _environment_of(path, actor), 40),
    )


def _environment_of(path: str, actor: str | None) -> str:
    """The environment of a call that did not say: for a call made with an API key straight to
    the embedded API, the environment showing the organisation it names; else (an item a bulk
    run skipped) the environment being shown."""
    organisation = organisation_in(path) if actor is not None else None
    environment = organisation and embedded_environment_of(organisation)
    return (environment or current_environment()).slug


def _change(change: dict) -> dict:
    """One changed field as stored: a secret keeps only its name, whatever else was sent."""
    field = _text(change.get("field"), 200)
    if change.get("secret"):
        return {"field": field, "secret": True}
    return {"field": field, "before": _text(change.get("before"), 200),
            "after": _text(change.get("after"), 200)}  # fmt: skip
