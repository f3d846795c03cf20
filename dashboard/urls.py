from django.contrib import admin
from django.urls import include, path

from dashboard import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("api/connect/v1/", include("dashboard.embedded_api.urls")),
    path("admin/", admin.site.urls),
    path("", include("dashboard.accounts.urls")),
    path("audit/", include("dashboard.accounts.audit_urls")),
    path("", include("dashboard.overview.urls")),
    path("", include("dashboard.accounts.history_urls")),
    path("", include("dashboard.connectors.urls")),
    path("", include("dashboard.versions.urls")),
    path("", include("dashboard.imports.urls")),
    path("library/", include("dashboard.library.urls")),
    path("", include("dashboard.connections.urls")),
    path("bulk/", include("dashboard.bulk.urls")),
    path("environments/", include("dashboard.environments.urls")),
    path("", include("dashboard.promotion.urls")),
]
