"""Reporters: findings → text for people, JSON for tools, SARIF for code scanning, GitHub annotations.

Each reporter module defines ``render(results, rules, **options) -> str``; ``render``
here picks one by name so the CLI imports only the one it uses.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policylint.engine import FileResult, Rule

FORMATS = ("text", "json", "sarif", "github")


def render(
    fmt: str,
    results: Sequence[FileResult],
    rules: Mapping[str, Rule] | None = None,
    **options: object,
) -> str:
    """The report for ``results`` in format ``fmt`` (text, json, sarif, github)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r} (choose from {', '.join(FORMATS)})")
    module = importlib.import_module(f"policylint.report.{fmt}")
    return module.render(results, rules or {}, **options)


def counts(results: Sequence[FileResult]) -> dict[str, int]:
    """files / findings / errors / warnings / infos over a run."""
    findings = [f for r in results for f in r.findings]
    return {
        "files": len(results),
        "findings": len(findings),
        "errors": sum(f.severity == "error" for f in findings),
        "warnings": sum(f.severity == "warning" for f in findings),
        "infos": sum(f.severity == "info" for f in findings),
    }
