"""Bytes to a document: formats, encodings and every limit on what we agree to read."""

import json
import tracemalloc

import pytest

from dashboard.openapi import DEFAULT_MAX_BYTES, ImportFailure, parse_document
from tests.deadline import ends_before
from tests.openapi.support import as_json, as_yaml, document

BILLION_LAUGHS = b"""\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def failure(data: bytes, **limits) -> ImportFailure:
    with pytest.raises(ImportFailure) as caught:
        parse_document(data, **limits)
    return caught.value


def test_it_reads_json():
    assert parse_document(as_json(document())) == document()


def test_it_reads_yaml():
    assert parse_document(as_yaml(document())) == document()


def test_a_document_starting_with_a_brace_is_json_even_if_yaml_could_read_it():
    error = failure(b"{openapi: 3.1.0, info: {title: T, version: '1'}, paths: {}}")
    assert error.code == "not_json_or_yaml"
    assert "not valid JSON" in error.message


def test_it_accepts_a_utf8_byte_order_mark():
    assert parse_document(b"\xef\xbb\xbf" + as_json(document()))["openapi"] == "3.1.0"


def test_it_keeps_non_ascii_text():
    doc = document(info={"title": "Café ☕ API", "version": "1"})
    assert parse_document(as_yaml(doc))["info"]["title"] == "Café ☕ API"


def test_it_reports_broken_json_with_its_position():
    error = failure(b'{"openapi": "3.1.0",\n "info": }')
    assert error.code == "not_json_or_yaml"
    assert "not valid JSON" in error.message and "line 2" in error.message


def test_it_reports_broken_yaml_with_its_position():
    error = failure(b"openapi: 3.1.0\ninfo:\n  title: [unclosed\n  version: 1\n")
    assert error.code == "not_json_or_yaml"
    assert "YAML" in error.message and "line" in error.message


@pytest.mark.parametrize(
    "data",
    [
        "openapi: 3.1.0".encode("utf-16"),
        b"openapi: 3.1.0\ninfo:\n  title: caf\xe9\n",
        b'{"openapi": "\xed\xa0\x80"}',  # an encoded surrogate is not UTF-8
    ],
    ids=["utf-16", "latin-1", "surrogate"],
)
def test_it_refuses_text_that_is_not_utf8(data):
    error = failure(data)
    assert error.code == "not_utf8"
    assert "offset" in error.message


@pytest.mark.parametrize("data", [b"", b"  \n\t\n"], ids=["empty", "blank"])
def test_it_refuses_an_empty_document(data):
    assert failure(data).code == "empty_document"


@pytest.mark.parametrize("data", [b"[1, 2]", b"just some words", b"42"])
def test_it_refuses_a_document_that_is_not_an_object(data):
    error = failure(data)
    assert error.code == "not_an_object"


def test_the_default_size_limit_is_20_mb():
    assert DEFAULT_MAX_BYTES == 20 * 1024 * 1024
    error = failure(b"x" * (DEFAULT_MAX_BYTES + 1))
    assert error.code == "too_large"
    assert "20.0 MB" in error.message


def test_it_refuses_a_document_over_a_configured_limit_before_reading_it():
    data = b"\xff not even utf-8 " + b"x" * 1000
    error = failure(data, max_bytes=1000)
    assert error.code == "too_large"


def test_a_document_exactly_at_the_limit_is_read():
    data = as_json(document())
    assert parse_document(data, max_bytes=len(data))["openapi"] == "3.1.0"


@pytest.mark.parametrize(
    "yaml_text",
    [
        "a: !!python/object/apply:os.system ['echo pwned']",
        "a: !!python/name:os.system",
        "a: !!python/object:collections.OrderedDict {}",
        "a: !!binary aGVsbG8=",
        "a: !!set {x, y}",
        "a: !Ref Something",
        "!!python/object/new:dict {}",
    ],
)
def test_it_refuses_unsafe_or_non_json_yaml_tags(yaml_text):
    error = failure(yaml_text.encode())
    assert error.code == "unsafe_yaml"
    assert "not allowed" in error.messages[0].text


def test_it_honours_yaml_core_tags():
    assert parse_document(b"a: !!str 123\nb: !!int '5'\nc: !!float 1\nd: !!null ''") == {
        "a": "123",
        "b": 5,
        "c": 1.0,
        "d": None,
    }


def test_it_refuses_a_billion_laughs_bomb_fast_and_in_little_memory():
    assert len(BILLION_LAUGHS) < 1024
    tracemalloc.start()
    with ends_before(10, "expanding the bomb would take far longer"):
        error = failure(BILLION_LAUGHS)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert error.code == "too_many_aliases"
    assert peak < 5 * 1024 * 1024


def test_the_alias_budget_is_configurable():
    yaml_text = b"a: &a [1, 2, 3, 4]\nb: [*a, *a, *a]\n"  # each alias adds 5 nodes
    assert parse_document(yaml_text, max_alias_nodes=15)["b"][2] == [1, 2, 3, 4]
    assert failure(yaml_text, max_alias_nodes=14).code == "too_many_aliases"


def test_it_refuses_a_recursive_alias():
    assert failure(b"a: &a [1, *a]").code == "too_many_aliases"
    assert "recursive alias" in failure(b"a: &a {b: *a}").messages[0].text


def test_ordinary_anchors_and_aliases_are_shared_not_copied():
    doc = parse_document(b"ok: &ok {description: OK}\nx: *ok\ny: *ok\n")
    assert doc["x"] == {"description": "OK"}
    assert doc["x"] is doc["y"]


def test_it_supports_yaml_merge_keys_with_explicit_keys_winning():
    doc = parse_document(b"base: &base {a: 1, b: 2}\nthing:\n  <<: *base\n  b: 3\n")
    assert doc["thing"] == {"a": 1, "b": 3}


def test_a_quoted_merge_key_is_an_ordinary_key():
    assert parse_document(b"'<<': literal") == {"<<": "literal"}


def test_yaml_dates_stay_strings_and_mapping_keys_keep_their_text():
    doc = parse_document(b"version: 2024-06-01\nresponses:\n  200: {description: OK}\n  1e3: x\n")
    assert doc == {"version": "2024-06-01", "responses": {"200": {"description": "OK"}, "1e3": "x"}}


def test_yaml_scalars_are_typed_as_yaml_1_1_says():
    doc = parse_document(b"a: [yes, no, on, 0x10, 1_000, 1.5, ~, null, '1', =]")
    assert doc["a"] == [True, False, True, 16, 1000, 1.5, None, None, "1", "="]


def test_it_refuses_several_yaml_documents_in_one_stream():
    assert failure(b"a: 1\n---\nb: 2\n").code == "not_json_or_yaml"


def test_it_refuses_mapping_keys_that_are_not_scalars():
    assert failure(b"? [a, b]\n: c\n").code == "not_json_or_yaml"


def test_it_refuses_an_unknown_alias():
    assert "unknown alias" in failure(b"a: *nowhere").messages[0].text


def nested_json(depth: int) -> bytes:
    return ('{"a":' * depth + "1" + "}" * depth).encode()


@pytest.mark.parametrize(
    "data",
    [
        nested_json(129),
        ("[" * 129 + "]" * 129).encode(),
        "".join(f"{'  ' * i}a:\n" for i in range(129)).encode() + b"  " * 129 + b"b: 1\n",
        b"- " * 129 + b"x",
    ],
    ids=["json", "yaml-flow", "yaml-block", "yaml-compact"],
)
def test_it_refuses_a_document_nested_deeper_than_the_default_limit(data):
    assert failure(data).code == "too_deep"


def test_the_default_depth_limit_leaves_room_for_real_documents():
    assert parse_document(nested_json(127))["a"]["a"]["a"]


def test_the_depth_limit_counts_through_aliases():
    yaml_text = b"deep: &d {a: {b: {c: 1}}}\nx: {y: {z: *d}}\n"
    assert parse_document(yaml_text, max_depth=6)["x"]["y"]["z"]["a"]["b"]["c"] == 1
    assert failure(yaml_text, max_depth=5).code == "too_deep"


@pytest.mark.parametrize(
    "data",
    [b"[" * 1_000_000, b"x: " + b"[" * 1_000_000, b"x: " + b"{a: " * 1_000_000, b"- " * 1_000_000],
    ids=["json", "yaml-flow-sequences", "yaml-flow-mappings", "yaml-compact-sequences"],
)
def test_it_refuses_pathological_nesting_fast_without_crashing(data):
    with ends_before(10, "descending a million levels would take far longer"):
        assert failure(data).code == "too_deep"


def test_json_and_yaml_of_the_same_document_read_the_same():
    doc = document(paths={"/pets": {"get": {"responses": {"200": {"description": "OK"}}}}})
    assert parse_document(as_json(doc)) == parse_document(as_yaml(doc)) == json.loads(as_json(doc))
