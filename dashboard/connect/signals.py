"""Signals the service layer sends, so other parts of the dashboard can react to its calls.

`connect_mutation` is sent once after every call that is not a GET (successful or not), by the
client, with these keyword arguments:

- `operation: str`  the contract's operationId, e.g. "publish_connector_version"
- `method: str`     the HTTP method, e.g. "POST"
- `path: str`       the path called, relative to the API root, e.g. "o/{org}/connectors/{id}"
- `target: dict`    what was acted on: "kind" (e.g. "connector"), "id" and "name" when known
- `outcome: str`    "ok", or the error: the contract's `code`, or "timeout"/"unreachable"
- `status: int | None`  the HTTP status, None when no response came back
- `changes: list[dict]`  for an update that succeeded, the fields it changed:
  `{"field", "before", "after"}` as short text, or `{"field", "secret": True}` for a secret
  (whose value is never sent); empty otherwise (see dashboard.connect.changes)
- `environment: str`  the Patchbay environment whose client made the call (its slug)
- `request_id: str | None`  the X-Request-ID the call was sent with (the dashboard request's,
  or one made up for a call outside a request); None when it was never sent

Never pass request bodies, credentials or anything derived from them. The audit log
(`dashboard.accounts.audit`) records each one for the signed-in user, with the note a view
gave the calls it made inside `mutation_note(...)` (what the person confirmed beyond the call,
e.g. "2 breaking changes acknowledged"): the view knows it, the client does not.
"""

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.dispatch import Signal

connect_mutation = Signal()

_note: contextvars.ContextVar[str] = contextvars.ContextVar("mutation_note", default="")


@contextmanager
def mutation_note(note: str) -> Iterator[None]:
    """Mutations made inside the block are recorded with `note`."""
    token = _note.set(note)
    try:
        yield
    finally:
        _note.reset(token)


def current_mutation_note() -> str:
    return _note.get()
