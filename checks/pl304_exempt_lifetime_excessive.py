"""PL304: an item set without consent that lives longer than its exemption allows."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable

from policylint.checks_api import Context
from policylint.model import Block, Finding, Item

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
_CONSENT_PURPOSE = re.compile(
    r"consent(?:ement)?s?\b(?! to\b)|cookie (?:choices?|preferences?|settings)|choix (?:en matiere de |relatifs aux )?cookies|"
    r"\bcmp\b|gestion des consentements"
)
_AUDIENCE = re.compile(r"mesure d'audience|audience measurement|statisti|analytic")


def _fold(text: str) -> str:
    s = unicodedata.normalize("NFKD", text.lower())
    return (
        "".join(c for c in s if not unicodedata.combining(c))
        .replace("\u00a0", " ")
        .replace("’", "'")
        .replace("‘", "'")
    )


def _entry(ctx: Context, item: Item):
    if not item.name:
        return None
    try:
        return ctx.catalog.lookup(item.name)
    except ImportError:
        return None


def _exempt_claimed(item: Item) -> bool:
    if item.consent is False:
        return True
    return item.consent is not True and (item.category == "strictly_necessary" or bool(item.exemption_basis))


def _kind(ctx: Context, item: Item) -> str | None:
    """consent | analytics | necessary for an exempt item; None when PL302 owns it or it is not exempt."""
    if not item.name or not _exempt_claimed(item) or item.duration_days is None:
        return None
    entry = _entry(ctx, item)
    known = getattr(entry, "category", None) if entry else None
    declared = item.category
    category = declared
    if known in _LEVEL and (declared not in _LEVEL or _LEVEL[known] > _LEVEL[declared]):
        category = known
    if category in ("advertising", "social_media", "personalisation"):
        return None  # cannot be exempt at all: PL302
    if category == "consent" or known == "consent" or _CONSENT_PURPOSE.search(_fold(item.purpose or "")):
        return "consent"
    basis = _fold(" ".join(x for x in (item.exemption_basis, item.section) if x))
    if category == "analytics" or _AUDIENCE.search(basis):
        return "analytics"
    return "necessary"


def _human(days: float) -> str:
    years = days / 365
    if days >= 365 and abs(years - round(years)) < 0.05:
        return f"{round(years)} year{'s' if round(years) > 1 else ''}"
    if days >= 730:
        return f"{days:g} days (about {round(years)} years)"
    if days >= 60:
        return f"{days:g} days (about {round(days / 30.42)} months)"
    return f"{days:g} days"


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


def _table_finder(blocks: list[Block]):
    """line -> the table block spanning it, or None (bisect: items × blocks would be quadratic)."""
    tables = [(b.line, max(b.end_line, b.line), b) for b in blocks if b.kind == "table"]
    starts = [t[0] for t in tables]

    def find(line: int) -> Block | None:
        i = bisect_right(starts, line) - 1
        return tables[i][2] if i >= 0 and tables[i][0] <= line <= tables[i][1] else None

    return find


def check(ctx: Context) -> Iterable[Finding]:
    table_of = _table_finder(ctx.document.blocks)
    groups: dict[tuple[int, str], list[Item]] = {}
    for item in ctx.policy.cookies:
        kind = _kind(ctx, item)
        if kind is None or (item.duration_days or 0) <= _LIMIT_DAYS:
            continue
        table = table_of(item.line)
        groups.setdefault((table.line if table else -item.line, kind), []).append(item)
    for (anchor, kind), items in sorted(groups.items(), key=lambda kv: (abs(kv[0][0]), kv[0][1])):
        if anchor > 0 and len(items) > _AGGREGATE_OVER:
            shown = ", ".join(f"`{it.name}` ({_human(it.duration_days or 0)})" for it in items[:_SHOW])
            yield ctx.finding(
                anchor,
                f"{len(items)} items in this table are set without consent and last more than 13 months "
                f"({shown} and {len(items) - _SHOW} more): {_REASON[kind]}.",
                excerpt=ctx.line_text(anchor).strip(),
            )
            continue
        by_line: dict[tuple[int, str], list[Item]] = {}
        for it in items:
            written = (it.duration or "").strip()
            lasting = written if re.search(r"[^\W\d_]", written) else _human(it.duration_days or 0)
            by_line.setdefault((it.line, lasting), []).append(it)
        for (line, lasting), its in sorted(by_line.items()):
            if len(its) == 1:
                label = f"`{its[0].name}`" + (f" ({its[0].provider})" if its[0].provider else "")
                text = f"{label} is set without consent and lasts {lasting}: {_REASON[kind]}."
            else:
                names = ", ".join(f"`{it.name}`" for it in its[:_SHOW])
                if len(its) > _SHOW:
                    names += f" and {len(its) - _SHOW} more"
                text = f"{names} are set without consent and last {lasting}: {_REASON[kind]}."
            yield ctx.finding(line, text, column=its[0].column, excerpt=ctx.line_text(line).strip())
