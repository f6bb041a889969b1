"""PL104: an empty cell in a table column that the other rows fill."""

from __future__ import annotations

import re
from collections.abc import Iterable

from policylint.checks_api import Context
from policylint.checks_lib import table_header_and_body
from policylint.model import Cell, Finding

CODE = "PL104"
NAME = "empty-table-cell"
SEVERITY = "warning"
SUMMARY = "A table cell is empty in a column that most other rows fill (a duration, a provider, a purpose)."
WHY = (
    "In a cookie table, a column filled on most rows is information the policy gives for each cookie. "
    "An empty cell in it is a value that was never written or was lost in an export: the reader cannot "
    "tell how long that cookie lasts or who sets it."
)
BASIS = (
    "GDPR Art. 13(1)(c), (e) and 13(2)(a) (purposes, recipients, storage period); ePrivacy Directive "
    "Art. 5(3); CNIL délibération 2020-091 art. 2 (identity of each party, purpose, lifetime)"
)
FIX = (
    "Fill the cell, or write what it means ('Session', 'None', 'Not applicable', 'Same as above'). "
    "If a merged cell was flattened by an export, repeat the value on each row."
)
FORMAT = "markdown"

FAILING = """\
# Cookies we use

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| session | Acme | Keeps you signed in | Session |
| csrf | Acme | Protects forms | Session |
| _ga | Google | Distinguishes visitors |  |
| _gid | Google | Distinguishes visitors | 24 hours |
"""

PASSING = """\
# Cookies we use

| Provider | Cookie | Purpose | Duration | Notes |
| --- | --- | --- | --- | --- |
| Acme | session | Keeps you signed in | Session |  |
|  | csrf | Protects forms | Session |  |
| Google | _ga | Distinguishes visitors | 13 months | Only with consent |
|  | _gid | Distinguishes visitors | 24 hours |  |

| Cookie | Essential | Analytics |
| --- | --- | --- |
| session | ✓ |  |
| _ga |  | ✓ |
| _gid |  | ✓ |
| _pk_id |  | ✓ |
"""

MIN_ROWS = 3
MIN_FILLED = 0.6
# Columns whose cells are optional by nature: notes, examples, sample values.
_OPTIONAL = re.compile(
    r"\b(?:notes?|comments?|remarks?|remarques?|commentaires?|observations?|examples?|exemples?|values?|valeurs?"
    r"|more information|plus d'informations|details|détails|opt-?out|links?|liens?)\b",
    re.IGNORECASE,
)
# Non-empty values of a checkmark matrix: an empty cell there means "no".
_MARK = re.compile(r"^(?:[✓✔✗✘×•●○xX*]|yes|oui|no|non|y|n|true|false|on|off)$", re.IGNORECASE)


def _column(ctx: Context, cell: Cell, j: int) -> int:
    """The column of cell ``j`` in a pipe-table source line (the parser gives Markdown cells column 1)."""
    if cell.column != 1 or ctx.document.format == "html":
        return cell.column
    line = ctx.line_text(cell.line)
    stripped = line.lstrip()
    pos = len(line) - len(stripped)
    if stripped.startswith("|"):
        pos += 1
    for _ in range(j):
        nxt = line.find("|", pos)
        while nxt > 0 and line[nxt - 1] == "\\":
            nxt = line.find("|", nxt + 1)
        if nxt < 0:
            return cell.column
        pos = nxt + 1
    start = pos
    while pos < len(line) and line[pos] == " ":
        pos += 1
    if pos >= len(line) or line[pos] == "|":
        return start + 1  # an empty cell: just after its opening pipe
    return pos + 1


def check(ctx: Context) -> Iterable[Finding]:
    for b in ctx.document.blocks:
        if b.kind != "table":
            continue
        header, rows = table_header_and_body(b)
        rows = [r for r in rows if any(c.text.strip() for c in r)]  # fully empty rows are spacers
        if len(rows) < MIN_ROWS:
            continue
        ncols = max((len(r) for r in rows), default=0)
        if ncols < 2:
            continue
        for j in range(ncols):
            name = header[j].text.strip() if j < len(header) else ""
            if name and _OPTIONAL.search(name):
                continue
            present = [r for r in rows if j < len(r)]  # a short row is PL208's, not an empty cell
            if len(present) < MIN_ROWS:
                continue
            values = [r[j].text.strip() for r in present]
            filled = [v for v in values if v]
            if len(filled) == len(values) or len(filled) / len(values) < MIN_FILLED:
                continue
            if all(_MARK.match(v) for v in filled):
                continue  # a checkmark matrix: empty means "no"
            for row in present:
                cell = row[j]
                if cell.text.strip():
                    continue
                if (
                    row is not rows[0]
                    and all(not c.text.strip() for c in row[:j])
                    and any(c.text.strip() for c in row[j + 1 :])
                ):
                    continue  # leading empty cells continue the group above (a flattened rowspan)
                if any(cell is c for c in row[:j]):
                    continue  # one cell spanning several columns (colspan): reported once at most
                first = next((c.text.strip() for c in row if c.text.strip()), "")
                label = f'column "{name}"' if name else f"column {j + 1}"
                yield ctx.finding(
                    cell.line,
                    f'Empty cell in {label} of the row "{first[:60]}": the other rows fill this column '
                    f"({len(filled)} of {len(values)} rows filled).",
                    column=_column(ctx, cell, j),
                    excerpt=ctx.line_text(cell.line).strip()[:200],
                )
