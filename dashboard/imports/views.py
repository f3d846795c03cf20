"""Spec upload: an OpenAPI document becomes a new connector, or a new version of one.

Three steps, each a full page (htmx swaps only the `#spec-upload` section):
1. the form (file with drag and drop, or URL; a version name for a new version);
2. Preview (POST): the shared importer (dashboard.openapi) runs here, creating nothing, and
   the page shows what would be created and every message with its JSON pointer. The upload
   is kept on the server (store.py) so Import does not send it again;
3. Import (POST): the kept document goes to the Connect API (ImportHTTPConnector or
   ImportHTTPConnectorVersion); the result page lists what it created.
A refused document comes back next to the upload with its pointers, the form keeping what was
typed; a Connect API failure shows an error panel in place of the preview.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dashboard.accounts.roles import IMPORT_SPECS, require_permission
from dashboard.connect import (
    LARGEST_PAGE,
    BadRequest,
    Conflict,
    ConnectError,
    ConnectTimeout,
    get_client,
)
from dashboard.connect.models import Connector, HTTPConnector
from dashboard.openapi import ImportFailure, fetch_document, import_document, parse_document
from dashboard.openapi.breaking import import_snapshot
from dashboard.versions.latest import against_latest
from dashboard.web.htmx import FORM_ERRORS, go_to, is_fragment, vary_on_htmx
from dashboard.web.upstream import status_for, title_for

from . import store
from .forms import SpecUploadForm, VersionUploadForm, first_version_name
from .preview import ImportSummary, Preview

# Importing a large document takes the Connect API longer than an ordinary call; htmx gives
# up after 60 s (base.html), so answer before that.
IMPORT_TIMEOUT = 55.0
SECTION = "spec-upload"
NOT_PREVIEWED = "This document has not been previewed yet: preview it, then import it."
NAMESAKE = (
    "Tick “Import anyway” to make a second connector of this name, or import the document as "
    "a new version of the one there is."
)
EXPIRED = "The preview has expired or was replaced by a newer one: choose the document again."


def _http_connector(view: Callable[[HttpRequest, HTTPConnector], HttpResponse]):
    """The view, given the connector of `connector_id`. OpenAPI describes HTTP APIs: another
    connector is refused as the page opens, not after a preview."""

    @wraps(view)
    def with_connector(request: HttpRequest, connector_id: str) -> HttpResponse:
        connector = get_client().connectors.get(connector_id)
        if isinstance(connector, HTTPConnector):
            return view(request, connector)
        context = {"connector": connector, "active_tab": "versions", "unsupported": True}
        return render(request, "imports/new_version.html", context)

    return with_connector


@require_permission(IMPORT_SPECS)
@require_http_methods(["GET", "POST"])
@vary_on_htmx
def new_connector(request: HttpRequest) -> HttpResponse:
    """A new connector from an OpenAPI document: the form, or (POST) its preview."""
    return _upload(request, None)


@require_permission(IMPORT_SPECS)
@require_http_methods(["GET", "POST"])
@vary_on_htmx
@_http_connector
def new_version(request: HttpRequest, connector: HTTPConnector) -> HttpResponse:
    """A new version of a connector from an OpenAPI document: the form, or its preview."""
    return _upload(request, connector)


@require_permission(IMPORT_SPECS)
@require_POST
def import_connector(request: HttpRequest) -> HttpResponse:
    """ImportHTTPConnector with the previewed document."""
    return _import(request, None)


@require_permission(IMPORT_SPECS)
@require_POST
@_http_connector
def import_version(request: HttpRequest, connector: HTTPConnector) -> HttpResponse:
    """ImportHTTPConnectorVersion with the previewed document."""
    return _import(request, connector)


@require_permission(IMPORT_SPECS)
@require_POST
@_http_connector
def as_new_version(request: HttpRequest, connector: HTTPConnector) -> HttpResponse:
    """The document previewed for a new connector, imported as a new version of its namesake
    instead: kept for it, then (Post/Redirect/Get) the new-version form, which shows it. A
    POST, so the upload's token stays out of URLs (browser history, proxies' logs, Referer
    headers); the redirect carries none either: the store holds one upload per user."""
    _carry(request, connector)
    return go_to(request, reverse("import_new_version", args=[connector.id]))


@require_permission(IMPORT_SPECS)
@require_GET
def result(request: HttpRequest, connector_id: str, token: str) -> HttpResponse:
    """What an import created, with its messages (kept for an hour, for its importer only)."""
    summary = store.result(request.user, token)
    if summary is None or summary.connector_id != connector_id:
        raise Http404("This import result has expired.")
    context = {
        "connector": get_client().connectors.get(connector_id),
        "active_tab": "versions",
        "summary": summary,
    }
    return render(request, "imports/result.html", context)


# --- Steps -----------------------------------------------------------------------------------


def _form(connector: Connector | None, *args, **kwargs) -> SpecUploadForm:
    if connector is None:
        return SpecUploadForm(*args, **kwargs)
    return VersionUploadForm(*args, existing=[v.name for v in connector.versions], **kwargs)


def _upload(request: HttpRequest, connector: Connector | None) -> HttpResponse:
    if request.method == "GET":
        return _screen(request, connector, _form(connector, initial=_carried(request, connector)))
    form = _form(connector, request.POST, request.FILES)
    if not form.is_valid():
        _keep_chosen(request, form, connector)
        return _screen(request, connector, form, status=FORM_ERRORS)
    data = form.cleaned_data
    source = "url" if data["url"] else "file"
    try:
        document = _document(request, data, connector)
        doc = parse_document(document.data, max_bytes=settings.OPENAPI_MAX_BYTES)
        result = import_document(doc, source_url=document.url or None)
    except ImportFailure as failure:
        form.add_failure(source, failure.message, failure.messages)
        return _screen(request, connector, form, status=FORM_ERRORS)
    new_name = "" if connector else result.connector.name
    first_version = first_version_name(doc)
    pending = store.keep(
        request.user,
        document,
        _id(connector),
        connector_name=new_name,
        version_name="" if connector else first_version,
    )
    typed = {name: data[name] for name in ("url", "version") if name in data}
    form = _form(connector, initial={**typed, "upload": pending.token})
    preview = Preview.of(document, result, connector, first_version=first_version)
    # A new version: what it changes for callers of the latest published one.
    compared = (
        against_latest(get_client(), connector, import_snapshot(result)) if connector else None
    )
    return _screen(
        request,
        connector,
        form,
        preview=preview,
        against_latest=compared,
        namesakes=_namesakes(new_name),
    )


def _carry(request: HttpRequest, connector: Connector) -> None:
    """Keep the document previewed for a new connector (the posted `upload`) for
    `connector` instead, to be previewed again (with a version name) before its import."""
    kept = store.pending(request.user, request.POST.get("upload", ""), None)
    document = store.document(request.user, kept) if kept else None
    if kept is None or document is None:
        return  # expired: the form, without it
    store.keep(
        request.user, document, connector.id, previewed=False, version_name=kept.version_name
    )


def _carried(request: HttpRequest, connector: Connector | None) -> dict:
    """The new-version form's start from a document kept for it but not yet previewed
    (`_carry`, or a form refused for another reason): that document, and the version name
    it gives when the connector has no version of that name (as a new connector's first
    version would be named)."""
    kept = store.unpreviewed(request.user, connector.id) if connector else None
    if connector is None or kept is None:
        return {}
    initial = {"url": kept.url} if kept.url else {"upload": kept.token}
    if kept.version_name and kept.version_name not in {v.name for v in connector.versions}:
        initial["version"] = kept.version_name
    return initial


def _keep_chosen(request: HttpRequest, form: SpecUploadForm, connector: Connector | None) -> None:
    """A file chosen in a form refused for another reason (a version name taken) is kept, as
    a preview keeps it, so the user fixes the form without choosing the file again."""
    file = form.cleaned_data.get("file")
    if not file:
        return
    document = store.Document(data=file.read(), filename=file.name)
    kept = store.keep(request.user, document, _id(connector), previewed=False)
    data = request.POST.copy()
    data["upload"] = kept.token
    form.data = data


def _document(request: HttpRequest, data: dict, connector: Connector | None) -> store.Document:
    """The document to preview: the uploaded file, the one at the URL, or else the one
    previewed before (so fixing the version name needs no new upload)."""
    if data["file"]:
        return store.Document(data=data["file"].read(), filename=data["file"].name)
    if data["url"]:
        fetched = fetch_document(
            data["url"],
            max_bytes=settings.OPENAPI_MAX_BYTES,
            timeout=settings.OPENAPI_FETCH_TIMEOUT,
            allow_loopback=settings.OUTBOUND_ALLOW_LOOPBACK,
        )
        return store.Document(data=fetched, url=data["url"])
    kept = store.pending(request.user, data["upload"], _id(connector))
    document = store.document(request.user, kept) if kept and not kept.url else None
    if document is None:
        raise ImportFailure("expired", EXPIRED)
    return document


def _import(request: HttpRequest, connector: Connector | None) -> HttpResponse:
    form = _form(connector, request.POST, request.FILES)
    if not form.is_valid():
        return _screen(request, connector, form, status=FORM_ERRORS)
    data = form.cleaned_data
    kept = store.pending(request.user, data["upload"], _id(connector))
    if kept is not None and (data["file"] or data["url"] != kept.url or not kept.previewed):
        form.add_error(None, NOT_PREVIEWED)
        return _screen(request, connector, form, status=FORM_ERRORS)
    document = store.document(request.user, kept) if kept else None
    if kept is None or document is None or not store.claim(request.user):
        form.add_error(None, NOT_PREVIEWED if form.new_document else EXPIRED)
        return _screen(request, connector, form, status=FORM_ERRORS)
    version = data.get("version", "")
    try:
        # Checked again here: the namesake may have been made since the preview.
        if not data.get("namesake") and (namesakes := _namesakes(kept.connector_name)):
            store.give_back(request.user, kept)
            form.add_error("namesake", NAMESAKE)
            return _screen(request, connector, form, status=FORM_ERRORS, namesakes=namesakes)
        made = _send(connector, document, version)
    except ConnectError as error:
        store.give_back(request.user, kept)  # so Import can be tried again
        return _refused(request, connector, form, error, document)
    store.discard(request.user, kept)
    summary = ImportSummary.of(made, version=version, source=document.source)
    token = store.keep_result(request.user, summary)
    what = f"Version {version} of" if version else "Connector"
    messages.success(request, f"{what} “{made.connector.name}” imported.")
    return go_to(request, reverse("import_result", args=[made.connector.id, token]))


def _namesakes(name: str) -> list[Connector]:
    """The connectors named `name` (the API's name filter matches any part of a name)."""
    if not name:
        return []
    found = get_client().connectors.list(name=name, first=LARGEST_PAGE).iter_all()
    return [connector for connector in found if connector.name.casefold() == name.casefold()]


def _send(connector: Connector | None, document: store.Document, version: str):
    client = get_client()
    if connector is None:
        if document.url:
            return client.imports.create_from_url(document.url, timeout=IMPORT_TIMEOUT)
        return client.imports.create(document.data, document.filename, timeout=IMPORT_TIMEOUT)
    if document.url:
        return client.imports.create_version_from_url(
            connector.id, version, document.url, timeout=IMPORT_TIMEOUT
        )
    return client.imports.create_version(
        connector.id, version, document.data, document.filename, timeout=IMPORT_TIMEOUT
    )


def _refused(
    request: HttpRequest,
    connector: Connector | None,
    form: SpecUploadForm,
    error: ConnectError,
    document: store.Document,
) -> HttpResponse:
    """The Connect API did not import: its refusals go next to the fields they are about;
    any other failure is an error panel."""
    if isinstance(error, Conflict):  # e.g. a version of that name was made since the preview
        for problem in [item.message for item in error.fields] or [error.message]:
            form.add_error("version" if connector else None, problem)
    elif isinstance(error, BadRequest):
        _add_refusal(form, error, "url" if document.url else "file")
    else:
        return _upstream_failure(request, connector, form, error)
    return _screen(request, connector, form, status=FORM_ERRORS)


def _add_refusal(form: SpecUploadForm, error: BadRequest, source: str) -> None:
    """The API's reasons: a version name it refuses goes next to that field; anything about
    the document goes next to the upload, with its messages and their pointers."""
    fields = {item.field for item in error.fields}
    if fields and all(name.endswith("version") for name in fields) and "version" in form.fields:
        for item in error.fields:
            form.add_error("version", item.message)
        return
    form.add_failure(source, error.message, error.messages)


def _upstream_failure(
    request: HttpRequest, connector: Connector | None, form: SpecUploadForm, error: ConnectError
) -> HttpResponse:
    """An error panel where the preview was, the form (and the kept upload) unchanged, so
    Import can be tried again."""
    response = _screen(
        request,
        connector,
        form,
        status=status_for(error),
        upstream={
            "title": title_for(error),
            "error": error.message,
            # Too slow is not a refusal: the import may have finished after we gave up.
            "maybe_done": isinstance(error, ConnectTimeout),
        },
    )
    if is_fragment(request):
        response["HX-Retarget"] = f"#{SECTION}"
        response["HX-Reswap"] = "outerHTML"
    return response


def _screen(
    request: HttpRequest,
    connector: Connector | None,
    form: SpecUploadForm,
    *,
    status: int = 200,
    **context,
) -> HttpResponse:
    """The upload page, or for htmx its `#spec-upload` section."""
    if is_fragment(request):
        template = "imports/includes/upload.html"
    else:
        template = "imports/new_version.html" if connector else "imports/new_connector.html"
    kept = store.pending(request.user, form["upload"].value() or "", _id(connector))
    if form.has_error("file") or form.has_error("url"):
        kept = None  # the document shown as refused is not the one Import would send
    context = {
        "connector": connector,
        "active_tab": "versions",
        "form": form,
        "kept": kept,
        "section_id": SECTION,
        "preview_url": _url("import_new_version", "import_new_connector", connector),
        "import_url": _url("import_version", "import_connector", connector),
        **context,
    }
    return render(request, template, context, status=status)


def _id(connector: Connector | None) -> str | None:
    return connector.id if connector else None


def _url(for_version: str, for_connector: str, connector: Connector | None) -> str:
    if connector is None:
        return reverse(for_connector)
    return reverse(for_version, args=[connector.id])
