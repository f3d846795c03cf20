import hashlib
import secrets

from django.db import models
from django.utils import timezone

KEY_PREFIX = "pbk_"


def hash_key(raw: str) -> str:
    # Keys are 256-bit random strings, so a fast hash is enough (no dictionary to attack).
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """A bearer key scoped to one organisation. Only its SHA-256 hash is stored."""

    organisation_id = models.CharField(max_length=26, db_index=True)
    name = models.CharField(max_length=200, blank=True)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    def __str__(self):
        return f"{KEY_PREFIX}{self.prefix}… ({self.organisation_id})"

    @classmethod
    def mint(cls, organisation_id: str, name: str = "") -> tuple["ApiKey", str]:
        """Create a key and return it with the raw secret, which is shown once and never stored."""
        prefix = secrets.token_hex(4)
        raw = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        key = cls.objects.create(
            organisation_id=organisation_id, name=name, prefix=prefix, key_hash=hash_key(raw)
        )
        return key, raw
