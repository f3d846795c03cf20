"""Benchmark: ImportHTTPConnector end to end over real HTTP, against openapi-spec-validator.

    PYTHONPATH=. .venv/bin/python tests/bench/bench_import_http.py [--runs 3]
        [--variants 3.1-json,3.0-yaml]

The embedded API is served by a real HTTP server (Django's threaded WSGI server, the one
pytest-django's live_server uses) on 127.0.0.1 in this process, on a temporary SQLite
database (migrated, with an API key). For each variant it generates a deterministic spec
(tests/bench/specgen.py, large setting: over 2 MB, 270 operations) and prints:
- the end-to-end import time: from the start of the multipart upload (httpx, real socket)
  to the last byte of the 201 response, so it includes the HTTP transfer, multipart parsing,
  parsing and validating the document, mapping, storing everything in one transaction and
  serialising the result (median of --runs, each importing a new connector, after one cold
  run);
- the import's peak memory as tracemalloc sees it (Python allocations of both the client
  and the server thread, measured in a separate run, since tracing slows everything);
- in the same run, the time openapi-spec-validator's `validate()` needs for the same
  document, already parsed (so parsing counts against the import only); imports and
  validations take turns, so a machine busy with other work slows both alike;
- the ratio import / validate. Target: <= 0.5, stretch: <= 0.25. Exits 1 if a ratio misses
  the target.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import statistics
import sys
import tempfile
import threading
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from spec_runs import TARGET, VARIANTS, peak_memory, report_ratio, timed, variant_spec  # noqa: E402

ORGANISATION = "01JQ0PATCHBAY0BENCH0RGAN1S"


def setup_django(database_dir: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="dashboard.settings",
        DATABASE_URL=f"sqlite:///{database_dir}/bench.sqlite3",
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench"),
        DEBUG="false",
        LOG_LEVEL="ERROR",
        ALLOWED_HOSTS="127.0.0.1",
    )
    import django

    warnings.filterwarnings("ignore", message="No directory at")  # static files: not served here
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def start_server():
    """Serve the whole Django app on a free loopback port, in a daemon thread."""
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False)
    server.set_app(get_wsgi_application())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def bench(client, variant: str, runs: int, seed: int) -> float:
    from openapi_spec_validator import validate

    fmt, data, parsed = variant_spec(variant, seed)

    def upload():
        """One import; the response body is read whole (httpx), not decoded."""
        response = client.post(
            f"/o/{ORGANISATION}/protocols/http/import",
            files={
                "file": (f"spec.{fmt}", data, f"application/{fmt}"),
                "metadata": (None, json.dumps({"format": "openapi"}), "application/json"),
            },
        )
        assert response.status_code == 201, response.text[:500]
        return response

    cold, _ = timed(upload, 1)
    result = upload().json()
    peak = peak_memory(upload)
    # Alternate the two, so that a machine busy with something else slows both alike.
    imports, validations = [], []
    for _ in range(runs):
        imports.append(timed(upload, 1)[0])
        validations.append(timed(lambda: validate(parsed), 1)[0])
    median, validator_time = statistics.median(imports), statistics.median(validations)
    print(
        f"  import over HTTP:        {median:7.3f} s median of {runs} (cold {cold:.3f} s); "
        f"peak memory {peak / 2**20:.1f} MiB; {len(result['actions'])} actions, "
        f"{len(result['triggers'])} triggers, {len(result['definitions'])} definitions"
    )
    print(f"  openapi-spec-validator:  {validator_time:7.3f} s median of {runs} (validate only)")

    ratio = median / validator_time
    report_ratio(ratio)
    return ratio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as database_dir:
        setup_django(database_dir)
        import httpx

        from dashboard.embedded_api.models import ApiKey

        _, key = ApiKey.mint(ORGANISATION, "bench")
        server = start_server()
        host, port = server.server_address[:2]
        print(
            f"openapi-spec-validator {importlib.metadata.version('openapi-spec-validator')}, "
            f"Python {sys.version.split()[0]}; embedded API on http://{host}:{port} "
            "(threaded WSGI server, SQLite)"
        )
        with httpx.Client(
            base_url=f"http://{host}:{port}/api/connect/v1",
            headers={"Authorization": f"Bearer {key}"},
            timeout=120,
        ) as client:
            ratios = [
                bench(client, variant, args.runs, args.seed) for variant in args.variants.split(",")
            ]
        server.shutdown()
    return 0 if all(ratio <= TARGET for ratio in ratios) else 1


if __name__ == "__main__":
    sys.exit(main())
