"""Which changes need notice or new consent (material) and which are editorial.

Each function returns ``(material, reason)``; the reason is written for the
person who signs off the change (a DPO, a lawyer): what changed and why that
does or does not require telling users or asking them again.

The line drawn here:

* material — a new item that needs consent, a new purpose, a new recipient
  (third party, provider, controller), a longer lifetime, a category moved to
  a more intrusive one or from exempt to consent-based (or back), a protective
  statement withdrawn or reversed, the policy replaced by another document;
* editorial — wording, layout, order, links, filled placeholders, contact
  details, a date alone, and removals (a tracker that is no longer used needs
  no consent).
"""

from __future__ import annotations

import math

# Category → how intrusive it is. 0: exempt from consent (strictly necessary);
# 1+: needs consent; a higher rank is a more intrusive purpose.
RANK = {
    "strictly_necessary": 0,
    "security": 0,
    "consent": 0,
    "preferences": 1,
    "personalisation": 2,
    "analytics": 2,
    "social_media": 3,
    "advertising": 3,
}
EXEMPT_CATEGORIES = {c for c, r in RANK.items() if r == 0}

LABEL = {
    "strictly_necessary": "strictly necessary",
    "security": "security",
    "consent": "consent management",
    "preferences": "preferences",
    "personalisation": "personalisation",
    "analytics": "analytics",
    "social_media": "social media",
    "advertising": "advertising",
}

_EPRIVACY = "ePrivacy Directive Art. 5(3)"


def label(category: str | None) -> str:
    return LABEL.get(category or "", category or "unclassified")


def days_text(days: float | None, written: str | None = None) -> str:
    if written:
        return written
    if days is None:
        return "unstated"
    if math.isinf(days):
        return "no expiry"
    if days == 0:
        return "session"
    if days >= 365 and days % 365 < 1:
        return f"{int(days // 365)} year{'s' if days >= 730 else ''}"
    if days >= 30:
        return f"{round(days / 30.4)} months"
    return f"{days:g} days"


# --- items ---------------------------------------------------------------------------------------


def item_added(name: str, status: str | None, categories: set[str], how: str = "") -> tuple[bool, str]:
    cats = ", ".join(sorted(label(c) for c in categories)) or "unclassified"
    how = f" ({how})" if how else ""
    if status == "exempt":
        return False, (
            f"New {cats} item `{name}`{how}: it is set without consent under the exemption for what is "
            f"strictly necessary for the service the user asked for ({_EPRIVACY}), so no new consent is "
            "needed; listing it keeps the policy accurate."
        )
    if status == "consent" and categories == {"preferences"} and "only with consent" not in how:
        # A setting the user chose (language, display) can be exempt, but only if the policy says so.
        return True, (
            f"New preferences item `{name}`{how}: a setting the user chose (such as the language) can be "
            "set without consent, but the policy does not say this one is: state that it is exempt, or "
            "ask consent for it; until then users must be told."
        )
    if status == "consent" and len(categories) > 1:
        # One cookie listed in several tables ("strictly necessary" on one site, "analytics" on another).
        listed = " and as ".join(sorted(label(c) for c in categories))
        return True, (
            f"New item `{name}`, listed as {listed}: where it is not strictly necessary it needs "
            "consent, so users must be told and asked before it is set."
        )
    if status == "consent":
        return True, (
            f"New {cats} item `{name}` that needs consent{how}: users have not agreed to it, so they must be "
            "told and asked before it is set."
        )
    return True, (
        f"New item `{name}` that the policy does not declare strictly necessary{how}: treat it as needing "
        "consent until its exemption is stated, and tell users."
    )


def item_removed(name: str) -> tuple[bool, str]:
    return False, (
        f"`{name}` is no longer listed. Removing a tracker needs no consent and no notice; check that "
        "it is really gone from the site and not merely undocumented."
    )


def inventory_emptied(n: int) -> tuple[bool, str]:
    return False, (
        f"The policy no longer lists any of its {n} items. Removing trackers needs no consent, so this is "
        "not material by itself; but if the site still sets cookies, the policy now fails to disclose them "
        "(ePrivacy Art. 5(3) requires clear and comprehensive information): check the site, then restore "
        "the list or confirm the trackers are gone."
    )


def item_renamed(old: str, new: str) -> tuple[bool, str]:
    return False, (
        f"`{old}` is now written `{new}` with the same purpose, provider, category and lifetime: "
        "a new name for the same item is editorial."
    )


def recategorised(name: str, old: set[str], new: set[str]) -> tuple[bool, str]:
    old_l = ", ".join(sorted(label(c) for c in old)) or "unclassified"
    new_l = ", ".join(sorted(label(c) for c in new)) or "unclassified"
    if not old:
        return False, (
            f"`{name}` now states its category ({new_l}); it was unclassified before. Editorial unless "
            "the item itself changed — check the purpose."
        )
    if not new:
        return False, f"`{name}` no longer states its category (was {old_l})."
    old_rank = max(RANK.get(c, 1) for c in old)
    added = new - old
    up = [c for c in added if RANK.get(c, 1) > old_rank]
    lateral = [c for c in added if RANK.get(c, 1) == old_rank and old_rank > 0]
    if up:
        if old_rank == 0:
            why = "it was exempt from consent and now serves a purpose that needs consent"
        else:
            why = "the new purpose is more intrusive than the one users agreed to"
        return True, f"`{name}` moved from {old_l} to {new_l}: {why}, so users must be told and asked again."
    if lateral:
        return True, (
            f"`{name}` moved from {old_l} to {new_l}: consent is given per purpose, and agreement to "
            f"{old_l} does not cover {new_l}."
        )
    return False, (
        f"`{name}` moved from {old_l} to {new_l}, a less intrusive category: no new consent is needed "
        "(the consent tool must follow the new category)."
    )


def duration(
    name: str, old_days: float, new_days: float, old_text: str | None, new_text: str | None
) -> tuple[str, bool, str]:
    o, n = days_text(old_days, old_text), days_text(new_days, new_text)
    if new_days > old_days:
        return (
            "duration_longer",
            True,
            (
                f"`{name}` now lasts {n} instead of {o}: data is kept on the device longer than users were "
                "told when they agreed, so the longer lifetime needs notice (and consent where the item "
                "needs consent)."
            ),
        )
    return (
        "duration_shorter",
        False,
        (
            f"`{name}` now lasts {n} instead of {o}: a shorter lifetime protects users and needs no new consent."
        ),
    )


def duration_restated(name: str, old_text: str | None, new_text: str | None) -> tuple[bool, str]:
    return False, (
        f"`{name}`: lifetime written '{old_text or 'unstated'}' → '{new_text or 'unstated'}'; "
        "no measurable change in how long it lasts."
    )


def provider_changed(name: str, old: str, new: str, first_party: bool) -> tuple[bool, str]:
    if first_party:
        return False, f"`{name}` is now set by the site itself ({new}) instead of {old}: no new recipient."
    return True, (
        f"`{name}` is now set by {new} instead of {old}: its data goes to a different company, a new "
        "recipient users must be told about (GDPR Art. 13(1)(e))."
    )


def provider_renamed(name: str, old: str, new: str) -> tuple[bool, str]:
    return False, f"`{name}`: provider written '{old}' → '{new}', the same company under another name."


def party_changed(name: str, old: str, new: str) -> tuple[bool, str]:
    if new == "third":
        return True, (
            f"`{name}` was a first-party item and is now set by a third party: a new recipient reads it, "
            "which users must be told about."
        )
    return False, f"`{name}` is now first-party (was {old}-party): no new recipient."


def consent_changed(name: str, old: str, new: str, stated: bool = True) -> tuple[bool, str]:
    if new == "consent" and not stated:
        return True, (
            f"`{name}` was set without consent (exempt); the new version no longer says so, nor gives "
            "an exemption, and its category needs consent: either the exemption was dropped by mistake "
            "(restore it), or the site must now ask before setting it and users must be told."
        )
    if new == "consent":
        return True, (
            f"`{name}` was set without consent (exempt) and is now consent-based: the site must now ask "
            "before setting it, so users must be told and the consent tool updated."
        )
    return True, (
        f"`{name}` was set only with consent and is now set without asking: users lose the choice they "
        f"had, which needs notice and a valid exemption ({_EPRIVACY})."
    )


def exemption_removed(name: str, basis: str) -> tuple[bool, str]:
    return True, (
        f"`{name}` no longer states its exemption ('{basis}'): without one it can only be set with "
        "consent, so either the basis was dropped by mistake or users must now be asked."
    )


def exemption_restated(name: str, old: str | None, new: str | None) -> tuple[bool, str]:
    if not old:
        return False, f"`{name}` now states why it is exempt ('{new}'): a clarification."
    return False, f"`{name}`: exemption reworded ('{old}' → '{new}')."


def purpose_changed(name: str, new_classes: set[str]) -> tuple[bool, str]:
    if new_classes:
        what = ", ".join(sorted(new_classes))
        return True, (
            f"`{name}` now also serves {what}: a new purpose, which users have not agreed to "
            "(GDPR Art. 5(1)(b), 6(1)(a))."
        )
    return False, f"`{name}`: purpose reworded without a new kind of use."


def storage_changed(name: str, old: str, new: str) -> tuple[bool, str]:
    return False, (
        f"`{name}` is now described as {new.replace('_', ' ')} (was {old.replace('_', ' ')}): the same "
        "rules apply to any storage on the device, so this is editorial."
    )


def domains_changed(name: str, added: set[str], removed: set[str]) -> tuple[bool, str]:
    parts = []
    if added:
        parts.append("now also on " + ", ".join(sorted(added)[:5]))
    if removed:
        parts.append("no longer on " + ", ".join(sorted(removed)[:5]))
    return False, f"`{name}` " + "; ".join(
        parts
    ) + ": the same item with the same purpose, listed under other sites."


# --- parties, claims, metadata -------------------------------------------------------------------


def third_party_added(name: str) -> tuple[bool, str]:
    return True, (
        f"{name} is a new third party: data goes to a recipient users were not told about "
        "(GDPR Art. 13(1)(e)); tell users and, where its trackers need consent, ask again."
    )


def third_party_removed(name: str) -> tuple[bool, str]:
    return False, f"{name} is no longer named: one recipient fewer needs no consent."


def third_party_renamed(old: str, new: str) -> tuple[bool, str]:
    return False, f"{old} is now called {new}: the same company under its new name."


PROTECTIVE_TRUE = {
    "consent",
    "signal",
    "opt_out",
    "optout",
    "anonymised",
    "anonymous",
    "retention",
    "notice",
    "notify",
}
PROTECTIVE_FALSE = {
    "uses",
    "use",
    "sharing",
    "share",
    "sells",
    "sale",
    "sell",
    "tracking",
    "profiling",
    "third_party",
    "transfer",
    "implied_consent",  # "continuing to browse does not mean you accept cookies"
}


def protective(kind: str, polarity: bool) -> bool:
    """Whether a claim with this kind and polarity protects users ("we do not sell", "we honour GPC")."""
    k = kind.lower()
    if k in PROTECTIVE_FALSE:
        return polarity is False
    if k in PROTECTIVE_TRUE:
        return polarity is True
    return False


def claim_removed(kind: str, subject: str, polarity: bool, text: str) -> tuple[bool, str]:
    quote = _quote(text)
    if kind == "implied_consent" and polarity:
        return False, (
            f"The statement {quote} is gone: the policy no longer takes an act other than accepting "
            "as consent to cookies, which protects users more."
        )
    if protective(kind, polarity):
        return True, (
            f"The statement {quote} is gone: users relied on this protection, and withdrawing it "
            "changes what they agreed to."
        )
    return False, f"The statement {quote} is gone; it gave users no protection, so its removal is editorial."


def claim_flipped(
    kind: str, subject: str, old_polarity: bool, old_text: str, new_text: str
) -> tuple[bool, str]:
    if protective(kind, old_polarity):
        return True, (
            f"The policy reversed a protective statement: {_quote(old_text)} became {_quote(new_text)}."
        )
    if protective(kind, not old_polarity):
        return (
            False,
            f"The policy now gives a protective statement: {_quote(old_text)} became {_quote(new_text)}.",
        )
    return True, f"The policy now states the opposite: {_quote(old_text)} became {_quote(new_text)}."


def claim_added(kind: str, subject: str, polarity: bool, text: str) -> tuple[bool, str]:
    k = kind.lower()
    if k == "implied_consent" and not polarity:
        return False, f"New statement {_quote(text)}: a protection users did not have before."
    if k == "implied_consent":
        from policylint.extraction.implied_consent import ACTS

        return True, (
            f"New statement {_quote(text)}: the policy now takes {ACTS.get(subject, subject)} as consent "
            "to cookies, which changes how consent is obtained and is not valid consent (GDPR Art. 4(11), "
            "CJEU Planet49; PL305): users must be told, and asked with a clear 'Accept'."
        )
    new_use = k in {"uses", "use"} and polarity and (RANK.get(subject, 0) > 0 or subject == "non_essential")
    new_sharing = k in {"sharing", "share", "sells", "sell", "sale"} and polarity
    if new_use or new_sharing:
        return True, f"New statement {_quote(text)}: a use users were not told about before."
    return False, f"New statement {_quote(text)}."


def controller_changed(old: str | None, new: str | None) -> tuple[bool, str]:
    if old and new:
        return True, (
            f"The controller changed from {old} to {new}: users must be told who is responsible for "
            "their data (GDPR Art. 13(1)(a)), and consent given to the old controller does not carry over."
        )
    if new:
        return False, f"The policy now names its controller ({new}); it did not before."
    return False, f"The policy no longer names its controller (was {old}); a disclosure gap, not a new use."


def controller_restated(old: str, new: str) -> tuple[bool, str]:
    return False, f"Controller written '{old}' → '{new}': the same organisation."


def contact_entity_changed(removed: list[str], added: list[str]) -> tuple[bool, str]:
    return True, (
        "The organisation users are told to contact about their data changed ("
        + (", ".join(removed) or "none")
        + " → "
        + (", ".join(added) or "none")
        + "): that names a different responsible entity or representative, which users must be told "
        "about (GDPR Art. 13(1)(a)-(b), Art. 27). Confirm with legal whether the controller itself changed."
    )


def contact_changed(kind: str, old: str | None, new: str | None) -> tuple[bool, str]:
    if old and new:
        return (
            False,
            f"Contact {kind} updated ('{old}' → '{new}'): a new address is editorial; check that it still "
            "belongs to the same organisation (a new organisation is a material change).",
        )
    if new:
        return False, f"New contact {kind} '{new}': editorial."
    return (
        False,
        f"Contact {kind} '{old}' removed: editorial (the policy must still give a way to reach you).",
    )


def date_changed(old: str | None, new: str | None) -> tuple[bool, str]:
    return (
        False,
        f"Last-updated date {old or 'unstated'} → {new or 'unstated'}: a date change alone is editorial.",
    )


def policy_replaced(signals: list[str]) -> tuple[bool, str]:
    return True, (
        "The new version is no longer a cookie policy ("
        + "; ".join(signals)
        + "). The policy users were told "
        "about is gone or replaced: either the page is broken (restore it) or the cookie information moved "
        "(users must be told where, and the new document reviewed as a whole)."
    )


def text_changed(signals: list[str]) -> tuple[bool, str]:
    if signals:
        return True, " ".join(signals)
    return False, "Wording, formatting or links changed without a new use, recipient or lifetime."


def _quote(text: str) -> str:
    t = " ".join((text or "").split())
    if len(t) > 120:
        t = t[:117] + "…"
    return f"“{t}”"
