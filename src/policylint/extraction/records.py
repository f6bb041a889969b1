"""Items declared outside tables: label/value records, list items and prose.

- Records: a table flattened into paragraphs ("Name" / "lscr" / "Description" /
  "…" / "Controller" / "Twitter Inc." …), or bullet lists of "Company: x",
  "Purpose: y" under a bare cookie name.
- Lists: "`_ga` – Google Analytics – 13 months".
- Prose: "a session cookie (name: next-auth.session-token)", "the `wa_lang_pref` cookie".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from policylint.extraction.durations import parse_duration
from policylint.extraction.names import looks_like_identifier, normalise_name
from policylint.extraction.tables import map_columns
from policylint.extraction.vocab import (
    EXEMPT_CATEGORIES,
    category_of,
    consent_of,
    fold,
    has_any,
    heading_category,
    party_of,
    storage_of,
)
from policylint.model import Block, Item


@dataclass(slots=True)
class Section:
    heading: str | None
    category: str | None
    consent: bool | None


@dataclass(slots=True)
class _Record:
    line: int
    values: dict[str, str] = field(default_factory=dict)


_LABEL_MAX = 45


def _label_field(text: str) -> str | None:
    """The field a short label names ("Name", "Web Domain", "Durée"), or None for a value."""
    t = text.strip().rstrip(":").strip()
    if not t or len(t) > _LABEL_MAX or t.endswith(".") or len(t.split()) > 5 or looks_like_identifier(t):
        return None
    if not t[:1].isupper():
        return None
    fields = map_columns([t])
    return next(iter(fields), None)


NAME_LABEL = re.compile(r"^(?:name|nom|cookie|cookie name|nom du cookie|key|cl[ée])$", re.IGNORECASE)


def header_labels(blocks: list[Block]) -> set[str]:
    """Labels of a table flattened into paragraphs: its header is a run of labels with no
    values, starting with a name label ("Name", "Description", "Controller", "Web Domain")."""
    run: list[str] = []
    for b in blocks:
        # The name label test first: it is cheap, and a run starts only with one.
        if b.kind != "table" and (run or NAME_LABEL.match(b.text.strip())) and _label_field(b.text):
            run.append(b.text.strip())
            continue
        if len(run) >= 3:
            return set(run)
        run = []
    return set(run) if len(run) >= 3 else set()


def records_from_paragraphs(blocks: list[Block], sections: list[Section]) -> tuple[list[Item], set[int]]:
    """Items from label/value paragraph runs; also the indices of blocks consumed."""
    labels = header_labels(blocks)
    if not labels:
        return [], set()

    field_of = {t: _label_field(t) for t in labels}

    def label(b: Block) -> str | None:
        return field_of.get(b.text.strip()) if b.kind != "table" else None

    items: list[Item] = []
    used: set[int] = set()
    i, n = 0, len(blocks)
    while i < n - 1:
        if label(blocks[i]) != "name" or label(blocks[i + 1]) is not None:
            i += 1
            continue
        rec = _Record(line=blocks[i + 1].line)
        j = i
        while j < n:
            lab = label(blocks[j])
            if lab is None or (lab == "name" and "name" in rec.values):
                break
            if j + 1 < n and label(blocks[j + 1]) is None and blocks[j + 1].kind not in ("table", "heading"):
                rec.values.setdefault(lab, blocks[j + 1].text)
                if lab == "name":
                    rec.line = blocks[j + 1].line
                j += 2
            else:
                j += 1  # a label with no value: the field was left empty
        if rec.values.get("name"):
            items.extend(_items_from_record(rec, sections[i], "record"))
            used.update(range(i, j))
            i = j
        else:
            i += 1
    return items, used


_KV = re.compile(r"^\s*([A-Za-zÀ-ÿ' /()-]{2,40}?)\s*:\s*(\S.*)$")


def records_from_lists(
    blocks: list[Block], sections: list[Section], skip: set[int]
) -> tuple[list[Item], set[int]]:
    """A bare name list item followed by "Company: …", "Purpose: …" items (one record)."""
    items: list[Item] = []
    used: set[int] = set()
    i, n = 0, len(blocks)
    while i < n:
        b = blocks[i]
        if i in skip or b.kind != "list_item":
            i += 1
            continue
        name, _, _ = normalise_name(b.text)
        if not looks_like_identifier(name.split()[0] if name else ""):
            i += 1
            continue
        rec = _Record(line=b.line, values={"name": b.text})
        j = i + 1
        while j < n and blocks[j].kind == "list_item":
            m = _KV.match(blocks[j].text)
            lab = _label_field(m.group(1)) if m else None
            if not m or lab is None or lab == "name":
                break
            rec.values.setdefault(lab, m.group(2).strip())
            j += 1
        if len(rec.values) >= 3:
            items.extend(_items_from_record(rec, sections[i], "list"))
            used.update(range(i, j))
            i = j
        else:
            i += 1
    return items, used


def _items_from_record(rec: _Record, sec: Section, source: str) -> list[Item]:
    v = rec.values
    raw = v.get("name", "")
    name, pattern, hint = normalise_name(raw)
    cat_cell = v.get("category")
    category = (heading_category(cat_cell) or category_of(cat_cell)) if cat_cell else None
    category = category or sec.category or category_of(v.get("purpose"))
    consent = consent_of(v.get("exemption")) if v.get("exemption") else sec.consent
    return [
        Item(
            name=name or None,
            provider=v.get("provider"),
            purpose=v.get("purpose"),
            category=category,
            duration=v.get("duration"),
            duration_days=parse_duration(v.get("duration")),
            party=party_of(v.get("party")) or (party_of(cat_cell) if cat_cell else None),
            storage=storage_of(hint) or storage_of(cat_cell) or "cookie",
            exemption_basis=v.get("exemption") if consent is False else None,
            consent=consent,
            line=rec.line,
            domain=v.get("domain"),
            raw_name=raw,
            pattern=pattern,
            source=source,  # type: ignore[arg-type]
            section=sec.heading,
        )
    ]


# "`_ga` – Google Analytics – 13 months", "_ga: used to distinguish users (2 years)"
_LIST_BARE = re.compile(r"^([A-Za-z0-9_][A-Za-z0-9_.\-*]{1,60})\s*(?::|[–—]|\s-\s)\s*\S")
# "`_ga` – Google Analytics – 2 years": a part of a list item that is only a lifetime.
# ("(?<!\s)": a separator starts at the first space of a run, so a run of spaces stays linear.)
_LIST_PART = re.compile(r"\s[–—|-]\s|(?<!\s)\s*[;,]\s*|(?<!\s)\s*:\s+")
_LIST_ITEM = re.compile(r"^`([^`]{1,80})`\s*(?:[-–—:,(]|\bis\b|\bstores\b|\bremembers\b|\bkeeps\b)?\s*(.*)$")
# "cookie (name: x)", "named `x`", "called x", "nommé « x »"
_PROSE_NAME = re.compile(
    r"\((?:cookie |storage )?(?:name|nom|key|cl[ée])\s*:\s*`?([^()`\s,;]{2,80})`?\s*\)|"
    r"\b(?:named|called|nomm[ée]e?|appel[ée]e?|intitul[ée]e?)\s+[`«\"“']\s?([^`»\"”'\s]{2,80})\s?[`»\"”']"
)
_CODE_SPAN = re.compile(r"`([^`\s]{2,80})`")
# A name written bare in a sentence that calls it a cookie or key: one identifier or a list of
# them right before the word ("we use the wa_lang_pref cookie", "The _ga and _gid cookies") or,
# in French, right after it ("le cookie _ga", "les traceurs _ga et _gid").
_BARE = r"[A-Za-z0-9_][A-Za-z0-9_.\-*]{2,60}"
# "(?<!\s)": a separator starts at the first space of a run (linear on a run of spaces).
_BARE_SEP = r"(?<!\s)\s*,\s*(?:(?:and|or|et|ou)\s+)?|(?<!\s)\s+(?:and|or|et|ou)\s+"
_BARE_LIST = rf"{_BARE}(?:(?:{_BARE_SEP}){_BARE}){{0,8}}"
# (The article spelled in its two cases, not with (?i:...): that flag made the scan twice as slow.)
_BARE_NAME = re.compile(
    rf"\b(?:the|The|a|A|our|Our|its|Its|le|Le|la|La|du|Du|un|Un)\s+[‘'\"“]?({_BARE_LIST})[’'\"”]?\s+"
    r"(?:cookies?|local ?storage keys?|storage keys?|keys?|traceurs?|t[ée]moins?)\b"
)
# French order, found from the word (the scan skips ahead to a "c" or "t"); the article before it
# is tested on the few matches (_FR_ARTICLE).
_BARE_NAME_FR = re.compile(
    r"(?:cookies?|traceurs?|t[ée]moins?|cl[ée]s?)\s+(?:[«\"'‘“]\s?)?"
    rf"({_BARE_LIST})(?:\s?[»\"'’”])?(?![A-Za-z0-9_*]|[.\-][A-Za-z0-9_])"
)
# The article before the word: French ("le cookie _ga") or English ("the cookies _gcl_au and
# _gid are set by Google").
_FR_ARTICLE = re.compile(r"(?<!\w)(?:les?|la|une?|du|des|the|our)\s+$", re.IGNORECASE)
# "a cookie called _hjid", "un cookie nommé _ga": after the verb, a bare identifier (kept only
# when it looks like one: _bare_names' tests), when the thing called is a cookie or key.
_CALLED_WORDS = ("named", "called", "nomm", "appel")  # every _CALLED_BARE match holds one
_CALLED_BARE = re.compile(
    r"\b(?:cookies?|keys?|traceurs?|t[ée]moins?|cl[ée]s?)\s+(?:\w+\s+)?(?:named|called|nomm[ée]e?|appel[ée]e?)\s+"
    r"([A-Za-z0-9_][A-Za-z0-9_.\-*]{2,60})"
)
_BARE_SPLIT = re.compile(_BARE_SEP)
# Literals that every match of _PROSE_NAME / _BARE_NAME contains (case-sensitive, like the
# patterns; keep them in step): most paragraphs name no item, and the tests are cheaper than
# the scans.
_PROSE_NAME_WORDS = ("(", "named", "called", "nomm", "appel", "intitul")
_BARE_NAME_WORDS = ("cookie", "key", "traceur", "moin", "clé", "cle")  # "moin": témoin / temoin
_NAME_MARK = re.compile(r"[_\d.]|[a-z][A-Z]")
# What a bare word with a mark can be without being a name: "_important_" / "__bold__"
# (emphasis in plain text), "3rd-party", "e.g", a domain. (search(), not fullmatch() with
# ".*": anchored this way the pattern stays linear on any text.)
_NOT_BARE_NAME = re.compile(
    r"^(?:(_+)[A-Za-z]+\1$|\d+(?:st|nd|rd|th)-|(?:[A-Za-z]\.){1,3}[A-Za-z]?$|www\.|https?:)"
    r"|\.(?:com|net|org|io|fr|eu|de|uk)$"
)


def _is_bare_name(cand: str) -> bool:
    if not looks_like_identifier(cand) or not any(c.isalpha() for c in cand) or _NOT_BARE_NAME.search(cand):
        return False
    if _NAME_MARK.search(cand) is not None:
        return True
    # A plain word is a name only when it is a known cookie's exact name in capitals ("the NID
    # and IDE cookies"): "the session cookie" names a kind, not a cookie.
    return cand.isupper() and len(cand) >= 3 and _known_exact(cand)


def _known_exact(name: str) -> bool:
    from policylint.catalog import load_cookie_catalog

    try:
        entry = load_cookie_catalog().lookup(name)
    except (ImportError, OSError):
        return False
    return entry is not None and entry.pattern == name


def _bare_names(text: str) -> list[str]:
    """Identifiers a sentence calls cookies or keys without quoting them (``_BARE_NAME``)."""
    out = []
    lists = [(m.start(), m.end(), m.group(1)) for m in _BARE_NAME.finditer(text)]
    if has_any(text, _CALLED_WORDS):
        lists += [(m.start(), m.end(), m.group(1)) for m in _CALLED_BARE.finditer(text)]
    for m in _BARE_NAME_FR.finditer(text):
        if _FR_ARTICLE.search(text, max(0, m.start() - 12), m.start()):
            lists.append((m.start(), m.end(), m.group(1)))
    end = -1
    for start, stop, found in sorted(lists):
        names = [c for c in (c.rstrip(".") for c in _BARE_SPLIT.split(found)) if _is_bare_name(c)]
        if not names or start < end:
            continue  # names nothing ("le cookie nommé …" read as "cookie nomm"), or overlaps a list
        end = stop
        out.extend(names)
    return out


_STORAGE_WORD = re.compile(
    r"cookie|local ?storage|session ?storage|stockage|traceur|pixel|témoin|temoin|key\b|clé", re.IGNORECASE
)
_DURATION_IN = re.compile(
    r"(?:expires?|lasts?|kept|retained|stored|valid|dur[ée]e?|conserv[ée]e?|for|pendant|after|apr[eè]s)\s+(?:for\s+|up to\s+|de\s+|jusqu'à\s+)?"
    r"((?:\d+|one|two|six|twelve|thirteen|un|une|deux|six|douze|treize)\s*(?:\(\d+\)\s*)?(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|jours?|semaines?|mois|ans?|heures?))"
    r"|(when you close your browser|end of (?:your |the )?session|at the end of the session|(?:à la )?fin de (?:la |votre )?session|fermeture du navigateur)",
    re.IGNORECASE,
)


def items_from_text(block: Block, sec: Section, vendor_of: Callable[[], str | None]) -> list[Item]:
    """Items named in a list item or a prose paragraph; ``vendor_of()`` is the one vendor the
    block names, if it names one."""
    text = block.text
    out: list[Item] = []
    names: list[str] = []
    if block.kind == "list_item":
        m = _LIST_ITEM.match(text)
        if m:
            names.append(m.group(1))
        else:
            # "- ldp_session : conserve votre session" (a bare name that looks like one)
            m = _LIST_BARE.match(text)
            if m and _is_bare_name(m.group(1)):
                names.append(m.group(1))
    if has_any(text, _PROSE_NAME_WORDS):
        for m in _PROSE_NAME.finditer(text):
            names.append(m.group(1) or m.group(2))
    # Names the text marks as names ("named `x`", a list item) make its code spans mere mentions;
    # bare names do not ("the _ga cookie and `wa_theme`" names both).
    marked = bool(names)
    if has_any(text, _BARE_NAME_WORDS):
        names.extend(_bare_names(text))
    if not marked and "`" in text and _STORAGE_WORD.search(text):
        # Code spans in a sentence about cookies/storage name items ("the `wa_lang_pref` cookie").
        for m in _CODE_SPAN.finditer(text):
            cand = m.group(1)
            if looks_like_identifier(cand) and not re.match(r"https?:|www\.|/", cand) and "@" not in cand:
                names.append(cand)
    seen: set[str] = set()
    kept: list[tuple[str, str, bool, str | None]] = []  # (raw, name, pattern, hint)
    for raw in names:
        name, pattern, hint = normalise_name(raw)
        if not name or name in seen or not looks_like_identifier(name) and not pattern:
            continue
        if sum(ch.isalnum() for ch in name) < 2:
            continue
        seen.add(name)
        kept.append((raw, name, pattern, hint))
    if has_any(fold(text), _DENIAL_WORDS):
        kept = [k for k in kept if not _denied(text, k[0])]
    if not kept:
        return out
    facts_of = _facts_by_sentence(text, [k[0] for k in kept], sec, vendor_of)
    for raw, name, pattern, hint in kept:
        facts, own_text = facts_of(raw)
        duration = facts["duration"]
        if duration is None and block.kind == "list_item":
            duration = _list_duration(text)
        out.append(
            Item(
                name=name,
                provider=facts["provider"],
                purpose=_purpose_from(own_text, raw),
                category=facts["category"],
                duration=duration,
                duration_days=parse_duration(duration),
                party=facts["party"],
                storage=storage_of(hint) or facts["storage"],
                consent=facts["consent"],
                line=block.line,
                domain=None,
                raw_name=raw,
                pattern=pattern,
                source="list" if block.kind == "list_item" else "prose",
                section=sec.heading,
            )
        )
    for it in out:
        if it.consent is False and it.exemption_basis is None and sec.category == "strictly_necessary":
            it.exemption_basis = sec.heading or "strictly necessary"
    return out


def _list_duration(text: str) -> str | None:
    """The part of a list item that is only a lifetime ("`_ga` – Google Analytics – 2 years")."""
    for part in _LIST_PART.split(text):
        part = part.strip(" .`")
        if 0 < len(part) <= 30 and any(c.isdigit() for c in part) and parse_duration(part) is not None:
            return part
    return None


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _facts_by_sentence(
    text: str, raws: list[str], sec: Section, vendor_of: Callable[..., str | None]
) -> Callable[[str], tuple[dict, str]]:
    """For each raw name: the facts that apply to it, and the text they were read from.

    A paragraph that names one item, or says everything in one sentence, speaks of all its
    items at once ("`_ga` and `_gid` are set by Google Analytics and last 13 months"). One that
    gives each item its own sentence ("The _ga cookie is set by Google Analytics and lasts 2
    years. The _fbp cookie is set by Meta … 3 months.", or "A and B are necessary. C and D need
    your consent.") speaks of each in turn: an item takes what its own sentences say, and the
    rest from the sentences that name no item.
    """
    sentences = _SENTENCE_END.split(text) if len(raws) > 1 else [text]
    owners = [[r for r in raws if _names(s, r)] for s in sentences]
    # Per sentence when the sentences that name items name different ones ("A and B are
    # necessary. C and D need your consent."); one sentence naming them all speaks of all.
    if len(raws) < 2 or len({tuple(o) for o in owners if o}) < 2:
        block: dict | None = None

        def whole(raw: str) -> tuple[dict, str]:
            nonlocal block
            if block is None:
                block = _block_facts(text, sec, vendor_of)
            return block, text

        return whole
    shared_text = " ".join(s for s, o in zip(sentences, owners, strict=True) if not o)
    shared = _raw_facts(shared_text, lambda: vendor_of(shared_text) if shared_text else None)

    def own(raw: str) -> tuple[dict, str]:
        own_text = " ".join(s for s, o in zip(sentences, owners, strict=True) if raw in o)
        mine = _raw_facts(own_text, lambda: vendor_of(own_text))
        merged = {k: mine[k] if mine[k] is not None else shared[k] for k in mine}
        return _with_section(merged, sec), own_text

    return own


# A sentence that says an item is not, or no longer, used ("We do not use the _gcl_au cookie.",
# "Nous avons supprimé le cookie _fbp."): the name is a mention, not a declaration. Read on
# folded text. A purpose after the name ("we do not use _ga for advertising") keeps the item.
_DENIAL = re.compile(  # before the name: "we do not use the _gcl_au cookie"
    r"\b(?:do not|don't|does not|doesn't|did not|never|no longer|not|cannot)\s+(?:\w+\s+)?"
    r"(?:use|set|place|deposit|install|drop)\b"
    r"|\b(?:have |has )?(?:removed|deleted|stopped using|discontinued|retired)\b"
    r"|\bn'(?:utilis|install|emploi)\w*\s+(?:pas|plus|jamais)\b"
    r"|\bne\s+(?:\w+\s+)?(?:utilis|depos|plac|install|emploi)\w*\s+(?:pas|plus|jamais)\b"
    r"|\b(?:supprime|retire)e?s?\b"
)
_DENIAL_AFTER = re.compile(  # after it: "the _ga cookie is no longer used"
    r"\b(?:is|are|was|were|has been|have been)\s+(?:not|no longer|never)\s+(?:\w+\s+)?"
    r"(?:used|set|placed|deposited|installed)\b"
    r"|\bn'(?:est|sont)\s+(?:pas|plus|jamais)\s+(?:utilis|depos|plac|install)\w*"
    r"|\ba ete (?:supprime|retire)\w*"
)
_DENIAL_WORDS = (
    "not",
    "n't",
    "never",
    "no longer",
    "removed",
    "deleted",
    "stopped",
    "discontinued",
    "retired",
    "n'",
    "ne ",
    "supprim",
    "retir",
)
# What keeps the item after a denial: a purpose or a condition ("we do not use _ga for
# advertising", "_fbp is not set until you accept it").
_QUALIFIED = re.compile(
    r"\b(?:for|to|except|unless|without|until|before|pour|afin|sauf|hormis|jusqu|avant|tant|sans)\b"
)


def _denied(text: str, raw: str) -> bool:
    """Whether every sentence naming ``raw`` says it is not (or no longer) used."""
    naming = [s for s in _SENTENCE_END.split(text) if _names(s, raw)]
    if not naming:
        return False
    key = fold(raw)
    for sentence in naming:
        low = fold(sentence)
        at = low.find(key)
        if at < 0:
            return False
        after_name = at + len(key)
        # The denial governs the name only right before it ("we do not use the _gcl_au
        # cookie"), not anywhere in a long sentence ("backticks are removed, so `_ga` …").
        before = next((m for m in _DENIAL.finditer(low, max(0, at - 60), at) if at - m.end() <= 30), None)
        if before is not None:
            rest = low[after_name:]
        else:
            after = _DENIAL_AFTER.search(low, after_name)
            if after is None:
                return False
            rest = low[after.end() :]
        if _QUALIFIED.search(rest):
            return False  # used, for something else or under a condition
    return True


def _names(sentence: str, raw: str) -> bool:
    """Whether ``sentence`` names ``raw`` as a whole word (`_ga` is not in "the _gat cookie")."""
    i = sentence.find(raw)
    while i != -1:
        j = i + len(raw)
        before = sentence[i - 1] if i else " "
        after = sentence[j] if j < len(sentence) else " "
        if not (before.isalnum() or before in "_-") and not (after.isalnum() or after in "_-"):
            return True
        i = sentence.find(raw, i + 1)
    return False


def _raw_facts(text: str, vendor_of: Callable[[], str | None]) -> dict:
    """What ``text`` itself says (None for what it does not say)."""
    if not text:
        return dict.fromkeys(("duration", "storage", "provider", "party", "category", "consent"))
    dm = _DURATION_IN.search(text)
    low = fold(text)
    sm = _SET_BY.search(text)
    party = _PARTY_WORD.search(text)
    return {
        "duration": (dm.group(1) or dm.group(2)) if dm else None,
        "storage": _storage_in(low),
        "provider": vendor_of() or (sm.group(1).strip().rstrip(".,;:") if sm else None),
        "party": party_of(party.group(0)) if party else None,
        "category": category_of(text),
        "consent": consent_of(text),
    }


def _with_section(facts: dict, sec: Section) -> dict:
    category = sec.category or facts["category"]
    if facts["consent"] is True and sec.category in EXEMPT_CATEGORIES:
        # "A and B are strictly necessary. C and D are set only with your consent.": the
        # section's first sentence made it "strictly necessary", which C and D are not.
        category = facts["category"]
    return {
        **facts,
        "storage": facts["storage"] or "cookie",
        "category": category,
        "consent": facts["consent"] if facts["consent"] is not None else sec.consent,
    }


def _storage_in(low: str) -> str | None:
    if re.search(r"local ?storage|stockage local", low) and "cookie" not in low:
        return "local_storage"
    if "session storage" in low or "sessionstorage" in low:
        return "session_storage"
    if re.search(r"\bpixel", low) and "cookie" not in low:
        return "pixel"
    return "cookie" if "cookie" in low else None


def _block_facts(text: str, sec: Section, vendor_of: Callable[[], str | None]) -> dict:
    """Provider, duration, storage, party, category and consent a paragraph states for every
    item it names (the section's where it says nothing)."""
    return _with_section(_raw_facts(text, vendor_of), sec)


_SET_BY = re.compile(
    r"\b(?:set|placed|served|issued|provided|d[ée]pos[ée]e?s?|[ée]mis)\s+(?:by|par)\s+((?:[A-Z][\w&'’.-]*)(?:\s+[A-Z][\w&'’.-]*){0,3})"
)
_PARTY_WORD = re.compile(
    r"\b(?:first|third|1st|3rd)[- ]party\b|\bde (?:premi[èe]re|tierce) partie\b|\bcookies? tiers?\b",
    re.IGNORECASE,
)


def _purpose_from(text: str, raw: str) -> str | None:
    t = text.replace(f"`{raw}`", raw).strip()
    return t if len(t) > len(raw) + 8 else None
