"""The parse stage's fast paths give exactly what the plain definitions give.

Whitespace normalisation uses ``str.split()`` where it agrees with the ``_WS`` patterns,
banner matching a case-sensitive pattern on lowercased ASCII, the content root's size
libxml2's ``string-length()``; each is checked here against the definition it stands for.
"""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from policylint.parse import html as H
from policylint.parse import markdown as M

ALL_CHARS = "".join(map(chr, range(sys.maxunicode + 1)))
PY_SPACE = {c for c in ALL_CHARS if c.isspace()}  # what str.split() and strip() take as space


def _chars(pattern: str) -> set[str]:
    return set(re.findall(pattern, ALL_CHARS))


def test_html_split_differs_is_where_split_and_ws_disagree() -> None:
    ws_gaps = _chars(rf"[ {H._OTHER_SPACES}]") | {"\n"}  # _norm_line makes "\n" a space first
    assert _chars(H._SPLIT_DIFFERS.pattern) == PY_SPACE ^ ws_gaps


def test_markdown_split_differs_is_where_split_and_ws_disagree() -> None:
    ws_gaps = _chars(r"[ \t\u00a0]")  # _clean splits lines first: no "\n" reaches the split
    assert _chars(M._SPLIT_DIFFERS.pattern) == (PY_SPACE - {"\n"}) ^ ws_gaps


# Text made of the characters that matter: every kind of space, and a few letters.
SPACEY = st.text(
    alphabet=st.sampled_from(sorted(PY_SPACE | _chars(rf"[{H._OTHER_SPACES}]")) + list("ab`")),
    max_size=40,
)


@given(SPACEY)
def test_html_norm_line(text: str) -> None:
    assert H._norm_line(text) == H._WS.sub(" ", text.replace("\n", " ")).strip()


@given(SPACEY)
def test_html_norm_inline(text: str) -> None:
    lines = [H._WS.sub(" ", part).strip() for part in text.split("\n")]
    assert H._norm_inline(text) == "\n".join(x for x in lines if x)


@given(SPACEY)
def test_markdown_clean(text: str) -> None:
    lines = [M._WS.sub(" ", x).strip() for x in text.split("\n")]
    assert M._clean(text) == "\n".join(x for x in lines if x)


@given(st.text(alphabet="|\\` a", max_size=30))
def test_markdown_cell_count(text: str) -> None:
    assert text.count("|") - text.count("\\|") + 1 == len(M._PIPE.split(text))


_BANNER_BITS = ["onetrust-", "banner", "cookie", "-", "consent", "cc-", "window", "didomi-", "popup", "cmp-"]


@given(
    st.lists(st.sampled_from([*_BANNER_BITS, " ", "x", "ot-sdk", "qc-cmp", "sp_message"]), max_size=6),
    st.data(),
)
def test_banner_lowercase_pattern(parts: list[str], data: st.DataObject) -> None:
    ident = "".join(data.draw(st.sampled_from([p, p.upper(), p.title()])) for p in parts)
    assert H._BANNER.pattern == H._BANNER.pattern.lower()
    assert (H._BANNER_LOWER.search(ident.lower()) is not None) == (H._BANNER.search(ident) is not None)


_HTML_BITS = [
    "<main>",
    "</main>",
    "<p>",
    "</p>",
    "<!-- c -->",
    "<script>s</script>",
    "&amp;",
    "&nbsp;",
    "é",
    "x",
]


@settings(max_examples=50)
@given(st.lists(st.sampled_from(_HTML_BITS), max_size=20))
def test_string_length_is_itertext_length(parts: list[str]) -> None:
    root = etree.fromstring(("<html><body>" + "".join(parts) + "</body></html>").encode(), etree.HTMLParser())
    for el in root.iter():
        if isinstance(el.tag, str):
            assert int(el.xpath("string-length()")) == len("".join(el.itertext()))


def test_roles_follow_the_tag_sets_precedence() -> None:
    def role(tag: str) -> int | None:  # the order the walker used to test the sets in
        if tag in H.HEADINGS:
            return H._HEADING
        if tag == "li":
            return H._ITEM
        if tag in ("dt", "dd"):
            return H._TERM
        if tag in ("ul", "ol"):
            return H._LIST
        if tag == "br":
            return H._BREAK
        if tag in H.BLOCK_TAGS:
            return H._BLOCK
        if tag in H.CODE_TAGS:
            return H._CODE
        if tag in H.SPACED_INLINE:
            return H._SPACED
        return None

    tags = {*H.HEADINGS, *H.BLOCK_TAGS, *H.CODE_TAGS, *H.SPACED_INLINE, "br", "span", "a"}
    assert {t: H._ROLE.get(t) for t in tags} == {t: role(t) for t in tags}
    for tag in tags:
        breaks = tag in H.BLOCK_TAGS or tag in H.HEADINGS or tag in ("li", "br")
        assert H._CELL_GAP.get(tag, "") == ("\n" if breaks else " " if tag in H.SPACED_INLINE else "")
