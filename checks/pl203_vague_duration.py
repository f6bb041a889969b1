"""PL203: a duration that says nothing ("undefined", "persistent", "varies", "infini")."""

from __future__ import annotations

import re
from collections.abc import Iterable

from policylint.checks_api import Context
from policylint.checks_lib import TableGroups, fold, group_by, item_label, item_names
from policylint.model import Block, Finding, Item

CODE = "PL203"
NAME = "vague-duration"
SEVERITY = "warning"
SUMMARY = "An item's duration is a word that gives no lifetime ('undefined', 'persistent', 'varies', 'indéterminée')."
WHY = (
    "'Persistent', 'variable' or 'undefined' tells the reader that the item outlives the session "
    "and nothing more: it may last a day or ten years. Regulators read an unexplained open-ended "
    "lifetime as no information at all, and 'undefined' is often a tool's export leaking into the text."
)
BASIS = (
    "GDPR Art. 13(2)(a) (storage period, or the criteria used to determine it) and Art. 12(1); "
    "CNIL délibération n° 2020-092 (recommandation): inform of each tracker's lifetime, which "
    "should not exceed 13 months; ICO guidance on storage and access technologies."
)
FIX = (
    "Replace the word with the real lifetime ('13 months', 'Session'), or explain it once: a "
    "footnote marked on the cell ('localStorage*' ... '* kept until you clear your browser data') "
    "counts as an explanation."
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
| acme_visitor | Acme | Counts returning visitors | undefined |
| acme_visit | Acme | Groups the pages of one visit | Session |
"""

PASSING = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

## Preference cookies

We set these cookies only with your consent.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| acme_theme | Acme | Remembers your colour theme | localStorage* |
| acme_visit | Acme | Groups the pages of one visit | Session |

\\* Local storage stays in your browser until you clear your browsing data.
"""

_AGGREGATE_OVER = 5
_SHOW = 3

_VAGUE = re.compile(
    r"(?:(?:cookie|traceur)s?\s+)?"
    r"(undefined|not defined|non definie?|unknown|inconnue?|persistent|persistant|permanent|permanente|"
    r"varies|variable|various|infini|infinie|infinite|indefinite|indetermine|indeterminee|illimite|illimitee|"
    r"unlimited|tbd|tbc|a definir|to be defined|localstorage|local storage)"
    r"(?:\s+(?:cookie|traceur)s?)?"
)
# Unlike "undefined", these say something: the tracker is never deleted, itself a problem.
# ("Permanent" is not here: policies use it for "persistent", as opposed to session.)
_ENDLESS = re.compile(r"\b(?:infinie?|infinite|illimitee?|unlimited)\b")
_MARKER = re.compile(r"(\*{1,4}|\(\d{1,2}\)|[¹²³⁴]|†)$")
_QTY = re.compile(
    r"\b(?:\d+(?:[.,]\d+)?|one|two|three|six|twelve|thirteen|un|une|deux|trois|six|douze|treize)"
    r"[\s-]{0,3}(?:seconds?|secondes?|minutes?|hours?|heures?|days?|jours?|weeks?|semaines?|months?|"
    r"mois|years?|ans|an|annees?)\b"
)
_UNTIL_CLEARED = re.compile(
    r"until (?:you|the user|they)\w{0,3} (?:clear|delete|remove|reset|erase)|until (?:deleted|cleared|removed)|"
    r"tant que [^.]{0,60}(?:supprim|efface|reinitialis)|jusqu'a ce que [^.]{0,60}(?:supprim|efface|reinitialis)|"
    r"ne les supprime|manually delete|supprimees? manuellement"
)


def vague_term(duration: str | None) -> tuple[str, str] | None:
    """(term, footnote marker or "") when a duration is only a vague word, else None."""
    if not duration:
        return None
    s = fold(duration).strip()
    s = s.replace("\\", "").strip()
    marker = ""
    if len(s) > 80:
        return None  # a sentence, not a one-word duration
    m = _MARKER.search(s)
    if m:
        marker = m.group(1)
        s = s[: m.start()].strip()
    s = s.strip(" .:;()[]")
    m = _VAGUE.fullmatch(s)
    if not m:
        return None
    return m.group(1), marker


def _footnote_explains(blocks: list[Block], marker: str) -> bool:
    """A paragraph/list item that starts with the marker and explains it."""
    if not marker:
        return False
    for b in blocks:
        if b.kind not in ("paragraph", "list_item"):
            continue
        t = b.text.lstrip("\\ \t")
        if t.startswith(marker) and len(t) > len(marker) + 15:
            return True
    return False


def _prose_explains(blocks: list[Block], term: str) -> bool:
    """A sentence outside tables that gives the vague term a lifetime."""
    stem = {
        "localstorage": "local ?storage|stockage local",
        "local storage": "local ?storage|stockage local",
    }.get(term, re.escape(term[:6]))
    rx = re.compile(stem)
    for b in blocks:
        if b.kind not in ("paragraph", "list_item"):
            continue
        t = fold(b.text)
        for sent in re.split(r"(?<=[.!?])\s+", t):
            if rx.search(sent) and (_QTY.search(sent) or _UNTIL_CLEARED.search(sent)):
                return True
    return False


def check(ctx: Context) -> Iterable[Finding]:
    doc = ctx.document
    explained: dict[tuple[str, str], bool] = {}
    groups: TableGroups[Item] = TableGroups(doc.blocks)  # key: the duration as written
    for item in ctx.policy.cookies:
        if not item.name:
            continue
        vt = vague_term(item.duration)
        if vt is None:
            continue
        if vt not in explained:
            term, marker = vt
            explained[vt] = _footnote_explains(doc.blocks, marker) or _prose_explains(doc.blocks, term)
        if explained[vt]:
            continue
        groups.add(item.line, item, (item.duration or "").strip())
    for anchor, shown, items in groups.ordered(by_key=False):
        if anchor > 0 and len(items) > _AGGREGATE_OVER:
            yield ctx.finding(
                anchor,
                f"{len(items)} items in this table give '{shown}' as their duration ({item_names(items, _SHOW)}): "
                f"state how long each is actually kept.",
                excerpt=ctx.line_text(anchor).strip(),
            )
            continue
        for item_line, its in group_by((it.line, it) for it in items):
            line, col = doc.locate(shown, item_line)
            label = item_label(its[0]) if len(its) == 1 else item_names(its, _SHOW)
            has = "has" if len(its) == 1 else "have"
            what = (
                "which means "
                + ("it is" if len(its) == 1 else "they are")
                + " never deleted: give a finite lifetime"
                if _ENDLESS.search(fold(shown))
                else "which gives no lifetime: state how long "
                + ("it is" if len(its) == 1 else "each is")
                + " kept"
            )
            yield ctx.finding(
                line,
                f"{label} {has} the duration '{shown}', {what} (for example '13 months'), or explain "
                f"the term in a note.",
                column=col if line == item_line else its[0].column,
                excerpt=ctx.line_text(item_line).strip(),
            )
