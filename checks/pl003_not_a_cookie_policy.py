"""PL003: the document is not a cookie policy (a bot check, a redirect, a login wall, another page)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from policylint.checks_api import Context
from policylint.checks_lib import not_parsed
from policylint.model import Finding

CODE = "PL003"
NAME = "not-a-cookie-policy"
SEVERITY = "error"
SUMMARY = "The document does not talk about cookies or trackers, or is a bot-check, redirect or login page."
WHY = (
    "A crawler that hits a captcha, a redirect stub or a login wall, or a URL that now serves another "
    "page, saves something that is not the policy. Linting it would report nothing wrong, and a diff "
    "would show the policy 'replaced' by a landing page. The real policy was not checked."
)
BASIS = (
    "editorial (input problem); ePrivacy Directive Art. 5(3) requires the cookie information to be available"
)
FIX = (
    "Fetch the policy again (from a browser session if a bot check blocks the crawler) or point the "
    "linter at the page that actually describes the cookies and similar technologies."
)
FORMAT = "markdown"

FAILING = """\
# Build on Base

Base is a secure, low-cost, builder-friendly Ethereum L2 built to bring the next billion users onchain.

## Browse by use cases

Let users sign up and sign in with Smart Wallet, the universal account for the onchain world.

Integrate secure and efficient crypto payment solutions for your applications.
"""

PASSING = """\
# Cookie policy

We use a session cookie to keep you signed in, and with your consent Matomo analytics cookies.
"""

# Strong evidence that a document is about cookies and similar trackers (EN/FR/DE/ES/IT/NL).
_TRACKER_WORDS = re.compile(
    r"cookie|traceur|tracker|t[ée]moins? de connexion|local\s?storage|session\s?storage|web\s?beacon"
    r"|pixels?\b|balises?\b|tracking|traçage|fingerprint|empreinte|\bsdk\b|consentement|consent\b"
    r"|galletas?\b|rastreador",
    re.IGNORECASE,
)
_COOKIE_CORE = re.compile(r"cookie|traceur|tracker|t[ée]moins? de connexion|local\s?storage", re.IGNORECASE)

# Stubs a crawler gets instead of the page: bot checks, meta refreshes, JS-only shells, login walls.
_STUB_SOURCE = [
    (
        re.compile(
            r"sgcaptcha|cf-challenge|challenge-platform|/cdn-cgi/challenge|ddos-guard|px-captcha"
            r"|perimeterx|captcha-delivery|datadome",
            re.IGNORECASE,
        ),
        "a bot-check (captcha) page",
    ),
    (
        re.compile(
            r"checking (?:if the site connection is secure|your browser)|just a moment\.\.\."
            r"|verify(?:ing)? you are (?:a )?human|are you a robot",
            re.IGNORECASE,
        ),
        "a bot-check page",
    ),
    (
        re.compile(r"<meta[^>]{0,200}http-equiv\s*=\s*[\"']?refresh", re.IGNORECASE),
        "a redirect (meta refresh) page",
    ),
    (
        re.compile(r"<noscript>[^<]{0,200}(?:enable|activer?)\s+javascript", re.IGNORECASE),
        "a page that needs JavaScript to show its content",
    ),
]
# A captcha mentioned by a short page that says nothing about cookies (a real policy may name reCAPTCHA).
_WEAK_STUB = re.compile(r"captcha", re.IGNORECASE)
_LOGIN = re.compile(
    r"\b(?:sign|log)\s?in to (?:continue|view|see|access)|please (?:sign|log)\s?in\b"
    r"|connectez-vous pour (?:continuer|acc[ée]der)|access denied|403 forbidden|404 not found|page not found"
    r"|page introuvable",
    re.IGNORECASE,
)


class _Words:
    """The number of words of a text, counted only as far as a question needs.

    Splitting a whole policy into words is the costliest step of this check, and most documents
    only need to be shown to have at least 400 words (or 150, or 40): the words of the first
    8,000 characters answer that, as a prefix never has more words than the text (a word cut at
    its end is one word).
    """

    _PREFIX = 8000

    def __init__(self, text: str) -> None:
        self.text = text
        self.in_prefix = len(text[: self._PREFIX].split())  # all of them in a short text
        self._total = self.in_prefix if len(text) <= self._PREFIX else None

    @property
    def total(self) -> int:
        if self._total is None:
            self._total = len(self.text.split())
        return self._total

    def at_least(self, n: int) -> bool:
        return self.in_prefix >= n or self.total >= n


def check(ctx: Context) -> Iterable[Finding]:
    doc = ctx.document
    if not_parsed(doc):
        return
    text = " ".join(b.text for b in doc.blocks)
    words = _Words(text)
    first = next((b for b in doc.blocks if b.text.strip()), None)
    line = first.line if first else 1
    excerpt = first.text if first else (doc.title or "")

    if not words.at_least(40) or (not words.at_least(150) and not _COOKIE_CORE.search(text)):
        # ("Please enable cookies to continue" is a bot check's text too: hence the word limit.)
        head = "\n".join(doc.lines[:300])[:30000]
        stubs = list(_STUB_SOURCE)
        if not _COOKIE_CORE.search(text):
            stubs.append((_WEAK_STUB, "a bot-check (captcha) page"))
        for pattern, what in stubs:
            if pattern.search(head):
                if not excerpt and head.strip():
                    excerpt = head.strip().splitlines()[0]
                yield ctx.finding(
                    line,
                    f"This is {what}, not a cookie policy: the crawler or export saved a stub instead "
                    "of the policy.",
                    excerpt=excerpt,
                )
                return
        m = _LOGIN.search(text)
        if m and not _COOKIE_CORE.search(text):
            yield ctx.finding(
                line, f'This is a login or error page ("{m.group(0)}"), not a cookie policy.', excerpt=excerpt
            )
            return
    if not words.at_least(1):
        return  # empty: PL002
    # Only whether there is a mention matters here: search stops at the first one, where
    # findall scanned the whole document.
    if not _TRACKER_WORDS.search(text) and not _TRACKER_WORDS.search(doc.title or ""):
        yield ctx.finding(
            line,
            f"This document never mentions cookies, trackers or similar technologies ({words.total} words): "
            "it does not read as a cookie policy. Was the wrong page saved?",
            excerpt=excerpt,
        )
        return
    if not words.at_least(400) or _COOKIE_CORE.search(doc.title or ""):
        return
    if any(b.kind == "heading" and _TRACKER_WORDS.search(b.text) for b in doc.blocks):
        return
    # Counting stops once there are enough mentions (core * 1000 >= words): a real policy
    # reaches that early, and only a document that fails needs its full count for the message.
    # (The title has none: it was tested above.)
    core = 0
    for _ in _COOKIE_CORE.finditer(text):
        core += 1
        if core * 1000 >= words.total:
            return
    yield ctx.finding(
        line,
        f"This document mentions cookies or trackers only in passing ({core} time{'s' if core != 1 else ''} "
        f"in {words.total} words, under no heading): it does not read as a cookie policy.",
        excerpt=excerpt,
    )
