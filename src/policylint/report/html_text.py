"""Text into HTML for the self-contained reports (audit, diff): escaped, with `code` spans."""

from __future__ import annotations

import re
from html import escape

_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def esc(value: object) -> str:
    """Escaped for an element or a quoted attribute; None is empty."""
    return escape("" if value is None else str(value), quote=True)


def rich(value: object) -> str:
    """Escaped text whose `code` spans (a cookie name in a message) show as <code>: escaped
    first, so the only markup is the one added here."""
    return _CODE_SPAN.sub(r"<code>\1</code>", esc(value))
