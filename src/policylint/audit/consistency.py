"""Inconsistencies between products' policies.

Two products that declare the same cookie should describe it the same way. Reported:

* ``duration``: the same cookie with lifetimes more than 10 % apart (``_ga``: 13 months in
  one product, 2 years in another);
* ``category``: the same cookie in categories that need different consent
  (``_gid`` analytics in one, strictly necessary in another);
* ``provider``: the same cookie attributed to two different companies;
* ``third_party``: a product declares a cookie whose vendor another product names as a
  third party, but never names that vendor itself (A lists ``_ga`` and names Google
  Analytics; B lists ``_ga`` and does not).

To avoid false alarms, items are "the same cookie" only when the name is in the
known-cookie catalog (``_ga`` is Google Analytics' whoever lists it), or when both
products attribute it to the same known company. A generic first-party name
(``session``, ``lang``) set by two different sites is two different cookies.
Categories that need the same treatment are not told apart (strictly necessary,
security and consent-record cookies are all exempt; advertising, social-media and
personalisation cookies all need consent for marketing).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policylint.audit import ItemSummary, ProductResult

DURATION_TOLERANCE = 0.10  # relative difference above which two lifetimes disagree

# Categories a reviewer treats alike (the consent answer is the same).
_CATEGORY_CLASS = {
    "strictly_necessary": "necessary",
    "security": "necessary",
    "consent": "necessary",
    "advertising": "marketing",
    "social_media": "marketing",
    "personalisation": "marketing",
}
_CATEGORY_LABEL = {
    "strictly_necessary": "strictly necessary",
    "social_media": "social media",
}


@dataclass
class Inconsistency:
    kind: str  # duration | category | provider | third_party
    subject: str  # the cookie name (or the vendor, for third_party)
    message: str
    values: list[tuple[str, str]] = field(default_factory=list)  # (product, what it says)
    products: list[str] = field(default_factory=list)


def _label(category: str) -> str:
    return _CATEGORY_LABEL.get(category, category)


def _days(d: float) -> str:
    if d == 0:
        return "session"
    if d == 1:
        return "1 day"
    if d < 1:
        hours = d * 24
        return f"{hours * 60:.0f} minutes" if hours < 1 else f"{hours:.0f} hours"
    if d >= 365 and abs(d / 365 - round(d / 365)) < 0.02:
        y = round(d / 365)
        return f"{y} year{'s' if y > 1 else ''}"
    if d >= 28 and abs(d / 30.4 - round(d / 30.4)) < 0.04:
        m = round(d / 30.4)
        return f"{m} month{'s' if m > 1 else ''}"
    return f"{d:g} days"


def _close(a: float, b: float) -> bool:
    top = max(a, b)
    return top == 0 or abs(a - b) <= DURATION_TOLERANCE * top


def _names(products: list[str], limit: int = 6) -> str:
    if len(products) <= limit:
        return ", ".join(products)
    return f"{', '.join(products[:limit])} and {len(products) - limit} more"


def _clusters(values: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """(value, products) in first-seen order."""
    out: dict[str, list[str]] = {}
    for product, value in values:
        out.setdefault(value, [])
        if product not in out[value]:
            out[value].append(product)
    return list(out.items())


def inconsistencies(products: Sequence[ProductResult]) -> list[Inconsistency]:
    """Every inconsistency between the products' policies, sorted by kind and subject."""
    by_key: dict[str, list[tuple[ProductResult, ItemSummary]]] = defaultdict(list)
    for p in products:
        if p.error:
            continue
        for it in p.items:
            by_key[it.key].append((p, it))
    out: list[Inconsistency] = []
    for key in sorted(by_key):
        entries = by_key[key]
        if len({p.product for p, _ in entries}) < 2:
            continue
        for group in _same_cookie_groups(entries):
            if len({p.product for p, _ in group}) < 2:
                continue
            out.extend(_compare_group(group))
    out.extend(_missing_third_parties(by_key))
    order = {"provider": 0, "category": 1, "duration": 2, "third_party": 3}
    out.sort(key=lambda i: (order.get(i.kind, 9), i.subject.casefold()))
    return out


def _same_cookie_groups(entries):
    """Entries that are one cookie: all of them for a catalog name, else per known company."""
    if any(it.known_vendor for _, it in entries):
        return [entries]
    by_company: dict[str, list] = defaultdict(list)
    for p, it in entries:
        if it.company:
            by_company[it.company].append((p, it))
    return list(by_company.values())


def _compare_group(group) -> list[Inconsistency]:
    out: list[Inconsistency] = []
    name = group[0][1].name
    code = f"`{name}`"

    # Provider: only companies we can resolve (free-text providers are not compared).
    companies: dict[str, set[str]] = defaultdict(set)
    for p, it in group:
        if it.company:
            companies[p.product].add(it.company)
    if len(companies) >= 2 and _disjoint(companies):
        values = [(prod, " / ".join(sorted(cs))) for prod, cs in companies.items()]
        parts = [f"{v} in {_names(ps)}" for v, ps in _clusters(values)]
        out.append(
            Inconsistency(
                "provider",
                name,
                f"{code} is attributed to {'; '.join(parts)}.",
                values,
                sorted(companies),
            )
        )

    # Category.
    cats: dict[str, set[str]] = defaultdict(set)
    for p, it in group:
        if it.category:
            cats[p.product].add(it.category)
    classes = {prod: {_CATEGORY_CLASS.get(c, c) for c in cs} for prod, cs in cats.items()}
    if len(classes) >= 2 and _disjoint(classes):
        values = [(prod, " / ".join(_label(c) for c in sorted(cs))) for prod, cs in cats.items()]
        parts = [f"{v} in {_names(ps)}" for v, ps in _clusters(values)]
        seen = set().union(*classes.values())
        why = (
            "one policy sets it without consent, another only with consent"
            if "necessary" in seen and len(seen) > 1
            else "the same cookie should be described with the same purpose everywhere"
        )
        out.append(
            Inconsistency(
                "category",
                name,
                f"{code} is {'; '.join(parts)}: {why}.",
                values,
                sorted(cats),
            )
        )

    # Duration: products disagree when no lifetime of one is within 10 % of one of the other's.
    days: dict[str, list[tuple[float, str | None]]] = defaultdict(list)
    for p, it in group:
        if it.duration_days is not None:
            days[p.product].append((it.duration_days, it.duration))
    if len(days) >= 2:
        prods = list(days)
        disagree = any(
            not any(_close(a, b) for a, _ in days[x] for b, _ in days[y])
            for i, x in enumerate(prods)
            for y in prods[i + 1 :]
        )
        if disagree:
            values = [(prod, _days(vals[0][0])) for prod, vals in days.items()]
            parts = [f"{v} in {_names(ps)}" for v, ps in _clusters(values)]
            out.append(
                Inconsistency(
                    "duration",
                    name,
                    f"{code} lasts {'; '.join(parts)}.",
                    values,
                    sorted(days),
                )
            )
    return out


def _disjoint(sets: dict[str, set[str]]) -> bool:
    """Do two products say things with nothing in common?"""
    prods = list(sets)
    return any(not (sets[x] & sets[y]) for i, x in enumerate(prods) for y in prods[i + 1 :])


def _missing_third_parties(by_key) -> list[Inconsistency]:
    """A product declares a known cookie whose vendor other products name, but never names it.

    Naming the vendor means naming it, or its company when the vendor carries the company's name
    ("Google" for Google Analytics): a product that names Amazon as an advertising partner does
    not name AWS, whose load balancer sets `AWSALB`.
    """
    from policylint.audit import company

    # (product, vendor) -> cookies it declares without naming the vendor; and who names it
    missing: dict[tuple[str, str], list[str]] = defaultdict(list)
    naming: dict[tuple[str, str], set[str]] = defaultdict(set)
    shown: dict[str, str] = {}
    for _key, entries in by_key.items():
        vendor = next((it.known_vendor for _, it in entries if it.known_vendor), None)
        if vendor is None:
            continue
        # The company counts when the vendor is one of its products by name ("Google" for
        # Google Analytics), not when it is a brand of its own ("Amazon" for AWS).
        owner = company(vendor)
        names = {vendor, owner} if vendor.startswith(owner) else {vendor}
        namers = {p.product for p, _ in entries if names & set(p.third_parties)}
        if not namers:
            continue
        for p, it in entries:
            if p.product in namers or it.company is not None:
                continue  # names it, or attributes the cookie to someone (a provider inconsistency)
            if p.controller_company == company(vendor):
                continue  # the vendor's own product: it is not a third party there
            if it.name not in missing[(p.product, vendor)]:
                missing[(p.product, vendor)].append(it.name)
            naming[(p.product, vendor)].update(namers)
            shown[vendor] = vendor
    out = []
    for (product, vendor), cookies in sorted(missing.items()):
        namers = sorted(naming[(product, vendor)])
        name = shown.get(vendor, vendor)
        names = ", ".join(f"`{c}`" for c in cookies[:8]) + (
            f" and {len(cookies) - 8} more" if len(cookies) > 8 else ""
        )
        out.append(
            Inconsistency(
                "third_party",
                name,
                f"{product} declares {names} but never names {name} as a third party; "
                f"{_names(namers)} name{'s' if len(namers) == 1 else ''} {name} for the same "
                f"cookie{'s' if len(cookies) > 1 else ''}.",
                [(product, "not named"), *((n, "named") for n in namers)],
                [product, *namers],
            )
        )
    return out
