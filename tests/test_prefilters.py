"""The word prefilters run before regexes (``has_any``) only skip work, never change results.

Each prefilter lists words that every match of its regex contains; a pattern edited without
its word list would silently stop matching. Turning every prefilter off must give the same
inventory for every sample and corpus document.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policylint.api import load_document
from policylint.extraction import (
    claims,
    durations,
    extract_policy,
    implied_consent,
    metadata,
    names,
    records,
    vocab,
)
from policylint.model import to_json

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
DOCS = sorted(
    p for p in (ROOT / "samples").iterdir() if p.suffix in (".md", ".html", ".txt") and p.stem != "README"
)
if CORPUS.is_dir():
    DOCS += sorted(p for p in CORPUS.iterdir() if p.suffix in (".md", ".html", ".txt"))


def _clear_caches() -> None:
    # Cached helpers (consent_of, category_of…) would answer from what they computed with the
    # prefilters on.
    for module in (vocab, records, claims, metadata, names, durations):
        for value in vars(module).values():
            if hasattr(value, "cache_clear"):
                value.cache_clear()


def _no_prefilters(monkeypatch, modules=(vocab, records, claims, metadata, implied_consent)) -> None:
    for module in modules:
        monkeypatch.setattr(module, "has_any", lambda text, words: True)
    _clear_caches()


@pytest.fixture(autouse=True)
def _fresh_caches():
    _clear_caches()
    yield
    _clear_caches()


@pytest.mark.parametrize("path", DOCS, ids=[p.name for p in DOCS])
def test_extraction_is_the_same_without_prefilters(path, monkeypatch):
    doc = load_document(path)
    with_filters = to_json(extract_policy(doc))
    _no_prefilters(monkeypatch)
    assert to_json(extract_policy(doc)) == with_filters


# One sentence per claim pattern (each gated by its own words): the claim must be found with
# the prefilters on, and the same claims without them.
CLAIM_SENTENCES = {
    "We do not use analytics cookies.": ("uses", "analytics", False),
    "We use no advertising cookies on this site.": ("uses", "advertising", False),
    "No analytics cookies are used.": ("uses", "analytics", False),
    "Nous n'utilisons pas de cookies publicitaires.": ("uses", "advertising", False),
    "Aucun cookie publicitaire n'est déposé.": ("uses", "advertising", False),
    "Analytics: No": ("uses", "analytics", False),
    "There are no advertising cookies here.": ("uses", "advertising", False),
    "This site collects no usage data.": ("uses", "analytics", False),
    "We also use analytics cookies to count visits.": ("uses", "analytics", True),
    "Nous utilisons des cookies de mesure d'audience.": ("uses", "analytics", True),
    "Advertising cookies: yes": ("uses", "advertising", True),
    "All the cookies we use are first-party cookies.": ("uses", "third_party", False),
    "Nous n'utilisons que des cookies internes.": ("uses", "third_party", False),
    "We only use strictly necessary cookies.": ("uses", "non_essential", False),
    "Nous n'utilisons que des cookies strictement nécessaires.": ("uses", "non_essential", False),
    "Our cookie banner lets you accept or refuse cookies.": ("banner", "consent_banner", True),
    "Le bandeau cookies vous permet de refuser.": ("banner", "consent_banner", True),
}


@pytest.mark.parametrize("sentence", sorted(CLAIM_SENTENCES))
def test_each_claim_pattern_matches_with_and_without_prefilters(sentence, monkeypatch):
    from policylint.model import Block

    block = Block(kind="paragraph", text=sentence, line=1)
    with_filters = claims.claims_of(block)
    assert CLAIM_SENTENCES[sentence] in {(c.kind, c.subject, c.polarity) for c in with_filters}
    _no_prefilters(monkeypatch)
    assert claims.claims_of(block) == with_filters


CONSENT_SENTENCES = {
    "These cookies do not require your consent.": False,
    "They are set without asking for your consent.": False,
    "No consent is required for them.": False,
    "They are exempt.": False,
    "These cookies cannot be switched off.": False,
    "They can not be disabled.": False,
    "Ces cookies ne nécessitent pas votre consentement.": False,
    "Ils sont exemptés de consentement.": False,
    "Ils sont dispensés de consentement.": False,
    "Ce traceur n'est pas soumis au consentement.": False,
    "We set them only after you accept them.": True,
    "We will ask for your consent before setting them.": True,
    "They are used if you agree.": True,
    "Ils sont soumis à votre consentement.": True,
    "Ils sont déposés avec votre accord.": True,
    "Ils sont déposés après votre consentement.": True,
    "Nous recueillons votre consentement.": True,
    "Ils sont déposés si vous acceptez.": True,
    "Your consent is required.": True,
    "We need your permission before setting them.": True,
}


@pytest.mark.parametrize("sentence", sorted(CONSENT_SENTENCES))
def test_each_consent_form_is_read_with_and_without_prefilters(sentence, monkeypatch):
    assert vocab.consent_of(sentence) is CONSENT_SENTENCES[sentence]
    _no_prefilters(monkeypatch)
    assert vocab.consent_of(sentence) is CONSENT_SENTENCES[sentence]


DATE_LINES = [
    "Last updated: 3 March 2025",
    "Last modified on 3 March 2025",
    "Last revised 3 March 2025",
    "Last reviewed: 3 March 2025",
    "Last change: 3 March 2025",
    "Updated on 3 March 2025",
    "Revised on 3 March 2025",
    "Effective date: 3 March 2025",
    "Date of last revision: 3 March 2025",
    "Version date: 3 March 2025",
    "In force from 3 March 2025",
    "In effect as of 3 March 2025",
    "Dernière mise à jour : 3 mars 2025",
    "Dernière modification : 3 mars 2025",
    "Dernière révision : 3 mars 2025",
    "Mis à jour le 3 mars 2025",
    "En vigueur : 3 mars 2025",
    "Date d'effet : 3 mars 2025",
    "Version du 3 mars 2025",
    "À jour au 3 mars 2025",
    "Applicable à compter du 3 mars 2025",
    "Modifiée le 3 mars 2025",
    "Publiée le 3 mars 2025",
    "Date de publication : 3 mars 2025",
    "Prise d'effet : 3 mars 2025",
    "Date: 3 March 2025",
    "Version: 03.03.2025",
]


@pytest.mark.parametrize("line", DATE_LINES)
def test_each_date_label_is_read_with_and_without_prefilters(line, monkeypatch):
    from policylint.model import Block

    blocks = [Block(kind="paragraph", text=line, line=1)]
    found = metadata.find_last_updated(blocks, "en")
    assert found is not None and (found[0].year, found[0].month, found[0].day) == (2025, 3, 3)
    _no_prefilters(monkeypatch)
    assert metadata.find_last_updated(blocks, "en") == found


# Whole-document rules, tried only where a match can start: the same answer as a search.
DOC_RULE_TEXTS = [
    "strictly necessary cookies are exempt from consent",
    "essential cookies do not require consent",
    "les cookies essentiels ne necessitent pas de consentement",
    "les cookies necessaires sont dispenses de consentement",
    "these are set without your consent as they are strictly necessary",
    "we do not require consent for essential cookies",
    "necessary cookies cannot be switched off",
    "analytics cookies are only set after you accept them",
    "they are solely used once you have given consent",
    "all other cookies require your consent",
    "optional cookies need your prior consent",
    "non-essential cookies are placed only with your consent",
    "we ask for your consent",
    "we collect your prior consent",
    "we use them with your consent",
    "ils sont soumis a votre consentement",
    "nous recueillons votre consentement",
    "we request your permission",
    "nothing here is about any rule at all",
]


@pytest.mark.parametrize("text", DOC_RULE_TEXTS)
def test_document_rules_match_where_a_search_would(text):
    import policylint.extraction as extraction

    for rx, starts in (
        (extraction._DOC_EXEMPT, extraction._DOC_EXEMPT_STARTS),
        (extraction._DOC_CONSENT, extraction._DOC_CONSENT_STARTS),
    ):
        for padded in (text, "x. " + text + ". y", text.replace(" ", "  ")):
            assert extraction._matches_somewhere(rx, padded, starts) == bool(rx.search(padded))
    assert any(rx.search(text) for rx in (extraction._DOC_EXEMPT, extraction._DOC_CONSENT)) == (
        text != DOC_RULE_TEXTS[-1]
    )


CONTROLLER_SENTENCES = {
    "The data controller is Acme Widgets Ltd, 1 High Street.": "Acme Widgets Ltd",
    "Le responsable du traitement est Boulangerie Numérique SAS.": "Boulangerie Numérique SAS",
    "Acme Widgets Ltd acts as the data controller for this site.": "Acme Widgets Ltd",
    "Acme Widgets Ltd, which is the controller, sets cookies.": "Acme Widgets Ltd",
    "Acme Widgets Ltd is the data controller.": "Acme Widgets Ltd",
    "This site is operated by Acme Widgets Ltd.": "Acme Widgets Ltd",
    "Ce site est édité par Boulangerie Numérique SAS.": "Boulangerie Numérique SAS",
    "Ce site appartient à la société Boulangerie Numérique, au capital de 1000 euros.": "Boulangerie Numérique",
    'Quillmark Inc. ("Quillmark", "we") is the controller.': "Quillmark Inc",
    "Orbitly GmbH, Torstraße 12, 10119 Berlin, is the controller.": "Orbitly GmbH",
    "This notice explains how Tidepool Labs Ltd (the controller) uses cookies.": "Tidepool Labs Ltd",
}


@pytest.mark.parametrize("sentence", sorted(CONTROLLER_SENTENCES))
def test_each_controller_form_is_read_with_and_without_prefilters(sentence, monkeypatch):
    from policylint.model import Block

    blocks = [Block(kind="paragraph", text=sentence, line=1)]
    found = metadata.find_controller(blocks)
    assert found is not None and found[0].startswith(CONTROLLER_SENTENCES[sentence])
    _no_prefilters(monkeypatch)
    assert metadata.find_controller(blocks) == found
