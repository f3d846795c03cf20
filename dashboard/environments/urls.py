from django.urls import path

from . import views

urlpatterns = [
    path("switch/<str:slug>/", views.switch, name="environment_switch"),
    path("", views.index, name="environments"),
    path("new/", views.edit, name="environment_add"),
    path("grants/", views.grant, name="environment_grant"),
    path("grants/remove/", views.revoke, name="environment_revoke"),
    path("<str:slug>/edit/", views.edit, name="environment_edit"),
    path("<str:slug>/delete/", views.delete, name="environment_delete"),
]
