"""Stage 3: Document → Policy.

Walks the blocks once, keeping the current section (its heading, the category
the heading names, what its paragraphs say about consent), and asks each
extractor for what it finds: tables, label/value records, lists, prose.
"""

from __future__ import annotations

import re

from policylint.extraction.claims import claims_of
from policylint.extraction.metadata import find_contacts, find_controller, find_last_updated, find_title
from policylint.extraction.records import (
    NAME_LABEL,
    Section,
    header_labels,
    items_from_text,
    records_from_lists,
    records_from_paragraphs,
)
from policylint.extraction.tables import items_from_table
from policylint.extraction.vocab import EXEMPT_CATEGORIES, consent_of, fold, heading_category
from policylint.model import Block, Document, Item, Policy, ThirdParty

_FR_WORDS = re.compile(r"\b(?:les|des|vous|nous|est|sont|pour|avec|sur|dans|une|du)\b")
_EN_WORDS = re.compile(r"\b(?:the|and|you|we|are|for|with|our|this|that|of)\b")
_POLICY_WORDS = re.compile(
    r"cookie|traceur|tracker|temoin|local ?storage|pixel|web beacon|balise|sdk|tracking|consent"
)


_PSEUDO_HEADING = re.compile(r"^[A-ZÀ-Ý][^.:;,!]{2,45}:?\s*$")


# "This cookie is for security" is a sentence (a description in a flattened table), not a title.
_SENTENCE_START = re.compile(
    r"(?:this|these|that|it|we|our|you|ce|cette|ces|nous|il|elle|ils)\b|.*\b(?:is|are|est|sont|was|were)\b",
    re.IGNORECASE,
)


_TRACKER_WORD = re.compile(r"cookie|traceur|tracker|storage|pixel")


def _is_pseudo_heading(text: str) -> bool:
    """A short line standing alone that names a kind of cookie ("Performance Cookies",
    "Analytical needs:") introduces a section, as in pages whose headings were lost."""
    t = text.strip()
    if not _PSEUDO_HEADING.match(t) or len(t.split()) > 6 or _SENTENCE_START.match(t):
        return False
    low = fold(t)
    return bool(heading_category(t.rstrip(": ")) or _TRACKER_WORD.search(low))


_STRICT_INTRO = re.compile(
    r"(?:are|is|sont|est)\s+(?:strictly necessary|strictement n[ée]cessaires?|essential|essentiels?)\b"
)


def extract_policy(doc: Document) -> Policy:
    """Everything a document declares. Pure: the same Document gives the same Policy."""
    blocks = doc.blocks
    language = _language(blocks)
    sections = _sections(blocks)
    policy = Policy(path=doc.path, format=doc.format, language=language)  # type: ignore[arg-type]
    policy.title = find_title(doc)

    from policylint.catalog import load_vendors

    vendors = load_vendors()

    items: list[Item] = []
    providers: list[tuple[str, int]] = []
    rec_items, used = records_from_paragraphs(blocks, sections)
    list_items, used_lists = records_from_lists(blocks, sections, used)
    used |= used_lists
    items.extend(rec_items)
    items.extend(list_items)

    def vendor_of(text: str) -> str | None:
        hits = [h for h in vendors.find_in(_CODE.sub(" ", text)) if h[0].category not in _NOT_RECIPIENT]
        return hits[0][0].name if len(hits) == 1 else None

    for idx, b in enumerate(blocks):
        sec = sections[idx]
        if b.kind == "table":
            # A footnote ("* le localStorage est…") belongs to the table above, not to this one.
            intro = " ".join(
                x.text
                for x in blocks[max(0, idx - 3) : idx]
                if x.kind != "table" and not _FOOTNOTE.match(x.text.lstrip())
            )[-1500:]
            found, provs = items_from_table(b, sec.heading, sec.consent, sec.category, intro)
            items.extend(found)
            providers.extend((p, b.line) for p in provs)
        elif idx not in used and b.kind in ("paragraph", "list_item"):
            items.extend(items_from_text(b, sec, vendor_of))
        policy.claims.extend(claims_of(b))
    items.sort(key=lambda it: (it.line, it.column))
    policy.cookies = _dedupe(items)

    found_date = find_last_updated(blocks, language)
    if found_date:
        policy.last_updated, policy.last_updated_line, policy.last_updated_text = found_date
    ctrl = find_controller(blocks)
    if ctrl:
        policy.controller, policy.controller_line = ctrl
    policy.contacts = find_contacts(doc, blocks)
    _infer_party(policy)
    _apply_mentions(policy, blocks)
    _infer_consent(policy, blocks)
    policy.third_parties = _third_parties(blocks, policy, providers, vendors)
    policy.policy_score = _policy_score(doc, policy)
    return policy


def _language(blocks: list[Block]) -> str:
    sample = fold(" ".join(b.text for b in blocks[:60])[:20000])
    return "fr" if len(_FR_WORDS.findall(sample)) > len(_EN_WORDS.findall(sample)) else "en"


def _sections(blocks: list[Block]) -> list[Section]:
    """For each block: the heading it sits under, that heading's category, and the consent regime
    its section states. A heading that names no category inherits its parent's."""
    out: list[Section] = []
    stack: list[tuple[int, str, str | None]] = []  # level, text, category
    consent: bool | None = None
    since_heading = 0
    labels = header_labels(blocks)
    after_label = False
    for b in blocks:
        # In a flattened table ("Name / CONSENT / Controller / Digital Advertising Alliance"),
        # the line after a label is a value, even when it looks like a title.
        pseudo = b.kind == "paragraph" and not after_label and _is_pseudo_heading(b.text)
        t = b.text.strip()
        after_label = b.kind == "paragraph" and (t in labels or bool(NAME_LABEL.match(t)))
        if b.kind == "heading" or pseudo:
            # "Analytical needs:" standing alone introduces a sub-section like a heading would.
            # A pseudo-heading ranks below every real heading: the next "### Section" ends it.
            level = b.level if b.kind == "heading" else 7
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, b.text.rstrip(": "), heading_category(b.text.rstrip(": "))))
            consent = consent_of(b.text)
            since_heading = 0
        elif b.kind == "paragraph":
            since_heading += 1
            low = fold(b.text)
            if consent is None:
                c = consent_of(b.text)
                if c is not None and _POLICY_WORDS.search(low):
                    consent = c
            if stack and stack[-1][2] is None and since_heading == 1 and _STRICT_INTRO.search(low):
                # "Everything in this section is strictly necessary…" opening a section whose heading names no category.
                stack[-1] = (stack[-1][0], stack[-1][1], "strictly_necessary")
        heading = stack[-1][1] if stack else None
        category = next((c for _, _, c in reversed(stack) if c), None)
        sec_consent = consent
        if sec_consent is None and category == "strictly_necessary":
            sec_consent = False
        out.append(Section(heading=heading, category=category, consent=sec_consent))
    return out


def _dedupe(items: list[Item]) -> list[Item]:
    """One item per declaration: a name that a table or record declares and prose
    mentions again ("the `bn_session` cookie above") is the same item."""
    declared = {(it.name or "").lower() for it in items if it.source in ("table", "record")}
    seen: set[tuple] = set()
    mentioned: set[str | None] = set()
    out: list[Item] = []
    for it in items:
        if it.source in ("prose", "list"):
            key = (it.name or "").lower()
            if key in declared or key in mentioned:
                continue
            mentioned.add(key)
        key = (it.name, it.domain, it.provider, it.duration, it.line)
        if key in seen:
            continue
        seen.add(key)
        out.append(it)
    return out


def _infer_party(policy: Policy) -> None:
    """Party when the policy does not say it: from the cookie's domain against the site's own
    (taken from its contact addresses), else the controller's own items are first-party. A
    vendor's item is not assumed third-party: `_ga` is a first-party cookie set by Google's
    script, and only the domain or the policy can say which it is."""
    own = fold(policy.controller or "").split()
    own_key = own[0] if own else None
    site = {
        c.value.rsplit("@", 1)[1].lower() for c in policy.contacts if c.kind == "email" and "@" in c.value
    }
    site |= {_registrable(d) for d in list(site)}
    for it in policy.cookies:
        if it.party is not None:
            continue
        dom = (it.domain or "").strip().lower().lstrip(".")
        dom = re.sub(r"^https?://", "", dom).split("/")[0]
        if dom and "." in dom and " " not in dom and site:
            # Compare the site's name, not its TLD: happn.com is happn's own domain when it writes from happn.fr.
            labels = {x.split(".")[-2] if x.count(".") >= 1 else x for x in site}
            dom_label = dom.split(".")[-2] if dom.count(".") >= 1 else dom
            it.party = "first" if dom_label in labels else "third"
        elif it.provider and _is_own(it.provider, own_key, site):
            it.party = "first"


def _is_own(provider: str, own_key: str | None, site: set[str]) -> bool:
    """ "The Slow Kettle" is the site slowkettle.example; "Boulangerie Numérique" is the controller."""
    prov = fold(provider)
    if own_key and own_key in prov.split()[:3]:
        return True
    squashed = re.sub(r"[^a-z0-9]", "", prov)
    labels = {d.split(".")[0] for d in site if d}
    return any(len(lbl) >= 4 and lbl in squashed for lbl in labels)


def _registrable(domain: str) -> str:
    parts = domain.split(".")
    return ".".join(parts[-2:]) if len(parts) > 2 else domain


_DOC_EXEMPT = re.compile(
    r"(?:strictly necessary|essential|necessaires?|essentiels?)[^.]{0,120}(?:exempt|without (?:asking (?:for )?|requiring |needing )?(?:your )?consent|do not require|don't require|"
    r"not require (?:your )?consent|no consent|ne (?:necessitent|requierent) pas|sans (?:votre )?consentement|dispense)"
    r"|(?:exempt|without (?:your )?consent|do not require)[^.]{0,80}(?:strictly necessary|essential)"
    r"|(?:necessary|essential)[^.]{0,80}cannot be (?:switched|turned) off"
)
_DOC_CONSENT = re.compile(
    r"(?:only|solely)[^.]{0,60}(?:after|once|if|when) you (?:have )?(?:give|given|accept|consent|agree|opt|tick|check|allow)|"
    r"(?:all other|other|non-essential|optional)[^.]{0,60}(?:require|need|subject to|only with|after)[^.]{0,30}consent|"
    r"(?:ask|request|obtain|seek|collect)\w* (?:for )?your (?:prior )?consent|with your (?:prior )?consent|"
    r"(?:soumis|subordonne)\w* a (?:votre|ton) (?:accord|consentement)|(?:recueill|demand)\w+ (?:votre|ton) consentement|"
    r"(?:ask|request|seek)\w* (?:for )?your permission"
)


_CAT_LIST = re.compile(r"([A-Za-zÀ-ÿ][\w /-]{2,40}?)\s+(?:cookies?|traceurs?|trackers?)\s*\(([^()]{1,300})\)")
_PRONOUN = re.compile(
    r"\s*(?:it|they|these|this cookie|these cookies|ils|elles|il|ce cookie|ces cookies|ce traceur|ces traceurs)\b",
    re.IGNORECASE,
)
_CODE_NAME = re.compile(r"`([^`\s]{2,80})`")


def _apply_mentions(policy: Policy, blocks: list[Block]) -> None:
    """What the text says about items declared elsewhere: "Analytics cookies (_ga, _gid) are
    set only if you accept them", "`lt_currency` … does not need consent either"."""
    from policylint.extraction.claims import sentences
    from policylint.extraction.names import normalise_name, split_names

    by_name: dict[str, list[Item]] = {}
    for it in policy.cookies:
        if it.name:
            by_name.setdefault(it.name, []).append(it)
    if not by_name:
        return
    for b in blocks:
        if b.kind == "table" or len(b.text) > 20000:
            continue
        previous: list[Item] = []
        for sent in sentences(b.text):
            named: list[Item] = []
            # Substring tests first: _CAT_LIST tries a 40-character lazy run at every letter, and
            # few sentences have a bracket after "cookies" or a code span.
            if "(" in sent and ("cookie" in sent or "traceur" in sent or "tracker" in sent):
                for m in _CAT_LIST.finditer(sent):
                    cat = heading_category(m.group(1) + " cookies")
                    for raw in split_names(m.group(2)):
                        for it in by_name.get(normalise_name(raw)[0], []):
                            if it.category is None and cat:
                                it.category = cat
                            named.append(it)
            if "`" in sent:
                for m in _CODE_NAME.finditer(sent):
                    named.extend(by_name.get(normalise_name(m.group(1))[0], []))
            if not named and _PRONOUN.match(sent):
                named = previous  # "They are set without your consent…" continues the last sentence
            if named:
                consent = consent_of(sent)
                for it in named:
                    _set_consent(it, consent, sent)
            previous = named


def _set_consent(it: Item, consent: bool | None, sentence: str) -> None:
    if consent is None or it.consent is not None:
        return
    it.consent = consent
    if consent is False and it.exemption_basis is None:
        it.exemption_basis = sentence.strip()[:200]


def _infer_consent(policy: Policy, blocks: list[Block]) -> None:
    """Consent when an item's own row and section do not say it: the policy's stated rules by
    category ("necessary cookies are exempt; all others need your consent")."""
    if all(it.consent is not None for it in policy.cookies):
        return
    text = fold(" ".join(b.text for b in blocks if b.kind != "table")[:300_000])
    exempt_rule = _DOC_EXEMPT.search(text)
    consent_rule = _DOC_CONSENT.search(text)
    for it in policy.cookies:
        if it.consent is not None or it.category is None:
            continue
        if it.category in EXEMPT_CATEGORIES and exempt_rule:
            it.consent = False
            if it.exemption_basis is None and it.category == "strictly_necessary":
                it.exemption_basis = it.section or "strictly necessary"
        elif it.category not in EXEMPT_CATEGORIES and consent_rule:
            it.consent = True


# A parent company named beside its product ("YouTube (Google Ireland Limited)",
# "Google Analytics … Google") is not a second recipient.
_PARENTS = {
    "Google": (
        "Google ",
        "YouTube",
        "Firebase",
        "DoubleClick",
        "reCAPTCHA",
        "Google Analytics",
        "Google Ads",
    ),
    "Microsoft": ("Microsoft ", "Bing", "LinkedIn"),
    "Amazon": ("Amazon ", "AWS"),
    "Meta": ("Instagram", "WhatsApp"),
}
# Software the site runs itself (WordPress, NextAuth) and standards bodies (IAB TCF) are
# named in policies but receive nothing.
_NOT_RECIPIENT = {"platform", "category"}
_SELF_HOSTED = re.compile(
    r"self-?hosted|auto-?h[ée]berg|on our own servers?|sur nos propres serveurs|h[ée]berg[ée] par nos soins|hosted by us"
)
_CODE = re.compile(r"`[^`]*`")
_FOOTNOTE = re.compile(r"(?:\*{1,3}|\(\*{1,3}\)|[¹²³†])\s")


def _third_parties(
    blocks: list[Block], policy: Policy, providers: list[tuple[str, int]], vendors
) -> list[ThirdParty]:
    """Vendors the policy names as receiving data: mentioned in its text or as a provider."""
    own = fold(policy.controller or "")
    found: dict[str, ThirdParty] = {}
    self_hosted: set[str] = set()

    def add(vendor, line: int) -> None:
        if vendor.category in _NOT_RECIPIENT or vendor.name == "IAB Europe":
            return
        if own and fold(vendor.name) in own:
            return
        if vendor.name not in found:
            found[vendor.name] = ThirdParty(name=vendor.name, line=line, category=vendor.category)

    texts: list[str] = []
    lines: list[int] = []
    for b in blocks:
        if b.kind == "table":
            for row in [b.header, *b.rows]:
                texts.append(" | ".join(c.text for c in row))
                lines.append(row[0].line if row else b.line)
        else:
            texts.append(b.text[:200_000])
            lines.append(b.line)
    # Cookie names in code spans are not mentions of a vendor ("`tarteaucitron`").
    texts = [_CODE.sub(" ", raw) if "`" in raw else raw for raw in texts]
    # One scan for all the units: most are short table rows that name no vendor.
    for text, line, mentioned in zip(texts, lines, vendors.find_in_many(texts), strict=True):
        # Most units name no vendor: fold and search the text only for those that do.
        if mentioned and _SELF_HOSTED.search(fold(text)):
            self_hosted.update(vendor.name for vendor, _offset in mentioned)
        for vendor, _offset in mentioned:
            add(vendor, line)
    for prov, line in providers:
        v = vendors.by_name(prov.strip().rstrip("*").strip())
        if v is not None:
            add(v, line)
    for it in policy.cookies:
        if it.provider and it.source in ("table", "record"):
            v = vendors.by_name(it.provider.strip().rstrip("*").strip())
            if v is not None:
                add(v, it.line)
    for name, line, category in _listed_partners(blocks):
        # A partner the catalog does not know is still a recipient: a new one is a material change.
        known = vendors.find_in(name) or vendors.find_in(fold(name))
        if not known and not (own and fold(name) in own) and name not in found:
            found[name] = ThirdParty(name=name, line=line, category=category)
    for name in self_hosted:
        found.pop(name, None)
    for parent, children in _PARENTS.items():
        if parent in found and any(n != parent and n.startswith(children) for n in found):
            del found[parent]
    return sorted(found.values(), key=lambda t: (t.line, t.name))


# "Nos partenaires publicitaires sont notamment :" / "Our advertising partners:" then a list
# of company names, one per item or comma-separated ("pour le Site : Google, Awin, Outbrain").
_PARTNER_INTRO = re.compile(
    r"\b(?:partenaires?|partners?|prestataires?|sous-traitants?|vendors?|third[- ]part(?:y|ies))\b[^.:]{0,80}:$"
)
# "Live Chat", "Payment Providers", "Help Center": features and kinds of partner, not companies.
_GENERIC = (
    "live chat payment payments provider providers help center centre support service services tools "
    "tool partners partner advertising analytics social media networks network settings cookie cookies "
    "our your the and of de des et nos vos prestataires partenaires outils reseaux sociaux paiement "
    "aide client customer app apps website websites site sites platform platforms"
)
_GENERIC_WORDS = frozenset(_GENERIC.split())
# "(?<!\s)": a match starts at the first space of a run, not at each (linear on long runs).
_PARTNER_SPLIT = re.compile(r"(?:(?<!\s)\s+)?(?:,|;|\bet\b|\band\b)\s*")
_PARTNER_NAME = re.compile(r"[A-Z0-9][\w&'’.\-/()]*(?: [\w&'’.\-/()]+){0,3}")


def _listed_partners(blocks: list[Block]) -> list[tuple[str, int, str | None]]:
    """Company names listed under an introduction that names partners or vendors."""
    out: list[tuple[str, int, str | None]] = []
    for i, b in enumerate(blocks):
        if b.kind not in ("paragraph", "list_item") or not b.text.rstrip().endswith(":") or len(b.text) > 300:
            continue
        intro = fold(b.text.rstrip())
        if not _PARTNER_INTRO.search(intro):
            continue
        category = heading_category(b.text)
        for item in blocks[i + 1 : i + 41]:
            if item.kind != "list_item":
                break
            listed = item.text.rsplit(":", 1)[-1] if ":" in item.text[:80] else item.text
            for piece in _PARTNER_SPLIT.split(listed.strip().rstrip(".;")):
                name = piece.strip()
                if (
                    len(name) <= 40
                    and _PARTNER_NAME.fullmatch(name)
                    and not name.islower()
                    and "_" not in name
                    and heading_category(name) is None
                    and not set(fold(name).split()) <= _GENERIC_WORDS
                ):
                    out.append((name, item.line, category))
    return out


def _policy_score(doc: Document, policy: Policy) -> float:
    """How much the document reads like a cookie/tracker policy (0..1)."""
    text = fold(" ".join(b.text for b in doc.blocks)[:400_000])
    words = max(1, len(text.split()))
    hits = len(_POLICY_WORDS.findall(text))
    score = min(0.5, hits / words * 25)
    title = fold(policy.title or doc.title or "")
    if _POLICY_WORDS.search(title):
        score += 0.3
    if policy.cookies:
        score += 0.2
    if any(b.kind == "heading" and _POLICY_WORDS.search(fold(b.text)) for b in doc.blocks):
        score += 0.1
    if words < 30:
        score *= 0.5
    return round(min(1.0, score), 3)
