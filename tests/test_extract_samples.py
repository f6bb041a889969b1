"""Each sample's inventory is pinned by its ground truth in tests/expected/<sample>.toml.

The ground truth was written with the samples, by hand, before the extractor
ran on them: what a reader of the policy would list.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from policylint.api import extract

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
EXPECTED = ROOT / "tests" / "expected"

CASES = sorted(p for p in EXPECTED.glob("*.toml") if not p.name.endswith(".diff.toml"))


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= max(0.03 * b, 0.01)


@pytest.mark.parametrize("truth_path", CASES, ids=lambda p: p.name.removesuffix(".toml"))
def test_sample_inventory(truth_path: Path) -> None:
    truth = tomllib.loads(truth_path.read_text(encoding="utf-8"))
    sample = SAMPLES / truth_path.name.removesuffix(".toml")
    policy = extract(sample)

    if "title" in truth:
        assert policy.title and truth["title"].lower() in policy.title.lower()
    if "last_updated" in truth:
        assert policy.last_updated is not None and policy.last_updated.isoformat() == truth["last_updated"]
    else:
        assert policy.last_updated is None
    if "controller_contains" in truth:
        assert policy.controller and truth["controller_contains"].lower() in policy.controller.lower()
    contacts = " ".join(c.value.lower() for c in policy.contacts)
    for c in truth.get("contacts_contain", []):
        assert c.lower() in contacts
    got_parties = {t.name for t in policy.third_parties}
    assert got_parties == set(truth.get("third_parties", [])), f"third parties: {sorted(got_parties)}"

    expected_items = truth.get("items", [])
    got = {it.name: it for it in policy.cookies}
    names = [it.name for it in policy.cookies]
    assert sorted(names) == sorted(e["name"] for e in expected_items), "item names differ"
    for e in expected_items:
        it = got[e["name"]]
        where = f"{e['name']} (line {it.line})"
        if "line" in e:
            assert it.line == e["line"], where
        if "provider" in e:
            assert it.provider and e["provider"].lower() in it.provider.lower(), where
        if "category" in e:
            assert it.category == e["category"], where
        if "duration_days" in e:
            assert it.duration_days is not None and _close(it.duration_days, e["duration_days"]), where
        if "party" in e:
            assert it.party == e["party"], where
        assert it.storage == e.get("storage", "cookie"), where
        if "exempt" in e:
            assert it.consent is (not e["exempt"]), where
        if "missing_cells" in e:
            assert it.missing_cells == e["missing_cells"], where

    got_claims = {(c.subject, c.polarity) for c in policy.claims}
    for c in truth.get("claims", []):
        assert (c["subject"], c["polarity"]) in got_claims, f"claim {c}: got {sorted(got_claims)}"
