"""Django messages reach the user as toasts, on full pages and htmx fragments alike.

A full page shows queued messages in base.html. A fragment has no such place, so for htmx
requests this middleware moves them into an `HX-Trigger: {"toast": ...}` event, which
static/js/patchbay.js turns into toasts. Views only ever call `django.contrib.messages`.
"""

from django.contrib import messages
from django_htmx.http import trigger_client_event

# Responses after which the browser navigates: the messages belong to the next page.
_NAVIGATION_HEADERS = ("HX-Redirect", "HX-Location", "HX-Refresh")


class HtmxMessagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not request.htmx
            or request.htmx.boosted
            or response.status_code in range(300, 400)
            or any(header in response for header in _NAVIGATION_HEADERS)
        ):
            return response
        storage = messages.get_messages(request)
        if storage.used:  # the response rendered them already (a full page)
            return response
        toasts = [{"message": str(message), "level": message.level_tag} for message in storage]
        if toasts:
            trigger_client_event(response, "toast", {"messages": toasts})
        return response
