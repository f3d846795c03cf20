"""API keys of environments added in the dashboard, encrypted at rest (Fernet).

`settings.ENVIRONMENTS_ENCRYPTION_KEY` holds one Fernet key, or several separated by commas to
rotate: the first encrypts, any of them decrypts. No fallback key: an unset or malformed one
fails at first use rather than storing keys under a guessable one.
"""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class UnreadableKey(Exception):
    """A stored key that no configured key decrypts (the key was changed without rotation)."""


def _fernet() -> MultiFernet:
    keys = [key.strip() for key in settings.ENVIRONMENTS_ENCRYPTION_KEY.split(",") if key.strip()]
    if not keys:
        raise ImproperlyConfigured(
            "ENVIRONMENTS_ENCRYPTION_KEY (or EMBEDDED_API_ENCRYPTION_KEY) is not set; generate "
            'one with `python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())"`.'
        )
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError:
        # The message names the setting only: the value is itself a secret.
        raise ImproperlyConfigured(
            "ENVIRONMENTS_ENCRYPTION_KEY is not a valid Fernet key (32 url-safe base64 bytes)."
        ) from None


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise UnreadableKey(
            "A stored API key cannot be decrypted with ENVIRONMENTS_ENCRYPTION_KEY."
        ) from None
