"""PL105: a link that cannot work: "https//…", "http:/…", an empty Markdown link target."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from policylint.checks_api import Context
from policylint.checks_lib import TextIndex, has_any, unit_sources, unit_span
from policylint.model import Finding

CODE = "PL105"
NAME = "malformed-link"
SEVERITY = "warning"
SUMMARY = (
    "A link is malformed ('https//…', 'http:/…', 'htps://…') or its Markdown target is empty ('[here]()')."
)
WHY = (
    "Policies send readers elsewhere for the parts that matter: the full privacy notice, the consent "
    "settings, the vendors' own policies, the browser instructions. A link with a typo in its scheme or "
    "with no target leads nowhere, so that information is not actually given."
)
BASIS = "GDPR Art. 12(1) (information must be easily accessible); ePrivacy Directive Art. 5(3)"
FIX = "Correct the address (https://…) or fill in the link's target; check that it opens."
FORMAT = "markdown"

FAILING = """\
# Cookie policy

Read the full privacy notice at https//acme.example/privacy.

Change your choices in the [cookie settings]().
"""
EXPECT = 2

PASSING = """\
# Cookie policy

Read the full privacy notice at https://acme.example/privacy.

Change your choices in the [cookie settings](https://acme.example/cookies/settings).
"""

# A scheme with a typo. The lookbehind keeps "xhttps//" (a longer word) out; nothing here
# can backtrack: each alternative is a fixed string.
_SCHEMES = (
    r"(?:https?//|https?:/(?=[A-Za-z0-9])|https?:\\\\|https?;//|htps?://|htttps?://|hhttps?://"
    r"|https?:://|ttps?://)(?=[A-Za-z0-9])"
)
_BAD_SCHEME = re.compile(r"(?<![\w/.:-])" + _SCHEMES, re.IGNORECASE)
# Markdown links with no target: [text]() or [text](#).
_EMPTY_TARGET = re.compile(r"\[([^\[\]\n]{1,200})\]\(\s{0,5}#?\s{0,5}\)")
_URL_TAIL = re.compile(r"[^\s<>\"')\]]{0,200}")
_TARGET = re.compile(r"(?:\]\(|href\s{0,3}=\s{0,3}[\"']?)(?P<url>" + _SCHEMES + ")", re.IGNORECASE)
# Its two alternatives alone: a target after "](", or after "href=" (a match of _TARGET is one
# of them, and a line without the other's prefix has only the first's matches).
_MD_TARGET = re.compile(r"\]\((?P<url>" + _SCHEMES + ")", re.IGNORECASE)
_HREF_TARGET = re.compile(r"href\s{0,3}=\s{0,3}[\"']?(?P<url>" + _SCHEMES + ")", re.IGNORECASE)


# Every alternative of _SCHEMES has a double slash, a colon and slash, or a colon and backslash
# (no letters: no IGNORECASE caveat). Most units and lines have none: they are skipped before
# the patterns run. Keep them in step with _SCHEMES.
_SCHEME_MARKS = ("//", ":/", ":\\")


def _text_hits(ctx: Context, seen: set[tuple[int, int]]) -> Iterator[Finding]:
    doc = ctx.document
    units = unit_sources(doc)
    texts = [u.text for u in units]
    # The units with a slash or a backslash (one fast scan each), then those with a mark.
    for i in sorted(TextIndex(texts).with_any(("/", "\\"))):
        text = texts[i]
        if not has_any(text, _SCHEME_MARKS):
            continue
        line, end = unit_span(units[i])
        for m in _BAD_SCHEME.finditer(text):
            tail = _URL_TAIL.match(text, m.end())
            url = text[m.start() : tail.end() if tail else m.end()].rstrip(".,;:")
            ln, col = doc.locate(url, line, end)
            if (ln, col) in seen:
                continue
            seen.add((ln, col))
            yield ctx.finding(
                ln,
                f'Malformed link "{url[:80]}": the address has a typo in "{m.group(0)}" and leads nowhere.',
                column=col,
                excerpt=ctx.line_text(ln).strip(),
            )


def _text_lines(ctx: Context) -> list[int]:
    """Source lines that hold policy text (not scripts, styles or page chrome)."""
    lines: set[int] = set()
    for b in ctx.document.blocks:
        if b.kind != "table":
            lines.update(range(b.line, max(b.line, b.end_line) + 1))
        else:
            lines.update(c.line for row in [b.header, *b.rows] for c in row)
    return sorted(lines)


def _link_targets(
    ctx: Context, seen: set[tuple[int, int]], lines: list[int], sources: TextIndex
) -> Iterator[Finding]:
    """A typo in the target of a Markdown link or an HTML href (the text shows only the link text)."""
    for i in sorted(sources.with_any(_SCHEME_MARKS)):
        ln, src = lines[i], sources[i]
        # The pattern of the one prefix the line has (most have one), else both: the
        # alternation at the start of _TARGET makes the regex engine try every position,
        # where "](" alone is looked for as a literal. ("href" has no letter that IGNORECASE
        # matches outside ASCII, so the lower-cased line has it exactly when a match could.)
        md, href = "](" in src, "href" in src.lower()
        if not md and not href:
            continue
        for m in (_TARGET if md and href else _MD_TARGET if md else _HREF_TARGET).finditer(src):
            start = m.start("url")
            if (ln, start + 1) in seen:
                continue
            seen.add((ln, start + 1))
            tail = _URL_TAIL.match(src, start)
            url = src[start : tail.end() if tail else m.end()]
            yield ctx.finding(
                ln,
                f'Malformed link target "{url[:80]}": the address has a typo in its scheme and leads nowhere.',
                column=start + 1,
                excerpt=src.strip(),
            )


def _empty_targets(ctx: Context, lines: list[int], sources: TextIndex) -> Iterator[Finding]:
    # Every Markdown link has "](": most lines have none.
    for i in sorted(sources.with_any(("](",))):
        ln, src = lines[i], sources[i]
        for m in _EMPTY_TARGET.finditer(src):
            if m.start() > 0 and src[m.start() - 1] == "!":
                continue  # an image
            yield ctx.finding(
                ln,
                f'The link "{m.group(1)[:60]}" has no target: fill in the address it should open.',
                column=m.start() + 1,
                end_line=ln,
                end_column=m.end() + 1,
                excerpt=src.strip(),
            )


def check(ctx: Context) -> Iterable[Finding]:
    seen: set[tuple[int, int]] = set()
    yield from _text_hits(ctx, seen)
    fmt = ctx.document.format
    if fmt not in ("markdown", "html"):
        return
    # The source lines that hold policy text, read once for both checks of links in markup
    # (as ctx.line_text reads them, without two calls per line).
    lines = _text_lines(ctx)
    source = ctx.source_lines()
    n = len(source)
    sources = TextIndex([source[ln - 1] if 0 < ln <= n else "" for ln in lines])
    yield from _link_targets(ctx, seen, lines, sources)
    if fmt == "markdown":
        yield from _empty_targets(ctx, lines, sources)
