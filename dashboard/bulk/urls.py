from django.urls import path

from . import views

urlpatterns = [
    path("<str:run_id>/", views.run_page, name="bulk_run"),
    path("<str:run_id>/step/", views.step, name="bulk_step"),
    path("<str:run_id>/cancel/", views.cancel, name="bulk_cancel"),
    path("<str:run_id>/resume/", views.resume, name="bulk_resume"),
    path("<str:run_id>/rerun/", views.rerun, name="bulk_rerun"),
]
