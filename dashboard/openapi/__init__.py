"""Pure OpenAPI importer (no Django): an OpenAPI 3.0/3.1 document's bytes in, a typed result out.

One implementation, two callers: the embedded Connect API imports with it, the dashboard
previews uploads with it. See docs/openapi-import.md for every mapping rule.
"""

from .fetch import fetch_document
from .importer import ConnectorFields, ImportResult, import_document, import_openapi
from .messages import ImportFailure, Message
from .new_version import new_version_messages
from .parse import DEFAULT_MAX_BYTES, parse_document
from .schemas import Definition

__all__ = [
    "DEFAULT_MAX_BYTES",
    "ConnectorFields",
    "Definition",
    "ImportFailure",
    "ImportResult",
    "fetch_document",
    "Message",
    "import_document",
    "import_openapi",
    "new_version_messages",
    "parse_document",
]
