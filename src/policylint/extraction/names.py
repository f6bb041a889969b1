"""Cookie names as written → the names the inventory uses.

Policies write names in backticks, with Markdown escapes, as regexes
(``^_ga$``, ``^_vwo_uuid.*``), with placeholders for the variable part
(``_ga_<container-id>``, ``_ga_xxxxxxxxxx``) and several to a cell. Each
becomes one name; a variable part becomes ``*`` and marks the name a pattern.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote

from policylint.extraction.vocab import storage_of

_ESC = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_QUOTES = "`\"'“”‘’«»"
# "_ga_<container-id>", "_ga_{ID}", "_ga_[ID]", "_hjSession_XXXXXX", "intercom-id-[app_id]"
_VAR_PART = re.compile(
    r"<[^<>\s]{1,40}>|\{[^{}\s]{1,40}\}|\[[A-Za-z_ -]{1,30}\]|(?<=[_\-.])(?:x{4,}|X{4,})(?=$|[_\-.])"
)
# "(?<!\s)" before leading spaces (here and in _SPLIT): a match starts at the first space
# of a run, not at each of them (a cell of 50,000 spaces was quadratic).
_PAREN = re.compile(r"(?<!\s)\s*\(([^()]{0,80})\)\s*$")
_IDENT = re.compile(r"^[A-Za-z0-9_.\-*:$%@#|/~+=]{1,120}$")
# Compiled once: looks_like_identifier runs on every candidate name, and re.search(str, ...)
# pays a cache lookup per call.
_IDENT_MARK = re.compile(r"[_\-.*:$]|\d")
_CAMEL = re.compile(r"[a-z][A-Z]")


def looks_like_identifier(s: str) -> bool:
    """A token that reads as a cookie/storage key rather than a word of prose."""
    if not _IDENT.match(s):
        return False
    if _IDENT_MARK.search(s):
        return True
    return bool(_CAMEL.search(s)) or (s.isupper() and len(s) >= 2)


# Cached: tables repeat the same values ("13 months", "_ga") in every policy.
@lru_cache(maxsize=4096)
def normalise_name(raw: str) -> tuple[str, bool, str | None]:
    """(name, is_pattern, hint) for one written name; hint is a parenthesised note such as "localStorage"."""
    s = _ESC.sub(r"\1", raw.strip())
    s = s.replace("**", "").strip()
    hint = None
    m = _PAREN.search(s)
    if m and m.start() > 0:
        hint = m.group(1).strip()
        s = s[: m.start()].strip()
    s = s.strip(_QUOTES).strip().rstrip(":;,").strip(_QUOTES).strip()
    pattern = False
    if "%" in s:
        s = unquote(s)
    # "^_ga$", "^_vwo_uuid.*" are regexes; a bare "_pk_id.*" is a glob written by a person.
    if s.startswith("^") or s.endswith("$"):
        s = s.lstrip("^").rstrip("$")
        s = re.sub(r"\.[*+]", "*", s)
        s = s.replace("\\.", ".")
        pattern = "*" in s
    new = _VAR_PART.sub("*", s)
    if new != s:
        pattern = True
        s = re.sub(r"\*+", "*", new)
    # "_dc_gtm_UA-", "_gat_": the variable part (a property ID) was left off.
    if len(s) > 3 and s[-1] in "-_" and s[-2].isalnum() and looks_like_identifier(s):
        s += "*"
    if "*" in s:
        pattern = True
    # "utag_main 3": a catalogue's row counter glued to the name, not part of it.
    m = re.fullmatch(r"(\S+)\s+\d{1,2}", s)
    if m and looks_like_identifier(m.group(1)):
        s = m.group(1)
    return s, pattern, hint


_SPLIT = re.compile(r"(?:(?<!\s)\s+)?(?:\n|,|;| / | \| | or | ou | and | et )\s*")


def split_names(cell: str) -> list[str]:
    """Several names in one cell → each name. Words that are one name stay one ("Firebase crashlytics")."""
    text = cell.strip()
    if not text:
        return []
    pieces = [p for p in _SPLIT.split(text) if p and p.strip(" .")]
    if len(pieces) <= 1:
        return [text]
    clean = [normalise_name(p)[0] for p in pieces]
    single = [" " not in c.strip() for c in clean]
    ident = [looks_like_identifier(c) for c in clean]
    listed = bool(re.search(r"[,;]", text)) or any(ident)
    if listed:
        # A list of names: every one-token piece is a name ("acct, csouser, prov" are real cookies).
        keep = [p for p, one in zip(pieces, single, strict=True) if one]
        return keep or [" ".join(text.split())]
    # Plain words over several lines are one name ("Firebase\ncrashlytics").
    return [" ".join(text.split())]


def storage_hint(hint: str | None) -> str | None:
    return storage_of(hint) if hint else None
