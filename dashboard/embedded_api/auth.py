"""Who is calling: a Bearer API key (stored hashed, one organisation each) or the dashboard's
service token.

The service token is the dashboard's own credential in embedded mode: a value signed with
SECRET_KEY that names one organisation, so the dashboard needs no key in the database and
never touches this app's models.
"""

from typing import NamedTuple

from django.core import signing

from .errors import ApiError
from .models import ApiKey
from .models.keys import KEY_PREFIX, hash_key

SERVICE_PREFIX = "pbs_"
_SERVICE_SALT = "patchbay.embedded-api.service-token"


def service_token(organisation_id: str) -> str:
    return SERVICE_PREFIX + signing.dumps(organisation_id, salt=_SERVICE_SALT, compress=False)


def _unauthorised(message: str) -> ApiError:
    return ApiError(401, "unauthorised", message)


class Caller(NamedTuple):
    organisation_id: str
    key_name: str | None  # an API key's name ("" if unnamed); None for the service token


def authenticate(authorization: str) -> Caller:
    """Who the `Authorization` header's credential belongs to."""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorised("Send an API key as 'Authorization: Bearer <key>'.")
    token = token.strip()
    if token.startswith(SERVICE_PREFIX):
        try:
            return Caller(signing.loads(token[len(SERVICE_PREFIX) :], salt=_SERVICE_SALT), None)
        except signing.BadSignature:
            raise _unauthorised("The API key is not valid.") from None
    if token.startswith(KEY_PREFIX):
        key = ApiKey.objects.active().filter(key_hash=hash_key(token)).first()
        if key is not None:
            return Caller(key.organisation_id, key.name or f"{KEY_PREFIX}{key.prefix}")
    raise _unauthorised("The API key is not valid.")
