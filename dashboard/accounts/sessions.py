"""Database sessions that end after SESSION_IDLE_TIMEOUT seconds without a request, without a
database write on every request.

Django's SESSION_SAVE_EVERY_REQUEST pushes the expiry forward by saving the session on every
request: an UPDATE and a commit per page view. This store saves it only once the stored expiry
has fallen more than REFRESH_AFTER behind a full timeout, so an idle session ends between
SESSION_IDLE_TIMEOUT - REFRESH_AFTER and SESSION_IDLE_TIMEOUT seconds after its last request.
(SESSION_ENGINE points here; SESSION_SAVE_EVERY_REQUEST stays off.)
"""

from datetime import timedelta

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

REFRESH_AFTER = timedelta(seconds=60)


class SessionStore(DatabaseSessionStore):
    def __init__(self, session_key=None):
        self._stored_expiry = None  # the expiry in the database, once loaded
        super().__init__(session_key)

    def _get_session_from_db(self):
        session = super()._get_session_from_db()
        self._stored_expiry = session.expire_date if session else None
        return session

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
