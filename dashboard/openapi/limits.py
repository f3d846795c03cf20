"""The contract's limits on what an import creates, applied by the importer itself.

The embedded API checks every stored value against these too; the importer applies them first
(cutting, dropping with a warning, or refusing with a pointer) so that a preview shows exactly
what the import will do, and a document the preview accepts is one the import stores.
"""

from __future__ import annotations

from urllib.parse import urlsplit

NAME_MAX = 200  # connector names
URL_MAX = 2000  # base and documentation URLs
PATH_MAX = 2000  # an action's path
MEDIA_TYPE_MAX = 200  # a definition's `accept` entries
URL_SCHEMES = ("http", "https")


def allowed_url(url: str, *, relative: bool = False) -> bool:
    """An absolute http(s) URL (or, with `relative`, one without a scheme: an imported server
    URL may be relative until it is set by hand). No other scheme (javascript:, data:,
    file:...) is stored as a link a browser would follow. `urlsplit` drops the tabs, newlines
    and leading blanks that browsers ignore too."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if relative and not parts.scheme:
        return True
    return parts.scheme.lower() in URL_SCHEMES and bool(parts.netloc)
