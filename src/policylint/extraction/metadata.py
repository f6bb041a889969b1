"""Title, last-updated date, controller and contacts."""

from __future__ import annotations

import datetime as dt
import re

from policylint.extraction.vocab import fold, has_any
from policylint.model import Block, Contact, Document

_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
}
_MONTH_RX = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_FORMS = [
    # 23 June 2026 / 1er avril 2021 / 17 janvier 2022
    re.compile(r"\b(\d{1,2})(?:er|st|nd|rd|th)?\s+(" + _MONTH_RX + r")\.?,?\s+(\d{4})\b"),
    # June 23, 2026 / February 25 2026
    re.compile(r"\b(" + _MONTH_RX + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b"),
    # 2024-09-17
    re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
    # 17.09.2024 / 17/09/2024 / 17-09-2024
    re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b"),
    # June 2026 / juin 2026 / Janvier, 2022 (day unknown: the 1st)
    re.compile(r"\b(" + _MONTH_RX + r"),?\s+(\d{4})\b"),
]
_DATE_KEY = re.compile(
    r"last (?:updated|modified|revised|reviewed|change)|updated(?: on| as of)?|revised(?: on)?|effective(?: date| as of| from| on)?|"
    r"date of (?:last )?(?:revision|update)|version (?:date|du|of)|in (?:force|effect) (?:from|as of)|"
    r"derniere (?:mise a jour|modification|revision)|mis(?:e)? a jour(?: le)?|mise a jour|en vigueur|date d'effet|version du|"
    r"a jour au|applicable (?:a compter du|from|as of)|modifi[ee]e? le|publi[ee]e? le|date de publication|prise d'effet|^date\s*:|"
    # "Version: 09.12.2025" (a version named by its date; "Version 2" is not a date)
    r"\bversion\s*:\s*(?=\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b)"
)
# Every match of _DATE_KEY holds one of these (read off the pattern; keep them in step).
_DATE_KEY_WORDS = (
    "date",
    "updated",
    "modifi",
    "revis",
    "reviewed",
    "change",
    "effect",
    "effet",
    "version",
    "force",
    "a jour",
    "vigueur",
    "applicable",
    "publie",
)


def parse_date(text: str, us_first: bool = False) -> tuple[dt.date, int] | None:
    """The first date in a text and its offset; numeric dates read day first unless ``us_first``."""
    s = fold(text).replace("//", "/")
    best: tuple[int, dt.date] | None = None
    for k, rx in enumerate(_DATE_FORMS):
        for m in rx.finditer(s):
            try:
                if k == 0:
                    d = dt.date(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1)))
                elif k == 1:
                    d = dt.date(int(m.group(3)), _MONTHS[m.group(1)], int(m.group(2)))
                elif k == 2:
                    d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                elif k == 3:
                    a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
                    if us_first and a <= 12:
                        a, b = b, a
                    if b > 12 and a <= 12:
                        a, b = b, a
                    d = dt.date(y, b, a)
                else:
                    d = dt.date(int(m.group(2)), _MONTHS[m.group(1)], 1)
            except (ValueError, KeyError):
                continue
            if not 1990 <= d.year <= 2100:
                continue
            if best is None or m.start() < best[0]:
                best = (m.start(), d)
            break
    return (best[1], best[0]) if best else None


def find_last_updated(blocks: list[Block], language: str) -> tuple[dt.date, int, str] | None:
    """The date the policy says it was last updated or took effect."""
    for idx, b in enumerate(blocks):
        if b.kind == "table":
            continue
        s = fold(b.text)
        km = _DATE_KEY.search(s) if has_any(s, _DATE_KEY_WORDS) else None
        if not km:
            continue
        tail = b.text[km.start() : km.start() + 160]
        found = parse_date(tail, us_first=language == "en" and _us_style(b.text))
        if found is None and b.kind == "heading" and idx + 1 < len(blocks):
            # "Date d'entrée en vigueur" as a heading, the date in the next paragraph.
            nxt = blocks[idx + 1]
            found = parse_date(nxt.text[:200])
            if found:
                return found[0], nxt.line, nxt.text[:120]
        if found:
            return found[0], b.line, b.text[:160]
    return None


def _us_style(text: str) -> bool:
    return bool(re.search(r"\b(?:" + _MONTH_RX + r")\s+\d{1,2},\s+\d{4}", fold(text)))


# "Acme Ltd (“we”, “us”)", "Acme SAS (ci-après « Acme »)", "operated by Acme Inc."
_SUFFIX = r"(?:Ltd|Limited|Inc|LLC|SAS|SA|SARL|SASU|GmbH|BV|B\.V\.|AG|SE|plc|PLC|S\.A\.S\.?|S\.A\.|Corp|Corporation|DAC|UC|ULC|Unlimited Company|AB|AS|Oy|SpA|S\.r\.l\.|SL|S\.L\.)"
_WORD = r"[A-Z0-9][\w&'’-]*"
# A name starts where a word starts: without the look-behind, an unanchored search
# tries every position inside a long word ("AAAA…", "x_x_x_…", 5,000 digits) and
# matches it to its end each time — quadratic (seconds per block).
_WORD_START = r"(?<![\w&'’-])" + _WORD
_ORG = (
    r"("
    + _WORD_START
    + r"(?:[ \t]+(?:"
    + _WORD
    + r"|de|des|du|of|and|&|et|la|le|l'"
    + _WORD
    + r"|d'"
    + _WORD
    + r")){0,6}"
    r"(?:,?[ \t]+" + _SUFFIX + r"\.?)?)"
)
# Each form with literals that every match of it contains, in the lower-cased block text (None:
# no test). Searching the text for them first skips most forms on most blocks. The literals
# avoid "i", "s" and "k", which the case-insensitive parts also match as "ı", "ſ" and the
# Kelvin sign; "pon" stands for "responsable". Keep them in step with the patterns.
_RESPONSIBLE = ("controller", "pon")
_CONTROLLER_FORMS: list[tuple[tuple[str, ...] | None, re.Pattern[str]]] = [
    (("controller",), re.compile(r"(?i:(?:data |the )?controller(?:[^.:]{0,70}?)(?: is|:))\s+" + _ORG)),
    (
        _RESPONSIBLE,
        re.compile(
            r"(?i:responsable (?:du|de|des) traitements?(?: des donn[ée]es| de vos donn[ée]es)?(?: est| :|:))\s+(?:la soci[ée]t[ée]\s+)?"
            + _ORG
        ),
    ),
    (
        _RESPONSIBLE,
        re.compile(
            r"(?:^|[.!?]\s+)"
            + _ORG
            + r"\b[^.]{0,200}?(?i:en (?:sa )?qualit[ée] de responsable|as (?:the |a )?(?:data )?controller)"
        ),
    ),
    (
        _RESPONSIBLE,
        re.compile(
            _ORG
            + r",[^.;]{0,120}?(?i:who|which|qui) (?i:is|acts as|est) (?i:the |le )?(?i:data )?(?i:controller|responsable)"
        ),
    ),
    (
        _RESPONSIBLE,
        re.compile(
            _ORG
            + r",?\s+(?i:is|acts as|agit en (?:sa )?qualit[ée] de|est)\s+(?i:the\s+|le\s+)?(?i:data\s+)?(?i:controller|responsable (?:du|de|des) traitements?)"
        ),
    ),
    (
        # "Quillmark Inc. ("Quillmark", "we") is the controller", "Orbitly GmbH, Torstraße 12,
        # 10119 Berlin, is the controller": an aside between the name and the verb.
        _RESPONSIBLE,
        re.compile(
            _ORG
            + r"(?:\s*\([^()]{0,60}\)\s*,?|,[^.;()]{0,80}?,)\s+(?i:is|acts as|est)\s+(?i:the\s+|le\s+)?(?i:data\s+)?"
            r"(?i:controller|responsable (?:du|de|des) traitements?)"
        ),
    ),
    (
        # "Tidepool Labs Ltd (the controller) uses cookies…"
        _RESPONSIBLE,
        re.compile(
            _ORG + r"\s*\((?i:the |le )?(?i:data )?(?i:controller|responsable (?:du|de|des) traitements?)\)"
        ),
    ),
    (
        # operated/published/provided/owned by, édité(e)/exploité(e) par
        ("d by", "e by", "é by", "d par", "e par", "é par"),
        re.compile(
            r"(?i:operated|published|provided|owned|[ée]dit[ée]e?|exploit[ée]e?) (?i:by|par)\s+(?:(?i:la soci[ée]t[ée])\s+)?"
            + _ORG
        ),
    ),
    (
        ("la ",),
        re.compile(
            r"(?i:la soci[ée]t[ée])\s+"
            + _ORG
            + r"(?=\s*(?:,|\(|\.(?:\s|$)|\s(?i:au capital|immatricul|dont le si[eè]ge|SAS|SA\b)))"
        ),
    ),
]
_COMPANY_SUFFIX = re.compile(r"\b" + _SUFFIX + r"\b")
_BAD_ORG = re.compile(
    r"^(?:We|Our|This|These|That|The|You|Your|Nous|Vous|Cette|Ces|Les|La|Le|If|In|To|For|Il|Cookies?|Please|Si|Pour|Dans|When|Where|Sauf|Politique|Policy|Site|Websites?|Services?|Application|By|Par|Google|Facebook|Meta)\b"
)


_NOT_ORG_WORD = re.compile(
    r"\b(?:cookies?|policy|politique|charte|document|terms|conditions|notice|website|site)\b", re.IGNORECASE
)


def _mentioned(text: str, word: str, times: int = 3, _cache: dict | None = None) -> bool:
    """Whether ``word`` occurs at least ``times`` times in ``text`` as a whole word.

    Called once per candidate name on the whole document (500 KB): counting every
    occurrence each time made a 5 MB policy with 2,000 "Partner N sets…" paragraphs
    spend seconds here. ``str.count`` (fast, an upper bound) rejects most names, the
    regex stops at the ``times``-th match, and ``_cache`` remembers names already seen.
    """
    if _cache is not None and word in _cache:
        return _cache[word]
    found = False
    if text.count(word) >= times:
        for n, _ in enumerate(re.finditer(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text), 1):
            if n >= times:
                found = True
                break
    if _cache is not None:
        _cache[word] = found
    return found


def _trim_org(raw: str) -> str | None:
    words = raw.strip(" ,.").split()
    # "This Cookie Policy explains how Base" → drop leading sentence words up to the name.
    while words and (_BAD_ORG.match(words[0]) or _NOT_ORG_WORD.search(words[0])):
        words.pop(0)
    while words and words[-1].lower() in {"and", "&", "et", "of", "de", "des", "du", "la", "le"}:
        words.pop()
    org = " ".join(words)
    if len(org) < 2 or len(org) > 90 or _NOT_ORG_WORD.search(org) or not org[0].isupper():
        return None
    return org


_WE_PAREN = re.compile(
    r"\((?i:[^()]{0,30}?[\"“«]\s*(?:\*\*)?(?:we|us|our|nous)\b|[^()]{0,30}?\b(?:the company|la soci[ée]t[ée])\b)"
    r"|\(\s*(?:ci-apr[eè]s\s+|hereinafter\s+)?[\"“«]\s*(?P<short>[A-Z][\w&'’-]{1,30})\s*[\"”»]\s*\)"
)
_BRAND_VERB = re.compile(
    r"("
    + _WORD_START
    + r"(?:[ \t]+"
    + _WORD
    + r"){0,2})[ \t]+(?:uses|utilise|collects|collecte|may use|d[ée]pose|places|sets|installe)\b"
)
# Every match of _BRAND_VERB contains one of these (case-sensitive, like the pattern).
_BRAND_VERBS = ("uses", "utilise", "collect", "may use", "depose", "dépose", "places", "sets", "installe")


def find_controller(blocks: list[Block]) -> tuple[str, int] | None:
    """The organisation the policy names as controller ("we"), or None.

    Explicit forms first ("the controller is X", "X (“we”)", "responsable du
    traitement : X"); failing those, the brand the policy speaks as ("Mailjet uses
    cookies"), which identifies who is behind it even without a legal name.
    """
    text_all = " ".join(b.text for b in blocks if b.kind != "table")[:500_000]
    counted: dict[str, bool] = {}
    for b in blocks:
        if b.kind == "table":
            continue
        for m in _WE_PAREN.finditer(b.text[:5000]):
            window = b.text[max(0, m.start() - 160) : m.start()]
            cands = []
            for om in reversed(list(re.finditer(_ORG, window))):
                if len(window) - om.end() > 120 or "." in window[om.end() :].replace(".,", ","):
                    break
                org = _trim_org(om.group(1))
                if org:
                    cands.append(org)
            # "Acme Ltd, Unit 7, Sheffield (“we”)": the company name, not the address before the bracket.
            short = m.group("short")
            if short:
                # "Waze Mobile Limited and its affiliates (“Waze”)": the defined short name must be the company's.
                cands = [c for c in cands if short.lower() in c.lower()]
            best = next((c for c in cands if _COMPANY_SUFFIX.search(c)), None) or next(
                (c for c in cands if _mentioned(text_all, c.split()[0], _cache=counted)), None
            )
            if best:
                return best, b.line
    for b in blocks:
        if b.kind == "table" or len(b.text) < 15:
            continue
        head = b.text[:5000]
        low = head.lower()
        for words, rx in _CONTROLLER_FORMS:
            if words is not None and not has_any(low, words):
                continue
            for m in rx.finditer(head):
                org = _trim_org(m.group(1))
                if not org:
                    continue
                return org, b.line
    labelled = _labelled_controller(blocks)
    if labelled:
        return labelled
    brands: dict[str, tuple[int, int]] = {}
    for b in blocks:
        if b.kind == "table":
            continue
        head = b.text[:5000]
        if not has_any(head, _BRAND_VERBS):
            continue
        for m in _BRAND_VERB.finditer(head):
            org = _trim_org(m.group(1))
            if org and _mentioned(text_all, org, _cache=counted):
                n, line = brands.get(org, (0, b.line))
                brands[org] = (n + 1, line)
    if brands:
        org, (_, line) = max(brands.items(), key=lambda kv: (kv[1][0], -kv[1][1]))
        return org, line
    return None


_CONTROLLER_LABEL = re.compile(r"(?i)^(?:data )?controller|responsable (?:du|de) traitement$")


def _labelled_controller(blocks: list[Block]) -> tuple[str, int] | None:
    """The company a cookie list names most often under a "Controller" label.

    Policies laid out as label/value records ("Name / _ga / Controller / Twitter Inc.") name
    the controller of each cookie, and the site's own company is the one they name most.
    """
    counts: dict[str, list[int]] = {}
    for label, value in zip(blocks, blocks[1:], strict=False):
        if label.kind != "paragraph" or value.kind != "paragraph" or len(label.text) > 40:
            continue
        if _CONTROLLER_LABEL.match(label.text.strip().rstrip(":")) and _COMPANY_SUFFIX.search(value.text):
            org = _trim_org(value.text.strip())
            if org:
                counts.setdefault(org, [0, value.line])[0] += 1
    if not counts:
        return None
    org, (_, line) = max(counts.items(), key=lambda kv: (kv[1][0], -kv[1][1]))
    return org, line


_EMAIL = re.compile(
    r"(?<![\w.+-])([A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,4}\.[A-Za-z]{2,12})\b"
)
_CONTACT_URL = re.compile(
    r"https?://[^\s\"'<>)\]]{1,200}?(?:contact|dpo|privacy-?request|data-?request|rgpd|gdpr|formulaire|privacyrequest)[^\s\"'<>)\]]{0,120}",
    re.IGNORECASE,
)
_FORM = re.compile(
    r"contact form|web ?form|formulaire (?:de contact|en ligne|dedie)|privacy (?:request )?(?:form|portal|center|centre)|contact us (?:page|through|via|using)|page contact",
    re.IGNORECASE,
)
_POSTAL = re.compile(
    r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|boulevard|bd|place|quai|all[ée]e|chemin|impasse|cours|route)\b[^.\n]{3,80}\b\d{5}\s+[A-ZÀ-Ý][\w' -]{1,40}"
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b"  # UK postcode
    r"|\bD\d{2}\s?[A-Z0-9]{4}\b|\bDublin\s\d{1,2}\b"  # Irish Eircode / Dublin district
    r"|\b\d{1,5}\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,4}\s+(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?|Lane|Drive|Way|Place|Square|Gate)\b",
)
_PHONE = re.compile(
    r"(?:tel|t[ée]l[ée]phone|phone|call us)\s*[.:]?\s*(\+?\d[\d .()-]{7,18}\d)", re.IGNORECASE
)


# Literals that every match of a pattern contains, tested on the lower-cased text before running
# it (most blocks hold no contact details). They avoid "i", "s" and "k", which the
# case-insensitive patterns also match as "ı", "ſ" and the Kelvin sign ("reque" is "request",
# "formula" is "formulaire", "call u" is "call us"). Keep them in step with the patterns.
_FORM_WORDS = ("contact", "web form", "webform", "formula", "y form", "t form", "portal", "center", "centre")
_PHONE_WORDS = ("tel", "tél", "phone", "call u")
_CONTACT_URL_WORDS = ("contact", "dpo", "reque", "rgpd", "gdpr", "formula")
_DIGIT = re.compile(r"\d")  # every _POSTAL and _PHONE match has one


def find_contacts(doc: Document, blocks: list[Block]) -> list[Contact]:
    out: list[Contact] = []
    seen: set[str] = set()
    scanned: set[int] = set()

    def add(value: str, kind: str, line: int) -> None:
        key = value.lower()
        if key not in seen:
            seen.add(key)
            out.append(Contact(value=value, kind=kind, line=line))  # type: ignore[arg-type]

    for b in blocks:
        text = b.text if b.kind != "table" else b.text[:20000]
        low = text.lower()
        if "@" in text:
            for m in _EMAIL.finditer(text):
                add(m.group(1), "email", doc.locate(m.group(1), b.line, b.end_line)[0])
        if "[email protected]" in text or "[email\u00a0protected]" in text:
            # Cloudflare hides addresses from scrapers; the live page shows a real one.
            add("[email protected]", "email", b.line)
        if has_any(low, _FORM_WORDS):
            for m in _FORM.finditer(text):
                add(m.group(0), "form", b.line)
        digits = _DIGIT.search(text) is not None
        if digits:
            for m in _POSTAL.finditer(text):
                add(m.group(0).strip(), "postal", b.line)
        if digits and has_any(low, _PHONE_WORDS):
            for m in _PHONE.finditer(text):
                add(m.group(1).strip(), "phone", b.line)
        # Links keep their URL only in the source (block text holds the link text).
        for ln in range(b.line, min(b.end_line, b.line + 50, len(doc.lines)) + 1):
            # Each source line once: a minified page is one line holding thousands of blocks.
            if ln in scanned:
                continue
            scanned.add(ln)
            src = doc.lines[ln - 1] if 0 < ln <= len(doc.lines) else ""
            if len(src) > 20000:
                src = src[:20000]
            src_low = src.lower()
            if "http" in src_low and has_any(src_low, _CONTACT_URL_WORDS):
                for m in _CONTACT_URL.finditer(src):
                    add(m.group(0), "url", ln)
            if "mailto:" in src:
                for m in re.finditer(r"mailto:([^\s\"'<>)?]{3,120})", src):
                    if _EMAIL.fullmatch(m.group(1)):
                        add(m.group(1), "email", ln)
    return out


def find_title(doc: Document) -> str | None:
    for b in doc.blocks[:80]:
        if b.kind == "heading" and b.level == 1:
            return b.text
    if doc.title:
        return doc.title
    for b in doc.blocks[:20]:
        if b.kind == "heading":
            return b.text
    for b in doc.blocks[:3]:
        if b.kind == "paragraph" and len(b.text) < 100:
            return b.text
    return None
