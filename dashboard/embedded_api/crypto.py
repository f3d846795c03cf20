"""Encryption of credential secrets at rest (Fernet: AES-128-CBC with an HMAC-SHA256 tag).

`settings.EMBEDDED_API_ENCRYPTION_KEY` holds one Fernet key, or several separated by commas to
rotate the key: the first encrypts, any of them decrypts. There is no fallback key: an unset
or malformed key fails at first use rather than storing secrets under a guessable one.
"""

import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class UnreadableSecret(Exception):
    """Stored data that no configured key decrypts (the key was changed without rotation)."""


def _fernet() -> MultiFernet:
    raw = settings.EMBEDDED_API_ENCRYPTION_KEY
    keys = [key.strip() for key in (raw or "").split(",") if key.strip()]
    if not keys:
        raise ImproperlyConfigured(
            "EMBEDDED_API_ENCRYPTION_KEY is not set; generate one with "
            '`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key())"`.'
        )
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError:
        # The message names the setting only: the value is itself a secret.
        raise ImproperlyConfigured(
            "EMBEDDED_API_ENCRYPTION_KEY is not a valid Fernet key (32 url-safe base64 bytes)."
        ) from None


def encrypt(data: dict) -> str:
    """Encrypt a JSON-serialisable dict into an ASCII token for a text column."""
    return _fernet().encrypt(json.dumps(data, separators=(",", ":")).encode()).decode()


def decrypt(token: str) -> dict:
    """The dict `encrypt` was given; `UnreadableSecret` if no configured key opens it."""
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken:
        raise UnreadableSecret(
            "A stored secret cannot be decrypted with EMBEDDED_API_ENCRYPTION_KEY."
        ) from None
