"""Storing credentials: the one place that validates credential data, splits off and encrypts
its secrets, and rotates them. Other areas (an OAuth 2.0 auth scheme config's client secret)
store their secrets through `new_credential` too."""

from datetime import datetime

from django.utils import timezone

from ..errors import precondition_failed
from ..models import Credential
from . import credential_data


def new_credential(
    organisation_id: str,
    *,
    name: str,
    type: str,
    data: object,
    expires_at: datetime | None = None,
    inline: bool = False,
    field: str = "",
) -> Credential:
    """Validate and store a credential. A bad type or data is a 400 whose `fields` are named
    under `field` (e.g. `credentials.action[0].credential`)."""
    credential_data.check_type(type, _join(field, "type"))
    valid = credential_data.validate(type, data, _join(field, "data"))
    public, secret = credential_data.split(type, valid)
    return Credential.objects.create(
        organisation_id=organisation_id,
        name=name,
        type=type,
        public_data=public,
        secret_data=secret,
        expires_at=expires_at,
        inline=inline,
    )


def rotate(
    credential: Credential, *, name: str, data: object, expires_at: datetime | None
) -> Credential:
    """Replace a credential's name, data and expiry, keeping its id (so every connection using
    it gets the new secret) and clearing its errors. Secrets sent empty are kept.

    The write is conditional on the row being unchanged since `credential` was read, so a
    concurrent rotation is refused with 412 rather than silently overwritten."""
    valid = credential_data.validate(credential.type, credential_data.merged(credential, data))
    public, secret = credential_data.split(credential.type, valid)
    now = timezone.now()
    changed = Credential.objects.filter(pk=credential.pk, updated_at=credential.updated_at).update(
        name=name,
        public_data=public,
        secret_data=secret,
        expires_at=expires_at,
        errors=[],
        updated_at=now,
    )
    if not changed:
        raise precondition_failed("The credential was changed by someone else while saving.")
    credential.refresh_from_db()
    return credential


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name
