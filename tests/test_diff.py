"""Semantic diff and materiality on hand-built Policies (no extractor needed)."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from policylint.diffing import compute
from policylint.diffing.names import company_key, item_key, same_company
from policylint.extraction import extract_policy
from policylint.model import Claim, Contact, Item, Policy, ThirdParty


def item(name, **kw) -> Item:
    kw.setdefault("line", 10)
    return Item(name, **kw)


def policy(path="v.md", **kw) -> Policy:
    kw.setdefault("policy_score", 0.9)
    kw.setdefault("title", "Cookie Policy")
    return Policy(path, "markdown", **kw)


def base() -> Policy:
    return policy(
        "old.md",
        last_updated=dt.date(2025, 3, 3),
        last_updated_line=3,
        controller="Copperleaf Home Ltd",
        controller_line=7,
        contacts=[Contact("privacy@copperleaf.example", "email", 9)],
        cookies=[
            item(
                "cl_session",
                provider="Copperleaf Home",
                purpose="Keeps your session",
                category="strictly_necessary",
                duration="Session",
                duration_days=0,
                consent=False,
                line=20,
            ),
            item(
                "cl_basket",
                provider="Copperleaf Home",
                purpose="Remembers your basket",
                category="strictly_necessary",
                duration="30 days",
                duration_days=30,
                consent=False,
                line=21,
            ),
            item(
                "_ga",
                provider="Google",
                purpose="Distinguishes unique visitors",
                category="analytics",
                duration="13 months",
                duration_days=395,
                consent=True,
                party="third",
                line=30,
            ),
            item(
                "dark-theme",
                provider="Copperleaf Home",
                purpose="Saves your preference to a light or dark site",
                category="preferences",
                duration="1 year",
                duration_days=365,
                line=33,
            ),
        ],
        third_parties=[ThirdParty("Google", 30), ThirdParty("Stripe", 24)],
        claims=[
            Claim(
                "sharing",
                "advertising_partners",
                False,
                "We do not share data with advertising partners.",
                38,
            ),
            Claim("consent", "non_essential", True, "These cookies are only set if you accept them.", 29),
        ],
    )


def changed(mutate) -> Policy:
    p = copy.deepcopy(base())
    p.path = "new.md"
    mutate(p)
    return p


def kinds(result) -> dict[str, list]:
    out: dict[str, list] = {}
    for c in result.changes:
        out.setdefault(c.kind, []).append(c)
    return out


def only(result, kind):
    found = [c for c in result.changes if c.kind == kind]
    assert len(found) == 1, [(c.kind, c.subject) for c in result.changes]
    return found[0]


def get(p: Policy, name: str) -> Item:
    return next(i for i in p.cookies if i.name == name)


# --- identity and ordering ---------------------------------------------------------------------


def test_policy_against_itself_is_empty():
    r = compute(base(), base())
    assert r.changes == [] and r.findings == [] and not r.material and r.text_diff == ""


def test_reordering_items_claims_and_parties_is_not_a_change():
    def mutate(p):
        p.cookies.reverse()
        p.claims.reverse()
        p.third_parties.reverse()
        for n, i in enumerate(p.cookies):
            i.line = 100 + n  # rows moved to other lines

    r = compute(base(), changed(mutate))
    assert r.changes == []


def test_item_under_several_rows_is_one_item():
    def mutate(p):
        ga = get(p, "_ga")
        p.cookies.append(dataclasses.replace(ga, domain="talent.example.com", line=80))
        ga.domain = "example.com"

    old = copy.deepcopy(base())
    get(old, "_ga").domain = "example.com"
    r = compute(old, changed(mutate))
    assert "item_added" not in kinds(r) and "item_removed" not in kinds(r)
    dom = only(r, "domains_changed")
    assert not dom.material and "talent.example.com" in dom.reason


def test_same_item_split_differently_across_rows_makes_no_add_remove_pair():
    old = policy(
        "o.md", cookies=[item("__cf_bm", domain="a.com", line=1), item("__cf_bm", domain="b.com", line=2)]
    )
    new = policy("n.md", cookies=[item("__cf_bm", domain="a.com, b.com", line=5)])
    r = compute(old, new)
    assert r.changes == []


# --- items ------------------------------------------------------------------------------------------


def test_new_consent_item_is_material():
    r = compute(
        base(),
        changed(
            lambda p: p.cookies.append(
                item(
                    "_fbp",
                    provider="Meta",
                    purpose="Shows ads",
                    category="advertising",
                    duration_days=90,
                    line=42,
                )
            )
        ),
    )
    c = only(r, "item_added")
    assert c.material and c.subject == "_fbp" and c.new_line == 42 and "consent" in c.reason
    assert r.material


def test_new_strictly_necessary_item_is_reported_not_material():
    r = compute(
        base(),
        changed(
            lambda p: p.cookies.append(
                item(
                    "cl_csrf", purpose="Protects forms", category="strictly_necessary", consent=False, line=22
                )
            )
        ),
    )
    c = only(r, "item_added")
    assert not c.material and "strictly necessary" in c.reason and "no new consent" in c.reason
    assert not r.material


def test_new_unclassified_item_needs_consent_until_shown_exempt():
    r = compute(base(), changed(lambda p: p.cookies.append(item("mystery_id", line=50))))
    c = only(r, "item_added")
    assert c.material and "does not declare" in c.reason


def test_unclassified_new_item_known_to_catalog_as_advertising_is_material():
    pytest.importorskip("policylint.catalog")
    r = compute(base(), changed(lambda p: p.cookies.append(item("IDE", consent=False, line=50))))
    c = only(r, "item_added")
    assert c.material and "catalog" in c.reason


def test_removed_item_is_reported_not_material():
    r = compute(base(), changed(lambda p: p.cookies.remove(get(p, "_ga"))))
    c = only(r, "item_removed")
    assert not c.material and "needs no consent" in c.reason and c.old_line == 30
    assert not r.material


def test_all_items_removed_says_inventory_emptied_not_material():
    r = compute(base(), changed(lambda p: p.cookies.clear()))
    assert len(kinds(r)["item_removed"]) == 4
    e = only(r, "inventory_emptied")
    assert not e.material and not r.material


@pytest.mark.parametrize(
    "old,new",
    [
        ("dark-theme", "dark_theme"),
        ("Dark-Theme", "dark_theme"),
        ("^dark_theme$", "dark_theme"),
        ("`dark-theme`", "dark_theme"),
    ],
)
def test_rename_by_normalised_name(old, new):
    o = base()
    get(o, "dark-theme").name = old

    def mutate(p):
        get(p, "dark-theme").name = new

    r = compute(o, changed(mutate))
    c = only(r, "item_renamed")
    assert not c.material and c.old == old.strip("`") and c.new == new
    assert len(r.changes) == 1


def test_rename_by_purpose_and_provider_similarity():
    def mutate(p):
        i = get(p, "dark-theme")
        i.name, i.line = "tna_colour_scheme", 40
        i.purpose = "Saves your preference to a light or dark site."

    r = compute(base(), changed(mutate))
    c = only(r, "item_renamed")
    assert c.old == "dark-theme" and c.new == "tna_colour_scheme" and not c.material
    assert "item_added" not in kinds(r) and "item_removed" not in kinds(r)


def test_no_rename_when_category_or_lifetime_differ():
    def mutate(p):
        i = get(p, "dark-theme")
        i.name, i.category = "ad_theme", "advertising"

    r = compute(base(), changed(mutate))
    assert "item_renamed" not in kinds(r)
    assert only(r, "item_added").material and not only(r, "item_removed").material


@pytest.mark.parametrize(
    "old,new,material",
    [
        ("analytics", "advertising", True),  # upgraded
        ("strictly_necessary", "preferences", True),  # necessary -> consent-based
        ("analytics", "personalisation", True),  # a different consent purpose
        ("advertising", "analytics", False),  # downgraded
        ("preferences", "strictly_necessary", False),
    ],
)
def test_category_change(old, new, material):
    o = base()
    get(o, "_ga").category = old
    get(o, "_ga").consent = None

    def mutate(p):
        get(p, "_ga").category = new
        get(p, "_ga").consent = None

    r = compute(o, changed(mutate))
    c = only(r, "category_changed")
    assert c.material is material, c.reason
    assert (c.old, c.new) == (old, new)
    assert "consent_changed" not in kinds(r) or not material


def test_longer_lifetime_is_material_shorter_is_not():
    def longer(p):
        get(p, "_ga").duration, get(p, "_ga").duration_days = "25 months", 760

    def shorter(p):
        get(p, "_ga").duration, get(p, "_ga").duration_days = "6 months", 183

    c = only(compute(base(), changed(longer)), "duration_longer")
    assert c.material and c.old == "13 months" and c.new == "25 months"
    c = only(compute(base(), changed(shorter)), "duration_shorter")
    assert not c.material


def test_same_lifetime_written_differently_is_not_a_change():
    def mutate(p):
        get(p, "cl_session").duration = "session"  # "Session" -> "session"
        get(p, "_ga").duration = "13 mois"  # same days

    assert compute(base(), changed(mutate)).changes == []


def test_lifetime_restated_without_days_is_editorial():
    o = base()
    get(o, "dark-theme").duration, get(o, "dark-theme").duration_days = "Infini", None

    def mutate(p):
        get(p, "dark-theme").duration, get(p, "dark-theme").duration_days = "localStorage*", None

    c = only(compute(o, changed(mutate)), "duration_changed")
    assert not c.material and c.old == "Infini" and c.new == "localStorage*"


def test_provider_change_to_new_company_is_material_alias_is_not():
    def other(p):
        get(p, "_ga").provider = "Adobe"

    def alias(p):
        get(p, "_ga").provider = "Google LLC (Google Analytics)"

    c = only(compute(base(), changed(other)), "provider_changed")
    assert c.material and "Adobe" in c.reason
    r = compute(base(), changed(alias))
    assert not r.material


def test_facebook_to_meta_is_the_same_company():
    assert same_company("Facebook Inc.", "Meta Platforms Ireland Ltd")
    assert same_company("Google/DoubleClick", "Google")
    assert not same_company("Google", "Criteo")
    assert company_key("The Trade Desk") == company_key("Trade Desk, Inc.")


def test_party_first_to_third_is_material():
    o = base()
    get(o, "dark-theme").party = "first"

    def mutate(p):
        get(p, "dark-theme").party = "third"

    c = only(compute(o, changed(mutate)), "party_changed")
    assert c.material


@pytest.mark.parametrize("old,new", [(False, True), (True, False)])
def test_exempt_to_consent_and_back_is_material(old, new):
    o = base()
    get(o, "dark-theme").consent = old

    def mutate(p):
        get(p, "dark-theme").consent = new

    c = only(compute(o, changed(mutate)), "consent_changed")
    assert c.material


def test_exemption_basis_removed_is_material():
    o = base()
    i = get(o, "_ga")
    i.consent, i.exemption_basis = None, "mesure d'audience exemptée"

    def mutate(p):
        j = get(p, "_ga")
        j.consent, j.exemption_basis = None, None
        j.category = None

    o_i = get(o, "_ga")
    o_i.category = None
    c = only(compute(o, changed(mutate)), "exemption_removed")
    assert c.material and "exemption" in c.reason


def test_purpose_gaining_advertising_is_material_rewording_is_not():
    def ads(p):
        get(p, "_ga").purpose = "Distinguishes visitors and builds advertising audiences for retargeting"

    def reword(p):
        get(p, "_ga").purpose = "Tells unique visitors apart from one another"

    assert only(compute(base(), changed(ads)), "purpose_changed").material
    assert not only(compute(base(), changed(reword)), "purpose_changed").material


# --- third parties, claims, metadata -----------------------------------------------------------


def test_third_party_added_material_removed_not():
    r = compute(base(), changed(lambda p: p.third_parties.append(ThirdParty("PubMatic", 60))))
    assert only(r, "third_party_added").material
    r = compute(base(), changed(lambda p: p.third_parties.pop()))
    c = only(r, "third_party_removed")
    assert c.subject == "Stripe" and not c.material


def test_third_party_renamed_is_editorial():
    o = base()
    o.third_parties.append(ThirdParty("Facebook", 61))
    new = copy.deepcopy(o)
    new.third_parties[-1] = ThirdParty("Meta", 61)
    r = compute(o, new)
    c = only(r, "third_party_renamed")
    assert not c.material and (c.old, c.new) == ("Facebook", "Meta")


def test_protective_claim_withdrawn_is_material():
    r = compute(base(), changed(lambda p: p.claims.pop(0)))
    c = only(r, "claim_removed")
    assert c.material and "We do not share" in c.reason and c.old_line == 38


def test_protective_claim_flipped_is_material():
    def mutate(p):
        p.claims[0] = Claim(
            "sharing", "advertising_partners", True, "We share data with advertising partners.", 38
        )

    c = only(compute(base(), changed(mutate)), "claim_flipped")
    assert c.material


def test_non_protective_claim_removed_is_editorial():
    o = base()
    o.claims.append(Claim("banner", "required", True, "We show a cookie banner.", 50))
    r = compute(o, base())
    assert not only(r, "claim_removed").material


def test_new_claim_of_advertising_use_is_material():
    r = compute(
        base(),
        changed(
            lambda p: p.claims.append(Claim("uses", "advertising", True, "We use advertising cookies.", 70))
        ),
    )
    assert only(r, "claim_added").material


def test_implied_consent_added_is_material_removed_is_not():
    said = Claim(
        "implied_consent", "continued_browsing", True, "By continuing to browse, you accept cookies.", 70
    )
    c = only(compute(base(), changed(lambda p: p.claims.append(said))), "claim_added")
    assert c.material and "continuing to browse as consent" in c.reason and "PL305" in c.reason
    o = base()
    o.claims.append(said)
    c = only(compute(o, base()), "claim_removed")
    assert not c.material and "protects users more" in c.reason


def test_implied_consent_end_to_end(tmp_path):
    from policylint.api import diff as diff_api

    old = (
        "# Cookie Policy\n\nLast updated: 3 March 2025\n\nWe set analytics cookies only if you accept them.\n"
    )
    new = old.replace(
        "accept them.", "accept them. By continuing to browse this site, you agree to our use of cookies."
    )
    (tmp_path / "a.md").write_text(old)
    (tmp_path / "b.md").write_text(new)
    r = diff_api(tmp_path / "a.md", tmp_path / "b.md")
    added = [c for c in r.changes if c.kind == "claim_added"]
    assert r.material and added and added[0].subject.endswith("continued_browsing")


def test_new_controller_is_material_restatement_is_not():
    c = only(
        compute(base(), changed(lambda p: setattr(p, "controller", "Hearthware SAS"))), "controller_changed"
    )
    assert c.material and "Hearthware SAS" in c.reason
    c = only(
        compute(base(), changed(lambda p: setattr(p, "controller", "Copperleaf Home Limited"))),
        "controller_changed",
    )
    assert not c.material


def test_contact_address_updated_is_editorial():
    def mutate(p):
        p.contacts = [Contact("dpo@copperleaf.example", "email", 9)]

    c = only(compute(base(), changed(mutate)), "contact_changed")
    assert not c.material and c.old == "privacy@copperleaf.example" and c.new == "dpo@copperleaf.example"


def test_date_change_alone_is_editorial():
    r = compute(base(), changed(lambda p: setattr(p, "last_updated", dt.date(2026, 1, 1))))
    c = only(r, "date_changed")
    assert not c.material and (c.old, c.new) == ("2025-03-03", "2026-01-01")
    assert not r.material and {f.rule for f in r.findings} == {"PL503"}


# --- findings -------------------------------------------------------------------------------------


def _add_ad_cookie(p):
    p.cookies.append(item("_fbp", provider="Meta", category="advertising", duration_days=90, line=42))


def test_material_change_without_new_date_is_pl502():
    r = compute(base(), changed(_add_ad_cookie))
    rules = [f.rule for f in r.findings]
    assert "PL501" in rules and "PL502" in rules
    pl502 = next(f for f in r.findings if f.rule == "PL502")
    assert pl502.line == 3 and "2025-03-03" in pl502.message


def test_material_change_with_new_date_is_not_pl502():
    def mutate(p):
        _add_ad_cookie(p)
        p.last_updated = dt.date(2025, 6, 1)

    r = compute(base(), changed(mutate))
    assert "PL502" not in [f.rule for f in r.findings]


def test_material_change_and_no_date_at_all_is_pl502():
    o = base()
    o.last_updated = None

    def mutate(p):
        _add_ad_cookie(p)
        p.last_updated = None

    r = compute(o, changed(mutate))
    assert any(f.rule == "PL502" and "no last-updated date" in f.message for f in r.findings)


def test_policy_replaced_by_low_score_and_empty_inventory_is_pl504():
    new = policy("new.md", title="Sign in", policy_score=0.05)
    r = compute(base(), new)
    assert r.material and r.replaced
    c = only(r, "policy_replaced")
    assert c.material
    assert [f.rule for f in r.findings if f.severity == "error"] == ["PL504"]
    assert "PL502" not in [f.rule for f in r.findings]


def test_removed_items_alone_do_not_make_a_replacement():
    r = compute(base(), changed(lambda p: p.cookies.clear()))
    assert not r.replaced and not r.material


def test_added_file_everything_added():
    empty = Policy("REV:old.md", "text")
    r = compute(empty, base())
    assert not r.replaced
    assert len(kinds(r)["item_added"]) == 4
    assert r.material  # the consent-based _ga and the preferences cookie are new


def test_item_key_normalisation():
    assert item_key("Dark-Theme") == item_key("dark_theme")
    assert item_key("^_ga$") == item_key("_ga")
    assert item_key("_ga_<container-id>") == item_key("_ga_*") == item_key("_ga_xxxxxxxxxx")
    assert item_key("_ga") != item_key("_gat")
    assert item_key(r"\_ga") == "_ga"


def test_changes_have_reasons_and_sorted_material_first():
    def mutate(p):
        _add_ad_cookie(p)
        p.last_updated = dt.date(2026, 1, 1)
        p.cookies.remove(get(p, "cl_basket"))

    r = compute(base(), changed(mutate))
    assert all(c.reason for c in r.changes)
    flags = [c.material for c in r.changes]
    assert flags == sorted(flags, reverse=True)


# --- properties ----------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_names = st.text(alphabet="abcdefghijklmnop_-^$*.AB", min_size=1, max_size=12)
_items = st.builds(
    Item,
    name=_names,
    provider=st.sampled_from([None, "Google", "Meta", "Acme"]),
    purpose=st.sampled_from([None, "Remembers you", "Shows ads", "Counts visits"]),
    category=st.sampled_from([None, "strictly_necessary", "analytics", "advertising", "preferences"]),
    duration_days=st.sampled_from([None, 0.0, 30.0, 395.0]),
    consent=st.sampled_from([None, True, False]),
    line=st.integers(1, 500),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_items, max_size=25), st.randoms())
def test_property_shuffled_copy_has_no_changes(items, rnd):
    old = policy("o.md", cookies=items)
    shuffled = copy.deepcopy(items)
    rnd.shuffle(shuffled)
    new = policy("n.md", cookies=shuffled)
    r = compute(old, new)
    assert r.changes == [] and not r.material


@settings(max_examples=60, deadline=None)
@given(st.lists(_items, max_size=15), st.lists(_items, max_size=15))
def test_property_every_change_has_a_reason_and_material_matches(a, b):
    r = compute(policy("o.md", cookies=a), policy("n.md", cookies=b))
    assert all(c.reason and isinstance(c.material, bool) for c in r.changes)
    assert r.material == any(c.material for c in r.changes)
    assert ("PL501" in {f.rule for f in r.findings}) == r.material


def test_text_change_is_named_after_the_section_it_adds():
    # The hunk runs from the `_ga` row (Analytics) into the new "Advertising cookies" section.
    from policylint.api import diff as diff_paths

    samples = Path(__file__).resolve().parent.parent / "samples"
    r = diff_paths(samples / "shop-v1.md", samples / "shop-v2.md")
    (ads,) = [c for c in r.changes if c.kind == "text_changed" and "advertising" in c.reason]
    assert ads.subject == "Advertising cookies" and ads.new_line == 38


def test_item_added_in_several_categories_says_so():
    from policylint.diffing.materiality import item_added

    material, reason = item_added("_cfuvid", "consent", {"analytics", "strictly_necessary"})
    assert material and "listed as analytics and as strictly necessary" in reason


def test_a_new_preference_cookie_says_it_could_be_exempt_if_the_policy_said_so():
    from policylint.diffing.materiality import item_added

    material, reason = item_added("lang", "consent", {"preferences"}, "the policy lists it as preferences")
    assert material and "can be set without consent" in reason
    material, reason = item_added("lang", "consent", {"preferences"}, "the policy sets it only with consent")
    assert material and "needs consent" in reason


def test_a_new_partner_the_catalog_does_not_know_is_a_material_third_party():
    from policylint.api import diff as diff_texts
    from policylint.api import load_document

    old = (
        "# Cookie Policy\n\nLast updated: 1 May 2026\n\nOur advertising partners include:\n\n"
        "- on the shop: Criteo, Zephyrads\n- on the blog: Outbrain\n"
    )
    new = old.replace("Zephyrads", "Zephyrads, Quokka Media")
    r = diff_texts(load_document("old.md", text=old), load_document("new.md", text=new))
    added = [c for c in r.changes if c.kind == "third_party_added"]
    assert [(c.subject, c.material) for c in added] == [("Quokka Media", True)]
    # Not company names: lower-case words, cookie names, category words.
    doc = (
        "# Cookies\n\nOur partners include:\n\n- measure visits, and show ads\n- set `_ga`\n- Analytics\n"
        "- Live Chat\n- Payment Providers\n- Help Center\n- Mozilla\n- Android\n"
    )
    assert [t.name for t in extract_policy(load_document("p.md", text=doc)).third_parties] == []


def test_an_exemption_no_longer_stated_is_told_apart_from_a_new_consent_rule(tmp_path):
    from policylint.api import diff as diff_api

    table = "| Cookie | Provider | Purpose | Expiry |\n|---|---|---|---|\n| _pk_id.* | Acme (Matomo) | Audience measurement | 13 months |\n"
    old = (
        "# Cookie Policy\n\nLast updated: 3 March 2025\n\n## Analytics cookies\n\n"
        "Our Matomo statistics are exempt from consent: they are anonymous and self-hosted.\n\n" + table
    )
    silent = "# Cookie Policy\n\nLast updated: 1 June 2025\n\n## Analytics cookies\n\n" + table
    asked = (
        "# Cookie Policy\n\nLast updated: 1 June 2025\n\n## Analytics cookies\n\n"
        "These cookies are set only with your consent.\n\n" + table
    )
    (tmp_path / "old.md").write_text(old)
    (tmp_path / "silent.md").write_text(silent)
    (tmp_path / "asked.md").write_text(asked)
    (c,) = [
        c
        for c in diff_api(tmp_path / "old.md", tmp_path / "silent.md").changes
        if c.kind == "consent_changed"
    ]
    assert c.material and "no longer says so" in c.reason
    (c,) = [
        c for c in diff_api(tmp_path / "old.md", tmp_path / "asked.md").changes if c.kind == "consent_changed"
    ]
    assert c.material and "is now consent-based" in c.reason
