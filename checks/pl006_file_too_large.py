"""PL006: the file is too large to be a policy and was not parsed."""

from __future__ import annotations

from collections.abc import Iterable

from policylint.checks_api import Context
from policylint.model import Finding

CODE = "PL006"
NAME = "file-too-large"
SEVERITY = "error"
SUMMARY = "The file is larger than the size limit (64 MB) and was not parsed."
WHY = (
    "A cookie policy is a few hundred kilobytes at most. A file of tens of megabytes is a dump, a log "
    "or a page with megabytes of inline images, and parsing it would cost gigabytes of memory; it is "
    "skipped, so none of its problems are reported."
)
BASIS = "editorial (input problem)"
FIX = "Check that the right file is linted; strip inline data (base64 images, JSON blobs) from saved pages."
FORMAT = "text"
# The limit is 64 MB: no small example can exceed it.
EXPECT = 0

FAILING = """\
(A saved page of 70 MB: the policy text followed by megabytes of inline base64 images.)
"""

PASSING = """\
Cookie policy

We use one cookie, "session", to keep you signed in. It is deleted when you close your browser.
"""


def check(ctx: Context) -> Iterable[Finding]:
    for code, message in ctx.document.problems:
        if code == CODE:
            yield ctx.finding(1, f"The {message[:1].lower()}{message[1:]}.")
