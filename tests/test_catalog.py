"""The bundled cookie catalog and vendor list: file integrity, lookups, vendor mentions."""

from __future__ import annotations

from pathlib import Path

import pytest

from policylint.catalog import (
    COOKIES_PATH,
    STORAGES,
    VENDOR_CATEGORIES,
    VENDORS_PATH,
    CookieCatalog,
    CookieEntry,
    load_cookie_catalog,
    load_vendors,
    normalise_name,
)
from policylint.model import CATEGORIES


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[0].split("\t"), [line.split("\t") for line in lines[1:] if line.strip()]


@pytest.fixture(scope="module")
def catalog() -> CookieCatalog:
    return load_cookie_catalog()


@pytest.fixture(scope="module")
def vendors():
    return load_vendors()


# ------------------------------------------------------------------ the files


def test_cookies_tsv_parses() -> None:
    header, rows = _rows(COOKIES_PATH)
    assert header == ["pattern", "vendor", "category", "lifetime_days", "storage", "note"]
    assert len(rows) >= 300
    for row in rows:
        assert len(row) == 6, row
        pattern, vendor, category, lifetime, storage, _note = row
        assert pattern and pattern == pattern.strip(), row
        assert vendor, row
        assert category in CATEGORIES, row
        assert storage in STORAGES, row
        if lifetime:
            assert float(lifetime) >= 0, row


def test_cookie_patterns_unique() -> None:
    _, rows = _rows(COOKIES_PATH)
    patterns = [row[0] for row in rows]
    duplicates = {p for p in patterns if patterns.count(p) > 1}
    assert not duplicates


def test_no_generic_cookie_names() -> None:
    # Names a first-party app could use for its own cookie must not be attributed to a vendor.
    _, rows = _rows(COOKIES_PATH)
    patterns = {row[0] for row in rows}
    for generic in ("uid", "id", "session", "token", "C", "d", "m", "cart", "sid", "SID", "lang", "locale"):
        assert generic not in patterns


def test_vendors_tsv_parses() -> None:
    header, rows = _rows(VENDORS_PATH)
    assert header == ["name", "aliases", "category", "domains", "case_sensitive"]
    assert len(rows) >= 120
    names = [row[0] for row in rows]
    assert len(names) == len(set(names))
    for row in rows:
        assert len(row) == 5, row
        assert row[2] in VENDOR_CATEGORIES, row
        assert row[4] in ("yes", "no"), row


def test_every_cookie_vendor_is_listed(catalog, vendors) -> None:
    names = {v.name for v in vendors}
    missing = {entry.vendor for entry in catalog} - names
    assert not missing


def test_vendor_names_and_aliases_do_not_collide(vendors) -> None:
    owner: dict[str, str] = {}
    for vendor in vendors:
        for form in (vendor.name, *vendor.aliases, *vendor.domains):
            key = " ".join(form.lower().split())
            assert owner.setdefault(key, vendor.name) == vendor.name, (form, owner[key], vendor.name)


def test_common_word_vendors_are_case_sensitive(vendors) -> None:
    for name in ("Segment", "Branch", "Heap", "Braze", "Agora", "Adjust", "Amplitude", "Drift"):
        vendor = vendors.by_name(name)
        assert vendor is not None and vendor.name == name
        assert vendor.case_sensitive


def test_loaders_are_cached() -> None:
    assert load_cookie_catalog() is load_cookie_catalog()
    assert load_vendors() is load_vendors()


def test_explicit_path_is_loaded(tmp_path: Path) -> None:
    path = tmp_path / "c.tsv"
    path.write_text(
        "pattern\tvendor\tcategory\tlifetime_days\tstorage\tnote\nfoo_*\tAcme\tanalytics\t\tcookie\t\n",
        encoding="utf-8",
    )
    entry = load_cookie_catalog(path).lookup("foo_1")
    assert entry == CookieEntry("foo_*", "Acme", "analytics", None, "cookie", "")


def test_bad_row_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "c.tsv"
    path.write_text(
        "pattern\tvendor\tcategory\tlifetime_days\tstorage\tnote\nfoo\tAcme\tanalytics\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match=":2: expected 6 columns"):
        load_cookie_catalog(path)


# -------------------------------------------------------------------- lookups


@pytest.mark.parametrize(
    ("name", "vendor", "category"),
    [
        ("_ga", "Google Analytics", "analytics"),
        ("_ga_ABC123", "Google Analytics", "analytics"),
        ("^_gid$", "Google Analytics", "analytics"),
        ("_hjSessionUser_12345", "Hotjar", "analytics"),
        ("IDE", "Google Ads", "advertising"),
        ("__stripe_mid", "Stripe", "security"),
        ("OptanonConsent", "OneTrust", "consent"),
        ("euconsent-v2", "IAB Europe", "consent"),
        ("_fbp", "Meta", "advertising"),
        ("__cf_bm", "Cloudflare", "security"),
        ("visid_incap_123456", "Imperva", "security"),
        ("intercom-id-abc123", "Intercom", "preferences"),
        ("PHPSESSID", "PHP", "strictly_necessary"),
        ("LSKey-c$CookieConsentPolicy", "Salesforce", "consent"),
        ("taboola global:user-id", "Taboola", "advertising"),
    ],
)
def test_lookup(catalog, name: str, vendor: str, category: str) -> None:
    entry = catalog.lookup(name)
    assert entry is not None, name
    assert (entry.vendor, entry.category) == (vendor, category)


@pytest.mark.parametrize("name", ["my_app_session", "session", "", "*", "_*", "_GA", "uid", "cart"])
def test_lookup_misses(catalog, name: str) -> None:
    assert catalog.lookup(name) is None


def test_lifetimes(catalog) -> None:
    assert catalog.lookup("_ga").lifetime_days == 730
    assert catalog.lookup("_gid").lifetime_days == 1
    assert catalog.lookup("__utmc").lifetime_days == 0  # session
    assert catalog.lookup("IDE").lifetime_days == 395
    assert catalog.lookup("AMP_TOKEN").lifetime_days is None  # variable


def test_most_specific_glob_wins(catalog) -> None:
    assert catalog.lookup("wp-settings-time-1").pattern == "wp-settings-time-*"
    assert catalog.lookup("wp-settings-1").pattern == "wp-settings-*"
    assert catalog.lookup("AMP_MKTG_abc").pattern == "AMP_MKTG_*"
    assert catalog.lookup("AMP_abc").pattern == "AMP_*"
    assert catalog.lookup("AMP_TOKEN").vendor == "Google Analytics"  # exact beats glob
    assert catalog.lookup("mp_0123abcd_mixpanel").pattern == "mp_*_mixpanel"


@pytest.mark.parametrize(
    "declared",
    [
        "_ga_*",
        "_ga_xxxxxxxxxx",
        "_ga_XXXXXXXXXX",
        "_ga_<container-id>",
        "_ga_{measurement_id}",
        "_ga_[A-Z0-9]{10}",
        "^_ga_.*$",
        "_ga_.*",
        "`_ga_*`",
    ],
)
def test_declared_patterns(catalog, declared: str) -> None:
    entry = catalog.lookup(declared)
    assert entry is not None and entry.pattern == "_ga_*", declared


def test_declared_patterns_of_other_shapes(catalog) -> None:
    assert catalog.lookup("_pk_id.*").pattern == "_pk_id.*"
    assert catalog.lookup(r"^_pk_id\..*$").pattern == "_pk_id.*"
    assert catalog.lookup("_pk_id.<site>.<hash>").pattern == "_pk_id.*"
    assert catalog.lookup("_gat_UA-#######").pattern == "_gat_*"
    assert catalog.lookup("_hjSession_{site_id}").pattern == "_hjSession_*"
    assert catalog.lookup("_hjSessionUser_...").pattern == "_hjSessionUser_*"
    assert catalog.lookup("_ga*").pattern == "_ga"


def test_normalise_name() -> None:
    assert normalise_name("_ga") == ("_ga", False)
    assert normalise_name("^_gid$") == ("_gid", False)
    assert normalise_name("_ga_<container-id>") == ("_ga_*", True)
    assert normalise_name(r"_gat_UA-\d+-\d+") == ("_gat_UA-*-*", True)
    assert normalise_name("_pk_id.*") == ("_pk_id.*", True)  # a glob keeps its literal dot


def test_many_lookups_run(catalog) -> None:
    names = ["_ga", "_hjSessionUser_1", "zzz_not_there", "my_app_session", "_pk_id.1.2", "AMCV_X"] * 1700
    hits = [catalog.lookup(n) for n in names]
    assert sum(h is None for h in hits) == 2 * 1700


# -------------------------------------------------------------------- vendors


def _names(vendors, text: str) -> list[str]:
    return [v.name for v, _ in vendors.find_in(text)]


def test_find_longest_alias_wins(vendors) -> None:
    found = vendors.find_in("We use Google Analytics and Facebook Pixel")
    assert [(v.name, offset) for v, offset in found] == [("Google Analytics", 7), ("Meta", 28)]


def test_find_common_word_not_matched(vendors) -> None:
    assert _names(vendors, "the branch office") == []
    assert _names(vendors, "We segment visitors by amplitude of drift.") == []
    assert _names(vendors, "Adjust your browser settings to refuse cookies.") == []


def test_find_case_sensitive_vendor(vendors) -> None:
    assert _names(vendors, "Payments are handled by Stripe.") == ["Stripe"]
    assert _names(vendors, "We send events to Segment and Amplitude.") == ["Segment", "Amplitude"]
    assert _names(vendors, "Branch is used for deep links.") == ["Branch"]


def test_find_one_hit_per_vendor(vendors) -> None:
    text = "Google Analytics (GA4) ... google analytics again; also DoubleClick."
    assert _names(vendors, text) == ["Google Analytics", "Google Ads"]


def test_find_domains_and_word_boundaries(vendors) -> None:
    assert _names(vendors, "scripts from connect.facebook.net and www.google-analytics.com") == [
        "Meta",
        "Google Analytics",
    ]
    assert _names(vendors, "Googleplex and Hotjarish") == []
    assert _names(vendors, "Google\n   Analytics") == ["Google Analytics"]


def test_find_adversarial_input_returns(vendors) -> None:
    assert vendors.find_in("Goo" * 20000) == []
    assert len(vendors.find_in("Google " * 5000)) == 1


def test_find_in_many_is_find_in_of_each(vendors) -> None:
    # One scan over the texts joined: no mention may span two texts, and each text's own
    # start still counts as a sentence start ("Adjust your ..." is not the vendor).
    texts = [
        "We use Google",
        "Analytics and Stripe.",
        "",
        "Adjust your browser settings.",
        " " * 40 + "Adjust your settings",
        "connect.facebook.net",
        "Google\n   Analytics",
        "a\x00Hotjar",
        "Branch is used for deep links.",
    ]
    expected = [vendors.find_in(t) for t in texts]
    assert vendors.find_in_many(texts) == expected
    assert [_names(vendors, t) for t in texts[:2]] == [["Google"], ["Stripe"]]  # not one "Google Analytics"


def _reference_hits(vendors, text: str) -> set[tuple[int, int]]:
    """(start, end) of every mention find_in_many keeps, by the plainest regexes: the
    look-behind in the pattern and IGNORECASE on the text itself."""
    from policylint.catalog import _trie_regex

    exact = _trie_regex(sorted(vendors._exact), ignore_case=False)
    folded = _trie_regex(sorted(vendors._folded), ignore_case=True)
    hits = {(m.start(), m.end()) for m in folded.finditer(text)}
    for m in exact.finditer(text):
        if not vendors._looks_like_word(text, m.start(), m.end(), m.group()):
            hits.add((m.start(), m.end()))
    return hits


def test_vendor_scan_finds_names_around_punctuation(vendors) -> None:
    # A name found with the character before it: the one after a name ending in punctuation
    # ("X (Twitter)", "Google Inc.") still has its own separator.
    text = "Google Inc.Hotjar and x (twitter)(Hotjar) Google Inc., Hotjar"
    assert {(a, b) for a, b, _v in _scan_hits(vendors, text)} == _reference_hits(vendors, text)
    assert [v.name for v, _ in vendors.find_in(text)] == ["Google", "Hotjar", "X (Twitter)"]


def test_vendor_scan_matches_the_plain_regexes(vendors) -> None:
    # Texts made of vendor names and their pieces, glued or split by spaces, punctuation, line
    # breaks, case changes and word characters: the scans that skip the look-behind and that
    # match lower-cased text must find the same mentions as the plain regexes.
    import random

    from policylint.catalog import _SEP

    rng = random.Random(7)
    forms = sorted({*vendors._exact, *vendors._folded})
    glue = [
        " ",
        "  ",
        "\n",
        ".",
        "(",
        ")",
        "-",
        "_",
        "x",
        "é",
        ", ",
        "\u00a0",
        "'",
        "",
        ". Adjust your ",
        " İ ",
    ]
    for _ in range(300):
        parts = []
        for _ in range(rng.randint(1, 12)):
            form = rng.choice(forms)
            if rng.random() < 0.3:
                form = form[: rng.randint(1, len(form))]
            form = form.upper() if rng.random() < 0.2 else form.title() if rng.random() < 0.3 else form
            parts.append(form.replace(" ", rng.choice([" ", "\n  ", "\t"])))
            parts.append(rng.choice(glue))
        text = "".join(parts)
        found = {(start, end) for start, end, _vendor in _scan_hits(vendors, text)}
        reference = _reference_hits(vendors, text)
        assert found == reference, text
        assert _SEP not in text


def _scan_hits(vendors, text: str):
    """The raw hits find_in_many keeps for one text (before the longest-first merge)."""
    import policylint.catalog as catalog

    captured = []
    original = catalog._longest_first_mentions

    def keep(hits):
        captured.extend(hits)
        return original(hits)

    catalog._longest_first_mentions = keep
    try:
        vendors.find_in_many([text])
    finally:
        catalog._longest_first_mentions = original
    return captured


def test_by_name(vendors) -> None:
    assert vendors.by_name("Google LLC").name == "Google"
    assert vendors.by_name("Facebook Inc").name == "Meta"
    assert vendors.by_name("facebook inc.").name == "Meta"
    assert vendors.by_name("Hotjar Ltd.").name == "Hotjar"
    assert vendors.by_name("Meta Platforms Ireland Ltd.").name == "Meta"
    assert vendors.by_name("DoubleClick").name == "Google Ads"
    assert vendors.by_name("Incapsula").name == "Imperva"
    assert vendors.by_name("Critéo").name == "Criteo"
    assert vendors.by_name("www.google-analytics.com").name == "Google Analytics"
    assert vendors.by_name("https://px.ads.linkedin.com/collect").name == "LinkedIn"
    assert vendors.by_name("Our own website") is None
    assert vendors.by_name("") is None
