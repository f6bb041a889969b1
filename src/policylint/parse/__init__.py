"""Stage 2: text → Document (ordered blocks that keep their source lines)."""

from __future__ import annotations

import re

from policylint.load import Loaded
from policylint.model import Block, Document

# A paragraph that starts with a bullet character is a list item that the
# author (or a CMS export) wrote without list markup.
_BULLET_PARA = re.compile(r"^\s*[•·▪‣◦●○■□➢➤►–-]\s+")


# Paragraphs that are template code in a docs repo (Nunjucks/Jinja/Liquid:
# "{% from ... import x %}", "{{ tnaButton({...}) }}") are not policy text.
# A lone "{{ company_name }}" inside a sentence is a placeholder and stays.
_TEMPLATE_CODE = re.compile(r"^\s*(?:\{%.*?%\}\s*)+$|^\s*\{\{[^{}]*\(.*\}\}\s*$", re.DOTALL)


def parse(loaded: Loaded) -> Document:
    """Parse loaded text by its format. Never raises on malformed input."""
    text = loaded.text
    if loaded.format == "html":
        from policylint.parse.html import parse_html

        blocks, comments, title = parse_html(text)
    elif loaded.format == "markdown":
        from policylint.parse.markdown import parse_markdown

        blocks, comments, title = parse_markdown(text)
    else:
        from policylint.parse.text import parse_text

        blocks, comments, title = parse_text(text)
    # ("{" first: a substring test is much cheaper than the match, and few blocks hold one.)
    blocks = [_normalise(b) for b in blocks if "{" not in b.text or not _TEMPLATE_CODE.match(b.text)]
    return Document(
        path=loaded.path,
        format=loaded.format,
        lines=text.split("\n"),
        blocks=blocks,
        comments=comments,
        title=title,
        encoding=loaded.encoding,
        problems=list(loaded.problems),
    )


def _normalise(b: Block) -> Block:
    if b.kind == "paragraph" and _BULLET_PARA.match(b.text):
        b.kind = "list_item"
        b.text = _BULLET_PARA.sub("", b.text, count=1)
        b.level = b.level or 1
    if b.end_line < b.line:
        b.end_line = b.line
    return b
