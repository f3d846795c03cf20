from django.urls import path

from . import audit_views

urlpatterns = [
    path("", audit_views.audit_log, name="audit"),
    path("export.csv", audit_views.audit_export, name="audit_export"),
]
