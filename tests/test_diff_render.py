"""Diff reports: text, json, markdown, html (escaping, self-containment) and a headless-Chromium render."""

from __future__ import annotations

import json
import re

import pytest
from headless_chromium import CHROMIUM, run_chromium

from policylint.api import diff, load_document
from policylint.diffing import compute
from policylint.diffing.render import render
from policylint.diffing.render.markdown import esc, fence_for
from policylint.model import Item, Policy

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> | `tick` @octocat **bold** </details>'

OLD = """\
COOKIE POLICY

Last updated: 3 March 2025

Acme Ltd runs acme.example. Contact: privacy@acme.example.

ANALYTICS COOKIES

We set these cookies only with your consent.

| Cookie | Provider | Purpose | Duration |
| _ga | Google | Distinguishes visitors | 13 months |

We do not share data with advertising partners.
"""

NEW = (
    OLD.replace("13 months", "25 months")
    .replace("privacy@", "dpo@")
    .replace(
        "We do not share data with advertising partners.",
        f"We share data with advertising partners. {HOSTILE}",
    )
    + f"\nNEW SECTION {HOSTILE}\n\nWe show you targeted ads with our partners {HOSTILE}.\n"
)


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    d = tmp_path_factory.mktemp("render")
    (d / "old.txt").write_text(OLD, encoding="utf-8")
    (d / "new.txt").write_text(NEW, encoding="utf-8")
    return diff(d / "old.txt", d / "new.txt")


def test_text_report_order_and_diff(result):
    out = render("text", result)
    assert out.index("Material changes") < out.index("Editorial changes") < out.index("Text changes:")
    assert "duration longer: _ga" in out
    assert "\x1b" not in out  # no colour unless asked
    assert re.search(r"^@@ -\d+ \+\d+ @@", out, re.MULTILINE)
    assert "<p>" not in out  # block text, not raw markup


def test_text_report_strips_terminal_control_characters():
    p = Policy("o", "text", cookies=[Item("a\x1b[31mred", line=1, category="advertising")])
    r = compute(Policy("o", "text"), p)
    assert "\x1b" not in render("text", r)


def test_json_contract_and_additive_fields(result):
    data = json.loads(render("json", result))
    assert set(data) >= {"old", "new", "material", "changes", "findings", "old_date", "new_date"}
    assert data["material"] is True
    c = data["changes"][0]
    assert set(c) >= {"kind", "subject", "material", "reason", "old_line", "new_line", "old", "new"}
    assert all(isinstance(ch["material"], bool) for ch in data["changes"])
    assert data["old_date"] == "2025-03-03"
    assert {f["rule"] for f in data["findings"]} >= {"PL501", "PL502"}


def test_markdown_is_a_pasteable_pr_comment(result):
    md = render("markdown", result)
    first = md.splitlines()[3]  # after the generator marker, the heading and a blank line
    assert "MATERIAL" in first and "🔴" in first
    assert "| # | Change |" in md
    lines = md.splitlines()
    assert lines.count("<details>") == lines.count("</details>") == 2
    # Outside code fences (whose content Markdown shows literally) no document markup survives.
    prose = re.sub(r"^(`{3,})diff\n.*?^\1$", "", md, flags=re.MULTILINE | re.DOTALL)
    assert "+NEW SECTION" in md and "+NEW SECTION" not in prose
    assert "<script" not in prose and "<img" not in prose
    assert "&lt;script&gt;" in prose
    assert esc("ping @octocat") == "ping @\u200boctocat"  # no mention notifications from document text
    assert "dpo@acme.example" in md  # e-mail addresses stay intact
    table = [ln for ln in md.splitlines() if ln.startswith("| ")]
    # Untrusted '|' cannot add columns: every row has exactly 7 unescaped pipes (6 columns).
    assert table and all(len(re.findall(r"(?<!\\)\|", ln)) == 7 for ln in table)


def test_markdown_escaping_helpers():
    assert esc("a|b") == "a\\|b"
    assert esc("<b>") == "&lt;b&gt;"
    assert "\n" not in esc("a\nb")
    assert fence_for("x ```` y") == "`````"


def test_html_escapes_every_document_string(result):
    html = render("html", result)
    assert html.startswith("<!DOCTYPE html>")
    # The only tags are ours: no script, no img, no event handler, no external resource.
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    tags = re.findall(r"<[^<>]*>", html)
    assert not [t for t in tags if re.search(r"\son\w+\s*=", t)]
    assert not [t for t in tags if re.search(r"\b(?:src|href|action)\s*=", t)]
    assert "&lt;script&gt;" in html
    assert "Content-Security-Policy" in html
    assert 'class="row replace' in html or 'class="row insert' in html
    assert "material:" in html  # material rows flagged
    assert "<code>_ga</code>" in html  # code spans in reasons, not backticks


def test_html_without_documents_still_renders():
    r = compute(
        Policy("o", "text"), Policy("n", "text", cookies=[Item("_fbp", category="advertising", line=3)])
    )
    html = render("html", r)
    assert "Side by side" not in html and "_fbp" in html


def test_html_side_by_side_aligns_blocks(result):
    html = render("html", result)
    rows = re.findall(r'<div class="row (\w+)', html)
    assert "equal" in rows and ("replace" in rows or "insert" in rows)


def test_reordered_blocks_render_as_moved_not_changed():
    a = "# T\n\nAlpha paragraph here.\n\nBeta paragraph here.\n\nGamma paragraph here.\n"
    b = "# T\n\nGamma paragraph here.\n\nAlpha paragraph here.\n\nBeta paragraph here.\n"
    da = load_document("a.md", text=a)
    db = load_document("b.md", text=b)
    r = compute(Policy("a.md", "markdown"), Policy("b.md", "markdown"), da, db)
    assert r.changes == [] and r.text_diff == ""
    html = render("html", r)
    assert 'class="row moved' in html and 'class="row replace' not in html


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_html_renders_in_headless_chromium(result, tmp_path):
    page = tmp_path / "diff.html"
    page.write_text(render("html", result), encoding="utf-8")
    shot = tmp_path / "diff.png"
    proc = run_chromium([f"--screenshot={shot}", "--window-size=1400,1000", page.as_uri()], tmp_path / "p")
    assert shot.exists() and shot.stat().st_size > 10_000, proc.stderr[-500:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    dom = run_chromium(["--dump-dom", page.as_uri()], tmp_path / "p").stdout
    assert "Policy diff" in dom and "MATERIAL" in dom
    # The hostile strings arrived as text, not as elements.
    assert "<script" not in dom.lower() and "<img" not in dom.lower()
    assert "&lt;script&gt;alert" in dom


def test_reports_carry_a_generator_marker(result, tmp_path):
    """So that a directory walk does not take a saved report for a policy."""
    from policylint.commands.check import is_policylint_report

    md = render("markdown", result)
    assert md.splitlines()[0] == "<!-- generated by policylint -->"
    assert md.splitlines()[1].startswith("### policylint diff: ")
    html = render("html", result)
    assert '<meta name="generator" content="policylint">' in html[:1000]
    for fmt, name in (("markdown", "comment.md"), ("html", "diff.html"), ("text", "diff.txt")):
        (tmp_path / name).write_text(render(fmt, result), encoding="utf-8")
        assert is_policylint_report(tmp_path / name), fmt
