"""Headers every response gets, whichever server runs the app.

- `Cache-Control: no-store` (with `private`) on every response to a signed-in user: their
  pages hold organisation data, which no browser cache or shared proxy should keep after
  logout. Responses that already forbid caching keep what they say.
- `Server: Patchbay`, naming no software or version. The development server (wsgiref, as
  `make dev` and the test live server use) adds its banner ("WSGIServer/0.2 CPython/3.11.7")
  only when the app sent none. gunicorn (`make run`, production) always sends its own,
  "gunicorn" with no version, and cannot be told not to: there the app sends none, so a
  response never carries two. A proxy in front can drop that one too (Caddy: `header -Server`).
"""

from django.utils.cache import patch_cache_control

SERVER = "Patchbay"


class ResponseHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        if not request.META.get("SERVER_SOFTWARE", "").startswith("gunicorn"):
            response["Server"] = SERVER
        return response
