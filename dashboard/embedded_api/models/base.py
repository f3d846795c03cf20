from django.db import models
from django.utils import timezone
from ulid import ULID


def new_id() -> str:
    return str(ULID())


class Timestamped(models.Model):
    """ULID primary key plus the created/updated times every contract resource carries."""

    id = models.CharField(primary_key=True, max_length=26, default=new_id, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def touch(self, when=None) -> None:
        """Bump `updated_at` (children call this on their parent when they change)."""
        self.updated_at = when or timezone.now()
        type(self).objects.filter(pk=self.pk).update(updated_at=self.updated_at)
