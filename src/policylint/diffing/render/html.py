"""HTML report: one self-contained page, the two versions side by side.

Inline CSS, no scripts, no network resources (a Content-Security-Policy meta
forbids them even if something slipped through). Blocks are aligned with
difflib; changed blocks are highlighted with a word-level diff, blocks that
carry a material change are flagged, long unchanged runs fold into
``<details>``. Every string from a document goes through ``html.escape``:
documents are untrusted.
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING

from policylint.diffing.passages import align_blocks
from policylint.report.html_text import esc as _e
from policylint.report.html_text import rich

if TYPE_CHECKING:
    from policylint.diffing import DiffResult
    from policylint.model import Block, Change

FOLD_OVER = 6  # unchanged blocks in a row shown before folding
MAX_INLINE_TOKENS = 4000

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")

CSS = """
:root{--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--del:#ffebe9;--del-strong:#ffcecb;
--ins:#dafbe1;--ins-strong:#aceebb;--mat:#cf222e;--ed:#0969da;--moved:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:16px 24px;border-bottom:1px solid var(--line)}
h1{font-size:20px;margin:0 0 4px}
h2{font-size:16px;margin:20px 0 8px}
.paths{color:var(--muted);font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
.verdict{display:inline-block;margin:8px 0;padding:6px 12px;border-radius:6px;font-weight:600}
.verdict.material{background:var(--del);color:var(--mat);border:1px solid var(--mat)}
.verdict.editorial{background:var(--ins);color:#116329;border:1px solid #1a7f37}
main{padding:0 24px 24px}
table.changes{border-collapse:collapse;width:100%;margin-bottom:8px}
table.changes th,table.changes td{border:1px solid var(--line);padding:4px 8px;vertical-align:top;text-align:left}
table.changes th{background:#f6f8fa}
td.kind{white-space:nowrap;font-weight:600}
td.lines{white-space:nowrap;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
.finding{border-left:4px solid var(--mat);padding:4px 8px;margin:4px 0;background:#fff8f8}
.finding.info{border-color:var(--ed);background:#f6faff}
details>summary{cursor:pointer;color:var(--ed);margin:6px 0}
.sbs{border:1px solid var(--line);border-radius:6px;overflow:hidden}
.row{display:grid;grid-template-columns:1fr 1fr;border-top:1px solid var(--line)}
.row:first-child{border-top:0}
.head{background:#f6f8fa;font-weight:600}
.cell{padding:6px 10px;min-width:0;overflow-wrap:anywhere;position:relative}
.cell+.cell{border-left:1px solid var(--line)}
.cell .ln{float:right;color:var(--muted);font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11px;margin-left:8px}
.empty{background:repeating-linear-gradient(45deg,#fafbfc,#fafbfc 6px,#f3f4f6 6px,#f3f4f6 12px)}
.delete .old,.replace .old{background:var(--del)}
.insert .new,.replace .new{background:var(--ins)}
.moved .cell{background:var(--moved);color:var(--muted)}
del{background:var(--del-strong);text-decoration:line-through}
ins{background:var(--ins-strong);text-decoration:none}
.flag{display:inline-block;font-size:11px;font-weight:700;color:#fff;background:var(--mat);border-radius:10px;padding:0 7px;margin:0 6px 4px 0}
.flag.ed{background:var(--ed)}
.row.mat{box-shadow:inset 4px 0 0 var(--mat)}
.heading{font-weight:700}
.h1{font-size:18px}.h2{font-size:16px}.h3{font-size:15px}
.li::before{content:"• ";color:var(--muted)}
table.doc{border-collapse:collapse;font-size:12px;width:100%}
table.doc td,table.doc th{border:1px solid var(--line);padding:2px 4px;vertical-align:top}
table.doc th{background:#f6f8fa}
.fold{border-top:1px solid var(--line);padding:2px 10px;background:#fbfcfd}
footer{color:var(--muted);font-size:12px;padding:12px 24px}
"""


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def inline_diff(old: str, new: str) -> tuple[str, str]:
    """Escaped HTML of two texts with removed words in <del> and added words in <ins>."""
    a, b = _tokens(old), _tokens(new)
    if len(a) + len(b) > MAX_INLINE_TOKENS:
        return _e(old), _e(new)
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    oa: list[str] = []
    nb: list[str] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        ot, nt = _e("".join(a[i1:i2])), _e("".join(b[j1:j2]))
        if tag == "equal":
            oa.append(ot)
            nb.append(nt)
            continue
        if i2 > i1:
            oa.append(f"<del>{ot}</del>")
        if j2 > j1:
            nb.append(f"<ins>{nt}</ins>")
    return "".join(oa), "".join(nb)


def _block_html(b: Block, text_html: str | None = None) -> str:
    if b.kind == "table":
        rows = []
        if b.header:
            rows.append("<tr>" + "".join(f"<th>{_e(c.text)}</th>" for c in b.header) + "</tr>")
        for r in b.rows[:500]:
            rows.append("<tr>" + "".join(f"<td>{_e(c.text)}</td>" for c in r) + "</tr>")
        if len(b.rows) > 500:
            rows.append(f'<tr><td colspan="99">… {len(b.rows) - 500} more rows</td></tr>')
        body = "".join(rows) if rows else f"<tr><td>{_e(b.text)}</td></tr>"
        table = f'<table class="doc">{body}</table>'
        if text_html is not None:
            return f'<div class="tdiff">{text_html}</div>'
        return table
    content = text_html if text_html is not None else _e(b.text)
    if b.kind == "heading":
        return f'<div class="heading h{min(max(b.level, 1), 6)}">{content}</div>'
    if b.kind == "list_item":
        pad = max(0, (b.level or 1) - 1) * 16
        return f'<div class="li" style="margin-left:{pad}px">{content}</div>'
    return f'<div class="p">{content}</div>'


def _table_text(b: Block) -> str:
    rows = ([b.header] if b.header else []) + list(b.rows)
    return "\n".join(" | ".join(c.text for c in r) for r in rows) if rows else b.text


def _flags(b: Block | None, changes: list[Change], side: str) -> tuple[list[Change], list[Change]]:
    if b is None:
        return [], []
    lo, hi = b.line, max(b.end_line, b.line)
    mat, ed = [], []
    for c in changes:
        ln = c.old_line if side == "old" else c.new_line
        if ln and lo <= ln <= hi:
            (mat if c.material else ed).append(c)
    return mat, ed


def _badges(mat: list[Change], ed: list[Change]) -> str:
    out = []
    for c in mat[:4]:
        out.append(
            f'<span class="flag" title="{_e(c.reason)}">material: {_e(c.kind.replace("_", " "))}</span>'
        )
    if len(mat) > 4:
        out.append(f'<span class="flag">+{len(mat) - 4} material</span>')
    kinds = sorted({c.kind.replace("_", " ") for c in ed})
    if kinds and not mat:
        out.append(
            f'<span class="flag ed" title="{_e("; ".join(c.reason for c in ed[:5]))}">{_e(", ".join(kinds[:3]))}</span>'
        )
    return "".join(out)


def _side_by_side(result: DiffResult) -> str:
    od, nd = result.old_document, result.new_document
    if od is None and nd is None:
        return ""
    rows = align_blocks(od, nd)
    ob = od.blocks if od else []
    nb = nd.blocks if nd else []
    parts: list[str] = []
    parts.append('<div class="sbs">')
    parts.append(
        f'<div class="row head"><div class="cell">{_e(result.old)}</div><div class="cell">{_e(result.new)}</div></div>'
    )
    equal_run: list[str] = []

    def flush() -> None:
        if len(equal_run) > FOLD_OVER:
            parts.extend(equal_run[:2])
            hidden = equal_run[2:-2]
            parts.append(f'<details class="fold"><summary>{len(hidden)} unchanged blocks</summary>')
            parts.extend(hidden)
            parts.append("</details>")
            parts.extend(equal_run[-2:])
        else:
            parts.extend(equal_run)
        equal_run.clear()

    for r in rows:
        o = ob[r.old] if r.old is not None else None
        n = nb[r.new] if r.new is not None else None
        om, oe = _flags(o, result.changes, "old")
        nm, ne = _flags(n, result.changes, "new")
        oh = nh = None
        if r.tag == "replace" and o is not None and n is not None:
            ot = _table_text(o) if o.kind == "table" else o.text
            nt = _table_text(n) if n.kind == "table" else n.text
            oh, nh = inline_diff(ot, nt)
            oh, nh = oh.replace("\n", "<br>"), nh.replace("\n", "<br>")
        old_cell = (
            f'<div class="cell old"><span class="ln">L{o.line}</span>{_badges(om, oe)}{_block_html(o, oh)}</div>'
            if o is not None
            else '<div class="cell old empty"></div>'
        )
        new_cell = (
            f'<div class="cell new"><span class="ln">L{n.line}</span>{_badges(nm, ne)}{_block_html(n, nh)}</div>'
            if n is not None
            else '<div class="cell new empty"></div>'
        )
        cls = r.tag + (" mat" if om or nm else "")
        title = (
            ' title="moved: the same text appears elsewhere in the other version"' if r.tag == "moved" else ""
        )
        html_row = f'<div class="row {cls}"{title}>{old_cell}{new_cell}</div>'
        if r.tag == "equal" and not (om or nm or oe or ne):
            equal_run.append(html_row)
        else:
            flush()
            parts.append(html_row)
    flush()
    parts.append("</div>")
    return "\n".join(parts)


def render(result: DiffResult, **_: object) -> str:
    from policylint.diffing.render import change_label, lines_text, verdict

    v = verdict(result)
    cls = "material" if result.material else "editorial"
    od, nd = result.old_date or "unstated", result.new_date or "unstated"
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        # Marks the page as a report: a directory walk does not take it for a policy next time.
        '<meta name="generator" content="policylint">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>policylint diff: {_e(result.new)}</title>",
        f"<style>{CSS}</style></head><body>",
        "<header>",
        "<h1>Policy diff</h1>",
        f'<div class="paths">{_e(result.old)} → {_e(result.new)}</div>',
        f'<div class="verdict {cls}">{_e(v)}</div>',
        f"<div>Last updated: {_e(od)} → {_e(nd)}</div>",
        "</header><main>",
    ]
    shown = [f for f in result.findings if f.rule not in ("PL501", "PL503")]
    if shown:
        out.append("<h2>Findings</h2>")
        for f in shown:
            out.append(
                f'<div class="finding {_e(f.severity)}"><strong>{_e(f.rule)} {_e(f.name)}</strong> '
                f"(line {f.line}): {_e(f.message)}</div>"
            )
    material = result.material_changes
    if material:
        out.append(f"<h2>Material changes ({len(material)})</h2>")
        out.append(
            '<table class="changes"><tr><th>Change</th><th>Subject</th><th>Lines</th><th>Old → new</th><th>Why it is material</th></tr>'
        )
        for c in material:
            out.append(
                f'<tr><td class="kind">{_e(change_label(c.kind))}</td><td>{_e(c.subject)}</td>'
                f'<td class="lines">{_e(lines_text(c.old_line, c.new_line))}</td>'
                f"<td>{_e((c.old or '—')[:300])} → {_e((c.new or '—')[:300])}</td><td>{rich(c.reason)}</td></tr>"
            )
        out.append("</table>")
    editorial = result.editorial_changes
    if editorial:
        out.append(
            f"<details><summary>Editorial changes ({len(editorial)}): no notice or new consent needed</summary>"
        )
        out.append(
            '<table class="changes"><tr><th>Change</th><th>Subject</th><th>Lines</th><th>Why it is editorial</th></tr>'
        )
        for c in editorial:
            out.append(
                f'<tr><td class="kind">{_e(change_label(c.kind))}</td><td>{_e(c.subject)}</td>'
                f'<td class="lines">{_e(lines_text(c.old_line, c.new_line))}</td><td>{rich(c.reason)}</td></tr>'
            )
        out.append("</table></details>")
    if not result.changes:
        out.append("<p>No change between the two versions.</p>")
    sbs = _side_by_side(result)
    if sbs:
        out.append("<h2>Side by side</h2>")
        out.append(sbs)
    out.append(
        "</main><footer>Generated by policylint diff. Material = needs notice to users or new consent; "
        "red rows carry a material change, hover a badge for the reason.</footer></body></html>"
    )
    return "\n".join(out) + "\n"
