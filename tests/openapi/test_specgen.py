"""The benchmark's spec generator: deterministic, large enough, valid and varied."""

import pytest
from openapi_spec_validator import validate

from tests.bench.specgen import generate, render


def test_the_same_seed_gives_the_same_bytes_and_another_seed_does_not():
    assert render(generate(seed=4, size="medium"), "yaml") == render(
        generate(seed=4, size="medium"), "yaml"
    )
    assert render(generate(seed=4, size="medium"), "json") != render(
        generate(seed=5, size="medium"), "json"
    )


@pytest.mark.parametrize("version", ["3.0", "3.1"])
@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_the_large_setting_is_over_2_mb_with_over_200_operations(version, fmt):
    doc = generate(version=version, size="large")
    operations = sum(1 for item in doc["paths"].values() for key in item if key != "parameters")
    assert len(render(doc, fmt)) > 2 * 1024 * 1024
    assert operations >= 200
    assert len(doc["components"]["schemas"]) >= 300


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_generated_documents_are_valid_openapi_with_refs_enums_and_events(version):
    doc = generate(version=version, size="medium")
    validate(doc)
    text = render(doc, "json").decode()
    assert doc["openapi"].startswith(version)
    assert '"enum"' in text and '"$ref": "#/components/schemas/Category"' in text
    assert ("webhooks" in doc) == (version == "3.1")
    assert '"callbacks"' in text
