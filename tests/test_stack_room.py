"""A request served through dashboard.wsgi never calls across a frame-stack chunk boundary.
On CPython 3.11/3.12 such a call maps and unmaps memory each time: a loop of calls at a
boundary runs a hundred times slower than the same loop anywhere else."""

import statistics
import time

import pytest

from dashboard.stack_room import with_stack_room

CALLS = 200
# ~120 bytes a frame: past a 16 KiB chunk's end wherever the test starts, and within the room.
DEPTHS = range(300)


def loop_time_at(depth: int) -> float:
    """Seconds for CALLS calls of a function from `depth` frames further down the stack (the
    best of 5, so that no other process's turn on the CPU counts)."""

    def leaf() -> None:
        pass

    def descend(n: int) -> float:
        if n:
            return descend(n - 1)
        best = float("inf")
        for _ in range(5):
            started = time.perf_counter()
            for _ in range(CALLS):
                leaf()
            best = min(best, time.perf_counter() - started)
        return best

    return descend(depth)


def worst_over_typical() -> float:
    times = [loop_time_at(depth) for depth in DEPTHS]
    return max(times) / statistics.median(times)


def test_calls_inside_a_request_never_cross_a_chunk_boundary():
    if worst_over_typical() < 20:
        pytest.skip("This CPython keeps a frame-stack chunk mapped: there is nothing to avoid.")
    app = with_stack_room(lambda environ, start_response: worst_over_typical())
    assert app({}, None) < 20


def test_the_app_answers_as_it_would_unwrapped():
    started = []
    app = with_stack_room(lambda environ, start_response: [environ["PATH_INFO"].encode()])
    assert app({"PATH_INFO": "/healthz"}, started.append) == [b"/healthz"]
