"""GitHub Actions workflow commands: one annotation per finding on the pull request's diff.

    ::error file=policies/cookies.md,line=15,col=31,title=PL101 unfilled-placeholder::message

Data is escaped as GitHub's toolkit does (``%``, CR, LF), properties also ``:`` and ``,``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policylint.engine import FileResult, Rule

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def render(results: Sequence[FileResult], rules: Mapping[str, Rule], **_: object) -> str:
    out: list[str] = []
    for r in results:
        path = r.path.replace("\\", "/")
        if r.error:
            out.append(f"::error file={escape_property(path)},title=policylint::{escape_data(r.error)}")
            continue
        for f in r.findings:
            props = [f"file={escape_property(path)}", f"line={f.line}", f"col={f.column}"]
            if f.end_line:
                props.append(f"endLine={f.end_line}")
            if f.end_column and (f.end_line in (None, f.line)):
                props.append(f"endColumn={f.end_column}")
            props.append(f"title={escape_property(f'{f.rule} {f.name}')}")
            out.append(f"::{LEVEL.get(f.severity, 'warning')} {','.join(props)}::{escape_data(f.message)}")
    return "\n".join(out) + ("\n" if out else "")
