"""PL402: an item filed under a category that the known-cookie catalog contradicts."""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Iterable

from policylint.checks_api import Context
from policylint.model import Block, Finding, Item

CODE = "PL402"
NAME = "category-contradicts-catalog"
SEVERITY = "warning"
SUMMARY = (
    "An item is filed under a milder category than what it is known to be "
    "(e.g. `_fbp` under 'Analytics', `_ga` under 'Functional')."
)
WHY = (
    "Consent is given per purpose. A user who accepts 'functional' or 'performance' cookies has not "
    "agreed to advertising tracking; filing a well-known advertising cookie under a milder "
    "category makes the consent collected for it invalid and misleads the reader."
)
BASIS = (
    "GDPR Art. 4(11) and 7 (specific, informed consent), Art. 13(1)(c); ePrivacy Directive "
    "2002/58/EC Art. 5(3); CNIL délibération n° 2020-092 (recommandation): consent per purpose, "
    "purposes described accurately."
)
FIX = (
    "Move the item to the category that matches what it does, or, if the catalog is wrong for "
    "your setup (a custom cookie that reuses a known name), rename it or explain it in its purpose."
)
FORMAT = "markdown"

FAILING = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

## Analytics cookies

We set these cookies only with your consent.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| _fbp | Meta | Measures visits to our pages | 3 months |
"""

PASSING = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

## Advertising cookies

We set these cookies only with your consent.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| _fbp | Meta | Measures the reach of our ads on Facebook | 3 months |
"""

_AGGREGATE_OVER = 5
_SHOW = 3
# How much consent a category needs: contradictions that understate it are reported.
_LEVEL = {
    "strictly_necessary": 0,
    "security": 0,
    "consent": 0,
    "preferences": 0,
    "analytics": 1,
    "personalisation": 1,  # on-site personalisation and analytics are both consent-based, neither worse
    "advertising": 2,
    "social_media": 2,
}
# Pairs that are not contradictions (declared, catalog), in either order.
_COMPATIBLE = {
    frozenset(p)
    for p in (
        ("security", "strictly_necessary"),
        ("preferences", "strictly_necessary"),
        ("consent", "strictly_necessary"),
        ("consent", "preferences"),
        ("personalisation", "advertising"),
        ("personalisation", "preferences"),
        ("advertising", "social_media"),
    )
}
_WORDS = {
    "strictly_necessary": "strictly necessary",
    "security": "security",
    "preferences": "preferences/functional",
    "consent": "consent management",
    "analytics": "analytics",
    "advertising": "advertising",
    "social_media": "social media",
    "personalisation": "personalisation",
}


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


def _exempt_claimed(item: Item) -> bool:
    if item.consent is False:
        return True
    return item.consent is not True and (item.category == "strictly_necessary" or bool(item.exemption_basis))


def contradiction(ctx: Context, item: Item) -> tuple[str, str, str] | None:
    """(declared, catalog category, vendor) when the declared category understates the item.

    Reported: a known advertising/social-media cookie filed under any other purpose, and a known
    analytics/personalisation cookie filed as strictly necessary, security or consent management
    while the policy still asks consent for it. Not reported: analytics vs functional/preferences
    (vendors and consent tools disagree on those in good faith), the compatible pairs, and
    over-disclosure. Items the policy sets without consent are PL302's and PL303's.
    """
    declared = item.category
    if not item.name or declared not in _LEVEL:
        return None
    if _exempt_claimed(item):
        return None  # set without consent: PL302 (never exempt) and PL303 (analytics) say it better
    entry = _entry(ctx, item)
    known = getattr(entry, "category", None) if entry else None
    if known not in _LEVEL or known == declared or frozenset((declared, known)) in _COMPATIBLE:
        return None
    if known in ("advertising", "social_media") and declared not in (
        "advertising",
        "social_media",
        "personalisation",
    ):
        return declared, known, getattr(entry, "vendor", None) or ""
    if known in ("analytics", "personalisation") and declared in (
        "strictly_necessary",
        "security",
        "consent",
    ):
        return declared, known, getattr(entry, "vendor", None) or ""
    return None


def _heading_finder(blocks: list[Block]):
    """line -> the line of the heading it sits under (0 when none)."""
    lines = [b.line for b in blocks if b.kind == "heading"]

    def find(line: int) -> int:
        i = bisect_right(lines, line) - 1
        return lines[i] if i >= 0 else 0

    return find


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
    heading_of = _heading_finder(ctx.document.blocks)
    groups: dict[tuple[int, str, str], list[tuple[Item, str]]] = {}
    for item in ctx.policy.cookies:
        found = contradiction(ctx, item)
        if found is None:
            continue
        declared, known, vendor = found
        table = table_of(item.line)
        # Items of one table, or of one section when they are written as records or a list.
        anchor = table.line if table else -(heading_of(item.line) or item.line)
        groups.setdefault((anchor, declared, known), []).append((item, vendor))
    for (anchor, declared, known), pairs in sorted(groups.items(), key=lambda kv: (abs(kv[0][0]), kv[0][1:])):
        if len(pairs) > _AGGREGATE_OVER:
            shown = ", ".join(f"`{it.name}`" for it, _ in pairs[:_SHOW])
            line = anchor if anchor > 0 else pairs[0][0].line
            where = "in this table" if anchor > 0 else "of this section"
            yield ctx.finding(
                line,
                f"{len(pairs)} items {where} are listed as {_WORDS[declared]} but are known "
                f"{_WORDS[known]} cookies ({shown} and {len(pairs) - _SHOW} more): move them to the "
                f"{_WORDS[known]} category.",
                excerpt=ctx.line_text(line).strip(),
            )
            continue
        by_line: dict[tuple[int, str], list[Item]] = {}
        for it, vendor in pairs:
            by_line.setdefault((it.line, vendor), []).append(it)
        for (line, vendor), its in sorted(by_line.items()):
            article = "an" if (vendor or known)[:1].lower() in "aeiox" else "a"
            of = f"{article} {vendor} " if vendor else f"{article} "
            if len(its) == 1:
                it = its[0]
                text = (
                    f"`{it.name}` is listed as {_WORDS[declared]}, but it is {of}{_WORDS[known]} cookie "
                    f"(cookie catalog): move it to the {_WORDS[known]} category, or explain in its purpose "
                    f"why your `{it.name}` differs."
                )
            else:
                names = ", ".join(f"`{it.name}`" for it in its[:_SHOW])
                if len(its) > _SHOW:
                    names += f" and {len(its) - _SHOW} more"
                text = (
                    f"{names} are listed as {_WORDS[declared]}, but they are {(vendor + ' ') if vendor else ''}{_WORDS[known]} cookies "
                    f"(cookie catalog): move them to the {_WORDS[known]} category."
                )
            yield ctx.finding(line, text, column=its[0].column, excerpt=ctx.line_text(line).strip())
