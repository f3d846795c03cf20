from django.apps import AppConfig


class BulkConfig(AppConfig):
    name = "dashboard.bulk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import actions  # noqa: F401  (registers the actions)
