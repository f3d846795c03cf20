"""A new version's import preview: what it would change for callers of the latest published
version, before anything is created, and the version name it suggests."""

import pytest

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


def preview(publisher, connector, document: bytes, version: str = "1.1.0") -> str:
    url = f"/connectors/{connector.id}/import/"
    return publisher.post(url, {"version": version, "file": upload(document)}).content.decode()


def test_the_preview_flags_breaking_changes_against_the_latest_and_creates_nothing(
    api, publisher, published
):
    html = preview(publisher, published, V2)

    assert "Against version 1.0.0, the latest published: 1 breaking" in html
    assert "1 breaking change:</strong> integrations that work with 1.0.0 may fail" in html
    assert "Action <code>getPet</code>: required query parameter “store” added" in html
    assert "Definition <code>Pet</code>: optional property “tag” added" in html
    # The links go to the published version only: the new one does not exist yet.
    assert f'href="/connectors/{published.id}/versions/1.0.0/actions/getPet/">in 1.0.0</a>)' in html
    assert [v.name for v in api.connectors.get(published.id).versions] == ["1.0.0"]


def test_the_preview_suggests_the_next_major_version_for_breaking_changes(publisher, published):
    html = preview(publisher, published, V2)

    assert (
        "Suggested version name: <strong>2.0.0</strong> (a major version); you chose 1.1.0." in html
    )


def test_the_same_document_again_changes_nothing_and_suggests_a_patch(publisher, published):
    """The importer's result and the API's copy of the same document compare equal."""
    html = preview(publisher, published, V1, version="1.0.1")

    assert "0 breaking, 0 possibly breaking, 0 compatible" in html
    assert "It has the same actions, triggers and definitions as 1.0.0." in html
    assert "Suggested version name: <strong>1.0.1</strong> (a patch version)." in html


def test_with_nothing_published_the_preview_compares_with_nothing(api, publisher):
    connector = make_connector(api, "Fresh")

    html = preview(publisher, connector, V1)

    assert "the latest published" not in html
