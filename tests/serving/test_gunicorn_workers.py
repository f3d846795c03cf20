"""How many gunicorn processes gunicorn.conf.py starts: several only over a shared cache, as a
spec upload kept between its preview and its import must be found by the next request's
process (`make run` with the default per-process cache once lost it one time in a few)."""

import os
import subprocess

import pytest

from .servers import BIN, ROOT


def workers(**env: str) -> int:
    done = subprocess.run(
        [
            BIN / "python",
            "-c",
            "import runpy; print(runpy.run_path('gunicorn.conf.py')['workers'])",
        ],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return int(done.stdout)


@pytest.mark.parametrize("cache_url", [None, "locmemcache://", "dummycache://"])
def test_a_per_process_cache_gets_one_process(cache_url):
    assert workers(**({"CACHE_URL": cache_url} if cache_url else {})) == 1


def test_a_shared_cache_gets_two_processes_and_web_concurrency_decides_in_any_case():
    assert workers(CACHE_URL="redis://127.0.0.1:6379/0") == 2
    assert workers(CACHE_URL="locmemcache://", WEB_CONCURRENCY="3") == 3
