"""Text report, like ruff's: one line per finding, the excerpt under it, a summary line.

policies/cookies.md:15:31: PL101 [error] unfilled placeholder "[TO BE COMPLETED]"
    retained for [TO BE COMPLETED] days
Found 1 finding (1 error, 0 warnings) in 1 file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import click

from policylint.report import counts

if TYPE_CHECKING:
    from policylint.engine import FileResult, Rule

_SEV_COLOUR = {"error": "red", "warning": "yellow", "info": "blue"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render(
    results: Sequence[FileResult],
    rules: Mapping[str, Rule],
    *,
    color: bool = False,
    quiet: bool = False,
    show_excerpt: bool = True,
    **_: object,
) -> str:
    def style(text: str, **kw: object) -> str:
        return click.style(text, **kw) if color else text  # type: ignore[arg-type]

    out: list[str] = []
    for result in results:
        if result.error:
            continue  # the CLI prints input errors on stderr
        for f in result.findings:
            loc = style(f"{result.path}:{f.line}:{f.column}:", bold=True)
            sev = style(f"[{f.severity}]", fg=_SEV_COLOUR.get(f.severity))
            out.append(f"{loc} {style(f.rule, fg=_SEV_COLOUR.get(f.severity), bold=True)} {sev} {f.message}")
            excerpt = " ".join(f.excerpt.split())
            if show_excerpt and excerpt and not quiet:
                out.append("    " + style(excerpt, dim=True))
    n_files = sum(1 for r in results if not r.error)
    if not quiet and n_files:
        c = counts(results)
        if c["findings"]:
            extra = f", {_plural(c['infos'], 'info')}" if c["infos"] else ""
            summary = (
                f"Found {_plural(c['findings'], 'finding')} ({_plural(c['errors'], 'error')}, "
                f"{_plural(c['warnings'], 'warning')}{extra}) in {_plural(n_files, 'file')}."
            )
            out.append(style(summary, bold=True))
        else:
            out.append(style(f"No findings in {_plural(n_files, 'file')}.", fg="green"))
    return "\n".join(out) + ("\n" if out else "")
