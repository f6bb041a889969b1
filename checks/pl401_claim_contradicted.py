"""PL401: a statement of the policy that its own cookie list contradicts."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from policylint.checks_api import Context
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
_LEVEL = {
    "strictly_necessary": 0,
    "security": 0,
    "consent": 0,
    "preferences": 0,
    "analytics": 1,
    "personalisation": 2,
    "advertising": 2,
    "social_media": 2,
}
_WORDS = {
    "analytics": "analytics",
    "advertising": "advertising",
    "social_media": "social media",
    "personalisation": "personalisation",
}
_NON_ESSENTIAL = {"analytics", "advertising", "social_media", "personalisation"}


def _fold(text: str) -> str:
    s = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in s if not unicodedata.combining(c)).replace("\u00a0", " ")


def _entry(ctx: Context, item: Item):
    if not item.name:
        return None
    try:
        return ctx.catalog.lookup(item.name)
    except ImportError:
        return None


def _category(ctx: Context, item: Item) -> tuple[str | None, str]:
    """(category, where it comes from): the catalog wins when it knows the item is more invasive."""
    entry = _entry(ctx, item)
    known = getattr(entry, "category", None) if entry else None
    declared = item.category
    if known in _LEVEL and (declared not in _LEVEL or _LEVEL[known] > _LEVEL[declared]):
        vendor = getattr(entry, "vendor", None) or ""
        return known, f"{vendor} {_WORDS.get(known, known)} cookie per the cookie catalog".strip()
    return declared, "listed as " + _WORDS.get(declared or "", (declared or "").replace("_", " "))


def _exempt_claimed(item: Item) -> bool:
    if item.consent is False:
        return True
    return item.consent is not True and (item.category == "strictly_necessary" or bool(item.exemption_basis))


def _own(provider: str | None, controller: str) -> bool:
    words = _fold(provider or "").split()
    return bool(words and controller and words[0] in controller)


def _cite(items: list[tuple[Item, str]]) -> str:
    seen: dict[str, tuple[Item, str]] = {}
    for it, why in items:
        seen.setdefault(it.name or "", (it, why))
    shown = [f"`{name}` (line {it.line}, {why})" for name, (it, why) in list(seen.items())[:_SHOW]]
    rest = len(seen) - len(shown)
    return "; ".join(shown) + (f"; and {rest} more" if rest > 0 else "")


def _quote(claim: Claim) -> str:
    t = " ".join(claim.text.split())
    return t if len(t) <= 90 else t[:87] + "…"


def _contradicting(ctx: Context, claim: Claim) -> list[tuple[Item, str]]:
    policy = ctx.policy
    controller = _fold(policy.controller or "")
    out: list[tuple[Item, str]] = []
    items = [it for it in policy.cookies if it.name]
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
            elif cat in _NON_ESSENTIAL and not (cat == "analytics" and _exempt_claimed(it)):
                out.append((it, why))
    elif claim.kind == "sharing" and claim.subject == "advertising_partners" and not claim.polarity:
        for it in items:
            cat, why = _category(ctx, it)
            if cat == "advertising" and (
                it.party == "third" or (it.provider and not _own(it.provider, controller))
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
    for claim in ctx.policy.claims:
        key = (claim.kind, claim.subject)
        if key in reported:
            continue  # the same statement made twice: one finding says it
        against = _contradicting(ctx, claim)
        if not against:
            continue
        reported.add(key)
        what = _WHAT.get(key) or f"no {_WORDS.get(claim.subject, claim.subject)} cookies are used"
        line, col = ctx.document.locate(claim.text[:60], claim.line, claim.line + 40)
        yield ctx.finding(
            line,
            f'The policy says {what} ("{_quote(claim)}"), but it lists {_cite(against)}: remove or '
            f"correct the statement, or the items.",
            column=col,
            excerpt=ctx.line_text(line).strip(),
        )
