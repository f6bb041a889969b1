"""JSON report: the DESIGN.md contract (old, new, material, changes) plus additive fields."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from policylint.model import to_json

if TYPE_CHECKING:
    from policylint.diffing import DiffResult


def as_data(result: DiffResult) -> dict:
    from policylint.diffing.render import verdict

    return {
        "version": 1,
        "old": result.old,
        "new": result.new,
        "material": result.material,
        "changes": [
            {
                "kind": c.kind,
                "subject": c.subject,
                "material": c.material,
                "reason": c.reason,
                "old_line": c.old_line,
                "new_line": c.new_line,
                "old": c.old,
                "new": c.new,
            }
            for c in result.changes
        ],
        "verdict": verdict(result),
        "replaced": bool(result.replaced),
        "replaced_signals": list(result.replaced),
        "old_date": result.old_date,
        "new_date": result.new_date,
        "findings": [to_json(f) for f in result.findings],
        "summary": {
            "changes": len(result.changes),
            "material": len(result.material_changes),
            "editorial": len(result.editorial_changes),
            "findings": len(result.findings),
        },
        "text_diff": result.text_diff,
    }


def render(result: DiffResult, **_: object) -> str:
    return json.dumps(as_data(result), ensure_ascii=False, indent=2) + "\n"
