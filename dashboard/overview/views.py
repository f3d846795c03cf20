"""The home page: the estate at a glance."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_GET


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Home. It used to be the connectors list: a bookmark with its filters still gets it."""
    query = request.META.get("QUERY_STRING", "")
    return HttpResponseRedirect(
        f"{reverse('connectors')}?{query}" if query else reverse("connectors")
    )
