"""The one place the service layer does HTTP: pooling, deadlines, retries, the circuit breaker,
request ids, logging and the mapping of failures onto `dashboard.connect.errors`.

`ConnectClient` (client.py) knows the API's paths and JSON; this module knows none of them.
"""

import logging
import time
import uuid
import zlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar, overload

import httpx
import pydantic

from dashboard.request_id import current_request_id

from .breaker import CircuitBreaker
from .errors import (
    CircuitOpen,
    ConnectError,
    ConnectTimeout,
    MalformedResponse,
    TransportError,
    Unreachable,
    error_for_status,
)
from .retry import RETRYABLE_STATUSES, RetryPolicy

log = logging.getLogger("dashboard.connect")
T = TypeVar("T")

# The largest answer accepted, counted after decompression (a big import's result is a few
# MB): past it, the call fails as malformed instead of filling the worker's memory.
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
# Encodings we can inflate a bounded piece at a time (zlib window bits for each).
_ENCODINGS = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}


class _TooLarge(Exception):
    pass


class _Deadline:
    def __init__(self, seconds: float):
        self._ends = time.monotonic() + seconds

    def remaining(self) -> float:
        return self._ends - time.monotonic()


class ApiSession:
    """A pooled httpx client plus the policies every Connect API call goes through.

    `timeout` is the total deadline of one call, retries and waits included; `connect_timeout`
    bounds establishing a connection within it.
    """

    def __init__(
        self,
        *,
        base_url: str,
        token: str,
        timeout: float,
        connect_timeout: float,
        retry: RetryPolicy,
        breaker: CircuitBreaker,
        transport: httpx.BaseTransport | None = None,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
    ):
        self.timeout = timeout
        self.max_response_bytes = max_response_bytes
        self.connect_timeout = connect_timeout
        self.retry = retry
        self.breaker = breaker
        self._http = httpx.Client(
            base_url=base_url.rstrip("/") + "/",
            headers={
                "Authorization": f"Bearer {token}",
                "Accept": "application/json",
                # Only what `_send` can inflate with a bound (not br or zstd).
                "Accept-Encoding": "gzip, deflate",
            },
            transport=transport,
            follow_redirects=False,
        )

    def close(self) -> None:
        self._http.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        files: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> httpx.Response:
        """Send one call, retrying when the policy allows; return a response below 400 (its
        body read) or raise a `ConnectError` carrying the call's request id."""
        deadline = _Deadline(timeout or self.timeout)
        request_id = _request_id()
        # What the logs show: the full path, never the query string (params are separate).
        shown = self._http.base_url.raw_path.decode() + path.lstrip("/").split("?", 1)[0]
        request_kwargs = {
            "params": params,
            "json": json,
            "files": files,
            "headers": {"X-Request-ID": request_id, **(headers or {})},
        }
        retries_done = 0
        while True:
            retry_after = None
            failure: ConnectError
            try:
                response = self._attempt(
                    method, path, shown, deadline, request_id, **request_kwargs
                )
            except CircuitOpen as error:
                log.warning(
                    "connect %s %s -> circuit open (request id %s)", method, shown, request_id
                )
                error.request_id = request_id
                raise
            except TransportError as error:
                error.request_id = request_id
                failure = error
            else:
                if response.status_code < 400:
                    return response
                failure = error_for_status(response.status_code, _json_or_none(response))
                failure.request_id = request_id
                if response.status_code not in RETRYABLE_STATUSES:
                    raise failure
                retry_after = response.headers.get("Retry-After")
            delay = self._retry_delay(method, retries_done, retry_after, deadline)
            if delay is None:
                raise failure
            log.warning(
                "connect %s %s retrying in %.2fs (request id %s)", method, shown, delay, request_id
            )
            time.sleep(delay)
            retries_done += 1

    @overload
    def json(self, method: str, path: str, *, parse: Callable[[Any], T], **kwargs: Any) -> T: ...
    @overload
    def json(self, method: str, path: str, *, parse: None = None, **kwargs: Any) -> Any: ...
    def json(
        self, method: str, path: str, *, parse: Callable[[Any], T] | None = None, **kwargs: Any
    ) -> Any:
        """`request`, then `decode`."""
        return self.decode(self.request(method, path, **kwargs), parse)

    @overload
    def decode(self, response: httpx.Response, parse: Callable[[Any], T]) -> T: ...
    @overload
    def decode(self, response: httpx.Response, parse: None = None) -> Any: ...
    def decode(self, response: httpx.Response, parse: Callable[[Any], T] | None = None) -> Any:
        """The body as JSON (None when empty) passed through `parse` (e.g. a pydantic
        validator). A body that is not JSON, or that `parse` rejects, is a MalformedResponse.

        Every response `request` returns must come through here: a successful answer counts
        as the upstream working (for the breaker) only once it has the contract's shape, so a
        broken upstream answering 200 with the wrong body opens the breaker like a 500."""
        try:
            data = response.json() if response.content else None
            result = parse(data) if parse else data
            self.breaker.record_success()
            return result
        except (ValueError, TypeError, KeyError, RecursionError) as exc:
            self.breaker.record_failure()
            # pydantic's ValidationError is a ValueError. Log where, never what (no values).
            request_id = response.request.headers.get("X-Request-ID")
            log.warning(
                "connect %s %s -> %s: the body does not match the contract (request id %s): %s",
                response.request.method,
                _path_only(response.request.url.raw_path.decode()),
                response.status_code,
                request_id,
                _locations(exc),
            )
            error = MalformedResponse()
            error.request_id = request_id
            raise error from exc

    def _attempt(
        self,
        method: str,
        path: str,
        shown: str,
        deadline: _Deadline,
        request_id: str,
        **kwargs: Any,
    ) -> httpx.Response:
        """One HTTP exchange: any response, or ConnectTimeout/Unreachable/MalformedResponse.
        Feeds the breaker (whether an answer below 400 is a success is left to `decode`) and logs
        one line (method, path, status, duration, request id)."""
        remaining = deadline.remaining()
        if remaining <= 0:
            raise ConnectTimeout()
        request = self._http.build_request(
            method,
            path.lstrip("/"),
            timeout=httpx.Timeout(remaining, connect=min(self.connect_timeout, remaining)),
            **kwargs,
        )
        self.breaker.check()
        started = time.perf_counter()
        outcome, upstream_ok, answered = "error", False, False
        try:
            response = self._send(request, deadline)
            outcome, upstream_ok = str(response.status_code), response.status_code < 500
            answered = response.status_code < 400  # judged by `decode`, once its shape is known
            return response
        except httpx.TimeoutException as exc:
            outcome = "timeout"
            raise ConnectTimeout() from exc
        except (httpx.DecodingError, zlib.error, _TooLarge) as exc:
            outcome = "body too large" if isinstance(exc, _TooLarge) else "undecodable body"
            error = MalformedResponse()
            error.request_id = request_id
            raise error from exc
        except httpx.RequestError as exc:
            outcome = type(exc).__name__
            raise Unreachable() from exc
        finally:
            if not upstream_ok:
                self.breaker.record_failure()
            elif not answered:
                self.breaker.record_success()
            log.info(
                "connect %s %s -> %s in %.1fms (request id %s)",
                method,
                shown,
                outcome,
                (time.perf_counter() - started) * 1000,
                request_id,
            )

    def _send(self, request: httpx.Request, deadline: _Deadline) -> httpx.Response:
        response = self._http.send(request, stream=True)
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        if encoding not in ("identity", "", *_ENCODINGS):
            response.close()
            raise httpx.DecodingError(f"unsupported encoding {encoding}", request=request)
        inflate = zlib.decompressobj(_ENCODINGS[encoding]) if encoding in _ENCODINGS else None
        # Raw bytes as the network delivers them (no chunk_size, which would buffer), so the
        # deadline also bounds a body that drips in slowly; inflated here a bounded piece at a
        # time, so a compression bomb stops at the size limit. A transport that answered from
        # memory (in process, a test's) has already read and decoded its body: only its size
        # is checked.
        chunks: Iterable[bytes]
        if response.is_stream_consumed:
            chunks, inflate = [response.content], None
        else:
            chunks = response.iter_raw()
        body = bytearray()
        try:
            for chunk in chunks:
                self._add(body, chunk, inflate)
                if deadline.remaining() <= 0:
                    raise httpx.ReadTimeout("The call's deadline passed mid-body.", request=request)
            if inflate is not None:
                self._add(body, inflate.flush(), None)
        finally:
            response.close()
        # A plain, fully-read response; the body is already decoded, so drop what described
        # its encoding on the wire.
        headers = [
            (name, value)
            for name, value in response.headers.multi_items()
            if name.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        return httpx.Response(
            response.status_code, headers=headers, content=bytes(body), request=request
        )

    def _add(self, body: bytearray, data: bytes, inflate: Any) -> None:
        """Append `data` (inflated first, if compressed) to `body`, within the size limit."""
        while data:
            room = self.max_response_bytes - len(body) + 1
            piece = data if inflate is None else inflate.decompress(data, room)
            body += piece
            if len(body) > self.max_response_bytes:
                raise _TooLarge()
            data = b"" if inflate is None else inflate.unconsumed_tail

    def _retry_delay(
        self, method: str, retries_done: int, retry_after: str | None, deadline: _Deadline
    ) -> float | None:
        """Seconds to wait before retrying, or None when the failure is final."""
        if not self.retry.allows(method, retries_done):
            return None
        delay = self.retry.delay(retries_done, retry_after)
        # A wait that would outlast the deadline only delays the same error.
        return delay if delay < deadline.remaining() else None


def _request_id() -> str:
    current = current_request_id()
    return current if current != "-" else uuid.uuid4().hex


def _path_only(raw_path: str) -> str:
    return raw_path.split("?", 1)[0]


def _locations(exc: Exception) -> str:
    if not isinstance(exc, pydantic.ValidationError):
        return type(exc).__name__
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc']) or 'body'}: {item['msg']}"
        for item in exc.errors(include_input=False, include_url=False)[:5]
    )


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
