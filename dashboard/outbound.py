"""The one guarded client for every request the server makes on a user's behalf.

Importing a document by URL and the OAuth 2.0 token exchange send requests to URLs a user
typed; `send(...)` makes sure such a URL cannot reach inside our network. Pure (no Django):
the embedded API and the OpenAPI importer both use it, with their settings passed in.

- only `http` and `https` URLs;
- the host is resolved once and EVERY address it resolves to must be public (`address_allowed`):
  not loopback, private, link-local (the 169.254.169.254 metadata service), shared, reserved,
  multicast or unspecified, and no IPv6 form that carries such an IPv4 address (mapped,
  compatible, translated, 6to4, Teredo, NAT64); IPv6 must be global unicast (2000::/3, so
  site-local fec0::/10 and unique-local fc00::/7 are refused). IPv4 written as `0x7f000001`,
  `2130706433` or `0177.0.0.1` is caught too, since the check runs on resolved addresses;
- the connection goes to the checked address itself, with the original host name in the
  `Host` header and as the TLS server name, so DNS rebinding cannot redirect it;
- redirects (GET only) are followed by hand, at most `max_redirects`, each target checked the
  same way before it is contacted; other methods never follow one;
- one deadline covers resolution, connection and reading, redirects included;
- the body is read in a stream and abandoned past `max_bytes`; compressed bodies are refused
  (we ask for `identity`), so no compression bomb is ever inflated;
- proxy settings from the environment are ignored (a proxy would connect unchecked).

`Limits.allow_loopback` lets tests reach a server on 127.0.0.1 or [::1]; nothing else private
becomes reachable.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass

import httpx

REDIRECT_STATUSES = (301, 302, 303, 307, 308)
GLOBAL_UNICAST = ipaddress.ip_network("2000::/3")
NAT64_PREFIXES = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
IPV4_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")  # ::ffff:0:a.b.c.d (RFC 2765)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(Exception):
    """The request was not made or not finished. `kind`: `not_allowed` (scheme or address),
    `timeout`, `too_large` or `failed` (anything else: DNS, TLS, connection, encoding)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True)
class Limits:
    timeout: float
    max_bytes: int
    max_redirects: int = 5
    allow_loopback: bool = False  # tests only
    verify: ssl.SSLContext | bool = True  # tests pass a context trusting their own CA


@dataclass(frozen=True)
class Reply:
    status: int
    headers: httpx.Headers
    body: bytes
    url: str


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, in any of the forms that carry one."""
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if int(ip) >> 32 == 0:  # IPv4-compatible (deprecated): ::a.b.c.d, ::1 and :: included
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in IPV4_TRANSLATED or any(ip in prefix for prefix in NAT64_PREFIXES):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    return None


def address_allowed(ip: IPAddress, *, allow_loopback: bool = False) -> bool:
    """May we connect to this address? Only public ones (and loopback if allowed)."""
    if ip.is_loopback:
        return allow_loopback
    if isinstance(ip, ipaddress.IPv6Address):
        if (inner := _embedded_ipv4(ip)) is not None:
            return address_allowed(inner, allow_loopback=allow_loopback)
        return ip in GLOBAL_UNICAST and ip.is_global
    return ip.is_global and not ip.is_multicast


def resolve_allowed(host: str, port: int, *, allow_loopback: bool = False) -> IPAddress:
    """Resolve `host` once and return the address to connect to; refuse if any is not public
    (a name resolving to both a public and a private address is refused)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Refused("failed", f"The host {host} could not be resolved.") from exc
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    refused = [ip for ip in addresses if not address_allowed(ip, allow_loopback=allow_loopback)]
    if refused or not addresses:
        raise Refused(
            "not_allowed",
            f"The host {host} resolves to {refused[0] if refused else 'nothing'}, which is not a "
            "public address; only public addresses may be reached.",
        )
    return addresses[0]


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise Refused("timeout", f"The request took longer than {self.seconds:g} s.")
        return left


def _check_url(url: httpx.URL) -> None:
    if url.scheme not in ("http", "https"):
        raise Refused(
            "not_allowed", f"Only http and https URLs can be reached, not {url.scheme or 'this'}."
        )
    if not url.host:
        raise Refused("not_allowed", "The URL has no host.")


def _read_body(response: httpx.Response, max_bytes: int, deadline: _Deadline) -> bytes:
    too_large = Refused(
        "too_large", f"The answer is larger than the limit of {max_bytes / 2**20:.1f} MB."
    )
    encoding = response.headers.get("content-encoding", "identity").lower()
    if encoding != "identity":
        raise Refused("failed", f"The server sent a {encoding}-compressed body; it must be plain.")
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


def _send_once(client, method, url, deadline, limits, headers, data) -> httpx.Response:
    """Send to the address `url`'s host resolves to, once that address is checked."""
    _check_url(url)
    port = url.port or (443 if url.scheme == "https" else 80)
    host = url.raw_host.decode("ascii")  # IDNA-encoded, as DNS and TLS want it
    ip = resolve_allowed(host, port, allow_loopback=limits.allow_loopback)
    request = client.build_request(
        method,
        url.copy_with(host=str(ip)),
        headers={**headers, "Host": url.netloc.decode("ascii"), "Accept-Encoding": "identity"},
        data=data,
        extensions={"sni_hostname": host} if url.scheme == "https" else {},
        timeout=httpx.Timeout(deadline.left()),
    )
    return client.send(request, stream=True)


def send(
    method: str,
    url: str,
    *,
    limits: Limits,
    headers: dict[str, str] | None = None,
    data: dict[str, str] | None = None,
) -> Reply:
    """Make one request within every limit above; raises `Refused`. Any status comes back as
    a `Reply` (a redirect a POST cannot follow included): the caller decides what is an
    error."""
    deadline = _Deadline(limits.timeout)
    try:
        current = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise Refused("not_allowed", f"{url!r} is not a valid URL.") from exc
    follow = method.upper() == "GET"
    with httpx.Client(trust_env=False, follow_redirects=False, verify=limits.verify) as client:
        for _ in range(limits.max_redirects + 1):
            try:
                response = _send_once(
                    client, method, current, deadline, limits, headers or {}, data
                )
                try:
                    location = response.headers.get("location")
                    if follow and response.status_code in REDIRECT_STATUSES and location:
                        current = current.join(location)
                        continue
                    body = _read_body(response, limits.max_bytes, deadline)
                    return Reply(response.status_code, response.headers, body, str(current))
                finally:
                    response.close()
            except httpx.TimeoutException as exc:
                raise Refused("timeout", f"{current} did not answer in time.") from exc
            except httpx.HTTPError as exc:
                raise Refused("failed", f"Reaching {current} failed: {exc}.") from exc
    raise Refused("failed", f"More than {limits.max_redirects} redirects; gave up.")
