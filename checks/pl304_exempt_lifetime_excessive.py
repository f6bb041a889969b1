"""PL304: an item set without consent that lives longer than its exemption allows."""

from __future__ import annotations

import re
from collections.abc import Iterable

from policylint.checks_api import Context
from policylint.checks_lib import (
    REUSING_VENDOR,
    TableGroups,
    and_more,
    catalog_category,
    catalog_entry,
    catalog_vendor,
    describe_days,
    effective_category,
    exempt_claimed,
    fold,
    group_by,
    item_label,
    item_names,
)
from policylint.model import Finding, Item

CODE = "PL304"
NAME = "exempt-lifetime-excessive"
SEVERITY = "warning"
SUMMARY = "An item set without consent lasts longer than its exemption allows (more than 13 months)."
WHY = (
    "The exemption from consent covers a tracker only as far as its purpose needs it. A cookie "
    "that stores the user's consent choice has no reason to outlive the 13 months after which "
    "the choice must be asked again; exempt audience-measurement cookies may not last more than "
    "13 months; and a 'strictly necessary' identifier that lives for years is rarely strictly "
    "necessary for that long."
)
BASIS = (
    "ePrivacy Directive 2002/58/EC Art. 5(3) (strictly necessary); CNIL délibération n° 2020-091 "
    "(lignes directrices), art. 5 (audience measurement: lifetime ≤ 13 months) and 2020-092 "
    "(recommandation): keep the user's choice for 6 months recommended, renew consent at most every "
    "13 months, tracker lifetime ≤ 13 months; GDPR Art. 5(1)(c) and (e) (data minimisation, "
    "storage limitation)."
)
FIX = (
    "Shorten the lifetime to what the purpose needs (13 months at most for consent-choice and "
    "audience-measurement cookies), or explain why the service needs a longer one."
)
FORMAT = "markdown"

FAILING = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

## Strictly necessary cookies

These cookies are strictly necessary for the site to work, so we set them without asking.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| acme_session | Acme | Keeps you signed in | Session |
| acme_consent | Acme | Stores your cookie consent choices | 2 years |
"""

PASSING = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

## Strictly necessary cookies

These cookies are strictly necessary for the site to work, so we set them without asking.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| acme_session | Acme | Keeps you signed in | Session |
| acme_consent | Acme | Stores your cookie consent choices | 6 months |
"""

_AGGREGATE_OVER = 5
_SHOW = 3
# 13 months, read generously: the longest 13 calendar months are 397 days, and "13 mois"
# parses to ~395.5 days. Only lifetimes clearly beyond 13 months are reported.
_LIMIT_DAYS = 397
_CONSENT_PURPOSE = re.compile(
    r"consent(?:ement)?s?\b(?! to\b)|cookie (?:choices?|preferences?|settings)|choix (?:en matiere de |relatifs aux )?cookies|"
    r"\bcmp\b|gestion des consentements"
)
_AUDIENCE = re.compile(r"mesure d'audience|audience measurement|statisti|analytic")


def _kind(ctx: Context, item: Item) -> str | None:
    """consent | analytics | necessary for an exempt item; None when PL302 owns it or it is not exempt."""
    if not item.name or not exempt_claimed(item) or item.duration_days is None:
        return None
    entry = catalog_entry(ctx, item)
    known = catalog_category(entry)
    category, _ = effective_category(item, entry)
    if category in ("advertising", "social_media", "personalisation"):
        return None  # cannot be exempt at all: PL302
    if category == "analytics" and REUSING_VENDOR.search(fold(catalog_vendor(entry) or item.provider or "")):
        return None  # a vendor's own analytics cannot be exempt either: PL302
    if category == "consent" or known == "consent" or _CONSENT_PURPOSE.search(fold(item.purpose or "")):
        return "consent"
    basis = fold(" ".join(x for x in (item.exemption_basis, item.section) if x))
    if category == "analytics" or _AUDIENCE.search(basis):
        return "analytics"
    return "necessary"


_REASON = {
    "consent": (
        "longer than the exemption allows for a consent-choice cookie, since the choice must be asked "
        "again after 13 months at most (CNIL recommends keeping it 6 months); shorten it"
    ),
    "analytics": "longer than the 13 months the audience-measurement exemption allows; shorten it to 13 months",
    "necessary": (
        "longer than 13 months, which is rarely needed for a strictly necessary cookie (CNIL treats "
        "13 months as the ceiling for tracker lifetimes); shorten it or explain why the service needs it"
    ),
}


def _lasting(item: Item) -> str:
    """The lifetime as the policy writes it ("2 ans"), or in words when it gives only a number."""
    written = (item.duration or "").strip()
    return written if re.search(r"[^\W\d_]", written) else describe_days(item.duration_days or 0)


def check(ctx: Context) -> Iterable[Finding]:
    groups: TableGroups[Item] = TableGroups(ctx.document.blocks)  # key: the kind of exemption
    for item in ctx.policy.cookies:
        kind = _kind(ctx, item)
        if kind is None or (item.duration_days or 0) <= _LIMIT_DAYS:
            continue
        groups.add(item.line, item, kind)
    for anchor, kind, items in groups.ordered():
        if anchor > 0 and len(items) > _AGGREGATE_OVER:
            shown = [f"`{it.name}` ({describe_days(it.duration_days or 0)})" for it in items[:_SHOW]]
            yield ctx.finding(
                anchor,
                f"{len(items)} items in this table are set without consent and last more than 13 months "
                f"({and_more(shown, len(items))}): {_REASON[kind]}.",
                excerpt=ctx.line_text(anchor).strip(),
            )
            continue
        for (line, lasting), its in group_by(((it.line, _lasting(it)), it) for it in items):
            if len(its) == 1:
                text = f"{item_label(its[0])} is set without consent and lasts {lasting}: {_REASON[kind]}."
            else:
                text = (
                    f"{item_names(its, _SHOW)} are set without consent and last {lasting}: {_REASON[kind]}."
                )
            yield ctx.finding(line, text, column=its[0].column, excerpt=ctx.line_text(line).strip())
