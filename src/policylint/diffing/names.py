"""Keys that decide when two things in two versions are "the same".

Items are matched by a normalised name (case, ``-``/``_``, wildcards and
regex anchors do not count); companies by a normalised name with legal forms
dropped and well-known renames folded (Facebook → Meta). All regexes here are
linear: bounded repetitions, no nested unbounded quantifiers.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

from policylint.extraction.vocab import fold

_ESCAPE = re.compile(r"\\(.)")
_ANCHORS = re.compile(r"^\^|\$$")
# Variable parts of a name: regex wildcards, <id>, {id}, [id], xxxx placeholders.
_VARIABLE = re.compile(
    r"\.[*+]|\(\.[*+]\)|<[^<>]{0,40}>|\{[^{}]{0,40}\}|\[[^\[\]]{0,40}\]"
    r"|(?:(?<=[_.:])|^)(?:x{3,}|X{3,})(?=$|[_.:])"
)
_STARS = re.compile(r"\*+")
_SPACES = re.compile(r"\s+")


def item_key(name: str | None) -> str:
    """The key two versions of one item share: ``Dark-Theme``, ``dark_theme`` and ``^dark_theme$`` agree."""
    if not name:
        return ""
    s = _ESCAPE.sub(r"\1", name.strip().strip("`\"'“”‘’«» "))
    s = _ANCHORS.sub("", s)
    s = s.replace("-", "_")
    s = _VARIABLE.sub("*", s)
    s = _STARS.sub("*", s)
    s = s.replace("_*", "*")
    s = _SPACES.sub(" ", s).strip()
    return s.casefold()


# Legal forms and filler words that do not distinguish one company from another.
_LEGAL = {
    "inc",
    "incorporated",
    "llc",
    "ltd",
    "limited",
    "sas",
    "sasu",
    "sa",
    "sarl",
    "gmbh",
    "ag",
    "bv",
    "nv",
    "plc",
    "corp",
    "corporation",
    "co",
    "company",
    "lp",
    "llp",
    "pvt",
    "pte",
    "pty",
    "srl",
    "spa",
    "ab",
    "oy",
    "as",
    "aps",
    "kg",
    "se",
    "the",
    "group",
    "groupe",
    "holdings",
    "holding",
    "international",
    "ireland",
    "europe",
    "uk",
    "usa",
    "us",
    "france",
    "emea",
    "technologies",
    "technology",
    "software",
    "private",
}
_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+){0,6}")


@cache
def _aliases() -> dict[str, str]:
    data = resources.files("policylint.diffing").joinpath("aliases.toml").read_text(encoding="utf-8")
    table = tomllib.loads(data).get("companies", {})
    out: dict[str, str] = {}
    for canonical, names in table.items():
        out[company_words(canonical)] = canonical
        for n in names:
            out[company_words(n)] = canonical
    return out


def company_words(name: str) -> str:
    """A company name reduced to its distinctive words: ``"Meta Platforms, Inc."`` → ``"meta platforms"``."""
    words = [w.replace(".", "").replace("'", "") for w in _WORD.findall(fold(name)[:300])]
    kept = [w for w in words if w and w not in _LEGAL]
    return " ".join(kept or words)


def company_key(name: str | None) -> str:
    """One key per company: legal forms dropped, known renames folded (Facebook → meta)."""
    if not name:
        return ""
    words = company_words(name)
    aliases = _aliases()
    if words in aliases:
        return aliases[words]
    first = words.split(" ", 1)[0] if words else ""
    return aliases.get(first, words)


# Separators only: a leading/trailing "\s*" here would make splitting a long run of spaces quadratic.
_PARTS = re.compile(r"/|&|\+|,|;|\band\b|\bet\b|\(|\)")


def company_keys(name: str | None) -> set[str]:
    """Keys of every company a name covers: ``"Google/DoubleClick"`` → ``{"google"}``."""
    if not name:
        return set()
    keys = {company_key(p.strip()) for p in _PARTS.split(name[:300]) if p and p.strip()}
    keys.discard("")
    whole = company_key(name)
    if whole:
        keys.add(whole)
    return keys


def same_company(a: str | None, b: str | None) -> bool:
    ka, kb = company_keys(a), company_keys(b)
    return bool(ka & kb)


def text_key(text: str | None) -> str:
    """Text compared for meaning-free differences: case, spacing and trailing punctuation ignored."""
    if not text:
        return ""
    return _SPACES.sub(" ", fold(text)).strip(" .;:,")
