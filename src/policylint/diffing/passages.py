"""The text side of a diff: blocks aligned with difflib, changed passages, and
what the changed sentences say (a new use, a new recipient, a withdrawn promise).

A document becomes a list of *units*: one per heading, paragraph or list item
and one per table row, each keeping the source line it starts on. Units that
only moved (deleted in one place and inserted unchanged elsewhere) are not
changes: re-ordering sections or table rows is editorial at most, and here it
is nothing at all.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field

from policylint.diffing.names import fold
from policylint.model import Block, Document

_SPACES = re.compile(r"\s+")


@dataclass(slots=True)
class Unit:
    text: str  # as shown in a diff ("## Heading", "- item", "| a | b |")
    key: str  # what is compared: spacing collapsed
    line: int
    block: int  # index of the block in Document.blocks
    kind: str = "paragraph"
    heading: str = ""  # the nearest heading above


@dataclass(slots=True)
class Hunk:
    """A run of changed units: ``old`` replaced by ``new`` (one side may be empty)."""

    old: list[Unit]
    new: list[Unit]
    context_before: list[Unit] = field(default_factory=list)
    context_after: list[Unit] = field(default_factory=list)

    @property
    def tag(self) -> str:
        if self.old and self.new:
            return "replace"
        return "insert" if self.new else "delete"

    @property
    def old_line(self) -> int | None:
        return self.old[0].line if self.old else None

    @property
    def new_line(self) -> int | None:
        return self.new[0].line if self.new else None


def _key(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def block_units(b: Block, index: int, heading: str) -> list[Unit]:
    if b.kind == "table":
        out: list[Unit] = []
        rows = ([b.header] if b.header else []) + list(b.rows)
        for row in rows:
            cells = [_key(c.text) for c in row]
            if not any(cells):
                continue
            text = "| " + " | ".join(cells) + " |"
            line = row[0].line if row else b.line
            out.append(Unit(text, _key(text), line, index, "table_row", heading))
        if not out and b.text.strip():
            for i, part in enumerate(p for p in b.text.split("\n") if p.strip()):
                out.append(
                    Unit("| " + _key(part) + " |", _key(part), b.line + i, index, "table_row", heading)
                )
        return out
    text = _key(b.text)
    if not text:
        return []
    if b.kind == "heading":
        shown = "#" * max(1, min(b.level or 1, 6)) + " " + text
    elif b.kind == "list_item":
        shown = "  " * max(0, (b.level or 1) - 1) + "- " + text
    else:
        shown = text
    return [Unit(shown, _key(shown), b.line, index, b.kind, heading)]


def document_units(doc: Document | None) -> list[Unit]:
    if doc is None:
        return []
    out: list[Unit] = []
    heading = ""
    for i, b in enumerate(doc.blocks):
        if b.kind == "heading":
            heading = _key(b.text)
        out.extend(block_units(b, i, heading))
    return out


def _matcher(a: list[str], b: list[str]) -> difflib.SequenceMatcher:
    return difflib.SequenceMatcher(None, a, b, autojunk=len(a) + len(b) > 20000)


def moved_keys(old: list[Unit], new: list[Unit], ops: list[tuple[str, int, int, int, int]]) -> Counter:
    """Keys deleted in one place and inserted unchanged in another: moves, not changes."""
    deleted: Counter = Counter()
    inserted: Counter = Counter()
    for tag, i1, i2, j1, j2 in ops:
        if tag in ("delete", "replace"):
            deleted.update(u.key for u in old[i1:i2])
        if tag in ("insert", "replace"):
            inserted.update(u.key for u in new[j1:j2])
    return deleted & inserted


def _drop_moved(units: list[Unit], budget: Counter) -> list[Unit]:
    kept = []
    for u in units:
        if budget[u.key] > 0:
            budget[u.key] -= 1
            continue
        kept.append(u)
    return kept


def hunks(old: list[Unit], new: list[Unit], context: int = 1) -> list[Hunk]:
    """Changed passages, moves removed, with ``context`` unchanged units either side."""
    sm = _matcher([u.key for u in old], [u.key for u in new])
    ops = sm.get_opcodes()
    moved = moved_keys(old, new, ops)
    old_budget, new_budget = Counter(moved), Counter(moved)
    out: list[Hunk] = []
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            continue
        o = _drop_moved(old[i1:i2], old_budget)
        w = _drop_moved(new[j1:j2], new_budget)
        if not o and not w:
            continue
        before: list[Unit] = []
        after: list[Unit] = []
        if context:
            if n > 0 and ops[n - 1][0] == "equal":
                p = ops[n - 1]
                before = new[max(p[3], p[4] - context) : p[4]]
            if n + 1 < len(ops) and ops[n + 1][0] == "equal":
                q = ops[n + 1]
                after = new[q[3] : min(q[4], q[3] + context)]
        out.append(Hunk(o, w, before, after))
    return out


def _elide(a: str, b: str, context: int = 60, over: int = 200) -> tuple[str, str]:
    """Long changed lines cut to the changed span plus ``context`` characters either side."""
    if len(a) <= over and len(b) <= over:
        return a, b
    p = 0
    limit = min(len(a), len(b))
    while p < limit and a[p] == b[p]:
        p += 1
    s = 0
    while s < limit - p and a[len(a) - 1 - s] == b[len(b) - 1 - s]:
        s += 1

    def cut(x: str) -> str:
        start = max(0, p - context)
        end = min(len(x), len(x) - s + context)
        return ("…" if start > 0 else "") + x[start:end] + ("…" if end < len(x) else "")

    return cut(a), cut(b)


def _short(text: str, n: int = 160) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def unified(hunks_: list[Hunk], old_name: str = "old", new_name: str = "new") -> str:
    """A compact unified diff of the changed passages; hunk headers give source lines.

    A long paragraph changed in one place shows only the changed span with some
    context, so a postcode fixed at the end of a 600-character sentence stays readable.
    """
    if not hunks_:
        return ""
    lines = [f"--- {old_name}", f"+++ {new_name}"]
    for h in hunks_:
        where = []
        if h.old_line is not None:
            where.append(f"-{h.old_line}")
        if h.new_line is not None:
            where.append(f"+{h.new_line}")
        first = (h.new or h.old)[0]
        heading = f" {first.heading[:80]}" if first.heading else ""
        lines.append("@@ " + " ".join(where) + " @@" + heading)
        lines.extend(" " + _short(u.text) for u in h.context_before)
        olds = [u.text for u in h.old]
        news = [u.text for u in h.new]
        if len(olds) == len(news):
            pairs = [_elide(a, b) for a, b in zip(olds, news, strict=True)]
            olds, news = [a for a, _ in pairs], [b for _, b in pairs]
        lines.extend("-" + t for t in olds)
        lines.extend("+" + t for t in news)
        lines.extend(" " + _short(u.text) for u in h.context_after)
    return "\n".join(lines) + "\n"


# --- block alignment (side-by-side view) ----------------------------------------------------------


@dataclass(slots=True)
class Row:
    """One row of a side-by-side view: an old block, a new block, or both."""

    tag: str  # equal | replace | insert | delete | moved
    old: int | None  # block index
    new: int | None


def align_blocks(old: Document | None, new: Document | None) -> list[Row]:
    ob = old.blocks if old else []
    nb = new.blocks if new else []
    ok = [_key(b.text) for b in ob]
    nk = [_key(b.text) for b in nb]
    sm = _matcher(ok, nk)
    ops = sm.get_opcodes()
    deleted: Counter = Counter()
    inserted: Counter = Counter()
    for tag, i1, i2, j1, j2 in ops:
        if tag in ("delete", "replace"):
            deleted.update(ok[i1:i2])
        if tag in ("insert", "replace"):
            inserted.update(nk[j1:j2])
    moved = deleted & inserted
    ob_budget, nb_budget = Counter(moved), Counter(moved)
    rows: list[Row] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            rows.extend(Row("equal", i1 + k, j1 + k) for k in range(i2 - i1))
            continue
        olds = []
        for i in range(i1, i2):
            if ob_budget[ok[i]] > 0:
                ob_budget[ok[i]] -= 1
                rows.append(Row("moved", i, None))
            else:
                olds.append(i)
        news = []
        for j in range(j1, j2):
            if nb_budget[nk[j]] > 0:
                nb_budget[nk[j]] -= 1
                rows.append(Row("moved", None, j))
            else:
                news.append(j)
        for k in range(max(len(olds), len(news))):
            o = olds[k] if k < len(olds) else None
            w = news[k] if k < len(news) else None
            rows.append(
                Row(
                    "replace" if o is not None and w is not None else ("delete" if w is None else "insert"),
                    o,
                    w,
                )
            )
    return rows


class LineMap:
    """Where an old source line sits in the new file (findings about removed text point there)."""

    def __init__(self, old: list[Unit], new: list[Unit]):
        self.old, self.new = old, new
        self._ops: list[tuple[str, int, int, int, int]] | None = None

    def __call__(self, line: int) -> int | None:
        old, new = self.old, self.new
        if not old or not new:
            return None
        if self._ops is None:
            self._ops = _matcher([u.key for u in old], [u.key for u in new]).get_opcodes()
        best = None
        for tag, i1, i2, j1, j2 in self._ops:
            for k in range(i1, i2):
                if old[k].line >= line:
                    if tag == "equal":
                        return new[j1 + (k - i1)].line
                    return new[min(j1, len(new) - 1)].line
            best = new[min(j2, len(new) - 1)].line
        return best


# --- what changed sentences say ------------------------------------------------------------------

# Kinds of use a sentence can describe. English and French, stems only, bounded, linear.
_CLASSES: dict[str, re.Pattern[str]] = {
    "advertising": re.compile(
        r"\b(?:advertis\w{0,8}|ads|adverts?|ad partners?|targeted|retarget\w{0,6}|marketing|publicit\w{0,6}"
        r"|ciblee?s?|ciblage|reciblage|annonces?)\b"
    ),
    "sharing": re.compile(
        r"\b(?:shar(?:e|es|ed|ing) (?:\w+ ){0,4}with|disclos\w{0,4} (?:\w+ ){0,4}to|sell|sells|sold|sale of"
        r"|partag\w{0,6}|transmi(?:s|se|ses|ttons|ttre)|communiqu\w{0,4} a|vend\w{0,5}|transf[eè]r\w{0,6}"
        r"|independent (?:data )?controller|(?:responsable de traitement|controleur de donnees) independant)\b"
    ),
    "profiling": re.compile(
        r"\b(?:profil(?:e|es|ing|age)|combin\w{0,6} (?:\w+ ){0,6}(?:with|avec)|recoup\w{0,6}|cross[- ]device"
        # "to know your online behaviour": tracking the person, not counting page views.
        r"|(?:online|browsing) behaviou?rs?|comportements? (?:en ligne|de navigation)|habitudes de navigation"
        r"|track\w{0,3} (?:you|users|visitors) across)\b"
    ),
}
_COMMITMENT = re.compile(
    r"\b(?:we will (?:\w+ ){0,2}(?:notify|inform|contact|tell|email|ask)|we'll (?:notify|inform|contact|tell|ask)"
    r"|nous vous (?:contacterons|informerons|notifierons|previendrons|avertirons|demanderons)"
    r"|(?:we|nous) (?:will )?(?:ask|demand\w{0,4}) (?:for )?(?:your|votre) (?:consent|consentement))\b"
)
_NEGATION = re.compile(
    r"\b(?:do not|don't|does not|doesn't|never|will not|won't|no longer|not used|n'\w{1,20} (?:\w+ ){0,2}(?:pas|jamais)"
    r"|ne \w{1,20} (?:\w+ ){0,2}(?:pas|jamais|aucun\w{0,2})|aucun\w{0,2}|jamais)\b"
)
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")

_CLASS_WORDS = {
    "advertising": "advertising (showing or targeting ads)",
    "sharing": "sharing data with others",
    "profiling": "profiling, tracking behaviour or combining data",
}


def negated(text: str) -> bool:
    """Whether a sentence is a denial ("we do not…", "nous ne … pas")."""
    return _NEGATION.search(fold(text)) is not None


def sentences(text: str) -> list[str]:
    """Sentences of a passage, each cut to 400 characters (comparisons stay cheap on run-on text)."""
    return [s.strip()[:400] for s in _SENTENCE.split(text[:200_000]) if len(s.strip()) > 3]


def classes(sentence: str) -> set[str]:
    f = fold(sentence)
    return {name for name, rx in _CLASSES.items() if rx.search(f)}


def _quote(s: str, n: int = 140) -> str:
    s = " ".join(s.split())
    return "“" + (s if len(s) <= n else s[: n - 1] + "…") + "”"


@dataclass(slots=True)
class Signal:
    message: str
    line: int | None
    side: str  # "new" or "old"


_WORDS = re.compile(r"\w{3,}")


class SentenceIndex:
    """Sentences of a whole document, to tell a moved or reworded sentence from a new one.

    ``similar`` ranks candidates by shared words through an inverted index (words
    found in more than ``common`` sentences are ignored), then runs difflib only on
    the best ``shortlist``: the cost per query stays bounded on huge documents.
    """

    def __init__(self, units: list[Unit], limit: int = 20000, common: int = 200, shortlist: int = 25):
        self.sents: list[str] = []
        self.keys: set[str] = set()
        self.shortlist = shortlist
        postings: dict[str, list[int]] = {}
        for u in units:
            for s in sentences(u.text.lstrip("#- ")):
                k = fold(_key(s))
                if k in self.keys:
                    continue
                self.keys.add(k)
                if len(self.sents) >= limit:
                    continue
                sid = len(self.sents)
                self.sents.append(k)
                for w in set(_WORDS.findall(k)):
                    postings.setdefault(w, []).append(sid)
        self.postings = {w: ids for w, ids in postings.items() if len(ids) <= common}

    def similar(self, sentence: str, cutoff: float = 0.6, n: int = 3) -> list[str]:
        k = fold(_key(sentence))
        if k in self.keys:
            return [k]
        votes: Counter = Counter()
        for w in set(_WORDS.findall(k)):
            votes.update(self.postings.get(w, ()))
        scored = []
        for sid, _ in votes.most_common(self.shortlist):
            cand = self.sents[sid]
            sm = difflib.SequenceMatcher(None, k, cand, autojunk=False)
            if sm.real_quick_ratio() >= cutoff and sm.quick_ratio() >= cutoff:
                r = sm.ratio()
                if r >= cutoff:
                    scored.append((r, cand))
        scored.sort(reverse=True)
        return [c for _, c in scored[:n]]


def hunk_signals(
    h: Hunk,
    old_index: SentenceIndex,
    new_index: SentenceIndex,
    budget: list[int],
    skip_old: set[int] | frozenset[int] = frozenset(),
    skip_new: set[int] | frozenset[int] = frozenset(),
    skip_texts: set[str] | frozenset[str] = frozenset(),
) -> list[Signal]:
    """Material signals in one changed passage: a new kind of use, a withdrawn promise or protection.

    One signal per kind of use per passage. Headings are not statements, and units on
    table rows on ``skip_old``/``skip_new`` lines (items) and sentences in ``skip_texts``
    (claims) are judged by the structured changes already, so they are left out.
    """
    out: list[Signal] = []
    judged = [fold(_key(t))[:400] for t in skip_texts if t]

    def skipped(s: str) -> bool:
        k = fold(_key(s))
        return any(j and (j in k or k in j) for j in judged)

    old_sents = [
        (s, u)
        for u in h.old
        if not (u.kind == "table_row" and u.line in skip_old)
        for s in sentences(u.text.lstrip("#- "))
        if not skipped(s)
    ]
    new_sents = [
        (s, u)
        for u in h.new
        if u.kind != "heading" and not (u.kind == "table_row" and u.line in skip_new)
        for s in sentences(u.text.lstrip("#- "))
        if not skipped(s)
    ]
    # What the replaced text already said: a reworded paragraph that mentioned ads before
    # does not "introduce" advertising by mentioning it again.
    hunk_known: set[str] = set()
    for s, _u in old_sents:
        if not _NEGATION.search(fold(s)):  # "we do not share" does not make sharing known
            hunk_known |= classes(s)
    found: dict[str, list[tuple[str, Unit]]] = {}
    for s, u in new_sents:
        if budget[0] <= 0:
            break
        if fold(_key(s)) in old_index.keys:
            continue
        budget[0] -= 1
        cls = classes(s)
        if not cls or _NEGATION.search(fold(s)):
            continue  # "we do not share" adds no use
        known = set(hunk_known)
        for r in old_index.similar(s):
            if not _NEGATION.search(r):
                known |= classes(r)
        for c in cls - known:
            found.setdefault(c, []).append((s, u))
    # One signal per sentence, naming every kind of use it introduces.
    by_sentence: dict[tuple[int, str], tuple[str, Unit, list[str], int]] = {}
    for c in sorted(found):
        (s, u), more = found[c][0], len(found[c]) - 1
        key = (id(u), s)
        if key in by_sentence:
            by_sentence[key][2].append(c)
        else:
            by_sentence[key] = (s, u, [c], more)
    for s, u, cls_, more in by_sentence.values():
        what = " and ".join(_CLASS_WORDS[c] for c in cls_)
        extra = f" (and {more} more sentence{'s' if more > 1 else ''})" if more else ""
        out.append(
            Signal(
                f"New text describes {what}: {_quote(s)}{extra}; the previous version did not say "
                "this here, so users must be told (and asked where consent is needed).",
                u.line,
                "new",
            )
        )
    for s, u in old_sents:
        if budget[0] <= 0:
            break
        f = fold(s)
        if fold(_key(s)) in new_index.keys:
            continue
        budget[0] -= 1
        if _COMMITMENT.search(f):
            if not any(_COMMITMENT.search(r) for r in new_index.similar(s, cutoff=0.5)):
                out.append(Signal(f"A promise to users was withdrawn: {_quote(s)} is gone.", u.line, "old"))
            continue
        cls = classes(s)
        if cls and _NEGATION.search(f):
            refs = new_index.similar(s, cutoff=0.7)
            if not any(_NEGATION.search(r) and classes(r) & cls for r in refs):
                out.append(
                    Signal(
                        f"A protective statement was withdrawn: {_quote(s)} is gone or no longer says so.",
                        u.line,
                        "old",
                    )
                )
    return out
