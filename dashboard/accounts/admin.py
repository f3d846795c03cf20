"""The audit log in the Django admin: readable by admins, changeable by no one."""

from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = (
        "at", "environment", "username", "action", "target_kind", "target_name", "outcome",
    )  # fmt: skip
    list_filter = ("environment", "outcome", "action")
    search_fields = ("username", "target_id", "target_name", "request_id")
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
