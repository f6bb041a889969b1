"""PL207: "see Section 7" when the document has no section 7."""

from __future__ import annotations

import re
from collections.abc import Iterable

from policylint.checks_api import Context
from policylint.checks_lib import TextIndex, fold
from policylint.model import Block, Finding

CODE = "PL207"
NAME = "broken-section-reference"
SEVERITY = "warning"
SUMMARY = "A cross-reference points to a numbered section the document does not have."
WHY = (
    "Policies are renumbered when sections are added or removed, and the cross-references are "
    "forgotten. A reader sent to 'Section 7' for how to withdraw consent finds nothing, and the "
    "information the reference promised is, in effect, not given."
)
BASIS = (
    "GDPR Art. 12(1) (concise, transparent, intelligible and easily accessible information); "
    "EDPB/WP29 Guidelines on transparency (WP260 rev.01): information must be easy to find."
)
FIX = (
    "Point the reference at the right section number, or name the section by its title. "
    "References to another document ('section 5 of our Privacy Policy') are not checked."
)
FORMAT = "markdown"

FAILING = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

## 1. What cookies are

Cookies are small files a site stores in your browser. To change your choices, see Section 4.

## 2. Cookies we use

These cookies are strictly necessary for the site to work, so we set them without asking.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| acme_session | Acme | Keeps you signed in | Session |

## 3. Your choices

You can block cookies in your browser settings.
"""

PASSING = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

## 1. What cookies are

Cookies are small files a site stores in your browser. To change your choices, see Section 3.
Your rights are described in section 9 of our Privacy Policy and in Article 21 of the GDPR.

## 2. Cookies we use

These cookies are strictly necessary for the site to work, so we set them without asking.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| acme_session | Acme | Keeps you signed in | Session |

## 3. Your choices

You can block cookies in your browser settings.
"""

_NUMBER = r"\d{1,3}(?:\.\d{1,3}){0,3}"
# "ARTICLE 2 : ...", "2.1. Cookies", "1\. What are cookies", "Section 4 - Your rights"
_HEADING_NUMBER = re.compile(
    r"^\s*(?:(?:article|section|chapitre|chapter|partie|part|titre|§)\s*)?(" + _NUMBER + r")(?!\d)"
    r"\s*(?:[.):\-–—]+\s*|\s+)(?=\S)"
)
_REFERENCE = re.compile(
    r"\b(sections?|articles?|clauses?|chapters?|chapitres?|§)\s*(?:n°\s*)?(" + _NUMBER + r")(?![\w(])"
    r"((?:\s*(?:,|and|et|or|ou|to|a|-|–)\s*" + _NUMBER + r"(?![\w(]))*)"
)
# Literals that every _REFERENCE match contains (in folded text: no IGNORECASE caveat); most
# blocks have none. Keep them in step with the pattern.
_REFERENCE_WORDS = ("section", "article", "clause", "chap", "§")
_LIST_SEP = re.compile(r"\s*(?:,|and|et|or|ou|to|a|-|–)\s*")
# Words after a reference that say it points into another document or a law.
_EXTERNAL = re.compile(
    r"gdpr|rgpd|dsgvo|regulation|reglement|directive|\bloi\b|\blaw\b|\bact\b|\bcode\b|ccpa|cpra|\blil\b|"
    r"informatique et libertes|decree|decret|ordonnance|convention|charter|charte|privacy|confidentialite|"
    r"protection des donnees|conditions|terms|\bcgu\b|\bcgv\b|contract|contrat|agreement|statement|"
    r"declaration|notice|policy|politique|\bof (?:the|our|its|their)\b|\bde (?:nos|notre|ses|leurs?)\b"
)
# "article 31, paragraphe 2, point b)", "Art. 6 par. 1 lit. a": the shape of a citation of a law.
_CITATION = re.compile(r"^\s*,?\s*(?:paragraphe|paragraph|par\.|alinea|al\.|point|lit\.|sub|\(\d|\d)")
# An acronym naming an instrument ("du RGPD", "de la nLPD", "of the UK GDPR", "de la LTC").
_ACRONYM = re.compile(r"\b[a-z]?[A-Z]{2,}[a-zA-Z]?\b")
_SELF = re.compile(
    r"(?:this|the present|present|presente|cette|ce|cet|la presente|le present)\s+(?:cookie\s+)?"
    r"(?:policy|politique|notice|charte|document|page|statement|declaration)|"
    r"\b(?:above|below|ci-dessus|ci-dessous|ci-apres|hereafter|herein)\b"
)


_ASCII_DIGIT = re.compile(r"[0-9]")


def _number_of(text: str) -> str | None:
    # A section number needs a digit: an ASCII text without one has none once folded either
    # (folding ASCII only lower-cases it), and most texts tested are short paragraphs like that.
    if text.isascii() and not _ASCII_DIGIT.search(text):
        return None
    m = _HEADING_NUMBER.match(fold(text).replace("\\", "").lstrip("#*_ \t"))
    return m.group(1).rstrip(".") if m else None


def heading_numbers(blocks: list[Block]) -> tuple[set[str], int]:
    """The section numbers of a document's headings, and how many of its headings are numbered.

    A numbered heading under a numbered heading also counts as parent.child ("ARTICLE 2" then
    "1. Qu'est-ce qu'un cookie" is section 2.1).
    """
    numbers: set[str] = set()
    headed = 0
    stack: list[tuple[int, str]] = []
    for b in blocks:
        if b.kind == "heading":
            n = _number_of(b.text)
            while stack and stack[-1][0] >= b.level:
                stack.pop()
            if n is None:
                continue
            headed += 1
            numbers.add(n)
            if "." not in n and stack:
                numbers.add(f"{stack[-1][1]}.{n}")
            stack.append((b.level, n))
    return numbers, headed


def paragraph_numbers(blocks: list[Block], lines: list[str]) -> set[str]:
    """The section numbers that start short paragraphs: documents converted from PDF or a CMS
    often lose the heading markup ("5. Durées")."""
    numbers: set[str] = set()
    for b in blocks:
        if b.kind in ("paragraph", "list_item") and len(b.text) <= 160:
            # Only the start of the line can hold its number: a minified page is one 5 MB
            # line, and folding all of it once per paragraph took minutes.
            src = lines[b.line - 1][:300] if 0 < b.line <= len(lines) else ""
            for t in (b.text, src):
                n = _number_of(t)
                if n:
                    numbers.add(n)
    return numbers


def _ordered_run(blocks: list[Block]) -> int:
    """The longest run of top-level ordered list items (sections written as a numbered list)."""
    best = run = 0
    for b in blocks:
        if b.kind == "list_item" and b.ordered and b.level <= 1:
            run += 1
            best = max(best, run)
        elif b.kind != "list_item":
            run = 0
    return best


def _is_external(after: str, original_after: str) -> bool:
    """Whether the words right after a reference send the reader to another document or a law."""
    window = re.split(r"[.;:!?]\s", after[:90], maxsplit=1)[0]
    if _SELF.search(window):
        return False
    if _CITATION.match(window) or _EXTERNAL.search(window):
        return True
    original = re.split(r"[.;:!?]\s", original_after[:90], maxsplit=1)[0]
    # "de la nLPD", "of the UK GDPR": an acronym right after "of/de/du" names another instrument.
    m = re.match(
        r"^\s*,?\s*(?:of|de|du|des|d'|under|in)\s+(?:the\s+|la\s+|le\s+|l'|les\s+)?(\S+(?:\s\S+)?)", original
    )
    return bool(m and _ACRONYM.search(m.group(1)))


def check(ctx: Context) -> Iterable[Finding]:
    doc = ctx.document
    numbers, headed = heading_numbers(doc.blocks)
    if headed < 2:
        return  # the document does not number its sections: nothing to check against
    numbers |= paragraph_numbers(doc.blocks, doc.lines)
    composite = any("." in n for n in numbers)
    ordered = _ordered_run(doc.blocks)
    broken: dict[str, list[tuple[int, int, str]]] = {}  # ref -> [(line, column, as written)]
    blocks = [b for b in doc.blocks if b.kind in ("paragraph", "list_item", "table")]
    folded = TextIndex([fold(b.text) for b in blocks])
    for i in sorted(folded.with_any(_REFERENCE_WORDS)):
        b, text = blocks[i], folded[i]
        same = len(text) == len(b.text)
        for m in _REFERENCE.finditer(text):
            original_after = b.text[m.end() :] if same else text[m.end() :]
            if _is_external(text[m.end() :], original_after):
                continue
            refs = [m.group(2)] + [r for r in _LIST_SEP.split(m.group(3) or "") if r]
            for ref in refs:
                ref = ref.rstrip(".")
                if ref in numbers:
                    continue
                if "." in ref and not composite:
                    continue  # the document has no numbered subsections to check "4.2" against
                if "." not in ref and ref.isdigit() and int(ref) <= ordered:
                    continue  # sections written as an ordered list: their numbers are not in the text
                fragment = b.text[m.start() : m.end()] if same else m.group(0)
                line, col = doc.locate(fragment, b.line, b.end_line)
                word = b.text[m.start(1) : m.end(1)] if same else m.group(1)
                broken.setdefault(ref, []).append((line, col, f"{word} {ref}"))
    if not broken:
        return
    have = sorted(numbers, key=lambda s: [int(p) for p in s.split(".") if p.isdigit()])
    listed = ", ".join(have[:15]) + (" …" if len(have) > 15 else "")
    for ref, places in broken.items():
        line, col, shown = places[0]
        others = sorted({ln for ln, _, _ in places[1:] if ln != line})
        also = (
            f" (also on line{'s' if len(others) > 1 else ''} {', '.join(map(str, others))})" if others else ""
        )
        yield ctx.finding(
            line,
            f"The text refers to {shown!r}{also}, but the document has no section numbered {ref} "
            f"(numbered sections: {listed}): correct the number or name the section by its title.",
            column=col,
            excerpt=ctx.line_text(line).strip(),
        )
