"""The plumbing every embedded API view shares: authentication, organisation scoping, JSON
bodies validated by pydantic, and the contract's error format for every failure."""

import functools
import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

import pydantic
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.dateparse import parse_datetime
from django.utils.http import parse_http_date_safe
from django.views.decorators.csrf import csrf_exempt

from ..openapi.text import storable, unstorable_path
from .audit import announce_mutation, name_before
from .auth import authenticate
from .errors import ApiError, bad_request, not_found

log = logging.getLogger(__name__)
M = TypeVar("M", bound=pydantic.BaseModel)


def api_view(*, public: bool = False, **handlers: Callable) -> Callable:
    """Build one view from per-method handlers: `api_view(get=list_x, post=create_x)`.

    Every handler gets `(request, **path_kwargs)`; `organisation_id` in the path must be the
    caller's own organisation (another organisation's resources answer 404, not 403, so their
    existence is not revealed). `public=True` still needs a valid key but no organisation.
    """
    methods = {name.upper(): handler for name, handler in handlers.items()}

    @csrf_exempt
    @login_not_required
    @functools.wraps(next(iter(methods.values())))
    def view(request: HttpRequest, **kwargs) -> HttpResponse:
        response, result = _answer(request, methods, public, kwargs)
        if request.method != "GET" and getattr(request, "api_key_name", None) is not None:
            handler = methods.get(request.method)
            named = getattr(request, "deleted_name", None)
            announce_mutation(request, handler, kwargs, response, result, named)
        return response

    view.allowed_methods = sorted(methods)
    return view


def _answer(request: HttpRequest, methods: dict, public: bool, kwargs: dict):
    """The response to the request, and the handler's result (None if it failed)."""
    try:
        handler = methods.get(request.method)
        if handler is None:
            raise ApiError(405, "method_not_allowed", f"{request.method} is not allowed here.")
        caller = authenticate(request.headers.get("Authorization", ""))
        if not public and kwargs.get("organisation_id") != caller.organisation_id:
            raise not_found("organisation")
        _check_path_and_query(request, kwargs)
        request.organisation_id = caller.organisation_id
        request.api_key_name = caller.key_name
        if request.method == "DELETE" and caller.key_name is not None:
            # Read before it goes, for the audit entry (audit.announce_mutation).
            request.deleted_name = name_before(kwargs)
        result = handler(request, **kwargs)
    except ApiError as error:
        return error.response(), None
    except pydantic.ValidationError as error:
        return validation_error(error).response(), None
    except RequestDataTooBig:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return ApiError(
            413, "payload_too_large", f"The request body is larger than {limit} bytes."
        ).response(), None
    except Exception as error:
        if isinstance(error, OperationalError) and _is_contention(error):
            log.warning("embedded API %s %s: %s", request.method, request.path, error)
            return busy(), None
        # A bug, not bad input: log it and still answer in the contract's format.
        log.exception("embedded API %s %s failed", request.method, request.path)
        return ApiError(500, "internal", "An internal error occurred.").response(), None
    if isinstance(result, HttpResponse):
        return result, None
    return JsonResponse(result, safe=False), result


# How long a client should wait before retrying a request refused because of contention.
RETRY_AFTER_SECONDS = 1
# PostgreSQL: serialization failure, deadlock detected, lock not available.
_CONTENTION_SQLSTATES = {"40001", "40P01", "55P03"}


def _is_contention(error: OperationalError) -> bool:
    """Whether the database refused because other writers held a lock (worth a retry), as
    opposed to being unreachable or misconfigured."""
    if getattr(error.__cause__, "sqlstate", None) in _CONTENTION_SQLSTATES:
        return True
    # SQLite: "database is locked" (busy timeout ran out) or "database table is locked".
    return "is locked" in str(error)


def busy() -> JsonResponse:
    response = ApiError(
        503, "unavailable", "The database is busy with other changes; try again shortly."
    ).response()
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def parse_body(request: HttpRequest, model: type[M]) -> M:
    """Validate the JSON body against a pydantic model; a bad body is a 400 with `fields`."""
    return model.model_validate(json_body(request))


def json_body(request: HttpRequest):
    """The request body as JSON data, holding only text the database can store."""
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise bad_request("The request body is not valid JSON.") from None
    if (where := unstorable_in(data)) is not None:
        raise bad_request(
            "The request is not valid.", [{"field": where or "body", "message": UNSTORABLE}]
        )
    return data


# NUL characters and lone surrogates (see openapi.text) are refused up front as a 400, never
# left to fail on the write as a 500.
UNSTORABLE = "must not contain NUL characters or unpaired surrogates"


def unstorable_in(data) -> str | None:
    """The path (`a.b[0]`) of the first string in `data` that cannot be stored ("" for the
    top level; for an object key, the object's path), else None."""
    path = unstorable_path(data)
    if path is None:
        return None
    return "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" if i else part
        for i, part in enumerate(path)
    )


def _check_path_and_query(request: HttpRequest, path_kwargs: dict) -> None:
    """Path parameters and query strings hold only storable text (Django decodes invalid
    UTF-8 in either as U+FFFD or leaves it percent-encoded, but `%00` arrives as NUL)."""
    for name, value in path_kwargs.items():
        if isinstance(value, str) and not storable(value):
            raise bad_request("The path is not valid.", [{"field": name, "message": UNSTORABLE}])
    for name, values in request.GET.lists():
        if not storable(name) or not all(storable(value) for value in values):
            field_name = name if storable(name) else "query"
            raise bad_request(
                "The query string is not valid.", [{"field": field_name, "message": UNSTORABLE}]
            )


def validation_error(error: pydantic.ValidationError) -> ApiError:
    fields = [
        {"field": _dotted(item["loc"]) or "body", "message": _message(item)}
        for item in error.errors(include_url=False, include_input=False)
    ]
    return bad_request("The request is not valid.", fields)


# What a name pattern allows, in words: pydantic's own message quotes the regular expression.
_PATTERNS = {
    r"^[a-zA-Z0-9_\-$]+$": "use only letters, digits, '_', '-' and '$' (no spaces)",
    r"^[a-zA-Z0-9_-]+$": "use only letters, digits, '_' and '-' (no spaces)",
    r"^[A-Za-z0-9.:_-]+\.[A-Za-z0-9_]+$": "use the form project.dataset",
}


def _message(item: dict) -> str:
    if item["type"] == "string_pattern_mismatch":
        return _PATTERNS.get(item["ctx"]["pattern"], "has characters that are not allowed here")
    return item["msg"]


def _dotted(loc: tuple) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def created(data: dict) -> JsonResponse:
    return JsonResponse(data, status=201)


def no_content() -> HttpResponse:
    return HttpResponse(status=204)


def iso(value: datetime | None) -> str | None:
    """Contract date-times: RFC 3339 in UTC with a `Z`."""
    if value is None:
        return None
    return value.isoformat().replace("+00:00", "Z")


def query_flag(request: HttpRequest, name: str) -> bool:
    raw = request.GET.get(name, "false").lower()
    if raw not in {"true", "false", "1", "0"}:
        raise bad_request(
            f"'{name}' must be true or false.", [{"field": name, "message": "must be a boolean"}]
        )
    return raw in {"true", "1"}


def check_unmodified(request: HttpRequest, updated_at: datetime) -> None:
    """Honour an optional `If-Unmodified-Since` (HTTP date or RFC 3339) or `If-Match` (the
    `updatedAt` value): 412 when the resource changed since the caller read it, so edits made
    from a stale form never overwrite someone else's silently."""
    raw = request.headers.get("If-Match") or request.headers.get("If-Unmodified-Since")
    if not raw:
        return
    since = _parse_when(raw.strip().strip('"'))
    if since is None:
        raise bad_request("The precondition header is not a valid date.")
    # HTTP dates have whole seconds; compare at the precision the caller sent.
    current = updated_at if since.microsecond else updated_at.replace(microsecond=0)
    if current > since:
        raise ApiError(
            412,
            "precondition_failed",
            "The resource was changed by someone else since you loaded it.",
            extra={"updatedAt": iso(updated_at)},
        )


def _parse_when(raw: str) -> datetime | None:
    if (seconds := parse_http_date_safe(raw)) is not None:
        return datetime.fromtimestamp(seconds, tz=UTC)
    try:
        parsed = parse_datetime(raw)
    except ValueError:
        return None
    return parsed if parsed and parsed.tzinfo else None
