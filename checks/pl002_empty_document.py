"""PL002: the document has no text once markup, scripts and page chrome are removed."""

from __future__ import annotations

import re
from collections.abc import Iterable

from policylint.checks_api import Context
from policylint.checks_lib import not_parsed
from policylint.model import Finding

CODE = "PL002"
NAME = "empty-document"
SEVERITY = "error"
SUMMARY = "The document has no text after parsing."
WHY = (
    "An empty file, a page that is only scripts and navigation, or Markdown that is only front matter "
    "gives readers no information at all, and every other check stays silent on it. In a docs repo it "
    "is usually a file emptied by mistake or a page whose content is rendered by JavaScript."
)
BASIS = "GDPR Art. 13 and ePrivacy Directive Art. 5(3) (clear and comprehensive information must be given)"
FIX = "Restore the policy text, or if the page is rendered client-side, save the rendered HTML instead."
FORMAT = "markdown"

FAILING = """\
---
title: Cookie policy
layout: legal
---
"""

PASSING = """\
---
title: Cookie policy
---

We set one cookie, `session`, to keep you signed in; it expires when you close your browser.
"""

# Bot-check and redirect stubs have no text either; PL003 names them more precisely.
_STUB = re.compile(
    r"http-equiv\s*=\s*[\"']?refresh|captcha|cf-challenge|challenge-platform|/cdn-cgi/challenge|"
    r"checking your browser|just a moment\.\.\.",
    re.IGNORECASE,
)


def check(ctx: Context) -> Iterable[Finding]:
    doc = ctx.document
    if not_parsed(doc):
        return  # nothing was parsed; the loader's finding says why
    if any(b.text.strip() for b in doc.blocks):
        return
    head = "\n".join(doc.lines[:200])[:20000]
    if _STUB.search(head):
        return
    what = (
        "is empty"
        if not "".join(doc.lines).strip()
        else "has no text once markup, scripts and page chrome are removed"
    )
    yield ctx.finding(
        1,
        f"The document {what}: there is no policy text to check.",
        excerpt=next((x.strip() for x in doc.lines if x.strip()), ""),
    )
