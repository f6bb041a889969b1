"""Cookie names written bare in a sentence ("we use the _ga cookie") are items.

A name that starts with an underscore used to be found only in backticks: the
rule that finds "the wa_lang_pref cookie" wanted a letter or digit first. The
same rule must not turn emphasis written with underscores, "3rd-party", domains
or snake_case words that are not called cookies into items.
"""

from __future__ import annotations

import html

import pytest

from policylint.api import extract, lint

FORMATS = ("md", "txt", "html")


def _names(sentence: str, fmt: str) -> set[str]:
    if fmt == "html":
        text = f"<html><body><h1>Cookies</h1><p>{html.escape(sentence, quote=False)}</p></body></html>"
    else:
        text = f"Cookies\n\n{sentence}\n" if fmt == "txt" else f"# Cookies\n\n{sentence}\n"
    return {str(it.name) for it in extract(f"policy.{fmt}", text=text).cookies}


FOUND = [
    # English: the name before "cookie(s)" / "key"
    ("We use the _ga cookie from Google Analytics to count visits.", {"_ga"}),
    ("Google Analytics sets the _ga cookie.", {"_ga"}),
    ("We use the _ga and _gid cookies to count visits.", {"_ga", "_gid"}),
    ("Google Analytics sets the _ga, _gid and _gat_UA-1234 cookies.", {"_ga", "_gid", "_gat_UA-1234"}),
    ("The _fbp cookie is set by Meta to deliver adverts.", {"_fbp"}),
    ("Hotjar sets the _hjid cookie and the _hjSessionUser_123 cookie.", {"_hjid", "_hjSessionUser_123"}),
    ("Cloudflare sets the __cf_bm cookie to detect bots.", {"__cf_bm"}),
    ("Google sets the __Secure-3PAPISID cookie for advertising.", {"__Secure-3PAPISID"}),
    ("The editor keeps drafts in the _draft_state local storage key.", {"_draft_state"}),
    ("We use the wa_lang_pref and wa_csrf cookies.", {"wa_lang_pref", "wa_csrf"}),
    # quoted (Waze: "The main cookie used by Google Analytics is the ‘__ga’ cookie.")
    ("The main cookie used by Google Analytics is the ‘__ga’ cookie.", {"__ga"}),
    ('Meta sets the "_fbp" cookie.', {"_fbp"}),
    # the word first, in English too; a name after "called" / "named" / "nommé"
    ("The cookies _gcl_au and _gid are set by Google.", {"_gcl_au", "_gid"}),
    ("We set a cookie called _hjid to sample visits.", {"_hjid"}),
    ("We use a cookie named cookie_consent.", {"cookie_consent"}),
    ("Un cookie nommé _ga est déposé par Google Analytics.", {"_ga"}),
    ("Le cookie « _gid » mesure l'audience.", {"_gid"}),
    ("Le cookie ‘_ga’ dure 13 mois.", {"_ga"}),
    # a known cookie's exact name in capitals
    ("Google sets the NID and IDE cookies for advertising.", {"NID", "IDE"}),
    ("Le cookie IDE est déposé par Google.", {"IDE"}),
    # French: the name after "cookie", "traceur", "témoin", "clé"
    ("Google Analytics dépose le cookie _ga pour compter les visites.", {"_ga"}),
    ("Nous utilisons les cookies _ga et _gid pour mesurer l'audience.", {"_ga", "_gid"}),
    ("Le traceur _fbp est déposé par Meta.", {"_fbp"}),
    ("Cloudflare dépose le témoin __cf_bm, qui dure 30 minutes.", {"__cf_bm"}),
    ("La clé _hjid est conservée dans le stockage local.", {"_hjid"}),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("sentence", "want"), FOUND, ids=[s[:40] for s, _ in FOUND])
def test_bare_names_in_prose_are_items(sentence: str, want: set[str], fmt: str) -> None:
    assert _names(sentence, fmt) == want


NOT_ITEMS = [
    "This is _important_ and __bold__ text about cookies.",
    "Click the ‘Accept all’ cookies button to agree.",
    "A company called Acme_Ltd runs this site; it sets cookies.",
    "This cookie policy_v2 explains what we do.",
    "The GDPR cookie banner is shown on every page.",
    "The SESSION cookie keeps you signed in.",
    "We set the ‘essential’ cookies only.",
    "We only use the _essential_ cookies on this site.",
    "We use the __necessary__ cookies and nothing else.",
    "The *essential* and **functional** cookies are listed below.",
    "Our user_id field is kept in the database; cookies are described below.",
    "The session_store module reads the consent_mode flag before any cookie is set.",
    "We set the 3rd-party cookies only with your consent.",
    "We never read the example.com cookies.",
    "See the [_ga documentation](https://example.com/_ga_docs) about cookies.",
    "Les cookies tiers sont conservés pendant des cookies 13 mois au plus.",
    "Nous déposons les cookies _nécessaires_ uniquement.",
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("sentence", NOT_ITEMS, ids=[s[:40] for s in NOT_ITEMS])
def test_words_that_are_not_names_are_not_items(sentence: str, fmt: str) -> None:
    assert _names(sentence, fmt) == set()


def test_html_markup_is_not_a_name() -> None:
    text = (
        '<html><body><h1>Cookies</h1><p class="cookie_notice">We use the <em>_ga</em> cookie '
        '(see <a href="https://example.com/the_ga_cookie" data-key="x_y">the guide</a>).</p>'
        "</body></html>"
    )
    assert {it.name for it in extract("policy.html", text=text).cookies} == {"_ga"}


def test_bare_names_leave_code_spans_to_scan() -> None:
    sentence = "We use the _ga cookie and `wa_theme` to remember your choices."
    assert _names(sentence, "md") == {"_ga", "wa_theme"}


def test_item_keeps_what_the_sentence_says() -> None:
    text = "# Cookies\n\nWe use the _ga cookie from Google Analytics to count visits. It expires after 2 years.\n"
    (item,) = extract("policy.md", text=text).cookies
    assert (item.name, item.provider, item.source, item.duration) == (
        "_ga",
        "Google Analytics",
        "prose",
        "2 years",
    )


POLICY = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs this website. Contact us at privacy@acme.example.

## Analytics cookies

We use the _ga cookie from Google Analytics to count visits. It expires after 13 months and is
set only if you accept analytics cookies.
"""


@pytest.mark.parametrize("fmt", ("md", "txt"))
def test_no_pl004_when_prose_names_the_cookie(fmt: str) -> None:
    # The reported symptom: PL004 "The policy names no cookie … It names Google Analytics".
    assert "PL004" not in {f.rule for f in lint(f"policy.{fmt}", text=POLICY).findings}
    (item,) = extract(f"policy.{fmt}", text=POLICY).cookies
    assert (item.name, item.provider, item.duration, item.consent) == (
        "_ga",
        "Google Analytics",
        "13 months",
        True,
    )


# --- each sentence speaks of its own item -------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_sentence_per_item_gives_each_item_its_own_facts(fmt: str) -> None:
    sentence = (
        "The _ga cookie is set by Google Analytics and lasts 2 years. "
        "The _fbp cookie is set by Meta for advertising and lasts 3 months. "
        "We set both only if you accept them."
    )
    if fmt == "html":
        text = f"<html><body><h1>Cookies</h1><p>{sentence}</p></body></html>"
    else:
        text = f"Cookies\n\n{sentence}\n" if fmt == "txt" else f"# Cookies\n\n{sentence}\n"
    items = {it.name: it for it in extract(f"policy.{fmt}", text=text).cookies}
    assert (items["_ga"].provider, items["_ga"].duration, items["_ga"].category) == (
        "Google Analytics",
        "2 years",
        "analytics",
    )
    assert (items["_fbp"].provider, items["_fbp"].duration, items["_fbp"].category) == (
        "Meta",
        "3 months",
        "advertising",
    )
    # What no item's sentence says comes from the others: the consent rule covers both.
    assert items["_ga"].consent is True and items["_fbp"].consent is True


def test_one_sentence_about_several_items_still_speaks_of_all() -> None:
    text = (
        "# Cookies\n\nThe `_ga` and `_gid` cookies are set by Google Analytics and last 13 months. "
        "They count visits.\n"
    )
    items = {it.name: it for it in extract("policy.md", text=text).cookies}
    assert {n: (it.provider, it.duration) for n, it in items.items()} == {
        "_ga": ("Google Analytics", "13 months"),
        "_gid": ("Google Analytics", "13 months"),
    }


def test_a_name_inside_a_longer_name_is_not_its_sentence() -> None:
    text = "# Cookies\n\nThe `_gat` cookie lasts 1 minute. The `_ga` cookie lasts 2 years.\n"
    items = {it.name: it for it in extract("policy.md", text=text).cookies}
    assert items["_ga"].duration == "2 years" and items["_gat"].duration == "1 minute"


# --- a name the policy says it does not use is not declared ------------------------------------

DENIED = [
    "We do not use the _gcl_au cookie.",
    "We no longer set the _uetsid cookie.",
    "Nous n'utilisons pas le cookie _fbp.",
    "Nous ne déposons plus le cookie _fbp.",
    "Nous avons supprimé le cookie _fbp.",
    "The `_ga` cookie is no longer used.",
    "Le cookie _fbp n'est plus déposé.",
    "We have removed the _hjid cookie.",
]
STILL_USED = [
    ("We do not use the _ga cookie for advertising.", "_ga"),
    ("We use the _ga cookie; it is not shared.", "_ga"),
    ("We use the _ga cookie, which does not store your name.", "_ga"),
    ("The _fbp cookie is not set until you accept it.", "_fbp"),
    ("If you do not accept, we set the _ga cookie anyway.", "_ga"),
    ("Old banners were removed from every page of the site last year, and the _ga cookie stays.", "_ga"),
]


@pytest.mark.parametrize("sentence", DENIED)
def test_a_cookie_said_not_to_be_used_is_not_an_item(sentence: str) -> None:
    assert _names(sentence, "md") == set()


@pytest.mark.parametrize(("sentence", "name"), STILL_USED)
def test_a_denial_about_something_else_keeps_the_item(sentence: str, name: str) -> None:
    assert _names(sentence, "md") == {name}


# --- a cookie's name is not a mention of a vendor ----------------------------------------------


def test_a_vendor_in_the_name_column_is_not_a_third_party() -> None:
    text = (
        "# Cookies\n\n| Cookie | Provider | Purpose | Duration |\n| --- | --- | --- | --- |\n"
        "| Didomi* | Acme | Stores your consent choices | 12 months |\n"
        "| _ga | Google Analytics | Counts visits | 13 months |\n"
    )
    assert [t.name for t in extract("policy.md", text=text).third_parties] == ["Google Analytics"]


def test_a_tool_column_still_names_the_vendor() -> None:
    text = (
        "# Cookies\n\n| Tool name | Partner name | Purpose |\n| --- | --- | --- |\n"
        "| Google Ads | Google | Measures our ad campaigns |\n"
    )
    assert "Google Ads" in [t.name for t in extract("policy.md", text=text).third_parties]


# --- a section's or a neighbour's regime does not override what an item's own sentence says ----


def test_two_groups_in_two_sentences_each_keep_their_regime() -> None:
    text = (
        "Cookies déposés\n\n"
        "Les cookies ldp_session et ldp_panier sont strictement nécessaires ; ils sont exemptés de "
        "consentement. Les cookies _ga et _gcl_aw ne sont déposés qu'avec votre accord.\n"
    )
    items = {it.name: it for it in extract("policy.txt", text=text).cookies}
    assert (items["ldp_session"].category, items["ldp_session"].consent) == ("strictly_necessary", False)
    assert items["_ga"].consent is True and items["_ga"].category != "strictly_necessary"
    assert items["_gcl_aw"].consent is True and items["_gcl_aw"].category != "strictly_necessary"


def test_one_strictly_necessary_cookie_does_not_make_its_section_so() -> None:
    text = (
        "# Cookie policy\n\n## Cookies we use\n\n"
        "We use a session cookie called lf_session to keep you signed in. It is strictly necessary "
        "and therefore exempt from consent.\n\n"
        "We use the _ga and _gid cookies from Google Analytics; they are only set if you accept "
        "analytics cookies.\n"
    )
    items = {it.name: it for it in extract("policy.md", text=text).cookies}
    assert items["lf_session"].consent is False
    assert (items["_ga"].category, items["_ga"].consent) == ("analytics", True)


def test_a_heading_about_needing_consent_is_not_the_consent_records_category() -> None:
    text = (
        "# Cookies\n\n## Cookies soumis à votre consentement\n\n"
        "| Nom | Émetteur | Finalité | Durée de vie |\n|---|---|---|---|\n"
        "| _ga | Google | Mesure d'audience | 2 ans |\n"
    )
    (item,) = extract("policy.md", text=text).cookies
    assert item.category == "analytics" and item.consent is True


# --- list items ---------------------------------------------------------------------------------


def test_a_list_items_lifetime_part_is_its_duration() -> None:
    text = "# Cookies\n\n- `_ga` – Google Analytics – 2 years\n- `_gid` – Google Analytics – 24 hours\n"
    items = {it.name: it for it in extract("policy.md", text=text).cookies}
    assert (items["_ga"].duration, items["_ga"].duration_days) == ("2 years", 730.0)
    assert (items["_gid"].duration, items["_gid"].duration_days) == ("24 hours", 1.0)


def test_a_bare_name_opening_a_list_item_is_an_item() -> None:
    text = (
        "Cookies\n\n- ldp_session : conserve votre session.\n- ldp_panier : mémorise votre panier pendant 1 an.\n"
        "- Note : les durées sont indicatives.\n"
    )
    items = {it.name: it for it in extract("policy.txt", text=text).cookies}
    assert set(items) == {"ldp_session", "ldp_panier"} and items["ldp_panier"].duration == "1 an"
