"""The data that flows through the pipeline: Document → Policy → Finding / Change.

Plain dataclasses with no behaviour beyond small lookups, so every stage can be
tested alone and the results serialise to JSON (see ``to_json``).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any, Literal

Format = Literal["html", "markdown", "text"]
BlockKind = Literal["heading", "paragraph", "list_item", "table"]
# "sdk": a tracker in a mobile app (Firebase, Adjust) that a policy lists beside its
# cookies; under ePrivacy Art. 5(3) it needs the same consent analysis.
Storage = Literal["cookie", "local_storage", "session_storage", "pixel", "sdk"]
Severity = Literal["error", "warning", "info"]

# Categories an item can carry. "unknown" is never written: an unclassified item has None.
CATEGORIES = (
    "strictly_necessary",
    "security",
    "preferences",
    "consent",
    "analytics",
    "advertising",
    "social_media",
    "personalisation",
)


@dataclass(slots=True)
class Cell:
    """One table cell: its text (inline markup removed) and where it starts in the source."""

    text: str
    line: int
    column: int = 1


@dataclass(slots=True)
class Block:
    """A unit of the document: heading, paragraph, list item or table.

    ``line``/``column`` point at the first character of the block in the file the
    user gave (1-based); ``end_line`` at its last line. For a table, ``text`` is the
    cells joined row by row, ``header`` the header cells (empty when the table has
    none) and ``rows`` the body rows.
    """

    kind: BlockKind
    text: str
    line: int
    column: int = 1
    end_line: int = 0
    level: int = 0  # heading level (1-6) or list depth (1 = top level)
    header: list[Cell] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    ordered: bool = False  # list item of a numbered list


@dataclass(slots=True)
class Comment:
    """A source comment (HTML/Markdown ``<!-- -->``, a ``#`` line in text) — suppressions live here."""

    text: str
    line: int


@dataclass(slots=True)
class Document:
    """A parsed document: ordered blocks plus the source lines they point into."""

    path: str
    format: Format
    lines: list[str]
    blocks: list[Block]
    comments: list[Comment] = field(default_factory=list)
    title: str | None = None  # <title> or front-matter title, when present
    encoding: str = "utf-8"
    # Problems found while loading/parsing (binary content, NUL bytes, truncated input...).
    problems: list[tuple[str, str]] = field(default_factory=list)  # (code, message)

    def locate(self, fragment: str, start_line: int, end_line: int | None = None) -> tuple[int, int]:
        """Line and column (1-based) of ``fragment`` in the source between two lines.

        Block text is normalised (markup and escapes removed), so the fragment may not
        appear verbatim; then the start of the block is the best answer we have.
        """
        end = min(len(self.lines), end_line or start_line)
        needle = fragment.strip()
        if needle:
            for ln in range(max(1, start_line), end + 1):
                col = self.lines[ln - 1].find(needle)
                if col >= 0:
                    return ln, col + 1
            low = needle.lower()
            for ln in range(max(1, start_line), end + 1):
                col = self.lines[ln - 1].lower().find(low)
                if col >= 0:
                    return ln, col + 1
        return start_line, 1


@dataclass(slots=True)
class Item:
    """A declared cookie, storage key or pixel."""

    name: str | None
    provider: str | None = None
    purpose: str | None = None
    category: str | None = None
    duration: str | None = None  # as written ("13 mois", "Session", "2 years")
    duration_days: float | None = None  # parsed; 0 for a session item; None when unknown
    party: Literal["first", "third"] | None = None
    storage: Storage = "cookie"
    # The reason the policy gives for setting the item without consent ("strictly
    # necessary", "mesure d'audience exemptée"), as written; None when it gives none.
    exemption_basis: str | None = None
    # What the policy says about consent for this item: True = set only with consent,
    # False = set without consent (exempt), None = it does not say.
    consent: bool | None = None
    line: int = 0
    column: int = 1
    domain: str | None = None
    raw_name: str | None = None  # as written, before normalisation
    pattern: bool = False  # the name stands for a family (wildcard / regex)
    source: Literal["table", "list", "prose", "record"] = "table"
    section: str | None = None  # the heading the item sits under
    missing_cells: int = 0  # the table row had this many fewer cells than its header


@dataclass(slots=True)
class Claim:
    """A sentence stating a fact the checks can test.

    ``kind`` is what sort of statement it is (``uses`` a category of tracker,
    ``consent`` required, ``banner`` needed, ``signal`` honoured, ``sharing``...),
    ``subject`` what it is about (``analytics``, ``advertising``, ``third_party``,
    ``gpc``...), ``polarity`` whether it affirms (True) or denies (False) it.
    """

    kind: str
    subject: str
    polarity: bool
    text: str
    line: int


@dataclass(slots=True)
class Contact:
    value: str
    kind: Literal["email", "url", "postal", "phone", "form"]
    line: int


@dataclass(slots=True)
class ThirdParty:
    name: str
    line: int
    category: str | None = None


@dataclass(slots=True)
class Policy:
    """What a document declares: metadata, items, third parties and claims."""

    path: str
    format: Format
    title: str | None = None
    last_updated: _dt.date | None = None
    last_updated_line: int | None = None
    last_updated_text: str | None = None
    controller: str | None = None
    controller_line: int | None = None
    contacts: list[Contact] = field(default_factory=list)
    cookies: list[Item] = field(default_factory=list)
    third_parties: list[ThirdParty] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    # 0..1: how much the document reads like a cookie/tracker policy (PL003, diff "replaced").
    policy_score: float = 0.0
    language: Literal["en", "fr"] = "en"


@dataclass(slots=True)
class Finding:
    rule: str
    name: str
    severity: Severity
    message: str
    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None
    excerpt: str = ""


@dataclass(slots=True)
class Change:
    """One difference between two policies, as a reviewer sees it."""

    kind: str  # item_added, item_removed, item_renamed, duration_longer, third_party_added, ...
    subject: str
    material: bool
    reason: str
    old_line: int | None = None
    new_line: int | None = None
    old: str | None = None
    new: str | None = None


def to_json(obj: Any) -> Any:
    """Plain JSON-ready data for any model object (dates as ISO strings)."""
    if is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_json(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, _dt.date):
        return obj.isoformat()
    if isinstance(obj, (list, tuple)):
        return [to_json(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_json(v) for k, v in obj.items()}
    return obj


__all__ = [
    "CATEGORIES",
    "Block",
    "Cell",
    "Change",
    "Claim",
    "Comment",
    "Contact",
    "Document",
    "Finding",
    "Item",
    "Policy",
    "ThirdParty",
    "asdict",
    "to_json",
]
