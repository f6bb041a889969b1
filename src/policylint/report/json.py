"""JSON report: the contract in DESIGN.md (``version`` 1; tools key on it, so fields are only added)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from policylint.report import counts

if TYPE_CHECKING:
    from policylint.engine import FileResult, Rule

VERSION = 1
FINDING_KEYS = ("rule", "name", "severity", "message", "line", "column", "end_line", "end_column", "excerpt")


def as_data(results: Sequence[FileResult]) -> dict:
    c = counts(results)
    return {
        "version": VERSION,
        "files": [
            {
                "path": r.path,
                "format": r.format,
                "findings": [{k: getattr(f, k) for k in FINDING_KEYS} for f in r.findings],
                "error": r.error,
            }
            for r in results
        ],
        "summary": {k: c[k] for k in ("files", "findings", "errors", "warnings")},
    }


def render(results: Sequence[FileResult], rules: Mapping[str, Rule], **_: object) -> str:
    return json.dumps(as_data(results), indent=2, ensure_ascii=False) + "\n"
