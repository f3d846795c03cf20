from django.apps import AppConfig


class EmbeddedApiConfig(AppConfig):
    name = "dashboard.embedded_api"
    label = "embedded_api"
    verbose_name = "Embedded Connect API"
