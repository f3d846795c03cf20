"""Django messages reach the user: in the page, or as an htmx `toast` event."""

import json

from django.contrib import messages
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.shortcuts import render
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event
from django_htmx.middleware import HtmxMiddleware

from dashboard.web.toasts import HtmxMessagesMiddleware
from tests.html import one, parse, text


def through_middleware(view, request):
    """Run `view` behind the session, message, htmx and toast middleware, as settings order them."""
    handler = SessionMiddleware(MessageMiddleware(HtmxMiddleware(HtmxMessagesMiddleware(view))))
    return handler(request)


def stored_for_next_page(response) -> bool:
    """Whether the response leaves messages in the cookie the next page reads them from."""
    cookie = response.cookies.get("messages")
    return bool(cookie and cookie.value)


def saving(response_factory):
    def view(request):
        messages.success(request, "Connector saved.")
        messages.warning(request, "It has no auth scheme yet.")
        return response_factory(request)

    return view


def test_an_htmx_response_carries_queued_messages_as_a_toast_event(rf):
    request = rf.post("/", headers={"HX-Request": "true"})

    response = through_middleware(saving(lambda request: HttpResponse("row")), request)

    assert json.loads(response["HX-Trigger"]) == {
        "toast": {
            "messages": [
                {"message": "Connector saved.", "level": "success"},
                {"message": "It has no auth scheme yet.", "level": "warning"},
            ]
        }
    }
    assert not stored_for_next_page(response)  # delivered, so not shown again


def test_a_toast_joins_the_events_a_view_already_triggers(rf):
    def respond(request):
        return trigger_client_event(HttpResponse("row"), "connectorsChanged")

    response = through_middleware(saving(respond), rf.post("/", headers={"HX-Request": "true"}))

    assert set(json.loads(response["HX-Trigger"])) == {"connectorsChanged", "toast"}


def test_messages_wait_for_the_next_page_after_an_htmx_redirect(rf):
    request = rf.post("/", headers={"HX-Request": "true"})

    response = through_middleware(
        saving(lambda request: HttpResponseClientRedirect("/connectors/")), request
    )

    assert "HX-Trigger" not in response
    assert stored_for_next_page(response)


def test_a_full_page_shows_messages_as_toasts_in_the_page(rf, admin_user):
    request = rf.get("/")
    request.user = admin_user

    response = through_middleware(
        saving(lambda request: render(request, "connectors/home.html")), request
    )

    toasts = [
        (toast["class"][1], toast.has_attr("data-autodismiss"), text(one(toast, ".toast__message")))
        for toast in parse(response).select("#toasts .toast")
    ]
    assert toasts == [
        ("toast--success", True, "Connector saved."),
        ("toast--warning", False, "It has no auth scheme yet."),  # stays until dismissed
    ]
    assert "HX-Trigger" not in response
