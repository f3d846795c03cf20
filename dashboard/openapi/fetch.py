"""Download a document to import by URL, through the guarded outbound client.

`fetch_document(url)` returns the body's bytes or raises `ImportFailure`. Every limit is the
outbound client's (`dashboard.outbound`): public addresses only (`url_not_allowed`), checked
again on every redirect, at most `max_redirects`; one deadline (`fetch_timeout`); the body
streamed and abandoned past `max_bytes` (`too_large`), compressed bodies refused. Anything but
a final 200 is `fetch_failed`.

`allow_loopback=True` lets tests fetch from a server on 127.0.0.1 or [::1]; nothing else
private becomes reachable.
"""

from __future__ import annotations

import ssl

from ..outbound import Limits, Refused, send
from .messages import ImportFailure
from .parse import DEFAULT_MAX_BYTES

DEFAULT_TIMEOUT = 15.0
DEFAULT_MAX_REDIRECTS = 5
_CODES = {"not_allowed": "url_not_allowed", "timeout": "fetch_timeout", "too_large": "too_large"}
ACCEPT = "application/json, application/yaml, text/yaml, text/plain, */*"


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
    limits = Limits(timeout, max_bytes, max_redirects, allow_loopback, verify)
    try:
        reply = send("GET", url, limits=limits, headers={"Accept": ACCEPT})
    except Refused as refused:
        message = refused.message
        if refused.kind == "too_large":
            message = f"The document is larger than the limit of {max_bytes / 2**20:.1f} MB."
        raise ImportFailure(_CODES.get(refused.kind, "fetch_failed"), message) from refused
    if reply.status != 200:
        raise ImportFailure("fetch_failed", f"{reply.url} answered HTTP {reply.status}.")
    return reply.body
