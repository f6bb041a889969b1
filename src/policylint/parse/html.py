"""HTML → blocks, with source lines from lxml.

Walks the tree iteratively (200,000 nested ``<div>``s must not hit Python's
recursion limit), drops page chrome (scripts, navigation, footers, consent
banners) and keeps the policy text with the line each block starts on.
"""

from __future__ import annotations

import re

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
# The spaces added around code spans must not detach punctuation: "`_ga`." not "`_ga` .".
_CODE_GAP_AFTER = re.compile(r"` ([.,;:!?)\]»”])")
_CODE_GAP_BEFORE = re.compile(r"([(\[«“]) `")
_WS = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def _norm_inline(text: str) -> str:
    lines = [_WS.sub(" ", part).strip() for part in text.split("\n")]
    return "\n".join(x for x in lines if x)


def _attrs_noise(el: etree._Element) -> bool:
    ident = (el.get("id") or "") + " " + (el.get("class") or "") + " " + (el.get("aria-label") or "")
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style") or ""
    if "display:none" in style.replace(" ", "").lower():
        return True
    return bool(ident.strip()) and bool(_BANNER.search(ident))


def _content_root(root: etree._Element) -> etree._Element:
    """The policy's container when the page wraps it in app chrome (main/article)."""
    best = None
    for xpath in ("//main", "//*[@role='main']", "//article"):
        for el in root.xpath(xpath):
            n = len("".join(el.itertext()))
            if n >= 400 and (best is None or n > best[0]):
                best = (n, el)
        if best:
            return best[1]
    body = root.find(".//body")
    return body if body is not None else root


def parse_html(text: str, line_offset: int = 0) -> tuple[list[Block], list[Comment], str | None]:
    """Parse HTML text into blocks, comments and the <title>."""
    if not text.strip():
        return [], [], None
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
    if root is None:
        return [], [], None
    title_el = root.find(".//title")
    title = _norm_inline("".join(title_el.itertext())) if title_el is not None else None

    comments: list[Comment] = []
    for c in root.iter(etree.Comment):
        comments.append(Comment(text=(c.text or "").strip(), line=(c.sourceline or 1) + line_offset))

    walker = _Walker(line_offset)
    walker.walk(_content_root(root))
    return walker.blocks, comments, title or None


class _Walker:
    def __init__(self, line_offset: int) -> None:
        self.off = line_offset
        self.blocks: list[Block] = []
        self.buf: list[str] = []
        self.buf_line = 0
        self.last_line = 0
        self.kind = "paragraph"
        self.level = 0
        self.depth = 0  # list depth
        self.ordered: list[bool] = []

    # Text accumulation -------------------------------------------------
    def _add(self, s: str | None, line: int) -> None:
        if not s:
            return
        if not self.buf and not s.strip():
            return
        if not self.buf:
            self.buf_line = line
        self.buf.append(s)
        self.last_line = max(self.last_line, line + s.count("\n"))

    def _flush(self) -> None:
        if not self.buf:
            return
        txt = _WS.sub(" ", " ".join("".join(self.buf).split("\n"))).strip()
        if "`" in txt:
            txt = _CODE_GAP_AFTER.sub(r"`\1", _CODE_GAP_BEFORE.sub(r"\1`", txt))
        self.buf = []
        if txt:
            self.blocks.append(
                Block(
                    kind=self.kind,
                    text=txt,
                    line=self.buf_line + self.off,
                    end_line=max(self.buf_line, self.last_line) + self.off,
                    level=self.level if self.kind == "heading" else self.depth,
                    ordered=bool(self.ordered and self.ordered[-1]) and self.kind == "list_item",
                )
            )
        self.kind, self.level = "paragraph", 0

    # Walk -----------------------------------------------------------------
    def walk(self, root: etree._Element) -> None:
        # Iterative pre/post-order walk; "skip" holds elements whose subtree is dropped.
        stack: list[tuple[etree._Element, bool]] = [(root, False)]
        while stack:
            el, done = stack.pop()
            if done:
                self._end(el)
                if el is not root:
                    self._add(el.tail, self._line(el))
                continue
            tag = el.tag if isinstance(el.tag, str) else None
            if tag is None:  # comment / PI: its tail is still text
                if el is not root:
                    self._add(el.tail, self._line(el))
                continue
            tag = tag.lower()
            if (
                tag in DROP_TAGS
                or _attrs_noise(el)
                or (tag in {"footer", "header"} and self._is_page_chrome(el))
            ):
                if el is not root:
                    self._add(" " if tag in BLOCK_TAGS else "", 0)
                    self._add(el.tail, self._line(el))
                continue
            if tag == "table":
                self._flush()
                self._table(el)
                self._add(el.tail, self._line(el))
                continue
            self._start(el, tag)
            stack.append((el, True))
            for child in reversed(el):
                stack.append((child, False))

    def _line(self, el: etree._Element) -> int:
        return el.sourceline or self.last_line or 1

    def _is_page_chrome(self, el: etree._Element) -> bool:
        # A <header>/<footer> inside the article holds its title or date; the page's own is chrome.
        parent = el.getparent()
        while parent is not None:
            if isinstance(parent.tag, str) and parent.tag.lower() in {"article", "main", "section"}:
                return False
            parent = parent.getparent()
        return True

    def _start(self, el: etree._Element, tag: str) -> None:
        line = self._line(el)
        if tag in HEADINGS:
            self._flush()
            self.kind, self.level = "heading", HEADINGS[tag]
        elif tag == "li" or tag == "dt" or tag == "dd":
            self._flush()
            self.kind = "list_item"
        elif tag in ("ul", "ol"):
            self._flush()
            self.depth += 1
            self.ordered.append(tag == "ol")
        elif tag == "br":
            self._add("\n", line)
        elif tag in BLOCK_TAGS:
            self._flush()
        elif tag in CODE_TAGS:
            self._add(" `", line)
        elif tag in SPACED_INLINE:
            self._add(" ", line)
        self._add(el.text, line)

    def _end(self, el: etree._Element) -> None:
        tag = el.tag.lower()
        if tag in ("ul", "ol"):
            self._flush()
            self.depth = max(0, self.depth - 1)
            if self.ordered:
                self.ordered.pop()
        elif tag in HEADINGS or tag in BLOCK_TAGS or tag in ("li", "dt", "dd"):
            self._flush()
            if tag == "li" and self.depth:
                self.kind = "paragraph"
        elif tag in CODE_TAGS:
            self._add("` ", self.last_line)
        elif tag in SPACED_INLINE:
            self._add(" ", self.last_line)

    # Tables ---------------------------------------------------------------
    def _table(self, table: etree._Element) -> None:
        rows: list[tuple[list[Cell], bool, bool]] = []  # cells, all-th, in thead
        pending: dict[int, tuple[Cell, int]] = {}  # column -> (cell, rows left) for rowspan
        for tr in table.iter("tr"):
            # Rows of a nested table belong to that table's cell text, not to this table.
            if _nearest_table(tr) is not table:
                continue
            cells: list[Cell] = []
            all_th = True
            col = 0
            for td in tr:
                if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                    continue
                while col in pending:
                    cells.append(_carry(pending, col))
                    col += 1
                all_th &= td.tag.lower() == "th"
                cell = Cell(text=_cell_text(td), line=(td.sourceline or tr.sourceline or 1) + self.off)
                span = _int_attr(td, "colspan")
                rspan = _int_attr(td, "rowspan")
                for _ in range(span):
                    cells.append(cell)
                    if rspan > 1:
                        pending[col] = (cell, rspan - 1)
                    col += 1
            while col in pending:
                cells.append(_carry(pending, col))
                col += 1
            in_head = any(isinstance(a.tag, str) and a.tag.lower() == "thead" for a in tr.iterancestors())
            if cells:
                rows.append((cells, all_th, in_head))
        if not rows:
            return
        header: list[Cell] = []
        if rows[0][1] or rows[0][2]:
            header = rows[0][0]
            rows = rows[1:]
        body = [r[0] for r in rows]
        line = (table.sourceline or 1) + self.off
        end = max([c.line for r in body for c in r] + [c.line for c in header] + [line])
        text = "\n".join(" | ".join(c.text for c in r) for r in ([header] if header else []) + body)
        self.blocks.append(Block(kind="table", text=text, line=line, end_line=end, header=header, rows=body))


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
    try:
        return max(1, min(20, int((el.get(name) or "1").strip())))
    except ValueError:
        return 1


def _cell_text(td: etree._Element) -> str:
    """Cell text with line breaks kept between block children and <br>, words never glued."""
    parts: list[str] = []
    stack: list[tuple[etree._Element, bool]] = [(td, False)]
    while stack:
        el, done = stack.pop()
        if not isinstance(el.tag, str):
            if el is not td and el.tail:
                parts.append(el.tail)
            continue
        tag = el.tag.lower()
        if done:
            if tag in BLOCK_TAGS or tag in HEADINGS or tag in ("li", "br"):
                parts.append("\n")
            elif tag in SPACED_INLINE:
                parts.append(" ")
            if el is not td and el.tail:
                parts.append(el.tail)
            continue
        if tag in DROP_TAGS:
            if el.tail:
                parts.append(el.tail)
            continue
        if tag == "br" or tag in BLOCK_TAGS or tag in HEADINGS or tag == "li":
            parts.append("\n")
        elif tag in SPACED_INLINE and el is not td:
            parts.append(" ")
        if el.text:
            parts.append(el.text)
        stack.append((el, True))
        for child in reversed(el):
            stack.append((child, False))
    return _norm_inline("".join(parts))
