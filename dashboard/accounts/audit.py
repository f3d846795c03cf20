"""The audit log's recording side: every Connect API mutation, for the user who caused it.

The service layer sends `connect_mutation` after each non-GET call; the receiver here turns it
into an `AuditEntry`. Recording in one place means no view can forget to.
"""

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.dispatch import receiver

from dashboard.connect.signals import connect_mutation
from dashboard.request_id import current_request_id

from .models import AuditEntry

_current_user: contextvars.ContextVar[AbstractBaseUser | AnonymousUser | None] = (
    contextvars.ContextVar("audit_user", default=None)
)

_note: contextvars.ContextVar[str] = contextvars.ContextVar("audit_note", default="")


@contextmanager
def audit_note(note: str) -> Iterator[None]:
    """Mutations made inside the block are recorded with `note` (what the person confirmed,
    e.g. "2 breaking changes acknowledged"), as the view knows it and the client does not."""
    token = _note.set(note)
    try:
        yield
    finally:
        _note.reset(token)


class CurrentUserMiddleware:
    """Makes the request's user known to the audit receiver, which has no request to hand."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_user.set(request.user)
        try:
            return self.get_response(request)
        finally:
            _current_user.reset(token)


def _text(value: object, limit: int) -> str:
    return "" if value is None else str(value)[:limit]


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
    **ignored: object,
) -> AuditEntry:
    """Record one mutation. Only the named fields are kept: anything else sent is dropped."""
    user = _current_user.get()
    signed_in = user is not None and user.is_authenticated
    target = target or {}
    # The call's own id (also in the logs and the Connect API's), else the request's.
    request_id = request_id or current_request_id()
    return AuditEntry.objects.create(
        user_id=user.pk if signed_in else None,
        username=user.get_username() if signed_in else "",
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
        note=_text(_note.get(), 200),
    )
