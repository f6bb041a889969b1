"""Extraction over the real published policies in ../shared/corpus (skipped when absent).

The item counts were verified by hand against each document's cookie tables,
counting one item per cookie name declared (a cell listing five names is five
items; a name repeated on rows for different domains counts once per row),
and cross-checked by counting the names in the raw Markdown with a separate script.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policylint.api import extract

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus not present")

ALL = sorted(p.name for p in CORPUS.glob("*")) if CORPUS.is_dir() else []
DOCS = [n for n in ALL if n.endswith((".md", ".html"))]

# file -> number of declared items (cookies, storage keys, app trackers)
COUNTS = {
    "BoursoBank__cookie-policy__2025-12-19.md": 29,  # incl. 3 Firebase app trackers written over several lines
    "BoursoBank__cookie-policy__2026-04-16.md": 36,
    "BoursoBank__cookie-policy__2026-07-16.md": 41,
    "Trainline__cookie-policy__2024-12-12.md": 147,  # 151 bold rows minus 4 header rows
    "Trainline__cookie-policy__2025-07-03.md": 147,
    "StackOverflow__cookie-policy__2024-10-29.md": 142,  # comma-separated names per domain row
    "StackOverflow__cookie-policy__2025-01-04.md": 158,
    "X__cookie-policy__2026-07-16.md": 208,  # table flattened to Name/Description/… paragraphs: 209 "Name" labels minus the header
    "VodafoneIE__cookie-policy__2026-07-28.md": 94,  # 4 cookie tables + the local storage table
    "Cdiscount__cookie-policy__2021-11-04.md": 0,  # its tables list categories and purposes, no cookie names
    "Mailjet__cookie-policy__2023-10-05.md": 69,  # regex-like names (^_ga$) count once each
    "Mailjet__cookie-policy__2023-12-05.md": 0,
}


@pytest.mark.parametrize("name", DOCS)
def test_extract_never_raises_and_is_deterministic(name: str) -> None:
    first = extract(CORPUS / name)
    second = extract(CORPUS / name)
    assert first == second
    for it in first.cookies:
        assert it.line >= 1
        assert it.name is None or it.name.strip() == it.name


@pytest.mark.parametrize("name,count", sorted(COUNTS.items()))
def test_item_counts_verified_by_hand(name: str, count: int) -> None:
    assert len(extract(CORPUS / name).cookies) == count


def test_regex_like_and_wildcard_names_are_normalised() -> None:
    names = {it.name for it in extract(CORPUS / "Mailjet__cookie-policy__2023-10-05.md").cookies}
    assert {"_ga", "_gid", "_gcl_au", "visitor_id*", "_vwo_uuid*", "ajs:cookies"} <= names
    assert not any(n and (n.startswith("^") or n.endswith("$")) for n in names)
    bourso = {it.name for it in extract(CORPUS / "BoursoBank__cookie-policy__2025-12-19.md").cookies}
    assert {"brsxds_*", "Ckln*", "didomi_token", "euconsent-v2"} <= bourso


def test_vodafone_durations_are_zipped_with_names() -> None:
    items = {
        (it.name, it.line): it for it in extract(CORPUS / "VodafoneIE__cookie-policy__2026-07-28.md").cookies
    }
    everest = [it for (n, _), it in items.items() if n == "everest_session_v2"]
    assert everest and everest[0].duration_days == 0  # "680 Days, Session" → second name is a session cookie
    storage = [
        it for (n, _), it in items.items() if n == "kampyleUserSession" and it.storage == "local_storage"
    ]
    assert storage


@pytest.mark.parametrize(
    "name,iso",
    [
        ("WhatsApp__cookie-policy__2026-02-26.md", "2026-02-25"),  # "Effective February 25, 2026"
        ("Parship__cookie-policy__2025-12-10.html", "2024-09-17"),  # "Dernière mise à jour: 17.09.2024"
        ("BlaBlaCar__cookie-policy__2023-08-02.md", "2021-04-01"),  # "1er avril 2021"
        ("Badoo__cookie-policy__2025-06-17.html", "2025-06-16"),  # "mise à jour le 16 juin 2025"
        ("Trainline__cookie-policy__2025-07-03.md", "2025-06-25"),  # not "Version 2"
        ("Parship__cookie-policy__2025-12-11.html", "2025-12-09"),  # "Version: 09.12.2025"
    ],
)
def test_dates(name: str, iso: str) -> None:
    p = extract(CORPUS / name)
    assert p.last_updated is not None and p.last_updated.isoformat() == iso


def test_not_a_policy_scores_low() -> None:
    assert extract(CORPUS / "Hily__cookie-policy__2026-08-22.html").policy_score < 0.2
    assert extract(CORPUS / "Base__cookie-policy__2025-02-21.md").policy_score < 0.2
    assert extract(CORPUS / "Base__cookie-policy__2024-10-21.md").policy_score > 0.6


def test_big_page_is_fast_enough_to_parse() -> None:
    # Not a timing assertion: the 720 KB Badoo page must parse to its real content.
    p = extract(CORPUS / "Badoo__cookie-policy__2025-06-16.html")
    assert p.title and "cookies" in p.title.lower()
    assert p.controller == "Badoo"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_x_record_values_are_not_section_headings() -> None:
    # Values such as "CONSENT" (a cookie) or "Digital Advertising Alliance" (a controller) follow
    # a label in X's flattened table: they must not open sections that re-categorise every record.
    items = {it.name: it for it in extract(CORPUS / "X__cookie-policy__2026-07-16.md").cookies}
    assert len({it.section for it in items.values()}) == 1
    assert items["twid"].category == "strictly_necessary"
    assert items["_ga"].category == "analytics"
    assert items["personalization_id"].category != "consent"
