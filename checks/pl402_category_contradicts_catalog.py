"""PL402: an item filed under a category that the known-cookie catalog contradicts."""

from __future__ import annotations

from collections.abc import Iterable

from policylint.checks_api import Context
from policylint.checks_lib import (
    TableGroups,
    and_more,
    catalog_category,
    catalog_entry,
    catalog_vendor,
    exempt_claimed,
    group_by,
    item_names,
)
from policylint.model import Finding, Item

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
    if exempt_claimed(item):
        return None  # set without consent: PL302 (never exempt) and PL303 (analytics) say it better
    entry = catalog_entry(ctx, item)
    known = catalog_category(entry)
    if known not in _LEVEL or known == declared or frozenset((declared, known)) in _COMPATIBLE:
        return None
    if known in ("advertising", "social_media") and declared not in (
        "advertising",
        "social_media",
        "personalisation",
    ):
        return declared, known, catalog_vendor(entry)
    if known in ("analytics", "personalisation") and declared in (
        "strictly_necessary",
        "security",
        "consent",
    ):
        return declared, known, catalog_vendor(entry)
    return None


def check(ctx: Context) -> Iterable[Finding]:
    # Items of one table, or of one section when they are written as records or a list.
    groups: TableGroups[tuple[Item, str]] = TableGroups(ctx.document.blocks, outside="section")
    for item in ctx.policy.cookies:
        found = contradiction(ctx, item)
        if found is None:
            continue
        declared, known, vendor = found
        groups.add(item.line, (item, vendor), (declared, known))
    for anchor, (declared, known), pairs in groups.ordered():
        if len(pairs) > _AGGREGATE_OVER:
            shown = [f"`{it.name}`" for it, _ in pairs[:_SHOW]]
            line = anchor if anchor > 0 else pairs[0][0].line
            where = "in this table" if anchor > 0 else "of this section"
            yield ctx.finding(
                line,
                f"{len(pairs)} items {where} are listed as {_WORDS[declared]} but are known "
                f"{_WORDS[known]} cookies ({and_more(shown, len(pairs))}): move them to the "
                f"{_WORDS[known]} category.",
                excerpt=ctx.line_text(line).strip(),
            )
            continue
        for (line, vendor), its in group_by(((it.line, vendor), it) for it, vendor in pairs):
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
                text = (
                    f"{item_names(its, _SHOW)} are listed as {_WORDS[declared]}, but they are {(vendor + ' ') if vendor else ''}{_WORDS[known]} cookies "
                    f"(cookie catalog): move them to the {_WORDS[known]} category."
                )
            yield ctx.finding(line, text, column=its[0].column, excerpt=ctx.line_text(line).strip())
