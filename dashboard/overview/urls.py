from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("overview/versions/", views.versions, name="overview_versions"),
    path("overview/connections/", views.connections, name="overview_connections"),
]
