"""Claims: sentences stating a fact the checks can test.

Each pattern yields (kind, subject, polarity). Patterns are anchored on a
verb phrase and use only bounded gaps, so they stay linear on hostile text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from policylint.extraction.implied_consent import implied_consent, may_imply
from policylint.extraction.vocab import fold, has_any
from policylint.model import Block, Claim

_SUBJECTS = [
    (
        "analytics",
        r"analytics?|analytical|performance|statisti\w*|audience[- ]measurement|measurement|usage|mesure d'audience|d'analyse|analytiques?|statistiques?",
    ),
    (
        "advertising",
        r"advertising|advertisement|ad|ads|marketing|targeting|tracking|publicitaires?|de ciblage|de publicite|de suivi",
    ),
    ("social_media", r"social media|social network(?:ing)?|reseaux sociaux"),
    ("third_party", r"third[- ]party|3rd[- ]party|tiers"),
    ("preferences", r"preferences?|functional|functionality|fonctionnels?|de preferences?"),
    (
        "strictly_necessary",
        r"strictly necessary|essential|necessary|strictement necessaires?|essentiels?|necessaires?",
    ),
]


_SUBJECT_RX = [(subj, re.compile(rx)) for subj, rx in _SUBJECTS]


def _subject(word: str) -> str | None:
    for subj, rx in _SUBJECT_RX:
        if rx.fullmatch(word):
            return subj
    return None


_SUBJ_ALT = "|".join(rx for _, rx in _SUBJECTS)
# Each pattern comes with the literals its every match contains, one group per "and": it runs
# only on a sentence holding a word of each group (read off the pattern; keep them in step).
_TRACKERS = ("cookie", "track", "technolog", "pixel", "tool")
_NEG_USE: list[tuple[tuple[tuple[str, ...], ...], re.Pattern[str]]] = [
    # we do not use (any) analytics cookies / we never use advertising cookies
    (
        (("not", "n't", "never"), _TRACKERS),
        re.compile(
            r"\b(?:we|this (?:site|website|app))\s+(?:do|does|will)?\s*(?:not|n't|never)\s+(?:currently\s+)?(?:use|set|place|deploy|serve|install)\s+(?:any\s+)?("
            + _SUBJ_ALT
            + r")[\s-]+(?:or\s+\w+\s+)?(?:cookies?|trackers?|tracking|technolog|pixels?|tools?)"
        ),
    ),
    # we use no analytics cookies / no advertising cookies are used
    (
        (("use",), ("no",), ("cookie", "track")),
        re.compile(
            r"\b(?:we|this (?:site|website))\s+use[sd]?\s+no\s+(" + _SUBJ_ALT + r")\s+(?:cookies?|trackers?)"
        ),
    ),
    (
        (("no",), ("cookie", "track")),
        re.compile(
            r"\bno\s+("
            + _SUBJ_ALT
            + r")\s+(?:cookies?|trackers?)\s+(?:are|is|will be)\s+(?:used|set|placed|installed)"
        ),
    ),
    # nous n'utilisons pas de cookies publicitaires / aucun cookie de mesure d'audience n'est déposé
    (
        (("n'",), ("cookie", "traceur")),
        re.compile(
            r"\bn'(?:utilisons|utilise|deposons|depose|installons)\s+(?:pas|aucun)\s+(?:de\s+|d')?(?:cookies?|traceurs?)\s+("
            + _SUBJ_ALT
            + r")"
        ),
    ),
    ((("aucun",),), re.compile(r"\baucun\s+(?:cookie|traceur)\s+(" + _SUBJ_ALT + r")")),
    # Analytics / performance: No  |  Advertising cookies: No
    (
        ((":",), ("no", "aucun")),
        re.compile(r"^(" + _SUBJ_ALT + r")(?:\s*/\s*\w+)?(?:\s+cookies?)?\s*:\s*(?:no|none|non|aucun)\b"),
    ),
    # there are no advertising cookies and no analytics cookies here
    (
        (("no",), ("cookie", "track", "pixel")),
        re.compile(r"\bno\s+(" + _SUBJ_ALT + r")[\s-]+(?:or\s+[a-z-]+\s+)?(?:cookies?|trackers?|pixels?)\b"),
    ),
    # this site collects no usage data
    ((("collect",),), re.compile(r"\bcollects?\s+no\s+(usage|analytics)\s+data")),
]
_POS_USE: list[tuple[tuple[tuple[str, ...], ...], re.Pattern[str]]] = [
    (
        (("we",), ("cookie", "track", "pixel", "tool")),
        re.compile(
            r"\bwe\s+(?:also\s+)?(?:use|set|place|deploy)\s+(?:some\s+)?("
            + _SUBJ_ALT
            + r")[\s-]+(?:cookies?|trackers?|pixels?|tools?)"
        ),
    ),
    (
        (("nous",), ("cookie", "traceur")),
        re.compile(
            r"\bnous\s+(?:utilisons|deposons|installons)\s+(?:egalement\s+)?(?:des\s+)?(?:cookies?|traceurs?)\s+(?:de\s+|d')?("
            + _SUBJ_ALT
            + r")"
        ),
    ),
    (
        ((":",), ("yes", "oui")),
        re.compile(r"^(" + _SUBJ_ALT + r")(?:\s*/\s*\w+)?(?:\s+cookies?)?\s*:\s*(?:yes|oui)\b"),
    ),
]


def _holds(s: str, groups: tuple[tuple[str, ...], ...]) -> bool:
    """Whether ``s`` holds a word of every group."""
    for words in groups:  # noqa: SIM110 - a loop: any()/all() over a generator costs more
        if not has_any(s, words):
            return False
    return True


_FIRST_ONLY = re.compile(
    r"\ball\s+(?:the\s+|our\s+)?cookies\s+(?:on\s+this\s+\w+\s+|we\s+use\s+)?are\s+first[- ]party|\b(?:we|this\s+(?:site|website|app)|\w+)\s+(?:only|exclusively)\s+uses?\s+first[- ]party\s+cookies|\bn'utilisons\s+que\s+des\s+cookies\s+(?:internes|propri[ee]taires|de\s+premi[eè]re\s+partie)|\bonly\s+first[- ]party\s+cookies\s+are\s+used|\bno\s+third[- ]party\s+cookies\b|\bn'utilisons\s+(?:pas|aucun)\s+(?:de\s+)?cookies?\s+tiers"
)
_ESSENTIAL_ONLY = re.compile(
    r"\b(?:we|this (?:site|website))\s+(?:only|exclusively)\s+(?:use|set)\s+(?:strictly\s+)?(?:necessary|essential)\s+cookies|"
    r"\bonly\s+(?:strictly\s+)?(?:necessary|essential)\s+cookies\s+are\s+(?:used|set)|"
    r"\buniquement\s+des\s+cookies\s+(?:strictement\s+necessaires|essentiels)|"
    r"\bn'(?:utilisons|utilise|deposons)\s+que\s+des\s+(?:cookies|traceurs)\s+(?:strictement\s+necessaires|essentiels|techniques)"
)
_NO_BANNER = re.compile(
    r"\bno\s+(?:cookie\s+|consent\s+)?(?:banner|pop-?up)\s+is\s+(?:required|needed|necessary|shown)|"
    r"\b(?:do|does)\s+not\s+(?:need|require|have)\s+(?:to\s+(?:show|display|use)\s+)?a\s+(?:cookie\s+|consent\s+)?banner|"
    r"\bpas\s+(?:besoin\s+)?(?:de\s+|d')?(?:bandeau|banniere)|"
    r"\baucun(?:e)?\s+(?:bandeau|banniere)\s+(?:cookies?\s+|de\s+consentement\s+)?n'est\s+(?:necessaire|requis|obligatoire)"
)
_BANNER = re.compile(
    r"\b(?:cookie|consent)\s+(?:banner|pop-?up|tool|manager)\s+(?:lets|allows|enables|asks|will ask|is shown|appears)|\bbandeau\s+(?:cookies?\s+)?(?:vous\s+)?permet"
)
_CONSENT = re.compile(
    r"\b(?:only|solely)\s+(?:be\s+)?(?:set|used|placed|installed|activated|loaded|stored)\s+(?:after|once|if|when)\s+you\s+(?:have\s+)?(?:give|accept|consent|agree|opt|tick|check|allow|enable)|"
    r"\b(?:we|will)\s+(?:ask|request|obtain|seek|collect)\s+(?:for\s+)?your\s+(?:prior\s+)?consent\s+before|"
    r"\bwith\s+your\s+(?:prior\s+)?consent\b|"
    r"\b(?:recueill\w+|demand\w+|sollicit\w+)\s+(?:votre|ton)\s+consentement\s+(?:prealable\s+)?(?:avant|pour)|"
    r"\b(?:soumis|subordonnee?s?)\s+a\s+(?:votre|ton)\s+consentement|"
    r"\b(?:require|need|ask\s+for)\s+your\s+(?:prior\s+)?(?:authori[sz]ation|permission|agreement)\s+before|"
    r"\byour\s+consent\s+is\s+(?:requested|required|asked|sought|obtained)"
)
_NEGATED = re.compile(r"\b(?:not|no|never|without|pas|sans|aucun|jamais)\b[^.,;]{0,25}$")
_GPC = re.compile(
    r"\b(?:honou?r|respect|recogni[sz]e|support|comply with|treat|process|respond to|act on)\w*\s+(?:the\s+)?(?:global privacy control|gpc)\b|\bgpc\s+signals?\s+(?:are|is)\s+(?:honou?red|respected)"
)
_NO_DNT = re.compile(
    r"\b(?:do|does)\s+not\s+(?:currently\s+)?(?:respond|honou?r|recogni[sz]e)\w*\s+(?:to\s+)?(?:browser\s+)?(?:\"|“)?(?:do not track|dnt)"
)
_DNT = re.compile(r"\b(?:honou?r|respect|recogni[sz]e)\w*\s+(?:the\s+)?(?:\"|“)?(?:do not track|dnt)")
_NO_SELL = re.compile(
    r"\b(?:we|nous)\s+(?:do\s+not|don't|never|ne\s+vendons)\s*(?:sell|rent|vendons)(?:\s+or\s+(?:rent|share|trade|sell))?\s+(?:pas\s+)?(?:your\s+|vos\s+)?(?:personal\s+)?(?:data|information|donnees)"
)
_NO_SHARE_ADS_FR = re.compile(
    r"\bne\s+(?:partageons|transmettons|vendons|communiquons)\s+pas\s+(?:vos\s+)?(?:donnees|informations)[^.]{0,40}(?:annonceurs|partenaires\s+publicitaires|regies)"
)
_NO_SHARE_ADS = re.compile(
    r"\b(?:we|nous)\s+(?:do\s+not|don't|never|ne\s+partageons)\s*(?:share|partageons)\s+(?:pas\s+)?(?:your\s+|vos\s+|any\s+)?(?:personal\s+)?(?:data|information|donnees)?\s*(?:with|avec)\s+(?:any\s+)?(?:advertis\w*|ad\s+partners|annonceurs|partenaires publicitaires|third[- ]part(?:y|ies)\s+for\s+advertising)"
)

_NO_SHARE_3P = re.compile(
    r"\b(?:never|not)\s+(?:be\s+)?(?:shared|transferred|disclosed|passed|sold)\s+(?:with|to)\s+(?:any\s+)?third[- ]part|"
    r"\b(?:ne\s+sont|n'est|ne\s+seront)\s+(?:jamais|pas)\s+(?:transmis|partag|communiqu|c[ee]d)\w*\s+(?:a|avec)\s+(?:des\s+)?tiers"
)
_NOT_BEFORE = re.compile(r"\bnot\b|\bne\b")
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý\"“«])")


@lru_cache(maxsize=4096)
def sentences(text: str) -> tuple[str, ...]:
    """The sentences of a text (cached: the claims and the mentions of items both read them)."""
    return tuple(s for s in _SENT.split(text) if s.strip()) if len(text) < 20000 else (text[:20000],)


_CONSENT_SUBJECTS = re.compile(
    r"\b(analytics?|analytical|statisti\w*|audience|advertising|adverts?|marketing|publicitaires?|social media|reseaux sociaux)\b"
)


def _named_subjects(text: str) -> list[str]:
    out: list[str] = []
    for m in _CONSENT_SUBJECTS.finditer(text):
        w = m.group(1)
        subj = (
            "advertising"
            if w.startswith(("advert", "market", "publicit"))
            else ("social_media" if w.startswith(("social", "reseaux")) else "analytics")
        )
        if subj not in out:
            out.append(subj)
    return out


# Literals that every match of a group of patterns above contains (read off the patterns; keep
# them in step). A group runs only on a sentence holding one of its literals: most sentences
# hold none, and a substring test is far cheaper than a regex scan that fails.
_TRACK_WORDS = ("cookie", "track", "technolog", "pixel", "tool", "traceur")
_NEG_WORDS = ("no", "n'", "never", "aucun")  # "no" covers "not", "none"; "n'" covers "n't"
_FIRST_ONLY_WORDS = ("first", "third", "n'utilisons")
_ONLY_WORDS = ("only", "exclusively", "uniquement", "que")
_BANNER_TOOL_WORDS = ("banner", "pop", "tool", "manager", "bandeau")  # each match holds one
_BANNER_WORDS = ("banner", "pop", "bandeau", "banniere")
_YOU_WORDS = ("only", "solely", "before")  # _CONSENT without "consent": "only … after you", "your … before"
_GPC_WORDS = ("gpc", "global privacy control")
_DNT_WORDS = ("dnt", "do not track")
_SELL_WORDS = ("sell", "rent", "vendons")
_SHARE_WORDS = ("share", "partageons")
_THIRD_WORDS = ("third", "tiers")
# A literal of some group (the "you" test aside): a block holding none states nothing.
_ANY_WORDS = (
    *_TRACK_WORDS,  # "cookie" first: most sentences of a cookie policy hold it (has_any stops there)
    ":",
    "collect",
    "consent",
    "pas",
    *_BANNER_WORDS,
    *_GPC_WORDS,
    *_DNT_WORDS,
    *_SELL_WORDS,
    *_SHARE_WORDS,
    *_THIRD_WORDS,
)


def _may_claim(s: str) -> bool:
    return has_any(s, _ANY_WORDS) or ("you" in s and has_any(s, _YOU_WORDS))


def claims_of(block: Block) -> list[Claim]:
    if block.kind == "table":
        return []
    folded = fold(block.text)
    implied = implied_consent(block, folded) if may_imply(folded) else []
    # Each sentence's folded text is part of the block's: a block that holds no literal of any
    # pattern has no sentence that does (and is not split and folded sentence by sentence).
    if not _may_claim(folded):
        return implied
    out: list[Claim] = []
    for sent in sentences(block.text):
        s = fold(sent).strip()
        if len(s) > 1500:
            s = s[:1500]
        # A question or a conditional ("if we do not use...") states nothing.
        if s.endswith("?") or s.startswith(("if ", "si ", "when ", "lorsque ")) or not _may_claim(s):
            continue

        def add(kind: str, subject: str, polarity: bool, sent: str = sent) -> None:
            if not any(c.kind == kind and c.subject == subject for c in out):
                out.append(
                    Claim(
                        kind=kind,
                        subject=subject,
                        polarity=polarity,
                        text=sent.strip()[:300],
                        line=block.line,
                    )
                )

        colon = ":" in s  # the "Analytics: No" / "Advertising cookies: yes" forms
        tracks = has_any(s, _TRACK_WORDS)
        cookie = "cookie" in s
        if colon or "collect" in s or (tracks and has_any(s, _NEG_WORDS)):
            for words, rx in _NEG_USE:
                if not _holds(s, words):
                    continue
                for m in rx.finditer(s):
                    subj = _subject(m.group(1))
                    if subj:
                        add("uses", subj, False)
        if colon or tracks:
            for words, rx in _POS_USE:
                if not _holds(s, words):
                    continue
                for m in rx.finditer(s):
                    subj = _subject(m.group(1))
                    if subj and not any(c.kind == "uses" and c.subject == subj for c in out):
                        add("uses", subj, True)
        if cookie and has_any(s, _FIRST_ONLY_WORDS) and _FIRST_ONLY.search(s):
            add("uses", "third_party", False)
        if (cookie or "traceur" in s) and has_any(s, _ONLY_WORDS) and _ESSENTIAL_ONLY.search(s):
            add("uses", "non_essential", False)
        if has_any(s, _BANNER_WORDS) and _NO_BANNER.search(s):
            add("banner", "consent_banner", False)
        elif has_any(s, _BANNER_TOOL_WORDS) and _BANNER.search(s):
            add("banner", "consent_banner", True)
        cm = None
        if "consent" in s or ("you" in s and has_any(s, _YOU_WORDS)):
            cm = _CONSENT.search(s)
        if cm:
            # "Analytics and advertising cookies are only set after you accept them": the
            # consent rule is about the categories named, here or earlier in the block.
            # "…ne sont pas soumis à votre consentement" says the opposite.
            polarity = not _NEGATED.search(s[max(0, cm.start() - 40) : cm.start() + 12])
            subjects = _named_subjects(s) or _named_subjects(fold(block.text)[:2000])
            for subj in subjects or ["non_essential"]:
                add("consent", subj, polarity)
        gpc = _GPC.search(s) if has_any(s, _GPC_WORDS) else None
        if gpc and not _NOT_BEFORE.search(s[: gpc.start()][-40:]):
            add("signal", "gpc", True)
        if has_any(s, _DNT_WORDS):
            if _NO_DNT.search(s):
                add("signal", "dnt", False)
            elif _DNT.search(s):
                add("signal", "dnt", True)
        if has_any(s, _SELL_WORDS) and _NO_SELL.search(s):
            add("sharing", "sale", False)
        if (has_any(s, _SHARE_WORDS) and _NO_SHARE_ADS.search(s)) or (
            "pas" in s and _NO_SHARE_ADS_FR.search(s)
        ):
            add("sharing", "advertising_partners", False)
        if has_any(s, _THIRD_WORDS) and _NO_SHARE_3P.search(s):
            add("sharing", "third_parties", False)
    out.extend(implied)
    return out
