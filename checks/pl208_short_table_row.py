"""PL208: a row of a cookie table with fewer cells than its header."""

from __future__ import annotations

import re
from collections.abc import Iterable

from policylint.checks_api import Context
from policylint.checks_lib import fold, name_list
from policylint.model import Block, Cell, Finding, Item

CODE = "PL208"
NAME = "short-table-row"
SEVERITY = "warning"
SUMMARY = "A row of a cookie inventory table has fewer cells than the table's header."
WHY = (
    "When a row is shorter than its header, its last columns (usually the duration or the "
    "provider) are simply not given, and renderers either drop the row's tail or shift it under "
    "the wrong heading. Readers then see a cookie without a lifetime, or a purpose in the "
    "'Duration' column."
)
BASIS = (
    "GDPR Art. 12(1) (clear, intelligible information) and Art. 13(2)(a); editorial: an inventory "
    "table is only as good as its least complete row."
)
FIX = "Complete the row: give every column of the header a cell (write 'Session' or 'None' rather than leaving it out)."
FORMAT = "markdown"

FAILING = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

## Cookies we use

These cookies are strictly necessary for the site to work, so we set them without asking.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| acme_session | Acme | Keeps you signed in | Session |
| acme_csrf | Acme | Protects forms against forgery |
"""

PASSING = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

## Cookies we use

These cookies are strictly necessary for the site to work, so we set them without asking.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| acme_session | Acme | Keeps you signed in | Session |
| acme_csrf | Acme | Protects forms against forgery | Session |
"""

_AGGREGATE_OVER = 5
_SHOW = 3
# A header cell naming the item column of an inventory.
_NAME_COLUMN = re.compile(
    r"\bnom\b|\bname\b|cookies?\b|traceurs?\b|trackers?\b|\bkeys?\b|\bcles?\b|temoins?\b"
)


def _header(block: Block) -> tuple[list[Cell], list[list[Cell]]]:
    """The header that names the columns and the body rows under it (layout headers skipped)."""
    if block.header and any(c.text.strip() for c in block.header):
        return block.header, block.rows
    if block.rows:
        return block.rows[0], block.rows[1:]
    return [], []


def _is_inventory(header: list[Cell]) -> bool:
    texts = [fold(c.text).strip(" *:") for c in header]
    return len(texts) >= 3 and any(t and len(t) <= 40 and _NAME_COLUMN.search(t) for t in texts)


def check(ctx: Context) -> Iterable[Finding]:
    doc = ctx.document
    # Rows the extractor already measured, by line: item names and missing cells.
    by_line: dict[int, tuple[list[str], int]] = {}
    item: Item
    for item in ctx.policy.cookies:
        if item.missing_cells > 0 and item.source == "table":
            names, _ = by_line.get(item.line, ([], 0))
            by_line[item.line] = ([*names, item.name or "(unnamed)"], item.missing_cells)
    reported: set[int] = set()
    for block in doc.blocks:
        if block.kind != "table":
            continue
        header, body = _header(block)
        short: list[tuple[int, list[str], int]] = []  # line, names, missing
        for row in body:
            if not row:
                continue
            line = row[0].line
            if line in by_line:
                names, missing = by_line.pop(line)
                short.append((line, names, missing))
                continue
            if not _is_inventory(header):
                continue
            # One cell across the row is a group label ("Google", "Analytics"), not a short row.
            if len(row) < 2 or len(row) >= len(header):
                continue
            short.append((line, [row[0].text.strip() or "(unnamed)"], len(header) - len(row)))
        if not short:
            continue
        cols = [c.text.strip() for c in header]
        if len(short) > _AGGREGATE_OVER:
            names = [n for _, ns, _ in short for n in ns]
            yield ctx.finding(
                block.line,
                f"{len(short)} rows of this table have fewer cells than its {len(cols)} columns "
                f"({name_list(names, _SHOW)}): complete each row.",
                excerpt=ctx.line_text(block.line).strip(),
            )
            reported.update(line for line, _, _ in short)
            continue
        for line, names, missing in short:
            have = len(cols) - missing
            lost = [c for c in cols[have:] if c]
            what = f" (no {', '.join(repr(c) for c in lost)})" if lost else ""
            yield ctx.finding(
                line,
                f"The row for {name_list(names, _SHOW)} has {have} cells but the table has {len(cols)} "
                f"columns{what}: complete the row.",
                excerpt=ctx.line_text(line).strip(),
            )
            reported.add(line)
    # Items measured short outside any parsed table (text tables, records).
    for line, (names, missing) in sorted(by_line.items()):
        if line in reported:
            continue
        yield ctx.finding(
            line,
            f"The row for {name_list(names, _SHOW)} has {missing} cell(s) fewer than its table's header: "
            f"complete the row.",
            excerpt=ctx.line_text(line).strip(),
        )
