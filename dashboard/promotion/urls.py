from django.urls import path

from . import views

urlpatterns = [
    path("connectors/<str:connector_id>/environments/", views.compare, name="promotion_compare"),
    path("connectors/<str:connector_id>/promote/", views.promote, name="promotion_preview"),
    path("promotion/open/", views.open_in_environment, name="promotion_open"),
]
