"""An httpx transport that hands each request to Django's test client: in process, on the
calling thread, inside the test's own transaction (rolled back after it), with no socket and
no tables to empty. Tests keep speaking httpx, as a real API client would."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookies import SimpleCookie

import httpx
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client

# Django's test client answers for this host (it is in ALLOWED_HOSTS during tests).
BASE_URL = "http://testserver"


class DjangoTestClientTransport(httpx.BaseTransport):
    def __init__(self):
        # Like a server, answer an unhandled exception with a 500 (some tests provoke one).
        self._client = Client(raise_request_exception=False)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._client.cookies = SimpleCookie()  # httpx keeps the cookies, as a browser would
        # WSGI names these two without the HTTP_ prefix; an empty body keeps its length of 0.
        body_headers = {"content-type": "CONTENT_TYPE", "content-length": "CONTENT_LENGTH"}
        headers, environ = {}, {}
        for name, value in request.headers.items():
            if name.lower() in body_headers:
                environ[body_headers[name.lower()]] = value
            else:
                headers[name] = value
        response = self._client.generic(
            request.method,
            request.url.raw_path.decode("ascii"),
            data=request.read(),
            content_type=environ.get("CONTENT_TYPE", ""),
            secure=request.url.scheme == "https",
            headers=headers,
            **environ,
        )
        content = b"".join(response.streaming_content) if response.streaming else response.content
        cookies = [("set-cookie", c.output(header="").strip()) for c in response.cookies.values()]
        return httpx.Response(
            response.status_code, headers=[*response.items(), *cookies], content=content
        )


def in_process_client(**options) -> httpx.Client:
    """A plain httpx client (no API key, no contract check): URLs of BASE_URL are served by
    Django's test client, any other (a `live_server.url`) over a socket."""
    mounts = {BASE_URL: DjangoTestClientTransport()}
    return httpx.Client(base_url=BASE_URL, mounts=mounts, **options)


class EmbeddedOnCallingThread(DjangoTestClientTransport):
    """The dashboard's transport to the embedded API in tests (setting
    CONNECT_EMBEDDED_TRANSPORT, see the root conftest): its calls are answered on the calling
    thread, inside the test's transaction, instead of on worker threads with their own
    database connections (which only see committed rows).

    The dashboard makes some calls from threads of its own (a version's schemas are fetched
    a few at a time): those borrow the test's connection, as a live server's threads do, and
    take turns with each other."""

    def __init__(self, workers: int = 0):
        super().__init__()
        self._connection = connections[DEFAULT_DB_ALIAS]  # built on the test's thread
        self._turn = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._turn, self._on_the_tests_connection():
            return super().handle_request(request)

    @contextmanager
    def _on_the_tests_connection(self) -> Iterator[None]:
        own = connections[DEFAULT_DB_ALIAS]
        if own is self._connection:
            yield
            return
        self._connection.inc_thread_sharing()
        connections[DEFAULT_DB_ALIAS] = self._connection
        try:
            yield
        finally:
            connections[DEFAULT_DB_ALIAS] = own
            self._connection.dec_thread_sharing()
