"""Hostile documents every surface must refuse cleanly: (id, bytes, code, pointer).

Each is valid-looking OpenAPI with one poisoned value; the importer, the embedded API's import
and the dashboard's preview all refuse it with the same code and message, naming where it is.
"""

from __future__ import annotations

from hypothesis import strategies as st

from tests.openapi.support import document, operation

LONG_INTEGER = "9" * 4301  # one digit past Python's int-parsing limit


def _json(text: str) -> bytes:
    return text.encode()


def _with(
    title: str = '"Pets"', server: str = '"https://pets.example.com"', extra: str = ""
) -> bytes:
    return _json(
        f'{{"openapi": "3.1.0", "info": {{"title": {title}, "version": "1"}}, '
        f'"servers": [{{"url": {server}}}], "paths": {{}}{extra}}}'
    )


HOSTILE = [
    ("long integer", _with(extra=f', "x-count": {LONG_INTEGER}'), "unsupported_number", "/x-count"),
    (
        "long negative integer in a schema",
        _with(extra=f', "components": {{"schemas": {{"N": {{"maximum": -{LONG_INTEGER}}}}}}}'),
        "unsupported_number",
        "/components/schemas/N/maximum",
    ),
    ("NaN", _with(extra=', "x-n": NaN'), "unsupported_number", "/x-n"),
    ("infinite float", _with(extra=', "x-n": 1e999'), "unsupported_number", "/x-n"),
    ("surrogate in the title", _with(title=r'"\ud800"'), "invalid_text", "/info/title"),
    (
        "surrogate in the server URL",
        _with(server=r'"https://\udfff.example"'),
        "invalid_text",
        "/servers/0/url",
    ),
    (
        "surrogate in externalDocs.url",
        _with(extra=r', "externalDocs": {"url": "https://docs.example/\ud800"}'),
        "invalid_text",
        "/externalDocs/url",
    ),
    ("surrogate in a key", _with(extra=r', "x-\udc00": 1'), "invalid_text", ""),
    ("NUL in the title", _with(title=r'"Pets\u0000"'), "invalid_text", "/info/title"),
    (
        "YAML long integer",
        f"openapi: 3.1.0\nx-count: {LONG_INTEGER}\n".encode(),
        "unsupported_number",
        None,
    ),
    ("YAML infinity", b"openapi: 3.1.0\nx-n: .inf\n", "unsupported_number", None),
    (
        "YAML NUL",
        b'openapi: 3.1.0\ninfo: {title: "a\\0b", version: "1"}\npaths: {}\n',
        "invalid_text",
        "/info/title",
    ),
]
HOSTILE_IDS = [case[0] for case in HOSTILE]

# Valid OpenAPI that maps to something the Connect API could not store: refused by the importer
# itself, so the preview refuses it too.
UNSTORABLE_PATH = document(paths={"/" + "segment/" * 300: {"get": operation()}})


# JSON text of a value, written by hand: Python cannot even print a 5,000-digit integer.
NUMBER_TEXTS = st.one_of(
    st.builds(
        lambda sign, digits: sign + "9" * digits, st.sampled_from(["", "-"]), st.integers(1, 6000)
    ),
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1.5e308", "0.0"]),
)
STRING_TEXTS = st.lists(st.integers(0, 0xFFFF), max_size=6).map(
    lambda units: '"' + "".join(f"\\u{unit:04x}" for unit in units) + '"'
)
