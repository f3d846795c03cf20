"""Import: the previewed document goes to the Connect API through the service layer; the
result page lists what was created; the audit log records who imported what."""

import json
import logging

import pytest
from django.contrib.auth import get_user_model

from dashboard.accounts.models import AuditEntry
from dashboard.imports import store
from dashboard.imports.views import EXPIRED, NAMESAKE, NOT_PREVIEWED
from tests.connect.fault_server import FaultServer, hang, raw, respond
from tests.html import field_value, hrefs, one, parse, text, texts
from tests.imports.conftest import AS_NEW_VERSION, PETSTORE, counts, htmx, make_connector, upload

pytestmark = pytest.mark.django_db

NEW = "/connectors/new/import/"
CREATE = "/connectors/new/import/create/"


def preview(client, path: str = NEW, **data) -> str:
    response = client.post(path, data)
    assert response.status_code == 200, response.text
    return field_value(parse(response), "upload")


def form_errors(page) -> list[str]:
    return texts(page, ".form-errors p")


def test_importing_a_previewed_upload_creates_the_connector_and_shows_the_result(api, publisher):
    token = preview(publisher, file=upload())

    response = publisher.post(CREATE, {"upload": token})

    assert response.status_code == 302
    [connector] = api.connectors.list().items
    assert connector.name == "Pet Store"
    assert response["Location"].startswith(f"/connectors/{connector.id}/import/")
    page = parse(publisher.get(response["Location"]))
    assert text(one(page, "#import-result-heading")) == "Connector imported"
    assert texts(page, ".import-result dl.facts dd")[0] == "petstore.yaml"  # From
    assert counts(page)["actions"] == "2 actions"
    assert counts(page)["auth-schemes"] == "1 auth scheme"
    # Its first version is named after info.version; its parts link to the version browser.
    assert f"/connectors/{connector.id}/versions/1.0/actions/getPet/" in hrefs(page)
    assert f"/connectors/{connector.id}/versions/1.0/definitions/Pet/" in hrefs(page)
    pointers = texts(page, "code.import-message__pointer")
    assert "paths › /pets › get › parameters › 0" in pointers
    assert texts(page, ".toast__message") == ["Connector “Pet Store” imported."]


def test_an_import_is_recorded_in_the_audit_log_for_its_user(api, publisher):
    publisher.post(CREATE, {"upload": preview(publisher, file=upload())})

    [connector] = api.connectors.list().items
    entry = AuditEntry.objects.get(action="import_http_connector")
    assert (entry.username, entry.outcome, entry.target_kind) == ("publisher", "ok", "connector")
    assert (entry.target_id, entry.target_name) == (connector.id, "Pet Store")


def test_an_htmx_import_redirects_to_the_result_page(api, publisher):
    token = preview(publisher, file=upload())

    response = publisher.post(CREATE, {"upload": token}, headers=htmx("spec-upload"))

    [connector] = api.connectors.list().items
    assert response["HX-Redirect"].startswith(f"/connectors/{connector.id}/import/")


def test_an_import_uses_up_the_kept_upload(api, publisher):
    token = preview(publisher, file=upload())
    publisher.post(CREATE, {"upload": token})

    again = publisher.post(CREATE, {"upload": token})

    assert again.status_code == 422
    assert EXPIRED in form_errors(parse(again))
    assert len(api.connectors.list().items) == 1


def test_a_document_previewed_from_a_url_is_imported_from_that_url(api, publisher, settings):
    settings.OUTBOUND_ALLOW_LOOPBACK = True
    with FaultServer() as server:
        server.default = raw(200, PETSTORE, "application/yaml")
        url = f"{server.url}/openapi.yaml"
        token = preview(publisher, url=url)

        response = publisher.post(CREATE, {"upload": token, "url": url})

        assert response.status_code == 302
        assert [r.path for r in server.received] == ["/openapi.yaml", "/openapi.yaml"]
    [connector] = api.connectors.list().items
    assert connector.base_url == "https://pets.example.com/v1"


def test_a_document_not_previewed_is_not_imported(api, publisher):
    token = preview(publisher, file=upload())

    other_file = publisher.post(CREATE, {"upload": token, "file": upload(name="other.yaml")})
    never = publisher.post(CREATE, {"file": upload()})

    for response in (other_file, never):
        assert response.status_code == 422
        assert NOT_PREVIEWED in form_errors(parse(response))
    assert api.connectors.list().items == []


def test_a_new_version_is_imported_into_its_connector(api, publisher):
    connector = make_connector(api, "Pets")
    url = f"/connectors/{connector.id}/import/"
    token = preview(publisher, url, version="2.0.0", file=upload())

    response = publisher.post(f"{url}create/", {"upload": token, "version": "2.0.0"})

    assert response.status_code == 302
    page = parse(publisher.get(response["Location"]))
    assert text(one(page, "#import-result-heading")) == "Version 2.0.0 imported"
    assert "auth-schemes" not in counts(page)
    assert any("differs from the connector" in m for m in texts(page, ".import-message__text"))
    assert [v.name for v in api.connectors.get(connector.id).versions] == ["2.0.0"]
    entry = AuditEntry.objects.get(action="import_http_connector_version")
    assert (entry.username, entry.target_kind, entry.target_name) == (
        "publisher",
        "version",
        "2.0.0",
    )


def test_a_version_name_taken_since_the_preview_is_shown_and_fixed_without_a_new_upload(
    api, publisher
):
    connector = make_connector(api, "Pets")
    url = f"/connectors/{connector.id}/import/"
    token = preview(publisher, url, version="2.0.0", file=upload())
    api.versions.create(connector.id, "2.0.0")  # someone else was quicker

    taken = publisher.post(f"{url}create/", {"upload": token, "version": "2.0.0"})

    assert taken.status_code == 422
    page = parse(taken)
    assert "already has a version “2.0.0”" in text(one(page, "#id_version_error"))
    assert field_value(page, "version") == "2.0.0"  # what was typed stays
    assert field_value(page, "upload") == token  # and so does the upload: Import works again
    assert "Import" in texts(page, "button")

    fixed = publisher.post(f"{url}create/", {"upload": token, "version": "2.0.1"})

    assert fixed.status_code == 302
    names = sorted(v.name for v in api.connectors.get(connector.id).versions)
    assert names == ["2.0.0", "2.0.1"]


def test_a_failing_connect_api_shows_an_error_panel_and_keeps_the_upload(
    publisher, start_fault_server
):
    token = preview(publisher, file=upload())
    with start_fault_server() as server:
        server.default = respond(503, {"code": "unavailable", "message": "Down for upgrade."})

        response = publisher.post(CREATE, {"upload": token}, headers=htmx("spec-upload"))

    assert response.status_code == 502
    assert response["HX-Retarget"] == "#spec-upload"  # static/js/patchbay.js swaps it in
    page = parse(response)
    panel = one(page, "section.error-panel")
    assert panel["role"] == "alert"
    assert text(one(panel, ".error-panel__message")) == "Down for upgrade."
    assert "Nothing was imported" in text(panel)
    assert field_value(page, "upload") == token
    assert "Import" in texts(page, "button")


def test_a_connect_api_too_slow_to_answer_says_the_import_may_have_happened(
    publisher, start_fault_server, monkeypatch
):
    monkeypatch.setattr("dashboard.imports.views.IMPORT_TIMEOUT", 0.5)
    token = preview(publisher, file=upload())
    with start_fault_server() as server:
        server.default = hang(5)

        response = publisher.post(CREATE, {"upload": token})

    assert response.status_code == 504
    page = parse(response)
    assert "The import may still have completed" in text(one(page, "section.error-panel"))
    assert page.select("html > body")  # a whole page for a request without htmx


def test_the_result_page_is_only_for_whoever_imported(api, publisher, client, make_user):
    location = publisher.post(CREATE, {"upload": preview(publisher, file=upload())})["Location"]

    client.force_login(make_user("publisher", "someone-else"))

    assert client.get(location).status_code == 404


def test_the_connect_apis_conflict_is_shown_next_to_the_version_name(
    api, publisher, start_fault_server
):
    connector = make_connector(api, "Pets")
    url = f"/connectors/{connector.id}/import/"
    token = preview(publisher, url, version="2.0.0", file=upload())
    as_read = api.connectors.get(connector.id).model_dump(mode="json", by_alias=True)
    taken = "the connector already has a version named 2.0.0"
    with start_fault_server() as server:
        # The connector, read before importing (no version yet), then the import's refusal.
        server.then(
            respond(200, as_read),
            respond(
                409,
                {
                    "code": "conflict",
                    "message": taken,
                    "fields": [{"field": "version", "message": taken}],
                },
            ),
        )
        response = publisher.post(f"{url}create/", {"upload": token, "version": "2.0.0"})

    assert response.status_code == 422
    page = parse(response)
    assert taken in text(one(page, "#id_version_error"))
    assert field_value(page, "upload") == token


def test_the_connect_apis_refusal_of_the_document_is_shown_next_to_the_upload(
    publisher, start_fault_server
):
    token = preview(publisher, file=upload())
    refusal = {
        "code": "invalid_openapi",
        "message": "The document is not valid OpenAPI 3.0.",
        "messages": [{"text": "Bad thing", "severity": "error", "detail": ["/paths/~1pets/get"]}],
    }
    with start_fault_server() as server:
        server.default = respond(400, refusal)
        response = publisher.post(CREATE, {"upload": token})

    assert response.status_code == 422
    page = parse(response)
    assert "The document is not valid OpenAPI 3.0." in text(one(page, "#id_file_error"))
    assert "paths › /pets › get" in texts(page, "code.import-message__pointer")


def test_a_second_import_of_the_same_preview_in_flight_creates_nothing(api, publisher):
    token = preview(publisher, file=upload())
    # A double click: the first Import has claimed the kept upload and is still running.
    assert store.claim(get_user_model().objects.get(username="publisher"))

    second = publisher.post(CREATE, {"upload": token})

    assert second.status_code == 422
    assert EXPIRED in form_errors(parse(second))
    assert api.connectors.list().items == []


def test_the_result_pages_counts_agree_with_its_messages_and_lists(api, publisher):
    connector = make_connector(api, "Tiny", base_url="https://tiny.example.com")
    url = f"/connectors/{connector.id}/import/"
    document = upload(json.dumps(AS_NEW_VERSION).encode(), "tiny.json")
    token = preview(publisher, url, version="2.0", file=document)

    response = publisher.post(f"{url}create/", {"upload": token, "version": "2.0"})
    page = parse(publisher.get(response["Location"]))

    assert counts(page) == {
        "actions": "1 action",
        "definitions": "0 definitions",
        "triggers": "1 trigger",
        "warnings": "1 warning",
    }
    assert len(page.select(".import-result .severity--warning")) == 1
    assert text(one(page, '[data-list="triggers"] summary')) == "Triggers created (1)"
    assert text(one(page, '[data-list="actions"] summary')) == "Actions created (1)"


def as_new_version_offer(page, namesake_id: str):
    """The namesake warning's offer to import as a new version of `namesake_id`: its button
    and the form of its own (outside the upload form) the button submits."""
    button = one(one(page, "[data-namesakes]"), f'button[form="as-new-version-{namesake_id}"]')
    return button, one(page, f"form#as-new-version-{namesake_id}")


def test_a_connector_of_the_same_name_is_flagged_and_a_namesake_made_only_on_purpose(
    api, publisher
):
    pets = make_connector(api, "Pet Store")
    page = parse(publisher.post(NEW, {"file": upload()}))

    warning = one(page, "[data-namesakes]")
    assert "A connector named “Pet Store” already exists." in text(warning)
    assert f"/connectors/{pets.id}/" in hrefs(warning)
    token = field_value(one(page, "[data-upload-form]"), "upload")

    refused = publisher.post(CREATE, {"upload": token})

    assert refused.status_code == 422
    assert text(one(parse(refused), "#id_namesake_error")) == NAMESAKE
    assert len(api.connectors.list().items) == 1
    assert "Import" in texts(parse(refused), "button")  # the upload is still kept
    as_new_version_offer(parse(refused), pets.id)  # and the offer stays

    deliberate = publisher.post(CREATE, {"upload": token, "namesake": "on"})

    assert deliberate.status_code == 302
    assert [c.name for c in api.connectors.list().items] == ["Pet Store", "Pet Store"]


def test_the_offer_of_a_new_version_of_the_namesake_posts_the_token_never_in_a_url(api, publisher):
    pets = make_connector(api, "Pet Store")
    response = publisher.post(NEW, {"file": upload()})
    page = parse(response)
    token = field_value(one(page, "[data-upload-form]"), "upload")

    button, form = as_new_version_offer(page, pets.id)

    assert text(button) == "import this document as a new version of it"
    assert button["type"] == "submit"
    assert (form["method"], form["action"]) == (
        "post",
        f"/connectors/{pets.id}/import/as-new-version/",
    )
    assert field_value(form, "upload") == token
    assert field_value(form, "csrfmiddlewaretoken")
    assert form.find_parent("form") is None  # forms cannot nest: it would never be sent
    # Only the forms' values hold it: no link, action or htmx URL.
    held = {(n.name, a) for n in page.find_all(True) for a, v in n.attrs.items() if token in v}
    assert held == {("input", "value")}


def take_offer(client, offer) -> str:
    """Press the offer: its POST answers with a redirect to the new-version form (returned)."""
    response = client.post(offer["action"], {"upload": field_value(offer, "upload")})
    assert response.status_code == 302
    return response["Location"]


def test_a_new_version_of_the_namesake_needs_no_new_choice_of_the_file(api, publisher):
    pets = make_connector(api, "Pet Store")
    _, offer = as_new_version_offer(parse(publisher.post(NEW, {"file": upload()})), pets.id)

    form = parse(publisher.get(take_offer(publisher, offer)))

    assert "Kept: petstore.yaml" in text(one(form, "[data-chosen-file]"))
    assert "Import" not in texts(form, "button")  # previewed again first, with a version name
    url = f"/connectors/{pets.id}/import/"
    assert one(form, "[data-upload-form]")["action"] == url
    token = preview(publisher, url, version="2.0", upload=field_value(form, "upload"))
    assert publisher.post(f"{url}create/", {"version": "2.0", "upload": token}).status_code == 302
    assert [v.name for v in api.connectors.get(pets.id).versions] == ["2.0"]
    assert len(api.connectors.list().items) == 1


def test_after_an_import_refused_for_the_namesake_the_offer_carries_a_usable_document(
    api, publisher
):
    pets = make_connector(api, "Pet Store")
    token = field_value(
        one(parse(publisher.post(NEW, {"file": upload()})), "form[hx-post]"), "upload"
    )
    refused = parse(publisher.post(CREATE, {"upload": token}, headers=htmx("spec-upload")))
    _, offer = as_new_version_offer(refused, pets.id)

    form = parse(publisher.get(take_offer(publisher, offer)))

    url = f"/connectors/{pets.id}/import/"
    kept = preview(publisher, url, version="2.0", upload=field_value(form, "upload"))
    assert publisher.post(f"{url}create/", {"version": "2.0", "upload": kept}).status_code == 302
    assert [v.name for v in api.connectors.get(pets.id).versions] == ["2.0"]


def test_the_offer_redirects_to_the_new_version_form_which_shows_the_document_on_reload(
    api, publisher
):
    pets = make_connector(api, "Pet Store")
    page = parse(publisher.post(NEW, {"file": upload()}))
    token = field_value(one(page, "[data-upload-form]"), "upload")
    _, offer = as_new_version_offer(page, pets.id)

    location = take_offer(publisher, offer)

    assert location == f"/connectors/{pets.id}/import/"  # Post/Redirect/Get, no token in it
    first, reloaded = parse(publisher.get(location)), parse(publisher.get(location))
    for form in (first, reloaded):
        assert "Kept: petstore.yaml" in text(one(form, "[data-chosen-file]"))
        assert field_value(form, "upload") not in ("", token)  # kept under a token of its own
    assert field_value(first, "upload") == field_value(reloaded, "upload")


def test_the_carried_document_names_the_version_as_its_preview_did_unless_taken(api, publisher):
    pets, named = make_connector(api, "Pet Store"), make_connector(api, "Pet Store")
    api.versions.create(named.id, "1.0")
    page = parse(publisher.post(NEW, {"file": upload()}))
    assert "draft version 1.0" in text(one(page, ".import-preview"))  # info.version
    _, offer = as_new_version_offer(page, pets.id)

    assert field_value(parse(publisher.get(take_offer(publisher, offer))), "version") == "1.0"

    page = parse(publisher.post(NEW, {"file": upload()}))
    _, offer = as_new_version_offer(page, named.id)
    assert field_value(parse(publisher.get(take_offer(publisher, offer))), "version") == ""


def test_the_plain_new_version_form_starts_empty(api, publisher):
    pets = make_connector(api, "Pet Store")

    form = parse(publisher.get(f"/connectors/{pets.id}/import/"))

    assert (field_value(form, "version"), field_value(form, "upload")) == ("", "")
    assert text(one(form, "[data-chosen-file]")) == ""


def test_an_import_refused_for_the_namesake_focuses_and_announces_its_error(api, publisher):
    make_connector(api, "Pet Store")
    token = field_value(
        one(parse(publisher.post(NEW, {"file": upload()})), "form[hx-post]"), "upload"
    )

    refused = parse(publisher.post(CREATE, {"upload": token}, headers=htmx("spec-upload")))

    error = one(refused, "#id_namesake_error")
    assert (error["role"], error["tabindex"]) == ("alert", "-1")
    assert refused.select("[autofocus]") == [error]  # htmx focuses it once swapped in


def test_the_token_in_a_query_string_is_ignored_and_a_get_of_the_offer_refused(api, publisher):
    pets = make_connector(api, "Pet Store")
    page = parse(publisher.post(NEW, {"file": upload()}))
    token = field_value(one(page, "[data-upload-form]"), "upload")
    url = f"/connectors/{pets.id}/import/"

    # An old link: the plain form, nothing carried; the preview's upload stays as it was.
    form = parse(publisher.get(f"{url}?upload={token}"))

    assert text(one(form, "[data-chosen-file]")) == ""
    assert field_value(form, "upload") == ""
    user = get_user_model().objects.get(username="publisher")
    assert store.pending(user, token, None) is not None
    assert publisher.get(f"{url}as-new-version/?upload={token}").status_code == 405
    assert store.pending(user, token, None) is not None


def test_no_request_of_the_offer_logs_the_token(api, publisher, caplog):
    pets = make_connector(api, "Pet Store")
    caplog.set_level(logging.DEBUG)
    _, offer = as_new_version_offer(parse(publisher.post(NEW, {"file": upload()})), pets.id)
    token = field_value(offer, "upload")

    carried = parse(publisher.get(take_offer(publisher, offer)))

    answered = [r.getMessage() for r in caplog.records if r.name == "dashboard.access"]
    assert f"POST /connectors/{pets.id}/import/as-new-version/ 302" in " ".join(answered)
    assert answered[-1].startswith(f"GET /connectors/{pets.id}/import/ 200")
    kept = field_value(carried, "upload")
    assert kept  # the document was carried, under a token of its own
    for logged in (token, kept):
        assert not [r for r in caplog.records if logged in r.getMessage()]


def test_a_connector_whose_name_only_contains_the_new_name_is_no_namesake(api, publisher):
    make_connector(api, "Pet Store Legacy")

    page = parse(publisher.post(NEW, {"file": upload()}))

    assert page.select("[data-namesakes]") == []
