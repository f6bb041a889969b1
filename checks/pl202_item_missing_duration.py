"""PL202: a declared item with no duration at all."""

from __future__ import annotations

import re
from collections.abc import Iterable

from policylint.checks_api import Context
from policylint.checks_lib import (
    Sections,
    TableGroups,
    TextIndex,
    fold,
    group_by,
    has_any,
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
# A policy-wide statement: "all cookies expire after 13 months", "kept at most 2 years".
_BLANKET = re.compile(
    r"\ball\b|\bevery\b|\btous\b|\btoutes\b|maximum|maximale|at most|no longer|n'exce|ne depasse|au plus"
)
# Literals that every match of _COOKIE_WORD, _LIFETIME and _BLANKET contains (in folded text: no
# IGNORECASE caveat), looked for in a whole block before it is split into sentences: a sentence
# has a word only if its block has it, and most blocks have none. Keep them in step.
_COOKIE_WORDS = (
    "cookie",
    "traceur",
    "tracker",
    "temoin",
    "storage",
    "stockage",
    "these",
    "ces ",
    "they",
    "ils ",
)
_LIFETIME_WORDS = (
    "expir",
    "last",
    "life",  # lifetime, life span, lifespan
    "duree",
    "kept",
    "stored",
    "conserv",
    "retain",
    "retention",
    "valid",
    "persist",
    "deleted",
    "supprim",
    "remain",
    "restent",
    "depose",
    "set for",
)
_BLANKET_WORDS = (
    "all",
    "every",
    "tous",
    "toutes",
    "maxim",
    "at most",
    "no longer",
    "n'exce",
    "ne depasse",
    "au plus",
)
_EXEMPT_CATS = {"strictly_necessary", "security", "consent"}


def _has_duration(text: str | None) -> bool:
    if not text:
        return False
    s = fold(text)
    return bool(_QTY.search(s) or _SESSION.search(s))


def _lifetime_sentences(text: str) -> list[str]:
    """Sentences of a prose block that give a cookie lifetime."""
    folded = fold(text)
    if not (has_any(folded, _COOKIE_WORDS) and has_any(folded, _LIFETIME_WORDS)):
        return []
    out = []
    for m in _SENTENCE.finditer(folded):
        s = m.group(0)
        if _COOKIE_WORD.search(s) and _LIFETIME.search(s) and (_QTY.search(s) or _SESSION.search(s)):
            out.append(s)
    return out


def _blanket(blocks: list[Block]) -> tuple[bool, bool]:
    """(covers every item, covers non-essential items) from policy-wide lifetime statements."""
    all_items = non_essential = False
    prose = [b for b in blocks if b.kind in ("paragraph", "list_item")]
    folded = TextIndex([fold(b.text) for b in prose])
    # Only the blocks with a word of _BLANKET can hold such a statement (a sentence is in its block).
    for i in sorted(folded.with_any(_BLANKET_WORDS)):
        for s in _lifetime_sentences(prose[i].text):
            if not _BLANKET.search(s):
                continue
            if _EXCEPT_ESSENTIAL.search(s):
                non_essential = True
            else:
                all_items = True
    return all_items, non_essential


def check(ctx: Context) -> Iterable[Finding]:
    policy, doc = ctx.policy, ctx.document
    # The items that give no duration anywhere in their row (unnamed rows are PL201's; a pixel is
    # not stored, it has no lifetime; "a short-lived cookie, lasting a few minutes" gives one).
    # Without any there is nothing to report, and the policy's prose need not be read.
    undated = [
        it
        for it in policy.cookies
        if it.name
        and it.storage != "pixel"
        and is_blank(it.duration)
        and it.duration_days is None
        and not _has_duration(it.purpose)
    ]
    if not undated:
        return
    all_items, non_essential = _blanket(doc.blocks)
    if all_items:
        return
    sections = Sections(doc.blocks)
    section_cache: dict[int, bool] = {}
    groups: TableGroups[Item] = TableGroups(doc.blocks)
    for item in undated:
        if non_essential and item.category not in _EXEMPT_CATS:
            continue
        head = sections.head_of(item.line)
        if head not in section_cache:
            section_cache[head] = any(_lifetime_sentences(b.text) for b in sections.prose(head))
        if section_cache[head]:
            continue
        groups.add(item.line, item)
    table_of = table_finder(doc.blocks)
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
