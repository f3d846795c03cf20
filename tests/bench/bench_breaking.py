"""Breaking-change classification of two versions of a large connector, against the service
layer fetching those two versions' contents.

    PYTHONPATH=. .venv/bin/python tests/bench/bench_breaking.py [--runs 3]

Generates a 2 MB+ spec (tests/bench/specgen.py: 200+ operations, schemas referring to each
other in cycles) plus a schema nested 40 levels deep, and a second version of it with changes
of every kind the rules grade: operations removed, parameters added and made required, types
changed, properties removed and added, enums narrowed and widened, constraints tightened, a
change at the bottom of the deep schema. Both are imported into the embedded API (a temporary
SQLite database), then, taking turns run by run so a busy machine slows them alike:
  - "fetch": `load_contents` of both versions through the service layer, nothing cached
    (actions, triggers, definitions and each definition's schema: what a comparison needs);
  - "classify": both contents as the rules read them (`Contents.snapshot`) and `classify`.
It prints each median and classify/fetch (target <= 0.25x), and exits non-zero if missed.
"""

import argparse
import copy
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).resolve().parent)]

from bench_publish_diff import configure  # noqa: E402 (after the path is set)

TARGET = 0.25
DEEP_LEVELS = 40
DEEP_SCHEMAS = 30  # they also take the document past 2 MiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        configure(f"sqlite:///{tmp}/bench.sqlite3")
        connector_id = prepare()
        samples, report = measure(connector_id, args.runs)
    for name, times in samples.items():
        print(f"{name:<10} median {statistics.median(times):7.3f} s")
    from dashboard.versions.findings import counts

    print(f"\nFindings of 2.0.0 against 1.0.0: {counts(report)}")
    ratio = statistics.median(samples["classify"]) / statistics.median(samples["fetch"])
    print(f"classify / fetch (median): {ratio:.3f}x (target <= {TARGET}x)")
    sys.exit(0 if ratio <= TARGET else 1)


def deep(levels: int, leaf: dict) -> dict:
    schema = leaf
    for level in range(levels):
        schema = {
            "type": "object",
            "description": f"Level {level} of a deeply nested schema, as some real APIs have. " * 2,
            "properties": {f"level{level}": schema},
        }
    return schema


def documents() -> tuple[bytes, bytes]:
    """The generated spec with a deep schema, and its second version."""
    import specgen

    first = specgen.generate(size="large")
    schemas = first["components"]["schemas"]
    for number in range(DEEP_SCHEMAS):
        schemas[f"Deep{number}"] = deep(DEEP_LEVELS, {"type": "integer"})
    second = copy.deepcopy(first)
    changed = second["components"]["schemas"]
    changed["Deep0"] = deep(DEEP_LEVELS, {"type": "string"})
    for index, (_name, schema) in enumerate(sorted(changed.items())):
        properties = schema.get("properties") or {}
        scalars = [key for key, value in properties.items() if "type" in value]
        if not scalars or index % 4:
            continue
        first_scalar, last_scalar = scalars[0], scalars[-1]
        match index % 16:
            case 0:
                del properties[last_scalar]  # removed
            case 4:
                properties[first_scalar] = {**properties[first_scalar], "type": "boolean"}
            case 8:
                schema["required"] = sorted({*schema.get("required", []), first_scalar})
                properties["addedNote"] = {"type": "string", "maxLength": 20}
            case 12:
                properties[last_scalar] = {**properties[last_scalar], "maxLength": 3}
        if "enum" in properties.get(first_scalar, {}) and index % 8 == 0:
            properties[first_scalar]["enum"] = properties[first_scalar]["enum"][1:] + ["new"]
    for index, (_path, item) in enumerate(sorted(second["paths"].items())):
        operations = [key for key in item if key in ("get", "post", "put", "patch", "delete")]
        if index % 10 == 0 and len(operations) > 1:
            del item[operations[-1]]
        elif index % 10 == 5 and operations:
            operation = item[operations[0]]
            required = {
                "name": "tenant",
                "in": "query",
                "required": True,
                "schema": {"type": "string"},
            }
            operation["parameters"] = [*operation.get("parameters", []), required]
    operations = sum(1 for item in first["paths"].values() for key in item if key != "parameters")
    data = json.dumps(first).encode(), json.dumps(second).encode()
    print(
        f"Spec: {len(data[0]) / 2**20:.2f} MiB, {operations} operations, "
        f"{len(schemas)} schemas ({DEEP_SCHEMAS} of them {DEEP_LEVELS} levels deep, some in cycles)"
    )
    return data


def prepare() -> str:
    """A connector whose version 1.0.0 (published) and 2.0.0 are the two documents."""
    from dashboard.connect import get_client

    api = get_client()
    first, second = documents()
    connector = api.imports.create(first, "spec.json", timeout=300).connector
    [version] = api.connectors.get(connector.id).versions
    api.versions.publish(connector.id, version.name)
    api.imports.create_version(connector.id, "2.0.0", second, "spec.json", timeout=300)
    return connector.id


def measure(connector_id: str, runs: int):
    from django.core.cache import cache

    from dashboard.connect import get_client
    from dashboard.openapi.breaking import classify
    from dashboard.versions.contents import load_contents

    api = get_client()
    old, new = sorted(api.connectors.get(connector_id).versions, key=lambda v: v.created_at)
    fetched = {}

    def fetch() -> None:
        cache.clear()
        fetched["old"] = load_contents(api, connector_id, old)
        fetched["new"] = load_contents(api, connector_id, new)

    def classification() -> None:
        fetched["report"] = classify(fetched["old"].snapshot(), fetched["new"].snapshot())

    samples: dict[str, list[float]] = {"fetch": [], "classify": []}
    for _ in range(runs):
        for name, run in (("fetch", fetch), ("classify", classification)):
            started = time.perf_counter()
            run()
            samples[name].append(time.perf_counter() - started)
    return samples, fetched["report"]


if __name__ == "__main__":
    main()
