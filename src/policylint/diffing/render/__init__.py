"""Diff reports: text (terminal), json (tools), markdown (PR comment), html (side by side)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policylint.diffing import DiffResult

FORMATS = ("text", "json", "markdown", "html")


def render(fmt: str, result: DiffResult, *, color: bool = False) -> str:
    if fmt == "json":
        from policylint.diffing.render.json import render as r
    elif fmt == "markdown":
        from policylint.diffing.render.markdown import render as r
    elif fmt == "html":
        from policylint.diffing.render.html import render as r
    elif fmt == "text":
        from policylint.diffing.render.text import render as r
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return r(result, color=color)


def verdict(result: DiffResult) -> str:
    """One sentence a reviewer can act on."""
    n_mat, n_ed = len(result.material_changes), len(result.editorial_changes)
    if result.replaced:
        return "POLICY REPLACED — the new version is no longer a cookie policy; users must be told."
    if result.material:
        return (
            f"MATERIAL — {n_mat} change{'s' if n_mat != 1 else ''} need{'s' if n_mat == 1 else ''} notice to users "
            f"(or new consent); {n_ed} editorial."
        )
    if n_ed:
        return f"EDITORIAL — {n_ed} change{'s' if n_ed != 1 else ''}, none needs notice or new consent."
    return "NO CHANGE — the two versions say the same thing."


def change_label(kind: str) -> str:
    return kind.replace("_", " ")


def lines_text(old_line: int | None, new_line: int | None) -> str:
    o = f"L{old_line}" if old_line else "—"
    n = f"L{new_line}" if new_line else "—"
    return f"{o} → {n}"


def grouped(changes: list, threshold: int = 6) -> list:
    """Changes in order, with each kind that occurs ``threshold`` times or more folded into one
    ``(kind, [changes])`` entry at the place of its first occurrence (60 removed cookies read
    better as one line than as 60)."""
    counts: dict[str, int] = {}
    for c in changes:
        counts[c.kind] = counts.get(c.kind, 0) + 1
    out: list = []
    groups: dict[str, list] = {}
    for c in changes:
        if counts[c.kind] >= threshold:
            if c.kind not in groups:
                groups[c.kind] = []
                out.append((c.kind, groups[c.kind]))
            groups[c.kind].append(c)
        else:
            out.append(c)
    return out
