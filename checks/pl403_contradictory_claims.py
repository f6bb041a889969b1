"""PL403: two statements of the policy that contradict each other."""

from __future__ import annotations

from collections.abc import Iterable

from policylint.checks_api import Context
from policylint.checks_lib import shorten
from policylint.model import Claim, Finding

CODE = "PL403"
NAME = "contradictory-claims"
SEVERITY = "error"
SUMMARY = (
    "The policy says one thing and later its opposite ('we use no analytics' … 'our analytics cookies')."
)
WHY = (
    "Contradictory statements leave the reader unable to know what actually happens, and a "
    "regulator will read the policy against its author. They usually come from a section edited "
    "without re-reading the rest."
)
BASIS = (
    "GDPR Art. 5(1)(a) and Art. 12(1) (transparent, intelligible information); ePrivacy Directive "
    "2002/58/EC Art. 5(3) (clear and comprehensive information)."
)
FIX = "Decide which statement is true and correct or remove the other."
FORMAT = "markdown"

FAILING = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

We do not use analytics cookies.

## Your choices

We use analytics cookies to measure the audience of our site, but only if you accept them.
"""

PASSING = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

We do not use advertising cookies.

## Your choices

We use analytics cookies to measure the audience of our site, but only if you accept them.
"""

_SUBJECTS = {
    ("uses", "analytics"): "analytics cookies are used",
    ("uses", "advertising"): "advertising cookies are used",
    ("uses", "social_media"): "social media cookies are used",
    ("uses", "personalisation"): "personalisation cookies are used",
    ("uses", "third_party"): "third-party cookies are used",
    ("uses", "non_essential"): "non-essential cookies are used",
    ("consent", "non_essential"): "consent is asked before non-essential cookies",
    ("banner", "consent_banner"): "a consent banner is used",
    ("signal", "gpc"): "Global Privacy Control signals are honoured",
    ("signal", "dnt"): "Do Not Track signals are honoured",
    ("sharing", "advertising_partners"): "data are shared with advertising partners",
    ("sharing", "sale"): "data are sold",
}


def check(ctx: Context) -> Iterable[Finding]:
    first: dict[tuple[str, str, bool], Claim] = {}
    for claim in sorted(ctx.policy.claims, key=lambda c: c.line):
        first.setdefault((claim.kind, claim.subject, claim.polarity), claim)
    for (kind, subject), what in _SUBJECTS.items():
        yes = first.get((kind, subject, True))
        no = first.get((kind, subject, False))
        if yes is None or no is None or yes.line == no.line:
            continue
        early, late = sorted((yes, no), key=lambda c: c.line)
        line, col = ctx.document.locate(late.text[:60], late.line, late.line + 40)
        yield ctx.finding(
            line,
            f'This says "{shorten(late.text, 80)}", but line {early.line} says "{shorten(early.text, 80)}": the policy '
            f"both affirms and denies that {what}. Correct one of them.",
            column=col,
            excerpt=ctx.line_text(line).strip(),
        )
