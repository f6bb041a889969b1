"""Stage 3: Document → Policy.

Walks the blocks once, keeping the current section (its heading, the category
the heading names, what its paragraphs say about consent), and asks each
extractor for what it finds: tables, label/value records, lists, prose.
"""

from __future__ import annotations

import re

from policylint.extract.claims import claims_of
from policylint.extract.metadata import find_contacts, find_controller, find_last_updated, find_title
from policylint.extract.records import Section, items_from_text, records_from_lists, records_from_paragraphs
from policylint.extract.tables import items_from_table
from policylint.extract.vocab import consent_of, fold, heading_category
from policylint.model import Block, Document, Item, Policy, ThirdParty

_FR_WORDS = re.compile(r"\b(?:les|des|vous|nous|est|sont|pour|avec|sur|dans|une|du)\b")
_EN_WORDS = re.compile(r"\b(?:the|and|you|we|are|for|with|our|this|that|of)\b")
_POLICY_WORDS = re.compile(r"cookie|traceur|tracker|temoin|local ?storage|pixel|web beacon|balise|sdk|tracking|consent")


_STRICT_INTRO = re.compile(r"(?:are|is|sont|est)\s+(?:strictly necessary|strictement n[ée]cessaires?|essential|essentiels?)\b")


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
        hits = vendors.find_in(text)
        return hits[0][0].name if len(hits) == 1 else None

    for idx, b in enumerate(blocks):
        sec = sections[idx]
        if b.kind == "table":
            found, provs = items_from_table(b, sec.heading, sec.consent, sec.category)
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
    _infer_party(policy)
    policy.contacts = find_contacts(doc, blocks)
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
    for b in blocks:
        if b.kind == "heading":
            while stack and stack[-1][0] >= b.level:
                stack.pop()
            stack.append((b.level, b.text, heading_category(b.text)))
            consent = consent_of(b.text)
            if consent is None:
                # Inherit the parent section's consent regime ("cookies set with your consent" > "Analytics").
                consent = None
        elif b.kind == "paragraph":
            low = fold(b.text)
            if consent is None:
                c = consent_of(b.text)
                if c is not None and _POLICY_WORDS.search(low):
                    consent = c
            if stack and stack[-1][2] is None and _STRICT_INTRO.search(low):
                # "Everything in this section is strictly necessary…" under a heading that names no category.
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
    declared = {it.name for it in items if it.source in ("table", "record")}
    seen: set[tuple] = set()
    mentioned: set[str | None] = set()
    out: list[Item] = []
    for it in items:
        if it.source in ("prose", "list"):
            if it.name in declared or it.name in mentioned:
                continue
            mentioned.add(it.name)
        key = (it.name, it.domain, it.provider, it.duration, it.line)
        if key in seen:
            continue
        seen.add(key)
        out.append(it)
    return out


def _infer_party(policy: Policy) -> None:
    """Party from the provider when the policy does not say: the controller's own items are
    first-party. A vendor's item is not assumed third-party: `_ga` is a first-party cookie
    set by Google's script, and only the policy can say which it is."""
    own = fold(policy.controller or "").split()
    own_key = own[0] if own else None
    for it in policy.cookies:
        if it.party is not None or not it.provider:
            continue
        prov = fold(it.provider)
        if own_key and own_key in prov.split()[:3]:
            it.party = "first"


def _third_parties(blocks: list[Block], policy: Policy, providers: list[tuple[str, int]], vendors) -> list[ThirdParty]:
    own = fold(policy.controller or "")
    found: dict[str, ThirdParty] = {}

    def add(name: str, line: int, category: str | None) -> None:
        if own and fold(name) in own:
            return
        if name not in found:
            found[name] = ThirdParty(name=name, line=line, category=category)

    for b in blocks:
        text = b.text if len(b.text) < 200_000 else b.text[:200_000]
        for vendor, _offset in vendors.find_in(text):
            add(vendor.name, b.line, vendor.category)
    for prov, line in providers:
        v = vendors.by_name(prov.strip().rstrip("*").strip())
        if v is not None:
            add(v.name, line, v.category)
    for it in policy.cookies:
        if it.provider:
            v = vendors.by_name(it.provider.strip().rstrip("*").strip())
            if v is not None:
                add(v.name, it.line, v.category)
    return sorted(found.values(), key=lambda t: (t.line, t.name))


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
