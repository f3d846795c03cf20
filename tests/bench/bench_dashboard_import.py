"""Benchmark: the dashboard's spec upload (preview, then import) of the large generated spec,
beside the direct import figures of the same run.

    PYTHONPATH=. .venv/bin/python tests/bench/bench_dashboard_import.py [--runs 5]
        [--variants 3.1-json,3.0-yaml]

For each variant it generates a deterministic spec (tests/bench/specgen.py, large setting:
over 2 MB, 270 operations) and measures server time in process, on a temporary SQLite
database, with Django's test client sending a multipart body encoded beforehand (so the
client's own work is not counted; no network):
- importer alone: `import_openapi(bytes)` (what the preview runs);
- API endpoint: POST ImportHTTPConnector to the embedded Connect API (/api/connect/v1/...,
  service token): parse, validate, map, store in one transaction, serialise the result;
- dashboard preview: POST the upload form (/connectors/new/import/): routing, session, auth,
  CSRF, the form, the importer, keeping the upload, rendering the preview (every action,
  definition and message);
- dashboard import: POST Import (/connectors/new/import/create/): the kept upload sent
  through the service layer to the embedded API (in process), the result kept, the redirect.
The four take turns run by run, so a busy machine slows them alike. Everything runs in this
one process (the embedded API included, on the service layer's worker threads), so besides
wall time it measures the process's CPU time, which other processes on a busy machine do not
inflate. It prints medians of both and the ratios preview / importer, import / API endpoint
and (preview + import) / (importer + API); it exits 1 if a CPU ratio misses its target.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from spec_runs import VARIANTS, variant_spec  # noqa: E402

# What the dashboard may add to the work it wraps.
TARGETS = {"preview/importer": 1.5, "import/API": 1.25, "both/direct": 1.35}
BOUNDARY = "BenchBoundary7MA4YWxkTrZu0gW"


def setup_django(database_dir: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="dashboard.settings",
        DATABASE_URL=f"sqlite:///{database_dir}/bench.sqlite3",
        CONNECT_API_URL="",  # the embedded API, in process
        CACHE_URL="locmemcache://",
        DEBUG="false",
        LOG_LEVEL="ERROR",
        ALLOWED_HOSTS="testserver",
    )
    os.environ.setdefault("SECRET_KEY", "bench")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def multipart(fields: dict) -> bytes:
    from django.test.client import encode_multipart

    return encode_multipart(BOUNDARY, fields)


def bench(variant: str, runs: int, seed: int) -> dict[str, float]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from dashboard.embedded_api.auth import service_token
    from dashboard.openapi import import_openapi

    fmt, data, _ = variant_spec(variant, seed)

    user, _ = get_user_model().objects.get_or_create(username="bench", is_superuser=True)
    browser = Client()
    browser.force_login(user)
    api = Client()
    organisation = settings.CONNECT_ORGANISATION_ID
    token = {"Authorization": f"Bearer {service_token(organisation)}"}
    content_type = f"multipart/form-data; boundary={BOUNDARY}"
    upload = lambda: SimpleUploadedFile(f"spec.{fmt}", data, f"application/{fmt}")  # noqa: E731
    api_body = multipart({"file": upload(), "metadata": '{"format": "openapi"}'})
    preview_body = multipart({"file": upload()})
    kept = {}

    def importer():
        import_openapi(data)

    def api_endpoint():
        response = api.generic(
            "POST",
            f"/api/connect/v1/o/{organisation}/protocols/http/import",
            api_body,
            content_type,
            headers=token,
        )
        assert response.status_code == 201, response.content[:300]

    def preview():
        response = browser.generic("POST", "/connectors/new/import/", preview_body, content_type)
        assert response.status_code == 200, response.content[:300]
        html = response.content.decode()
        marker = 'name="upload" value="'
        start = html.index(marker) + len(marker)
        kept["token"] = html[start : html.index('"', start)]
        kept["size"] = len(response.content)

    def dashboard_import():
        response = browser.post("/connectors/new/import/create/", {"upload": kept["token"]})
        assert response.status_code == 302, response.content[:300]

    steps = {
        "importer alone": importer,
        "API endpoint": api_endpoint,
        "dashboard preview": preview,
        "dashboard import": dashboard_import,
    }
    wall: dict[str, list[float]] = {name: [] for name in steps}
    cpu: dict[str, list[float]] = {name: [] for name in steps}
    for run in range(runs + 1):  # the first run warms up (schema compilation, caches)
        for name, step in steps.items():
            started, started_cpu = time.perf_counter(), time.process_time()
            step()
            if run:
                wall[name].append(time.perf_counter() - started)
                cpu[name].append(time.process_time() - started_cpu)
    wall_median = {name: statistics.median(values) for name, values in wall.items()}
    median = {name: statistics.median(values) for name, values in cpu.items()}
    for name in steps:
        print(
            f"  {name + ':':<20}{wall_median[name]:7.3f} s wall, {median[name]:7.3f} s CPU "
            f"(medians of {runs})"
        )
    print(f"  (preview page: {kept['size'] / 2**10:.0f} KiB of HTML)")
    ratios = {
        "preview/importer": median["dashboard preview"] / median["importer alone"],
        "import/API": median["dashboard import"] / median["API endpoint"],
        "both/direct": (median["dashboard preview"] + median["dashboard import"])
        / (median["importer alone"] + median["API endpoint"]),
    }
    walls = {
        "preview/importer": wall_median["dashboard preview"] / wall_median["importer alone"],
        "import/API": wall_median["dashboard import"] / wall_median["API endpoint"],
        "both/direct": (wall_median["dashboard preview"] + wall_median["dashboard import"])
        / (wall_median["importer alone"] + wall_median["API endpoint"]),
    }
    for name, ratio in ratios.items():
        verdict = "ok" if ratio <= TARGETS[name] else "MISSED"
        print(
            f"  ratio {name + ':':<18}{ratio:6.2f}x CPU, {walls[name]:5.2f}x wall "
            f"(target ≤ {TARGETS[name]}x CPU, {verdict})"
        )
    return ratios


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as database_dir:
        setup_django(database_dir)
        print(f"Python {sys.version.split()[0]}; embedded API in process; SQLite; server time\n")
        results = [bench(variant, args.runs, args.seed) for variant in args.variants.split(",")]
    missed = [name for ratios in results for name, ratio in ratios.items() if ratio > TARGETS[name]]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
