"""Durations as policies write them ("13 mois", "2 years", "Session", "395 Days, A few seconds") → days."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_UNITS: dict[str, float] = {
    "second": 1 / 86400,
    "seconde": 1 / 86400,
    "sec": 1 / 86400,
    "s": 1 / 86400,
    "minute": 1 / 1440,
    "min": 1 / 1440,
    "mn": 1 / 1440,
    "hour": 1 / 24,
    "heure": 1 / 24,
    "hr": 1 / 24,
    "h": 1 / 24,
    "day": 1,
    "jour": 1,
    "j": 1,
    "d": 1,
    "week": 7,
    "semaine": 7,
    "wk": 7,
    "month": 30.42,
    "mois": 30.42,
    "mo": 30.42,
    "mth": 30.42,
    "year": 365,
    "an": 365,
    "annee": 365,
    "yr": 365,
    "y": 365,
}
_WORDS = {
    "one": 1,
    "a": 1,
    "an": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "eighteen": 18,
    "twenty": 20,
    "thirty": 30,
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "douze": 12,
    "treize": 13,
    "few": 3,
    "several": 3,
    "quelques": 3,
}
# "(?<!\d)": a number starts at its first digit; else a run of 50,000 digits is tried
# from each of them, matching to its end every time (quadratic).
_NUM = r"((?<!\d)\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|eighteen|twenty|thirty|un|une|deux|trois|quatre|cinq|sept|huit|neuf|dix|douze|treize|a|an|few|several|quelques)"
_UNIT = r"(seconds?|secondes?|secs?|minutes?|mins?|mn|hours?|heures?|hrs?|days?|jours?|weeks?|semaines?|months?|mois|years?|ans?|annees?|yrs?|[hdjy])"
_QTY = re.compile(_NUM + r"\s*(?:\(\d+\)\s*)?" + _UNIT + r"\b")
_JOIN = re.compile(r"\s*(?:,|and|et)?\s*")
_SESSION = re.compile(
    r"\bsession\b|end of (?:the )?(?:browsing )?session|fin de (?:la )?session|close (?:your|the) (?:browser|tab|window)|fermeture (?:du navigateur|de l'onglet)|quit (?:your|the) browser|temps de (?:la|votre) session"
)
VAGUE = re.compile(
    r"^(?:undefined|unknown|n/?a|none|persistent|persistant|permanent|varies|variable|various|infini|infinite|ind[ée]termin[ée]e?|illimit[ée]e?|-|—|\?|\*|tbd|tbc|see (?:above|below)|localstorage\*?|non d[ée]fini|not set|until deleted)\s*\*?$"
)


def _fold(text: str) -> str:
    s = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in s if not unicodedata.combining(c)).replace("\u00a0", " ")


# Cached: tables repeat the same values ("13 months", "_ga") in every policy.
@lru_cache(maxsize=4096)
def parse_duration(text: str | None, default_unit: str | None = None) -> float | None:
    """Days for a duration text; 0 for session; None when it cannot be told.

    A bare number takes ``default_unit`` (from a header like "Durée de vie (jours)").
    A text giving several durations ("13 mois ou 25 mois") returns the longest:
    for the checks and the diff the upper bound is what matters.
    """
    if not text:
        return None
    s = _fold(text).strip()
    if not s or len(s) > 400:
        s = s[:400]
    best: float | None = None
    run = 0.0  # "1 year and 1 month": parts of one lifetime, added up
    last_end, last_unit = -1, None
    for m in _QTY.finditer(s):
        num, unit = m.group(1), m.group(2)
        if num.isalpha() and len(unit) == 1:
            continue  # "and" is not "an d" (one day), "ay" not "a y"
        n = _WORDS.get(num)
        if n is None:
            try:
                n = float(num.replace(",", "."))
            except ValueError:
                continue
        u = unit.rstrip("s") if unit not in ("s", "mois", "ans") else unit
        if u == "an" or unit == "ans":
            u = "an"
        size = _UNITS.get(u, _UNITS.get(unit, 0))
        days = n * size
        if not days:
            continue
        # A smaller unit right after a larger one, joined by "and", "et", a comma or a space,
        # continues the same lifetime; anything else ("13 mois ou 25 mois") is another one,
        # and the longest wins (for the checks and the diff the upper bound is what matters).
        if last_unit is not None and size < last_unit and _JOIN.fullmatch(s, last_end, m.start()):
            run += days
        else:
            run = days
        last_end, last_unit = m.end(), size
        if best is None or run > best:
            best = run
    if best is not None:
        return round(best, 4)
    if _SESSION.search(s):
        return 0.0
    if re.fullmatch(r"<\s*1|0", s) and default_unit:
        return round(0.5 * _UNITS.get(default_unit, 1), 4)
    m = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*\*?", s)
    if m and default_unit:
        return round(float(m.group(1).replace(",", ".")) * _UNITS[default_unit], 4)
    return None


def header_unit(header: str) -> str | None:
    """The unit a column header gives its bare numbers: "Durée de vie (jours)" → "jour"."""
    h = _fold(header)
    m = re.search(
        r"\(\s*(jours?|days?|mois|months?|ans|years?|heures?|hours?)\s*\)|\bin (days|months|years)\b", h
    )
    if not m:
        return None
    word = (m.group(1) or m.group(2)).rstrip("s")
    return {
        "jour": "jour",
        "day": "day",
        "moi": "mois",
        "mois": "mois",
        "month": "month",
        "an": "an",
        "year": "year",
        "heure": "heure",
        "hour": "hour",
    }.get(word)


def is_vague(text: str | None) -> bool:
    return bool(text) and bool(VAGUE.match(_fold(text).strip()))


def split_durations(text: str) -> list[str]:
    """ "395 Days, 364 Days, A few seconds" → three durations (zipped with a cell of names)."""
    # Split on the separators alone ("\s*[,;\n]\s*" was quadratic on a cell padded with
    # thousands of spaces); strip() trims what the \s* took.
    parts = [p.strip() for p in re.split(r"[,;\n]", text) if p.strip()]
    return parts
