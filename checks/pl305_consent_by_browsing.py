"""PL305: the policy treats continued browsing, scrolling or closing the banner as consent."""

from __future__ import annotations

from collections.abc import Iterable

from policylint.checks_api import Context
from policylint.checks_lib import shorten
from policylint.extraction.implied_consent import ACTS
from policylint.model import Finding

CODE = "PL305"
NAME = "consent-by-browsing"
SEVERITY = "error"
SUMMARY = (
    "The policy treats continued browsing, scrolling, closing the banner or merely using the site "
    "as consent to cookies."
)
WHY = (
    "Consent to cookies must be a clear affirmative act: a user who keeps reading, scrolls, closes "
    "a banner or simply uses the site has expressed nothing. A policy that says otherwise tells "
    "regulators, in writing, that its non-essential cookies are set without valid consent."
)
BASIS = (
    "GDPR Art. 4(11) and Art. 7 (consent is a clear affirmative act) and Recital 32 (silence or "
    "inactivity is not consent); ePrivacy Directive 2002/58/EC Art. 5(3); CJEU C-673/17 Planet49; "
    "EDPB Guidelines 05/2020 on consent, §86 (scrolling or swiping through a page is not consent); "
    "CNIL délibération n° 2020-091 (lignes directrices): « la simple poursuite de la navigation sur "
    "un site ne peut plus être regardée comme une expression valide du consentement »."
)
FIX = (
    "Remove the sentence, and set non-essential cookies only after the user clicks 'Accept' (or "
    "turns them on in the settings), with a 'Reject' or 'Continue without accepting' option as easy "
    "to use; say so in the policy ('we set these cookies only if you accept them')."
)
FORMAT = "markdown"

FAILING = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

## Your consent

When you first visit acme.example, a banner informs you that we use cookies. By continuing to
browse this site, you agree to our use of cookies.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| _pk_id | Acme (Matomo) | Counts visits to our pages | 13 months |
"""

PASSING = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

## Your consent

When you first visit acme.example, a banner asks whether you accept our cookies. We set them only
if you click "Accept"; continuing to browse does not mean that you accept them, and you can
continue without accepting.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| _pk_id | Acme (Matomo) | Counts visits to our pages | 13 months |
"""


def _where(ctx: Context, sentence: str, first: int, last: int) -> tuple[int, int]:
    """Line and column of a sentence of a unit spanning lines ``first``..``last``."""
    words = sentence.split()
    for n in (6, 3):
        fragment = " ".join(words[:n])
        if len(fragment) >= 8:
            line, col = ctx.document.locate(fragment, first, last)
            if (line, col) != (first, 1) or ctx.line_text(first).lstrip().startswith(fragment):
                return line, col
    return first, 1


def check(ctx: Context) -> Iterable[Finding]:
    # The sentences are found by the extraction (claims of kind implied_consent, which the diff
    # reads too); here each is placed on its line and column.
    claims = [c for c in ctx.policy.claims if c.kind == "implied_consent" and c.polarity]
    if not claims:
        return
    spans = {}
    for b in ctx.document.blocks:
        if b.kind != "table":
            spans.setdefault(b.line, max(b.line, b.end_line))
    placed: set[tuple[int, int]] = set()
    for claim in claims:
        first = claim.line
        line, col = _where(ctx, claim.text, first, spans.get(first, first))
        if (line, col) in placed:
            continue  # two sentences that could not be placed: one finding for the block
        placed.add((line, col))
        yield ctx.finding(
            line,
            f'This says "{shorten(claim.text, 110)}": it treats {ACTS.get(claim.subject, claim.subject)} '
            f"as consent to cookies, but consent needs a clear affirmative act. Remove the sentence and set "
            f"non-essential cookies only after the user accepts them, with a way to refuse that is as easy.",
            column=col,
            excerpt=ctx.line_text(line).strip(),
        )
