"""Headers every response gets, whichever server runs the app.

- `Cache-Control: no-store` (with `private`) on every response to a signed-in user: their
  pages hold organisation data, which no browser cache or shared proxy should keep after
  logout. Responses that already forbid caching keep what they say.
- `Server: Patchbay`, naming no software or version. The development server (wsgiref, as
  `runserver` and the test live server use) only adds its own `Server` banner when the app
  sent none; gunicorn sends "gunicorn" without a version whatever the app says.
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
        response["Server"] = SERVER
        return response
