"""Headers every response gets, whichever server runs the app.

- `Cache-Control: no-store` (with `private`) on every response to a request carrying a session
  cookie (a signed-in user's, or one that was): their pages hold organisation data, which no
  browser cache or shared proxy should keep after logout. The cookie decides, not the user, so
  that a request that never needed the session (an API call from a signed-in browser) does not
  load it and the user for this. Responses that already forbid caching keep what they say.
- `Server: Patchbay`, naming no software or version. The development server (wsgiref, as
  `make dev` and the test live server use) adds its banner ("WSGIServer/0.2 CPython/3.11.7")
  only when the app sent none. gunicorn (`make run`, production) always sends its own,
  "gunicorn" with no version, and cannot be told not to: there the app sends none, so a
  response never carries two. A proxy in front can drop that one too (Caddy: `header -Server`).
"""

from django.conf import settings
from django.utils.cache import patch_cache_control

SERVER = "Patchbay"


class ResponseHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            patch_cache_control(response, no_store=True, private=True)
        if not request.META.get("SERVER_SOFTWARE", "").startswith("gunicorn"):
            response["Server"] = SERVER
        return response
