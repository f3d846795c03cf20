"""Download a document to import by URL, without letting the URL reach inside our network.

`fetch_document(url)` returns the body's bytes or raises `ImportFailure`:
- only `http` and `https` URLs (`url_not_allowed`);
- the host is resolved once and every address it resolves to must be public: loopback,
  private, link-local (which includes the 169.254.169.254 cloud metadata service),
  shared, reserved and unspecified addresses are refused, including IPv4 written as
  `0x7f000001`, `2130706433` or `0177.0.0.1` (the resolver reads those as 127.0.0.1) and
  IPv4 embedded in IPv6 (`[::ffff:127.0.0.1]`, 6to4, Teredo, NAT64) (`url_not_allowed`);
- the connection goes to the checked address itself, with the original host name in the
  `Host` header and as the TLS server name (SNI and certificate check), so a DNS answer that
  changes between check and connect (DNS rebinding) cannot redirect it;
- redirects are followed by hand, at most `max_redirects`, and each target is checked the
  same way before it is contacted;
- one deadline (`timeout` seconds) covers resolution, connection and reading all
  redirects; every network wait is bounded by the time left, and the deadline is checked
  again between reads (`fetch_timeout`);
- the body is read in a stream and abandoned as soon as it passes `max_bytes`
  (`too_large`); compressed responses are refused (we ask for `identity`), so the size
  checked is the size parsed and no compression bomb is inflated;
- anything but a final 200 is `fetch_failed`. Proxy settings from the environment are
  ignored: a proxy would connect to addresses we never checked.

`allow_loopback=True` lets tests fetch from a server on 127.0.0.1 or [::1]; nothing else
private becomes reachable.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time

import httpx

from .messages import ImportFailure
from .parse import DEFAULT_MAX_BYTES

DEFAULT_TIMEOUT = 15.0
DEFAULT_MAX_REDIRECTS = 5
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
NAT64_PREFIXES = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if any(ip in prefix for prefix in NAT64_PREFIXES):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_allowed(ip: IPAddress, *, allow_loopback: bool = False) -> bool:
    """May we connect to this address? Only public ones (and loopback if allowed)."""
    if isinstance(ip, ipaddress.IPv6Address) and (inner := _embedded_ipv4(ip)) is not None:
        return address_allowed(inner, allow_loopback=allow_loopback)
    if ip.is_loopback:
        return allow_loopback
    return ip.is_global and not ip.is_multicast


def _not_allowed(message: str) -> ImportFailure:
    return ImportFailure("url_not_allowed", message)


def resolve_allowed(host: str, port: int, *, allow_loopback: bool = False) -> IPAddress:
    """Resolve `host` once and return the address to connect to; refuse if any is not public.

    Every address is checked, not just the first: a name that resolves to both a public and
    a private address is refused.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ImportFailure("fetch_failed", f"The host {host} could not be resolved.") from exc
    addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]
    refused = [ip for ip in addresses if not address_allowed(ip, allow_loopback=allow_loopback)]
    if refused or not addresses:
        raise _not_allowed(
            f"The host {host} resolves to {refused[0] if refused else 'nothing'}, which is not a "
            "public address; only public addresses may be fetched."
        )
    return addresses[0]


def _check_url(url: httpx.URL) -> None:
    if url.scheme not in ("http", "https"):
        raise _not_allowed(f"Only http and https URLs can be fetched, not {url.scheme or 'this'}.")
    if not url.host:
        raise _not_allowed("The URL has no host.")


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise ImportFailure(
                "fetch_timeout", f"Downloading the document took longer than {self.seconds:g} s."
            )
        return left


def _read_body(response: httpx.Response, max_bytes: int, deadline: _Deadline) -> bytes:
    too_large = ImportFailure(
        "too_large", f"The document is larger than the limit of {max_bytes / 2**20:.1f} MB."
    )
    encoding = response.headers.get("content-encoding", "identity").lower()
    if encoding != "identity":
        raise ImportFailure(
            "fetch_failed", f"The server sent a {encoding}-compressed body; it must be sent plain."
        )
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise too_large
    body = bytearray()
    for chunk in response.iter_raw():
        body += chunk
        if len(body) > max_bytes:
            raise too_large
        deadline.left()
    return bytes(body)


def _send(
    client: httpx.Client, url: httpx.URL, deadline: _Deadline, allow_loopback: bool
) -> httpx.Response:
    """GET `url` from the address its host resolves to, once that address is checked."""
    _check_url(url)
    port = url.port or (443 if url.scheme == "https" else 80)
    host = url.raw_host.decode("ascii")  # IDNA-encoded, as DNS and TLS want it
    ip = resolve_allowed(host, port, allow_loopback=allow_loopback)
    request = client.build_request(
        "GET",
        url.copy_with(host=str(ip)),
        headers={
            "Host": url.netloc.decode("ascii"),
            "Accept": "application/json, application/yaml, text/yaml, text/plain, */*",
            "Accept-Encoding": "identity",
        },
        extensions={"sni_hostname": host} if url.scheme == "https" else {},
        timeout=httpx.Timeout(deadline.left()),
    )
    return client.send(request, stream=True)


def fetch_document(
    url: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    allow_loopback: bool = False,
    verify: ssl.SSLContext | bool = True,
) -> bytes:
    """Download the document at `url` within every limit described above.

    `verify` is passed to httpx (tests give an SSL context that trusts their own CA).
    """
    deadline = _Deadline(timeout)
    try:
        current = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise _not_allowed(f"{url!r} is not a valid URL.") from exc

    with httpx.Client(trust_env=False, follow_redirects=False, verify=verify) as client:
        for _ in range(max_redirects + 1):
            try:
                response = _send(client, current, deadline, allow_loopback)
                try:
                    location = response.headers.get("location")
                    if response.status_code in REDIRECT_STATUSES and location:
                        current = current.join(location)
                        continue
                    if response.status_code != 200:
                        raise ImportFailure(
                            "fetch_failed", f"{current} answered HTTP {response.status_code}."
                        )
                    return _read_body(response, max_bytes, deadline)
                finally:
                    response.close()
            except httpx.TimeoutException as exc:
                raise ImportFailure("fetch_timeout", f"Fetching {current} timed out.") from exc
            except httpx.HTTPError as exc:
                raise ImportFailure("fetch_failed", f"Fetching {current} failed: {exc}.") from exc
    raise ImportFailure("fetch_failed", f"More than {max_redirects} redirects; gave up.")
