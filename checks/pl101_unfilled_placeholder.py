"""PL101: template placeholders left in the published text ([INSERT DATE], {{company}}, TODO...)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterable, Iterator

from policylint.checks_api import Context
from policylint.checks_lib import TextIndex, has_any, unit_sources, unit_span
from policylint.model import Finding

CODE = "PL101"
NAME = "unfilled-placeholder"
SEVERITY = "error"
SUMMARY = "A template placeholder or drafting note was left in the text ([INSERT DATE], {{company}}, TODO)."
WHY = (
    "A policy generated from a template or drafted with notes is published with the gaps still in it: "
    "the reader is not told who the controller is, how long a cookie lasts or where to object. "
    "Information that is missing is not given, and a visible '[TO BE COMPLETED]' tells regulators and "
    "users that nobody reviewed the text."
)
BASIS = (
    "GDPR Art. 12(1) (information must be concise, transparent, intelligible) and Art. 13 (identity of "
    "the controller, purposes, storage period); ePrivacy Directive Art. 5(3) (clear and comprehensive "
    "information)"
)
FIX = (
    "Replace each placeholder with the real value (the company name, the date, the link), or delete the "
    "drafting note. A cookie whose name really contains a variable part is fine: write it attached to "
    "the name, like `_ga_<container-id>` or `_ga_XXXXXXXX`."
)
FORMAT = "markdown"

FAILING = """\
# Cookie policy

Last updated: [INSERT DATE]

{{ company_name }} uses the cookies below. Contact our DPO at TODO.

| Cookie | Purpose | Duration |
| --- | --- | --- |
| session | Keeps you signed in | [TO BE COMPLETED] |
"""
EXPECT = 4

PASSING = """\
# Cookie policy

Last updated: 3 March 2025

Acme Ltd uses the cookies below [1]. Contact our DPO at dpo@acme.example.

| Cookie | Purpose | Duration |
| --- | --- | --- |
| session | Keeps you signed in | Session |
| _ga_XXXXXXXXXX | Google Analytics 4 session state | 13 months |
| visid_incap_xxxxxxx | Imperva bot protection | 1 year |

[1] See the [settings page](https://acme.example/settings) to change your choices.
"""


def _fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).lower()


# --- square brackets --------------------------------------------------------------------------

_BRACKET = re.compile(r"\[([^\[\]\n]{1,120})\]")
# Words that, alone in brackets, stand for a value to fill in ([DATE], [Company], [lien]).
_SLOT_WORDS = {
    "date",
    "name",
    "nom",
    "company",
    "societe",
    "entreprise",
    "organisation",
    "organization",
    "email",
    "e-mail",
    "mail",
    "courriel",
    "url",
    "link",
    "lien",
    "address",
    "adresse",
    "phone",
    "telephone",
    "tel",
    "domain",
    "domaine",
    "website",
    "site",
    "country",
    "pays",
    "jurisdiction",
    "dpo",
    "controller",
    "responsable",
    "entity",
    "entite",
    "client",
    "customer",
    "brand",
    "marque",
    "product",
    "produit",
    "app",
    "application",
    "number",
    "numero",
    "duration",
    "duree",
    "period",
    "periode",
    "city",
    "ville",
    "postcode",
    "tbd",
    "tbc",
    "todo",
    "fixme",
    "placeholder",
    "insert",
    "here",
    "ici",
    "xx",
    "xxx",
    "xxxx",
    "draft",
    "brouillon",
    "year",
    "annee",
    "month",
    "mois",
    "days",
    "jours",
    "vendor",
    "provider",
    "fournisseur",
    "partner",
    "partenaire",
    "cookie",
    "purpose",
    "finalite",
    "title",
    "titre",
    "signature",
    "version",
}
# Phrases that make a bracketed text an instruction to the drafter.
_SLOT_PHRASES = re.compile(
    r"\b(?:insert|inserer|to be (?:completed|confirmed|determined|defined|added|inserted|updated|provided|agreed|drafted)"
    r"|a (?:completer|definir|confirmer|preciser|renseigner|inserer|ajouter)|tbd|tbc|todo|fixme|placeholder"
    r"|fill(?:-| )in|link to|lien vers|available here|click here|cliquez ici|disponible ici|name of|nom de"
    r"|your (?:company|business|organi[sz]ation|website|site|name|address|e-?mail|brand|app|product)"
    r"|votre (?:societe|entreprise|site|nom|adresse|marque)|delete as appropriate|if applicable|le cas echeant"
    r"|si applicable)\b"
)
_IMPERATIVE = re.compile(
    r"^(?:insert|add|include|enter|fill|complete|replace|update|describe|specify|list|provide|confirm|check"
    r"|link|put|mention|explain|indicate|give|choose|select|remove|delete|amend|edit|review|verify|define"
    r"|indiquer|inserer|ajouter|completer|preciser|renseigner|mettre|remplacer|lister|decrire|verifier"
    r"|supprimer|choisir|mentionner)\b"
)
_FOOTNOTE = re.compile(
    r"^\s*(?:\d{1,3}|[a-z]|[ivxlc]{1,6}|[*†‡§]{1,3}|\d{4}|[A-Z]|note \d{1,3}|n\.?\s?\d{1,3})\s*$",
    re.IGNORECASE,
)
_EDITORIAL = re.compile(
    r"^\s*(?:sic!?|\.{2,}|…|…\.?|emphasis (?:added|mine|original)|citation needed|translation|traduction"
    r"|original|redacted|omitted|ellipsis|sic erat scriptum|x|\s|ok|done|\?)\s*$",
    re.IGNORECASE,
)
_CHAR_CLASS = re.compile(r"^\^?[\w.*+?|\\-]{1,20}$")
_RANGE = re.compile(r"\w-\w|\\[wdsWDS]")


def _bracket_reason(inner: str) -> str | None:
    """Why a bracketed text is a placeholder, or None when it is not one."""
    s = inner.strip()
    if not s or _FOOTNOTE.match(s) or _EDITORIAL.match(s):
        return None
    low = _fold(s)
    if "://" in low or "www." in low or "@" in low or "email protected" in low:
        return None  # a URL or an address (or Cloudflare's "[email protected]" obfuscation)
    if _CHAR_CLASS.match(s) and _RANGE.search(s):
        return None  # a regex character class in a cookie name pattern: [A-Z0-9]
    if not re.search(r"[^\W\d_]", s):
        return None  # digits and punctuation: a reference, not a slot
    words = low.split()
    letters = [c for c in s if c.isalpha()]
    if len(words) == 1 and words[0].strip(".:;,!") in _SLOT_WORDS:
        return "placeholder"
    if _SLOT_PHRASES.search(low):
        return "placeholder"
    if len(words) >= 2 and _IMPERATIVE.match(low):
        return "drafting instruction"
    if len(words) <= 6 and words[-1].strip(".:;,!") in {
        "name",
        "nom",
        "date",
        "address",
        "adresse",
        "email",
        "e-mail",
        "url",
        "link",
        "lien",
        "number",
        "numero",
        "here",
        "ici",
        "details",
        "coordonnees",
    }:
        return "placeholder"
    if letters and all(c.isupper() for c in letters) and (len(words) >= 2 or len(letters) >= 6):
        return "placeholder"
    if len(words) <= 6 and re.search(r"[^\W\d_]\s?/\s?[^\W\d_]", s):
        alternatives = [a.strip() for a in s.split("/")]
        if 2 <= len(alternatives) <= 4 and all(0 < len(a) <= 30 for a in alternatives):
            return "unresolved alternatives"
    return None


# --- other placeholder syntaxes -----------------------------------------------------------------

_MUSTACHE = re.compile(
    r"\{\{\s{0,5}([A-Za-z_][\w.]{0,60})\s{0,5}\}\}|\$\{([A-Za-z_]\w{0,40})\}"
    r"|(?<![\w{])\{([a-z]{1,20}_[a-z_]{1,40})\}(?![\w}])|(?<!\w)%([A-Z][A-Z0-9]{1,20}_[A-Z0-9_]{1,30})%"
)
_ANGLE = re.compile(r"<([A-Za-z][A-Za-z _'-]{1,40})>")
_HTML_TAGS = {
    "a",
    "abbr",
    "address",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "li",
    "link",
    "main",
    "mark",
    "meta",
    "nav",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
    "picture",
    "source",
    "video",
    "audio",
    "iframe",
    "script",
    "style",
    "noscript",
    "svg",
    "path",
    "g",
    "template",
    "slot",
    "data",
    "output",
    "meter",
    "progress",
    "select",
    "option",
    "textarea",
    "fieldset",
    "legend",
    "dialog",
    "menu",
    "object",
    "embed",
}
_ANGLE_WORDS = re.compile(
    r"\b(?:insert|company|societe|entreprise|date|name|nom|e-?mail|url|link|lien|address|adresse|domain"
    r"|website|phone|country|tbd|tbc|todo|placeholder|your|votre|client|customer|brand|dpo)\b"
)
# Words that mark unfinished text on their own: TODO, TBD, TBC, FIXME, XXX.
_MARKER = re.compile(r"(?<![\w\-./@#$%&=+'’:])(TODO|TBD|TBC|FIXME|X{3,})(?![\w\-@=+/]|\.\w)")
_DATE_SLOT = re.compile(
    r"(?<![\w/.-])(?:XX|xx|JJ|DD|jj|dd)([/.-])(?:XX|xx|MM|mm)\1(?:XX(?:XX)?|xx(?:xx)?|AAAA|YYYY|aaaa|yyyy|AA|YY)(?![\w/-]|\.\w)"
    r"|(?<![\w/.-])(?:XX|xx)\s(?:days?|weeks?|months?|years?|hours?|minutes?|jours?|semaines?|mois|ans|années?|heures?)\b"
)
_LOREM = re.compile(r"\blorem ipsum(?: dolor sit amet)?\b|\bdolor sit amet\b", re.IGNORECASE)
# "à compléter", "to be confirmed": a placeholder only where a value belongs (after "Label:", in
# brackets or parentheses, alone in a cell) or when shouted; "un formulaire à compléter" is French.
_PENDING = re.compile(
    r"\b(?:[àaÀA] (?:compl[ée]ter|d[ée]finir|confirmer|pr[ée]ciser|renseigner)|to be (?:completed|confirmed"
    r"|determined|defined|added|inserted|provided|advised)|insert(?: [\w'-]{1,20}){0,3} here|TBA)\b"
    r"|(?<![?\w])\?{2,}(?![?\w])",
    re.IGNORECASE,
)


def _value_position(text: str, start: int, end: int) -> bool:
    before = text[:start].rstrip()
    after = text[end:].lstrip()
    return (not before or before.endswith((":", "(", "[", "—", "–", "-", "|"))) and (
        not after or after[:1] in ")].;,—–|"
    )


def _attached(text: str, start: int, end: int) -> bool:
    """Is the match glued to a token (a cookie name like _ga_[ID] or visid_incap_xxx)?"""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return before.isalnum() or before in "_-.$#/:=" or after.isalnum() or after in "_([:="


# Literals that every match of a pattern contains, looked for before running it: most units (table
# cells, sentences) contain none, and finding the few that do in the joined text of the document
# (TextIndex) costs far less than a regex scan of every unit. Short literals are looked for in
# the lower-cased document (where a literal of a case-sensitive pattern is found lower-cased
# too, so that, say, "TODO" and "todo" cost one scan); a unit found by one must also contain one
# of the longer or exactly-cased literals it maps to, if any. The case-insensitive patterns are
# tested on the lower-cased text, with literals free of "i", "s" and "k" (which also match
# "ı"/"İ", "ſ" and the Kelvin sign under IGNORECASE). Keep them in step with the patterns.
_Literals = dict[str, tuple[str, ...] | None]
_MARKER_WORDS = ("TODO", "TB", "FIXME", "XXX")
# XX/xx, or the month part of alternative 1 between its two separators ("DD/MM/YYYY").
_DATE_SLOT_WORDS = ("XX", "xx", "/MM/", ".MM.", "-MM-", "/mm/", ".mm.", "-mm-")
_PENDING_WORDS: _Literals = {
    # à compléter / définir / confirmer / préciser / renseigner, after "a " or "à "
    "compl": ("a compl", "à compl"),
    "def": ("a def", "à def"),
    "déf": ("a déf", "à déf"),
    "conf": ("a conf", "à conf"),
    "prec": ("a prec", "à prec"),
    "préc": ("a préc", "à préc"),
    "gner": ("a ren", "à ren"),
    "to be": ("to be ",),
    "here": (" here",),  # insert … here
    # TBA: "tb" is looked for anyway (for the markers); "?" is one character, which is found
    # many times faster than two (and rare in a policy).
    "tb": ("tba",),
    "?": ("??",),
}
# (pattern, lower-cased literals -> literals a unit found by one must also contain, whether
# those are tested on the unit's own text or lower-cased), in the order _hits reports them.
_PREFILTERS: tuple[tuple[str, _Literals, bool], ...] = (
    ("bracket", {"[": None}, False),
    ("mustache", {"{": None, "%": None}, False),  # {{x}}, ${x}, {x_y}; %X_Y%
    ("angle", {"<": None}, False),
    ("marker", dict.fromkeys(("todo", "tb", "fixme", "xx"), _MARKER_WORDS), False),
    ("date_slot", dict.fromkeys(("xx", "mm"), _DATE_SLOT_WORDS), False),
    ("lorem", {"lorem": None, "dolor": None}, True),
    ("pending", _PENDING_WORDS, True),
)


def _candidates(texts: list[str]) -> dict[int, set[str]]:
    """Unit index -> the patterns of _hits worth running on it (those whose literals it contains);
    units that can hold no placeholder are left out."""
    index = TextIndex(texts)
    low = index.lower()
    found: dict[str, set[int]] = {}  # literal -> the units that contain it, lower-cased
    kinds: dict[int, set[str]] = {}
    for kind, literals, lowered in _PREFILTERS:
        where = low if lowered else index
        for word, longer in literals.items():
            if word not in found:
                found[word] = low.with_any((word,))
            for i in found[word]:
                if longer is None or has_any(where[i], longer):
                    kinds.setdefault(i, set()).add(kind)
    return kinds


def _hits(text: str, kinds: Container[str]) -> list[tuple[int, int, str]]:
    """(start, end, description) of each placeholder in a unit of text, for the patterns in
    ``kinds`` (see _candidates: the others cannot match it)."""
    out = []
    if "bracket" in kinds:
        for m in _BRACKET.finditer(text):
            if _attached(text, m.start(), m.end()):
                continue
            if m.end() < len(text) and text[m.end()] in "([:":
                continue  # a Markdown link or reference that the parser left as text
            reason = _bracket_reason(m.group(1))
            if reason:
                out.append((m.start(), m.end(), reason))
    if "mustache" in kinds:
        for m in _MUSTACHE.finditer(text):
            out.append((m.start(), m.end(), "template variable"))
    if "angle" in kinds:
        for m in _ANGLE.finditer(text):
            if _attached(text, m.start(), m.end()):
                continue  # part of a cookie name: cookie_<name>, _ga_<container-id>
            inner = m.group(1).strip()
            if inner.lower().split(" ")[0] in _HTML_TAGS:
                continue
            letters = [c for c in inner if c.isalpha()]
            if (letters and all(c.isupper() for c in letters) and len(letters) >= 3) or _ANGLE_WORDS.search(
                _fold(inner)
            ):
                out.append((m.start(), m.end(), "placeholder"))
    if "marker" in kinds:
        for m in _MARKER.finditer(text):
            out.append((m.start(), m.end(), "drafting marker"))
    if "date_slot" in kinds:
        for m in _DATE_SLOT.finditer(text):
            out.append((m.start(), m.end(), "placeholder"))
    if "lorem" in kinds:
        for m in _LOREM.finditer(text):
            out.append((m.start(), m.end(), "filler text"))
    if "pending" in kinds:
        for m in _PENDING.finditer(text):
            word = m.group(0)
            shouted = sum(c.isupper() for c in word) >= max(3, len([c for c in word if c.isalpha()]) - 1)
            if shouted or _value_position(text, m.start(), m.end()) or word.lower().startswith("insert"):
                out.append((m.start(), m.end(), "placeholder"))
    return out


def _outermost(hits: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Drop hits inside another hit ("À COMPLÉTER" inside "[À COMPLÉTER]")."""
    out: list[tuple[int, int, str]] = []
    for start, end, reason in sorted(hits, key=lambda h: (h[0], -h[1])):
        if out and start >= out[-1][0] and end <= out[-1][1]:
            continue
        out.append((start, end, reason))
    return out


def _in_code_span(line: str, col: int) -> bool:
    return line[: max(0, col - 1)].count("`") % 2 == 1


def _source_angles(ctx: Context) -> Iterator[tuple[int, int, str]]:
    """<COMPANY NAME> in Markdown/HTML source: the parser takes it for a tag and drops it."""
    doc = ctx.document
    if doc.format not in ("markdown", "html"):
        return
    if not any("<" in line for line in doc.lines):
        return  # most Markdown documents: no line to look at (an HTML page has one at once)
    seen: set[int] = set()
    for b in doc.blocks:
        if b.kind == "table":
            continue
        for ln in range(b.line, max(b.line, b.end_line) + 1):
            if ln in seen or not 0 < ln <= len(doc.lines):
                continue
            seen.add(ln)
            line = doc.lines[ln - 1]
            if "<" not in line:
                continue
            # Backticks before each match, counted as the matches advance: counting from the
            # start of the line for each one was quadratic on a one-line page of 200,000 tags.
            ticks = upto = 0
            for m in _ANGLE.finditer(line):
                ticks += line.count("`", upto, m.start())
                upto = m.start()
                if _attached(line, m.start(), m.end()) or ticks % 2 == 1:
                    continue
                inner = m.group(1).strip()
                first = inner.split(" ")[0]
                if first.lower() in _HTML_TAGS or "=" in inner or "-" in first:
                    continue
                letters = [c for c in inner if c.isalpha()]
                if (
                    letters
                    and all(c.isupper() for c in letters)
                    and len(letters) >= 3
                    or _ANGLE_WORDS.search(_fold(inner))
                ):
                    if m.group(0) in b.text:
                        continue  # kept as text by the parser: _hits reports it
                    yield ln, m.start() + 1, m.group(0)


def check(ctx: Context) -> Iterable[Finding]:
    doc = ctx.document
    reported: set[tuple[int, int]] = set()
    units = unit_sources(doc)
    texts = [u.text[:200_000] for u in units]
    candidates = _candidates(texts)
    for i in sorted(candidates):
        text = texts[i]
        line, end_line = unit_span(units[i])
        for start, end, reason in _outermost(_hits(text, candidates[i])):
            fragment = text[start:end]
            in_source = fragment
            ln, col = doc.locate(fragment, line, end_line)
            if doc.format == "html" and "<" in fragment and ctx.line_text(ln).find(fragment) != col - 1:
                escaped = fragment.replace("<", "&lt;").replace(">", "&gt;")
                eln, ecol = doc.locate(escaped, line, end_line)
                if ctx.line_text(eln).find(escaped) == ecol - 1:
                    ln, col, in_source = eln, ecol, escaped
            src = ctx.line_text(ln)
            found = src.find(in_source) == col - 1
            if found and doc.format == "markdown" and _in_code_span(src, col):
                continue  # a literal value in `code`
            if (ln, col) in reported and found:
                continue
            reported.add((ln, col))
            excerpt = (
                src.strip() if found and len(src.strip()) <= 200 else text[max(0, start - 60) : end + 60]
            )
            shown = fragment if len(fragment) <= 60 else fragment[:57] + "..."
            yield ctx.finding(
                ln,
                f'Unfilled {reason} "{shown}": replace it with the real text before publishing.',
                column=col,
                end_line=ln if found else None,
                end_column=col + len(in_source) if found else None,
                excerpt=excerpt,
            )
    for ln, col, fragment in _source_angles(ctx):
        if (ln, col) in reported:
            continue
        reported.add((ln, col))
        yield ctx.finding(
            ln,
            f'Unfilled placeholder "{fragment}": replace it with the real text before publishing '
            "(it is also hidden from readers, as browsers take it for an HTML tag).",
            column=col,
            end_line=ln,
            end_column=col + len(fragment),
            excerpt=ctx.line_text(ln).strip(),
        )
