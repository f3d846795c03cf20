"""The contract's error body, `{code, message, fields}`, as one exception type.

Views raise `ApiError` (or a helper below); `http.api_view` turns it into the JSON response.
"""

from dataclasses import dataclass, field

from django.http import JsonResponse


@dataclass
class ApiError(Exception):
    status: int
    code: str
    message: str
    fields: list[dict] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    def response(self) -> JsonResponse:
        body = {"code": self.code, "message": self.message, **self.extra}
        if self.fields:
            body["fields"] = self.fields
        return JsonResponse(body, status=self.status)


def bad_request(message: str, fields: list[dict] | None = None) -> ApiError:
    return ApiError(400, "bad_request", message, fields or [])


def field_error(field_name: str, message: str, status: int = 400) -> ApiError:
    code = "conflict" if status == 409 else "bad_request"
    return ApiError(status, code, message, [{"field": field_name, "message": message}])


def not_found(what: str = "resource") -> ApiError:
    return ApiError(404, "not_found", f"The {what} was not found.")


def conflict(message: str, field_name: str | None = None) -> ApiError:
    fields = [{"field": field_name, "message": message}] if field_name else []
    return ApiError(409, "conflict", message, fields)


def precondition_failed(message: str, **extra) -> ApiError:
    return ApiError(412, "precondition_failed", message, extra=extra)


def immutable(what: str = "connector version") -> ApiError:
    return ApiError(
        409,
        "published_version_immutable",
        f"The {what} belongs to a published version and cannot be changed; create a new version.",
    )
