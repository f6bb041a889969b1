"""HTML → blocks, with source lines from lxml.

Walks the tree iteratively (200,000 nested ``<div>``s must not hit Python's
recursion limit), drops page chrome (scripts, navigation, footers, consent
banners) and keeps the policy text with the line each block starts on.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from lxml import etree

from policylint.model import Block, Cell, Comment

DROP_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "canvas",
    "video",
    "audio",
    "select",
    "option",
    "button",
    "input",
    "textarea",
    "head",
    "nav",
    "form",
    "dialog",
    "link",
    "meta",
    "base",
}
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "aside",
    "header",
    "footer",
    "blockquote",
    "pre",
    "address",
    "figure",
    "figcaption",
    "details",
    "summary",
    "dl",
    "dt",
    "dd",
    "ul",
    "ol",
    "li",
    "hr",
    "center",
    "fieldset",
    "legend",
    "body",
    "html",
    "caption",
    "tbody",
    "thead",
    "tfoot",
    "tr",
}
# Inline elements whose boundaries separate words even without whitespace in the
# source: "<code>a</code>or<code>b</code>" reads "a or b", not "aorb".
# Code spans are marked with backticks, as in Markdown: they tell the extractor
# that a word is a cookie or storage key name.
CODE_TAGS = {"code", "kbd", "samp", "tt"}
SPACED_INLINE = {"code", "kbd", "samp", "var", "tt", "img", "label", "td", "th", "sup", "sub"}

# Consent banners and cookie preference widgets: their text ("Accept all") is not
# the policy. Matched on id/class; "cookie-policy" content must NOT match.
_BANNER = re.compile(
    r"onetrust-(?:banner|consent|pc)|ot-sdk|optanon-alert|cookie-?(?:banner|consent|notice|bar|popup|modal|law-info)"
    r"|cookieconsent|cc-(?:window|banner)|cybotcookiebot|didomi-(?:host|popup|notice)|axeptio|tarteaucitron"
    r"|gdpr-(?:banner|cookie)|truste-consent|usercentrics|cmp-(?:banner|container)|qc-cmp|sp_message",
    re.IGNORECASE,
)
# The same pattern, case-sensitive, for lowercased ASCII text: there it matches exactly what
# _BANNER matches (re's case folding differs from str.lower() only beyond ASCII), ~5x faster.
_BANNER_LOWER = re.compile(_BANNER.pattern)
# The spaces added around code spans must not detach punctuation: "`_ga`." not "`_ga` .".
_CODE_GAP_AFTER = re.compile(r"` ([.,;:!?)\]»”])")
_CODE_GAP_BEFORE = re.compile(r"([(\[«“]) `")
# Runs of spaces, collapsed to one space. A lone " " is left out of the pattern (replacing it
# by itself is a no-op, and most word gaps are one): that skips a match object per word.
_OTHER_SPACES = r"\t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000"
_WS = re.compile(rf"[ {_OTHER_SPACES}]{{2,}}|[{_OTHER_SPACES}]")
# What _norm_line changes besides runs of spaces: line breaks and the other spaces.
_GAP = re.compile(rf"[\n{_OTHER_SPACES}]")
# Where str.split() and _WS (with "\n" as a gap) disagree on what a gap is: Python whitespace
# that _WS keeps, and U+200B, which _WS collapses but Python does not count as whitespace.
# (tests/test_parse_fast.py checks the set.)
_SPLIT_DIFFERS = re.compile(r"[\r\x1c-\x1f\x85\u1680\u2028\u2029\u200b]")


def _norm_line(text: str) -> str:
    """``text`` on one line: line breaks and runs of spaces made one space, ends stripped."""
    if "  " not in text and _GAP.search(text) is None:
        return text.strip()  # single spaces only (most text): nothing to collapse
    if _SPLIT_DIFFERS.search(text) is None:
        return " ".join(text.split())  # the same result as below, ~4x faster
    return _WS.sub(" ", text.replace("\n", " ")).strip()


def _norm_inline(text: str) -> str:
    """``text`` with runs of spaces made one space, each line stripped, empty lines dropped."""
    if "\n" in text:
        return "\n".join([x for x in map(_norm_line, text.split("\n")) if x])
    return _norm_line(text)


# The attributes that can make an element noise (see _attrs_noise).
_NOISE_ATTRS = frozenset(("id", "class", "aria-label", "hidden", "aria-hidden", "style"))


def _attrs_noise(el: etree._Element) -> bool:
    if _NOISE_ATTRS.isdisjoint(el.keys()):
        return False  # most elements have none of them (or no attributes): skip the six look-ups
    ident = (el.get("id") or "") + " " + (el.get("class") or "") + " " + (el.get("aria-label") or "")
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style") or ""
    if "display:none" in style.replace(" ", "").lower():
        return True
    if not ident.strip():
        return False
    if ident.isascii():
        return _BANNER_LOWER.search(ident.lower()) is not None
    return _BANNER.search(ident) is not None


def _content_root(root: etree._Element) -> etree._Element:
    """The policy's container when the page wraps it in app chrome (main/article)."""
    best = None
    for xpath in ("//main", "//*[@role='main']", "//article"):
        for el in root.xpath(xpath):
            # The length of "".join(el.itertext()), counted by libxml2 without building it.
            n = int(el.xpath("string-length()"))
            if n >= 400 and (best is None or n > best[0]):
                best = (n, el)
        if best:
            return best[1]
    body = root.find(".//body")
    return body if body is not None else root


# Above this many characters a page is parsed in pieces of about this size, each tree
# freed before the next: lxml holds ~16 bytes of tree per byte of HTML (a 50 MB page
# parsed whole peaked at 1.6 GB). Pieces end before a block-level tag outside tables,
# scripts and comments, so no block is cut in two.
PIECE_CHARS = 4 * 1024 * 1024
# libxml2 stops the whole parse (everything after is lost) at 256 open elements;
# deeper markup is flattened to this depth and parsed again.
MAX_DEPTH = 200
_BLOCK_START = re.compile(
    r"<(?:h[1-6]|p|table|section|article|div|ul|ol|dl|li|dt|dd|blockquote|pre|tr|br|hr)[\s/>]", re.IGNORECASE
)
_CONTAINER = re.compile(
    r"<!--|-->|<(/?)(table|script|style|nav|header|footer|aside|form|template|noscript|svg|select|dialog)[\s/>]",
    re.IGNORECASE,
)
_TAG = re.compile(r"<!--.*?(?:-->|\Z)|<(/?)([A-Za-z][A-Za-z0-9:-]{0,40})\b[^<>]{0,10000}>?", re.DOTALL)
# fmt: off
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
}
# fmt: on


def parse_html(text: str, line_offset: int = 0) -> tuple[list[Block], list[Comment], str | None]:
    """Parse HTML text into blocks, comments and the <title>.

    No network and no file access, whatever the document says: lxml's HTML parser
    does not load DTDs or external entities (``&e;`` from ``<!ENTITY e SYSTEM …>``
    stays literal text), ``no_network`` forbids fetches, XInclude is never run, and
    ``<base>``/``<link>``/``<img>``/``<iframe>`` are only markup to drop.
    """
    if not text.strip():
        return [], [], None
    if len(text) <= PIECE_CHARS:
        return _parse_piece(text, line_offset)
    blocks: list[Block] = []
    comments: list[Comment] = []
    title = None
    line = line_offset
    start, carry = 0, ""
    while start < len(text):
        if len(text) - start <= PIECE_CHARS:
            cut, next_carry = len(text), ""
        else:
            cut, next_carry = _cut_point(text, start, carry)
        # A table cut in two: the next piece starts with the table's opening and header
        # row (without line breaks, so its lines stay true) and its rows stay table rows.
        b, c, t = _parse_piece(carry + text[start:cut], line)
        blocks.extend(b)
        comments.extend(c)
        title = title or t
        line += text.count("\n", start, cut)
        start, carry = cut, next_carry
    return blocks, comments, title


def _cut_point(text: str, start: int, carry: str = "") -> tuple[int, str]:
    """Where the piece starting at ``start`` ends, and what the next piece must start with.

    Before the last block-level tag of the piece's second half that is outside tables,
    page chrome (nav, header, footer…), scripts, styles and comments; else before a row
    of an open table (the table's opening is carried to the next piece); else before any
    block-level tag, then after a line break, then anywhere (a single 10 MB word).
    """
    lo, hi = start + PIECE_CHARS // 2, start + PIECE_CHARS
    # State after each marker, in one forward pass (then a bisect per candidate).
    where: list[int] = []
    state: list[tuple[bool, bool, int | None]] = []  # (unsafe, unsafe other than tables, open table)
    depth: dict[str, int] = {}
    tables: list[int] = [-1] if carry else []  # start of each open table; -1: carried in
    raw: str | None = None  # inside a comment, script or style: tags there are not tags
    for m in _CONTAINER.finditer(text, start, hi):
        closing, name = m.group(1) == "/", (m.group(2) or m.group(0)).lower()
        if raw is not None:
            if (raw == "<!--" and name == "-->") or (closing and name == raw):
                raw = None
        elif name == "<!--" or (name in ("script", "style") and not closing):
            raw = name
        elif name == "table":
            if closing:
                if tables:
                    tables.pop()
            else:
                tables.append(m.start())
        elif name != "-->":
            depth[name] = max(0, depth.get(name, 0) + (-1 if closing else 1))
        other = raw is not None or any(depth.values())
        where.append(m.start())
        state.append((other or bool(tables), other, tables[-1] if tables else None))
    if carry and not where:
        where, state = [start], [(True, False, -1)]
    fallback = row_cut = None
    for m in reversed(list(_BLOCK_START.finditer(text, lo, hi))):
        pos = m.start()
        if fallback is None:
            fallback = pos
        k = bisect_right(where, pos - 1) - 1
        unsafe, other, table = state[k] if k >= 0 else (False, False, None)
        if not unsafe:
            return pos, ""
        if row_cut is None and not other and table is not None and m.group().lower().startswith("<tr"):
            row_cut = (pos, table)
    if row_cut is not None:
        pos, table = row_cut
        return pos, carry if table == -1 else _table_opening(text, table, pos)
    if fallback is not None:
        return fallback, ""
    nl = text.rfind("\n", lo, hi)
    if nl >= 0:
        return nl + 1, ""
    gt = text.rfind(">", lo, hi)
    return (gt + 1 if gt >= 0 else hi), ""


def _table_opening(text: str, table: int, limit: int) -> str:
    """The table's start tag and first row (its header), on one line."""
    end = text.lower().find("</tr", table, min(limit, table + 65536))
    end = text.find(">", end) + 1 if end >= 0 else text.find(">", table) + 1
    head = text[table:end] if end > table else "<table>"
    if "<thead" in head.lower() and "</thead" not in head.lower():
        head += "</thead>"
    return head.replace("\r", " ").replace("\n", " ")


def _parse_piece(text: str, line_offset: int) -> tuple[list[Block], list[Comment], str | None]:
    root, too_deep = _lxml_parse(text)
    if too_deep:
        root, _ = _lxml_parse(flatten_deep(text))
    if root is None:
        return [], [], None
    title_el = root.find(".//title")
    title = _norm_inline("".join(title_el.itertext())) if title_el is not None else None

    comments: list[Comment] = []
    for c in root.iter(etree.Comment):
        comments.append(Comment(text=(c.text or "").strip(), line=(c.sourceline or 1) + line_offset))

    return _walk(_content_root(root), line_offset), comments, title or None


def _lxml_parse(text: str) -> tuple[etree._Element | None, bool]:
    """The tree (None when there is none) and whether libxml2 gave up on nesting depth."""
    parser = etree.HTMLParser(
        remove_blank_text=False,
        remove_comments=False,
        remove_pis=True,
        no_network=True,
        recover=True,
        huge_tree=False,
        default_doctype=False,
        encoding="utf-8",
    )
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except (etree.XMLSyntaxError, ValueError):
        root = None
    too_deep = any("depth" in (e.message or "").lower() for e in parser.error_log)
    return root, too_deep


def flatten_deep(text: str, limit: int = MAX_DEPTH) -> str:
    """``text`` with the tags opened beyond ``limit`` levels blanked out (their text kept).

    Counts depth naively (no implied end tags), so it may blank more than libxml2
    would nest: it only runs on documents libxml2 already refused as too deep.
    A blanked tag becomes a space (or its own line breaks), so lines do not move.
    """
    out: list[str] = []
    stack: list[str] = []
    blanked: dict[str, int] = {}
    pos = 0
    for m in _TAG.finditer(text):
        name = m.group(2)
        if name is None:  # a comment
            continue
        name = name.lower()
        closing = m.group(1) == "/"
        drop = False
        if closing:
            if blanked.get(name):
                blanked[name] -= 1
                drop = True
            elif name in stack:
                while stack and stack.pop() != name:
                    pass
        elif name not in _VOID and not m.group(0).endswith("/>"):
            if len(stack) >= limit:
                blanked[name] = blanked.get(name, 0) + 1
                drop = True
            else:
                stack.append(name)
        if drop:
            out.append(text[pos : m.start()])
            out.append(" " + "\n" * m.group(0).count("\n"))
            pos = m.end()
    out.append(text[pos:])
    return "".join(out)


# What an element does to the text around it, one look-up per element. Where the tag sets
# overlap, the later entries win: a heading before a list item before a list before <br>
# before other blocks before code spans before the other spaced inline elements.
_HEADING, _ITEM, _TERM, _LIST, _BREAK, _BLOCK, _CODE, _SPACED, _SKIP = range(9)
_ROLE: dict[str, int] = {
    **dict.fromkeys(SPACED_INLINE, _SPACED),
    **dict.fromkeys(CODE_TAGS, _CODE),
    **dict.fromkeys(BLOCK_TAGS, _BLOCK),
    "br": _BREAK,
    "ul": _LIST,
    "ol": _LIST,
    "dt": _TERM,
    "dd": _TERM,
    "li": _ITEM,
    **dict.fromkeys(HEADINGS, _HEADING),
}
_CHROME_TAGS = {"footer", "header"}


def _walk(root: etree._Element, off: int) -> list[Block]:
    """The blocks under ``root``, with their lines moved by ``off``.

    lxml's iterwalk gives the start and end of each element in document order (without
    recursion: 200,000 nested elements are fine); dropped subtrees and tables are skipped
    whole. Text is gathered into ``buf`` until a block boundary flushes it; a text's line
    is its element's source line.
    """
    blocks: list[Block] = []
    buf: list[str] = []
    buf_line = last_line = 0  # where the text in buf starts; the furthest line reached so far
    kind, level = "paragraph", 0
    depth = 0  # list depth
    ordered: list[bool] = []

    def add(s: str, line: int) -> None:
        nonlocal buf_line, last_line
        if not buf:
            if s.isspace():
                return  # a block never starts with blank text
            buf_line = line
        buf.append(s)
        end = line + s.count("\n")
        if end > last_line:
            last_line = end

    def flush() -> None:
        nonlocal kind, level
        if not buf:
            return  # (the kind stays: "<li><p>text" is a list item)
        txt = _norm_line("".join(buf))
        if "`" in txt:
            txt = _CODE_GAP_AFTER.sub(r"`\1", _CODE_GAP_BEFORE.sub(r"\1`", txt))
        buf.clear()
        if txt:
            blocks.append(
                Block(
                    kind=kind,
                    text=txt,
                    line=buf_line + off,
                    end_line=max(buf_line, last_line) + off,
                    level=level if kind == "heading" else depth,
                    ordered=bool(ordered and ordered[-1]) and kind == "list_item",
                )
            )
        kind, level = "paragraph", 0

    roles: list[int | None] = []  # the role of each open element; _SKIP: subtree skipped
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, el in walker:
        if event == "end":
            role = roles.pop()
            if role is None:
                pass  # inline: its text runs on
            elif role == _SKIP:
                continue  # dropped or a table: done when it opened
            elif role in (_BLOCK, _HEADING, _TERM):
                flush()
            elif role == _ITEM:
                flush()
                if depth:
                    kind = "paragraph"
            elif role == _LIST:
                flush()
                depth = max(0, depth - 1)
                if ordered:
                    ordered.pop()
            elif role == _CODE:
                add("` ", last_line)
            elif role == _SPACED and buf:
                add(" ", last_line)
            if el is not root:
                tail = el.tail
                if tail:
                    add(tail, el.sourceline or last_line or 1)
            continue
        if event != "start":  # comment / PI: its tail is still text
            tail = el.tail
            if tail:
                add(tail, el.sourceline or last_line or 1)
            continue
        tag = el.tag.lower()
        if (
            tag in DROP_TAGS
            or (el.keys() and _attrs_noise(el))
            or (tag in _CHROME_TAGS and _is_page_chrome(el))
        ):
            walker.skip_subtree()
            roles.append(_SKIP)
            if el is not root:
                if buf and tag in BLOCK_TAGS:
                    buf.append(" ")
                tail = el.tail
                if tail:
                    add(tail, el.sourceline or last_line or 1)
            continue
        if tag == "table":
            walker.skip_subtree()
            roles.append(_SKIP)
            flush()
            table = _table(el, off)
            if table is not None:
                blocks.append(table)
            tail = el.tail
            if tail:
                add(tail, el.sourceline or last_line or 1)
            continue
        line = el.sourceline or last_line or 1
        role = _ROLE.get(tag)
        roles.append(role)
        if role is None:
            pass
        elif role == _BLOCK:
            flush()
        elif role == _HEADING:
            flush()
            kind, level = "heading", HEADINGS[tag]
        elif role in (_ITEM, _TERM):
            flush()
            kind = "list_item"
        elif role == _LIST:
            flush()
            depth += 1
            ordered.append(tag == "ol")
        elif role == _BREAK:
            if buf:
                add("\n", line)
        elif role == _CODE:
            add(" `", line)
        elif buf:  # _SPACED
            add(" ", line)
        text = el.text
        if text:
            add(text, line)
    return blocks


def _is_page_chrome(el: etree._Element) -> bool:
    # A <header>/<footer> inside the article holds its title or date; the page's own is chrome.
    parent = el.getparent()
    while parent is not None:
        if isinstance(parent.tag, str) and parent.tag.lower() in {"article", "main", "section"}:
            return False
        parent = parent.getparent()
    return True


def _table(table: etree._Element, off: int) -> Block | None:
    rows: list[tuple[list[Cell], bool, bool]] = []  # cells, all-th, in thead
    pending: dict[int, tuple[Cell, int]] = {}  # column -> (cell, rows left) for rowspan
    # Rows with the same parent (<tbody>, <thead>) have the same ancestors: walk them once
    # per parent. (The parent is kept in the dict, so lxml returns the same proxy for it.)
    by_parent: dict[etree._Element, tuple[bool, bool]] = {}  # -> (nested, in thead)
    for tr in table.iter("tr"):
        parent = tr.getparent()
        known = by_parent.get(parent)
        if known is None:
            known = by_parent[parent] = (
                _nearest_table(tr) is not table,
                any(isinstance(a.tag, str) and a.tag.lower() == "thead" for a in tr.iterancestors()),
            )
        nested, in_head = known
        # Rows of a nested table belong to that table's cell text, not to this table.
        if nested:
            continue
        cells: list[Cell] = []
        all_th = True
        col = 0
        for td in tr:
            tag = td.tag
            if not isinstance(tag, str):
                continue
            tag = tag.lower()
            if tag != "td" and tag != "th":
                continue
            while col in pending:
                cells.append(_carry(pending, col))
                col += 1
            all_th &= tag == "th"
            cell = Cell(text=_cell_text(td), line=(td.sourceline or tr.sourceline or 1) + off)
            if td.keys():
                span = _int_attr(td, "colspan")
                rspan = _int_attr(td, "rowspan")
            else:
                span = rspan = 1
            for _ in range(span):
                cells.append(cell)
                if rspan > 1:
                    pending[col] = (cell, rspan - 1)
                col += 1
        while col in pending:
            cells.append(_carry(pending, col))
            col += 1
        if cells:
            rows.append((cells, all_th, in_head))
    if not rows:
        return None
    header: list[Cell] = []
    if rows[0][1] or rows[0][2]:
        header = rows[0][0]
        rows = rows[1:]
    body = [r[0] for r in rows]
    line = (table.sourceline or 1) + off
    end = max([c.line for r in body for c in r] + [c.line for c in header] + [line])
    text = "\n".join(" | ".join(c.text for c in r) for r in ([header] if header else []) + body)
    return Block(kind="table", text=text, line=line, end_line=end, header=header, rows=body)


def _carry(pending: dict[int, tuple[Cell, int]], col: int) -> Cell:
    cell, left = pending[col]
    if left <= 1:
        del pending[col]
    else:
        pending[col] = (cell, left - 1)
    return cell


def _nearest_table(el: etree._Element) -> etree._Element | None:
    for a in el.iterancestors():
        if isinstance(a.tag, str) and a.tag.lower() == "table":
            return a
    return None


def _int_attr(el: etree._Element, name: str) -> int:
    if el.get(name) is None:
        return 1  # the usual case: no colspan/rowspan
    try:
        return max(1, min(20, int((el.get(name) or "1").strip())))
    except ValueError:
        return 1


# What an element inside a cell puts before and after its text: a line break around blocks
# and <br>, a space around spaced inline elements.
_CELL_GAP: dict[str, str] = {
    **dict.fromkeys(SPACED_INLINE, " "),
    **dict.fromkeys([*BLOCK_TAGS, *HEADINGS, "li", "br"], "\n"),
}


def _cell_text(td: etree._Element) -> str:
    """Cell text with line breaks kept between block children and <br>, words never glued."""
    if not len(td):
        # No children (most cells): the walk below gives the text and a space (td/th is
        # spaced inline), which _norm_inline strips.
        return _norm_inline(td.text or "")
    parts: list[str] = []
    gaps: list[str | None] = []  # the gap closing each open element; None: dropped
    walker = etree.iterwalk(td, events=("start", "end", "comment", "pi"))
    for event, el in walker:
        if event == "start":
            tag = el.tag.lower()
            if tag in DROP_TAGS:
                walker.skip_subtree()
                gaps.append(None)
                if el.tail:
                    parts.append(el.tail)
                continue
            gap = _CELL_GAP.get(tag, "")
            if gap and el is not td:
                parts.append(gap)
            if el.text:
                parts.append(el.text)
            gaps.append(gap)
        elif event == "end":
            gap = gaps.pop()
            if gap is None:
                continue
            if gap:
                parts.append(gap)
            if el is not td and el.tail:
                parts.append(el.tail)
        elif el.tail:  # comment / PI
            parts.append(el.tail)
    return _norm_inline("".join(parts))
