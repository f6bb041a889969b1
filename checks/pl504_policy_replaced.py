"""PL504: the new version is no longer a cookie policy (replaced, moved, or an error page)."""

from __future__ import annotations

from collections.abc import Iterable

from policylint.diffing.context import DiffContext
from policylint.model import Finding

CODE = "PL504"
NAME = "policy-replaced"
SEVERITY = "error"
SCOPE = "diff"
SUMMARY = (
    "The document at the policy's place is no longer a cookie policy: a login wall, a bot check, a docs "
    "landing page, or another document such as the whole privacy policy."
)
WHY = (
    "Users were told to read this policy, and consent tools link to it. When the page becomes something "
    "else, the information users are owed disappears (or moves where they will not find it) and every "
    "comparison with the previous version is meaningless. Either the page is broken and must be restored, "
    "or the cookie information moved and users must be told where, with the new document reviewed whole."
)
BASIS = (
    "ePrivacy Directive 2002/58/EC Art. 5(3) (clear and comprehensive information before storing or "
    "reading); GDPR Art. 12(1) (information easily accessible) and 13; CNIL délibération n° 2020-091 "
    "art. 2 (information accessible at all times, e.g. from the consent tool)."
)
FIX = (
    "Restore the cookie policy at its address, or redirect the address to the section of the new document "
    "that holds the cookie information, update links from the consent tool, and tell users where it moved."
)
FORMAT = "markdown"

FAILING = (
    """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") uses cookies on acme.example. Questions: privacy@acme.example.

## Cookies we use

We set analytics cookies only with your consent.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| _ga | Google | Distinguishes visitors | 13 months |
| _gid | Google | Distinguishes visitors | 1 day |
| _gat | Google | Limits the request rate | 1 minute |
""",
    """\
# Acme Documentation

Build your first integration in ten minutes with our SDK, then browse the guides.

## Guides

- Getting started
- Authentication
- Webhooks
""",
)

PASSING = (
    FAILING[0],
    FAILING[0].replace("Last updated: 3 March 2025", "Last updated: 1 June 2025"),
)


def check_diff(ctx: DiffContext) -> Iterable[Finding]:
    if not ctx.replaced:
        return
    yield ctx.finding(
        1,
        "The new version is no longer a cookie policy: " + "; ".join(ctx.replaced) + ". The policy users "
        "were told about is gone or replaced: restore it, or tell users where the cookie information moved.",
        excerpt=ctx.line_text(1).strip(),
    )
