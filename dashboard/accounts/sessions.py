"""Database sessions, read through the cache, that end after SESSION_IDLE_TIMEOUT seconds
without a request, without a database write on every request.

Django's SESSION_SAVE_EVERY_REQUEST pushes the expiry forward by saving the session on every
request: an UPDATE and a commit per page view. This store saves it only once the stored expiry
has fallen more than REFRESH_AFTER behind a full timeout, so an idle session ends between
SESSION_IDLE_TIMEOUT - REFRESH_AFTER and SESSION_IDLE_TIMEOUT seconds after its last request.
(SESSION_ENGINE points here; SESSION_SAVE_EVERY_REQUEST stays off.)

The database is the record; the cache SESSION_CACHE_ALIAS holds a copy of each session with
its stored expiry, written with every save and dropped with every delete, so a request reads
its session without a query. Settings make that cache a dummy (every read goes to the
database) unless every process shares the cache (Redis): with a per-process cache a session
ended in one process would live on in the others.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.cache import caches
from django.utils import timezone

REFRESH_AFTER = timedelta(seconds=60)
logger = logging.getLogger(__name__)


class SessionStore(DatabaseSessionStore):
    def __init__(self, session_key=None):
        self._stored_expiry = None  # the expiry in the database, once loaded
        self._cache = caches[settings.SESSION_CACHE_ALIAS]
        super().__init__(session_key)

    def _cache_key(self, session_key: str | None = None) -> str:
        return "patchbay.session:" + (session_key or self.session_key or "")

    def load(self):
        if self.session_key:
            try:
                cached = self._cache.get(self._cache_key())
            except Exception:  # the cache is down: the database still answers
                logger.exception("Session cache unavailable; reading the database")
                cached = None
            if cached is not None and cached[1] > timezone.now():  # (data, stored expiry)
                data, self._stored_expiry = cached
                return data
        data = super().load()
        if self._stored_expiry is not None:
            self._cached(data, self._stored_expiry)
        return data

    def _get_session_from_db(self):
        session = super()._get_session_from_db()
        self._stored_expiry = session.expire_date if session else None
        return session

    def save(self, must_create=False):
        # The expiry the database row gets (to the microsecond, at worst a moment earlier).
        expiry = self.get_expiry_date()
        super().save(must_create)
        self._stored_expiry = expiry
        self._cached(self._get_session(no_load=must_create), expiry)

    def delete(self, session_key=None):
        super().delete(session_key)
        if session_key or self.session_key:
            self._cache.delete(self._cache_key(session_key))

    def _cached(self, data: dict, expiry) -> None:
        seconds = (expiry - timezone.now()).total_seconds()
        if seconds > 0:
            self._cache.set(self._cache_key(), (data, expiry), seconds)

    # SessionMiddleware saves a session (and re-sends its cookie) when it is `modified`.
    @property
    def modified(self) -> bool:
        return self._modified or self._expiry_due()

    @modified.setter
    def modified(self, value: bool) -> None:
        self._modified = value

    def _expiry_due(self) -> bool:
        if self._stored_expiry is None:  # not loaded by this request, or new
            return False
        full = timezone.now() + timedelta(seconds=self.get_expiry_age())
        return self._stored_expiry < full - REFRESH_AFTER
