"""The benchmark's yardstick: a plain ModelAdmin of the embedded API's connectors, so the
connectors page can be compared with Django admin's changelist over the same rows. Registered
only in the benchmark's settings (tests/bench/serving_settings.py), never in Patchbay."""

from django.contrib import admin

from dashboard.embedded_api.models import Connector


@admin.register(Connector)
class ConnectorAdmin(admin.ModelAdmin):
    list_display = ("name", "protocol", "updated_at")
    list_per_page = 20  # the connectors page's page size: the same rows on each page
