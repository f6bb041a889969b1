"""PL301: an item set without consent, with no reason given for the exemption."""

from __future__ import annotations

import re
from collections.abc import Iterable

from policylint.checks_api import Context
from policylint.checks_lib import Sections, TableGroups, fold, item_label, item_names
from policylint.model import Block, Finding, Item

CODE = "PL301"
NAME = "exemption-basis-missing"
SEVERITY = "warning"
SUMMARY = "The policy says an item is set without consent but gives no reason why it is exempt."
WHY = (
    "Setting or reading a cookie without consent is lawful only under the exemption for what is "
    "strictly necessary to provide a service the user asked for, or to transmit a communication. "
    "A policy that says 'set without your consent' must say which of these applies; otherwise "
    "the reader, and a regulator, can only assume there is no basis at all."
)
BASIS = (
    "ePrivacy Directive 2002/58/EC Art. 5(3) (the two exemptions); CNIL délibération n° 2020-091 "
    "(lignes directrices), art. 4-5 and 2020-092 (recommandation): inform users of the trackers "
    "exempted and why; EDPB Guidelines 2/2023 on the technical scope of Art. 5(3); ICO guidance "
    "on storage and access technologies (strictly necessary exemption)."
)
FIX = (
    "Say why each such item needs no consent: put it under a 'Strictly necessary' section that "
    "explains it, or give its reason ('keeps you signed in: strictly necessary for the service you "
    "requested'). If it is not strictly necessary, ask consent for it."
)
FORMAT = "markdown"

FAILING = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

## Cookies we set when you arrive

We set the following cookies without your consent.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| acme_banner | Acme | Remembers that you closed the welcome banner | 30 days |
"""

PASSING = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

## Strictly necessary cookies

These cookies are strictly necessary to provide the service you asked for, so we set them
without your consent.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| acme_session | Acme | Keeps you signed in | Session |
"""

_AGGREGATE_OVER = 5
_SHOW = 3
# Categories whose items can be exempt (PL302 reports the others, PL303 analytics).
_EXEMPTABLE = {None, "strictly_necessary", "security", "consent", "preferences"}
_BASIS_WORDS = re.compile(
    r"strictly necessary|strictement necessaire|essential|essentiel|indispensable|necessary (?:for|to)|"
    r"necessaires? (?:a|au|pour)|required (?:for|to)|needed (?:for|to)|requis|exempt|article 82|art\. ?82|"
    r"5\(3\)|transmission of a communication|transmission d'une communication|"
    r"service (?:you|that you) (?:asked|requested|request)|service (?:expressement )?demande|"
    r"(?:keep|keeps) you (?:signed|logged) in|authenti|securi|fraud|fraude|load[- ]balanc|equilibrage|"
    r"panier|shopping (?:cart|basket)|consent(?:ement)? (?:choices?|preferences?|choix)|"
    r"(?:remember|store|save|conserv|memoris|enregistr)\w{0,12} (?:your |vos |votre )?(?:cookie )?(?:choi|consent|preferen)"
)


class _Sections(Sections):
    """For a line: the headings above it and the prose of its innermost section, folded (cached)."""

    def __init__(self, blocks: list[Block]) -> None:
        super().__init__(blocks)
        self._text: dict[int, str] = {}
        self._basis: dict[int, bool] = {}

    def has_basis(self, line: int) -> bool:
        """Whether the section of ``line`` (its headings and prose) explains an exemption."""
        key = self.rank(line)
        if key not in self._basis:
            self._basis[key] = _BASIS_WORDS.search(self.text(line)) is not None
        return self._basis[key]

    def text(self, line: int) -> str:
        k = self.rank(line)
        head = self.heads[k] if k >= 0 else -1
        if head not in self._text:
            # the chain of headings above: walk back, keeping each shallower level once; then the
            # prose up to the next heading of the same or a higher level (for a line above every
            # heading: the prose of the whole document, unlike Sections.prose)
            chain: list[str] = []
            level = 99
            for j in range(k, -1, -1):
                b = self.blocks[self.heads[j]]
                if b.level < level:
                    chain.append(b.text)
                    level = b.level
                if level <= 1:
                    break
            parts = list(reversed(chain))
            own = self.blocks[head].level if head >= 0 else 0
            for b in self.blocks[head + 1 :]:
                if b.kind == "heading" and b.level <= own:
                    break
                if b.kind in ("paragraph", "list_item"):
                    parts.append(b.text)
            self._text[head] = fold("\n".join(parts))
        return self._text[head]


def _set_without_consent(item: Item) -> bool:
    return item.consent is False


def _has_basis(item: Item, sections: _Sections) -> bool:
    if item.exemption_basis and item.exemption_basis.strip():
        return True
    if item.category in ("strictly_necessary", "security", "consent"):
        return True  # the policy classes it as such: that is its stated basis
    own = fold(" ".join(x for x in (item.purpose or "", item.category or "") if x))
    return bool(_BASIS_WORDS.search(own)) or sections.has_basis(item.line)


def check(ctx: Context) -> Iterable[Finding]:
    doc = ctx.document
    sections = _Sections(doc.blocks)
    groups: TableGroups[Item] = TableGroups(doc.blocks)
    for item in ctx.policy.cookies:
        if not item.name or not _set_without_consent(item) or item.category not in _EXEMPTABLE:
            continue
        if _has_basis(item, sections):
            continue
        groups.add(item.line, item)
    for anchor, _, items in groups.ordered(by_key=False):
        if anchor > 0 and len(items) > _AGGREGATE_OVER:
            yield ctx.finding(
                anchor,
                f"{len(items)} items in this table are set without consent but the policy gives no "
                f"reason why they are exempt ({item_names(items, _SHOW)}): say why each is strictly necessary, "
                f"or ask consent for them.",
                excerpt=ctx.line_text(anchor).strip(),
            )
            continue
        for it in items:
            yield ctx.finding(
                it.line,
                f"{item_label(it)} is set without consent but the policy gives no reason why it is exempt: "
                f"say why it is strictly necessary for the service the user asked for, or ask consent.",
                column=it.column,
                excerpt=ctx.line_text(it.line).strip(),
            )
