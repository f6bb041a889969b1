"""PL401: a statement of the policy that its own cookie list contradicts."""

from __future__ import annotations

from collections.abc import Iterable

from policylint.checks_api import Context
from policylint.checks_lib import (
    catalog_entry,
    catalog_vendor,
    effective_category,
    exempt_claimed,
    fold,
    same_company,
    shorten,
)
from policylint.model import Claim, Finding, Item

CODE = "PL401"
NAME = "claim-contradicted"
SEVERITY = "error"
SUMMARY = (
    "The policy states something ('we use no analytics cookies', 'only first-party cookies', "
    "'no consent banner is needed') that its own list of cookies contradicts."
)
WHY = (
    "Readers and regulators rely on such summary sentences more than on the table. When the "
    "inventory lists a Google Analytics cookie under a sentence saying there is no analytics, one "
    "of the two is false, and either way the information given is misleading."
)
BASIS = (
    "GDPR Art. 5(1)(a) (transparency, fairness) and Art. 12(1), 13; ePrivacy Directive 2002/58/EC "
    "Art. 5(3) (clear and comprehensive information); CNIL délibération n° 2020-091 (lignes "
    "directrices): information must be accurate for consent to be informed."
)
FIX = "Make the statement true: remove or reword it, or remove the items that contradict it from the site and the list."
FORMAT = "markdown"

FAILING = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

We do not use analytics cookies.

## Cookies we use

We set these cookies only with your consent.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| _ga | Google | Distinguishes visitors to produce audience statistics | 13 months |
"""

PASSING = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

We do not use advertising cookies.

## Cookies we use

We set these cookies only with your consent.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| _ga | Google | Distinguishes visitors to produce audience statistics | 13 months |
"""

_SHOW = 3
_WORDS = {
    "analytics": "analytics",
    "advertising": "advertising",
    "social_media": "social media",
    "personalisation": "personalisation",
}
_NON_ESSENTIAL = {"analytics", "advertising", "social_media", "personalisation"}


def _category(ctx: Context, item: Item) -> tuple[str | None, str]:
    """(category, where it comes from): the catalog wins when it knows the item is more invasive."""
    entry = catalog_entry(ctx, item)
    category, from_catalog = effective_category(item, entry)
    if from_catalog:
        words = _WORDS.get(category or "", category)
        return category, f"{catalog_vendor(entry)} {words} cookie per the cookie catalog".strip()
    return category, "listed as " + _WORDS.get(category or "", (category or "").replace("_", " "))


def _cite(items: list[tuple[Item, str]]) -> str:
    seen: dict[str, tuple[Item, str]] = {}
    for it, why in items:
        seen.setdefault(it.name or "", (it, why))
    shown = [f"`{name}` (line {it.line}, {why})" for name, (it, why) in list(seen.items())[:_SHOW]]
    rest = len(seen) - len(shown)
    return "; ".join(shown) + (f"; and {rest} more" if rest > 0 else "")


def _contradicting(ctx: Context, claim: Claim, items: list[Item], controller: str) -> list[tuple[Item, str]]:
    """Items that contradict ``claim``; ``items`` are the named items and ``controller`` the folded
    controller name, computed once per document (a long policy has thousands of claims)."""
    out: list[tuple[Item, str]] = []
    if claim.kind == "uses" and not claim.polarity and claim.subject in _WORDS:
        for it in items:
            cat, why = _category(ctx, it)
            if cat == claim.subject:
                out.append((it, why))
    elif claim.kind == "uses" and not claim.polarity and claim.subject == "third_party":
        for it in items:
            if it.party == "third":
                out.append((it, "declared third-party" + (f", set by {it.provider}" if it.provider else "")))
    elif (claim.kind == "uses" and not claim.polarity and claim.subject == "non_essential") or (
        claim.kind == "banner" and claim.subject == "consent_banner" and not claim.polarity
    ):
        for it in items:
            cat, why = _category(ctx, it)
            if it.consent is True:
                out.append((it, "set only with consent, per the policy"))
            elif cat in _NON_ESSENTIAL and not (cat == "analytics" and exempt_claimed(it)):
                out.append((it, why))
    elif claim.kind == "sharing" and claim.subject == "advertising_partners" and not claim.polarity:
        for it in items:
            cat, why = _category(ctx, it)
            if cat == "advertising" and (
                it.party == "third" or (it.provider and not same_company(it.provider, controller))
            ):
                out.append((it, why + (f", set by {it.provider}" if it.provider else ", third-party")))
    return out


_WHAT = {
    ("uses", "third_party"): "only first-party cookies are used",
    ("uses", "non_essential"): "only essential cookies are used",
    ("banner", "consent_banner"): "no consent banner is needed",
    ("sharing", "advertising_partners"): "no data are shared with advertising partners",
}


def check(ctx: Context) -> Iterable[Finding]:
    reported: set[tuple[str, str]] = set()
    items = [it for it in ctx.policy.cookies if it.name]
    controller = fold(ctx.policy.controller or "")
    evaluated: set[tuple[str, str, bool]] = set()
    for claim in ctx.policy.claims:
        key = (claim.kind, claim.subject)
        if key in reported or (*key, claim.polarity) in evaluated:
            continue  # the same statement made twice: the first one decides
        evaluated.add((*key, claim.polarity))
        against = _contradicting(ctx, claim, items, controller)
        if not against:
            continue
        reported.add(key)
        what = _WHAT.get(key) or f"no {_WORDS.get(claim.subject, claim.subject)} cookies are used"
        line, col = ctx.document.locate(claim.text[:60], claim.line, claim.line + 40)
        yield ctx.finding(
            line,
            f'The policy says {what} ("{shorten(claim.text, 90)}"), but it lists {_cite(against)}: remove or '
            f"correct the statement, or the items.",
            column=col,
            excerpt=ctx.line_text(line).strip(),
        )
