"""What an upload would create (the preview) and what an import did create (the result)."""

from collections import Counter
from dataclasses import dataclass, field, replace

from django.utils.safestring import SafeString

from dashboard.connect.models import Connector, ImportHTTPConnectorResult
from dashboard.openapi import ImportResult, Message, new_version_messages
from dashboard.web.markup import format_html, join_html

from .store import Document


def severities(messages) -> Counter:
    return Counter(message.severity for message in messages)


def _before_import(message: Message) -> Message:
    """The importer's summary says what an import did ("Imported OpenAPI 3.0.3 document…");
    a preview says what Import will do."""
    if message.severity != "info" or not message.text.startswith("Imported "):
        return message
    return replace(message, text="Will import " + message.text.removeprefix("Imported "))


@dataclass(frozen=True)
class Preview:
    """The importer's result for a document, with the messages a new version adds."""

    document: Document
    size: int
    result: ImportResult
    messages: list[Message]
    first_version: str  # a new connector's first version, if the document names it

    @classmethod
    def of(
        cls,
        document: Document,
        result: ImportResult,
        connector: Connector | None,
        *,
        first_version: str = "",
    ):
        messages = [_before_import(message) for message in result.messages]
        if connector is not None:
            # A new version leaves the connector's base URL and auth schemes as they are.
            messages += new_version_messages(
                result,
                base_url=getattr(connector, "base_url", ""),
                auth_scheme_configs=[
                    config.model_dump(by_alias=True) for config in connector.auth_scheme_configs
                ],
            )
        return cls(document, len(document.data), result, messages, first_version)

    @property
    def severities(self) -> Counter:
        return severities(self.messages)

    # A large document has hundreds of actions and definitions: their table rows are made here
    # (see dashboard/web/markup.py), printed whole by templates/imports/includes/upload.html.

    @property
    def action_rows(self) -> SafeString:
        return join_html(
            format_html(
                '<tr><td>{}</td><td><span class="method method--{}">{}</span></td>'
                "<td><code>{}</code></td></tr>",
                action["name"],
                action["method"].lower(),
                action["method"],
                action["path"],
            )
            for action in self.result.actions
        )

    @property
    def definition_rows(self) -> SafeString:
        return join_html(
            format_html("<tr><td>{}</td><td>{}</td></tr>", d.name, ", ".join(d.accept))
            for d in self.result.definitions
        )


@dataclass(frozen=True)
class ImportSummary:
    """What an import created, small enough to keep for the result page."""

    connector_id: str
    connector_name: str
    version: str
    new_connector: bool
    source: str
    actions: list[dict] = field(default_factory=list)
    definitions: list[str] = field(default_factory=list)
    triggers: list[str] = field(default_factory=list)
    auth_scheme_configs: list[dict] = field(default_factory=list)
    messages: list = field(default_factory=list)

    @classmethod
    def of(cls, made: ImportHTTPConnectorResult, *, version: str, source: str):
        connector = made.connector
        new_connector = not version
        if new_connector:  # the import made the connector's first version
            version = next((v.name for v in connector.versions), "")
        return cls(
            connector_id=connector.id,
            connector_name=connector.name,
            version=version,
            new_connector=new_connector,
            source=source,
            actions=[
                {"name": action.name, "method": action.method, "path": action.path}
                for action in made.actions
            ],
            definitions=[definition.name for definition in made.definitions],
            triggers=[trigger.name for trigger in made.triggers],
            auth_scheme_configs=[
                {"scheme_type": config.scheme_type, "description": config.description}
                for config in connector.auth_scheme_configs
            ]
            if new_connector
            else [],
            messages=list(made.messages),
        )

    @property
    def severities(self) -> Counter:
        return severities(self.messages)
