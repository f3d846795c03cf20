from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "dashboard.accounts"
    label = "accounts"
    verbose_name = "Accounts and audit"

    def ready(self) -> None:
        # Connects the audit log's receiver to the service layer's `connect_mutation` signal.
        from . import audit  # noqa: F401
        from .roles import sync_roles

        # Sent per app in INSTALLED_APPS order: by then auth's and axes' permissions exist.
        post_migrate.connect(sync_roles, sender=self, dispatch_uid="dashboard.accounts.roles")
