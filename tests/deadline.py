"""Checking that a deadline or a limit cuts work short, on a shared machine whose speed varies:
the block must end before the fault it meets would have ended by itself (a server that hangs
for 10 s, a body that drips for 5 s, a bomb that would expand for minutes). It never asserts
how fast the block ran: waits the code chooses are checked on an injected clock instead."""

import time
from contextlib import contextmanager


@contextmanager
def ends_before(seconds: float, fault: str):
    started = time.monotonic()
    yield
    elapsed = time.monotonic() - started
    assert elapsed < seconds, f"took {elapsed:.1f} s, yet {fault}"
