"""Hostile inputs for the robustness tests and ``benchmarks/hostile.py``.

Each builder writes one file (or directory, or symlink) under a directory and
returns its path. Nothing here is committed: the tests build them in tmp dirs.
``scale`` shrinks the big ones (1.0 = the sizes the issue names: a 200 MB page,
200,000 nested ``<div>``s, a 5 MB line); the default test run uses small scales,
the ``slow`` tests and the benchmark the full ones.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from pathlib import Path

MB = 1024 * 1024

_HEAD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Cookie Policy | Example</title>
<script>window.dataLayer=[];gtag('config','G-XXXX');</script><style>body{font:16px sans-serif}</style>
</head><body><nav><a href="/">Home</a></nav><main>
<h1>Cookie Policy</h1>
<p>Last updated: 12 March 2025. Example Ltd (&ldquo;we&rdquo;) is the controller. Contact privacy@example.com.</p>
"""
_SECTION = """<h2>{k}. Cookies set by partner {k}</h2>
<p>Partner {k} sets the cookies below for analytics and advertising, only after you consent.
They are kept for at most 13 months. See section {k} for how to refuse them.</p>
<table><thead><tr><th>Name</th><th>Provider</th><th>Purpose</th><th>Duration</th></tr></thead><tbody>
{rows}</tbody></table>
"""
_ROW = (
    "<tr><td><code>ck_{k}_{j}</code></td><td>Vendor {k}</td><td>Measures visits</td><td>{d} days</td></tr>\n"
)
_TAIL = "</main><footer>&copy; Example</footer></body></html>\n"


def big_page(path: Path, size: int) -> Path:
    """A realistic cookie-policy page of about ``size`` bytes: sections of prose and tables."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(_HEAD)
        written = len(_HEAD)
        k = 0
        while written < size:
            k += 1
            rows = "".join(_ROW.format(k=k, j=j, d=(k * 7 + j) % 400 + 1) for j in range(40))
            chunk = _SECTION.format(k=k, rows=rows)
            fh.write(chunk)
            written += len(chunk)
        fh.write(_TAIL)
    return path


def big_markdown(path: Path, size: int) -> Path:
    """A Markdown policy of about ``size`` bytes: headings, prose and GFM tables."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("# Cookie Policy\n\nLast updated: 12 March 2025. Contact privacy@example.com.\n\n")
        written, k = 0, 0
        while written < size:
            k += 1
            rows = "".join(
                f"| `ck_{k}_{j}` | Vendor {k} | Measures visits | {j + 1} days |\n" for j in range(40)
            )
            chunk = (
                f"## {k}. Partner {k}\n\nPartner {k} sets these cookies after you consent.\n\n"
                "| Name | Provider | Purpose | Duration |\n|---|---|---|---|\n" + rows + "\n"
            )
            fh.write(chunk)
            written += len(chunk)
    return path


def big_text(path: Path, size: int) -> Path:
    """A plain-text policy of about ``size`` bytes: numbered headings, lists and pipe tables."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("COOKIE POLICY\n\nLast updated: 12 March 2025\n\n")
        written, k = 0, 0
        while written < size:
            k += 1
            rows = "".join(f"ck_{k}_{j} | Vendor {k} | {j + 1} days\n" for j in range(40))
            chunk = f"{k}. Partner {k}\n\n- set after consent\n- kept 13 months\n\nName | Provider | Duration\n{rows}\n"
            fh.write(chunk)
            written += len(chunk)
    return path


def nested_divs(path: Path, depth: int) -> Path:
    """``depth`` nested ``<div>``s with policy text before, inside and after them."""
    path.write_text(
        "<html><body><h1>Cookie Policy</h1><p>We use the <code>_ga</code> cookie (Google Analytics, 2 years).</p>\n"
        + "<div>" * depth
        + "deep text\n"
        + "</div>" * depth
        + "\n<p>After the nesting: write to after-nest@example.com.</p></body></html>\n",
        encoding="utf-8",
    )
    return path


def unclosed_tags(path: Path, repeat: int) -> Path:
    """Tags opened everywhere and never closed, attributes and comments left open."""
    unit = '<div class="x"><p><b><i><span><table><tr><td><ul><li><a href="#x">cookie _ga<font>'
    path.write_text(
        "<h1>Cookie Policy</h1>\n"
        + (unit + "\n") * repeat
        + '<p>tail: contact tail@example.com <img src="a.png" alt="unterminated <!-- <b',
        encoding="utf-8",
    )
    return path


def deep_markdown(path: Path, depth: int) -> Path:
    """Markdown nesting: blockquotes, list items and emphasis many levels deep."""
    path.write_text(
        "# Cookie Policy\n\n"
        + ">" * depth
        + " quoted\n\n"
        + "".join("  " * i + "- item\n" for i in range(min(depth, 2000)))
        + "\n"
        + "*" * depth
        + "emphasis"
        + "_" * depth
        + "\n\nContact: md@example.com\n",
        encoding="utf-8",
    )
    return path


def single_line(path: Path, size: int, html: bool) -> Path:
    """A minified page (or a text) of ``size`` bytes on one line."""
    if html:
        unit = "<p>We use <code>_ga</code> for analytics, kept 13 months.</p><table><tr><td>_gid</td><td>1 day</td></tr></table>"
        body = unit * (size // len(unit) + 1)
        path.write_text(
            "<html><body><h1>Cookie Policy</h1>" + body[:size] + "</body></html>", encoding="utf-8"
        )
    else:
        unit = "Cookie policy: we use _ga (Google Analytics, 13 months) and [TO BE COMPLETED]. "
        path.write_text((unit * (size // len(unit) + 1))[:size], encoding="utf-8")
    return path


def binary(path: Path, size: int = 256 * 1024) -> Path:
    rnd = random.Random(1)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(rnd.getrandbits(8) for _ in range(size)))
    return path


def random_bytes(path: Path, size: int = 64 * 1024) -> Path:
    """No magic number: random bytes that a sniffer has to judge by content."""
    rnd = random.Random(2)
    path.write_bytes(bytes(rnd.getrandbits(8) for _ in range(size)))
    return path


def invalid_utf8(path: Path) -> Path:
    """UTF-8 text (accents, typographic quotes) with truncated and invalid sequences in it."""
    good = "Les cookies « déposés » sur votre terminal — durée de conservation : 13 mois. ".encode()
    path.write_bytes(
        b"# Cookie Policy\n\n"
        + good * 20
        + b"\n\nWe use \xff the _ga cookie \xed\xa0\x80 (surrogate) and \xc0\xaf.\n\n"
        b"| Name | Duration |\n|---|---|\n| _gid\x80 | 1 day\xe2\x82 |\n"
    )
    return path


def nul_bytes(path: Path) -> Path:
    path.write_bytes(
        b"<h1>Cookie\x00 Policy</h1>\x00\x00<p>We use the _ga\x00 cookie (Google Analytics, 13 months).</p>\n"
        b"<p>Contact: privacy@example.com. Last updated: 1 May 2025.</p>\n"
    )
    return path


def crlf(path: Path) -> Path:
    path.write_bytes(
        b"Cookie Policy\r\n=============\r\n\r\nLast updated: 1 May 2025\r\n\r\n"
        b"| Name | Provider | Duration |\r\n|---|---|---|\r\n| _ga | Google | 2 years |\r\n\r\n"
        b"Old Mac line\rendings too.\r\n"
    )
    return path


def utf16(path: Path) -> Path:
    path.write_bytes("<h1>Cookie Policy</h1><p>We use _ga (13 months). Café.</p>".encode("utf-16"))
    return path


def empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def whitespace(path: Path) -> Path:
    path.write_bytes(b" \n\t\r\n   \n" * 100)
    return path


def directory(path: Path) -> Path:
    path.mkdir()
    return path


def symlink_loop(path: Path) -> Path:
    other = path.with_name(path.name + ".other")
    os.symlink(other, path)
    os.symlink(path, other)
    return path


def unreadable(path: Path) -> Path:
    path.write_text("# Cookie Policy\n", encoding="utf-8")
    path.chmod(0)
    return path


XXE_SECRET_NAME = "secret.txt"


def xxe_html(path: Path, secret: Path) -> Path:
    """External entities, XInclude, <base>, <link>, <img>, <iframe> pointing at a local file or the network."""
    uri = secret.resolve().as_uri()
    path.write_text(
        f'<!DOCTYPE html [<!ENTITY e SYSTEM "{uri}"><!ENTITY % p SYSTEM "{uri}"> %p;]>\n'
        f'<html><head><base href="http://192.0.2.1/"><link rel="stylesheet" href="http://192.0.2.1/x.css">\n'
        f'<title>Cookie Policy &e;</title><meta http-equiv="refresh" content="0;url=http://192.0.2.1/"></head>\n'
        f"<body><h1>Cookie Policy &e;</h1><p>We use the _ga cookie &e; (13 months).</p>\n"
        f'<img src="http://192.0.2.1/a.png"><iframe src="{uri}"></iframe><object data="{uri}"></object>\n'
        f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{uri}" parse="text"/>\n'
        f'<svg><image href="{uri}"/></svg><script src="http://192.0.2.1/x.js"></script>\n'
        f"<p>Contact: privacy@example.com</p></body></html>\n",
        encoding="utf-8",
    )
    return path


def xxe_markdown(path: Path, secret: Path) -> Path:
    uri = secret.resolve().as_uri()
    path.write_text(
        f'# Cookie Policy\n\n<!DOCTYPE x [<!ENTITY e SYSTEM "{uri}">]>\n\n'
        f'<div><p>Inline HTML &e;</p><img src="http://192.0.2.1/a.png"><base href="http://192.0.2.1/"></div>\n\n'
        f"We use the `_ga` cookie &e; ![pixel](http://192.0.2.1/p.gif) [x]({uri}).\n\n"
        f"<table><tr><th>Name</th><th>Duration</th></tr><tr><td>_gid &e;</td><td>1 day</td></tr></table>\n",
        encoding="utf-8",
    )
    return path


# Text that has made regular expressions backtrack: long runs of one character or
# short unit, which nested or adjacent unbounded quantifiers try from every position.
# fmt: off
ADVERSARIAL_UNITS = [
    "[", ":", "(", "`", "*", "|", " ", "a", "A", "1", "_", "-", ".", "<", "{", "#", "\\", '"', "'",
    "[[", "{{", "{{ ", "{% ", ":::: .", "x_", "A_", "A-", "a.", "1.", "a@", "a-", "a ", "- ", "| ",
    "<p>", "[a](", "(a ", "[a ", "a, ", ", ", " \n", "\t", "\u00a0", "Our Company Name ", "Acme Ltd ",
    "The Controller Is Acme ", "13 months ", "cookie _ga ", "http://", "www.", "Last updated ",
    "x@y.", "a: ", "1/", "Ab. ",
]
# fmt: on


def adversarial_texts(n: int = 50_000) -> dict[str, str]:
    """name → text of about ``n`` characters (one run per unit, plus structured ones)."""
    out = {f"run{i:02d}:{u!r}": u * max(1, n // len(u)) for i, u in enumerate(ADVERSARIAL_UNITS)}
    rows = max(2, n // 400)
    out["pipes-rows"] = ("| " * 200 + "\n") * rows
    out["md-table"] = "| a | b |\n|---|---|\n" + "| x | y |\n" * max(2, n // 10)
    out["pipe-line"] = "| " * (n // 2) + "\n" + "|-" * (n // 2)
    out["colon-intro"] = ("Cookies we use:" + " " * 200 + "\n") * max(1, n // 216)
    out["caps-words"] = " ".join("Word" + str(i % 10) for i in range(n // 6))
    out["mixed"] = "[(`*|: " * (n // 7)
    out["brackets-text"] = "[TO BE COMPLETED " * (n // 17)
    out["mustache-open"] = "{{ company_name " * (n // 16)
    out["angle-open"] = "<container-id " * (n // 14)
    out["heading-hashes"] = ("#" * 6 + " " + "a" * 50 + "\n") * max(1, n // 58)
    out["bullets"] = ("- " * 30 + "x\n") * max(1, n // 62)
    out["numbered"] = ".".join(["1"] * (n // 2)) + " Title"
    # Cells padded with spaces: text tables keep a cell's inner whitespace.
    pad = " " * (n // 4)
    out["padded-cells"] = (
        f"Name | Provider | Duration\n_ga, _gid | Google{pad}LLC{pad}, Inc | 1 day{pad}x{pad}, {pad}2 days\n"
        f"_fbp | Meta{pad}Ltd | 13{pad}months\n"
    )
    # The same runs inside a line that starts like a heading, list item, table row, label…:
    # anchored patterns ("^#+\\s+(.*?)\\s*#*\\s*$") only backtrack behind such a start.
    # 20,000 characters are enough there: a quadratic pattern takes minutes on them.
    m = min(n, 20_000)
    for p in STRUCTURAL_PREFIXES:
        for u in (" ", "\t", "#", "|", "-", "a "):
            out[f"line:{p!r}+{u!r}"] = p + u * (m // len(u)) + "b\n"
    return out


STRUCTURAL_PREFIXES = ["# a", "- a", "| a", "1. a", "a: ", "> a", "<p>a"]


# Builders for the CLI and pipeline tests: name → (file name, builder(path, scale)).
Builder = Callable[[Path, float], Path]
BUILDERS: dict[str, tuple[str, Builder]] = {
    "binary.png": ("binary.png", lambda p, s: binary(p)),
    "random-bytes": ("random.txt", lambda p, s: random_bytes(p)),
    "empty": ("empty.md", lambda p, s: empty(p)),
    "whitespace": ("blank.txt", lambda p, s: whitespace(p)),
    "big-page": ("big.html", lambda p, s: big_page(p, int(200 * MB * s))),
    "nested-divs": ("nested.html", lambda p, s: nested_divs(p, max(300, int(200_000 * s)))),
    "unclosed-tags": ("unclosed.html", lambda p, s: unclosed_tags(p, max(300, int(20_000 * s)))),
    "deep-markdown": ("deep.md", lambda p, s: deep_markdown(p, max(300, int(100_000 * s)))),
    "invalid-utf8": ("invalid.md", lambda p, s: invalid_utf8(p)),
    "nul-bytes": ("nul.html", lambda p, s: nul_bytes(p)),
    "crlf": ("crlf.txt", lambda p, s: crlf(p)),
    "utf16": ("utf16.html", lambda p, s: utf16(p)),
    "line-html": ("line.html", lambda p, s: single_line(p, max(10_000, int(5 * MB * s)), html=True)),
    "line-text": ("line.txt", lambda p, s: single_line(p, max(10_000, int(5 * MB * s)), html=False)),
    "directory": ("dir.md", lambda p, s: directory(p)),
    "symlink-loop": ("loop.md", lambda p, s: symlink_loop(p)),
}
