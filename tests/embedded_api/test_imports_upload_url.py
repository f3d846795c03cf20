"""GetProtocolUploadURL: a one-time URL, valid 5 minutes, to PUT a document to and then
import it by URL. The import reads the upload from the database: it never fetches our own
URL, so it works with loopback fetches forbidden (as in production)."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from django.utils import timezone

from dashboard.embedded_api.models import Upload
from tests.bench.specgen import generate, render
from tests.embedded_api.imports_support import API_ROOT, FORMAT, encode, pet_store, stored_counts
from tests.in_process import BASE_URL, in_process_client


@pytest.fixture(autouse=True)
def public_url(request, settings):
    """Upload URLs point at the API (the live server when the test has one), as
    EMBEDDED_API_PUBLIC_URL would in production; fetching loopback stays forbidden."""
    server = (
        request.getfixturevalue("live_server") if "live_server" in request.fixturenames else None
    )
    settings.EMBEDDED_API_PUBLIC_URL = (server.url if server else BASE_URL) + API_ROOT
    settings.OUTBOUND_ALLOW_LOOPBACK = False


def signed_url(api, **params) -> dict:
    response = api.get(f"{api.o}/protocols/http/upload-url", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def put(url: str, content: bytes, **headers) -> httpx.Response:
    """PUT as a storage client would: no API key, the URL is the credential."""
    with in_process_client() as storage:
        return storage.put(url, content=content, headers=headers)


def uploaded(api, content: bytes | None = None) -> str:
    """The `url` of an upload URL the pet store document (or `content`) was put to."""
    urls = signed_url(api)
    assert put(urls["uploadUrl"], content or encode(pet_store())).status_code == 200
    return urls["url"]


def import_by_url(api, url: str) -> httpx.Response:
    return api.post(f"{api.o}/protocols/http/import", json={"schemaURL": url, **FORMAT})


def test_a_document_put_to_the_upload_url_is_imported_by_its_url(api):
    urls = signed_url(api)
    assert urls["uploadUrl"] == urls["url"]
    assert urls["url"].startswith(f"{BASE_URL}{API_ROOT}/uploads/")

    assert put(urls["uploadUrl"], encode(pet_store())).status_code == 200
    response = import_by_url(api, urls["url"])

    assert response.status_code == 201, response.text
    assert response.json()["connector"]["name"] == "Pet Store"


def test_an_upload_url_serves_one_import_only(api):
    urls = signed_url(api)
    put(urls["uploadUrl"], encode(pet_store()))
    assert import_by_url(api, urls["url"]).status_code == 201

    again = import_by_url(api, urls["url"])

    assert again.status_code == 400
    assert again.json()["code"] == "upload_not_found"
    assert stored_counts(api.org)["connectors"] == 1


def test_a_failed_import_leaves_the_upload_usable_for_the_next(api):
    connector = import_by_url(api, uploaded(api)).json()["connector"]
    url = uploaded(api)
    path = f"{api.o}/connector/{connector['id']}/http/import"

    refused = api.post(path, json={"schemaURL": url, "version": "latest", **FORMAT})
    accepted = api.post(path, json={"schemaURL": url, "version": "2.0.0", **FORMAT})

    assert refused.status_code == 409
    assert accepted.status_code == 201, accepted.text
    assert [a["name"] for a in accepted.json()["actions"]] == ["getPet"]


def test_the_url_takes_one_upload(api):
    urls = signed_url(api)
    assert put(urls["uploadUrl"], encode(pet_store())).status_code == 200

    second = put(urls["uploadUrl"], b"openapi: 3.1.0")

    assert second.status_code == 409
    assert import_by_url(api, urls["url"]).json()["connector"]["name"] == "Pet Store"


def test_an_upload_url_expires_after_five_minutes(api, time_machine):
    issued = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    time_machine.move_to(issued, tick=False)
    urls = signed_url(api)
    assert Upload.objects.get().expires_at == issued + timedelta(minutes=5)

    time_machine.shift(timedelta(minutes=5, seconds=1))

    assert put(urls["uploadUrl"], encode(pet_store())).status_code == 404


def test_an_expired_upload_cannot_be_imported(api):
    urls = signed_url(api)
    put(urls["uploadUrl"], encode(pet_store()))
    Upload.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = import_by_url(api, urls["url"])

    assert response.status_code == 400
    assert response.json()["code"] == "upload_not_found"


def test_an_upload_url_without_a_document_cannot_be_imported(api):
    response = import_by_url(api, signed_url(api)["url"])

    assert response.json()["code"] == "upload_not_found"


def test_another_organisation_cannot_import_the_upload(api, other_api):
    urls = signed_url(api)
    put(urls["uploadUrl"], encode(pet_store()))

    response = import_by_url(other_api, urls["url"])

    assert response.json()["code"] == "upload_not_found"
    assert import_by_url(api, urls["url"]).status_code == 201


def test_an_unknown_token_is_not_found_and_never_fetched(api):
    urls = signed_url(api)
    forged = urls["url"].rsplit("/", 1)[0] + "/not-a-token"

    assert put(forged, b"x").status_code == 404
    assert import_by_url(api, forged).json()["code"] == "upload_not_found"


def test_only_the_token_hash_is_stored(api):
    urls = signed_url(api)
    token = urls["url"].rsplit("/", 1)[1]

    assert len(token) >= 43
    assert not Upload.objects.filter(token_hash=token).exists()
    assert Upload.objects.get().token_hash != token


def test_an_announced_length_and_type_must_be_respected(api):
    content = encode(pet_store())
    urls = signed_url(api, content_length=len(content), content_type="application/json")

    assert (
        put(urls["uploadUrl"], content + b" ", **{"Content-Type": "application/json"}).status_code
        == 400
    )
    assert put(urls["uploadUrl"], content, **{"Content-Type": "text/plain"}).status_code == 400
    assert (
        put(urls["uploadUrl"], content, **{"Content-Type": "application/json"}).status_code == 200
    )


def test_an_upload_over_the_size_limit_is_refused(api, settings):
    settings.OPENAPI_MAX_BYTES = 1000
    urls = signed_url(api)

    assert put(urls["uploadUrl"], b"x" * 1001).status_code == 413
    assert (
        api.get(f"{api.o}/protocols/http/upload-url", params={"content_length": 1001}).status_code
        == 400
    )


def test_an_upload_must_not_be_empty(api):
    assert put(signed_url(api)["uploadUrl"], b"").status_code == 400


def test_only_put_uploads(api):
    with in_process_client() as storage:
        response = storage.post(signed_url(api)["uploadUrl"], content=b"x")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_upload_urls_exist_for_importable_protocols_only(api):
    assert api.get(f"{api.o}/protocols/bigquery/upload-url").status_code == 400
    assert api.get(f"{api.o}/protocols/soap/upload-url").status_code == 404


def test_asking_for_a_url_clears_expired_uploads(api):
    signed_url(api)
    Upload.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    signed_url(api)

    assert Upload.objects.count() == 1


def test_an_upload_url_needs_an_api_key(anonymous_api):
    assert anonymous_api.get(f"{anonymous_api.o}/protocols/http/upload-url").status_code == 401


def test_a_large_document_goes_through_an_upload_url_whole(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2**20  # the PUT must not depend on Django buffering it
    large = render(generate(version="3.0", size="large"), "json")
    assert len(large) > 2 * 2**20

    response = import_by_url(api, uploaded(api, large))

    assert response.status_code == 201, response.text
    assert len(response.json()["actions"]) == 270


@pytest.mark.concurrent_writers
def test_two_imports_racing_for_one_upload_make_one_connector(api, concurrent_writers):
    url = uploaded(api)
    headers = {"Authorization": api.headers["Authorization"]}
    path = str(api.base_url).rstrip("/") + f"{api.o}/protocols/http/import"

    def attempt(_):
        return httpx.post(path, json={"schemaURL": url, **FORMAT}, headers=headers, timeout=30)

    with ThreadPoolExecutor(max_workers=2) as pool:
        responses = list(pool.map(attempt, range(2)))

    won = [r for r in responses if r.status_code == 201]
    lost = [r.json()["code"] for r in responses if r.status_code != 201]
    assert len(won) == 1
    # The loser found the upload used up (PostgreSQL: it waited for the winner's commit), or
    # the database busy with the winner (SQLite's shared in-memory test database).
    assert lost in (["upload_not_found"], ["unavailable"])
    assert stored_counts(api.org)["connectors"] == 1
    assert import_by_url(api, url).json()["code"] == "upload_not_found"
