"""Audit reports: ``text`` (a table for a terminal), ``json`` (for tools), ``csv`` (one row per
product, for a spreadsheet) and ``html`` (one self-contained page: a sortable table, a bar
chart of findings per product, the inconsistencies and each product's findings).

Every string from a policy, a manifest or a file name is escaped in the HTML page: a
product called ``<script>`` shows as text.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

from policylint.audit import failing, family, family_counts, severity_counts
from policylint.report.html_text import esc as _e
from policylint.report.html_text import rich as _rich

if TYPE_CHECKING:
    from policylint.audit import AuditReport, ProductResult

FORMATS = ("text", "json", "csv", "html")
FAMILIES = ("PL0", "PL1", "PL2", "PL3", "PL4", "PL5")
VERSION = 1
# The HTML page lists findings per product up to this many in all (the JSON has every one).
HTML_FINDINGS_LIMIT = 20_000
CHART_PRODUCTS = 40


def render(fmt: str, report: AuditReport) -> str:
    if fmt == "text":
        return render_text(report)
    if fmt == "json":
        return json.dumps(as_data(report), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return render_csv(report)
    if fmt == "html":
        return render_html(report)
    raise ValueError(f"unknown audit report format {fmt!r} (choose from {', '.join(FORMATS)})")


def _families(report: AuditReport) -> list[str]:
    """PL0..PL5, plus the families of a team's own rules that occur."""
    extra = sorted({family(f.rule) for p in report.products for f in p.findings} - set(FAMILIES))
    return [*FAMILIES, *extra]


def verdict(p: ProductResult) -> str:
    """Against the previous version: "material", "editorial", "no change" (as ``policylint diff``
    says NO CHANGE), "previous unreadable", or "" when there is no previous version."""
    if p.diff_error:
        return "previous unreadable"
    if p.material is None:
        return ""
    if p.material:
        return "material"
    return "no change" if p.unchanged else "editorial"


# The HTML tag's class for each verdict (a class name has no spaces).
_VERDICT_CLASS = {"material": "material", "editorial": "editorial", "no change": "editorial"}


def _discounted(p: ProductResult, threshold: str) -> bool:
    """Does the product have findings at or above ``threshold`` that do not fail it (a dated
    material change, PL501, fails only at info)?"""
    from policylint.audit import DESCRIPTIVE_RULES
    from policylint.engine import at_or_above

    return threshold != "info" and any(
        f.rule in DESCRIPTIVE_RULES and at_or_above(f.severity, threshold) for f in p.findings
    )


def summary(report: AuditReport) -> dict:
    products = report.products
    findings = [f for p in products for f in p.findings]
    sev = severity_counts(findings)
    return {
        "products": len(products),
        "failing": sum(1 for p in products if failing(p, report.threshold)),
        "unreadable": sum(1 for p in products if p.error),
        "material": sum(1 for p in products if p.material),
        "findings": len(findings),
        "errors": sev["error"],
        "warnings": sev["warning"],
        "infos": sev["info"],
        "inconsistencies": len(report.inconsistencies),
        "threshold": report.threshold,
        "jobs": report.jobs,  # local processes; null when Dask ran the products
        "runner": report.runner,  # null locally; "Dask (processes scheduler, 4 partitions)"
        "seconds": round(report.seconds, 3),
    }


# ----------------------------------------------------------------------------- JSON / CSV


def as_data(report: AuditReport) -> dict:
    from policylint.report.json import FINDING_KEYS

    return {
        "version": VERSION,
        "summary": summary(report),
        "products": [
            {
                "product": p.product,
                "policy": p.path,
                "previous": p.previous,
                "format": p.format,
                "title": p.title,
                "controller": p.controller,
                "last_updated": p.last_updated,
                "inventory": p.inventory,
                "third_parties": p.third_parties,
                "findings_by_severity": severity_counts(p.findings),
                "findings_by_family": family_counts(p.findings),
                "failing": failing(p, report.threshold),
                "material": p.material,
                "previous_last_updated": p.previous_date,
                "material_changes": p.material_changes,
                "error": p.error,
                "diff_error": p.diff_error,
                "findings": [{k: getattr(f, k) for k in FINDING_KEYS} for f in p.findings],
            }
            for p in report.products
        ],
        "inconsistencies": [
            {
                "kind": i.kind,
                "subject": i.subject,
                "message": i.message,
                "values": [{"product": prod, "value": v} for prod, v in i.values],
            }
            for i in report.inconsistencies
        ],
    }


def render_csv(report: AuditReport) -> str:
    fams = _families(report)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    header = [
        "product",
        "policy",
        "previous",
        "format",
        "title",
        "last_updated",
        "inventory",
        "third_parties",
        "findings",
        "errors",
        "warnings",
        "infos",
        *fams,
        "failing",
        "vs_previous",
        "material_changes",
        "error",
    ]
    w.writerow(_csv_row(header))
    for p in report.products:
        sev, fam = severity_counts(p.findings), family_counts(p.findings)
        w.writerow(
            _csv_row(
                [
                    p.product,
                    p.path,
                    p.previous or "",
                    p.format or "",
                    p.title or "",
                    p.last_updated or "",
                    p.inventory,
                    len(p.third_parties),
                    len(p.findings),
                    sev["error"],
                    sev["warning"],
                    sev["info"],
                    *(fam.get(f, 0) for f in fams),
                    "yes" if failing(p, report.threshold) else "no",
                    verdict(p),
                    "; ".join(p.material_changes),
                    p.error or p.diff_error or "",
                ]
            )
        )
    return buf.getvalue()


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP: a leading ``'`` before ``=``, ``+``,
    ``-``, ``@``, tab or CR). Product names, paths, titles and errors come from scraped files."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _csv_row(values: list[object]) -> list[object]:
    """Every text cell made safe; counts stay numbers (they never start with a sign)."""
    return [v if isinstance(v, int) and not isinstance(v, bool) else _csv_safe(str(v)) for v in values]


# ----------------------------------------------------------------------------- text


def render_text(report: AuditReport) -> str:
    s = summary(report)
    fams = _families(report)
    width = min(40, max([7, *(len(p.product) for p in report.products)]))
    out: list[str] = []
    head = f"{'product':<{width}}  {'items':>5}  {'updated':<10}  {'E':>3} {'W':>3} {'I':>3}  "
    head += " ".join(f"{f:>4}" for f in fams) + "  fails  vs previous"
    out.append(head)
    for p in report.products:
        name = p.product if len(p.product) <= width else p.product[: width - 1] + "…"
        if p.error:
            out.append(f"{name:<{width}}  error: {p.error}")
            continue
        sev, fam = severity_counts(p.findings), family_counts(p.findings)
        row = f"{name:<{width}}  {p.inventory:>5}  {p.last_updated or '—':<10}  "
        row += f"{sev['error'] or '.':>3} {sev['warning'] or '.':>3} {sev['info'] or '.':>3}  "
        row += " ".join(f"{fam.get(f, 0) or '.':>4}" for f in fams)
        row += f"  {'yes' if failing(p, report.threshold) else 'no':<5}  {verdict(p)}"
        out.append(row.rstrip())
    if any(
        not p.error and not failing(p, report.threshold) and _discounted(p, report.threshold)
        for p in report.products
    ):
        out.append("")
        out.append(
            f"fails: yes when a finding is at or above {report.threshold}. The counts include material "
            "changes made with a new last-updated date (PL501): reported, but failing a product only at "
            "--severity info."
        )
    material = [p for p in report.products if p.material]
    if material:
        out.append("")
        out.append("Material changes (users must be told; consent asked again where it is needed):")
        for p in material:
            dates = f" ({p.previous_date or 'no date'} → {p.last_updated or 'no date'})"
            out.append(f"  {p.product}{dates}:")
            out.extend(f"    - {c}" for c in p.material_changes)
    if report.inconsistencies:
        out.append("")
        out.append("Inconsistencies between products:")
        for i in report.inconsistencies:
            out.append(f"  [{i.kind}] {i.message}")
    broken = [p for p in report.products if p.diff_error]
    if broken:
        out.append("")
        out.append("Previous versions that could not be read:")
        out.extend(f"  {p.product}: {p.diff_error}" for p in broken)
    out.append("")
    out.append(
        f"Audited {s['products']} product{'s' if s['products'] != 1 else ''} in {s['seconds']:.1f} s "
        f"on {report.ran_on()}: {s['failing']} failing at {s['threshold']}, "
        f"{s['material']} with a material change, {s['inconsistencies']} "
        f"inconsistenc{'ies' if s['inconsistencies'] != 1 else 'y'}"
        + (f", {s['unreadable']} unreadable" if s["unreadable"] else "")
        + "."
    )
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------- HTML

_CSS = """
:root{--fg:#1b1f24;--muted:#57606a;--bg:#fff;--line:#d0d7de;--head:#f6f8fa;--err:#cf222e;--warn:#bf8700;
--info:#0969da;--ok:#1a7f37}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--line:#30363d;
--head:#161b22;--err:#f85149;--warn:#d29922;--info:#4493f8;--ok:#3fb950}}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);
margin:0 auto;padding:24px;max-width:1400px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.muted{color:var(--muted)}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:120px}
.card b{display:block;font-size:20px}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
th{background:var(--head);white-space:nowrap;vertical-align:bottom}
#products th{white-space:normal}
.wide{overflow-x:auto;max-width:100%}
#products td{white-space:nowrap}
#products td:first-child{white-space:normal;overflow-wrap:anywhere;min-width:8em}
table.sortable th{cursor:pointer;user-select:none}
table.sortable th::after{content:"\\00a0\\2195";color:var(--muted);font-size:11px}
table.sortable th[aria-sort=ascending]::after{content:"\\00a0\\25B2";color:var(--fg)}
table.sortable th[aria-sort=descending]::after{content:"\\00a0\\25BC";color:var(--fg)}
td.n,th.n{text-align:right}
.err{color:var(--err)}.warn{color:var(--warn)}.info{color:var(--info)}.ok{color:var(--ok)}
.tag{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;border:1px solid var(--line)}
.tag.material{border-color:var(--err);color:var(--err)}.tag.editorial{border-color:var(--ok);color:var(--ok)}
details{border:1px solid var(--line);border-radius:6px;margin:6px 0;padding:4px 10px}
summary{cursor:pointer}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12.5px}
svg text{fill:var(--fg);font-size:12px}
.chart{overflow-x:auto}
"""

# Click a header to sort (again to reverse); numbers and dates sort by data-sort.
# "#sort=<column>" or "#sort=<column>-desc" in the address sorts the products table on load.
_JS = """
(function(){
  function key(cell){
    var v = cell.getAttribute('data-sort');
    return v === null ? cell.textContent.trim().toLowerCase() : v;
  }
  function sortTable(table, idx, th, dir){
    var asc = dir ? dir === 'ascending' : th.getAttribute('aria-sort') !== 'ascending';
    var heads = table.tHead.rows[0].cells;
    for (var i = 0; i < heads.length; i++) heads[i].removeAttribute('aria-sort');
    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
    var numeric = th.getAttribute('data-type') === 'number';
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function(r, i){ return [r, i]; });
    rows.sort(function(a, b){
      var x = key(a[0].cells[idx]), y = key(b[0].cells[idx]), c;
      if (numeric) { c = (parseFloat(x) || 0) - (parseFloat(y) || 0); }
      else { c = x < y ? -1 : x > y ? 1 : 0; }
      return (asc ? c : -c) || a[1] - b[1];
    });
    rows.forEach(function(r){ body.appendChild(r[0]); });
  }
  var tables = document.querySelectorAll('table.sortable');
  Array.prototype.forEach.call(tables, function(table){
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function(th, idx){
      th.tabIndex = 0;
      th.addEventListener('click', function(){ sortTable(table, idx, th); });
      th.addEventListener('keydown', function(e){
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sortTable(table, idx, th); }
      });
    });
  });
  var m = /^#sort=([a-z0-9_]+?)(-desc)?$/.exec(location.hash);
  var main = document.getElementById('products');
  if (m && main) {
    var th = main.querySelector('th[data-col="' + m[1] + '"]');
    if (th) sortTable(main, th.cellIndex, th, m[2] ? 'descending' : 'ascending');
  }
  document.documentElement.setAttribute('data-sortable', 'ready');
})();
"""


def render_html(report: AuditReport) -> str:
    s = summary(report)
    fams = _families(report)
    parts: list[str] = []
    add = parts.append
    add("<!DOCTYPE html>")
    add('<html lang="en"><head><meta charset="utf-8">')
    # Marks the page as a report: a directory walk does not take it for a policy next time.
    add('<meta name="generator" content="policylint">')
    add('<meta name="viewport" content="width=device-width, initial-scale=1">')
    # No network: nothing is loaded from anywhere, and the page says so to the browser.
    add(
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
    )
    add("<title>policylint audit</title>")
    add(f"<style>{_CSS}</style></head><body>")
    add("<h1>policylint audit</h1>")
    add(
        f'<p class="muted">{s["products"]} products audited in {s["seconds"]:.1f} s on {_e(report.ran_on())}; '
        f"fail threshold: {_e(s['threshold'])} (a dated material change alone fails only at info).</p>"
    )
    add('<div class="cards">')
    for label, value, cls in (
        ("products", s["products"], ""),
        (f"failing (≥ {s['threshold']})", s["failing"], "err" if s["failing"] else "ok"),
        ("errors", s["errors"], "err" if s["errors"] else ""),
        ("warnings", s["warnings"], "warn" if s["warnings"] else ""),
        ("material changes", s["material"], "err" if s["material"] else ""),
        ("inconsistencies", s["inconsistencies"], "warn" if s["inconsistencies"] else ""),
        ("unreadable", s["unreadable"], "err" if s["unreadable"] else ""),
    ):
        add(f'<div class="card"><b class="{cls}">{value}</b><span class="muted">{_e(label)}</span></div>')
    add("</div>")

    add("<h2>Findings per product</h2>")
    add(_chart(report))

    add("<h2>Products</h2>")
    add('<p class="muted">Click a column header to sort.</p>')
    add('<div class="wide"><table class="sortable" id="products"><thead><tr>')
    columns = [
        ("product", "Product", "text"),
        ("format", "Format", "text"),
        ("updated", "Last updated", "text"),
        ("items", "Items", "number"),
        ("third_parties", "Third parties", "number"),
        ("findings", "Findings", "number"),
        ("errors", "Errors", "number"),
        ("warnings", "Warnings", "number"),
        ("infos", "Info", "number"),
        *((f.lower(), f, "number") for f in fams),
        ("previous", "vs previous", "text"),
    ]
    for col, label, kind in columns:
        cls = ' class="n"' if kind == "number" else ""
        add(f'<th data-col="{_e(col)}" data-type="{kind}"{cls}>{_e(label)}</th>')
    add("</tr></thead><tbody>")
    for n, p in enumerate(report.products):
        sev, fam = severity_counts(p.findings), family_counts(p.findings)
        anchor = f"p{n}" if p.findings or p.material_changes else ""
        name = f'<a href="#{anchor}">{_e(p.product)}</a>' if anchor else _e(p.product)
        add(f'<tr><td data-sort="{_e(p.product.lower())}">{name}</td>')
        if p.error:
            add(f'<td colspan="{len(columns) - 1}" class="err">{_e(p.error)}</td></tr>')
            continue
        add(f"<td>{_e(p.format)}</td>")
        add(f'<td data-sort="{_e(p.last_updated or "")}">{_e(p.last_updated or "—")}</td>')
        for value, cls in (
            (p.inventory, ""),
            (len(p.third_parties), ""),
            (len(p.findings), ""),
            (sev["error"], "err"),
            (sev["warning"], "warn"),
            (sev["info"], "info"),
            *((fam.get(f, 0), "") for f in fams),
        ):
            add(f'<td class="n {cls if value else ""}" data-sort="{value}">{value}</td>')
        v = verdict(p)
        tag = f'<span class="tag {_VERDICT_CLASS.get(v, "")}">{_e(v)}</span>' if v else ""
        add(f'<td data-sort="{_e(v)}">{tag}</td></tr>')
    add("</tbody></table></div>")

    if report.inconsistencies:
        add("<h2>Inconsistencies between products</h2>")
        add('<div class="wide"><table class="sortable" id="inconsistencies"><thead><tr>')
        add('<th data-type="text">Kind</th><th data-type="text">Subject</th>')
        add('<th data-type="text">What differs</th><th data-type="number" class="n">Products</th>')
        add("</tr></thead><tbody>")
        for i in report.inconsistencies:
            add(
                f"<tr><td>{_e(i.kind.replace('_', ' '))}</td><td><code>{_e(i.subject)}</code></td>"
                f'<td>{_rich(i.message)}</td><td class="n" data-sort="{len(i.products)}">{len(i.products)}</td></tr>'
            )
        add("</tbody></table></div>")

    detailed = [(n, p) for n, p in enumerate(report.products) if p.findings or p.material_changes]
    if detailed:
        add("<h2>Findings by product</h2>")
        budget = HTML_FINDINGS_LIMIT
        for n, p in detailed:
            sev = severity_counts(p.findings)
            add(
                f'<details id="p{n}"><summary><b>{_e(p.product)}</b> <span class="muted">{_e(p.path)}</span> — '
                f"{len(p.findings)} finding{'s' if len(p.findings) != 1 else ''} "
                f'(<span class="err">{sev["error"]} errors</span>, <span class="warn">{sev["warning"]} warnings</span>)'
                "</summary>"
            )
            if p.material_changes:
                add(
                    f"<p><b>Material changes since the previous version</b> "
                    f"({_e(p.previous_date or 'no date')} → {_e(p.last_updated or 'no date')}):</p><ul>"
                )
                add("".join(f"<li>{_rich(c)}</li>" for c in p.material_changes))
                add("</ul>")
            if p.findings:
                shown = p.findings[: max(0, budget)]
                budget -= len(shown)
                add(
                    '<div class="wide"><table class="sortable"><thead><tr><th data-type="number" class="n">Line</th>'
                )
                add('<th data-type="text">Rule</th><th data-type="text">Severity</th>')
                add('<th data-type="text">Message</th></tr></thead><tbody>')
                for f in shown:
                    sev_cls = {"error": "err", "warning": "warn", "info": "info"}.get(f.severity, "")
                    add(
                        f'<tr><td class="n" data-sort="{f.line}">{f.line}</td><td><code>{_e(f.rule)}</code> '
                        f'<span class="muted">{_e(f.name)}</span></td><td class="{sev_cls}">{_e(f.severity)}</td>'
                        f"<td>{_rich(f.message)}</td></tr>"
                    )
                add("</tbody></table></div>")
                if len(shown) < len(p.findings):
                    add(
                        f'<p class="muted">{len(p.findings) - len(shown)} more findings are in the JSON report '
                        "(<code>--format json</code>).</p>"
                    )
            add("</details>")
    add(f"<script>{_JS}</script>")
    add("</body></html>")
    return "\n".join(parts) + "\n"


def _chart(report: AuditReport) -> str:
    """A horizontal stacked bar chart (errors, warnings, info) in inline SVG, worst products first."""
    rows = []
    for p in report.products:
        if p.error:
            continue
        sev = severity_counts(p.findings)
        rows.append((p.product, sev["error"], sev["warning"], sev["info"]))
    rows.sort(key=lambda r: (-(r[1] + r[2] + r[3]), -r[1], r[0]))
    hidden = max(0, len(rows) - CHART_PRODUCTS)
    rows = rows[:CHART_PRODUCTS]
    if not rows:
        return '<p class="muted">No products could be read.</p>'
    top = max(1, max(e + w + i for _, e, w, i in rows))
    label_w, bar_w, row_h = 220, 640, 22
    height = row_h * len(rows) + 40
    out = [
        f'<div class="chart"><svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 60}" '
        f'height="{height}" role="img" aria-label="Findings per product">'
    ]
    colours = (("error", "var(--err)"), ("warning", "var(--warn)"), ("info", "var(--info)"))
    for n, (name, e, w, i) in enumerate(rows):
        y = 10 + n * row_h
        shown = name if len(name) <= 30 else name[:29] + "…"
        out.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end"><title>{_e(name)}</title>{_e(shown)}</text>'
        )
        x = float(label_w)
        for (label, colour), value in zip(colours, (e, w, i), strict=True):
            if not value:
                continue
            width = bar_w * value / top
            out.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{max(width, 1):.1f}" height="{row_h - 6}" '
                f'style="fill:{colour}"><title>{_e(name)}: {value} {label}{"s" if value != 1 else ""}</title></rect>'
            )
            x += width
        out.append(f'<text x="{x + 6:.1f}" y="{y + 15}">{e + w + i}</text>')
    ly = 10 + len(rows) * row_h + 14
    lx = label_w
    for label, colour in colours:
        out.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" style="fill:{colour}"></rect>')
        out.append(f'<text x="{lx + 16}" y="{ly}">{label}s</text>')
        lx += 100
    out.append("</svg>")
    if hidden:
        out.append(f'<p class="muted">{hidden} more products are in the table below.</p>')
    out.append("</div>")
    return "".join(out)
