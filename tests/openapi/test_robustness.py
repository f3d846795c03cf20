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
from tests.openapi.hostile import HOSTILE, HOSTILE_IDS, NUMBER_TEXTS, STRING_TEXTS, UNSTORABLE_PATH


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


@pytest.mark.parametrize(("name", "data", "code", "where"), HOSTILE, ids=HOSTILE_IDS)
def test_a_hostile_value_is_refused_with_its_code_and_where_it_is(name, data, code, where):
    with pytest.raises(ImportFailure) as refused:
        import_openapi(data)

    assert refused.value.code == code
    if where is not None:  # JSON names a pointer; YAML a line and column
        assert refused.value.messages[0].detail == (where,)
    else:
        assert "line 2" in refused.value.messages[0].text


def test_a_path_longer_than_an_action_may_hold_is_refused_by_the_importer():
    with pytest.raises(ImportFailure) as refused:
        import_openapi(json.dumps(UNSTORABLE_PATH).encode())

    assert refused.value.code == "not_importable"
    assert refused.value.messages[0].detail[0].startswith("/paths/~1segment~1")


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["title", "server", "docs", "extension"]), st.one_of(NUMBER_TEXTS, STRING_TEXTS)
)
def test_any_value_anywhere_is_imported_or_refused_cleanly(place, value):
    """A poisoned value in the connector's fields or an extension: a result whose text can
    be stored and shown, or an ImportFailure; never another exception (a 500)."""
    fields = {
        "title": '"Pets"',
        "server": '"https://pets.example.com"',
        "docs": '"https://d.example"',
    }
    extension = value if place == "extension" else "1"
    fields[place] = value
    data = (
        f'{{"openapi": "3.1.0", "info": {{"title": {fields["title"]}, "version": "1"}}, '
        f'"servers": [{{"url": {fields["server"]}}}], "externalDocs": {{"url": {fields["docs"]}}}, '
        f'"x-value": {extension}, "paths": {{}}}}'
    ).encode()
    try:
        result = import_openapi(data)
    except ImportFailure as failure:
        assert failure.code and failure.message
    else:
        for text in result.connector.to_dict().values():
            assert "\x00" not in text
            text.encode("utf-8")  # no lone surrogate: a page can show it


def test_a_valid_pair_of_surrogate_escapes_is_text_and_imports():
    title = '"Pets \\ud83d\\udc36"'
    data = f'{{"openapi": "3.1.0", "info": {{"title": {title}, "version": "1"}}, "paths": {{}}}}'

    assert import_openapi(data.encode()).connector.name == "Pets 🐶"
