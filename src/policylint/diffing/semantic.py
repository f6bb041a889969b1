"""Two Policies (and, when available, their Documents) → the Changes between them.

What is compared, and how things are matched across versions:

* items — grouped by a normalised name (``names.item_key``), so one cookie
  listed under several rows (one per domain) is one item and re-ordering rows
  changes nothing; unmatched items are then paired by purpose + provider
  similarity to find renames; matched items are compared field by field;
* third parties — by company (legal forms dropped, known renames folded);
* claims — by (kind, subject), then polarity;
* controller, contact addresses and the organisations named for contact;
* the last-updated date;
* the text — block-level passages (``passages.py``), reported when no
  structured change already covers them, or when they say something material.

Materiality and the reasons come from ``materiality.py``.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from policylint.diffing import materiality as M
from policylint.diffing import passages as P
from policylint.diffing.names import (
    company_key,
    company_keys,
    company_words,
    fold,
    item_key,
    same_company,
    text_key,
)
from policylint.model import Change, Claim, Document, Item, Policy

# --- items -----------------------------------------------------------------------------------


def item_status(it: Item) -> str | None:
    """ "exempt" (set without consent), "consent" (only with consent) or None (the policy does not say)."""
    if it.consent is False:
        return "exempt"
    if it.consent is True:
        return "consent"
    if it.exemption_basis:
        return "exempt"
    if it.category in M.EXEMPT_CATEGORIES:
        return "exempt"
    if it.category in M.RANK:
        return "consent"
    return None


def _display(name: str | None) -> str:
    return (name or "").strip().strip("`").strip()


@dataclass
class ItemGroup:
    """Every row of one item (one cookie listed for several domains is one group)."""

    key: str
    items: list[Item] = field(default_factory=list)

    @property
    def name(self) -> str:
        names = Counter(_display(i.name or i.raw_name) for i in self.items)
        return names.most_common(1)[0][0] if names else self.key

    @property
    def names(self) -> set[str]:
        return {_display(i.raw_name or i.name) for i in self.items} | {_display(i.name) for i in self.items}

    @property
    def line(self) -> int:
        return min((i.line for i in self.items if i.line), default=0)

    @property
    def categories(self) -> set[str]:
        return {i.category for i in self.items if i.category}

    @property
    def statuses(self) -> set[str]:
        return {s for s in (item_status(i) for i in self.items) if s}

    @property
    def status(self) -> str | None:
        st = self.statuses
        if "consent" in st:
            return "consent"
        if st == {"exempt"}:
            return "exempt"
        return None

    @property
    def explicit_statuses(self) -> set[str]:
        """Statuses stated by the policy itself (consent flag or exemption basis), not inferred from the category."""
        out = set()
        for i in self.items:
            if i.consent is not None:
                out.add("consent" if i.consent else "exempt")
            elif i.exemption_basis:
                out.add("exempt")
        return out

    @property
    def days(self) -> float | None:
        known = [i.duration_days for i in self.items if i.duration_days is not None]
        return max(known) if known else None

    @property
    def duration_texts(self) -> set[str]:
        """Lifetimes as written, compared without case or spacing ("session" = "Session")."""
        return set(self.duration_written)

    @property
    def duration_written(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for i in self.items:
            if i.duration and i.duration.strip():
                out.setdefault(text_key(i.duration), " ".join(i.duration.split()))
        return out

    def duration_for(self, days: float | None) -> str | None:
        for i in self.items:
            if i.duration_days == days and i.duration:
                return i.duration.strip()
        return None

    @property
    def providers(self) -> list[str]:
        seen: dict[str, str] = {}
        for i in self.items:
            if i.provider and i.provider.strip():
                seen.setdefault(text_key(i.provider), i.provider.strip())
        return list(seen.values())

    @property
    def provider_keys(self) -> set[str]:
        out: set[str] = set()
        for p in self.providers:
            out |= company_keys(p)
        return out

    @property
    def parties(self) -> set[str]:
        return {i.party for i in self.items if i.party}

    @property
    def storages(self) -> set[str]:
        return {i.storage for i in self.items if i.storage}

    @property
    def domains(self) -> set[str]:
        out: set[str] = set()
        for i in self.items:
            if i.domain:
                out |= {d.strip().lower() for d in re.split(r"[,\s]+", i.domain[:2000]) if d.strip()}
        return out

    @property
    def purpose(self) -> str:
        seen: dict[str, str] = {}
        for i in self.items:
            if i.purpose and i.purpose.strip():
                seen.setdefault(text_key(i.purpose), " ".join(i.purpose.split()))
        return " / ".join(seen[k] for k in sorted(seen))  # row order must not matter

    @property
    def bases(self) -> dict[str, str]:
        return {text_key(i.exemption_basis): i.exemption_basis for i in self.items if i.exemption_basis}


def group_items(policy: Policy) -> dict[str, ItemGroup]:
    groups: dict[str, ItemGroup] = {}
    for it in policy.cookies:
        k = item_key(it.name or it.raw_name)
        if not k:
            continue
        groups.setdefault(k, ItemGroup(k)).items.append(it)
    return groups


def _ratio(a: str, b: str) -> float:
    a, b = a[:400], b[:400]
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _rename_pairs(olds: list[ItemGroup], news: list[ItemGroup]) -> list[tuple[ItemGroup, ItemGroup]]:
    """Pairs (old, new) of unmatched groups that are one item under a new name.

    Same category, same lifetime, same provider (or none), and a purpose that
    reads the same; the name must look related unless the purpose is long and
    identical. Greedy on the best score; bounded work on huge inventories.
    """
    cands = [g for g in olds if g.purpose]
    targets = [g for g in news if g.purpose]
    if not cands or not targets:
        return []
    exact_only = len(cands) * len(targets) > 40000
    scored: list[tuple[float, int, int]] = []
    by_purpose: dict[str, list[int]] = {}
    for j, n in enumerate(targets):
        by_purpose.setdefault(text_key(n.purpose), []).append(j)
    for i, o in enumerate(cands):
        pool = by_purpose.get(text_key(o.purpose), []) if exact_only else range(len(targets))
        for j in pool:
            n = targets[j]
            if o.categories != n.categories or o.days != n.days or o.storages != n.storages:
                continue
            if o.provider_keys and n.provider_keys and not (o.provider_keys & n.provider_keys):
                continue
            if bool(o.provider_keys) != bool(n.provider_keys):
                continue
            ps = (
                1.0
                if text_key(o.purpose) == text_key(n.purpose)
                else _ratio(text_key(o.purpose), text_key(n.purpose))
            )
            if ps < 0.85:
                continue
            ns = _ratio(o.key, n.key)
            if ns < 0.4 and not (ps == 1.0 and len(o.purpose) >= 25):
                continue
            scored.append((0.7 * ps + 0.3 * ns, i, j))
    scored.sort(reverse=True)
    used_o: set[int] = set()
    used_n: set[int] = set()
    pairs = []
    for _, i, j in scored:
        if i in used_o or j in used_n:
            continue
        used_o.add(i)
        used_n.add(j)
        pairs.append((cands[i], targets[j]))
    return pairs


def _first_party(group: ItemGroup, policy: Policy, provider: str) -> bool:
    if group.parties == {"first"}:
        return True
    return bool(policy.controller) and same_company(provider, policy.controller)


def _change(
    kind: str, subject: str, verdict: tuple[bool, str], old_line=None, new_line=None, old=None, new=None
) -> Change:
    material, reason = verdict
    return Change(
        kind=kind,
        subject=subject,
        material=material,
        reason=reason,
        old_line=old_line or None,
        new_line=new_line or None,
        old=None if old is None else str(old),
        new=None if new is None else str(new),
    )


def _fmt_cats(cats: set[str]) -> str | None:
    return ", ".join(sorted(cats)) or None


def compare_items(old: Policy, new: Policy) -> list[Change]:
    og, ng = group_items(old), group_items(new)
    changes: list[Change] = []
    matched = [(og[k], ng[k]) for k in og if k in ng]
    gone = [og[k] for k in og if k not in ng]
    came = [ng[k] for k in ng if k not in og]
    renamed = _rename_pairs(gone, came)
    ren_o = {id(o) for o, _ in renamed}
    ren_n = {id(n) for _, n in renamed}
    for o, n in renamed:
        changes.append(
            _change("item_renamed", n.name, M.item_renamed(o.name, n.name), o.line, n.line, o.name, n.name)
        )
    for o, n in matched:
        if not (o.names & n.names):
            changes.append(
                _change(
                    "item_renamed", n.name, M.item_renamed(o.name, n.name), o.line, n.line, o.name, n.name
                )
            )
    for o, n in [*matched, *renamed]:
        changes.extend(_compare_group(o, n, old, new))
    for g in gone:
        if id(g) not in ren_o:
            changes.append(
                _change("item_removed", g.name, M.item_removed(g.name), g.line, None, _summary(g), None)
            )
    if len(og) >= 3 and not ng:
        first = min((i.line for i in old.cookies if i.line), default=None)
        verdict = M.inventory_emptied(len(og))
        changes.append(
            _change("inventory_emptied", "cookie list", verdict, first, None, f"{len(og)} items", "none")
        )
    for g in came:
        if id(g) not in ren_n:
            status, cats, note = _added_status(g)
            verdict = M.item_added(g.name, status, cats, note)
            changes.append(_change("item_added", g.name, verdict, None, g.line, None, _summary(g)))
    return changes


def _short(text: str, n: int = 80) -> str:
    t = " ".join(text.split())
    return t if len(t) <= n else t[: n - 1] + "…"


def _catalog_entry(name: str):
    try:
        from policylint.catalog import load_cookie_catalog

        return load_cookie_catalog().lookup(name)
    except Exception:  # noqa: BLE001 - the catalog is a help, not a requirement
        return None


def _added_status(g: ItemGroup) -> tuple[str | None, set[str], str]:
    """(status, categories, how we know) for a new item.

    What the policy says wins (consent flag, category, exemption basis); an item the
    policy leaves unclassified is looked up in the cookie catalog, which also overrides
    a bare "set without consent" that comes with no category or basis.
    """
    cats = g.categories
    if "consent" in g.explicit_statuses:
        return "consent", cats, "the policy sets it only with consent"
    if cats:
        st = g.status
        how = "the policy lists it as " + ", ".join(sorted(M.label(c) for c in cats))
        if st == "exempt" and g.bases and not cats <= M.EXEMPT_CATEGORIES:
            how += f", exempt as '{_short(next(iter(g.bases.values())))}'"
        return st, cats, how
    if g.bases:
        return "exempt", cats, f"the policy gives an exemption: '{_short(next(iter(g.bases.values())))}'"
    entry = _catalog_entry(g.key) or _catalog_entry(g.name)
    if entry is not None and getattr(entry, "category", None) in M.RANK:
        cat = entry.category
        how = f"the policy does not classify it; the cookie catalog knows it as a {entry.vendor} {M.label(cat)} cookie"
        return ("exempt" if cat in M.EXEMPT_CATEGORIES else "consent"), {cat}, how
    if "exempt" in g.explicit_statuses:
        return (
            "exempt",
            cats,
            "the policy says it is set without consent, though it states no category or exemption",
        )
    return None, cats, "the policy does not say whether it needs consent"


def _summary(g: ItemGroup) -> str:
    parts = [g.name]
    if g.providers:
        parts.append(", ".join(g.providers[:3]))
    if g.categories:
        parts.append(", ".join(sorted(M.label(c) for c in g.categories)))
    d = g.duration_for(g.days) or next(iter(g.duration_written.values()), None)
    if d:
        parts.append(d)
    if g.purpose:
        parts.append(g.purpose[:160])
    return " — ".join(parts)


def _compare_group(o: ItemGroup, n: ItemGroup, old: Policy, new: Policy) -> list[Change]:
    out: list[Change] = []
    name = n.name
    lines = (o.line, n.line)
    recat_material = False
    # Category.
    if o.categories != n.categories:
        v = M.recategorised(name, o.categories, n.categories)
        recat_material = v[0]
        out.append(
            _change("category_changed", name, v, *lines, _fmt_cats(o.categories), _fmt_cats(n.categories))
        )
    # Exempt ↔ consent-based, when not already explained by the category.
    os_, ns_ = o.status, n.status
    if os_ and ns_ and os_ != ns_ and not recat_material:
        stated = "consent" in n.explicit_statuses or "exempt" in n.explicit_statuses
        out.append(
            _change("consent_changed", name, M.consent_changed(name, os_, ns_, stated), *lines, os_, ns_)
        )
    elif ob := o.bases:
        nb = n.bases
        if not nb and "exempt" not in n.explicit_statuses and n.status != "consent":
            basis = next(iter(ob.values()))
            out.append(
                _change("exemption_removed", name, M.exemption_removed(name, basis), *lines, basis, None)
            )
        elif nb and set(nb) != set(ob):
            ov, nv = "; ".join(ob.values()), "; ".join(nb.values())
            out.append(_change("exemption_changed", name, M.exemption_restated(name, ov, nv), *lines, ov, nv))
    elif n.bases and os_ == ns_:
        nv = "; ".join(n.bases.values())
        out.append(_change("exemption_changed", name, M.exemption_restated(name, None, nv), *lines, None, nv))
    # Lifetime.
    od, nd = o.days, n.days
    if od is not None and nd is not None and not math.isclose(od, nd, rel_tol=0.01, abs_tol=0.01):
        ot, nt = o.duration_for(od), n.duration_for(nd)
        kind, mat, reason = M.duration(name, od, nd, ot, nt)
        out.append(_change(kind, name, (mat, reason), *lines, ot or M.days_text(od), nt or M.days_text(nd)))
    elif (od is None) != (nd is None) or (od is None and nd is None and o.duration_texts != n.duration_texts):
        ow, nw = o.duration_written, n.duration_written
        ot = ", ".join(ow[k] for k in sorted(ow)) or None
        nt = ", ".join(nw[k] for k in sorted(nw)) or None
        if set(ow) != set(nw):
            out.append(_change("duration_changed", name, M.duration_restated(name, ot, nt), *lines, ot, nt))
    # Provider.
    opk, npk = o.provider_keys, n.provider_keys
    if opk and npk and not (opk & npk):
        op, np_ = ", ".join(o.providers), ", ".join(n.providers)
        v = M.provider_changed(name, op, np_, _first_party(n, new, np_))
        out.append(_change("provider_changed", name, v, *lines, op, np_))
    elif (
        opk
        and npk
        and {text_key(p) for p in o.providers} != {text_key(p) for p in n.providers}
        and not (npk - opk)
    ):
        op, np_ = ", ".join(o.providers), ", ".join(n.providers)
        out.append(_change("provider_renamed", name, M.provider_renamed(name, op, np_), *lines, op, np_))
    elif opk and npk and (npk - opk):
        added = [p for p in n.providers if not (company_keys(p) & opk)]
        if added and not all(_first_party(n, new, p) for p in added):
            op, np_ = ", ".join(o.providers), ", ".join(n.providers)
            out.append(
                _change("provider_changed", name, M.provider_changed(name, op, np_, False), *lines, op, np_)
            )
    # Party.
    if o.parties and n.parties and o.parties != n.parties:
        if "third" in n.parties and "third" not in o.parties:
            v = M.party_changed(name, "first", "third")
        else:
            v = M.party_changed(name, "third", "first")
        out.append(_change("party_changed", name, v, *lines, _fmt_cats(o.parties), _fmt_cats(n.parties)))
    # Purpose.
    op_, np_ = o.purpose, n.purpose
    if op_ and np_ and text_key(op_) != text_key(np_) and _ratio(text_key(op_), text_key(np_)) < 0.9:
        new_cls = _purpose_classes(np_) - _purpose_classes(op_)
        out.append(_change("purpose_changed", name, M.purpose_changed(name, new_cls), *lines, op_, np_))
    # Storage.
    if o.storages and n.storages and o.storages != n.storages:
        ov, nv = _fmt_cats(o.storages) or "", _fmt_cats(n.storages) or ""
        out.append(_change("storage_changed", name, M.storage_changed(name, ov, nv), *lines, ov, nv))
    # Domains (an item listed for more or fewer sites).
    odm, ndm = o.domains, n.domains
    if odm and ndm and odm != ndm:
        out.append(
            _change(
                "domains_changed",
                name,
                M.domains_changed(name, ndm - odm, odm - ndm),
                *lines,
                ", ".join(sorted(odm)),
                ", ".join(sorted(ndm)),
            )
        )
    return out


def _purpose_classes(text: str) -> set[str]:
    out = P.classes(text)
    f = fold(text)
    if re.search(r"\b(?:analytic\w{0,4}|statisti\w{0,6}|audience|measur\w{0,6}|mesur\w{0,6})\b", f):
        out.add("analytics")
    return out


# --- third parties -----------------------------------------------------------------------------------


def _mentions(folded_text: str, name: str) -> bool:
    words = company_words(name)
    if len(words) < 3:
        return False
    return re.search(r"(?<![a-z0-9])" + re.escape(words) + r"(?![a-z0-9])", folded_text) is not None


def compare_third_parties(old: Policy, new: Policy, old_text: str, new_text: str) -> list[Change]:
    changes: list[Change] = []
    old_keys: dict[str, list] = {}
    new_keys: dict[str, list] = {}
    for tp in old.third_parties:
        for k in company_keys(tp.name):
            old_keys.setdefault(k, []).append(tp)
    for tp in new.third_parties:
        for k in company_keys(tp.name):
            new_keys.setdefault(k, []).append(tp)
    old_all = (
        set(old_keys)
        | {k for it in old.cookies for k in company_keys(it.provider)}
        | company_keys(old.controller)
    )
    new_all = (
        set(new_keys)
        | {k for it in new.cookies for k in company_keys(it.provider)}
        | company_keys(new.controller)
    )
    seen: set[str] = set()
    for tp in new.third_parties:
        keys = company_keys(tp.name)
        if not keys or keys & old_all or tp.name in seen:
            continue
        if old_text and _mentions(old_text, tp.name):
            continue  # named in the old text already (a partner list the extractor did not read as such)
        seen.add(tp.name)
        changes.append(
            _change("third_party_added", tp.name, M.third_party_added(tp.name), None, tp.line, None, tp.name)
        )
    for tp in old.third_parties:
        keys = company_keys(tp.name)
        if not keys or keys & new_all or tp.name in seen:
            continue
        if new_text and _mentions(new_text, tp.name):
            continue
        seen.add(tp.name)
        changes.append(
            _change(
                "third_party_removed", tp.name, M.third_party_removed(tp.name), tp.line, None, tp.name, None
            )
        )
    # Renamed: the same company, and the old name is no longer used anywhere.
    for k in set(old_keys) & set(new_keys):
        on = {text_key(tp.name): tp for tp in old_keys[k]}
        nn = {text_key(tp.name): tp for tp in new_keys[k]}
        if set(on) & set(nn):
            continue
        o, n = next(iter(on.values())), next(iter(nn.values()))
        if n.name in seen or (new_text and _mentions(new_text, o.name)):
            continue
        seen.add(n.name)
        changes.append(
            _change(
                "third_party_renamed",
                n.name,
                M.third_party_renamed(o.name, n.name),
                o.line,
                n.line,
                o.name,
                n.name,
            )
        )
    return changes


# --- claims ------------------------------------------------------------------------------------------


def compare_claims(
    old: Policy,
    new: Policy,
    old_index: P.SentenceIndex | None = None,
    new_index: P.SentenceIndex | None = None,
) -> list[Change]:
    """Claims matched by (kind, subject), then polarity.

    The extractor may recognise a statement in one version and miss it once reworded
    ("only with your consent" → "once you have given your consent"): a claim whose
    sentence still has a close counterpart with the same negation in the other text is
    not reported as gone or new (the passage diff shows the rewording).
    """

    def echoed(text: str, index: P.SentenceIndex | None) -> bool:
        if index is None or not text:
            return False
        negated = P.negated(text)
        return any(P.negated(r) == negated for r in index.similar(text, cutoff=0.7))

    def index(p: Policy) -> dict[tuple[str, str], dict[bool, Claim]]:
        out: dict[tuple[str, str], dict[bool, Claim]] = {}
        for c in p.claims:
            out.setdefault((c.kind, c.subject), {}).setdefault(bool(c.polarity), c)
        return out

    oi, ni = index(old), index(new)
    changes: list[Change] = []
    for key in list(oi) + [k for k in ni if k not in oi]:
        kind, subject = key
        op, np_ = oi.get(key, {}), ni.get(key, {})
        if set(op) == set(np_):
            continue
        subj = f"{kind}:{subject}"
        if op and np_ and len(op) == 1:
            ((pol, oc),) = op.items()
            if (not pol) in np_:
                nc = np_[not pol]
                v = M.claim_flipped(kind, subject, pol, oc.text, nc.text)
                changes.append(_change("claim_flipped", subj, v, oc.line, nc.line, oc.text, nc.text))
                continue
        for pol, oc in op.items():
            if pol not in np_ and not echoed(oc.text, new_index):
                v = M.claim_removed(kind, subject, pol, oc.text)
                changes.append(_change("claim_removed", subj, v, oc.line, None, oc.text, None))
        for pol, nc in np_.items():
            if pol not in op and not echoed(nc.text, old_index):
                v = M.claim_added(kind, subject, pol, nc.text)
                changes.append(_change("claim_added", subj, v, None, nc.line, None, nc.text))
    return changes


# --- controller, contacts, date ------------------------------------------------------------------------


def compare_metadata(old: Policy, new: Policy) -> list[Change]:
    changes: list[Change] = []
    oc, nc = (old.controller or "").strip(), (new.controller or "").strip()
    if text_key(oc) != text_key(nc):
        if (
            oc
            and nc
            and (
                same_company(oc, nc)
                or company_words(oc) in company_words(nc)
                or company_words(nc) in company_words(oc)
            )
        ):
            v = M.controller_restated(oc, nc)
        else:
            v = M.controller_changed(oc or None, nc or None)
        changes.append(
            _change(
                "controller_changed",
                nc or oc,
                v,
                old.controller_line,
                new.controller_line,
                oc or None,
                nc or None,
            )
        )

    # Contacts, by kind: a changed address is one change, not a removal plus an addition.
    def by_kind(p: Policy) -> dict[str, dict[str, object]]:
        out: dict[str, dict[str, object]] = {}
        for c in p.contacts:
            out.setdefault(c.kind, {}).setdefault(text_key(c.value), c)
        return out

    ok, nk = by_kind(old), by_kind(new)
    for kind in sorted(set(ok) | set(nk)):
        o, n = ok.get(kind, {}), nk.get(kind, {})
        removed = [o[k] for k in o if k not in n]
        added = [n[k] for k in n if k not in o]
        if not removed and not added:
            continue
        rv = "; ".join(c.value for c in removed) or None
        av = "; ".join(c.value for c in added) or None
        kind_name = (
            "contact_changed" if removed and added else ("contact_removed" if removed else "contact_added")
        )
        ol = removed[0].line if removed else None
        nl = added[0].line if added else None
        changes.append(_change(kind_name, kind, M.contact_changed(kind, rv, av), ol, nl, rv, av))
    od, nd = old.last_updated, new.last_updated
    ot, nt = old.last_updated_text, new.last_updated_text
    if od != nd or (od is None and nd is None and text_key(ot) != text_key(nt)):
        o = od.isoformat() if od else (ot or None)
        n = nd.isoformat() if nd else (nt or None)
        changes.append(
            _change(
                "date_changed",
                "last_updated",
                M.date_changed(o, n),
                old.last_updated_line,
                new.last_updated_line,
                o,
                n,
            )
        )
    return changes


# Organisations named where the policy says how to reach the people responsible.
_CONTACT_HEADING = re.compile(
    r"contact|reach us|joindre|who we are|qui sommes|controller|responsable (?:du|de) traitement|data protection officer"
    r"|delegue a la protection|\bdpo\b|imprint|impressum|mentions legales|about us"
)
_ENTITY = re.compile(
    r"\b([A-Z0-9][\w&'.-]{0,30}(?:[ ,]{1,2}[A-Z0-9][\w&'.-]{0,30}){0,4}),? "
    r"(Limited|Ltd\.?|LLC|LLP|L\.L\.C\.|Inc\.?|Incorporated|SAS|SASU|S\.A\.S\.|SA|S\.A\.|SARL|GmbH|B\.V\.|BV|N\.V\.|plc|PLC|AG|Pty Ltd|S\.r\.l\.|SpA|AB|Oy)(?![\w])"
)


def contact_entities(doc: Document | None) -> dict[str, tuple[str, int]]:
    """company key → (name as written, line) for organisations named in contact/controller sections.

    A section starts at a heading, or at a short title-like paragraph ("How to contact
    us?" in bold), that names contact or the controller; it ends at the next heading
    of the same or a higher level (a paragraph-started section: at the next level 1-2
    heading, or after 25 blocks).
    """
    if doc is None:
        return {}
    out: dict[str, tuple[str, int]] = {}
    level: int | None = None  # heading level that ends the current section
    left = 0  # blocks left in a paragraph-started section
    for b in doc.blocks:
        folded = fold(b.text[:300])
        starts = bool(_CONTACT_HEADING.search(folded))
        if b.kind == "heading":
            if level is not None and b.level <= level and not starts:
                level, left = None, 0
            if starts and level is None:
                level, left = (b.level or 1), 10**9
            continue
        if level is None and starts and b.kind == "paragraph" and len(b.text.split()) <= 12:
            level, left = 2, 25
            continue
        if level is None:
            continue
        left -= 1
        if left < 0:
            level = None
            continue
        for m in _ENTITY.finditer(b.text[:20000]):
            name = m.group(0).strip(" ,")
            key = company_key(name)
            if key and key not in out:
                out[key] = (name, b.line)
    return out


def compare_contact_entities(old_doc: Document | None, new_doc: Document | None) -> list[Change]:
    if old_doc is None or new_doc is None:
        return []
    oe, ne = contact_entities(old_doc), contact_entities(new_doc)
    if not oe or not ne:
        return []
    added = [ne[k] for k in ne if k not in oe and not any(same_company(ne[k][0], v[0]) for v in oe.values())]
    removed = [
        oe[k] for k in oe if k not in ne and not any(same_company(oe[k][0], v[0]) for v in ne.values())
    ]
    if not added:
        return []
    v = M.contact_entity_changed([r[0] for r in removed], [a[0] for a in added])
    return [
        _change(
            "contact_entity_changed",
            ", ".join(a[0] for a in added),
            v,
            removed[0][1] if removed else None,
            added[0][1],
            ", ".join(r[0] for r in removed) or None,
            ", ".join(a[0] for a in added),
        )
    ]


# --- the document replaced -----------------------------------------------------------------------------

_POLICY_TITLE = re.compile(r"cookie|traceur|tracker|tracking technolog|technologies de suivi|temoin")
_OTHER_DOC = re.compile(
    r"privacy|confidentialite|protection des donnees|donnees personnelles|data protection|terms|conditions"
    r"|\bcgu\b|\bcgv\b|documentation|\bdocs\b|help cent|centre d.aide|sign in|log ?in|connexion|captcha"
    r"|access denied|just a moment|attention required|not found|introuvable|\b404\b|home ?page|accueil"
)
_COOKIE_WORD = re.compile(r"cookie|traceur|tracker")


def title_of(policy: Policy, doc: Document | None) -> str:
    if policy.title:
        return policy.title
    if doc is not None:
        if doc.title:
            return doc.title
        for b in doc.blocks[:5]:
            if b.kind == "heading":
                return b.text
    return ""


def _doc_text(doc: Document | None) -> str:
    return "\n".join(b.text for b in doc.blocks) if doc is not None else ""


def replacement_signals(
    old: Policy, new: Policy, old_doc: Document | None, new_doc: Document | None
) -> list[str]:
    """Why the new version no longer reads as the cookie policy the old one was; empty when it still does."""
    old_text, new_text = _doc_text(old_doc), _doc_text(new_doc)
    old_cookie = len(_COOKIE_WORD.findall(fold(old_text[:2_000_000])))
    new_cookie = len(_COOKIE_WORD.findall(fold(new_text[:2_000_000])))
    old_is_policy = old.policy_score >= 0.5 or len(old.cookies) >= 3 or old_cookie >= 5
    if not old_is_policy:
        return []
    strong: list[str] = []
    weak: list[str] = []
    # "Almost no text" only against an old version that had text: a short policy diffed
    # with itself (or with a one-word edit of itself) is not a replacement.
    if new_doc is not None and len(new_text.strip()) < min(200, len(old_text.strip()) // 2):
        strong.append("the new version has almost no text: a login wall, a bot check or an error page")
    if old.policy_score >= 0.5 and new.policy_score < 0.3 and (new.policy_score > 0 or not new.cookies):
        strong.append(f"it reads like a cookie policy {old.policy_score:.0%} → {new.policy_score:.0%}")
    elif old.policy_score - new.policy_score >= 0.2:
        weak.append(f"it reads less like a cookie policy ({old.policy_score:.0%} → {new.policy_score:.0%})")
    ot, nt = title_of(old, old_doc), title_of(new, new_doc)
    title_lost = bool(ot) and bool(_POLICY_TITLE.search(fold(ot))) and not _POLICY_TITLE.search(fold(nt))
    if title_lost:
        what = "another document" if _OTHER_DOC.search(fold(nt)) else "a title that is not about cookies"
        (strong if _OTHER_DOC.search(fold(nt)) else weak).append(
            f"the title changed from “{ot.strip()[:80]}” to {what} (“{nt.strip()[:80]}”)"
            if nt.strip()
            else f"the title “{ot.strip()[:80]}” is gone"
        )
    if len(old.cookies) >= 3 and not new.cookies:
        weak.append(f"the inventory went from {len(old.cookies)} items to none")
    if old_doc is not None and new_doc is not None and old_text and new_text:
        od = old_cookie / max(1, len(old_text.split()))
        nd = new_cookie / max(1, len(new_text.split()))
        if old_cookie >= 5 and nd < od / 4:
            weak.append(
                f"“cookie” is mentioned {old_cookie} → {new_cookie} times, {od / max(nd, 1e-9):.0f}× less often"
                if new_cookie
                else f"“cookie” is no longer mentioned (was {old_cookie} times)"
            )
        ob, nb = len(old_doc.blocks), len(new_doc.blocks)
        if ob >= 10 and nb > 3 * ob:
            weak.append(f"the document grew from {ob} to {nb} blocks")
    # One strong signal, or a title change backed by another signal, or three weak ones.
    if strong and (
        len(strong) + len(weak) >= 2 or any("almost no text" in s or "reads like" in s for s in strong)
    ):
        return strong + weak
    if title_lost and weak and len(weak) >= 2:
        return strong + weak
    if len(weak) >= 3:
        return strong + weak
    return []


# --- text ----------------------------------------------------------------------------------------------


def passage_changes(
    old_doc: Document | None,
    new_doc: Document | None,
    covered_old: set[int],
    covered_new: set[int],
    judged_old: set[int] | None = None,
    judged_new: set[int] | None = None,
    judged_texts: set[str] | None = None,
    indexes: tuple[P.SentenceIndex, P.SentenceIndex] | None = None,
) -> tuple[list[Change], list[P.Hunk]]:
    """Changes for changed passages not already covered by a structured change.

    ``covered_*``: source lines a structured change already reports (a passage made only
    of those is not repeated); ``judged_*``: lines of table rows whose meaning an item
    change already judged, and ``judged_texts`` sentences a claim change already judged;
    both are left out of the text signals.
    """
    ou, nu = P.document_units(old_doc), P.document_units(new_doc)
    hs = P.hunks(ou, nu)
    old_index, new_index = indexes or (P.SentenceIndex(ou), P.SentenceIndex(nu))
    budget = [400]
    changes: list[Change] = []
    for h in hs:
        signals = P.hunk_signals(
            h, old_index, new_index, budget, judged_old or set(), judged_new or set(), judged_texts or set()
        )
        covered = all(u.line in covered_old for u in h.old) and all(u.line in covered_new for u in h.new)
        if covered and not signals:
            continue
        kind = {"replace": "text_changed", "insert": "text_added", "delete": "text_removed"}[h.tag]
        v = M.text_changed([s.message for s in signals])
        sig_new = next((s.line for s in signals if s.side == "new"), None)
        sig_old = next((s.line for s in signals if s.side == "old"), None)
        # Name the section the signal is in: a hunk can run from the end of one section
        # into a new one ("Analytics cookies" row changed, then "Advertising cookies" added).
        first = _unit_at(h.new, sig_new) or _unit_at(h.old, sig_old) or (h.new or h.old)[0]
        subject = first.heading or " ".join(first.text.lstrip("#-| ").split()[:8])
        changes.append(
            _change(
                kind,
                subject[:120],
                v,
                sig_old or h.old_line,
                sig_new or h.new_line,
                _join(h.old),
                _join(h.new),
            )
        )
    return changes, hs


def _unit_at(units: list[P.Unit], line: int | None) -> P.Unit | None:
    """The unit a line falls in: the last one starting at or before it."""
    if line is None:
        return None
    return next((u for u in reversed(units) if u.line is not None and u.line <= line), None)


def _join(units: list[P.Unit], limit: int = 600) -> str | None:
    if not units:
        return None
    t = "\n".join(u.text for u in units)
    return t if len(t) <= limit else t[: limit - 1] + "…"


# --- all together --------------------------------------------------------------------------------------


@dataclass
class Comparison:
    changes: list[Change]
    hunks: list[P.Hunk]
    replaced: list[str]


def compare(
    old: Policy, new: Policy, old_doc: Document | None = None, new_doc: Document | None = None
) -> Comparison:
    """Every change between two versions, material ones first, then in document order."""
    old_text, new_text = fold(_doc_text(old_doc)), fold(_doc_text(new_doc))
    changes: list[Change] = []
    replaced = replacement_signals(old, new, old_doc, new_doc)
    if replaced:
        changes.append(
            _change(
                "policy_replaced",
                title_of(new, new_doc).strip()[:120] or new.path,
                M.policy_replaced(replaced),
                1,
                1,
                title_of(old, old_doc) or None,
                title_of(new, new_doc) or None,
            )
        )
    changes += compare_items(old, new)
    changes += compare_third_parties(old, new, old_text, new_text)
    old_index = P.SentenceIndex(P.document_units(old_doc)) if old_doc is not None else None
    new_index = P.SentenceIndex(P.document_units(new_doc)) if new_doc is not None else None
    changes += compare_claims(old, new, old_index, new_index)
    meta = compare_metadata(old, new)
    changes += meta
    if not any(c.kind == "controller_changed" and c.material for c in meta):
        changes += compare_contact_entities(old_doc, new_doc)
    hs: list[P.Hunk] = []
    if old_doc is not None or new_doc is not None:
        covered_old = {c.old_line for c in changes if c.old_line}
        covered_new = {c.new_line for c in changes if c.new_line}
        for it in old.cookies:
            covered_old.add(it.line)
        for it in new.cookies:
            covered_new.add(it.line)
        judged_old = {it.line for it in old.cookies}
        judged_new = {it.line for it in new.cookies}
        claim_texts = {c.old for c in changes if c.kind.startswith("claim_") and c.old}
        claim_texts |= {c.new for c in changes if c.kind.startswith("claim_") and c.new}
        text_changes, hs = passage_changes(
            old_doc,
            new_doc,
            covered_old,
            covered_new,
            judged_old,
            judged_new,
            claim_texts,
            (old_index or P.SentenceIndex([]), new_index or P.SentenceIndex([])),
        )
        if not replaced:
            changes += text_changes
    changes.sort(key=lambda c: (not c.material, c.new_line or c.old_line or 0, c.kind))
    return Comparison(changes, hs, replaced)
