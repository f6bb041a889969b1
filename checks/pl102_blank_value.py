"""PL102: a value was deleted and its label or sentence left behind ("contact us at .", "Email:")."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from policylint.checks_api import Context
from policylint.checks_lib import (
    VALUE_LABEL,
    TextIndex,
    colon_end,
    has_any,
    source_after,
    unit_sources,
    unit_span,
)
from policylint.model import Document, Finding

CODE = "PL102"
NAME = "blank-value"
SEVERITY = "warning"
SUMMARY = "A label or sentence is followed by nothing where a value belongs ('contact us at .', 'Email:')."
WHY = (
    'When a template field is empty or a value is deleted, the sentence around it survives: "you can '
    'contact us at .", "served from the main domain .", "Last updated:". The reader is left without '
    "the address, domain or date the sentence promises, and nobody notices in review because the text "
    "still reads as a sentence."
)
BASIS = (
    "GDPR Art. 12(1) (complete, intelligible information) and Art. 13(1)(a)-(b) (identity and contact "
    "details of the controller and DPO); ePrivacy Directive Art. 5(3)"
)
FIX = "Put the missing value back (the address, domain, date or name), or rewrite the sentence without it."
FORMAT = "markdown"

FAILING = """\
# Cookie policy

Last updated:

## Contact

If you have questions about these cookies, you can contact us at .

Our own cookies are served from the main domain .
"""
EXPECT = 3

PASSING = """\
# Cookie policy

Last updated: 3 March 2025

## Contact

If you have questions about these cookies, you can contact us at privacy@acme.example.

Our own cookies are served from the main domain acme.example. We use these cookies:

- `session`: keeps you signed in.

Email:

privacy@acme.example
"""

_DATE_LABEL = re.compile(r"\b(?:date|updated|mise [àa] jour|effective|version|en vigueur)\b", re.IGNORECASE)
# "at ." — a letter, spaces, a lone period ending the sentence.
_SPACE_DOT = re.compile(r"(?<=[^\W\d_])[ \u00a0]+\.(?![.\w])")
# "Email: ." / "Contact : ," — a label with punctuation right after its colon.
_COLON_PUNCT = re.compile(r"(?<=[^\W\d_])[ \u00a0]?:[ \u00a0]*[.,;](?=\s|$)")
# "our DPO ( )" — empty parentheses or brackets standing where a value was.
_EMPTY_PARENS = re.compile(r"(?<=[\s\u00a0])(?:\(\s{0,3}\)|\[\s{0,3}\])(?=[\s.,;:]|$)")
# The part of a _COLON_PUNCT match from the colon on: a fast first test (the pattern's look-behind
# makes the regex engine try every position of a text, this one jumps from colon to colon).
_COLON_THEN_PUNCT = re.compile(r":[ \u00a0]*[.,;]")
_WORD_BEFORE = re.compile(r"([^\W\d_][\w'’-]{0,40})[ \u00a0]*$")
_DROPPED = re.compile(
    r"<(?:table|ul|ol|dl|iframe|script|button|form|embed|object|img|svg|template|noscript|select|canvas|video)\b"
    r"|<div\b[^>\n]{0,300}(?:cookie|consent|ot-sdk|optanon|onetrust|cookiebot|declaration|didomi|axeptio"
    r"|tarteaucitron|usercentrics|list|table)"
    r"|<a\b[^>\n]{0,300}href|\{%|\{\{|^[ \t]*(?:```|~~~)|!\[|<!--",
    re.IGNORECASE | re.MULTILINE,
)


def is_label(text: str) -> bool:
    body = text.rstrip().rstrip(":：").strip()
    return len(body.split()) <= 6 and bool(VALUE_LABEL.search(body))


def _source_blank(doc: Document, word: str, line: int, end_line: int) -> tuple[int, int, str | None] | None:
    """Where ``word`` is followed in the source by nothing but spaces, an empty element or an empty
    link before the period — a value really missing, not one the parser dropped (a button, an image)."""
    pattern = re.compile(
        re.escape(word)
        + r"(?:(?:[ \t\u00a0]|&nbsp;)+|[ \t\u00a0]*<([A-Za-z][\w-]{0,20})\b[^<>\n]{0,300}>[ \t\u00a0]*</\1>[ \t\u00a0]*"
        r"|[ \t\u00a0]*\[[ \t]*\]\([^()\n]{0,300}\)[ \t\u00a0]*)\.(?![.\w])"
    )
    for ln in range(line, min(end_line, len(doc.lines)) + 1):
        text = doc.lines[ln - 1]
        if word not in text:
            continue
        m = pattern.search(text)
        if m:
            return ln, m.start() + len(word) + 1, m.group(1)
    return None


def _space_dots(ctx: Context, text: str, line: int, end_line: int) -> Iterator[Finding]:
    doc = ctx.document
    matches = list(_SPACE_DOT.finditer(text))
    if not matches:
        return
    for a, b in zip(matches, matches[1:], strict=False):
        if len(text[a.end() : b.start()].split()) <= 4:
            return  # " . " used as a separator ("Home . About . Contact"), not a deleted value
    for m in matches:
        wm = _WORD_BEFORE.search(text[: m.start()])
        if not wm:
            continue
        word = wm.group(1)
        if doc.format == "text":
            located = doc.locate(f"{word}{m.group(0)}", line, end_line)
            src = ctx.line_text(located[0])
            if src.find(f"{word}{m.group(0)}") != located[1] - 1:
                continue
            pos = (located[0], located[1] + len(word), None)
        else:
            pos = _source_blank(doc, word, line, end_line)
            if pos is None:
                continue
        phrase = text[max(0, wm.start() - 40) : m.end()].lstrip()
        why = (
            f" (the empty <{pos[2]}> element is left for a script to fill: readers without it see nothing)"
            if pos[2]
            else ""
        )
        yield ctx.finding(
            pos[0],
            f'Blank value: "...{phrase}" — a value (an address, a name, a date...) is missing before the '
            f"period{why}.",
            column=pos[1],
            excerpt=ctx.line_text(pos[0]).strip(),
        )


def _colon_puncts(ctx: Context, text: str, line: int, end_line: int) -> Iterator[Finding]:
    for m in _COLON_PUNCT.finditer(text):
        wm = _WORD_BEFORE.search(text[: m.start()])
        if not wm or not VALUE_LABEL.search(text[max(0, m.start() - 40) : m.start()]):
            continue
        words = re.split(r"(?<=[.!?;])\s", text[: m.start()])[-1].split()
        label = " ".join(words[-6:])
        shown = ("..." if len(words) > 6 else "") + label + text[m.start() : m.end()]
        ln, col = ctx.document.locate(label + text[m.start() : m.end()], line, end_line)
        if ctx.line_text(ln).find(label + text[m.start() : m.end()]) == col - 1:
            col += len(label)
        yield ctx.finding(
            ln,
            f'Blank value: "{shown.strip()}" — the value after the colon is missing.',
            column=col,
            excerpt=ctx.line_text(ln).strip(),
        )


def _empty_parens(ctx: Context, text: str, line: int, end_line: int) -> Iterator[Finding]:
    for m in _EMPTY_PARENS.finditer(text):
        before = text[max(0, m.start() - 50) : m.start()].rstrip()
        if not before or not before[-1].isalpha():
            continue
        ln, col = ctx.document.locate(m.group(0), line, end_line)
        if ctx.line_text(ln).find(m.group(0)) != col - 1:
            continue  # not written like that in the source: markup the parser removed
        yield ctx.finding(
            ln,
            f'Blank value: empty "{m.group(0)}" after "...{before[-40:]}".',
            column=col,
            excerpt=ctx.line_text(ln).strip(),
        )


def _trailing_labels(ctx: Context) -> Iterator[Finding]:
    """'Last updated:' or 'Email:' ending a block, with no value in the next block either."""
    doc = ctx.document
    blocks = doc.blocks
    level = 0
    for i, b in enumerate(blocks):
        section = level
        if b.kind == "heading":
            level = b.level
        if b.kind not in ("paragraph", "list_item", "heading") or not b.text.rstrip().endswith((":", "：")):
            continue
        if not is_label(b.text):
            continue
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if (
            nxt is not None
            and nxt.kind not in ("heading",)
            and not (nxt.kind in ("paragraph", "list_item") and _starts_with_label(nxt.text))
        ):
            continue  # the value is the next block ("Email:" / "privacy@acme.example")
        if nxt is not None and nxt.kind == "heading" and not _DATE_LABEL.search(b.text):
            own = b.level if b.kind == "heading" else section
            if own == 0 or nxt.level > own:
                continue  # sub-sections give the values ("Contact:" then "### By e-mail")
        label = b.text.rstrip().rstrip(":：").strip()
        ln, col = colon_end(doc, b)
        if _DROPPED.search(source_after(doc, ln, col, nxt)):
            continue  # the value is an image, a link or a widget the parser dropped
        src = ctx.line_text(ln)
        end = ln
        then = (
            "the document ends"
            if nxt is None
            else (
                "a new section starts"
                if nxt.kind == "heading"
                else f'the next line is another label ("{nxt.text[:40]}")'
            )
        )
        yield ctx.finding(
            end, f'Blank value: "{label}:" is followed by nothing ({then}).', column=col, excerpt=src.strip()
        )


def _starts_with_label(text: str) -> bool:
    head, sep, rest = text.partition(":")
    return bool(sep) and len(head.split()) <= 4 and bool(VALUE_LABEL.search(head)) and "//" not in rest[:3]


def check(ctx: Context) -> Iterable[Finding]:
    units = unit_sources(ctx.document)
    texts = [u.text for u in units]
    # The units each test below can apply to, found in the document's joined text rather than
    # by seven substring tests per unit: a period after a space or a no-break space, a colon, an
    # empty pair of parentheses or brackets (a unit with a "\u00a0", "(" or "[" is then tested
    # for the pair: a single character is the fastest to look for).
    index = TextIndex(texts)
    dots = index.with_any((" .",)) | {i for i in index.with_any(("\u00a0",)) if "\u00a0." in texts[i]}
    colons = index.with_any((":",))
    parens = {i for i in index.with_any(("(", "[")) if has_any(texts[i], ("()", "( )", "[]", "[ ]"))}
    for i in sorted(dots | colons | parens):
        text = texts[i]
        if not text or len(text) > 200_000:
            continue
        line, end_line = unit_span(units[i])
        if i in dots:
            yield from _space_dots(ctx, text, line, end_line)
        if i in colons and _COLON_THEN_PUNCT.search(text):
            yield from _colon_puncts(ctx, text, line, end_line)
        if i in parens:
            yield from _empty_parens(ctx, text, line, end_line)
    yield from _trailing_labels(ctx)
