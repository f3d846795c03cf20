"""`/healthz`: is the database up, and does the Connect API answer a contract call?

Anyone may ask, and learns only ok/error per check. The details (latency, the Connect API's
URL, what failed) go only to a caller with `Authorization: Bearer <HEALTHZ_TOKEN>` (a monitor)
or a signed-in admin: they name internal addresses and error texts.
"""

import secrets
import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dashboard.connect import ConnectError, get_client


def _timed(check):
    started = time.perf_counter()
    try:
        check()
    except Exception as exc:  # noqa: BLE001 - a health check reports every failure as data
        status, detail = "error", _describe(exc)
    else:
        status, detail = "ok", None
    result = {"status": status, "latencyMs": round((time.perf_counter() - started) * 1000, 1)}
    if detail:
        result["detail"] = detail
    return result


def _describe(exc):
    return str(exc) if isinstance(exc, ConnectError) else exc.__class__.__name__


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _may_see_details(request) -> bool:
    token = settings.HEALTHZ_TOKEN
    sent = request.headers.get("Authorization", "")
    if token and secrets.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    return request.user.is_authenticated and request.user.is_staff


@never_cache
@login_not_required
@require_GET
def healthz(request):
    client = get_client()
    checks = {
        "database": _timed(_database),
        "connectApi": {**_timed(client.ping), "backend": client.backend_label},
    }
    healthy = all(check["status"] == "ok" for check in checks.values())
    if not _may_see_details(request):
        checks = {name: {"status": check["status"]} for name, check in checks.items()}
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )
