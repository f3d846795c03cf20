"""Import by URL (`schemaURL`): http(s) only, public addresses only (loopback only when the
setting allows it, as here for a server of the test's own), one deadline, a streamed size
cap, every redirect checked. Nothing outside loopback is ever contacted: refused addresses
are refused once resolved, before connecting."""

import pytest

from tests.connect.fault_server import FaultServer, drip, raw
from tests.deadline import ends_before
from tests.embedded_api.imports_support import FORMAT, encode, pet_store, stored_counts

YAML = b"""\
openapi: 3.1.0
info: {title: Fetched, version: "1.0"}
servers: [{url: /api}]
paths: {}
"""


@pytest.fixture
def server():
    with FaultServer() as running:
        yield running


@pytest.fixture
def loopback_allowed(settings):
    settings.OUTBOUND_ALLOW_LOOPBACK = True


def from_url(api, url: str, **fields):
    return api.post(f"{api.o}/protocols/http/import", json={"schemaURL": url, **FORMAT, **fields})


def refused(api, url: str, code: str) -> dict:
    response = from_url(api, url)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == code, body
    assert stored_counts(api.org)["connectors"] == 0
    return body


def test_a_document_is_imported_from_a_url(api, server, loopback_allowed):
    server.default = raw(200, YAML, "application/yaml")

    response = from_url(api, f"{server.url}/specs/petstore.yaml", filetype="yaml")

    assert response.status_code == 201, response.text
    connector = response.json()["connector"]
    assert connector["name"] == "Fetched"
    # A relative server URL is resolved against where the document came from.
    assert connector["baseUrl"] == f"{server.url}/api"
    assert [r.path for r in server.received] == ["/specs/petstore.yaml"]


def test_the_filetype_is_only_a_hint(api, server, loopback_allowed):
    server.default = raw(200, encode(pet_store()), "text/plain")

    assert from_url(api, f"{server.url}/spec", filetype="yaml").status_code == 201


def test_a_new_version_is_imported_from_a_url(api, server, loopback_allowed):
    server.default = raw(200, encode(pet_store()), "application/json")
    connector = from_url(api, f"{server.url}/v1.json").json()["connector"]

    response = api.post(
        f"{api.o}/connector/{connector['id']}/http/import",
        json={"schemaURL": f"{server.url}/v2.json", "version": "2.0.0", **FORMAT},
    )

    assert response.status_code == 201, response.text
    assert [a["name"] for a in response.json()["actions"]] == ["getPet"]


def test_redirects_are_followed(api, server, loopback_allowed):
    server.then(raw(302, b"", headers={"Location": "/moved.yaml"}))
    server.default = raw(200, YAML, "application/yaml")

    assert from_url(api, f"{server.url}/old.yaml").status_code == 201
    assert [r.path for r in server.received] == ["/old.yaml", "/moved.yaml"]


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "gopher://127.0.0.1:70/", "ftp://example.com/spec.yaml", "spec.yaml"],
)
def test_only_http_and_https_urls_are_fetched(api, url):
    refused(api, url, "url_not_allowed")


def test_loopback_is_refused_unless_the_setting_allows_it(api, server):
    server.default = raw(200, YAML, "application/yaml")

    refused(api, f"{server.url}/spec.yaml", "url_not_allowed")

    assert server.received == []


@pytest.mark.parametrize(
    "host",
    ["[::1]", "[::ffff:127.0.0.1]", "0x7f000001", "2130706433", "0177.0.0.1", "127.1"],
)
def test_loopback_in_any_spelling_is_refused(api, host):
    refused(api, f"http://{host}:9/spec.yaml", "url_not_allowed")


@pytest.mark.parametrize(
    "host",
    ["169.254.169.254", "10.0.0.1", "192.168.1.1", "172.16.0.1", "100.100.100.200", "[fd00::1]"],
)
def test_private_link_local_and_metadata_addresses_are_refused_even_with_loopback_allowed(
    api, host, loopback_allowed
):
    refused(api, f"http://{host}/latest/meta-data/", "url_not_allowed")


def test_a_redirect_to_a_refused_address_is_refused(api, server, loopback_allowed):
    server.default = raw(302, b"", headers={"Location": "http://169.254.169.254/latest/"})

    refused(api, f"{server.url}/spec.yaml", "url_not_allowed")

    assert len(server.received) == 1


def test_a_document_over_the_size_limit_is_refused(api, server, loopback_allowed, settings):
    settings.OPENAPI_MAX_BYTES = 1000
    server.default = raw(200, b"x" * 5000, "application/yaml")

    refused(api, f"{server.url}/big.yaml", "too_large")


def test_a_streamed_document_is_cut_off_at_the_size_limit(api, server, loopback_allowed, settings):
    settings.OPENAPI_MAX_BYTES = 1000

    def endless(handler):  # no Content-Length: the body runs until the connection closes
        handler.send_response(200)
        handler.send_header("Content-Type", "application/yaml")
        handler.send_header("Connection", "close")
        handler.end_headers()
        for _ in range(1000):
            handler.wfile.write(b"# " + b"x" * 1000 + b"\n")

    server.default = endless

    refused(api, f"{server.url}/endless.yaml", "too_large")


def test_one_deadline_covers_the_whole_download(api, server, loopback_allowed, settings):
    settings.OPENAPI_FETCH_TIMEOUT = 0.5
    server.default = drip(5.0)

    with ends_before(5, "the server drips its body for 5 s"):
        refused(api, f"{server.url}/slow.yaml", "fetch_timeout")


def test_a_failed_download_says_what_the_server_answered(api, server, loopback_allowed):
    server.default = raw(404, b"no", "text/plain")

    body = refused(api, f"{server.url}/gone.yaml", "fetch_failed")

    assert "404" in body["message"]
