"""Cookie tables → items, whatever the columns are called.

Headers are matched against English and French vocabularies; the table is an
inventory when it has a name column. A layout header (all cells empty, as
HTML-to-Markdown exports write them) gives way to the first body row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policylint.extraction.durations import header_unit, parse_duration, split_durations
from policylint.extraction.names import looks_like_identifier, normalise_name, split_names, storage_hint
from policylint.extraction.vocab import category_of, consent_of, fold, heading_category, party_of, storage_of
from policylint.model import Block, Cell, Item

# Checked in order; the first field whose pattern matches a header cell takes it.
_FIELDS: list[tuple[str, re.Pattern[str]]] = [
    # A column of links to the vendor's privacy policy is neither a domain nor a purpose.
    (
        "link",
        re.compile(
            r"learn more|privacy (?:policy|notice)|politique de (?:confidentialite|protection)|\blinks?\b|\bliens?\b|opt[- ]?out link"
        ),
    ),
    (
        "duration",
        re.compile(
            r"duration|expir|lifespan|life ?time|retention|duree|conservation|validit|max[- ]?age|storage period|\bexpires?\b|\bttl\b"
        ),
    ),
    (
        "party",
        re.compile(
            r"\bparty\b|1st|3rd|first.{0,4}third|cookies used|used as|origine|\bpartie\b|type de tiers"
        ),
    ),
    (
        "exemption",
        re.compile(
            r"exempt|legal basis|lawful basis|base legale|base juridique|fondement|\bbasis\b|consent|consentement|opt[- ]?(?:in|out)"
        ),
    ),
    ("category", re.compile(r"categor|\btype\b|\bclass|famille|\bkind\b")),
    (
        "provider",
        re.compile(
            r"provider|issuer|emetteur|editeur|company|societe|partner|partenaire|vendor|fournisseur|set by|placed by|depose par|\bowner\b|controller|responsable|third[- ]part(?:y|ies)$|\bsource\b|service\b|\bhost(?:ed)? by\b"
        ),
    ),
    (
        "purpose",
        re.compile(
            r"purpose|description|finalite|fonction|function|objecti|usage|\buse\b|utilisation|what (?:it|they) do|role|\bwhy\b|details?"
        ),
    ),
    ("domain", re.compile(r"domain|domaine|\bsites?\b|\bhost\b|subgroup|website|site\(s\)")),
    (
        "name",
        re.compile(
            r"\bnom\b|\bname\b|cookies?\b|traceurs?\b|trackers?\b|\bkeys?\b|\bcles?\b|identifi|\btechnolog|temoins?\b|\bpixels?\b|\btags?\b|\bitem\b"
        ),
    ),
]


@dataclass(slots=True)
class Columns:
    fields: dict[str, int]  # field -> column index
    width: int
    name_header: str
    duration_unit: str | None
    header_row: int
    exemption_header: str = ""  # -1: the syntactic header; k: body row k is the header


def map_columns(header: list[str]) -> dict[str, int]:
    fields: dict[str, int] = {}
    names: list[int] = []
    for idx, raw in enumerate(header):
        h = fold(raw).strip(" *:")
        if not h or len(h) > 60:
            continue
        for field, rx in _FIELDS:
            if rx.search(h) and (field == "name" or field not in fields):
                if field == "name":
                    names.append(idx)
                else:
                    fields[field] = idx
                break
    if names:
        # "Cookie | Name | Purpose": the column called Name holds the names; the other
        # "Cookie" column then says whose cookie it is.
        named = [i for i in names if re.search(r"\bnom\b|\bname\b", fold(header[i]))]
        fields["name"] = named[0] if named else names[0]
        for i in names:
            if i != fields["name"] and "provider" not in fields:
                fields["provider"] = i
    return fields


def find_columns(block: Block) -> Columns | None:
    """How to read a table as an inventory, or None when it is not one."""
    candidates: list[tuple[int, list[Cell]]] = []
    if block.header:
        candidates.append((-1, block.header))
    # A layout header (empty, or not naming fields) gives way to the first body rows.
    for k, row in enumerate(block.rows[:2]):
        candidates.append((k, row))
    for pos, header in candidates:
        texts = [c.text for c in header]
        fields = map_columns(texts)
        if "name" not in fields:
            continue
        others = set(fields) - {"name", "link"}
        if not others:
            continue
        name_header = fold(texts[fields["name"]])
        # A "Cookie type | Description" table lists categories, not cookies.
        if "category" in fields and fields["category"] == fields["name"]:
            continue
        if re.search(r"\b(?:type|categor|famille)", name_header):
            continue
        unit = header_unit(texts[fields["duration"]]) if "duration" in fields else None
        ex_header = fold(texts[fields["exemption"]]) if "exemption" in fields else ""
        return Columns(fields, len(header), name_header, unit, pos, ex_header)
    return None


def _cell(row: list[Cell], idx: int | None) -> str | None:
    if idx is None or idx >= len(row):
        return None
    t = row[idx].text.strip()
    return t or None


def items_from_table(
    block: Block,
    section_heading: str | None,
    section_consent: bool | None,
    section_category: str | None,
    intro: str = "",
) -> tuple[list[Item], list[str]]:
    """Items declared by a table, and the providers it names (third-party candidates).

    ``intro`` is the text just before the table: "We use local storage to…" says what the
    rows are when no column does."""
    cols = find_columns(block)
    if cols is None:
        return [], []
    f = cols.fields
    body = block.rows[cols.header_row + 1 :] if cols.header_row >= 0 else block.rows
    items: list[Item] = []
    providers: list[str] = []
    tracker_table = bool(re.search(r"tracker|traceur|tool|outil|sdk", cols.name_header))
    intro_low = fold(intro)
    intro_storage = (
        storage_of(intro)
        if re.search(r"local ?storage|session ?storage|stockage local", intro_low)
        and "cookie" not in intro_low
        else None
    )
    group_category: str | None = None  # what the last label row says of the rows under it
    group_consent: bool | None = None
    for row in body:
        if not row or all(not c.text.strip() for c in row):
            continue
        label = _label_row(row)
        if label is not None:
            # "Analytics – set only with your consent" spanning the table: a group, not a cookie.
            group_category = heading_category(label) or category_of(label)
            group_consent = consent_of(label)
            if group_consent is None and group_category == "strictly_necessary":
                group_consent = False  # as for a section headed "Strictly necessary"
            continue
        name_cell = _cell(row, f["name"])
        provider = _cell(row, f.get("provider"))
        purpose = _cell(row, f.get("purpose"))
        duration = _cell(row, f.get("duration"))
        category_cell = _cell(row, f.get("category"))
        party_cell = _cell(row, f.get("party"))
        exemption = _cell(row, f.get("exemption"))
        domain = _cell(row, f.get("domain"))
        if provider:
            providers.append(provider)
        missing = max(0, cols.width - len(row))
        # A cell spanning rows (rowspan) keeps the line of the row it starts on: a row whose
        # first cell comes from above is on its name cell's line.
        line = row[0].line if row else block.line
        if f["name"] < len(row):
            line = max(line, row[f["name"]].line)
        names = split_names(name_cell) if name_cell else []
        if not names:
            if any((provider, purpose, duration)):
                # A row that declares something without naming it: a gap the checks report.
                names = [""]
            else:
                continue
        durations = split_durations(duration) if duration and len(names) > 1 else []
        if len(durations) != len(names):
            durations = []
        # "Type" columns mix category, party and storage ("Third-party", "Local storage").
        party = party_of(party_cell)
        storage = storage_of(category_cell) if category_cell else None
        explicit = (heading_category(category_cell) or category_of(category_cell)) if category_cell else None
        if explicit is None and purpose:
            # "FUNCTIONAL Conserves user consent…": a purpose that opens with its category in capitals.
            lead = re.match(r"([A-ZÉ]{5,})(?=[A-Z][a-z]|\b)", purpose)
            explicit = heading_category(lead.group(1)) if lead else None
        if category_cell and party is None and not explicit:
            party = party_of(category_cell)
        # "Yes (analytics)", "No (strictly necessary)": the consent column names the category.
        paren = re.search(r"\(([^()]{3,60})\)", exemption or "")
        hinted = heading_category(paren.group(1)) if paren else None
        category = explicit or hinted or group_category or section_category or category_of(purpose)
        consent = _consent_cell(exemption, cols.exemption_header) if exemption else None
        if consent is None:
            consent = group_consent
        if party is None and provider:
            m = re.search(r"\((?:[^()]*?)\b(first|third|1st|3rd)[- ]part", provider, re.IGNORECASE)
            party = party_of(m.group(1)) if m else None
        if consent is None:
            consent = section_consent
        basis = exemption if consent is False and exemption else None
        if (
            basis is None
            and consent is False
            and section_heading
            and (
                section_category == "strictly_necessary"
                or re.search(r"necess|exempt|strict|essenti|indispens", fold(section_heading))
            )
        ):
            basis = section_heading
        for k, raw in enumerate(names):
            name, pattern, hint = normalise_name(raw) if raw else ("", False, None)
            dur = durations[k] if durations else duration
            item_storage = (
                storage_hint(hint) or storage or _storage_from_text(duration, purpose) or intro_storage
            )
            if item_storage is None and tracker_table and name and not looks_like_identifier(name):
                # "Firebase crashlytics", "Adjust": a tracker that is an app SDK, not a stored key.
                item_storage = "sdk"
            item_storage = item_storage or "cookie"
            items.append(
                Item(
                    name=name or None,
                    provider=provider,
                    purpose=purpose,
                    category=category,
                    duration=dur,
                    duration_days=parse_duration(dur, cols.duration_unit),
                    party=party,
                    storage=item_storage,
                    exemption_basis=basis,
                    consent=consent,
                    line=line,
                    column=row[f["name"]].column if f["name"] < len(row) else 1,
                    domain=domain,
                    raw_name=raw or None,
                    pattern=pattern,
                    source="table",
                    section=section_heading,
                    missing_cells=missing,
                )
            )
    return items, providers


def _label_row(row: list[Cell]) -> str | None:
    """The text of a row that labels the rows under it rather than declaring a cookie: one cell
    spanning the table (colspan: every cell holds the same text), or a first cell naming a
    category with the others empty ("| **Analytics** | | |")."""
    texts = [c.text.strip() for c in row]
    filled = [t for t in texts if t]
    if len(row) >= 2 and len(filled) == len(texts) and len(set(filled)) == 1 and " " in filled[0]:
        return filled[0]
    if len(row) >= 3 and len(filled) == 1 and texts[0] and heading_category(texts[0]) is not None:
        return texts[0]
    return None


_YES = re.compile(r"^(?:yes|oui|required|requis|obligatoire|needed|necessaire|consent|consentement)\b")
_NO = re.compile(r"^(?:no|non|not (?:required|needed)|none|aucun|pas (?:de|besoin))\b")


def _consent_cell(text: str, header: str) -> bool | None:
    """What a consent/exemption cell says: True = consent needed, False = set without consent."""
    t = fold(text).strip()
    asks_exempt = bool(re.search(r"exempt|exon", header))
    if _YES.match(t):
        return not asks_exempt if "consent" not in t[:12] else True
    if _NO.match(t):
        return asks_exempt
    c = consent_of(text)
    if c is None and re.search(r"strict|necess|essenti|exempt|indispens|dispens", t):
        return False
    return c


_WEB_STORAGE = re.compile(r"local ?storage|sessionstorage|session storage", re.IGNORECASE)


def _storage_from_text(duration: str | None, purpose: str | None) -> str | None:
    for t in (duration, purpose):
        if t and _WEB_STORAGE.search(t):
            return storage_of(t)
    return None
