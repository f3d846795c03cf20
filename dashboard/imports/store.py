"""Uploaded documents kept on the server between their preview and their import.

Why: the user previews first and imports after reading the preview; sending the file again
would double the upload (up to 20 MiB) and, without JavaScript, make them choose it again.
So the preview keeps the bytes in the cache (`CACHE_URL`: per process by default, Redis in
production, shared by every worker) under a random token that the page carries in a hidden
field. Bounded: each user has one slot, holding their latest preview only (a new preview
replaces it), of at most `OPENAPI_MAX_BYTES`; it expires after `SESSION_IDLE_TIMEOUT`, like the
session it belongs to. A document previewed from a URL keeps only the URL: the Connect API
downloads it itself on import (the contract's import by URL).

Import results are kept the same way, briefly, for the result page they redirect to.
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

RESULT_SECONDS = 60 * 60


@dataclass(frozen=True)
class Document:
    """An OpenAPI document to import: uploaded bytes (`data`), or one at `url`."""

    data: bytes
    filename: str = ""
    url: str = ""

    @property
    def source(self) -> str:
        return self.url or self.filename


@dataclass(frozen=True)
class Pending:
    """A previewed document waiting for its import into `connector_id` (None: a new
    connector). Its bytes are kept apart, so showing what is kept never loads them."""

    token: str
    filename: str
    url: str
    size: int
    connector_id: str | None
    # False for a file kept from a form refused for another reason (a taken version name):
    # it must be previewed before it can be imported.
    previewed: bool = True
    connector_name: str = ""  # the name a new connector gets from the document
    version_name: str = ""  # the name its first version gets (forms.first_version_name)

    @property
    def source(self) -> str:
        return self.url or self.filename


def _slot(user) -> str:
    return f"imports:pending:{user.pk}"


def _bytes_key(user, token: str) -> str:
    return f"imports:pending:{user.pk}:{token}"


def keep(
    user,
    document: Document,
    connector_id: str | None,
    *,
    previewed=True,
    connector_name="",
    version_name="",
) -> Pending:
    """Keep `document` as `user`'s pending import, replacing the one before."""
    before = cache.get(_slot(user))
    kept = Pending(
        secrets.token_urlsafe(16),
        document.filename,
        document.url,
        len(document.data),
        connector_id,
        previewed,
        connector_name,
        version_name,
    )
    entries = {_slot(user): kept}
    if not document.url:
        entries[_bytes_key(user, kept.token)] = document.data
    cache.set_many(entries, settings.SESSION_IDLE_TIMEOUT)
    if before is not None:
        cache.delete(_bytes_key(user, before.token))
    return kept


def pending(user, token: str, connector_id: str | None) -> Pending | None:
    """`user`'s pending import if `token` names it and it is for `connector_id`."""
    found = cache.get(_slot(user)) if token else None
    if found is None or not secrets.compare_digest(found.token, token):
        return None
    return found if found.connector_id == connector_id else None


def unpreviewed(user, connector_id: str) -> Pending | None:
    """`user`'s pending import into `connector_id` that awaits its preview (one carried
    over from a new connector's preview, or kept from a refused form), found without its
    token: the page that shows it is reached by a redirect, and tokens stay out of URLs."""
    found = cache.get(_slot(user))
    if found is None or found.previewed or found.connector_id != connector_id:
        return None
    return found


def document(user, kept: Pending) -> Document | None:
    """The kept document (None if its bytes have gone from the cache)."""
    if kept.url:
        return Document(data=b"", url=kept.url)
    data = cache.get(_bytes_key(user, kept.token))
    return None if data is None else Document(data=data, filename=kept.filename)


def claim(user) -> bool:
    """Take `user`'s pending import for one Import. False when another request (a double
    click) took it first: the cache's delete says whether the key was still there."""
    return cache.delete(_slot(user))


def give_back(user, kept: Pending) -> None:
    """Make a claimed import pending again (the import failed), unless a new preview has
    taken the slot meanwhile."""
    cache.add(_slot(user), kept, settings.SESSION_IDLE_TIMEOUT)


def discard(user, kept: Pending) -> None:
    """Forget an imported document."""
    cache.delete_many([_slot(user), _bytes_key(user, kept.token)])


def keep_result(user, summary) -> str:
    """Keep an import's summary for its result page; returns the token that finds it."""
    token = secrets.token_urlsafe(16)
    cache.set(f"imports:result:{user.pk}:{token}", summary, RESULT_SECONDS)
    return token


def result(user, token: str):
    return cache.get(f"imports:result:{user.pk}:{token}")
