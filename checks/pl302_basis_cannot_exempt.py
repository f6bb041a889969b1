"""PL302: an item set without consent whose purpose can never be exempt (advertising, social media...)."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable

from policylint.checks_api import Context
from policylint.model import Block, Finding, Item

CODE = "PL302"
NAME = "basis-cannot-exempt"
SEVERITY = "error"
SUMMARY = (
    "An item is set without consent (or listed as strictly necessary) although its purpose "
    "(advertising, social media, cross-site personalisation, third-party analytics) can never be exempt."
)
WHY = (
    "Only what is strictly necessary for a service the user explicitly asked for, or for "
    "transmitting a communication, may be stored or read without consent. Advertising, social "
    "media and cross-site personalisation trackers never qualify, and neither does analytics whose "
    "data the vendor reuses for its own purposes (Google Analytics, advertising pixels). Listing "
    "such a cookie as 'essential' or 'set without consent' is the most common ground for CNIL and "
    "ICO sanctions."
)
BASIS = (
    "ePrivacy Directive 2002/58/EC Art. 5(3); CNIL délibération n° 2020-091 (lignes directrices), "
    "art. 4-5 (exempted trackers) and the audience-measurement exemption conditions; EDPB "
    "Guidelines 2/2023 on the technical scope of Art. 5(3); ICO guidance on storage and access "
    "technologies ('strictly necessary' does not cover advertising or analytics)."
)
FIX = (
    "Move the item to a consent-based category and set it only after consent; if it really serves "
    "a strictly necessary function, say which one and check the cookie name is not the vendor's "
    "advertising cookie."
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
| _fbp | Meta | Delivers our ads on Facebook | 3 months |
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

## Advertising cookies

We set these cookies only if you accept them.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| _fbp | Meta | Delivers our ads on Facebook | 3 months |
"""

_AGGREGATE_OVER = 5
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
_NEVER_EXEMPT = {"advertising", "social_media", "personalisation"}
# Analytics whose data the vendor processes for its own purposes cannot use the CNIL
# audience-measurement exemption (CNIL: Google Analytics; advertising platforms' pixels).
_REUSING_VENDOR = re.compile(
    r"\b(?:google|doubleclick|facebook|meta|instagram|tiktok|bytedance|linkedin|twitter|x corp|criteo|"
    r"snap|pinterest|reddit|yandex|bing|taboola|outbrain)\b"
)
# Why a whole group cannot be exempt, for the one finding that covers a large table.
_RULE = {
    "advertising": "advertising trackers can never be exempt from consent",
    "social_media": "social media trackers can never be exempt from consent",
    "personalisation": "tailoring content to a user's profile needs consent",
    "analytics": (
        "analytics whose data the vendor also uses for its own purposes (per the cookie catalog) cannot "
        "use the audience-measurement exemption"
    ),
}
_CATEGORY_WORDS = {
    "advertising": "advertising",
    "social_media": "social media",
    "personalisation": "personalisation",
    "analytics": "analytics",
}


def _fold(text: str) -> str:
    s = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in s if not unicodedata.combining(c)).replace("\u00a0", " ")


def _entry(ctx: Context, item: Item):
    if not item.name:
        return None
    try:
        return ctx.catalog.lookup(item.name)
    except ImportError:  # no catalog installed: judge on the policy alone
        return None


def exempt_claimed(item: Item) -> bool:
    """The policy says the item is set without consent, or classes it as strictly necessary."""
    if item.consent is False:
        return True
    return item.consent is not True and (item.category == "strictly_necessary" or bool(item.exemption_basis))


def effective_category(item: Item, entry) -> tuple[str | None, bool]:
    """(category, from catalog): the catalog wins when it knows the item is more invasive."""
    declared = item.category
    known = getattr(entry, "category", None) if entry else None
    if known in _LEVEL and (declared not in _LEVEL or _LEVEL[known] > _LEVEL[declared]):
        return known, True
    return declared, False


def _vendor(item: Item, entry) -> str:
    return (getattr(entry, "vendor", None) if entry else None) or item.provider or ""


def _why_exempt(item: Item) -> str:
    if item.consent is False:
        return "set without consent"
    if item.category == "strictly_necessary":
        return "listed as strictly necessary (set without consent)"
    return f"exempted as '{(item.exemption_basis or '').strip()[:60]}'"


def _table_finder(blocks: list[Block]):
    """line -> the table block spanning it, or None (bisect: items × blocks would be quadratic)."""
    tables = [(b.line, max(b.end_line, b.line), b) for b in blocks if b.kind == "table"]
    starts = [t[0] for t in tables]

    def find(line: int) -> Block | None:
        i = bisect_right(starts, line) - 1
        return tables[i][2] if i >= 0 and tables[i][0] <= line <= tables[i][1] else None

    return find


def _names(items: list[Item]) -> str:
    shown = [f"`{it.name}`" for it in items[:_SHOW]]
    rest = len(items) - len(shown)
    return ", ".join(shown) + (f" and {rest} more" if rest > 0 else "")


def problem(ctx: Context, item: Item) -> tuple[str, str] | None:
    """(category, reason) when an item claimed exempt can never be; None otherwise.

    The reason reads after "it is" / "each is": "an advertising cookie (Meta, per the cookie
    catalog), and advertising trackers can never be exempt from consent".
    """
    if not item.name or not exempt_claimed(item):
        return None
    entry = _entry(ctx, item)
    category, from_catalog = effective_category(item, entry)
    vendor = _vendor(item, entry)
    source = f" ({vendor}, per the cookie catalog)" if from_catalog and vendor else ""
    if category == "personalisation":
        return category, (
            f"a personalisation cookie{source}, and tailoring content to a user's profile needs consent "
            f"(only interface settings the user chose, such as language, are exempt)"
        )
    if category in _NEVER_EXEMPT:
        article = "an" if category == "advertising" else "a"
        return category, (
            f"{article} {_CATEGORY_WORDS[category]} cookie{source}, and {_CATEGORY_WORDS[category]} "
            f"trackers can never be exempt from consent"
        )
    if category == "analytics" and _REUSING_VENDOR.search(_fold(vendor)):
        via = " per the cookie catalog" if from_catalog else ""
        return category, (
            f"{vendor} analytics{via}, and analytics whose data the vendor also uses for its own "
            f"purposes cannot use the audience-measurement exemption"
        )
    return None


def check(ctx: Context) -> Iterable[Finding]:
    table_of = _table_finder(ctx.document.blocks)
    groups: dict[tuple[int, str], list[tuple[Item, str]]] = {}
    for item in ctx.policy.cookies:
        found = problem(ctx, item)
        if found is None:
            continue
        category, reason = found
        table = table_of(item.line)
        groups.setdefault((table.line if table else -item.line, category), []).append((item, reason))
    for (anchor, category), pairs in sorted(groups.items(), key=lambda kv: (abs(kv[0][0]), kv[0][1])):
        items = [it for it, _ in pairs]
        if anchor > 0 and len(pairs) > _AGGREGATE_OVER:
            yield ctx.finding(
                anchor,
                f"{len(items)} {_CATEGORY_WORDS[category]} items in this table are {_why_exempt(items[0])} "
                f"({_names(items)}), but {_RULE[category]}: set them only after consent.",
                excerpt=ctx.line_text(anchor).strip(),
            )
            continue
        by_line: dict[tuple[int, str], list[Item]] = {}
        for it, reason in pairs:
            by_line.setdefault((it.line, reason), []).append(it)
        for (line, reason), its in sorted(by_line.items(), key=lambda kv: kv[0][0]):
            if len(its) == 1:
                it = its[0]
                label = f"`{it.name}`" + (f" ({it.provider})" if it.provider else "")
                text = f"{label} is {_why_exempt(it)}, but it is {reason}: set it only after consent."
            else:
                text = (
                    f"{_names(its)} are {_why_exempt(its[0])}, but each is {reason}: "
                    f"set them only after consent."
                )
            yield ctx.finding(line, text, column=its[0].column, excerpt=ctx.line_text(line).strip())
