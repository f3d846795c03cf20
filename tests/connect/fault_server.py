"""A small HTTP server on 127.0.0.1 whose answers each test scripts, one per request: JSON,
raw bytes, a hang, a slowly dripping body, or a connection closed without an answer."""

import contextlib
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Answer = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


def respond(status: int = 200, body: object = None, headers: dict | None = None) -> Answer:
    """Answer with `body` as JSON (nothing for None)."""
    content = b"" if body is None else json.dumps(body).encode()
    return raw(status, content, "application/json", headers)


def raw(
    status: int, content: bytes, content_type: str = "text/plain", headers: dict | None = None
) -> Answer:
    def answer(handler):
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(content)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(content)

    return answer


def hang(seconds: float, then: Answer | None = None) -> Answer:
    """Say nothing for `seconds` (or until the server stops), then answer (200 `{}`)."""

    def answer(handler):
        if not handler.server.stopping.wait(seconds):
            (then or respond(200, {}))(handler)

    return answer


def drip(seconds: float, chunks: int = 20) -> Answer:
    """Send the headers at once, then the body a byte at a time over `seconds`."""

    def answer(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(chunks))
        handler.end_headers()
        for _ in range(chunks):
            if handler.server.stopping.wait(seconds / chunks):
                return
            handler.wfile.write(b" ")
            handler.wfile.flush()

    return answer


def close() -> Answer:
    """Drop the connection without answering."""

    def answer(handler):
        handler.close_connection = True

    return answer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.received.append(
            Received(self.command, self.path, dict(self.headers.items()), body)
        )
        with self.server.lock:
            answer = self.server.script.popleft() if self.server.script else self.server.default
        # The client may give up first, as some tests intend.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            answer(self)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

    def log_message(self, format, *args):  # keep test output quiet
        pass


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script: deque[Answer] = deque()
        self.default: Answer = respond(200, {})
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self._thread = threading.Thread(target=self.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def then(self, *answers: Answer) -> "FaultServer":
        """Queue answers for the next requests, in order; later requests get `default`."""
        self.script.extend(answers)
        return self

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.shutdown()
        self.server_close()


def wait_for(predicate: Callable[[], bool], timeout: float = 2.0) -> bool:
    ends = time.monotonic() + timeout
    while time.monotonic() < ends:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()
