"""Each request on a fresh, roomy chunk of CPython's frame stack.

CPython 3.11 and 3.12 keep a thread's Python frames in chunks of 16 KiB and unmap a chunk as
soon as the frame at its start returns (python/cpython#142183; later releases keep one chunk
mapped). A loop whose callee's frame lands at the start of a chunk so maps and unmaps memory on
every call. A dashboard page nests the embedded API's ORM work inside its own middleware and
view: measured, its queries ran some 25% slower than the same queries in a bare API call, and
any change to the depth of the stack moved the boundary elsewhere.

Calling the app through a frame that cannot fit in a chunk makes CPython open a new one sized
for it with room to spare (128 KiB, mapped once per request; only the pages used are touched),
and a request's frames then never reach a chunk boundary.
"""

from collections.abc import Callable, Iterable
from typing import Any

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
# Slots (8 bytes each) reserved in the frame: more than a 16 KiB chunk and half of the 128 KiB
# one that CPython then allocates, leaving 64 KiB for the request's frames.
RESERVED_SLOTS = 8192


def with_stack_room(app: WSGIApp) -> WSGIApp:
    def call(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        return app(environ, start_response)

    # A frame's size is its code's locals plus its declared evaluation stack.
    call.__code__ = call.__code__.replace(co_stacksize=call.__code__.co_stacksize + RESERVED_SLOTS)
    return call
