"""Implied consent: sentences that treat continued browsing, scrolling, closing the banner,
clicking any link or merely using the site as consent to cookies.

A claim of kind ``implied_consent`` (subject: the act, ``continued_browsing``, ``scrolling``…),
which PL305 reports and ``policylint diff`` treats as a change to how consent is obtained.
Patterns use bounded gaps only, so they stay linear on hostile text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from policylint.extraction.vocab import fold, has_any
from policylint.model import Block, Claim

# Each subject, as a sentence names it ("it treats scrolling as consent").
ACTS = {
    "scrolling": "scrolling",
    "closing_banner": "closing the banner",
    "clicking_link": "clicking any link",
    "continued_use": "continuing to use the site",
    "continued_browsing": "continuing to browse",
    "using_site": "merely using the site",
    "not_opting_out": "not opting out",
}

# All patterns read folded text (lower case, no accents, straight quotes), one sentence at a time.

# What the user does: keep browsing, scroll, close the banner, use the site, follow a link.
_ACT = (
    r"(?:"
    # continue (to browse | browsing | your navigation | on this site …), keep browsing, proceed
    r"continu(?:e|es|ing)\b(?: (?:to|with|on|your|the|this|our|using|browsing)\b)*"
    r"(?: (?:brows\w*|use|using|navigat\w*|visit\w*|surf\w*|scroll\w*|access\w*|site|website))?"
    r"|keep(?:s|ing)? (?:brows|using|navigat|surf|scroll|visit)\w*"
    r"|proceed(?:s|ing)?\b"
    r"|scroll\w*|swip(?:e|es|ing)\b"
    r"|(?:clos|dismiss)(?:e|es|ing)? (?:this|the|our)(?: cookies?| information| consent)?"
    r" (?:banner|notice|message|pop-?up|window|box|bar|overlay|dialog\w*)"
    r"|(?:us(?:e|es|ing)|brows(?:e|es|ing)|visit(?:s|ing)?|access(?:es|ing)?|navigat(?:e|es|ing)|surf(?:s|ing)?)"
    r"(?: on| through)? (?:this|our|the|these|any of our) (?:web ?)?(?:sites?|websites?|services?|platforms?|apps?|pages?|applications?)\b"
    r"|brows(?:e|ing)\b|navigat(?:e|ing)\b"
    r"|(?:remain|stay)(?:s|ing)? on (?:this|our|the) (?:site|website|page)"
    r"|click(?:s|ing)? (?:on )?(?:any|a) link"
    # poursuivre/continuer (votre navigation | à naviguer …), naviguer, utiliser ce site, fermer
    r"|(?:poursuiv|continu)(?:ant|ez|er|ons)\b(?: (?:a|de|votre|la|sa|sur|ce|le|notre)\b)*"
    r"(?: (?:navigation|visite|naviguer|utiliser|parcourir|visiter|consultation|lecture|site))?"
    r"|navigu(?:ant|ez)\b"
    r"|(?:utilis|visit)(?:ant|ez) (?:ce|notre|le|nos|les) (?:site|services?|application|plateforme)"
    r"|ferm(?:ant|ez) (?:ce|le|cette) (?:bandeau|banniere|message|pop-?up|fenetre|encart)"
    r"|(?:fais(?:ant|ez) )?defil\w*"
    r"|cliqu(?:ant|ez) sur (?:un|n'importe quel) lien"
    r")"
)
# Acts that read as the subject of a sentence: "your continued use of the site constitutes …".
_SUBJECT = (
    r"(?:"
    r"(?:continued|continuing) (?:use|usage|browsing|navigation|access|visit)\w*"
    r"|(?:act|fact) of (?:continuing|scrolling|browsing|closing)"
    r"|(?:\b(?:your|the|any) |^)use of (?:this|our|the) (?:web ?)?(?:sites?|websites?|services?|apps?|platforms?)"
    r"|\bfermeture (?:du|de ce|de la|de cette) (?:bandeau|banniere|message|pop-?up|fenetre|encart)"
    r"|\butilisation (?:de ce|du|de notre) site"
    r"|poursuite de (?:la |votre |sa )?navigation"
    r"|fait de (?:continuer|poursuivre|naviguer|fermer|faire defiler)"
    r")"
)
# What introduces the act: "by continuing", "if you scroll", "en poursuivant", or the sentence start.
_LEAD = (
    r"(?:(?:\bby|\bif you|\bwhen you|\bwhen|\bwhile|\bupon|\bonce you|\bshould you|\bor|\ben|\bsi vous|\blorsque vous|"
    r"\bquand vous|\bdes (?:lors )?que vous|\bou)(?: if you| si vous| by| en)?"
    r" (?:simply |merely |just |simplement |the simple act of )?|^)"
)
# What the policy concludes from the act: that the user agrees, consents, accepts.
_CLAIM = (
    r"(?:"
    r"\byou(?:'re| are| will be| shall be)?(?: hereby| thereby| therefore| also| automatically| implicitly"
    r"| expressly| deemed to| thus)? (?:agree|consent|accept|authori[sz]|allow|permit|acknowledge and agree)\w*"
    r"|\byou(?:'re| are| will be)?(?: hereby| thereby| therefore| also| automatically| implicitly| thus)?"
    r" (?:giv|grant|signal|indicat|"
    r"express|confirm|signif|provid)\w* (?:us )?(?:your )?(?:implied |tacit )?"
    r"(?:consent|agreement|acceptance|permission|approval)"
    r"|\b(?:constitutes?|means?|implies|signif(?:y|ies)|indicates?|amounts? to|counts? as|serves? as|equals?|"
    r"represents?|(?:is|are|will be|shall be)(?: not| never| no longer)? (?:taken|treated|regarded|considered|deemed|understood|interpreted)"
    r"(?: as| to be)?)(?: that)?(?: you)?(?: have)?(?: your| an?| implied| tacit| implicit| express| full)?"
    r" (?:consent|acceptance|agreement|approval|authori[sz]ation|permission|accept|agree)\w*"
    r"|\b(?:deemed|considered|assumed|presumed)(?: as| to be| to have| to)?(?: an?| your| given your)?"
    r"(?: implied| tacit)? (?:consent|accept|agree)\w*"
    r"|\bwe(?:'ll| will| shall| may)? (?:assume|consider|take it|understand|deem|treat|interpret|infer|presume)\w*"
    r"[^;!?]{0,40}?(?:consent|accept|agree|happy|ok with|okay with|fine with)\w*"
    r"|\bvous (?:nous )?(?:\w+ment )?(?:acceptez|consentez|agreez|autorisez|approuvez|"
    r"(?:donnez|manifestez|exprimez) (?:ainsi |implicitement )?(?:votre |un )?(?:accord|consentement|autorisation|"
    r"approbation)|reconnaissez (?:et acceptez|accepter))"
    r"|\b(?:etes|serez) (?:\w+ment )?(?:repute|considere|cense|presume)e?s? (?:avoir )?"
    r"(?:accept\w*|consenti\w*|donne (?:votre |son )?(?:accord|consentement))"
    r"|\b(?:vaut|valent|vaudra|valoir|emporte|implique|impliquera|signifie|equivaut|constitue|manifeste|exprime)"
    r"(?: pas| jamais| plus)?(?: a)?(?: votre| un| une| l'| le| son)? ?(?:accord|acceptation|consentement|approbation|adhesion)"
    r"|\b(?:sera|est) (?:consideree?|reputee?|regardee?|interpretee?) comme (?:un |une |votre |valant )?"
    r"(?:accord|acceptation|consentement)"
    r"|\bnous (?:considererons|considerons|estimerons|estimons|supposerons|partirons du principe|en deduirons)"
    r"[^;!?]{0,40}?(?:accept|consent|accord|satisfait)\w*"
    r")"
)
# A continued visit that sets cookies: "if you continue browsing, cookies will be placed".
_STRONG_ACT = (
    r"(?:continu(?:e|es|ing)\b|keep(?:s|ing)? (?:brows|using|navigat)|scroll|swip|(?:clos|dismiss)(?:e|es|ing)? (?:this|the)"
    r"|(?:poursuiv|continu)(?:ant|ez|er)\b|ferm(?:ant|ez) (?:ce|le|cette)|(?:fais(?:ant|ez) )?defil)"
)
_DEPOSIT = (
    r"(?:"
    r"\b(?:cookies?|trackers?|they)(?: will| shall| are| then| automatically)*(?: be)?"
    r" (?:placed|set|deposited|installed|stored|dropped|activated|enabled)\b"
    r"|\bwe(?:'ll| will| shall)?(?: then| automatically)? (?:place|set|deposit|install|store|drop|activate|enable)\b"
    r"|\b(?:cookies?|traceurs?|temoins?|ils)(?: seront| sont| vont etre| pourront etre)?"
    r" (?:deposes|installes|actives|enregistres|places)\b"
    r"|\bnous (?:deposerons|deposons|installerons|installons|activerons)\b"
    r"|\b(?:entraine|entrainera|implique|autorise|permet) (?:le depot|l'installation|l'activation|la lecture)"
    r")"
)
_GAP = r"[^;!?]{0,140}?"

# "By continuing to browse, you agree …", "Your continued use … constitutes your agreement".
_ACT_THEN_CLAIM = re.compile(rf"(?P<act>{_LEAD}{_ACT}|{_SUBJECT})(?P<gap>{_GAP})(?P<claim>{_CLAIM})")
# "You accept cookies if you continue …", "… only if you accept them or if you continue your
# navigation", "vous acceptez … en poursuivant votre navigation".
_CLAIM_THEN_ACT = re.compile(
    r"(?P<claim>\b(?:you|vous)\b[^;!?]{0,30}?(?:accept|agree|consent|happy|ok with|okay with)\w*)"
    r"(?P<gap>[^;!?]{0,80}?)"
    rf"(?P<act>(?:\bby|\bor|\bou|\ben|\bif you|\bsi vous|\bsimply|\bjust|\bsimplement)(?: if you| si vous| by| en)? {_ACT})"
)
# "If you continue browsing, cookies will be placed on your device."
_ACT_THEN_DEPOSIT = re.compile(
    rf"(?P<act>{_LEAD}(?={_STRONG_ACT}){_ACT}|{_SUBJECT})(?P<gap>{_GAP})(?P<claim>{_DEPOSIT})"
)
# "This website uses cookies. We'll assume you're ok with this, but you can opt-out if you wish."
_ASSUMED = re.compile(
    r"(?P<act>)(?P<gap>)(?P<claim>\bwe(?:'ll| will| shall)? (?:assume|take it|consider) (?:that )?you(?:'re| are)"
    r" (?:ok|okay|happy|fine) with (?:this|that|it|cookies|our use of cookies)\b)"
)
_PATTERNS = (_ACT_THEN_CLAIM, _CLAIM_THEN_ACT, _ACT_THEN_DEPOSIT, _ASSUMED)

# Between the act and the claim: the sentence denies the link, or makes consent come later
# ("does not mean you accept", "ne vaut pas consentement", "until you accept").
_BLOCKER = re.compile(
    r"\b(?:not|never|nor|neither|cannot|no longer|ne|n'|pas|jamais|ni|aucun\w*|unless|until|only|before|"
    r"instead|rather|refus\w*|reject\w*|declin\w*|oppos\w*|jusqu|tant que|seulement|uniquement|avant|plutot|"
    r"sauf|except\w*)\b|n't"
)
# "Continue without accepting" (a reject option), "continuer sans accepter".
_WITHOUT = re.compile(
    r"^[^;!?]{0,30}?\b(?:without|sans)\b (?:(?:your|votre|an?|un|any) )?(?:accept|consent|agree|giv|donner|accord)"
)
# Right before the act: "sans que la simple poursuite …", "it is not the case that by continuing …".
_NEGATED_BEFORE = re.compile(
    r"(?:\b(?:sans que|without|rather than|instead of|plutot que|au lieu de|not|ne|n'|never|cannot|ni|no longer)\b"
    r"|n't)(?: [\w']+){0,3} ?(?:la |le |l'|votre |the |your )?(?:simple |mere )?$"
)
# The claim ties consent to a click: "you accept cookies by clicking 'Accept'" (a real act).
_BY_CLICKING = re.compile(
    r"^[^;!?]{0,60}?\b(?:by|en) (?:clicking|cliquant|selecting|selectionnant|ticking|cochant|pressing|"
    r"tapping|choosing|choisissant|activating|activant|toggling)"
)
# A continued visit that sets only exempt cookies says nothing about consent: exempt words and no
# word of a purpose that needs consent.
_EXEMPT = re.compile(r"necessar|necessair|essential|essentiel|strictly|strictement|indispensable|exempt")
_NOT_EXEMPT = re.compile(
    r"analyt|advert|marketing|statisti|audience|measur|mesur|publicit|third|tiers|social|personali|target|"
    r"cibl|track|all cookies|tous les cookies|other cookies|autres cookies"
)
# Consent given before the act: "if you continue to use the site after accepting, …".
_AFTER_ACCEPTING = re.compile(
    r"^[^;!?]{0,40}?\b(?:after|once|since) (?:accepting|having accepted|you (?:have )?(?:accepted|agreed|consented))"
    r"|^[^;!?]{0,40}?\bapres (?:avoir )?(?:accepte|consenti)"
)
# Reported speech: "some websites claim that by continuing …" is about others.
_REPORTED = re.compile(
    r"\b(?:some|other|many|certain)\s+(?:\w+\s+){0,2}(?:claim|say|state|argue|pretend|suggest|assume)s?\s+that\b"
    r"|\bcertains?\s+(?:\w+\s+){0,2}(?:pretendent|affirment|considerent|estiment)\s+que\b"
)
# Negation words in the gap or in the claim: the policy denies the link ("continuing to browse
# does not mean you accept"), a protective statement (a claim with polarity false).
_NEGATION = re.compile(r"\b(?:not|never|no longer|cannot|ne|n'|pas|jamais|plus)\b|n't")
# The policy denies the reading: "we do not consider that continuing … means you consent".
_DENIAL = re.compile(
    r"\b(?:we|nous)\s+(?:do not|don't|never|will not|won't|no longer|ne)\s+(?:\w+\s+)?"
    r"(?:consider|deem|treat|regard|interpret|view|take|assume|considerons|estimons|interpretons|tenons)"
)
_OBJECT_WORDS = ("cookie", "tracker", "traceur", "temoin", "consent", "pixel")
# "… if you accept them or if you continue": the cookies named in an earlier sentence.
_PRONOUN = re.compile(
    r"\b(?:them|their (?:use|placement|deposit|installation|storage)|les (?:accept|autoris)\w*|"
    r"leur (?:utilisation|depot|installation)|ceux-ci|celles-ci|y consent\w*|en etes (?:satisfait|d'accord)\w*)\b"
    # "you agree to this.", "happy with it", "ok with that,": a pronoun that ends the clause
    r"|\b(?:this|that|it)(?=\s*(?:[.,;:!)]|$))"
)
_SPLIT = re.compile(r"(?<=[.!?])\s+")

# Literals every match contains (read off the patterns; keep them in step; folded text, so no
# IGNORECASE caveat). Each act holds one of _ACT_WORDS (a subject act one of its words too);
# each claim one of _CLAIM_WORDS, each deposit one of _DEPOSIT_WORDS.
_ACT_WORDS = (
    "continu",
    "keep",
    "proceed",
    "scroll",
    "swip",
    "clos",
    "dismiss",
    "use",
    "using",
    "brows",
    "visit",
    "access",
    "navig",
    "surf",
    "remain",
    "stay",
    "click",
    "poursui",
    "fait de",
    "ferm",
    "defil",
    "cliqu",
    "utilis",
)
_CLAIM_WORDS = (
    "agree",
    "consent",
    "accept",
    "authori",
    "allow",
    "permi",  # permit, permission
    "appro",  # approve, approval, approuvez, approbation
    "autoris",
    "happy",
    "ok with",
    "okay with",
    "fine with",
    "satisf",
    "accord",
    "adhesion",
)
# Every _ASSUMED match holds one of these (it names no act).
_ASSUME_WORDS = ("assum", "take it", "consider")
_DEPOSIT_WORDS = (
    "placed",
    "set",
    "deposit",
    "install",
    "stor",
    "drop",
    "activ",
    "enabl",
    "place",
    "depos",
    "enregistr",
    "depot",
    "lecture",
)


# Literals of every act _ACT_THEN_DEPOSIT accepts: a _STRONG_ACT or a _SUBJECT ("fact of"
# holds "act of", "continued" "continu", "poursuite" "poursui").
_STRONG_WORDS = (
    "continu",
    "keep",
    "scroll",
    "swip",
    "clos",
    "dismiss",
    "poursui",
    "ferm",
    "defil",
    "act of",
    "fait de",
)


def _contains(text: str, words: Iterable[str]) -> bool:
    """Whether ``text`` contains one of ``words``: a test the result depends on (``has_any`` is
    only the prefilter before a pattern, which the tests turn off)."""
    return any(w in text for w in words)


def _what(act: str) -> str:
    """The act a match names (the claim's subject)."""
    if _contains(act, ("scroll", "swip", "defil")):
        return "scrolling"
    if _contains(act, ("clos", "dismiss", "ferm")):
        return "closing_banner"
    if _contains(act, ("link", "lien")):
        return "clicking_link"
    if _contains(act, ("continu", "poursui", "keep", "proceed", "remain", "stay", "fait de")):
        return "continued_use" if _contains(act, ("use", "using", "utilis")) else "continued_browsing"
    return "using_site"


def _quoted_and_rejected(sentence: str, start: int, end: int) -> bool:
    """Whether sentence[start:end] sits inside a quotation that the rest of the sentence rejects."""
    before = sentence[:start]
    for opening, closing in (('"', '"'), ("\u201c", "\u201d"), ("\u00ab", "\u00bb")):
        inside = (
            before.count(opening) % 2 == 1
            if opening == closing
            else before.count(opening) > before.count(closing)
        )
        if inside:
            close = sentence.find(closing, end)
            return close != -1 and bool(_NEGATION.search(sentence, close + 1))
    return False


def _judge(sentence: str, unit_has_object: bool) -> tuple[str, bool] | None:
    """(act, polarity) for a folded sentence that takes an act as consent (True) or says it does
    not (False: "continuing to browse does not mean you accept cookies"); None otherwise."""
    acts = has_any(sentence, _ACT_WORDS)
    assumed = has_any(sentence, _ASSUME_WORDS)
    if not acts and not assumed:
        return None
    claims = has_any(sentence, _CLAIM_WORDS)
    deposits = has_any(sentence, _DEPOSIT_WORDS)
    if not claims and not deposits:
        return None
    if not _contains(sentence, _OBJECT_WORDS) and not (unit_has_object and _PRONOUN.search(sentence)):
        return None  # "by continuing you agree to our Terms": not about cookies
    if _EXEMPT.search(sentence) and not _NOT_EXEMPT.search(sentence):
        return None  # "if you continue, only strictly necessary cookies are set"
    denied: str | None = None  # the act of the first match the sentence denies
    for rx in _PATTERNS:
        if rx is _ASSUMED:
            if not (claims and assumed):
                continue
        elif not acts or not (deposits if rx is _ACT_THEN_DEPOSIT else claims):
            continue
        for m in rx.finditer(sentence):
            act_start, act_end = m.span("act")
            act = "not_opting_out" if rx is _ASSUMED else _what(m.group("act"))
            if _REPORTED.search(sentence, 0, act_start):
                continue  # "some websites claim that by continuing …": about others
            negated = (
                (
                    rx is not _CLAIM_THEN_ACT
                    and (_NEGATION.search(m.group("gap")) or _NEGATION.search(m.group("claim")))
                )
                or _NEGATED_BEFORE.search(sentence[max(0, act_start - 40) : act_start])
                or _DENIAL.search(sentence, 0, act_start)
                or _quoted_and_rejected(sentence, act_start, m.end())
            )
            if negated:
                # "continuing to browse does not mean you accept", "sans que la simple poursuite
                # …", "we do not consider that continuing … means you consent".
                denied = denied or act
                continue
            if _BLOCKER.search(m.group("gap")):
                continue  # "… will only be placed after you accept": a condition, not a claim
            if rx is _ASSUMED:
                return act, True
            if _WITHOUT.search(sentence[act_end:]) or _AFTER_ACCEPTING.search(sentence[act_end:]):
                continue  # "continue without accepting", "continue … after accepting"
            if rx is _CLAIM_THEN_ACT:
                if _BLOCKER.search(m.group("claim")):
                    continue  # "if you do not accept cookies, or if you continue …"
            elif _BY_CLICKING.search(sentence[m.end("claim") :]):
                continue  # "when you visit our site, you accept cookies by clicking 'Accept'"
            return act, True
    return (denied, False) if denied else None


def may_imply(folded: str) -> bool:
    """Whether a block's folded text can hold an implied-consent sentence: it names cookies (or
    consent, trackers…) — a pronoun alone needs its cookies in the block —, and a claim comes with
    an act, a deposit ("cookies will be placed") with a strong act. (The prefilter the tests turn
    off: every match holds these words.) The object words go first: half the blocks of a policy
    hold none, and they are six words, not twenty-five."""
    if not has_any(folded, _OBJECT_WORDS):
        return False
    if has_any(folded, _CLAIM_WORDS) and (has_any(folded, _ACT_WORDS) or has_any(folded, _ASSUME_WORDS)):
        return True
    return has_any(folded, _STRONG_WORDS) and has_any(folded, _DEPOSIT_WORDS)


def implied_consent(block: Block, folded: str) -> list[Claim]:
    """The block's sentences that treat an act other than accepting as consent to cookies."""
    unit_has_object = _contains(folded, _OBJECT_WORDS)
    out: list[Claim] = []
    seen: set[str] = set()
    for sentence in _SPLIT.split(block.text):
        key = fold(sentence).strip()
        if not key or key in seen:
            continue  # the same sentence twice in one block: one claim
        seen.add(key)
        found = _judge(key, unit_has_object)
        if found is not None:
            act, polarity = found
            out.append(Claim("implied_consent", act, polarity, sentence.strip()[:300], block.line))
    return out
