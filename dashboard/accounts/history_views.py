"""History tabs: a connector's, a version's, a connection's and a credential's audit entries
(and those of everything inside it), newest first, in words, with what each changed."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dashboard.connect import get_client
from dashboard.versions.views import load_version

from .audit_words import sentence
from .history import (
    Subject,
    connection_subject,
    connector_subject,
    credential_subject,
    version_subject,
)
from .models import AuditEntry
from .roles import VIEW_AUDIT_LOG, require_permission

PAGE_SIZE = 25


@dataclass
class HistoryRow:
    entry: AuditEntry
    sentence: str


def _history(request: HttpRequest, subject: Subject, template: str, **context) -> HttpResponse:
    page = Paginator(subject.entries(), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = [
        HistoryRow(entry, sentence(entry, subject.names, subject.unnamed))
        for entry in page.object_list
    ]
    return render(request, template, {**context, "page": page, "subject": subject})


@require_GET
@require_permission(VIEW_AUDIT_LOG)
def connector_history(request: HttpRequest, connector_id: str) -> HttpResponse:
    connector = get_client().connectors.get(connector_id)
    subject = connector_subject(connector.id, connector.connections, connector.name)
    return _history(
        request, subject, "connectors/history.html", connector=connector, active_tab="history"
    )


@require_GET
@require_permission(VIEW_AUDIT_LOG)
def version_history(request: HttpRequest, connector_id: str, version: str) -> HttpResponse:
    connector, found = load_version(connector_id, version)
    subject = version_subject(connector.id, found.name)
    context = {"connector": connector, "version": found, "active_tab": "versions"}
    return _history(request, subject, "versions/history.html", version_tab="history", **context)


@require_GET
@require_permission(VIEW_AUDIT_LOG)
def connection_history(request: HttpRequest, connector_id: str, connection_id: str):
    client = get_client()
    connector = client.connectors.get(connector_id)
    connection = client.connections.get(connector_id, connection_id)
    subject = connection_subject(connector.id, connection.id, connection)
    context = {"connector": connector, "connection": connection, "active_tab": "connections"}
    return _history(request, subject, "connections/connection_history.html", **context)


@require_GET
@require_permission(VIEW_AUDIT_LOG)
def credential_history(request: HttpRequest, credential_id: str) -> HttpResponse:
    credential = get_client().credentials.get(credential_id)
    subject = credential_subject(credential.id)
    return _history(request, subject, "connections/credential_history.html", credential=credential)
