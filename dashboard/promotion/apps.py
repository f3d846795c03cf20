from django.apps import AppConfig


class PromotionConfig(AppConfig):
    name = "dashboard.promotion"
    label = "promotion"
    verbose_name = "Compare and promote"

    def ready(self) -> None:
        from . import plan  # noqa: F401  (registers the promotion's bulk action)
