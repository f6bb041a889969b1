"""PL302: an item set without consent whose purpose can never be exempt (advertising, social media...)."""

from __future__ import annotations

from collections.abc import Iterable

from policylint.checks_api import Context
from policylint.checks_lib import (
    REUSING_VENDOR,
    TableGroups,
    catalog_entry,
    catalog_vendor,
    effective_category,
    exempt_claimed,
    fold,
    group_by,
    item_label,
    item_names,
)
from policylint.model import Finding, Item

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
_SHOW = 8  # an error: the reader must see which items to move
_NEVER_EXEMPT = {"advertising", "social_media", "personalisation"}
# Analytics never qualifies either when its vendor reuses the data for its own purposes
# (REUSING_VENDOR: Google, Meta, TikTok...), since the CNIL exemption needs first-party use only.
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


def _why_exempt(item: Item) -> str:
    if item.consent is False:
        return "set without consent"
    if item.category == "strictly_necessary":
        return "listed as strictly necessary (set without consent)"
    return f"exempted as '{(item.exemption_basis or '').strip()[:60]}'"


def problem(ctx: Context, item: Item) -> tuple[str, str] | None:
    """(category, reason) when an item claimed exempt can never be; None otherwise.

    The reason reads after "it is" / "each is": "an advertising cookie (Meta, per the cookie
    catalog), and advertising trackers can never be exempt from consent".
    """
    if not item.name or not exempt_claimed(item):
        return None
    entry = catalog_entry(ctx, item)
    category, from_catalog = effective_category(item, entry)
    vendor = catalog_vendor(entry) or item.provider or ""
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
    if category == "analytics" and REUSING_VENDOR.search(fold(vendor)):
        via = " per the cookie catalog" if from_catalog else ""
        what = (
            vendor if fold(vendor).endswith("analytics") else f"{vendor} analytics"
        )  # not "Google Analytics analytics"
        stated = (item.category or "").replace("_", " ")
        if from_catalog and stated and stated != "analytics":
            # The policy claims another exemption ("security", "strictly necessary"): answer that
            # one first, not only the audience-measurement one it never invoked.
            return category, (
                f"{what}{via}, not {stated} as the policy files it; analytics is never strictly "
                f"necessary, and since the vendor also uses the data for its own purposes, the "
                f"audience-measurement exemption does not apply either"
            )
        return category, (
            f"{what}{via}, and analytics whose data the vendor also uses for its own "
            f"purposes cannot use the audience-measurement exemption"
        )
    return None


def check(ctx: Context) -> Iterable[Finding]:
    groups: TableGroups[tuple[Item, str]] = TableGroups(ctx.document.blocks)  # key: the category
    for item in ctx.policy.cookies:
        found = problem(ctx, item)
        if found is None:
            continue
        category, reason = found
        groups.add(item.line, (item, reason), category)
    for anchor, category, pairs in groups.ordered():
        items = [it for it, _ in pairs]
        if anchor > 0 and len(pairs) > _AGGREGATE_OVER:
            yield ctx.finding(
                anchor,
                f"{len(items)} {_CATEGORY_WORDS[category]} items in this table are {_why_exempt(items[0])} "
                f"({item_names(items, _SHOW)}), but {_RULE[category]}: set them only after consent.",
                excerpt=ctx.line_text(anchor).strip(),
            )
            continue
        rows = group_by((((it.line, reason), it) for it, reason in pairs), order=lambda key: key[0])
        for (line, reason), its in rows:
            if len(its) == 1:
                it = its[0]
                text = (
                    f"{item_label(it)} is {_why_exempt(it)}, but it is {reason}: set it only after consent."
                )
            else:
                text = (
                    f"{item_names(its, _SHOW)} are {_why_exempt(its[0])}, but each is {reason}: "
                    f"set them only after consent."
                )
            yield ctx.finding(line, text, column=its[0].column, excerpt=ctx.line_text(line).strip())
