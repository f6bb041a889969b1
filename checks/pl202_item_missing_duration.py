"""PL202: a declared item with no duration at all."""

from __future__ import annotations

import re
from collections.abc import Iterable

from policylint.checks_api import Context
from policylint.checks_lib import (
    Sections,
    TableGroups,
    fold,
    group_by,
    is_blank,
    item_label,
    item_names,
    table_finder,
)
from policylint.model import Block, Finding, Item

CODE = "PL202"
NAME = "item-missing-duration"
SEVERITY = "warning"
SUMMARY = "A declared cookie or storage item says nothing about how long it is kept."
WHY = (
    "How long a tracker stays on the device is part of what a reader consents to, and what a "
    "regulator checks first: an identifier that lives for years tracks far more than one that "
    "ends with the session. A cookie listed without any lifetime leaves the reader guessing."
)
BASIS = (
    "GDPR Art. 13(2)(a) (storage period); ePrivacy Directive 2002/58/EC Art. 5(3) (clear and "
    "comprehensive information); CNIL délibération n° 2020-092 (recommandation): inform users of "
    "the lifetime of each tracker; ICO guidance on storage and access technologies (duration of "
    "each cookie)."
)
FIX = (
    "Give each item its lifetime ('Session', '30 days', '13 months'), or state once for the whole "
    "policy or section how long its cookies last ('all these cookies expire after 13 months')."
)
FORMAT = "markdown"

FAILING = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

## Cookies we use

We set these cookies only with your consent.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| acme_ab | Acme | Remembers which version of a page you saw in an A/B test | |
| acme_lang | Acme | Remembers your language | 1 year |
"""

PASSING = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

## Cookies we use

We set these cookies only with your consent. All these cookies expire after 13 months at most.

| Cookie | Provider | Purpose |
| --- | --- | --- |
| acme_ab | Acme | Remembers which version of a page you saw in an A/B test |
| acme_lang | Acme | Remembers your language |
"""

_AGGREGATE_OVER = 5
_SHOW = 3

_NUM = (
    r"(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"eighteen|twenty|thirty|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|treize|"
    r"vingt|trente|a|an|few|several|quelques)"
)
_UNIT = (
    r"(?:seconds?|secondes?|minutes?|mins?|hours?|heures?|days?|jours?|weeks?|semaines?|months?|mois|"
    r"years?|ans|an|annees?)"
)
_QTY = re.compile(r"\b" + _NUM + r"[\s-]{0,3}" + _UNIT + r"\b")
_SESSION = re.compile(
    r"\bsession\b|close (?:your|the) browser|fermeture (?:de votre |du )?navigateur|"
    r"quittez le navigateur|end of (?:your|the) visit"
)
_COOKIE_WORD = re.compile(r"cookie|traceur|tracker|temoin|storage|stockage|these|ces |they|ils ")
_LIFETIME = re.compile(
    r"expir|\blast|lifetime|life span|lifespan|duree|kept|stored|conserv|retain|retention|valid|persist|"
    r"deleted|supprim|remain|restent|deposes? pour|set for"
)
_UNIVERSAL = re.compile(
    r"\ball\b|\bevery\b|\beach\b|\bany\b|\btous\b|\btoutes\b|\bchaque\b|maximum|maximale|at most|no longer than|"
    r"up to|n'exce|ne depasse|jusqu'a|au plus|these cookies|ces cookies|ces traceurs|they\b|\bils\b"
)
_EXCEPT_ESSENTIAL = re.compile(
    r"(?:except|other than|apart from|sauf|a l'exception|hormis)[^.]{0,40}"
    r"(?:essential|necessary|essentiel|necessaire|indispensable)"
)
_SENTENCE = re.compile(r"[^.!?\n]{1,600}[.!?\n]?")
_EXEMPT_CATS = {"strictly_necessary", "security", "consent"}


def _has_duration(text: str | None) -> bool:
    if not text:
        return False
    s = fold(text)
    return bool(_QTY.search(s) or _SESSION.search(s))


def _lifetime_sentences(text: str) -> list[str]:
    """Sentences of a prose block that give a cookie lifetime."""
    out = []
    for m in _SENTENCE.finditer(fold(text)):
        s = m.group(0)
        if _COOKIE_WORD.search(s) and _LIFETIME.search(s) and (_QTY.search(s) or _SESSION.search(s)):
            out.append(s)
    return out


def _blanket(blocks: list[Block]) -> tuple[bool, bool]:
    """(covers every item, covers non-essential items) from policy-wide lifetime statements."""
    all_items = non_essential = False
    for b in blocks:
        if b.kind not in ("paragraph", "list_item"):
            continue
        for s in _lifetime_sentences(b.text):
            if not re.search(
                r"\ball\b|\bevery\b|\btous\b|\btoutes\b|maximum|maximale|at most|no longer|n'exce|ne depasse|au plus",
                s,
            ):
                continue
            if _EXCEPT_ESSENTIAL.search(s):
                non_essential = True
            else:
                all_items = True
    return all_items, non_essential


def check(ctx: Context) -> Iterable[Finding]:
    table_of = table_finder(ctx.document.blocks)
    policy, doc = ctx.policy, ctx.document
    all_items, non_essential = _blanket(doc.blocks)
    if all_items:
        return
    sections = Sections(doc.blocks)
    section_cache: dict[int, bool] = {}
    groups: TableGroups[Item] = TableGroups(doc.blocks)
    for item in policy.cookies:
        if not item.name or item.storage == "pixel":
            continue  # unnamed rows are PL201's; a pixel is not stored, it has no lifetime
        if not is_blank(item.duration) or item.duration_days is not None:
            continue
        if non_essential and item.category not in _EXEMPT_CATS:
            continue
        if _has_duration(item.purpose):
            continue  # "a short-lived cookie, lasting a few minutes"
        head = sections.head_of(item.line)
        if head not in section_cache:
            section_cache[head] = any(_lifetime_sentences(b.text) for b in sections.prose(head))
        if section_cache[head]:
            continue
        groups.add(item.line, item)
    considered = [it for it in policy.cookies if it.name and it.storage != "pixel"]
    missing = groups.values()
    if len(considered) >= 3 and len(missing) == len(considered):
        first = min(missing, key=lambda it: it.line)
        table = table_of(first.line)
        line = table.line if table else first.line
        yield ctx.finding(
            line,
            f"None of the {len(missing)} items the policy lists has a duration ({item_names(missing, _SHOW)}): "
            f"state how long each is kept, in a column or in one sentence per category.",
            excerpt=ctx.line_text(line).strip(),
        )
        return
    for anchor, _, items in groups.ordered(by_key=False):
        if anchor > 0 and len(items) > _AGGREGATE_OVER:
            yield ctx.finding(
                anchor,
                f"{len(items)} items in this table have no duration ({item_names(items, _SHOW)}): "
                f"state how long each is kept.",
                excerpt=ctx.line_text(anchor).strip(),
            )
            continue
        for line, its in group_by((it.line, it) for it in items):
            label = item_label(its[0]) if len(its) == 1 else item_names(its, _SHOW)
            verb = "is" if len(its) == 1 else "are"
            yield ctx.finding(
                line,
                f"{label} {verb} declared without a duration: state how long "
                f"{'it is' if len(its) == 1 else 'each is'} kept (for example 'Session' or '13 months').",
                column=its[0].column,
                excerpt=ctx.line_text(line).strip(),
            )
