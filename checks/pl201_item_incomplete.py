"""PL201: a declared item without a name, a provider (for a third party) or a purpose."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache, partial
from typing import TYPE_CHECKING

from policylint.checks_api import Context
from policylint.checks_lib import Sections, TableGroups, catalog_entry, fold, is_blank, item_names
from policylint.model import Block, Finding, Item

if TYPE_CHECKING:
    from policylint.catalog import Vendor, VendorIndex

CODE = "PL201"
NAME = "item-incomplete"
SEVERITY = "warning"
SUMMARY = "A declared cookie or storage item lacks its name, its provider (third party) or its purpose."
WHY = (
    "A reader can only make an informed choice about a tracker when the policy says what it is, "
    "who sets it and what it is for. A row without a name cannot be matched to what the browser "
    "stores; a third-party cookie without its provider hides who receives the data; a cookie with "
    "neither a purpose nor a category gives no reason for its use at all."
)
BASIS = (
    "GDPR Art. 13(1)(c) and (e) (purposes, recipients) and Art. 12(1) (clear information); "
    "ePrivacy Directive 2002/58/EC Art. 5(3) (clear and comprehensive information on the purposes); "
    "CNIL délibération n° 2020-091 (lignes directrices), art. 2 and 2020-092 (recommandation): the "
    "identity of each actor that reads or writes trackers and the purpose of each tracker."
)
FIX = (
    "Give every row a name, name the company that sets each third-party cookie, and state what each "
    "cookie is for (a purpose column, or a section that describes the category it belongs to)."
)
FORMAT = "markdown"

FAILING = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

## Advertising cookies

We set these cookies only with your consent.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| _fbp | | Shows you our ads on Facebook | 3 months |
| | Acme | Remembers which ad you clicked | 30 days |
"""

PASSING = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

## Advertising cookies

We set these cookies only with your consent.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| _fbp | Meta Platforms Ireland | Shows you our ads on Facebook | 3 months |
| acme_click | Acme | Remembers which ad you clicked | 30 days |
"""

# When more than this many items of one table miss the same field, one finding covers the table.
_AGGREGATE_OVER = 5
_SHOW = 3
# A cell of only these characters gives no value ("-", "—", "*").
_FILLER = " \t-–—*"

_TRACKING = {"analytics", "advertising", "social_media", "personalisation"}


# Characters that IGNORECASE matches with an ASCII letter (the dotted and dotless i, the long s,
# the Kelvin sign): in a text that has one, an ASCII name may be written with it.
_LOOK_ALIKES = ("\u0130", "\u0131", "\u017f", "\u212a")


class _NamedVendors:
    """Whether the document names a catalog vendor (folded name): as one of its third parties,
    as the provider of an item, or anywhere in its text (by name, alias or domain).

    The same answers as the set of all three, looked up in order of cost: most vendors asked
    about are among the first two, and finding the vendors in the text scans the whole document
    (the costliest step of this check). That scan is skipped, too, for a vendor none of whose
    names occurs in the text at all (see ``_may_be_in_text``).
    """

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.listed = {fold(tp.name) for tp in ctx.policy.third_parties}
        self._vendors: VendorIndex | None = None
        self._text: str | None = None
        self._low = ""
        self._in_text: set[str] | None = None
        self._by_folded: dict[str, list[Vendor]] | None = None
        self._maybe: dict[str, bool] = {}
        try:
            self._vendors = ctx.vendors
        except ImportError:
            return  # no vendor list: only the third parties the policy lists
        for it in ctx.policy.cookies:
            v = self._vendors.by_name(it.provider) if it.provider else None
            if v is not None:
                self.listed.add(fold(v.name))

    def __contains__(self, name: str) -> bool:
        if name in self.listed:
            return True
        if self._vendors is None:
            return False
        if self._text is None:
            self._text = "\n".join(b.text for b in self.ctx.document.blocks)[:2_000_000]
        if self._in_text is None:
            if name not in self._maybe:
                self._maybe[name] = self._may_be_in_text(name)
            if not self._maybe[name]:
                return False
            self._in_text = {fold(v.name) for v, _ in self._vendors.find_in(self._text)}
        return name in self._in_text

    def _may_be_in_text(self, name: str) -> bool:
        r"""False only if ``find_in`` cannot find a vendor of folded name ``name`` in the text.

        find_in matches a vendor's name, aliases and domains on word boundaries, ignoring case
        (bar case-sensitive vendors, matched exactly), a space of a name matching any run of
        whitespace. So each of its matches is, in the lower-cased text, a match of
        ``(?<!\w)word\s+word(?!\w)`` with the words of one of these lower-cased: when they are
        ASCII and the text has none of the look-alikes above (then lower-casing keeps each
        character one character, a letter the same letter, a word character a word character);
        otherwise the answer is "maybe". Each word is first looked for alone (a fast scan).
        """
        assert self._vendors is not None and self._text is not None
        text = self._text
        if any(c in text for c in _LOOK_ALIKES):
            return True
        if self._by_folded is None:
            self._by_folded = {}
            for v in self._vendors:
                self._by_folded.setdefault(fold(v.name), []).append(v)
            self._low = text.lower()
        for v in self._by_folded.get(name, ()):
            for form in (v.name, *v.aliases, *v.domains):
                words = form.lower().split()
                if not words or not all(w.isascii() for w in words):
                    return True
                if all(w in self._low for w in words) and _word_match(words, self._low):
                    return True
        return False


def _word_match(words: list[str], text: str) -> bool:
    r"""Whether ``text`` has ``(?<!\w)word\s+word(?!\w)`` (the look-behind tested by hand: at
    the start of a pattern it keeps ``re`` from looking for the first word as a literal)."""
    pattern = re.compile(r"\s+".join(map(re.escape, words)) + r"(?!\w)")
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        start = m.start()
        if not start or not (text[start - 1].isalnum() or text[start - 1] == "_"):
            return True
        pos = start + 1
    return False


def _hidden_vendor(ctx: Context, item: Item, named: Callable[[], _NamedVendors]) -> str | None:
    """The tracking vendor behind an item when the document never names it."""
    entry = catalog_entry(ctx, item)
    if entry is None or entry.category not in _TRACKING or not entry.vendor:
        return None  # infrastructure, security, platform cookies: the site's own business
    if fold(entry.vendor) in named():
        return None
    try:
        v = ctx.vendors.by_name(entry.vendor)
    except ImportError:
        v = None
    if v is not None and fold(v.name) in named():
        return None
    return entry.vendor


# A sentence that gives a purpose for the cookies of a section ("We use local storage to keep
# track of...", "These cookies are used for...", "Ces cookies permettent de...").
_PURPOSE_SENTENCE = re.compile(
    r"\bwe use (?:[\w'-]+ ){0,6}?(?:to|for|in order to)\b|\bused (?:to|for)\b|\bhelps? (?:us|you)\b|"
    r"\ballows? (?:us|you)\b|\benables? (?:us|you)\b|\bpermett\w{0,4}\b|\bservent a\b|\butilise\w{0,3} pour\b|"
    r"\bnous utilisons (?:[\w'-]+ ){0,6}?(?:pour|afin)\b|\bafin de\b|\bin order to\b"
)


class _Sections(Sections):
    """Whether the section (innermost heading) of a line says what its cookies are for (cached)."""

    def __init__(self, blocks: list[Block]) -> None:
        super().__init__(blocks)
        self._purpose: dict[int, bool] = {}

    def gives_purpose(self, line: int) -> bool:
        head = self.head_of(line)
        if head not in self._purpose:
            self._purpose[head] = any(_PURPOSE_SENTENCE.search(fold(b.text[:5000])) for b in self.prose(head))
        return self._purpose[head]


def _gaps(
    ctx: Context, item: Item, named: Callable[[], _NamedVendors], sections: _Sections
) -> list[tuple[str, str]]:
    """(field, detail) for each field the item lacks; for a hidden provider the detail is its vendor."""
    gaps: list[tuple[str, str]] = []
    if is_blank(item.provider, _FILLER):
        if item.party == "third" and is_blank(item.domain, _FILLER):
            gaps.append(("provider", "third-party"))
        elif item.party != "third":
            vendor = _hidden_vendor(ctx, item, named)
            if vendor:
                gaps.append(("provider", vendor))
    if is_blank(item.purpose, _FILLER) and not item.category and not sections.gives_purpose(item.line):
        gaps.append(("purpose", ""))
    return gaps


def check(ctx: Context) -> Iterable[Finding]:
    sections = _Sections(ctx.document.blocks)
    policy = ctx.policy
    # The vendors the policy names, looked up only when an item needs them: finding them in the
    # text scans the whole document, and most policies have no item whose provider is left blank.
    named = cache(partial(_NamedVendors, ctx))
    unnamed: list[Item] = []
    # (table or -line, field) -> items, to stay sparing on large inventories.
    groups: TableGroups[Item] = TableGroups(ctx.document.blocks)
    # A vendor the policy never names is one gap however many of its cookies are listed.
    hidden: dict[str, list[Item]] = {}
    named_items = 0
    for item in policy.cookies:
        if not item.name:
            unnamed.append(item)
            continue
        named_items += 1
        for gap, detail in _gaps(ctx, item, named, sections):
            if gap == "provider" and detail != "third-party":
                hidden.setdefault(detail, []).append(item)
                continue
            groups.add(item.line, item, gap)
    for it in unnamed:
        what = ", ".join(
            f"{label} {value!r}"
            for label, value in (
                ("provider", it.provider),
                ("purpose", it.purpose),
                ("duration", it.duration),
            )
            if value
        )
        yield ctx.finding(
            it.line,
            f"This row declares an item ({what[:120]}) without a name: give the cookie or storage key "
            f"name so readers can recognise it in their browser.",
            column=it.column,
            excerpt=ctx.line_text(it.line).strip(),
        )
    for vendor, its in sorted(hidden.items(), key=lambda kv: kv[1][0].line):
        first = its[0]
        kind = "a cookie" if len(its) == 1 else "cookies"
        yield ctx.finding(
            first.line,
            f"The policy lists {kind} of {vendor} ({item_names(its, _SHOW)}, per the cookie catalog) but never "
            f"names {vendor}: say which company sets {'it' if len(its) == 1 else 'them'} and receives the data.",
            column=first.column,
            excerpt=ctx.line_text(first.line).strip(),
        )
    # No item in the whole policy has a purpose: one finding says it.
    no_purpose = groups.values("purpose")
    if len(no_purpose) == named_items and named_items >= 3:
        first = min(no_purpose, key=lambda it: it.line)
        yield ctx.finding(
            first.line,
            f"None of the {named_items} items has a purpose or a category ({item_names(no_purpose, _SHOW)}): "
            f"state what each is used for.",
            excerpt=ctx.line_text(first.line).strip(),
        )
        groups.discard("purpose")
    per_line: dict[int, dict[str, list[Item]]] = {}
    for anchor, gap, items in groups.ordered():
        if len(items) > _AGGREGATE_OVER and anchor > 0:
            if gap == "provider":
                msg = (
                    f"{len(items)} third-party items in this table do not say which company sets them "
                    f"({item_names(items, _SHOW)}): add the provider of each."
                )
            else:
                msg = (
                    f"{len(items)} items in this table have neither a purpose nor a category "
                    f"({item_names(items, _SHOW)}): state what each is used for."
                )
            yield ctx.finding(anchor, msg, excerpt=ctx.line_text(anchor).strip())
            continue
        for it in items:
            per_line.setdefault(it.line, {}).setdefault(gap, []).append(it)
    # Few gaps: one finding per row, naming every field it lacks.
    for line, gaps in sorted(per_line.items()):
        its = list({id(it): it for group in gaps.values() for it in group}.values())
        names = item_names(its, _SHOW)
        one = len(its) == 1
        it_, is_ = ("it", "is") if one else ("them", "are")
        if "provider" in gaps and "purpose" in gaps:
            msg = (
                f"{names} {is_} declared third-party without saying which company sets {it_}, and "
                f"without a purpose or category: name the provider and state what {'it is' if one else 'they are'} "
                f"used for."
            )
        elif "provider" in gaps:
            msg = f"{names} {is_} declared third-party without saying which company sets {it_}: name the provider."
        else:
            msg = (
                f"{names} {is_} declared without a purpose or category: state what "
                f"{'it is' if one else 'they are'} used for."
            )
        yield ctx.finding(
            line,
            msg,
            column=its[0].column,
            excerpt=ctx.line_text(line).strip(),
        )
