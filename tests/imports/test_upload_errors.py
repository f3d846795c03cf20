"""Every reason an upload is refused, shown next to the upload (with JSON pointers where the
document says where), the form keeping everything else the user typed."""

import json

import pytest

from dashboard.connect import BadRequest
from dashboard.openapi.messages import readable
from tests.connect.fault_server import FaultServer, raw
from tests.html import field_value, one, parse, text, texts
from tests.imports.conftest import PETSTORE, htmx, make_connector, upload
from tests.openapi.hostile import HOSTILE, HOSTILE_IDS, UNSTORABLE_PATH
from tests.openapi.support import document

SCRIPT_URLS = document(
    servers=[{"url": "javascript:alert(1)"}], externalDocs={"url": "data:text/html,<b>"}
)

pytestmark = pytest.mark.django_db

NEW = "/connectors/new/import/"


def file_errors(page) -> str:
    """The error list under the file field."""
    return text(one(page, "#id_file_error"))


def url_errors(page) -> str:
    return text(one(page, "#id_url_error"))


def messages(page) -> list[str]:
    """The texts of the importer's messages the page lists."""
    return texts(page, ".import-message__text")


def refused(response):
    assert response.status_code == 422
    page = parse(response)
    assert "Import" not in texts(page, "button")  # nothing to import
    return page


def test_a_file_that_is_neither_json_nor_yaml_is_refused_with_where_it_fails(publisher):
    page = refused(publisher.post(NEW, {"file": upload(b"openapi: [1, 2\nx: {", "spec.yaml")}))

    assert "YAML" in file_errors(page)
    assert "line 2" in file_errors(page)


def test_a_binary_file_is_refused(publisher):
    page = refused(publisher.post(NEW, {"file": upload(b"\x89PNG\r\n\x1a\n\x00\xff", "logo.png")}))

    assert "UTF-8" in file_errors(page)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(publisher, settings):
    settings.OPENAPI_MAX_BYTES = 1000
    page = refused(publisher.post(NEW, {"file": upload(PETSTORE.ljust(2048))}))

    # The sizes keep their no-break spaces (text() would read them as plain ones).
    assert one(page, "#id_file_error li").get_text() == (
        "This file is 2.0\xa0KB; the largest document Patchbay imports is 1000\xa0bytes."
    )


def test_a_swagger_2_document_is_refused_with_advice(publisher):
    swagger = b'{"swagger": "2.0", "info": {"title": "Old", "version": "1"}, "paths": {}}'
    page = refused(publisher.post(NEW, {"file": upload(swagger, "old.json")}))

    assert "Swagger 2.0" in file_errors(page)
    assert "OpenAPI 3" in file_errors(page)


def test_an_invalid_document_lists_each_problem_with_where_it_is(publisher):
    invalid = PETSTORE.replace(b"description: A pet", b"descripton: A pet")
    page = refused(publisher.post(NEW, {"file": upload(invalid)}))

    assert "The document is not valid OpenAPI 3.0" in file_errors(page)
    assert "error" in texts(page, ".import-message .severity--error")
    assert any('"description" is a required property' in t for t in messages(page))
    where = "paths › /pets/{id} › get › responses › 200"  # the pointer, in words
    assert where in texts(page, "code.import-message__pointer")
    assert "~1" not in text(page)


def test_a_reference_that_points_nowhere_is_refused_with_its_pointer(publisher):
    broken = PETSTORE.replace(
        b'{$ref: "#/components/schemas/Pet"}}}', b'{$ref: "#/components/schemas/Nope"}}}'
    )
    page = refused(publisher.post(NEW, {"file": upload(broken)}))

    assert any("#/components/schemas/Nope" in t for t in messages(page))
    assert page.select("code.import-message__pointer")


def test_no_document_at_all_asks_for_one(publisher):
    page = refused(publisher.post(NEW, {}))

    assert "Choose an OpenAPI document, drop one here, or give its URL." in file_errors(page)


def test_a_file_and_a_url_together_are_refused(publisher):
    page = refused(publisher.post(NEW, {"file": upload(), "url": "https://example.com/a.json"}))

    assert "Give a file or a URL, not both." in texts(page, ".form-errors p")
    assert field_value(page, "url") == "https://example.com/a.json"


def test_a_malformed_url_is_refused_and_kept(publisher):
    page = refused(publisher.post(NEW, {"url": "not a url"}))

    assert "Enter a full web address starting with https:// or http://" in url_errors(page)
    assert field_value(page, "url") == "not a url"


def test_a_url_to_a_private_address_is_refused(publisher, settings):
    settings.OUTBOUND_ALLOW_LOOPBACK = False
    page = refused(publisher.post(NEW, {"url": "http://127.0.0.1:9/openapi.json"}))

    assert "127.0.0.1" in url_errors(page) or "not allowed" in url_errors(page)
    assert field_value(page, "url") == "http://127.0.0.1:9/openapi.json"


@pytest.mark.parametrize(
    "url",
    [
        "http://[::127.0.0.1]:9/spec",
        "http://[::ffff:0:127.0.0.1]:9/spec",
        "http://[fec0::1]:9/spec",
    ],
)
def test_a_url_to_an_ipv6_form_of_a_private_address_is_refused(publisher, settings, url):
    settings.OUTBOUND_ALLOW_LOOPBACK = False  # refused before any connection is tried

    page = refused(publisher.post(NEW, {"url": url}))

    assert "not a public address" in url_errors(page)


def test_a_url_that_answers_with_an_error_is_refused(publisher, settings):
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    with FaultServer() as server:
        server.default = raw(404, b"no such file")
        page = refused(publisher.post(NEW, {"url": f"{server.url}/missing.json"}))

    assert "404" in url_errors(page)


def test_a_url_to_something_other_than_a_spec_is_refused_next_to_the_url(publisher, settings):
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    with FaultServer() as server:
        server.default = raw(200, b"<html><body>Hello</body></html>", "text/html")
        page = refused(publisher.post(NEW, {"url": f"{server.url}/index.html"}))

    assert "not an object" in url_errors(page)


def test_a_version_name_is_required_and_checked(api, publisher):
    connector = make_connector(api)
    url = f"/connectors/{connector.id}/import/"

    for name, problem in [
        ("", "This field is required."),
        ("1.0 beta", "Use letters, digits, dots, dashes"),
        ("latest", "“latest” is reserved"),
    ]:
        page = refused(publisher.post(url, {"version": name, "file": upload()}))
        assert problem in text(one(page, "#id_version_error")), name


def test_a_version_name_the_connector_already_has_is_refused_before_importing(api, publisher):
    connector = make_connector(api)
    api.versions.create(connector.id, "1.0.0")

    url = f"/connectors/{connector.id}/import/"
    page = refused(publisher.post(url, {"version": "1.0.0", "file": upload()}))

    assert "This connector already has a version “1.0.0”" in text(one(page, "#id_version_error"))


def test_a_refused_htmx_preview_is_a_form_re_render(publisher):
    response = publisher.post(NEW, {"file": upload(b"[]", "x.json")}, headers=htmx("spec-upload"))

    assert response.status_code == 422  # static/js/patchbay.js swaps it like a 200
    top = parse(response).find_all(recursive=False)
    assert [(node.name, node.get("id")) for node in top] == [("section", "spec-upload")]
    assert texts(parse(response), "#id_file_error li")


def test_a_refused_file_after_a_good_preview_offers_no_import(publisher):
    token = field_value(parse(publisher.post(NEW, {"file": upload()})), "upload")

    page = refused(publisher.post(NEW, {"file": upload(b"[]", "x.json"), "upload": token}))

    assert token  # a kept upload was offered...
    # ...but the refused file is what the page is about
    assert text(one(page, "[data-chosen-file]")) == ""


@pytest.mark.parametrize(
    ("document", "says"),
    [
        (b"   \n", "empty"),
        (b"openapi: 3.1.0\ninfo: !!python/object:os.system {}\npaths: {}\n", "tag"),
        (b"openapi: 3.2.0\ninfo: {title: New, version: '1'}\npaths: {}\n", "3.2"),
        (b"openapi: 3.1.0\ninfo: {title: Bare, version: '1'}\n", "paths"),
        (b"- openapi: 3.1.0\n", "not an object"),
    ],
    ids=["empty", "unsafe YAML", "OpenAPI 3.2", "no paths", "a list"],
)
def test_every_reason_the_importer_gives_is_shown_next_to_the_upload(publisher, document, says):
    page = refused(publisher.post(NEW, {"file": upload(document, "spec.yaml")}))

    assert says in file_errors(page)


def test_a_document_at_a_url_over_the_size_limit_is_refused_next_to_the_url(publisher, settings):
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    settings.OPENAPI_MAX_BYTES = 1000
    with FaultServer() as server:
        server.default = raw(200, PETSTORE.ljust(5000), "application/yaml")
        page = refused(publisher.post(NEW, {"url": f"{server.url}/big.yaml"}))

    assert "The document is larger than the limit" in url_errors(page)


@pytest.mark.parametrize(("name", "data", "code", "where"), HOSTILE, ids=HOSTILE_IDS)
def test_a_hostile_value_is_refused_next_to_the_upload_with_where_it_is(
    publisher, name, data, code, where
):
    page = refused(publisher.post(NEW, {"file": upload(data, "spec.json")}))

    assert "cannot be imported" in file_errors(page) or "Unicode text" in file_errors(page)
    if where:
        assert readable(where) in texts(page, "code.import-message__pointer")


AGREEMENT_CASES = [(name, data) for name, data, *_ in HOSTILE] + [
    ("unstorable path", json.dumps(UNSTORABLE_PATH).encode()),
    ("script URLs", json.dumps(SCRIPT_URLS).encode()),
    ("long title", json.dumps(document(info={"title": "T" * 300, "version": "1"})).encode()),
]


@pytest.mark.parametrize(("name", "data"), AGREEMENT_CASES, ids=[c[0] for c in AGREEMENT_CASES])
def test_the_preview_refuses_exactly_what_the_import_refuses_with_the_same_message(
    api, publisher, name, data
):
    preview = publisher.post(NEW, {"file": upload(data, "spec.json")})
    try:
        made = api.imports.create(data, "spec.json")
    except BadRequest as refusal:
        assert " ".join(refusal.message.split()) in file_errors(refused(preview))
    else:
        assert preview.status_code == 200
        shown = messages(parse(preview))
        for message in made.messages:  # the summary in the future tense: nothing is made yet
            said = message.text.replace("Imported ", "Will import ", 1)
            assert " ".join(said.split()) in shown


def test_a_file_chosen_with_a_taken_version_name_is_kept_for_the_next_preview(api, publisher):
    connector = make_connector(api)
    api.versions.create(connector.id, "1.0")
    url = f"/connectors/{connector.id}/import/"

    page = refused(publisher.post(url, {"version": "1.0", "file": upload()}))

    assert "already has a version “1.0”" in text(one(page, "#id_version_error"))
    assert "Kept: petstore.yaml" in text(one(page, "[data-chosen-file]"))
    token = field_value(page, "upload")
    # Import needs a preview first, even with a good name...
    unchecked = publisher.post(f"{url}create/", {"version": "1.1", "upload": token})
    assert unchecked.status_code == 422
    assert [v.name for v in api.connectors.get(connector.id).versions] == ["1.0"]
    # ...which, with the name fixed, needs no new choice of the file.
    fixed = parse(publisher.post(url, {"version": "1.1", "upload": token}))
    assert text(one(fixed, ".import-preview"))
    assert "Previewed: petstore.yaml" in text(one(fixed, "[data-chosen-file]"))
