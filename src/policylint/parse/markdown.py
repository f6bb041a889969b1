"""Markdown → blocks, with source lines from markdown-it token maps.

Front matter is skipped (its ``title:`` kept); HTML blocks are parsed with the
HTML parser at their own line offset so tables and comments written as HTML in
a docs repo count like the Markdown around them.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from markdown_it import MarkdownIt
from markdown_it.token import Token

from policylint.model import Block, Cell, Comment

_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_FRONT_TITLE = re.compile(r"^title:\s*[\"']?(.+?)[\"']?\s*$", re.MULTILINE)
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,500}>")
_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
# Runs of spaces, collapsed to one space; a lone " " is not matched (replacing it is a no-op).
_WS = re.compile(r"[ \t\u00a0]{2,}|[\t\u00a0]")
# Python whitespace that _WS keeps ("\n" aside: _clean splits lines first): in a line without
# it, " ".join(line.split()) gives what _WS.sub and strip() give, ~4x faster.
# (tests/test_parse_fast.py checks the set.)
_SPLIT_DIFFERS = re.compile(r"[\v\f\r\x1c-\x1f\x85\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")

_md: MarkdownIt | None = None


def _parser() -> MarkdownIt:
    global _md
    if _md is None:
        _md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    return _md


def _inline_text(tok: Token) -> str:
    """Plain text of an inline token; line breaks kept as "\n"."""
    children = tok.children
    if not children:
        return ""
    if len(children) == 1 and children[0].type == "text":
        return children[0].content  # plain words (most table cells)
    out: list[str] = []
    for ch in children:
        t = ch.type
        if t == "text":
            out.append(ch.content)
        elif t == "softbreak":
            out.append(" ")
        elif t not in _INLINE_KEPT:
            pass  # markup: emphasis, links...
        elif t == "code_inline":
            # Backticks stay: they tell the extractor a word is a cookie/key name.
            out.append(f"`{ch.content}`")
        elif t == "hardbreak":
            out.append("\n")
        elif t == "html_inline":
            if _BR.fullmatch(ch.content.strip()):
                out.append("\n")
        else:  # image
            out.append(ch.content or "")
    return "".join(out)


_INLINE_KEPT = {"code_inline", "hardbreak", "html_inline", "image"}


def _clean(text: str) -> str:
    """``text`` with runs of spaces made one space, each line stripped, empty lines dropped."""
    if "\n" in text:
        return "\n".join([x for x in map(_clean, text.split("\n")) if x])
    if "  " not in text and "\t" not in text and "\u00a0" not in text:
        return text.strip()  # nothing for _WS to collapse (most text)
    if _SPLIT_DIFFERS.search(text) is None:
        return " ".join(text.split())
    return _WS.sub(" ", text).strip()


# Above this many characters a document is parsed in pieces of about this size:
# markdown-it keeps ~100 bytes of tokens per byte of Markdown (a 5 MB file peaked at
# 640 MB whole). Pieces end at a blank line before an unindented line, outside code
# fences and comments, so no block is cut in two.
PIECE_CHARS = 1024 * 1024
_MARKS = re.compile(r"^ {0,3}(?:```|~~~)|<!--|-->", re.MULTILINE)


def parse_markdown(text: str) -> tuple[list[Block], list[Comment], str | None]:
    title = None
    m = _FRONT.match(text)
    if m:
        t = _FRONT_TITLE.search(m.group(1))
        title = t.group(1) if t else None
        # Blank the front matter but keep its lines so numbering stays true.
        text = "\n" * m.group(0).count("\n") + text[m.end() :]
    if len(text) <= PIECE_CHARS:
        blocks, comments = _parse_piece(text)
        return blocks, comments, title
    blocks, comments = [], []
    line = 0
    start, n = 0, len(text)
    while start < n:
        cut = n if n - start <= PIECE_CHARS else _cut_point(text, start)
        b, c = _parse_piece(text[start:cut])
        _shift(b, c, line)
        blocks.extend(b)
        comments.extend(c)
        line += text.count("\n", start, cut)
        start = cut
    return blocks, comments, title


def _cut_point(text: str, start: int) -> int:
    """End of the piece starting at ``start``: after the last blank line of its second half
    that precedes an unindented line outside fences and comments; else after a line break;
    else anywhere (one 5 MB line)."""
    lo, hi = start + PIECE_CHARS // 2, start + PIECE_CHARS
    # Fence and comment state after each marker, in one forward pass (then a bisect per
    # candidate: rescanning the piece for each one would be quadratic).
    where: list[int] = []
    inside: list[bool] = []
    fence = comment = False
    for m in _MARKS.finditer(text, start, hi):
        tok = m.group().lstrip(" ")
        if tok == "<!--" and not fence:
            comment = True
        elif tok == "-->" and not fence:
            comment = False
        elif tok in ("```", "~~~") and not comment:
            fence = not fence
        where.append(m.start())
        inside.append(fence or comment)
    pos = hi
    while True:
        pos = text.rfind("\n\n", lo, pos)
        if pos < 0:
            break
        after = text[pos + 2 : pos + 3]
        k = bisect_right(where, pos) - 1
        if after and not after.isspace() and not (k >= 0 and inside[k]):
            return pos + 2
    nl = text.rfind("\n", lo, hi)
    return nl + 1 if nl >= 0 else hi


def _shift(blocks: list[Block], comments: list[Comment], off: int) -> None:
    """Move a piece's line numbers by ``off`` lines (a cell shared by colspans moves once)."""
    if not off:
        return
    moved: set[int] = set()
    for b in blocks:
        b.line += off
        b.end_line += off
        for row in [b.header, *b.rows] if b.header or b.rows else ():
            for cell in row:
                if id(cell) not in moved:
                    moved.add(id(cell))
                    cell.line += off
    for c in comments:
        c.line += off


def _parse_piece(text: str) -> tuple[list[Block], list[Comment]]:
    tokens = _parser().parse(text)
    text_lines: list[str] | None = None  # split when a table needs them
    blocks: list[Block] = []
    comments: list[Comment] = []
    depth = 0
    ordered: list[bool] = []
    in_item = 0
    pending_kind = None
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        t = tok.type
        if t == "paragraph_open":  # (the commonest token here: inline ones are skipped)
            inline = tokens[i + 1]
            line = tok.map[0] + 1 if tok.map else 1
            end = tok.map[1] if tok.map else line
            txt = _clean(_inline_text(inline)).replace("\n", " ")
            kind = "list_item" if pending_kind == "list_item" else "paragraph"
            if "<!--" in inline.content:  # (a substring test first: few paragraphs hold a comment)
                for c in _COMMENT.finditer(inline.content):
                    comments.append(
                        Comment(c.group(1).strip(), line + inline.content[: c.start()].count("\n"))
                    )
            if txt:
                blocks.append(
                    Block(
                        kind,
                        txt,
                        line,
                        end_line=end,
                        level=depth if kind == "list_item" else 0,
                        ordered=bool(ordered and ordered[-1]) and kind == "list_item",
                    )
                )
            pending_kind = None if in_item else pending_kind
            if in_item:
                pending_kind = None
            i += 3
            continue
        elif t in ("bullet_list_open", "ordered_list_open"):
            depth += 1
            ordered.append(t == "ordered_list_open")
        elif t in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            ordered.pop()
        elif t == "list_item_open":
            in_item += 1
            pending_kind = "list_item"
        elif t == "list_item_close":
            in_item -= 1
        elif t == "heading_open":
            inline = tokens[i + 1]
            line = tok.map[0] + 1 if tok.map else 1
            txt = _clean(_inline_text(inline)).replace("\n", " ")
            if txt:
                blocks.append(
                    Block(
                        "heading",
                        txt,
                        line,
                        end_line=(tok.map[1] if tok.map else line),
                        level=int(tok.tag[1]),
                    )
                )
            i += 3
            continue
        elif t == "table_open":
            if text_lines is None:
                text_lines = text.split("\n")
            j, block = _table(tokens, i, text_lines)
            if block:
                blocks.append(block)
            i = j + 1
            continue
        elif t in ("fence", "code_block"):
            pass  # code samples are not policy text
        elif t == "html_block":
            line = tok.map[0] + 1 if tok.map else 1
            for c in _COMMENT.finditer(tok.content):
                comments.append(Comment(c.group(1).strip(), line + tok.content[: c.start()].count("\n")))
            body = _COMMENT.sub(lambda mm: "\n" * mm.group(0).count("\n"), tok.content)
            if _TAG.sub("", body).strip():
                from policylint.parse.html import parse_html

                sub, _, _ = parse_html(body, line_offset=line - 1)
                blocks.extend(sub)
        i += 1
    return blocks, comments


_PIPE = re.compile(r"(?<!\\)\|")
_CODE_SPAN = re.compile(r"`[^`]*`")


def _source_cells(line: str) -> int:
    """How many cells a table row really has in the source (markdown-it pads short rows)."""
    s = line.strip()
    # Pipes inside code spans do not separate cells; strip them before counting.
    if "`" in s:
        s = _CODE_SPAN.sub("x", s)
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    # As many cells as _PIPE.split(s) gives: one more than the pipes not escaped.
    return s.count("|") - s.count("\\|") + 1


def _table(tokens: list[Token], start: int, lines: list[str]) -> tuple[int, Block | None]:
    header: list[Cell] = []
    rows: list[list[Cell]] = []
    cur: list[Cell] | None = None
    in_head = False
    row_line = 1
    i = start
    first = tokens[start].map[0] + 1 if tokens[start].map else 1
    last = tokens[start].map[1] if tokens[start].map else first
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        t = tok.type
        if t == "inline":  # a cell's content (td_open/td_close around it need nothing)
            if cur is not None:
                cur.append(Cell(_clean(_inline_text(tok)), row_line))
        elif t == "tr_open":
            cur = []
            row_line = tok.map[0] + 1 if tok.map else row_line
        elif t == "tr_close":
            if cur is not None:
                if in_head:
                    header = cur
                else:
                    if 0 < row_line <= len(lines):
                        # Keep the row as written: fewer cells than the header is a finding (PL2).
                        del cur[_source_cells(lines[row_line - 1]) :]
                    rows.append(cur)
                cur = None
        elif t == "table_close":
            break
        elif t == "thead_open":
            in_head = True
        elif t == "thead_close":
            in_head = False
        i += 1
    text = "\n".join(" | ".join(c.text for c in r) for r in ([header] if header else []) + rows)
    return i, Block("table", text, first, end_line=last, header=header, rows=rows)
