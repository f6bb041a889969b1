"""Stage 3: Document → Policy.

Walks the blocks once, keeping the current section (its heading, the category
the heading names, what its paragraphs say about consent), and asks each
extractor for what it finds: tables, label/value records, lists, prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
from policylint.extraction.tables import items_from_table, map_columns
from policylint.extraction.vocab import EXEMPT_CATEGORIES, consent_of, fold, heading_category
from policylint.model import Block, Document, Item, Policy, ThirdParty

_FR_WORDS = frozenset(
    ["les", "des", "vous", "nous", "est", "sont", "pour", "avec", "sur", "dans", "une", "du"]
)
_EN_WORDS = frozenset(["the", "and", "you", "we", "are", "for", "with", "our", "this", "that", "of"])
# Either list's words, one scan for both.
_LANGUAGE_WORDS = re.compile(r"\b(?:" + "|".join(sorted(_FR_WORDS | _EN_WORDS)) + r")\b")
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
    # _PSEUDO_HEADING matches 47 characters at most (the text is stripped).
    if len(t) > 47 or not _PSEUDO_HEADING.match(t) or len(t.split()) > 6 or _SENTENCE_START.match(t):
        return False
    low = fold(t)
    return bool(heading_category(t.rstrip(": ")) or _TRACKER_WORD.search(low))


# A section's opening says all of it is strictly necessary: "These cookies are strictly
# necessary", "Everything in this section is essential". One cookie being so ("It is strictly
# necessary", "Ce cookie est strictement nécessaire") says nothing of the next paragraph's.
_STRICT_INTRO = re.compile(
    r"(?:are|sont)\s+(?:all\s+|tous\s+)?(?:strictly necessary|strictement n[ée]cessaires?|essential|essentiels?)\b"
    r"|\b(?:everything|all|tout|l'ensemble)\b[^.;]{0,60}\b(?:is|est)\s+"
    r"(?:strictly necessary|strictement n[ée]cessaire|essential|essentiel)\b"
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

    # One scan of the whole document for vendor names, shared by the items a paragraph
    # names (their provider) and by the list of third parties.
    units = _vendor_units(blocks)
    mentions = vendors.find_in_many([u.text for u in units])
    block_mentions = {u.block: found for u, found in zip(units, mentions, strict=True) if u.whole_block}

    def vendor_of(idx: int, text: str | None = None) -> str | None:
        """The one vendor block ``idx`` names (or ``text``, a part of it), if it names one."""
        found = block_mentions.get(idx) if text is None else None
        if found is None:  # a paragraph too long to be one unit, or a sentence of it
            found = vendors.find_in(_CODE.sub(" ", blocks[idx].text if text is None else text))
        hits = [h for h in found if h[0].category not in _NOT_RECIPIENT]
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
            items.extend(items_from_text(b, sec, lambda text=None, idx=idx: vendor_of(idx, text)))
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
    policy.third_parties = _third_parties(blocks, policy, providers, vendors, units, mentions)
    policy.policy_score = _policy_score(doc, policy)
    return policy


def _language(blocks: list[Block]) -> str:
    sample = _folded(blocks[:60], 20000)
    words = _LANGUAGE_WORDS.findall(sample)
    french = sum(1 for w in words if w in _FR_WORDS)
    return "fr" if french > len(words) - french else "en"


def _folded(blocks: list[Block], limit: int) -> str:
    """The folded text of ``blocks``, space-separated, about ``limit`` characters at most. Built
    from each block's folded text, which the extractors and checks fold (and cache) anyway."""
    parts: list[str] = []
    size = 0
    for b in blocks:
        if size >= limit:
            break
        parts.append(fold(b.text))
        size += len(parts[-1]) + 1
    return " ".join(parts)[:limit]


def _sections(blocks: list[Block]) -> list[Section]:
    """For each block: the heading it sits under, that heading's category, and the consent regime
    its section states. A heading that names no category inherits its parent's."""
    out: list[Section] = []
    stack: list[tuple[int, str, str | None]] = []  # level, text, category
    consent: bool | None = None
    since_heading = 0
    labels = header_labels(blocks)
    after_label = False
    category: str | None = None  # the innermost category the stack of headings names
    section: Section | None = None
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
            category = next((c for _, _, c in reversed(stack) if c), None)
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
                category = "strictly_necessary"
        heading = stack[-1][1] if stack else None
        sec_consent = consent
        if sec_consent is None and category == "strictly_necessary":
            sec_consent = False
        # Blocks of one section share its Section (read-only).
        if section is None or (section.heading, section.category, section.consent) != (
            heading,
            category,
            sec_consent,
        ):
            section = Section(heading=heading, category=category, consent=sec_consent)
        out.append(section)
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

# The words a match of each pattern above can start with (read off the patterns; keep them in
# step): "all other" is not needed, a match from it has one from its "other".
_DOC_EXEMPT_STARTS = (
    "strictly necessary",
    "essential",
    "essentiel",
    "necessaire",
    "exempt",
    "without",
    "do not require",
    "necessary",
)
_DOC_CONSENT_STARTS = (
    "only",
    "solely",
    "other",
    "non-essential",
    "optional",
    "ask",
    "request",
    "obtain",
    "seek",
    "collect",
    "with your",
    "soumis",
    "subordonne",
    "recueill",
    "demand",
)


def _matches_somewhere(rx: re.Pattern[str], text: str, starts: tuple[str, ...]) -> bool:
    """``rx.search(text)`` is not None, trying ``rx`` only where one of the words its matches
    start with begins: a search tries every position of a whole document, and these patterns
    scan a window after each (milliseconds per policy)."""
    for word in starts:
        at = text.find(word)
        while at != -1:
            if rx.match(text, at):
                return True
            at = text.find(word, at + 1)
    return False


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
    text = _folded([b for b in blocks if b.kind != "table"], 300_000)
    exempt_rule = _matches_somewhere(_DOC_EXEMPT, text, _DOC_EXEMPT_STARTS)
    consent_rule = _matches_somewhere(_DOC_CONSENT, text, _DOC_CONSENT_STARTS)
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


@dataclass(frozen=True, slots=True)
class _Unit:
    """A piece of text scanned for vendor names: a block, or one row of a table."""

    text: str
    line: int
    block: int
    whole_block: bool  # the block's full text (not a table row, not cut short)


_MAX_UNIT = 200_000


_PRODUCT_COLUMN = re.compile(
    r"tool|outil|service|partner|partenaire|vendor|solution|technolog|sdk|plugin|platform"
)


def _vendor_units(blocks: list[Block]) -> list[_Unit]:
    units: list[_Unit] = []
    for idx, b in enumerate(blocks):
        if b.kind == "table":
            # A cookie's name is not a mention of a vendor ("Didomi*" in a row whose provider
            # is the site itself): with a provider column, the name column is left out.
            # (Not a "Tool name" / "Service" column: there the name is the vendor's product.)
            # (The table's own header only: find_columns' search for a header among the first
            # rows costs more than this whole scan.)
            fields = map_columns([c.text for c in b.header]) if b.header else {}
            skip = (
                fields["name"]
                if "name" in fields
                and "provider" in fields
                and not _PRODUCT_COLUMN.search(fold(b.header[fields["name"]].text))
                else None
            )
            for row in [b.header, *b.rows]:
                cells = (
                    row if skip is None or row is b.header else [c for i, c in enumerate(row) if i != skip]
                )
                units.append(
                    _Unit(
                        _no_code(" | ".join(c.text for c in cells)),
                        row[0].line if row else b.line,
                        idx,
                        False,
                    )
                )
        else:
            units.append(_Unit(_no_code(b.text[:_MAX_UNIT]), b.line, idx, len(b.text) <= _MAX_UNIT))
    return units


def _no_code(text: str) -> str:
    # Cookie names in code spans are not mentions of a vendor ("`tarteaucitron`").
    return _CODE.sub(" ", text) if "`" in text else text


def _third_parties(
    blocks: list[Block],
    policy: Policy,
    providers: list[tuple[str, int]],
    vendors,
    units: list[_Unit],
    mentions: list[list],
) -> list[ThirdParty]:
    """Vendors the policy names as receiving data: mentioned in its text (``mentions`` of each
    of the ``units``) or as a provider."""
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

    for unit, mentioned in zip(units, mentions, strict=True):
        # Most units name no vendor: fold and search the text only for those that do.
        if mentioned and _SELF_HOSTED.search(fold(unit.text)):
            self_hosted.update(vendor.name for vendor, _offset in mentioned)
        for vendor, _offset in mentioned:
            add(vendor, unit.line)
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
    text = _folded(doc.blocks, 400_000)
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
