"""Stage 1 and 2: bytes → text → blocks that keep their source lines."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from policylint.api import load_document
from policylint.load import InputError, decode, load, sniff_format


def _doc(tmp_path: Path, name: str, data: bytes | str):
    p = tmp_path / name
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return load_document(p)


@pytest.mark.parametrize(
    "data,text",
    [
        (codecs.BOM_UTF8 + "Durée : 13 mois".encode(), "Durée : 13 mois"),
        ("Durée : 13 mois".encode("latin-1"), "Durée : 13 mois"),
        ("“Smart” quotes – cookies".encode("cp1252"), "“Smart” quotes – cookies"),
        ("Durée".encode("utf-16"), "Durée"),
    ],
)
def test_decode_charsets(data: bytes, text: str) -> None:
    got, _enc, _problems = decode(data, "text")
    assert got == text


def test_nul_and_invalid_bytes_do_not_crash() -> None:
    text, _, problems = decode(b"cookie\x00 policy \xff\xfe end", "text")
    assert "\x00" not in text and "cookie" in text
    assert any(code == "PL007" for code, _ in problems)


def test_binary_is_reported(tmp_path: Path) -> None:
    p = tmp_path / "x.html"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    assert load(p).problems[0][0] == "PL001"


def test_directory_and_missing(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load(tmp_path)
    with pytest.raises(InputError):
        load(tmp_path / "missing.md")


def test_sniffing() -> None:
    assert sniff_format("policy.txt", b"<!DOCTYPE html><html><body><p>x</p></body></html>") == "html"
    assert sniff_format("policy.txt", b"  <div><p>Cookies</p></div>") == "html"
    assert sniff_format("policy.md", b"# Cookies\n\n<table><tr><td>x</td></tr></table>") == "markdown"
    assert sniff_format("policy", b"# Cookies\n\n| a | b |\n| --- | --- |\n") == "markdown"
    assert sniff_format("policy.txt", b"Cookie policy\n\n1. Who we are\n") == "text"
    assert sniff_format("page.htm", b"whatever") == "html"


def test_html_inline_tags_do_not_glue_words(tmp_path: Path) -> None:
    doc = _doc(
        tmp_path,
        "p.html",
        "<p>Set <code>token</code>or<code>__Secure-token</code>, see <a href='#x'>here</a>.</p>",
    )
    assert doc.blocks[0].text == "Set `token` or `__Secure-token`, see here."


def test_html_drops_chrome_keeps_article(tmp_path: Path) -> None:
    html = """<html><head><title>T</title><style>p{}</style></head><body>
<nav><a>Home</a></nav>
<div id="onetrust-banner-sdk"><p>We use cookies. Accept all</p></div>
<main><article><header><h1>Cookie policy</h1></header>
<p>Last updated: 1 March 2026</p>
<script>var x = "_ga";</script>
<table><thead><tr><th>Name</th><th>Duration</th></tr></thead>
<tbody><tr><td>_ga</td><td>13 months</td></tr></tbody></table>
<footer><p>Policy footer note</p></footer>
</article></main>
<footer><p>© Company</p></footer></body></html>"""
    doc = _doc(tmp_path, "p.html", html)
    texts = [b.text for b in doc.blocks]
    assert texts[0] == "Cookie policy" and doc.blocks[0].kind == "heading"
    assert "Policy footer note" in texts
    assert not any("Accept all" in t or "Home" in t or "© Company" in t or '_ga";' in t for t in texts)
    table = next(b for b in doc.blocks if b.kind == "table")
    assert [c.text for c in table.header] == ["Name", "Duration"]
    assert table.rows[0][0].line == 8


def test_html_fragment_and_lines(tmp_path: Path) -> None:
    doc = _doc(
        tmp_path,
        "frag.html",
        "<div class='content'>\n<h2>Cookies</h2>\n<p>One</p>\n<ul><li>a</li>\n<li>b</li></ul></div>",
    )
    assert [(b.kind, b.text, b.line) for b in doc.blocks] == [
        ("heading", "Cookies", 2),
        ("paragraph", "One", 3),
        ("list_item", "a", 4),
        ("list_item", "b", 5),
    ]


def test_html_deep_nesting_does_not_recurse(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "deep.html", "<div>" * 50_000 + "<p>cookie text</p>" + "</div>" * 50_000)
    assert doc.blocks == [] or doc.blocks[-1].text  # libxml2 caps depth; what matters is no crash


def test_html_rowspan_and_colspan(tmp_path: Path) -> None:
    doc = _doc(
        tmp_path,
        "t.html",
        "<table><tr><th>A</th><th>B</th><th>C</th></tr>"
        "<tr><td rowspan=2>x</td><td>1</td><td>2</td></tr><tr><td>3</td><td>4</td></tr>"
        "<tr><td colspan=2>wide</td><td>5</td></tr></table>",
    )
    t = doc.blocks[0]
    assert [[c.text for c in r] for r in t.rows] == [["x", "1", "2"], ["x", "3", "4"], ["wide", "wide", "5"]]


def test_markdown_front_matter_tables_short_rows(tmp_path: Path) -> None:
    md = "---\ntitle: Cookies\nlayout: page\n---\n# Cookie policy\n\n| Name | Provider | Duration |\n| --- | --- | --- |\n| `_ga` | Google | 2 years |\n| `_gid` | Google |\n\n- one\n- two\n\n<!-- policylint: disable=PL101 -->\n"
    doc = _doc(tmp_path, "p.md", md)
    assert doc.title == "Cookies"
    kinds = [(b.kind, b.line) for b in doc.blocks]
    assert kinds[0] == ("heading", 5)
    table = next(b for b in doc.blocks if b.kind == "table")
    assert [len(r) for r in table.rows] == [3, 2]  # the short row stays short
    assert table.rows[1][0].line == 10
    assert doc.comments[0].text == "policylint: disable=PL101" and doc.comments[0].line == 15


def test_markdown_inline_html_block(tmp_path: Path) -> None:
    md = "# Cookies\n\n<table>\n<tr><th>Name</th><th>Expires</th></tr>\n<tr><td>dark_theme</td><td>1 year</td></tr>\n</table>\n"
    doc = _doc(tmp_path, "p.md", md)
    table = next(b for b in doc.blocks if b.kind == "table")
    assert table.rows[0][0].text == "dark_theme" and table.rows[0][0].line == 5


def test_text_headings_lists_tables(tmp_path: Path) -> None:
    txt = (
        "Cookie Policy\n\n1. Who we are\n\nWe are Acme.\n\n2. List of cookies used\n\n"
        "name | provider | duration\nsession | Acme | Session\n_ga | Google | 2 years\n\n"
        "- first item\n  continued\n- second item\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    doc = _doc(tmp_path, "p.txt", txt)
    heads = [(b.text, b.level) for b in doc.blocks if b.kind == "heading"]
    assert heads == [("Cookie Policy", 1), ("1. Who we are", 2), ("2. List of cookies used", 2)]
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert [c.text for c in tables[0].header] == ["name", "provider", "duration"]
    assert [c.text for c in tables[0].rows[1]] == ["_ga", "Google", "2 years"]
    assert [c.text for c in tables[1].header] == ["a", "b"] and len(tables[1].rows) == 1
    items = [b.text for b in doc.blocks if b.kind == "list_item"]
    assert items == ["first item continued", "second item"]


def test_crlf_keeps_line_numbers(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "p.md", "# A\r\n\r\ntext\r\n")
    assert [(b.text, b.line) for b in doc.blocks] == [("A", 1), ("text", 3)]


def test_mostly_utf8_with_a_few_bad_bytes_stays_utf8() -> None:
    data = ("Politique de confidentialité, données, durée : 13 mois. " * 5).encode() + b"\xff end"
    text, enc, problems = decode(data, "text")
    assert enc == "utf-8" and "confidentialité" in text
    assert problems and problems[0][0] == "PL007"
