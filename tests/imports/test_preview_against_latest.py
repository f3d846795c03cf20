"""A new version's import preview: what it would change for callers of the latest published
version, before anything is created, and the version name it suggests."""

import pytest

from tests.html import one, parse, sentence, texts
from tests.imports.conftest import PETSTORE, make_connector, upload

pytestmark = pytest.mark.django_db

# The same API, version 1.0.0, as the latest published version of a connector.
V1 = PETSTORE.replace(b'version: "1.0"', b'version: "1.0.0"')
# One breaking change: getPet gains a required query parameter; and one addition.
V2 = V1.replace(
    b"parameters: [{name: id, in: path, required: true, schema: {type: string}}]",
    b"parameters: [{name: id, in: path, required: true, schema: {type: string}},"
    b" {name: store, in: query, required: true, schema: {type: string}}]",
).replace(
    b"properties: {id: {type: string}, name: {type: string}}",
    b"properties: {id: {type: string}, name: {type: string}, tag: {type: string}}",
)


@pytest.fixture
def published(api):
    """Pet Store, its version 1.0.0 imported from V1 and published."""
    made = api.imports.create(V1, "petstore.yaml").connector
    api.versions.publish(made.id, "1.0.0")
    return api.connectors.get(made.id)


def preview(publisher, connector, document: bytes, version: str = "1.1.0"):
    url = f"/connectors/{connector.id}/import/"
    return parse(publisher.post(url, {"version": version, "file": upload(document)}))


def section(page) -> list[str]:
    """The sentences of the preview's comparison with the latest published version."""
    return [sentence(node) for node in one(page, ".import-against-latest").select("h3, p")]


def findings(page) -> list[str]:
    return [sentence(node) for node in page.select(".import-against-latest .finding")]


def test_the_preview_flags_breaking_changes_against_the_latest_and_creates_nothing(
    api, publisher, published
):
    page = preview(publisher, published, V2)

    heading = sentence(one(page, "#against-latest-heading"))
    assert heading.startswith("Against version 1.0.0, the latest published: 1 breaking")
    warning = one(page, ".import-against-latest p.warning")
    assert texts(warning, "strong") == ["1 breaking change:"]
    assert "1 breaking change: integrations that work with 1.0.0 may fail" in sentence(warning)
    found = findings(page)
    assert any(f.startswith("Action getPet: required query parameter “store” added") for f in found)
    assert any(f.startswith("Definition Pet: optional property “tag” added") for f in found)
    assert "getPet" in texts(page, ".finding code") and "Pet" in texts(page, ".finding code")
    # The links go to the published version only: the new one does not exist yet.
    links = [(a["href"], sentence(a)) for a in page.select(".finding__links a")]
    assert (f"/connectors/{published.id}/versions/1.0.0/actions/getPet/", "in 1.0.0") in links
    assert all(word == "in 1.0.0" for _, word in links)
    assert [v.name for v in api.connectors.get(published.id).versions] == ["1.0.0"]


def test_the_preview_suggests_the_next_major_version_for_breaking_changes(publisher, published):
    page = preview(publisher, published, V2)

    suggested = "Suggested version name: 2.0.0 (a major version); you chose 1.1.0."
    assert suggested in section(page)
    assert "2.0.0" in texts(page, ".import-against-latest p > strong")


def test_the_same_document_again_changes_nothing_and_suggests_a_patch(publisher, published):
    """The importer's result and the API's copy of the same document compare equal."""
    page = preview(publisher, published, V1, version="1.0.1")

    said = section(page)
    assert said[0].endswith("0 breaking, 0 possibly breaking, 0 compatible")
    assert "It has the same actions, triggers and definitions as 1.0.0." in said
    assert "Suggested version name: 1.0.1 (a patch version)." in said
    assert "1.0.1" in texts(page, ".import-against-latest p > strong")


def test_with_nothing_published_the_preview_compares_with_nothing(api, publisher):
    connector = make_connector(api, "Fresh")

    page = preview(publisher, connector, V1)

    assert page.select(".import-against-latest") == []
    assert "the latest published" not in page.get_text()
