"""The known-cookie catalog and the vendor list, loaded from ``data/*.tsv``.

Both files are plain tab-separated text so that they can be reviewed and
extended without touching code; the loader is stdlib-only and small because
the checks load it on every run.

``cookies.tsv`` columns: ``pattern vendor category lifetime_days storage note``.
A pattern is an exact cookie/storage name or a glob where ``*`` stands for one
or more characters (``_ga_*``, ``mp_*_mixpanel``).

``vendors.tsv`` columns: ``name aliases category domains case_sensitive``.
``aliases`` and ``domains`` are ``|``-separated. ``category`` is one of
:data:`policylint.model.CATEGORIES` or, for vendors that are not trackers,
``infrastructure``, ``payment``, ``support`` or ``platform`` (software the site
runs itself, e.g. PHP or WordPress: its cookies are first-party).
``case_sensitive`` marks vendors whose names are ordinary words ("Segment",
"Branch", "Drift"): their names and aliases only match with the exact case.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from policylint.model import CATEGORIES

DATA_DIR = Path(__file__).parent / "data"
COOKIES_PATH = DATA_DIR / "cookies.tsv"
VENDORS_PATH = DATA_DIR / "vendors.tsv"

# Vendor categories: the item vocabulary plus labels for vendors that are not trackers.
VENDOR_CATEGORIES = (*CATEGORIES, "infrastructure", "payment", "support", "platform")
STORAGES = ("cookie", "local_storage", "session_storage", "pixel")

_COOKIE_COLUMNS = ("pattern", "vendor", "category", "lifetime_days", "storage", "note")
_VENDOR_COLUMNS = ("name", "aliases", "category", "domains", "case_sensitive")

# Names longer than this are not real cookie names; capping keeps the glob regex
# (``.+`` between literals) cheap on hostile input.
_MAX_NAME = 256
# Globs are bucketed by this many leading literal characters (see CookieCatalog).
_PREFIX = 3


@dataclass(frozen=True, slots=True)
class CookieEntry:
    pattern: str
    vendor: str
    category: str
    lifetime_days: float | None  # 0 = session; None = unknown or variable
    storage: str
    note: str

    @property
    def is_glob(self) -> bool:
        return "*" in self.pattern


@dataclass(frozen=True, slots=True)
class Vendor:
    name: str
    aliases: tuple[str, ...]
    category: str
    domains: tuple[str, ...]
    case_sensitive: bool


# --------------------------------------------------------------------------- TSV


def _read_tsv(path: Path, columns: tuple[str, ...]) -> list[tuple[int, list[str]]]:
    """Rows of a TSV file as (line number, cells); blank lines and ``#`` comments skipped.

    Fails loudly on a bad header or a wrong cell count: a silently shifted column
    would mislabel every cookie after it.
    """
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if not lines or tuple(c.strip() for c in lines[0].split("\t")) != columns:
        raise ValueError(f"{path}: header must be {' / '.join(columns)}")
    rows: list[tuple[int, list[str]]] = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) != len(columns):
            raise ValueError(f"{path}:{number}: expected {len(columns)} columns, got {len(cells)}")
        rows.append((number, cells))
    return rows


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())


# ------------------------------------------------------------------ name forms

# A declared name that is really a regex: anchors, escapes, classes, groups, ``.+``.
_REGEX_HINT = re.compile(r"^\^|\$$|\\|\[|\(|\.\+|\{\d")
# Regex wildcards: an unescaped ``.``, a ``\d``-style class or a ``[...]`` class,
# with a quantifier. The lookbehind keeps ``\.`` (a literal dot) intact.
_REGEX_WILDCARD = re.compile(
    r"(?:(?<!\\)\.|\\[dDwWsS]|\[[^\]]*\])(?:[*+?]|\{\d*(?:,\d*)?\})|\\[dDwWsS]|\[[^\]]*\]"
)
_REGEX_ESCAPE = re.compile(r"\\(.)")
# Placeholders people write for the variable part of a name.
_PLACEHOLDER = re.compile(
    r"<[^<>]*>"  # _ga_<container-id>
    r"|\{[^{}]*\}"  # _hjSession_{site_id}
    r"|\[[^\[\]]*\]"  # _pk_id.[site]
    r"|[xX]{4,}"  # _ga_XXXXXXXXXX (runs of 4+ so real names with "xx" survive)
    r"|#+"  # _gat_UA-#######
    r"|\.\.\.|…"  # _hjSessionUser_...
)
_STARS = re.compile(r"\*+")
# Anything normalise_name could rewrite; most names have none of it (fast path).
_SPECIAL = re.compile(r"[\^$\\\[({<#*…]|\.\.|\.\+|[xX]{4}")
_QUOTES = "\"'`‘’“”"


def normalise_name(raw: str) -> tuple[str, bool]:
    """The catalog form of a declared name and whether it stands for a family.

    Policies write families in many ways: ``_ga_*``, ``_ga_xxxxxxxxxx``,
    ``_ga_<container-id>``, ``_hjSession_{site_id}``, ``_gat_UA-#####``,
    ``^_gid$``, ``_pk_id\\..*``. All become globs with ``*``:

    * surrounding quotes/backticks and regex anchors ``^``/``$`` are dropped;
    * when the name reads as a regex (anchors, ``\\``, ``[``, ``(``, ``.+``),
      ``.*``/``.+``/``\\d+``/``[...]`` wildcards become ``*`` and escapes are undone;
    * ``<...>``, ``{...}``, ``[...]``, runs of 4+ ``x``/``X``, ``#`` runs and
      ``...`` become ``*``.

    A plain glob such as ``_pk_id.*`` keeps its literal dot.
    """
    name = raw.strip().strip(_QUOTES).strip()
    if len(name) > _MAX_NAME or not _SPECIAL.search(name):  # too long to be a name: leave it
        return name, False
    if _REGEX_HINT.search(name):
        if name.startswith("^"):
            name = name[1:]
        if name.endswith("$") and not name.endswith("\\$"):
            name = name[:-1]
        name = _REGEX_WILDCARD.sub("*", name)
        name = _REGEX_ESCAPE.sub(r"\1", name)
    name = _PLACEHOLDER.sub("*", name)
    name = _STARS.sub("*", name)
    return name, "*" in name


def _glob_to_regex(pattern: str) -> str:
    # ``*`` is "one or more": ``_ga_*`` must not swallow a bare ``_ga_``.
    return ".+".join(re.escape(part) for part in pattern.split("*"))


def _specificity(pattern: str) -> tuple[int, int, str]:
    # More literal characters first, then fewer wildcards: "wp-settings-time-*"
    # is tried before "wp-settings-*", "AMP_MKTG_*" before "AMP_*".
    return (-len(pattern.replace("*", "")), pattern.count("*"), pattern)


# --------------------------------------------------------------------- cookies


class CookieCatalog:
    """Known cookie and storage names; :meth:`lookup` resolves a declared name."""

    __slots__ = ("_entries", "_exact", "_glob_by_pattern", "_buckets", "_bucket_re")

    def __init__(self, entries: list[CookieEntry] | tuple[CookieEntry, ...]) -> None:
        self._entries = tuple(entries)
        self._exact: dict[str, CookieEntry] = {}
        self._glob_by_pattern: dict[str, CookieEntry] = {}
        for entry in self._entries:
            target = self._glob_by_pattern if entry.is_glob else self._exact
            target.setdefault(entry.pattern, entry)
        # Globs grouped by the first _PREFIX characters of their literal head, so a
        # name is only tried against the few globs that could match it (a miss
        # costs three dict probes, not 130 regex alternatives).
        buckets: dict[str, list[CookieEntry]] = {}
        for entry in self._glob_by_pattern.values():
            head = entry.pattern.split("*", 1)[0]
            buckets.setdefault(head[:_PREFIX], []).append(entry)
        self._buckets = {
            key: tuple(sorted(group, key=lambda e: _specificity(e.pattern))) for key, group in buckets.items()
        }
        # Per bucket, ONE anchored alternation, most specific first, each glob in its
        # own group: the first alternative that matches is the answer and
        # ``match.lastindex`` says which. Compiled on first use.
        self._bucket_re: dict[str, re.Pattern[str]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[CookieEntry]:
        return iter(self._entries)

    @property
    def entries(self) -> tuple[CookieEntry, ...]:
        return self._entries

    def _match_glob(self, name: str) -> CookieEntry | None:
        if len(name) > _MAX_NAME:
            return None
        best: CookieEntry | None = None
        # A glob's literal head may be shorter than _PREFIX ("A3*"-style), so
        # probe every prefix length; keep the most specific hit across buckets.
        for size in range(min(_PREFIX, len(name)), -1, -1):
            key = name[:size]
            group = self._buckets.get(key)
            if group is None:
                continue
            regex = self._bucket_re.get(key)
            if regex is None:
                regex = self._bucket_re[key] = re.compile(
                    "|".join(f"({_glob_to_regex(e.pattern)})" for e in group), re.DOTALL
                )
            m = regex.fullmatch(name)
            if m and m.lastindex:
                hit = group[m.lastindex - 1]
                if best is None or _specificity(hit.pattern) < _specificity(best.pattern):
                    best = hit
        return best

    def _lookup_concrete(self, name: str) -> CookieEntry | None:
        hit = self._exact.get(name)
        return hit if hit is not None else self._match_glob(name)

    def lookup(self, name: str) -> CookieEntry | None:
        """The catalog entry for a declared name, or None.

        Exact names first (case-sensitive: ``_GA`` is not ``_ga``), then globs,
        the most specific glob winning. A declared family (see
        :func:`normalise_name`) resolves when it is itself a catalog glob
        (``_ga_<id>`` → ``_ga_*``), else when a sample member of it matches
        (``_pk_id.*.*`` → ``_pk_id.0.0`` → ``_pk_id.*``), else when the name
        without its wildcards does (``_ga*`` → ``_ga``).
        """
        if not name:
            return None
        norm, is_pattern = normalise_name(name)
        if not is_pattern:
            return self._lookup_concrete(norm)
        hit = self._glob_by_pattern.get(norm)
        if hit is not None:
            return hit
        literal = norm.replace("*", "")
        if len(literal) < 2:  # "*", "_*": says nothing about which cookie
            return None
        return self._lookup_concrete(norm.replace("*", "0")) or self._lookup_concrete(literal)


def _parse_lifetime(cell: str, where: str) -> float | None:
    if not cell:
        return None
    try:
        value = float(cell)
    except ValueError:
        raise ValueError(f"{where}: lifetime_days {cell!r} is not a number") from None
    if value < 0:
        raise ValueError(f"{where}: negative lifetime_days")
    return value


def _parse_cookies(path: Path) -> CookieCatalog:
    entries: list[CookieEntry] = []
    for number, (pattern, vendor, category, lifetime, storage, note) in _read_tsv(path, _COOKIE_COLUMNS):
        where = f"{path}:{number}"
        if category not in CATEGORIES:
            raise ValueError(f"{where}: unknown category {category!r}")
        if storage not in STORAGES:
            raise ValueError(f"{where}: unknown storage {storage!r}")
        if not pattern or not vendor:
            raise ValueError(f"{where}: pattern and vendor are required")
        entries.append(
            CookieEntry(pattern, vendor, category, _parse_lifetime(lifetime, where), storage, note)
        )
    return CookieCatalog(entries)


@lru_cache(maxsize=1)
def _default_cookie_catalog() -> CookieCatalog:
    return _parse_cookies(COOKIES_PATH)


def load_cookie_catalog(path: Path | None = None) -> CookieCatalog:
    """The cookie catalog; the bundled one is parsed once per process."""
    return _default_cookie_catalog() if path is None else _parse_cookies(Path(path))


# --------------------------------------------------------------------- vendors

# Words after which a sentence-initial common-word vendor name ("Adjust your
# settings", "Segment the audience") is the verb/noun, not the company.
_NOT_A_VENDOR_NEXT = re.compile(
    r"(?<!\s)\s+(?:your|the|a|an|this|these|those|their|its|our|my|how|which|what|whether|of|in|on)\b"
)
_LEAD = " \t\r\n\"'([*•>-"
_WS = re.compile(r"\s+")
# Legal suffixes dropped when resolving a Provider cell ("Hotjar Ltd." → Hotjar).
# The look-behind starts a match only at the first of a run of spaces/commas: without it,
# a cell with thousands of spaces is tried from each of them (quadratic, seconds).
_LEGAL_SUFFIX = re.compile(
    r"(?<![\s,])[\s,]+(?:inc\.?|llc|ltd\.?|limited|gmbh|sas|s\.a\.s\.?|sa|s\.a\.|b\.v\.|bv|n\.v\.|nv|corp\.?|"
    r"corporation|plc|ab|ag|a/s|aps|oy|s\.r\.l\.|srl|pty|co\.?|company)\s*$",
    re.IGNORECASE,
)
_DOMAIN_LIKE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?:[/:?#].*)?$")


def _trie_pattern(words: list[str], word_start: bool = True) -> str:
    """A regex matching any of ``words`` as a whole word, longest first.

    Built as a trie (``Google(?: (?:Ads|Analytics)|)``) so that at each text
    position the engine follows one branch per character instead of trying
    hundreds of alternatives; every branch is a literal, so there is no
    backtracking beyond the current word. A space in an alias matches any run
    of whitespace (possessive, so it never backtracks): policies wrap lines.
    Without ``word_start`` the caller checks that a match starts a word (a
    leading look-behind stops ``re`` from skipping ahead to the literal prefix).
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True  # end marker

    def emit(node: dict) -> str:
        branches = []
        for ch in sorted(k for k in node if k):
            head = r"\s++" if ch == " " else re.escape(ch)
            branches.append(head + emit(node[ch]))
        if "" in node:
            branches.append(r"(?!\w)")  # end of an alias: must end on a word boundary
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    body = emit(trie) if trie else "(?!)"
    return (r"(?<!\w)" if word_start else "") + body


def _trie_regex(words: list[str], ignore_case: bool, word_start: bool = True) -> re.Pattern[str]:
    """``_trie_pattern`` compiled."""
    return re.compile(_trie_pattern(words, word_start), re.IGNORECASE if ignore_case else 0)


def _separated_trie_regex(words: list[str]) -> re.Pattern[str]:
    """``_trie_regex`` of ``words`` (case-sensitive) preceded by the non-word character before
    them: a pattern that starts with a character class lets ``re`` skip from one such
    character to the next in C instead of testing a look-behind at every position (a fifth
    faster on the corpus). See ``_separated_matches``."""
    return re.compile(r"[^\w]" + _trie_pattern(words, word_start=False))


def _separated_matches(pattern: re.Pattern[str], text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the names that ``pattern`` (from ``_separated_trie_regex``) finds in
    ``text``, which must start with a non-word character: the matches a leading look-behind
    would give, leftmost first, each search resuming where the last name ended."""
    # A name ends before a non-word character (a look-ahead in the pattern, not consumed):
    # the next name's separator is never part of the previous match.
    for m in pattern.finditer(text):
        yield m.start() + 1, m.end()


def _word_start_matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``pattern``'s matches in ``text`` that start a word, as a leading look-behind would
    find them (a rejected match is searched again from its next character, not skipped)."""
    pos = 0
    search = pattern.search
    while (m := search(text, pos)) is not None:
        start = m.start()
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
            pos = start + 1
            continue
        yield m
        pos = m.end() if m.end() > start else start + 1


class VendorIndex:
    """Known vendors: find mentions in text, resolve a Provider cell."""

    __slots__ = (
        "_vendors",
        "_by_name",
        "_by_domain",
        "_exact",
        "_folded",
        "_regexes",
        "_batch_chars",
        "_resolved",
        "_ignorecase",
    )

    def __init__(self, vendors: list[Vendor] | tuple[Vendor, ...]) -> None:
        self._vendors = tuple(vendors)
        self._by_name: dict[str, Vendor] = {}
        self._by_domain: dict[str, Vendor] = {}
        # Text forms for find_in: exact-case ones (case-sensitive vendors) and
        # case-folded ones. Domains are always case-insensitive.
        self._exact: dict[str, Vendor] = {}
        self._folded: dict[str, Vendor] = {}
        for vendor in self._vendors:
            for form in (vendor.name, *vendor.aliases):
                self._by_name.setdefault(_key(form), vendor)
                if vendor.case_sensitive:
                    self._exact.setdefault(_WS.sub(" ", form), vendor)
                else:
                    self._folded.setdefault(_key(form), vendor)
            for domain in vendor.domains:
                self._by_domain.setdefault(domain.lower(), vendor)
                self._folded.setdefault(domain.lower(), vendor)
        self._regexes: tuple[re.Pattern[str], re.Pattern[str]] | None = None
        self._ignorecase: re.Pattern[str] | None = None
        # by_name answers, memoised: provider cells repeat ("Google", "Acme Ltd") in every table.
        self._resolved: dict[str, Vendor | None] = {}
        # find_in_many joins texts with _SEP, which must be in no name (a vendor list of one's
        # own could hold anything): else each text is scanned alone.
        self._batch_chars = 0 if any(_SEP in f for f in (*self._exact, *self._folded)) else _BATCH_CHARS

    def __len__(self) -> int:
        return len(self._vendors)

    def __iter__(self) -> Iterator[Vendor]:
        return iter(self._vendors)

    @property
    def vendors(self) -> tuple[Vendor, ...]:
        return self._vendors

    def _compiled(self) -> tuple[re.Pattern[str], re.Pattern[str]]:
        # Lazy: compiling ~1,000 aliases costs tens of ms that runs without prose
        # checks should not pay.
        if self._regexes is None:
            self._regexes = (
                # Case-sensitive names are rare in a text: without a look-behind, ``re`` jumps
                # from one possible first letter to the next (five times faster).
                _trie_regex(sorted(self._exact), ignore_case=False, word_start=False),
                # The folded forms are lower case: matching them case-sensitively in the
                # lower-cased text is over twice as fast as IGNORECASE on the text itself.
                _separated_trie_regex(sorted(self._folded)),
            )
        return self._regexes

    def _folded_ignorecase(self) -> re.Pattern[str]:
        # For a text whose lower-cased form differs in length ("İ"), offsets would shift: the
        # folded forms are then matched in the text itself (rare: compiled only if needed).
        if self._ignorecase is None:
            self._ignorecase = _trie_regex(sorted(self._folded), ignore_case=True)
        return self._ignorecase

    def find_in(self, text: str) -> list[tuple[Vendor, int]]:
        """Vendors mentioned in ``text``: (vendor, offset of its first mention), in text order.

        Names, aliases and domains match on word boundaries, case-insensitively
        unless the vendor is case-sensitive. Overlapping mentions resolve to the
        longest ("Google Analytics" beats "Google"; "connect.facebook.net" is one
        mention). Case-sensitive and case-insensitive forms are two regexes whose
        hits are merged, so neither kind shadows a longer match of the other.
        Linear in ``len(text)``: each regex is a trie of literals.
        """
        if not text:
            return []
        return self.find_in_many([text])[0]

    def find_in_many(self, texts: Sequence[str]) -> list[list[tuple[Vendor, int]]]:
        """:meth:`find_in` of each text (offsets within that text), in one scan per regex.

        A document has thousands of short units (table rows, paragraphs) and most name no
        vendor: starting two regex scans per unit cost more than the scanning. The texts are
        joined by a NUL, which is not a word character (each text's edges stay word
        boundaries), not whitespace and in no name (no mention spans two texts), so the hits
        are those of separate scans; each hit is then judged against its own text alone.
        """
        out: list[list[tuple[Vendor, int]]] = [[] for _ in texts]
        exact_re, lower_re = self._compiled()
        hits: list[list[tuple[int, int, Vendor]]] = [[] for _ in texts]
        for first, last in _batches(texts, self._batch_chars):
            if last - first == 1:
                joined, starts = texts[first], [0]
            else:
                joined = _SEP.join(texts[first:last])
                starts, pos = [], 0
                for t in texts[first:last]:
                    starts.append(pos)
                    pos += len(t) + 1
            for m in _word_start_matches(exact_re, joined):
                vendor = self._exact.get(_WS.sub(" ", m.group()))
                if vendor is None:
                    continue
                k = bisect_right(starts, m.start()) - 1
                text, base = texts[first + k], starts[k]
                start, end = m.start() - base, m.end() - base
                if not self._looks_like_word(text, start, end, m.group()):
                    hits[first + k].append((start, end, vendor))
            # A separator first: the text's own start is a word start too (offsets shift by one).
            low = _SEP + joined.lower()
            if len(low) == len(joined) + 1:
                spans = ((a - 1, b - 1) for a, b in _separated_matches(lower_re, low))
            else:
                spans = (m.span() for m in self._folded_ignorecase().finditer(joined))
            for a, b in spans:
                vendor = self._folded.get(_key(joined[a:b]))
                if vendor is not None:
                    k = bisect_right(starts, a) - 1
                    hits[first + k].append((a - starts[k], b - starts[k], vendor))
        for i, unit_hits in enumerate(hits):
            if unit_hits:
                out[i] = _longest_first_mentions(unit_hits)
        return out

    @staticmethod
    def _looks_like_word(text: str, start: int, end: int, word: str) -> bool:
        # A capitalised common word at the start of a sentence followed by a
        # determiner ("Adjust your browser settings") is not the vendor.
        if " " in word or "." in word:
            return False
        if not _at_sentence_start(text, start):
            return False
        return _NOT_A_VENDOR_NEXT.match(text, end) is not None

    def by_name(self, name: str) -> Vendor | None:
        """The vendor a name, alias or domain refers to (case-insensitive), or None.

        Meant for a table's "Provider" cell: ``Google LLC`` → Google,
        ``Facebook Inc.`` → Meta, ``Hotjar Ltd.`` → Hotjar,
        ``www.google-analytics.com`` → Google Analytics. Falls back to the first
        vendor mentioned in the cell ("Google (Analytics)" → Google).
        """
        if not name or not name.strip():
            return None
        if name in self._resolved:
            return self._resolved[name]
        found = self._resolve(name)
        if len(self._resolved) >= _RESOLVED_MAX:
            self._resolved.clear()
        self._resolved[name] = found
        return found

    def _resolve(self, name: str) -> Vendor | None:
        key = _key(name.strip().strip(_QUOTES))
        hit = self._by_name.get(key)
        if hit is not None:
            return hit
        stripped = key
        while True:  # "Meta Platforms Ireland Ltd." → drop suffixes one by one
            shorter = _LEGAL_SUFFIX.sub("", stripped).rstrip(" ,.")
            if shorter == stripped or not shorter:
                break
            stripped = shorter
            hit = self._by_name.get(stripped)
            if hit is not None:
                return hit
        m = _DOMAIN_LIKE.match(key)
        if m:
            host = m.group(1)
            while "." in host:  # px.ads.linkedin.com → ads.linkedin.com → linkedin.com
                hit = self._by_domain.get(host) or self._by_name.get(host)
                if hit is not None:
                    return hit
                host = host.split(".", 1)[1]
        if len(name) <= 200:
            mentions = self.find_in(name)
            if mentions:
                return mentions[0][0]
        return None


_RESOLVED_MAX = 8192

# find_in_many joins texts with this separator, in batches of about this many characters
# (a batch is a copy of its texts: bounded, so a 50 MB document is not copied whole).
_SEP = "\x00"
_BATCH_CHARS = 1 << 20


def _batches(texts: Sequence[str], limit: int) -> Iterator[tuple[int, int]]:
    """(first, last) index ranges of ``texts`` of about ``limit`` characters; empty texts
    are skipped (they mention nothing), a longer text is a batch alone (each one with 0)."""
    first, size, n = 0, 0, len(texts)
    for i, t in enumerate(texts):
        if not t:
            if first == i:
                first += 1  # nothing before it in this batch: start after it
            continue
        if size and size + len(t) > limit:
            yield first, i
            first, size = i, 0
        size += len(t) + 1
    if first < n and size:
        yield first, n


def _longest_first_mentions(hits: list[tuple[int, int, Vendor]]) -> list[tuple[Vendor, int]]:
    """(vendor, first offset) in text order from raw hits, a hit inside a longer one dropped."""
    hits.sort(key=lambda h: (h[0], h[0] - h[1]))
    found: dict[str, tuple[Vendor, int]] = {}
    covered = -1
    for start, end, vendor in hits:
        if start < covered:  # inside a longer mention already taken
            continue
        covered = end
        found.setdefault(vendor.name, (vendor, start))
    return list(found.values())


def _at_sentence_start(text: str, pos: int) -> bool:
    # Look back over a bounded run of spaces/bullets only: scanning the whole
    # prefix for every hit would make find_in quadratic.
    i, lo, newline = pos, max(0, pos - 40), False
    while i > lo and text[i - 1] in _LEAD:
        newline = newline or text[i - 1] == "\n"
        i -= 1
    return i == 0 or newline or text[i - 1] in ".!?:;"


def _key(form: str) -> str:
    return _WS.sub(" ", form).strip().lower()


def _parse_vendors(path: Path) -> VendorIndex:
    vendors: list[Vendor] = []
    for number, (name, aliases, category, domains, case_sensitive) in _read_tsv(path, _VENDOR_COLUMNS):
        where = f"{path}:{number}"
        if not name:
            raise ValueError(f"{where}: name is required")
        if category not in VENDOR_CATEGORIES:
            raise ValueError(f"{where}: unknown category {category!r}")
        if case_sensitive not in ("yes", "no"):
            raise ValueError(f"{where}: case_sensitive must be yes or no")
        vendors.append(
            Vendor(
                name,
                _split(aliases),
                category,
                tuple(d.lower() for d in _split(domains)),
                case_sensitive == "yes",
            )
        )
    return VendorIndex(vendors)


@lru_cache(maxsize=1)
def _default_vendor_index() -> VendorIndex:
    return _parse_vendors(VENDORS_PATH)


def load_vendors(path: Path | None = None) -> VendorIndex:
    """The vendor index; the bundled one is parsed once per process."""
    return _default_vendor_index() if path is None else _parse_vendors(Path(path))


__all__ = [
    "VENDOR_CATEGORIES",
    "CookieCatalog",
    "CookieEntry",
    "Vendor",
    "VendorIndex",
    "load_cookie_catalog",
    "load_vendors",
    "normalise_name",
]
