"""Text report: the verdict, material changes, editorial changes, findings, then the text diff."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from policylint.diffing import DiffResult
    from policylint.model import Change


def _clean(s: str | None, n: int = 160) -> str:
    t = " ".join((s or "").split())
    # Terminal control characters from an untrusted document must not reach the terminal.
    t = "".join(ch if ch.isprintable() else "?" for ch in t)
    return t if len(t) <= n else t[: n - 1] + "…"


def render(result: DiffResult, *, color: bool = False, **_: object) -> str:
    from policylint.diffing.render import change_label, grouped, verdict

    def style(text: str, **kw: object) -> str:
        return click.style(text, **kw) if color else text  # type: ignore[arg-type]

    out: list[str] = []
    out.append(f"policylint diff: {_clean(result.old, 200)} → {_clean(result.new, 200)}")
    v = verdict(result)
    out.append(style(v, fg="red" if result.material else "green", bold=True))
    od, nd = result.old_date or "unstated", result.new_date or "unstated"
    out.append(f"Last updated: {od} → {nd}")

    def block(title: str, changes: list[Change], fg: str, fold: bool) -> None:
        if not changes:
            return
        out.append("")
        out.append(style(f"{title} ({len(changes)}):", bold=True))
        entries = grouped(changes) if fold else changes
        # Line references left-aligned in one column, so the labels line up.
        width = max((len(_where(e)) for e in entries), default=0)
        for entry in entries:
            if isinstance(entry, tuple):
                kind, members = entry
                names = ", ".join(_clean(c.subject, 40) for c in members[:12])
                more = f" and {len(members) - 12} more" if len(members) > 12 else ""
                span = _where(entry)
                out.append(
                    style(f"  {span:<{width}}  {change_label(kind)} ×{len(members)}: {names}{more}", fg=fg)
                )
                for ln in textwrap.wrap("e.g. " + _clean(members[0].reason, 2000), 100):
                    out.append("      " + ln)
                continue
            c = entry
            head = f"  {_where(c):<{width}}  {change_label(c.kind)}: {_clean(c.subject, 80)}"
            out.append(style(head, fg=fg))
            short = c.old is not None and c.new is not None and "\n" not in (c.old + c.new)
            if short and len(c.old) + len(c.new) < 140:
                out.append(f"      {_clean(c.old, 70)} → {_clean(c.new, 70)}")
            for ln in textwrap.wrap(_clean(c.reason, 2000), 100):
                out.append("      " + ln)

    block("Material changes", result.material_changes, "red", fold=False)
    block("Editorial changes", result.editorial_changes, "cyan", fold=True)
    if result.findings:
        out.append("")
        out.append(style(f"Findings ({len(result.findings)}):", bold=True))
        listed = {"PL501": "material-change", "PL503": "editorial-change"}  # one per change listed above
        for f in result.findings:
            if f.rule in listed:
                continue
            out.append(
                f"  {_clean(result.new, 120)}:{f.line}:{f.column}: {f.rule} [{f.severity}] {_clean(f.message, 400)}"
            )
        for code, name in listed.items():
            n = sum(1 for f in result.findings if f.rule == code)
            if n:
                out.append(
                    f"  ({n} {code} {name} finding{'s' if n != 1 else ''}: one per change listed above)"
                )
    if result.text_diff:
        out.append("")
        out.append(style("Text changes:", bold=True))
        for ln in result.text_diff.splitlines():
            shown = "".join(ch if ch.isprintable() or ch == "\t" else "?" for ch in ln)
            if len(shown) > 400:
                shown = shown[:399] + "…"
            if ln.startswith("+") and not ln.startswith("+++"):
                shown = style(shown, fg="green")
            elif ln.startswith("-") and not ln.startswith("---"):
                shown = style(shown, fg="red")
            elif ln.startswith("@@"):
                shown = style(shown, fg="cyan")
            out.append(shown)
    return "\n".join(out) + "\n"


def _where(entry: Change | tuple[str, list[Change]]) -> str:
    """ "L34 → L38" for a change, "L44-L79" for a group of them."""
    if isinstance(entry, tuple):
        lines = sorted(c.old_line or c.new_line or 0 for c in entry[1])
        return f"L{lines[0]}-L{lines[-1]}" if lines and lines[0] else ""
    from policylint.diffing.render import lines_text

    return lines_text(entry.old_line, entry.new_line)
