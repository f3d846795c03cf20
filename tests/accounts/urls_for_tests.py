"""The project's URLs plus views that exercise accounts plumbing from inside a real request."""

from django.http import HttpResponse
from django.urls import path

from dashboard.accounts.roles import PUBLISH_VERSIONS, require_permission
from dashboard.connect import ConnectError, get_client
from dashboard.connect.signals import connect_mutation
from dashboard.urls import urlpatterns as project_urlpatterns


@require_permission(PUBLISH_VERSIONS)
def publish(request):
    return HttpResponse("published")


@require_permission(PUBLISH_VERSIONS, methods=["POST"])
def publish_form(request):
    return HttpResponse("form" if request.method == "GET" else "published")


def send_mutation(request):
    """Sends `connect_mutation` as the service layer would, with what the test posts."""
    connect_mutation.send(
        sender=None,
        operation=request.POST["operation"],
        method="POST",
        path=request.POST["path"],
        target={"kind": "connector", "id": request.POST["id"], "name": request.POST["name"]},
        outcome=request.POST["outcome"],
        status=int(request.POST["status"]),
    )
    return HttpResponse("sent")


def delete_connector(request, connector_id):
    """Deletes a connector through the real service-layer client."""
    try:
        get_client().connectors.delete(connector_id)
    except ConnectError as error:
        return HttpResponse(error.message, status=400)
    return HttpResponse("deleted")


urlpatterns = [
    path("test/publish", publish),
    path("test/publish-form", publish_form),
    path("test/send-mutation", send_mutation),
    path("test/delete-connector/<str:connector_id>", delete_connector),
    *project_urlpatterns,
]
