"""Stable ids for demo records, so a fresh seed always gives the same URLs and a re-run can
tell what is already there."""

import hashlib

from ulid import ULID

# Every demo id carries this timestamp (2025-01-01T00:00Z): valid ULIDs that never change.
_EPOCH_MS = 1_735_689_600_000


def demo_id(*parts: str) -> str:
    """A ULID derived from `parts` (e.g. `demo_id("connector", "paystream")`)."""
    digest = hashlib.sha256("/".join(("patchbay-demo", *parts)).encode()).digest()
    return str(ULID.from_bytes(_EPOCH_MS.to_bytes(6, "big") + digest[:10]))


def number(*parts: str) -> int:
    """A stable pseudo-random number for `parts`, to vary demo values without `random`."""
    return int.from_bytes(hashlib.sha256("/".join(parts).encode()).digest()[:4], "big")
