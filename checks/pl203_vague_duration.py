"""PL203: a duration that says nothing ("undefined", "persistent", "varies", "infini")."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable

from policylint.checks_api import Context
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


def _fold(text: str) -> str:
    s = unicodedata.normalize("NFKD", text.lower())
    return (
        "".join(c for c in s if not unicodedata.combining(c))
        .replace("\u00a0", " ")
        .replace("’", "'")
        .replace("‘", "'")
    )


def vague_term(duration: str | None) -> tuple[str, str] | None:
    """(term, footnote marker or "") when a duration is only a vague word, else None."""
    if not duration:
        return None
    s = _fold(duration).strip()
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
        t = _fold(b.text)
        for sent in re.split(r"(?<=[.!?])\s+", t):
            if rx.search(sent) and (_QTY.search(sent) or _UNTIL_CLEARED.search(sent)):
                return True
    return False


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


def _label(item: Item) -> str:
    return f"`{item.name}`" + (f" ({item.provider})" if item.provider else "")


def check(ctx: Context) -> Iterable[Finding]:
    table_of = _table_finder(ctx.document.blocks)
    doc = ctx.document
    explained: dict[tuple[str, str], bool] = {}
    groups: dict[tuple[int, str], list[Item]] = {}
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
        table = table_of(item.line)
        shown = (item.duration or "").strip()
        groups.setdefault((table.line if table else -item.line, shown), []).append(item)
    for (anchor, shown), items in sorted(groups.items(), key=lambda kv: abs(kv[0][0])):
        if anchor > 0 and len(items) > _AGGREGATE_OVER:
            yield ctx.finding(
                anchor,
                f"{len(items)} items in this table give '{shown}' as their duration ({_names(items)}): "
                f"state how long each is actually kept.",
                excerpt=ctx.line_text(anchor).strip(),
            )
            continue
        by_line: dict[int, list[Item]] = {}
        for it in items:
            by_line.setdefault(it.line, []).append(it)
        for item_line, its in sorted(by_line.items()):
            line, col = doc.locate(shown, item_line)
            label = _label(its[0]) if len(its) == 1 else _names(its)
            has = "has" if len(its) == 1 else "have"
            yield ctx.finding(
                line,
                f"{label} {has} the duration '{shown}', which gives no lifetime: state how long "
                f"{'it is' if len(its) == 1 else 'each is'} kept (for example '13 months'), or explain "
                f"the term in a note.",
                column=col if line == item_line else its[0].column,
                excerpt=ctx.line_text(item_line).strip(),
            )
