"""Whatever a valid-looking document's references point at, the importer answers with a
result or an ImportFailure, never another exception (which would be a 500)."""

import copy
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.openapi import ImportFailure, import_openapi
from dashboard.openapi.messages import pointer
from tests.bench.specgen import generate


def places(node, path=()):
    """Every (path, node) in the document."""
    yield path, node
    children = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, child in children:
        yield from places(child, (*path, key))


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_references_retargeted_at_random_never_crash_the_importer(version):
    original = generate(version=version, size="small", seed=11)
    rng = random.Random(version)
    outcomes = {"imported": 0, "refused": 0}
    for _ in range(150):
        doc = copy.deepcopy(original)
        everything = list(places(doc))
        targets = [pointer(*path) for path, _ in everything]
        references = [node for _, node in everything if isinstance(node, dict) and "$ref" in node]
        for reference in rng.sample(references, k=3):
            reference["$ref"] = "#" + rng.choice(targets)
        try:
            import_openapi(json.dumps(doc).encode())
            outcomes["imported"] += 1
        except ImportFailure as failure:
            assert failure.code in {"unresolvable_ref", "invalid_openapi"}, failure.to_dict()
            outcomes["refused"] += 1
    assert outcomes["imported"] and outcomes["refused"]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_arbitrary_bytes_are_parsed_or_refused_cleanly(data):
    try:
        assert isinstance(import_openapi(data).messages, list)
    except ImportFailure as failure:
        assert failure.code and failure.message


YAMLISH = st.text(alphabet=" \n-:?[]{},&*!|>'\"#%@`abc01<.", max_size=200)


@settings(max_examples=300, deadline=None)
@given(YAMLISH)
def test_yaml_punctuation_soup_is_parsed_or_refused_cleanly(text):
    try:
        import_openapi(("openapi: 3.1.0\n" + text).encode())
    except ImportFailure as failure:
        assert failure.code and failure.message
