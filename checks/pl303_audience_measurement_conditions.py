"""PL303: audience measurement set without consent, without the CNIL exemption conditions."""

from __future__ import annotations

import re
from collections.abc import Iterable

from policylint.checks_api import Context
from policylint.checks_lib import (
    CONSENT_LEVEL,
    REUSING_VENDOR,
    and_more,
    catalog_category,
    catalog_entry,
    catalog_vendor,
    exempt_claimed,
    fold,
    same_company,
)
from policylint.model import Finding, Item

CODE = "PL303"
NAME = "audience-measurement-conditions"
SEVERITY = "warning"
SUMMARY = (
    "Analytics cookies are set without consent, but the policy does not state the conditions "
    "under which audience measurement may be exempt."
)
WHY = (
    "Audience measurement is exempt from consent only under strict conditions: first-party use "
    "only, anonymous aggregated statistics, a cookie lifetime of at most 13 months, collected "
    "data kept at most 25 months, no cross-referencing with other processing and no sharing with "
    "third parties (other than a processor bound by contract). A policy that exempts analytics "
    "without saying so gives readers no way to tell the exemption from ordinary tracking."
)
BASIS = (
    "ePrivacy Directive 2002/58/EC Art. 5(3); CNIL délibération n° 2020-091 (lignes directrices), "
    "art. 5 (audience-measurement exemption) and 2020-092 (recommandation): lifetime ≤ 13 months, "
    "data kept ≤ 25 months, users informed and able to object; GDPR Art. 13(1)(c), 13(2)(a)."
)
FIX = (
    "State each condition in the section on exempt audience measurement (e.g. 'used only by us to "
    "produce anonymous, aggregated statistics; cookies expire after 13 months; data are kept 25 "
    "months; they are not combined with other data nor passed to third parties'), or set these "
    "cookies only after consent."
)
FORMAT = "markdown"

FAILING = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

## Audience measurement

We set these audience-measurement cookies without your consent.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| _pk_id | Acme (Matomo) | Counts visits to our pages | 13 months |
"""

PASSING = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

## Audience measurement

We set these audience-measurement cookies without your consent. These first-party cookies are
used only by us to produce anonymous, aggregated statistics. They expire after 13 months and the
data collected are kept for 25 months at most. The data are not combined with other processing
and are not shared with third parties.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| _pk_id | Acme (Matomo) | Counts visits to our pages | 13 months |
"""

_SHOW = 4
_AUDIENCE = re.compile(
    r"mesure d'audience|audience measurement|measur\w{0,6} (?:the |our )?audience|statisti|analytic"
)
_THIRTEEN_MONTHS_DAYS = 397  # the longest 13 calendar months; "13 mois" parsed at 30.4 d/month fits

# Each condition: key, what to tell the reader, how a policy says it (folded text, EN + FR).
_NEG = r"\b(?:not|never|no|ne|n'|pas|ni|jamais|aucune?|without|sans)\b"
_CONDITIONS: list[tuple[str, str, re.Pattern[str]]] = [
    (
        "first_party",
        "the measurement is done only for the site itself (first-party)",
        re.compile(
            r"first[- ]party|premiere partie|nos propres|notre propre|pour (?:le )?compte exclusif|"
            r"exclusivement pour (?:notre|le) compte|on our (?:own )?behalf only|solely (?:on our behalf|for us)|"
            r"for our own (?:use|account|purposes)|propre compte|usage (?:exclusivement )?interne|internal use|"
            r"exclusive(?:ly)? (?:for|by) (?:us|the site)"
        ),
    ),
    (
        "anonymous",
        "it produces only anonymous, aggregated statistics",
        re.compile(r"anonym|agreg|aggregat|non nominati|sans que l'identite"),
    ),
    (
        "lifetime",
        "the cookies last at most 13 months",
        re.compile(r"\b13 (?:mois|months?)\b|thirteen months|treize mois|13-month"),
    ),
    (
        "retention",
        "the data collected are kept at most 25 months",
        re.compile(r"\b25 (?:mois|months?)\b|twenty[- ]five months|vingt[- ]cinq mois|25-month"),
    ),
    (
        "no_combination",
        "the data are not cross-referenced or combined with other processing",
        re.compile(
            _NEG + r"[^.;]{0,50}(?:recoup|combin|cross[- ]?referenc|crois|rapproch|merg|fusion|"
            r"linked (?:to|with) other|associees? a d'autres)"
        ),
    ),
    (
        "no_sharing",
        "the data are not shared with third parties (other than a processor under contract)",
        re.compile(
            _NEG + r"[^.;]{0,50}(?:shar|transmi|communiqu|partag|disclos|transfer|sold|vendu|cede)[^.;]{0,40}"
            r"(?:tiers|third|partenaire|partner|other (?:companies|organisations|organizations))|"
            r"(?:sous-traitant|processor)[^.;]{0,60}(?:contrat|contract)"
        ),
    ),
]

# Where to look for the conditions that a policy rarely states, so that their patterns need not
# scan the whole policy: key -> (words, before, after). Every match of the pattern contains one
# of the words (in folded text: no IGNORECASE caveat), starting at most ``before`` characters
# after the match starts, and ends at most ``after`` characters after that word starts (None:
# the pattern ends in a \b, which looks past the match). Read off the patterns; keep in step.
_CONDITION_WORDS: dict[str, tuple[tuple[str, ...], int, int | None]] = {
    # "13 months", "thirteen months", "treize mois", "13-month": the word starts the match.
    "lifetime": (("13 m", "thirteen months", "treize mois", "13-month"), 0, None),
    # "twenty-" comes before "five months" (7 characters), "vingt-" before "cinq mois".
    "retention": (("25 m", "five months", "cinq mois", "25-month"), 7, None),
    # A negation (at most 7 characters: "without"), at most 50 more, then one of these words;
    # the longest ending is "associees a d'autres" (20 characters).
    "no_combination": (
        ("recoup", "combin", "cross", "crois", "rapproch", "merg", "fusion", "linked ", "associee"),
        7 + 50,
        20,
    ),
    # A negation (7), at most 50, a verb (at most 9: "communiqu"), at most 40, then the third
    # party (at most 19 characters: "other organizations"); or "sous-traitant"/"processor" (13),
    # at most 60, then "contrat"/"contract".
    "no_sharing": (
        (
            "tiers",
            "third",
            "partenaire",
            "partner",
            "other companies",
            "other organisations",
            "other organizations",
            "contrat",
            "contract",
        ),
        7 + 50 + 9 + 40,
        19,
    ),
}


def _matches_near(
    rx: re.Pattern[str], text: str, words: tuple[str, ...], before: int, after: int | None
) -> bool:
    """Whether ``rx`` matches ``text``, searched only near the occurrences of ``words`` (see
    _CONDITION_WORDS). A search from ``pos`` still reads the text before it (look-behinds, \\b)."""
    if after is None:
        # No match starts before the first word less ``before``: search from there on.
        firsts = [i for w in words if (i := text.find(w)) != -1]
        return bool(firsts) and rx.search(text, max(0, min(firsts) - before)) is not None
    # Each match lies in the window of the word it contains. The window ends the text for the
    # search (``endpos``): right for these patterns, whose every match ends with a word, with no
    # \b or look-ahead after it.
    for w in words:
        i = text.find(w)
        while i != -1:
            if rx.search(text, max(0, i - before), i + after):
                return True
            i = text.find(w, i + 1)
    return False


def _exempt_analytics(ctx: Context, item: Item) -> str | None:
    """For analytics the policy sets without consent: "" when the policy itself calls it audience
    measurement/analytics, or the catalog vendor when only the catalog says so; None otherwise."""
    if not item.name or not exempt_claimed(item):
        return None
    entry = catalog_entry(ctx, item)
    known = catalog_category(entry)
    vendor = catalog_vendor(entry)
    declared = item.category
    basis = fold(" ".join(x for x in (item.exemption_basis, item.section) if x))
    if declared == "analytics" or (declared in (None, "strictly_necessary") and _AUDIENCE.search(basis)):
        source = ""  # "Les cookies de mesure d'audience strictement nécessaires"
    elif known == "analytics" and (declared not in CONSENT_LEVEL or CONSENT_LEVEL[declared] < 1):
        source = vendor or "analytics"
    else:
        return None
    # Vendors that reuse the data are PL302's: no statement of conditions can exempt them.
    if REUSING_VENDOR.search(fold(vendor or item.provider or "")):
        return None
    return source


def missing_conditions(ctx: Context, items: list[Item]) -> list[str]:
    text = fold("\n".join(b.text for b in ctx.document.blocks if b.kind != "table"))
    controller = fold(ctx.policy.controller or "")
    missing = []
    for key, label, rx in _CONDITIONS:
        near = _CONDITION_WORDS.get(key)
        if _matches_near(rx, text, *near) if near else rx.search(text):
            continue
        if key == "lifetime" and all(
            it.duration_days is not None and it.duration_days <= _THIRTEEN_MONTHS_DAYS for it in items
        ):
            continue  # every exempt item states a lifetime within 13 months
        if key == "first_party" and all(
            it.party == "first" or same_company(it.provider, controller, fold) for it in items
        ):
            continue
        missing.append(label)
    return missing


def check(ctx: Context) -> Iterable[Finding]:
    found = [(it, src) for it in ctx.policy.cookies if (src := _exempt_analytics(ctx, it)) is not None]
    if not found:
        return
    items = [it for it, _ in found]
    missing = missing_conditions(ctx, items)
    if not missing:
        return
    first = items[0]
    shown: dict[str, str] = {}
    for it, src in found:
        if it.name not in shown:
            shown[it.name or ""] = f"`{it.name}`" + (
                f" ({src} analytics per the cookie catalog)" if src else ""
            )
    names = and_more(list(shown.values())[:_SHOW], len(shown))
    framed = all(not src for _, src in found)
    what = "Audience-measurement cookies are" if framed else "Analytics cookies are"
    unstated = "; ".join(missing)
    yield ctx.finding(
        first.line,
        f"{what} set without consent ({names}), but the policy does not state that {unstated}. "
        f"Audience measurement is exempt from consent only under these conditions (CNIL): state them, "
        f"or set these cookies only after consent.",
        column=first.column,
        excerpt=ctx.line_text(first.line).strip(),
    )
