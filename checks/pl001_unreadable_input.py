"""PL001: the file is not a text document (binary, a PDF or image saved under a policy name)."""

from __future__ import annotations

from collections.abc import Iterable

from policylint.checks_api import Context
from policylint.model import Finding

CODE = "PL001"
NAME = "unreadable-input"
SEVERITY = "error"
SUMMARY = "The file is binary (an image, PDF, archive...), not a text policy."
WHY = (
    "Nothing in the file can be read as policy text, so no other check can run on it: every other "
    "rule stays silent and the file would look clean. Usually the wrong file was committed or a "
    "download saved an error page, a PDF or a compressed response under the policy's name."
)
BASIS = "editorial (input problem)"
FIX = (
    "Check the file out again or re-export the policy as HTML, Markdown or plain text. If the policy "
    "really is published as a PDF, lint the text extracted from it."
)
FORMAT = "text"

# A PDF saved as cookies.txt: the loader sniffs the %PDF signature.
FAILING = """\
%PDF-1.7
1 0 obj
<< /Type /Catalog /Pages 2 0 R >>
endobj
"""

PASSING = """\
Cookie policy

We use one cookie, "session", to keep you signed in. It is deleted when you close your browser.
"""


def check(ctx: Context) -> Iterable[Finding]:
    for code, message in ctx.document.problems:
        if code == CODE:
            yield ctx.finding(1, f"{message[:1].upper()}{message[1:]}: nothing could be checked.")
