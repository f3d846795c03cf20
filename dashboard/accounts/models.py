"""Accounts data: the dashboard's own permissions and the audit log."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone


class DashboardPermission(models.Model):
    """Holds the dashboard's permissions; it has no table.

    Connectors, versions and connections live behind the Connect API, not in this database, so
    there are no local models to hang permissions on. Roles (groups) are built from these, see
    `dashboard.accounts.roles`.
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("change_connectors", "Create, edit and delete connectors and auth scheme configs"),
            ("manage_connections", "Create, edit and delete connections"),
            ("rotate_credentials", "Rotate connection credentials"),
            ("import_specs", "Import OpenAPI specs"),
            ("manage_versions", "Create, edit and delete connector versions"),
            ("publish_versions", "Publish and unpublish connector versions"),
            ("force_delete", "Force-delete connectors and versions that are in use"),
            ("manage_environments", "Add, edit and remove environments and their roles"),
        ]

    def __str__(self) -> str:
        return "Dashboard permissions"


def default_environment() -> str:
    return settings.CONNECT_ENVIRONMENT_SLUG


class AuditEntry(models.Model):
    """One mutation the dashboard made through the Connect API. Written once, never changed.

    Holds names and ids only: never request bodies, secrets or their hashes.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # The username is copied so the entry still says who after the user is deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150, blank=True, db_index=True)
    action = models.CharField(max_length=100, db_index=True)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    target_kind = models.CharField(max_length=50, blank=True)
    target_id = models.CharField(max_length=100, blank=True)
    target_name = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=100)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    # What the person confirmed beyond the call itself, e.g. breaking changes acknowledged.
    note = models.CharField(max_length=200, blank=True)
    # An update's changed fields: {"field", "before", "after"}, or {"field", "secret": true}
    # for a secret, whose values are never stored. Empty for other calls and older entries.
    changes = models.JSONField(default=list, blank=True)
    # The environment (its slug) whose Connect API was called; older entries: the default's.
    environment = models.CharField(max_length=40, default=default_environment, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        default_permissions = ("view",)
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or 'system'} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Audit entries cannot be deleted.")
