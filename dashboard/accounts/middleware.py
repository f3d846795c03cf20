"""Login required everywhere, in a form htmx can follow."""

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Django's middleware, plus: an htmx request from an expired session reloads the login page.

    A plain redirect would be followed inside the XMLHttpRequest and the login page swapped
    into a fragment; `HX-Redirect` makes the browser navigate instead, and `next` brings the
    user back to the page they were on.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Exempt views first (Django asks for the user first): an API call or a health check
        # carrying a browser's session cookie need not load the session and the user.
        if not getattr(view_func, "login_required", True):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)

    def handle_no_permission(self, request, view_func):
        if not request.htmx:
            return super().handle_no_permission(request, view_func)
        current_page = request.htmx.current_url_abs_path or "/"
        login = redirect_to_login(
            current_page,
            resolve_url(self.get_login_url(view_func)),
            self.get_redirect_field_name(view_func),
        )
        return HttpResponseClientRedirect(login.url)
