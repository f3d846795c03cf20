"""Documents uploaded through an upload URL (GetProtocolUploadURL), waiting to be imported.

Owned by the imports area (embedded_api/imports). A row is made when the URL is handed out,
filled by the one PUT the URL accepts, and deleted by the import that uses it (or, once
expired, by the next request for an upload URL). Only a hash of the URL's token is stored.
"""

import hashlib

from django.db import models

from .base import Timestamped


def hash_token(token: str) -> str:
    # Tokens are 256-bit random strings, so a fast hash is enough (no dictionary to attack).
    return hashlib.sha256(token.encode()).hexdigest()


class Upload(Timestamped):
    organisation_id = models.CharField(max_length=26)
    protocol = models.CharField(max_length=20)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(db_index=True)
    # What the caller announced when asking for the URL (optional); the PUT must match.
    content_type = models.CharField(max_length=200, blank=True)
    content_length = models.PositiveBigIntegerField(null=True, blank=True)
    # The document, once uploaded.
    content = models.BinaryField(null=True, blank=True)
    uploaded_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"upload {self.pk} ({self.organisation_id})"
