"""What the OpenAPI benchmarks share: the spec variants they generate, how they time a step and
measure its memory, and the import-vs-validator verdict."""

from __future__ import annotations

import json
import statistics
import time
import tracemalloc

import yaml
from specgen import generate, render

VARIANTS = ("3.1-json", "3.1-yaml", "3.0-json", "3.0-yaml")
# Import time as a share of openapi-spec-validator's time to validate the same document.
TARGET, STRETCH = 0.5, 0.25


def variant_spec(variant: str, seed: int) -> tuple[str, bytes, object]:
    """Generate the large spec of a variant ("3.1-yaml"), say what it holds, and return its
    format, its bytes and the document as parsed (what the validator takes)."""
    version, fmt = variant.split("-")
    doc = generate(version=version, size="large", seed=seed)
    data = render(doc, fmt)
    operations = sum(1 for item in doc["paths"].values() for key in item if key != "parameters")
    print(
        f"spec {variant}: {len(data) / 2**20:.2f} MiB, {operations} operations, "
        f"{len(doc['components']['schemas'])} schemas, {len(doc.get('webhooks', {}))} webhooks "
        f"(seed {seed})"
    )
    parsed = json.loads(data) if fmt == "json" else yaml.load(data, Loader=yaml.CSafeLoader)
    return fmt, data, parsed


def timed(function, runs: int) -> tuple[float, float]:
    """(first run, median of all runs) in seconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times[0], statistics.median(times)


def peak_memory(function) -> int:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def report_ratio(ratio: float) -> None:
    verdict = "stretch met" if ratio <= STRETCH else "target met" if ratio <= TARGET else "MISSED"
    print(f"  ratio import/validate:   {ratio:7.3f}  ({verdict}; target {TARGET}/{STRETCH})")
