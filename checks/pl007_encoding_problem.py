"""PL007: the file had NUL bytes or bytes that are not valid in its encoding."""

from __future__ import annotations

from collections.abc import Iterable

from policylint.checks_api import Context
from policylint.model import Finding

CODE = "PL007"
NAME = "encoding-problem"
SEVERITY = "warning"
SUMMARY = "The file contains NUL bytes or invalid bytes for its encoding; they were removed or replaced."
WHY = (
    "NUL bytes and invalid byte sequences come from a broken export (PDF to text, a CMS, a double "
    "encoding). They are invisible in most editors but break diffs, search and other tools, and "
    "replaced characters (�) may hide a word of the policy. The rest of the file was still checked."
)
BASIS = "editorial (input problem)"
FIX = (
    "Re-save the file as UTF-8 and remove the NUL bytes (for example `tr -d '\\\\000' < in > out`); "
    "check the text around replaced characters."
)
FORMAT = "markdown"

FAILING = "# Cookie policy\n\nWe use\x00 a session cookie to keep you signed in.\n"

PASSING = """\
# Cookie policy

We use a session cookie to keep you signed in.
"""


def check(ctx: Context) -> Iterable[Finding]:
    doc = ctx.document
    for code, message in doc.problems:
        if code != CODE:
            continue
        line, col, excerpt = 1, 1, ""
        if "\ufffd" in message or "replaced" in message:
            for i, text in enumerate(doc.lines, 1):
                pos = text.find("\ufffd")
                if pos >= 0:
                    line, col, excerpt = i, pos + 1, text.strip()
                    break
        yield ctx.finding(line, f"Encoding problem: {message}.", column=col, excerpt=excerpt)
