"""What a check file in ``checks/`` receives and returns.

A check is a module with constants describing it (CODE, NAME, SEVERITY,
SUMMARY, WHY, BASIS, FIX, FORMAT, FAILING, PASSING) and a function
``check(ctx: Context) -> Iterable[Finding]``. ``ctx.finding(...)`` fills in the
rule code, name and severity from the module, so a check only says where and what.
Helpers that several checks need live in ``policylint.checks_lib``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from policylint.model import Document, Finding, Policy

if TYPE_CHECKING:
    from policylint.catalog import CookieCatalog, VendorIndex


class RuleReporter:
    """What a check's context offers whatever the check looks at: findings and source lines.

    Shared by :class:`Context` (one document) and ``policylint.diffing.context.DiffContext`` (two
    versions), so that findings are built the same way for lint and diff rules. The runner sets
    ``code``, ``name`` and ``severity`` from the check module before calling it.
    """

    code: str
    name: str
    severity: str

    def finding(
        self,
        line: int,
        message: str,
        *,
        column: int = 1,
        excerpt: str = "",
        end_line: int | None = None,
        end_column: int | None = None,
        severity: str | None = None,
    ) -> Finding:
        """A Finding for this rule; lines are 1-based lines of the user's file."""
        return Finding(
            rule=self.code,
            name=self.name,
            severity=severity or self.severity,  # type: ignore[arg-type]
            message=message,
            line=max(1, line),
            column=max(1, column),
            end_line=end_line,
            end_column=end_column,
            excerpt=self.readable_excerpt(excerpt, line)[:200],
        )

    def readable_excerpt(self, excerpt: str, line: int) -> str:
        """The excerpt shown under a finding; a context with the parsed document makes a line
        of markup readable."""
        return excerpt

    def source_lines(self) -> list[str]:
        """The lines of the file findings point into."""
        raise NotImplementedError

    def line_text(self, line: int) -> str:
        """Source line ``line`` (1-based), or "" outside the file."""
        lines = self.source_lines()
        return lines[line - 1] if 0 < line <= len(lines) else ""


# HTML tags, comments, and Markdown escapes or emphasis (`\_ga`, `**name**`, `[text](url)`).
_MARKUP = re.compile(r"</?[A-Za-z][^<>]{0,300}>|<!--|-->|\\[_*`\[\]]|\*\*|\]\(")
_TAG = re.compile(r"<[^<>]{0,300}>")


@dataclass
class Context(RuleReporter):
    document: Document
    policy: Policy
    code: str = ""
    name: str = ""
    severity: str = "warning"
    options: dict = field(default_factory=dict)  # per-rule options from the config
    _emit: Callable[[Finding], None] | None = None

    @cached_property
    def catalog(self) -> CookieCatalog:
        from policylint.catalog import load_cookie_catalog

        return load_cookie_catalog()

    @cached_property
    def vendors(self) -> VendorIndex:
        from policylint.catalog import load_vendors

        return load_vendors()

    def source_lines(self) -> list[str]:
        return self.document.lines

    def readable_excerpt(self, excerpt: str, line: int) -> str:
        # A line of HTML (`<div style=…><h1>Cookies`) or an empty table row (`| | |`) says
        # nothing to a reader: show the text of the block on that line instead.
        if not _MARKUP.search(excerpt) and excerpt.strip(" |-:\t") and not excerpt.lstrip().startswith("|"):
            return excerpt
        block = next((b for b in self.document.blocks if b.line <= line <= (b.end_line or b.line)), None)
        if block is not None and block.kind == "table":
            rows = [r for r in [block.header, *block.rows] if r and any(c.text.strip() for c in r)]
            row = next((r for r in rows if r[0].line == line), rows[0] if rows else None)
            if row:
                return " | ".join(" ".join(c.text.split()) for c in row)
        if block is not None and block.text.strip():
            return " ".join(block.text.split())
        return " ".join(_TAG.sub(" ", excerpt).split())
