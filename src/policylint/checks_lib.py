"""Helpers shared by the check files in ``checks/``.

Several checks need the same plumbing: fold text before matching it, find the table or
section a line sits in, group items per table so that a large inventory gets one finding
instead of fifty, list "`a`, `b`, `c` and 4 more", tell whether the policy claims an item is
exempt from consent, resolve an item's category against the known-cookie catalog. Each
helper lives here once, so that a fix reaches every check that relies on it and two checks
that must agree (PL302 and PL303 on which vendors reuse analytics data, PL102 and PL103 on
what a label is) cannot drift apart.

A check file keeps what makes it a rule: its constants, examples, patterns and messages.
Nothing here imports a parser or the catalog at import time, so check files stay cheap to
load.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from itertools import accumulate
from operator import add
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from policylint.extraction.vocab import fold, has_any  # noqa: F401 - re-exported for checks
from policylint.model import Block, Cell, Document, Item

if TYPE_CHECKING:
    from policylint.catalog import CookieEntry
    from policylint.checks_api import Context

K = TypeVar("K")
V = TypeVar("V")

# ---------------------------------------------------------------------------------------------
# Text


def is_blank(value: str | None, filler: str = " \t-–—") -> bool:
    """Whether a cell value says nothing: empty, or only dashes (the usual "no value" mark)."""
    return not value or not value.strip(filler)


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` characters with "…", for quoting it in a message."""
    t = " ".join(text.split())
    return t if len(t) <= limit else t[: limit - 3] + "…"


class TextIndex:
    """Many texts (a document's units, blocks or lines) joined once, to find the few that contain
    a word with one scan of the whole instead of one test per text.

    A document-level prefilter: a document has thousands of units and most contain none of the
    words a pattern needs, but testing each unit for each word costs a Python call every time.
    ``str.find`` on the joined text jumps from one occurrence to the next; a word absent from
    the document costs a single scan. ``index[i]`` is the i-th text.
    """

    def __init__(self, texts: Sequence[str]) -> None:
        self._texts: Sequence[str] | None = texts
        # Joined by "\n", which no word may contain: an occurrence never spans two texts.
        self.text = "\n".join(texts)
        # Where each text starts in ``text``: the lengths of the texts before it, plus one "\n"
        # after each (computed without a Python loop: documents have thousands of texts).
        self.starts: list[int] = list(map(add, accumulate(map(len, texts), initial=0), range(len(texts))))

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i: int) -> str:
        if self._texts is not None:
            return self._texts[i]
        end = self.starts[i + 1] - 1 if i + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[i] : end]

    def with_any(self, words: Iterable[str]) -> set[int]:
        """Indices of the texts that contain one of ``words`` (exactly those: ``i`` is in the set
        iff some word is a substring of ``index[i]``)."""
        found: set[int] = set()
        text, starts = self.text, self.starts
        last = len(starts) - 1
        for w in words:
            if not w or "\n" in w:
                raise ValueError(f"cannot look for {w!r}: words must be non-empty, on one line")
            i = text.find(w)
            while i != -1:
                k = bisect_right(starts, i) - 1
                found.add(k)
                if k == last:
                    break
                i = text.find(w, starts[k + 1])  # the next text: one hit per text is enough
        return found

    def lower(self) -> TextIndex:
        """The index of the lower-cased texts: ``index.lower()[i] == index[i].lower()``."""
        low = self.text.lower()
        if len(low) != len(self.text):
            # A character lower-cased to two ("İ" → "i̇") moved the offsets: one text at a time.
            return TextIndex([self[i].lower() for i in range(len(self))])
        # Lower-casing maps each character on its own, but for "Σ", whose form depends on the
        # letters around it; "\n" is neither a letter nor skipped over, so the joined text
        # lower-cased is the texts lower-cased and joined, at the same offsets.
        out = TextIndex([])
        out._texts, out.text, out.starts = None, low, self.starts
        return out


def line_at(doc: Document, line: int) -> str:
    """Source line ``line`` (1-based) of ``doc``; "" outside the file (findings may point past it)."""
    return doc.lines[line - 1] if 0 < line <= len(doc.lines) else ""


def not_parsed(doc: Document) -> bool:
    """The loader could not read the file (binary, PL001) or skipped it (too large, PL006).

    Then the document has no blocks for a reason the loader's own finding gives, and the
    checks that look at the text should stay silent.
    """
    return any(code in ("PL001", "PL006") for code, _ in doc.problems)


# ---------------------------------------------------------------------------------------------
# Lists of names in messages


def and_more(shown: Sequence[str], total: int) -> str:
    """``shown`` joined with commas, then " and N more" for the ``total - len(shown)`` left out.

    Messages about many items name a few and count the rest, so they stay readable on an
    inventory of hundreds of cookies.
    """
    rest = total - len(shown)
    return ", ".join(shown) + (f" and {rest} more" if rest > 0 else "")


def name_list(names: Sequence[str | None], show: int) -> str:
    """The first ``show`` names in backticks, then the count of the rest: `a`, `b`, `c` and 2 more."""
    return and_more([f"`{n}`" for n in names[:show]], len(names))


def item_names(items: Sequence[Item], show: int) -> str:
    """:func:`name_list` of the items' names."""
    return and_more([f"`{it.name}`" for it in items[:show]], len(items))


def item_label(item: Item) -> str:
    """An item's name, and its provider when the policy gives one: `_ga` (Google)."""
    return f"`{item.name}`" + (f" ({item.provider})" if item.provider else "")


# ---------------------------------------------------------------------------------------------
# Document structure


def title_line(doc: Document) -> int:
    """The policy's title: its first top-level heading (page chrome often comes first), else the
    first block, else line 1. Where findings about the whole document point."""
    headings = [b for b in doc.blocks if b.kind == "heading"]
    if headings:
        top = min(b.level for b in headings)
        return next(b.line for b in headings if b.level == top)
    return doc.blocks[0].line if doc.blocks else 1


def text_units(doc: Document) -> Iterator[tuple[str, int, int, Block]]:
    """(text, first line, last line, block) for each block, and for each cell of a table.

    Cells are their own units: a value and the text of the next column are not one sentence.
    """
    for b in doc.blocks:
        if b.kind == "table":
            for row in [b.header, *b.rows]:
                for cell in row:
                    yield cell.text, cell.line, cell.line, b
        else:
            yield b.text, b.line, max(b.line, b.end_line), b


def unit_sources(doc: Document) -> list[Block | Cell]:
    """The units of :func:`text_units` as the blocks and cells themselves, in the same order.

    For checks that search every unit but look closely at few: one list built without a Python
    step per cell, where ``text_units`` makes a tuple for each. ``unit.text`` is the unit's text,
    :func:`unit_span` its lines.
    """
    out: list[Block | Cell] = []
    append, extend = out.append, out.extend
    for b in doc.blocks:
        if b.kind == "table":
            extend(b.header)
            for row in b.rows:
                extend(row)
        else:
            append(b)
    return out


def unit_span(unit: Block | Cell) -> tuple[int, int]:
    """(first line, last line) of a unit of :func:`unit_sources`, as :func:`text_units` gives them."""
    if isinstance(unit, Cell):
        return unit.line, unit.line
    return unit.line, max(unit.line, unit.end_line)


def table_header_and_body(table: Block) -> tuple[list[Cell], list[list[Cell]]]:
    """The header cells and body rows of a table.

    A layout table (or an HTML→Markdown export) has an empty header and its real header as the
    first body row: that row is taken as the header when at least half its cells are filled.
    """
    header, rows = table.header, table.rows
    if (not header or all(not c.text.strip() for c in header)) and rows:
        first = rows[0]
        if first and sum(1 for c in first if c.text.strip()) >= max(1, len(first) // 2):
            return first, rows[1:]
    return header, rows


def table_finder(blocks: list[Block]) -> Callable[[int], Block | None]:
    """line -> the table block spanning it, or None (bisect: items × blocks would be quadratic)."""
    tables = [(b.line, max(b.end_line, b.line), b) for b in blocks if b.kind == "table"]
    starts = [t[0] for t in tables]

    def find(line: int) -> Block | None:
        i = bisect_right(starts, line) - 1
        return tables[i][2] if i >= 0 and tables[i][0] <= line <= tables[i][1] else None

    return find


def heading_finder(blocks: list[Block]) -> Callable[[int], int]:
    """line -> the line of the heading it sits under (0 when none)."""
    lines = [b.line for b in blocks if b.kind == "heading"]

    def find(line: int) -> int:
        i = bisect_right(lines, line) - 1
        return lines[i] if i >= 0 else 0

    return find


class Sections:
    """The section of a line (its innermost heading) and the prose of each section, cached.

    Checks ask once per item, and inventories have thousands of items: the heading is found
    by bisection and each section's prose is collected once.
    """

    def __init__(self, blocks: list[Block]) -> None:
        self.blocks = blocks
        self.heads = [i for i, b in enumerate(blocks) if b.kind == "heading"]
        self.lines = [blocks[i].line for i in self.heads]
        self._prose: dict[int, list[Block]] = {}

    def rank(self, line: int) -> int:
        """Position in ``heads`` of the innermost heading at or before ``line``; -1 before any."""
        return bisect_right(self.lines, line) - 1

    def head_of(self, line: int) -> int:
        """Block index of the innermost heading at or before ``line``; -1 before any heading."""
        k = self.rank(line)
        return self.heads[k] if k >= 0 else -1

    def prose(self, head: int) -> list[Block]:
        """Paragraphs and list items of the section that heading ``head`` opens, up to the next
        heading of the same or a higher level (before any heading: up to the first heading)."""
        if head not in self._prose:
            level = self.blocks[head].level if head >= 0 else 0
            out = []
            for b in self.blocks[head + 1 :]:
                if b.kind == "heading" and (b.level <= level or level == 0):
                    break
                if b.kind in ("paragraph", "list_item"):
                    out.append(b)
            self._prose[head] = out
        return self._prose[head]


def colon_end(doc: Document, b: Block) -> tuple[int, int]:
    """Line and column (1-based) of the colon that ends block ``b`` in the source."""
    tail = b.text.rstrip()[-40:]
    ln, col = doc.locate(tail, b.line, max(b.line, b.end_line))
    if line_at(doc, ln).find(tail) == col - 1:
        return ln, col + len(tail) - 1
    # Markup inside the text ("<b>Email</b>:"): the last colon of the block's last line.
    end = max(b.line, b.end_line)
    src = line_at(doc, end)
    return end, max(src.rfind(":"), src.rfind("：")) + 1 or 1


def source_after(doc: Document, ln: int, col: int, nxt: Block | None) -> str:
    """The source from just after (ln, col) to where the next block starts (or 40 lines on).

    What the parser dropped between two blocks (a widget, a script-rendered table, an image, a
    comment) is only visible there.
    """
    if nxt is not None:
        probe = nxt.text[:30]
        ln2, col2 = doc.locate(probe, nxt.line, max(nxt.line, nxt.end_line))
        if line_at(doc, ln2).find(probe) != col2 - 1:
            ln2, col2 = nxt.line, 1
    else:
        ln2 = min(len(doc.lines), ln + 40)
        col2 = len(doc.lines[ln2 - 1]) + 1 if 0 < ln2 <= len(doc.lines) else 1
    if (ln2, col2) <= (ln, col):
        return ""
    if ln2 == ln:
        return doc.lines[ln - 1][col : col2 - 1]
    parts = [doc.lines[ln - 1][col:], *doc.lines[ln : ln2 - 1], doc.lines[ln2 - 1][: col2 - 1]]
    return "\n".join(parts)[:200_000]


# Words of a short "Label:" line that wants a value ("Email:", "Last updated:"). PL102 reports
# such a label left without its value; PL103 must not take it for a sentence announcing a list.
VALUE_LABEL = re.compile(
    r"\b(?:e-?mail|courriel|mail|address|adresse|phone|t[ée]l[ée]phone|tel|fax|date|updated|mise [àa] jour"
    r"|effective|version|contact|website|site|url|domain|domaine|dpo|controller|responsable|company|soci[ée]t[ée]"
    r"|name|nom|si[èe]ge|registered|postal|siret|rcs|vat|tva|duration|dur[ée]e|expiry|expiration|provider"
    r"|fournisseur|purpose|finalit[ée])\b",
    re.IGNORECASE,
)


# ---------------------------------------------------------------------------------------------
# Grouping items per table


_ANY: Any = object()


class TableGroups(Generic[V]):
    """Values filed per table, so that a check can report a large table once.

    A value is filed under an *anchor* and a key (a category, a missing field...). The anchor
    is the first line of the table the value's line falls in (> 0); outside tables it is minus
    the value's own line (one group per lone item), or with ``outside="section"`` minus the
    line of the heading above it (items written as records or a list group per section).
    """

    def __init__(self, blocks: list[Block], *, outside: Literal["line", "section"] = "line") -> None:
        self._table_of = table_finder(blocks)
        self._heading_of = heading_finder(blocks) if outside == "section" else None
        self.groups: dict[tuple[int, Any], list[V]] = {}

    def anchor(self, line: int) -> int:
        """The anchor a value on ``line`` is filed under."""
        table = self._table_of(line)
        if table is not None:
            return table.line
        if self._heading_of is not None:
            return -(self._heading_of(line) or line)
        return -line

    def add(self, line: int, value: V, key: Hashable = None) -> None:
        """File ``value`` (about source line ``line``) under its anchor and ``key``."""
        self.groups.setdefault((self.anchor(line), key), []).append(value)

    def values(self, key: Any = _ANY) -> list[V]:
        """Every value filed (only those under ``key`` when given), group by group."""
        return [v for (_, k), vs in self.groups.items() if key is _ANY or k == key for v in vs]

    def discard(self, key: Hashable) -> None:
        """Forget the groups filed under ``key`` (a finding for the whole policy said it)."""
        self.groups = {k: v for k, v in self.groups.items() if k[1] != key}

    def ordered(self, *, by_key: bool = True) -> list[tuple[int, Any, list[V]]]:
        """(anchor, key, values) in document order of the anchors; within one anchor by key, or
        (``by_key=False``) in the order the groups were first filled."""
        if by_key:
            pairs = sorted(self.groups.items(), key=lambda kv: (abs(kv[0][0]), kv[0][1]))
        else:
            pairs = sorted(self.groups.items(), key=lambda kv: abs(kv[0][0]))
        return [(anchor, key, values) for (anchor, key), values in pairs]


def group_by(
    pairs: Iterable[tuple[K, V]], order: Callable[[K], Any] | None = None
) -> list[tuple[K, list[V]]]:
    """(key, values) for (key, value) pairs, sorted by key (or by ``order(key)``, stable).

    For the per-row findings of a check: the items of one row (one line) are one finding.
    """
    out: dict[K, list[V]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    sort_key = order or (lambda k: k)
    return sorted(out.items(), key=lambda kv: sort_key(kv[0]))


# ---------------------------------------------------------------------------------------------
# Consent, exemption and categories


def exempt_claimed(item: Item) -> bool:
    """The policy says the item is set without consent, or classes it as strictly necessary
    (or gives it an exemption basis) without saying it needs consent."""
    if item.consent is False:
        return True
    return item.consent is not True and (item.category == "strictly_necessary" or bool(item.exemption_basis))


def catalog_entry(ctx: Context, item: Item) -> CookieEntry | None:
    """The known-cookie catalog's entry for an item; None when the item is unnamed or unknown,
    or when no catalog is installed (then the checks judge on the policy alone)."""
    if not item.name:
        return None
    try:
        return ctx.catalog.lookup(item.name)
    except ImportError:
        return None


def catalog_category(entry: CookieEntry | None) -> str | None:
    """The category the catalog gives an entry (None without an entry)."""
    return getattr(entry, "category", None) if entry else None


def catalog_vendor(entry: CookieEntry | None) -> str:
    """The vendor the catalog names for an entry ("" when none)."""
    return (getattr(entry, "vendor", None) if entry else None) or ""


# How much consent a category needs: 0 exempt-able, 1 consent (analytics), 2 never exempt.
CONSENT_LEVEL = {
    "strictly_necessary": 0,
    "security": 0,
    "consent": 0,
    "preferences": 0,
    "analytics": 1,
    "personalisation": 2,
    "advertising": 2,
    "social_media": 2,
}

# Analytics whose data the vendor processes for its own purposes cannot use the CNIL
# audience-measurement exemption (CNIL: Google Analytics; advertising platforms' pixels).
# PL302 reports these as never exempt; PL303 leaves them to PL302.
REUSING_VENDOR = re.compile(
    r"\b(?:google|doubleclick|facebook|meta|instagram|tiktok|bytedance|linkedin|twitter|x corp|criteo|"
    r"snap|pinterest|reddit|yandex|bing|taboola|outbrain|vimeo)\b"
)


def effective_category(item: Item, entry: CookieEntry | None) -> tuple[str | None, bool]:
    """(category, from catalog): the catalog wins when it knows the item is more invasive than
    the policy says (a policy that files `_fbp` under analytics does not make it analytics)."""
    declared = item.category
    known = catalog_category(entry)
    if known in CONSENT_LEVEL and (
        declared not in CONSENT_LEVEL or CONSENT_LEVEL[known] > CONSENT_LEVEL[declared]
    ):
        return known, True
    return declared, False


def same_company(provider: str | None, controller: str, folder: Callable[[str], str] = fold) -> bool:
    """Whether a provider is the controller itself: its first word is in the controller's name.

    ``controller`` is already folded with ``folder``, the fold the check matches text with.
    """
    words = folder(provider or "").split()
    return bool(words and controller and words[0] in controller)


# ---------------------------------------------------------------------------------------------
# Durations


def describe_days(days: float) -> str:
    """A lifetime in days as a reader thinks of it: "2 years", "800 days (about 2 years)"."""
    years = days / 365
    if days >= 365 and abs(years - round(years)) < 0.05:
        return f"{round(years)} year{'s' if round(years) > 1 else ''}"
    if days >= 730:
        return f"{days:g} days (about {round(years)} years)"
    if days >= 60:
        return f"{days:g} days (about {round(days / 30.42)} months)"
    return f"{days:g} days"
