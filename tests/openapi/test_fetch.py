"""Import by URL: which addresses may be fetched, and how, against loopback servers only."""

import datetime
import http.server
import socket
import ssl
import threading
import time

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from dashboard.openapi import ImportFailure, fetch_document
from tests.deadline import ends_before

SPEC = b'{"openapi": "3.1.0"}'


class Handler(http.server.BaseHTTPRequestHandler):
    """Routes for every behaviour the fetcher must cope with; records each request's Host."""

    hosts: list[str]

    def do_GET(self):
        self.hosts.append(self.headers["Host"])
        path, _, query = self.path.partition("?")
        route = getattr(self, "route_" + path.strip("/").replace("-", "_"), None)
        if route is None:
            self.send_error(404)
        else:
            route(query)

    def reply(self, body: bytes, headers: dict | None = None):
        self.send_response(200)
        headers = {"Content-Length": str(len(body)), **(headers or {})}
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def route_spec(self, query):
        self.reply(SPEC)

    def route_redirect(self, query):
        self.redirect(query)

    def route_relative(self, query):
        self.redirect("/spec")

    def route_loop(self, query):
        self.redirect("/loop")

    def route_declared_big(self, query):
        self.reply(b"{}", {"Content-Length": "999999999"})

    def route_streamed_big(self, query):
        self.send_response(200)
        self.end_headers()  # no length: read until the server closes
        try:
            for _ in range(200):
                self.wfile.write(b" " * 65536)
        except OSError:
            pass  # the client hung up, as it should

    def route_drip(self, query):
        self.send_response(200)
        self.end_headers()
        try:
            for _ in range(50):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass

    def route_stall(self, query):
        self.send_response(200)
        self.send_header("Content-Length", "100")
        self.end_headers()
        self.wfile.flush()
        time.sleep(3)

    def route_gzip(self, query):
        self.reply(b"\x1f\x8b not really", {"Content-Encoding": "gzip"})

    def log_message(self, *args):
        pass


def serve(tls: ssl.SSLContext | None = None):
    handler = type("RecordingHandler", (Handler,), {"hosts": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server, handler.hosts


@pytest.fixture
def server():
    running, hosts = serve()
    yield running.server_address[1], hosts
    running.shutdown()
    running.server_close()


def fetch_failure(url: str, **options) -> ImportFailure:
    with pytest.raises(ImportFailure) as caught:
        fetch_document(url, **options)
    return caught.value


# -- which addresses -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1]/spec",
        "http://[::ffff:127.0.0.1]/spec",
        "http://0x7f000001/spec",
        "http://2130706433/spec",
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost/spec",
        "https://10.0.0.1/spec",
    ],
)
def test_urls_to_internal_addresses_are_refused_before_connecting(url):
    error = fetch_failure(url)
    assert error.code == "url_not_allowed"
    assert "not a public address" in error.message


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "gopher://example.com/", "ftp://example.com/x", "data:,{}"]
)
def test_only_http_and_https_urls_are_fetched(url):
    assert fetch_failure(url).code == "url_not_allowed"


def test_a_loopback_url_is_refused_unless_loopback_is_allowed(server):
    port, hosts = server
    assert fetch_failure(f"http://127.0.0.1:{port}/spec").code == "url_not_allowed"
    assert hosts == []


# -- fetching from a loopback server -------------------------------------------------------


def test_it_fetches_connecting_to_the_checked_address_with_the_original_host(server):
    port, hosts = server
    assert fetch_document(f"http://localhost:{port}/spec", allow_loopback=True) == SPEC
    assert hosts == [f"localhost:{port}"]


def test_the_host_is_resolved_once_so_dns_rebinding_cannot_redirect_the_connection(
    server, monkeypatch
):
    port, hosts = server
    real = socket.getaddrinfo
    answers = iter(["127.0.0.1"])
    asked = []

    def rebinding(host, *args, **kwargs):
        if host != "rebind.test":
            return real(host, *args, **kwargs)
        asked.append(host)
        address = next(answers, "127.0.0.2")  # a second answer would point somewhere else
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, args[0]))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    assert fetch_document(f"http://rebind.test:{port}/spec", allow_loopback=True) == SPEC
    assert asked == ["rebind.test"]
    assert hosts == [f"rebind.test:{port}"]


def test_redirects_are_followed_and_checked_again(server):
    port, hosts = server
    assert fetch_document(f"http://127.0.0.1:{port}/relative", allow_loopback=True) == SPEC
    assert (
        fetch_document(
            f"http://127.0.0.1:{port}/redirect?http://localhost:{port}/spec", allow_loopback=True
        )
        == SPEC
    )


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "file:///etc/passwd",
        "http://[::ffff:a00:1]/",
    ],
)
def test_a_redirect_to_a_refused_url_is_refused(server, target):
    port, _ = server
    error = fetch_failure(f"http://127.0.0.1:{port}/redirect?{target}", allow_loopback=True)
    assert error.code == "url_not_allowed"


def test_too_many_redirects_give_up(server):
    port, hosts = server
    error = fetch_failure(f"http://127.0.0.1:{port}/loop", allow_loopback=True, max_redirects=3)
    assert error.code == "fetch_failed"
    assert "redirects" in error.message
    assert len(hosts) == 4


def test_a_status_other_than_200_fails_with_the_status(server):
    port, _ = server
    error = fetch_failure(f"http://127.0.0.1:{port}/missing", allow_loopback=True)
    assert error.code == "fetch_failed"
    assert "404" in error.message


def test_a_declared_length_over_the_limit_is_refused_without_reading(server):
    port, _ = server
    assert (
        fetch_failure(f"http://127.0.0.1:{port}/declared-big", allow_loopback=True).code
        == "too_large"
    )


def test_a_streamed_body_over_the_limit_is_cut_off(server):
    port, _ = server
    with ends_before(10, "reading the whole 13 MB body would be no error at all"):
        error = fetch_failure(
            f"http://127.0.0.1:{port}/streamed-big", allow_loopback=True, max_bytes=100_000
        )
    assert error.code == "too_large"


@pytest.mark.parametrize(("route", "lasts"), [("drip", 5), ("stall", 3)])
def test_one_deadline_covers_the_whole_download(server, route, lasts):
    port, _ = server
    with ends_before(lasts, f"the {route} route lasts {lasts} s"):
        error = fetch_failure(f"http://127.0.0.1:{port}/{route}", allow_loopback=True, timeout=0.5)
    assert error.code == "fetch_timeout"


def test_compressed_bodies_are_refused(server):
    port, _ = server
    error = fetch_failure(f"http://127.0.0.1:{port}/gzip", allow_loopback=True)
    assert error.code == "fetch_failed"
    assert "gzip" in error.message


def test_proxy_settings_from_the_environment_are_ignored(server, monkeypatch):
    port, _ = server
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    assert fetch_document(f"http://127.0.0.1:{port}/spec", allow_loopback=True) == SPEC


# -- https: the checked address is dialled, the host name is verified ------------------------


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    pem = certificate.public_bytes(serialization.Encoding.PEM)
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    chain = tmp_path_factory.mktemp("tls") / "localhost.pem"
    chain.write_bytes(pem + key_pem)
    server_context.load_cert_chain(chain)
    running, _ = serve(server_context)
    yield running.server_address[1], ssl.create_default_context(cadata=pem.decode())
    running.shutdown()
    running.server_close()


def test_https_dials_the_checked_address_but_verifies_the_host_name(tls_server):
    port, trust = tls_server
    assert (
        fetch_document(f"https://localhost:{port}/spec", allow_loopback=True, verify=trust) == SPEC
    )


def test_https_certificates_are_verified(tls_server):
    port, trust = tls_server
    error = fetch_failure(f"https://127.0.0.1:{port}/spec", allow_loopback=True, verify=trust)
    assert error.code == "fetch_failed"
    error = fetch_failure(f"https://localhost:{port}/spec", allow_loopback=True)
    assert error.code == "fetch_failed"
