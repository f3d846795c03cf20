"""A bulk run and its items, kept in the database so any worker process can show or continue
it, and so a run stopped halfway still says which items were done."""

import uuid

from django.conf import settings
from django.db import models

from dashboard.accounts.models import default_environment


class BulkRun(models.Model):
    """One action over a frozen list of items. `params` says how (a tag, categories, force);
    it never holds a secret."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=50)
    params = models.JSONField(default=dict)
    title = models.CharField(max_length=300)
    back_url = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled = models.BooleanField(default=False)
    # The environment (its slug) whose Connect API the run acts on, wherever it is stepped.
    environment = models.CharField(max_length=40, default=default_environment)
    # Why the run paused (the Connect API failed): items left are still pending.
    stopped = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class BulkItem(models.Model):
    PENDING, RUNNING, DONE, REFUSED, SKIPPED = "pending", "running", "done", "refused", "skipped"
    STATUSES = [(s, s) for s in (PENDING, RUNNING, DONE, REFUSED, SKIPPED)]

    run = models.ForeignKey(BulkRun, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    key = models.CharField(max_length=300)  # what the action acts on, e.g. a connector id
    label = models.CharField(max_length=300)  # how people know it, e.g. its name
    status = models.CharField(max_length=10, choices=STATUSES, default=PENDING)
    message = models.CharField(max_length=500, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="bulk_item_position")
        ]
        indexes = [models.Index(fields=["run", "status", "position"])]

    def __str__(self) -> str:
        return f"{self.label}: {self.status}"
