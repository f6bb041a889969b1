"""Plain text → blocks.

Recognises what people paste from a CMS: underlined or numbered headings
("2. List of cookies used"), ``- `` / ``•`` / ``1)`` lists, pipe tables with or
without the leading ``|``, and paragraphs separated by blank lines.
"""

from __future__ import annotations

import re

from policylint.model import Block, Cell, Comment

_BULLET = re.compile(r"^(\s*)(?:[-*•·▪‣◦]|\d{1,3}[.)]|[a-z][.)])\s+(\S.*)$")
_NUM_HEADING = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})*)\.?\s+(\S.{0,90})$")
_UNDERLINE = re.compile(r"^\s*(=+|-+)\s*$")
# The closing "#"s and spaces are stripped in _atx_title: "(\S.*?)\s*#*\s*$" in one
# regex was cubic on a heading line padded with spaces (58 s for 4,000 of them).
_ATX = re.compile(r"^(#{1,6})\s+(\S.*)$")
_COMMENT = re.compile(r"^\s*(?:#|//|;|--)\s*(policylint\s*:.*)$", re.IGNORECASE)
# "(?:\|\s*)?" rather than "\|?\s*" after spaces: two adjacent "\s*" made a row indented
# by 50,000 spaces take O(n²) steps (minutes) before failing.
_SEP_ROW = re.compile(r"^\s*(?:\|\s*)?:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*(?:\|\s*)?$")
_PIPE = re.compile(r"(?<!\\)\|")


def _atx_title(text: str) -> str:
    """A "# Title ##" heading's text: closing hashes and spaces dropped, the first character kept."""
    return text[: max(1, len(text.rstrip().rstrip("#").rstrip()))]


def _is_table_line(line: str) -> bool:
    return "|" in line and len(_PIPE.findall(line)) >= 1 and not _BULLET.match(line)


def _cells(line: str, lineno: int, outer_pipes: bool = True) -> list[Cell]:
    """Cells of a pipe-table row. In a table written without outer pipes, a trailing
    ``|`` ends a cell left empty ("_gid | Google | … |"), so it is kept."""
    s = line.rstrip()
    lead = len(s) - len(s.lstrip())
    s = s.strip()
    offset = lead
    if s.startswith("|"):
        s = s[1:]
        offset += 1
    if s.endswith("|") and (outer_pipes or line.strip().startswith("|")):
        s = s[:-1]
    cells = []
    pos = 0
    for part in _PIPE.split(s):
        col = offset + pos + (len(part) - len(part.lstrip())) + 1
        cells.append(Cell(part.strip().replace("\\|", "|"), lineno, col))
        pos += len(part) + 1
    return cells


def _heading_like(line: str, prev_blank: bool, next_line: str | None) -> int:
    """Heading level for a line that stands alone as a title, else 0."""
    s = line.strip()
    if not s or len(s) > 90 or s.endswith((".", ",", ";", ":")) and not re.match(r"^\d+\.$", s):
        return 0
    next_blank = next_line is None or not next_line.strip()
    m = _NUM_HEADING.match(s)
    if m and prev_blank and (next_blank or not _BULLET.match(next_line or "")):
        title = m.group(2)
        if title[:1].isupper() or not title[:1].isalpha():
            return min(6, m.group(1).count(".") + 2)
    letters = [c for c in s if c.isalpha()]
    if prev_blank and next_blank and len(letters) >= 3 and all(c.isupper() for c in letters):
        return 2
    return 0


def parse_text(text: str) -> tuple[list[Block], list[Comment], str | None]:
    lines = text.split("\n")
    blocks: list[Block] = []
    comments: list[Comment] = []
    para: list[tuple[int, str]] = []

    def flush() -> None:
        if para:
            txt = " ".join(x.strip() for _, x in para)
            blocks.append(
                Block(
                    "paragraph",
                    txt,
                    para[0][0],
                    column=len(para[0][1]) - len(para[0][1].lstrip()) + 1,
                    end_line=para[-1][0],
                )
            )
            para.clear()

    i = 0
    n = len(lines)
    while i < n:
        raw = lines[i]
        ln = i + 1
        s = raw.strip()
        prev_blank = i == 0 or not lines[i - 1].strip()
        nxt = lines[i + 1] if i + 1 < n else None
        if not s:
            flush()
            i += 1
            continue
        cm = _COMMENT.match(raw)
        if cm:
            flush()
            comments.append(Comment(cm.group(1), ln))
            i += 1
            continue
        atx = _ATX.match(raw)
        if atx:
            flush()
            blocks.append(
                Block("heading", _atx_title(atx.group(2)), ln, column=1, end_line=ln, level=len(atx.group(1)))
            )
            i += 1
            continue
        if (
            nxt is not None
            and _UNDERLINE.match(nxt)
            and not para
            and len(s) <= 120
            and not _is_table_line(raw)
        ):
            flush()
            level = 1 if nxt.strip().startswith("=") else 2
            blocks.append(
                Block("heading", s, ln, column=len(raw) - len(raw.lstrip()) + 1, end_line=ln + 1, level=level)
            )
            i += 2
            continue
        if _is_table_line(raw) and nxt is not None and _is_table_line(nxt) and not para:
            flush()
            j = i
            table_lines: list[tuple[int, str]] = []
            while j < n and lines[j].strip() and _is_table_line(lines[j]):
                table_lines.append((j + 1, lines[j]))
                j += 1
            header: list[Cell] = []
            rows: list[list[Cell]] = []
            body = table_lines
            if len(table_lines) >= 2 and _SEP_ROW.match(table_lines[1][1]):
                header = _cells(table_lines[0][1], table_lines[0][0])
                body = table_lines[2:]
            else:
                # Without a separator row the first row is the header, as people write them.
                header = _cells(table_lines[0][1], table_lines[0][0])
                body = table_lines[1:]
            outer = table_lines[0][1].strip().startswith("|") or table_lines[0][1].strip().endswith("|")
            rows = [_cells(x, k, outer) for k, x in body if not _SEP_ROW.match(x)]
            txt = "\n".join(" | ".join(c.text for c in r) for r in [header, *rows])
            blocks.append(
                Block("table", txt, table_lines[0][0], end_line=table_lines[-1][0], header=header, rows=rows)
            )
            i = j
            continue
        level = _heading_like(raw, prev_blank, nxt)
        if (
            not level
            and not blocks
            and not para
            and (nxt is None or not nxt.strip())
            and len(s) <= 80
            and not s.endswith((".", ",", ";", ":"))
        ):
            level = 1  # the first line standing alone is the document's title
        if level and not para:
            blocks.append(
                Block("heading", s, ln, column=len(raw) - len(raw.lstrip()) + 1, end_line=ln, level=level)
            )
            i += 1
            continue
        bm = _BULLET.match(raw)
        if bm:
            flush()
            indent = len(bm.group(1).expandtabs(4))
            item = [bm.group(2).strip()]
            j = i + 1
            # Continuation lines are indented deeper than the bullet and are not bullets themselves.
            while (
                j < n
                and lines[j].strip()
                and not _BULLET.match(lines[j])
                and len(lines[j]) - len(lines[j].lstrip()) > indent
                and not _is_table_line(lines[j])
            ):
                item.append(lines[j].strip())
                j += 1
            ordered = bool(re.match(r"\s*\d", raw))
            blocks.append(
                Block(
                    "list_item",
                    " ".join(item),
                    ln,
                    column=len(raw) - len(raw.lstrip()) + 1,
                    end_line=j,
                    level=1 + indent // 2,
                    ordered=ordered,
                )
            )
            i = j
            continue
        para.append((ln, raw))
        i += 1
    flush()
    return blocks, comments, None
