"""Words policies use for categories, parties, consent and storage, in English and French."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

# NFKD spells a Latin accent as one of these marks after its letter; other scripts keep theirs.
_COMBINING = re.compile("[\u0300-\u036f]+")


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower-case, accents removed, non-breaking spaces and typographic quotes normalised.

    Cached: every check folds the same block texts again.
    """
    low = text.lower()
    if low.isascii():
        return low
    # Three str.replace calls, not str.translate with a dict: the same result, but translate
    # looks every character up in the dict (the slowest part of folding a long French text).
    out = _COMBINING.sub("", unicodedata.normalize("NFKD", low))
    return out.replace("\u00a0", " ").replace("\u2019", "'").replace("\u2018", "'")


def has_any(text: str, words: Iterable[str]) -> bool:
    """Whether ``text`` contains one of ``words``.

    The cheap test run before a regex whose every match contains one of them: most texts
    contain none, and a substring search costs far less than a regex scan that fails. (A loop,
    not ``any()`` over a generator, which costs more than the tests themselves.)
    """
    for w in words:  # noqa: SIM110 - see the docstring
        if w in text:
            return True
    return False


# Order matters: the first category whose pattern matches wins, most specific first.
_CATEGORY_RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "consent",
        re.compile(
            r"consent(?:ement)? (?:management|manager|choices?|preferences?|status|settings)|"
            r"gestion des? consentements?|(?:stores?|saves?|remembers?|records?|conserve|memorise|enregistre)\w* (?:the |your |vos |votre |le |les )?(?:user'?s? )?(?:consent|cookie choi|cookie banner choi|cookie preferen|choix[^.]{0,40}(?:cookies|traceurs)|consentement)|"
            r"(?:choices?|preferences?) (?:about|regarding|on|for) (?:cookies|trackers)|"
            r"cookie (?:consent|preferences?|choices?)|consent cookie|choix (?:en matiere de|relatifs aux) cookies|\bcmp\b"
        ),
    ),
    (
        "social_media",
        re.compile(
            r"social (?:media|network|sharing|plug)|reseaux? sociaux|partage sur les reseaux|share buttons?|boutons? de partage|liens de partage"
        ),
    ),
    (
        "advertising",
        re.compile(
            r"advertis|advert\b|adverts|\bads?\b|marketing|retarget|remarket|targeting|ciblage|publicit|re-?ciblage|conversion tracking|suivi des conversions|affiliat|interest-based|behavioural|comportementa"
        ),
    ),
    (
        "analytics",
        re.compile(
            r"analytic|statisti|audience|performance|measur|mesure|usage data|how (?:you|visitors|users) use|utilisation du site|frequentation|a/b test|heatmap|session replay"
        ),
    ),
    (
        "security",
        re.compile(
            r"securit|fraud|fraude|bot\b|robots?\b|anti-?bot|captcha|ddos|load[- ]balanc|equilibrage|csrf|xsrf|attaque"
        ),
    ),
    (
        "preferences",
        re.compile(
            r"preferen|functional|fonctionnel|fonctionnalit|settings|parametre|langu|\blang\b|theme|contrast|accessib|remember (?:your|choices)|personnalisation de l'interface"
        ),
    ),
    ("personalisation", re.compile(r"personali[sz]|personnalis|recommend")),
    (
        "strictly_necessary",
        re.compile(
            r"strictly necessary|strictement necessaire|essential|essentiel|necessary|necessaire|indispensable|technical|techniques?|required|obligatoire|session identifier|identifiant de session|authenticat|\blog(?:ged)?[- ]?in\b|connexion|panier|basket|cart\b"
        ),
    ),
]


@lru_cache(maxsize=4096)
def category_of(text: str | None) -> str | None:
    """The category a heading, a category cell or a purpose names, or None."""
    if not text:
        return None
    s = fold(text)
    for cat, rx in _CATEGORY_RULES:
        if rx.search(s):
            return cat
    return None


# A heading/category cell is more authoritative than a purpose; these are the
# narrow forms a heading uses ("Strictly necessary cookies", "Cookies publicitaires").
_HEADING_RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "strictly_necessary",
        re.compile(
            r"strictly necessary|strictement necessaire|essential|essentiels?|necessary|necessaires?|indispensables?|required|technical|techniques|obligatoires"
        ),
    ),
    ("advertising", re.compile(r"advertis|marketing|targeting|publicit|ciblage")),
    ("social_media", re.compile(r"social|reseaux sociaux|partage")),
    ("analytics", re.compile(r"analytic|performance|statisti|audience|measurement|mesure|usage")),
    (
        "preferences",
        re.compile(
            r"preferen|functional|functionality|fonctionnel|settings|parametre|remember your settings"
        ),
    ),
    ("security", re.compile(r"securit")),
    ("personalisation", re.compile(r"personali[sz]|personnalis")),
    ("consent", re.compile(r"consent")),
]


_HEADING_WORDS = re.compile(
    r"cookie|traceur|tracker|temoin|storage|stockage|pixel|technolog|\bsdk|outils?|tools?|^[\w\s/&-]{0,40}$"
)
_AUDIENCE_MEASUREMENT = re.compile(r"mesure d'audience|audience measurement")


@lru_cache(maxsize=4096)
def heading_category(text: str | None) -> str | None:
    if not text:
        return None
    s = fold(text)
    if not _HEADING_WORDS.search(s):
        return None
    # "audience measurement cookies strictly necessary" (CNIL exemption) is analytics, exempt.
    if _AUDIENCE_MEASUREMENT.search(s):
        return "analytics"
    for cat, rx in _HEADING_RULES:
        if rx.search(s):
            if cat == "consent" and _NEEDS_CONSENT.search(s):
                return None  # "Cookies subject to your consent": a consent regime, not consent records
            return cat
    return None


# "Cookies subject to / requiring your consent", "soumis à votre consentement".
_NEEDS_CONSENT = re.compile(
    r"(?:subject to|requir\w*|needs?|needing|with|after|only|soumis a|necessit\w*|avec|apres|sous reserve de|"
    r"qui demandent|demandant)(?: (?:your|prior|votre|un|le|the|user'?s?))* consent"
)


_THIRD = re.compile(r"third|3rd|tiers|tierce|external|externe|partner|partenaire")
_FIRST = re.compile(r"first|1st|own|propri|interne|internal|premiere partie|notre site|nos propres")


@lru_cache(maxsize=4096)
def party_of(text: str | None) -> str | None:
    if not text:
        return None
    s = fold(text)
    if _THIRD.search(s):
        return "third"
    if _FIRST.search(s):
        return "first"
    return None


_LOCAL = re.compile(r"local ?storage|stockage local|localstorage")
_SESSION_STORAGE = re.compile(r"session ?storage|sessionstorage")
_PIXEL = re.compile(r"\bpixel|web beacon|balise|tag\b|gif\b|tracking tag")


@lru_cache(maxsize=4096)
def storage_of(text: str | None) -> str | None:
    if not text:
        return None
    s = fold(text)
    if _SESSION_STORAGE.search(s):
        return "session_storage"
    if _LOCAL.search(s):
        return "local_storage"
    if _PIXEL.search(s):
        return "pixel"
    if re.search(r"cookie|temoin", s):
        return "cookie"
    return None


_NO_CONSENT = re.compile(
    r"(?:do(?:es)? not|don't|doesn't|never) (?:require|need|ask for|request) (?:your )?(?:prior )?consent|without (?:asking (?:for )?|requiring |needing )?(?:your )?(?:prior )?consent|"
    r"no consent (?:is )?(?:required|needed)|exempt|cannot be (?:switched|turned) off|can ?not be disabled|"
    r"(?:ne (?:necessitent|requierent|sont) pas|sans) (?:soumis a )?(?:votre |le )?(?:recueil (?:de|du) )?consentement|"
    r"exemptes? de consentement|dispenses? de consentement|exemption|n'est pas soumis|ne sont pas soumis"
)
_CONSENT = re.compile(
    r"(?:with|require|need|subject to|based on|only (?:after|once|if|when)|after) (?:your |you )?(?:prior |explicit )?(?:consent|accept|agree|opt)|"
    r"(?:we|will) (?:ask|request|obtain|seek) (?:for )?your consent|if you (?:accept|consent|agree|opt in)|"
    r"(?:soumis|subordonne)e?s? a (?:votre |ton |un )?(?:accord|consentement)|avec (?:votre |ton )?(?:accord|consentement)|"
    r"(?:apres|sous reserve de) (?:votre |ton )?(?:accord|consentement)|(?:recueill|demand)\w+ (?:votre|ton) consentement|"
    r"si vous (?:acceptez|y consentez)|\bconsent\b$|^consent|^consentement|"
    r"(?:your |votre )?consent(?:ement)? (?:is|est) (?:requested|required|asked|sought|obtained|requis|demande|recueilli)|"
    r"(?:require|need|ask for) your (?:prior )?(?:authori[sz]ation|permission) before"
)

# Literals every match contains (read off the patterns; keep them in step). A match of
# _NO_CONSENT holds one of _EXEMPT_WORDS ("not be" is in "cannot be switched off" and "can not be
# disabled"), or "consent" with one of _NEGATION_WORDS; one of _CONSENT holds a _YES_WORDS word.
_EXEMPT_WORDS = ("exempt", "dispense", "soumis", "not be")
_NEGATION_WORDS = ("not", "n't", "never", "without", "no consent", "pas", "sans")
_YES_WORDS = ("consent", "accept", "agree", "opt", "accord", "permission", "authori")
_CONSENT_WORDS = (*_EXEMPT_WORDS, *_YES_WORDS)


@lru_cache(maxsize=4096)
def consent_of(text: str | None) -> bool | None:
    """False when the text says no consent is needed, True when it says consent is, else None."""
    if not text:
        return None
    s = fold(text)
    if not has_any(s, _CONSENT_WORDS):
        return None  # neither pattern can match: most sentences say nothing about consent
    no_spans = (
        [m.span() for m in _NO_CONSENT.finditer(s)]
        if has_any(s, _EXEMPT_WORDS) or (has_any(s, ("consent",)) and has_any(s, _NEGATION_WORDS))
        else []
    )
    # "does not need consent" contains "need consent": a yes inside a no is the no.
    yes = has_any(s, _YES_WORDS) and any(
        not any(a <= m.start() < b for a, b in no_spans) for m in _CONSENT.finditer(s)
    )
    no = bool(no_spans)
    if no and yes:
        # "Necessary cookies are exempt; all others need your consent": a rule per category,
        # not a regime for this section (the policy-level pass applies it by category).
        return None
    if no:
        return False
    if yes:
        return True
    return None


EXEMPT_CATEGORIES = {"strictly_necessary", "security", "consent"}
