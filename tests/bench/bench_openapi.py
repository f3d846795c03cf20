"""Benchmark: the OpenAPI importer against openapi-spec-validator on the same large document.

    .venv/bin/python tests/bench/bench_openapi.py [--runs 5] [--variants 3.1-json,3.0-yaml]

For each variant it generates a deterministic spec (tests/bench/specgen.py, large setting:
over 2 MB, 200+ operations) and prints:
- the import time of `import_openapi(bytes)`: parse, validate against the OpenAPI schema,
  check references and map everything (median of --runs, plus the first, cold run);
- the import's peak memory as tracemalloc sees it (Python allocations; jsonschema-rs's own
  copy of the document during validation is not counted);
- the time openapi-spec-validator's `validate()` needs for the same document, already
  parsed (so parsing counts against the importer only), with its default settings;
- the ratio import / validate. Target: <= 0.5, stretch: <= 0.25. Exits 1 if a ratio misses
  the target.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from openapi_spec_validator import validate  # noqa: E402
from openapi_spec_validator.settings import get_schema_validator_backend  # noqa: E402
from spec_runs import TARGET, VARIANTS, peak_memory, report_ratio, timed, variant_spec  # noqa: E402

from dashboard.openapi import import_openapi  # noqa: E402


def bench(variant: str, runs: int, seed: int) -> float:
    _, data, parsed = variant_spec(variant, seed)

    started = time.perf_counter()
    result = import_openapi(data)  # the first import in the process also compiles the schema
    cold = time.perf_counter() - started
    _, median = timed(lambda: import_openapi(data), runs)
    peak = peak_memory(lambda: import_openapi(data))
    print(
        f"  import_openapi:          {median:7.3f} s median of {runs} (cold {cold:.3f} s); "
        f"peak memory {peak / 2**20:.1f} MiB; {len(result.actions)} actions, "
        f"{len(result.triggers)} triggers, {len(result.definitions)} definitions"
    )

    _, validator_time = timed(lambda: validate(parsed), max(1, min(runs, 3)))
    print(f"  openapi-spec-validator:  {validator_time:7.3f} s median (validate only)")

    ratio = median / validator_time
    report_ratio(ratio)
    return ratio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    args = parser.parse_args()
    print(
        f"openapi-spec-validator {importlib.metadata.version('openapi-spec-validator')} "
        f"(schema backend: {get_schema_validator_backend()}), "
        f"jsonschema-rs {importlib.metadata.version('jsonschema-rs')}, "
        f"Python {sys.version.split()[0]}"
    )
    ratios = [bench(variant, args.runs, args.seed) for variant in args.variants.split(",")]
    return 0 if all(ratio <= TARGET for ratio in ratios) else 1


if __name__ == "__main__":
    sys.exit(main())
