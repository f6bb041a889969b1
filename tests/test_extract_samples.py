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

    problems: list[str] = []

    def expect(ok: object, what: str) -> None:
        if not ok:
            problems.append(what)

    if "title" in truth:
        expect(policy.title and truth["title"].lower() in policy.title.lower(), f"title {policy.title!r}")
    got_date = policy.last_updated.isoformat() if policy.last_updated else None
    expect(got_date == truth.get("last_updated"), f"last_updated {got_date}")
    if "controller_contains" in truth:
        ctrl = (policy.controller or "").lower()
        expect(truth["controller_contains"].lower() in ctrl, f"controller {policy.controller!r}")
    contacts = " ".join(c.value.lower() for c in policy.contacts)
    for c in truth.get("contacts_contain", []):
        expect(c.lower() in contacts, f"contact {c} not in {contacts!r}")
    got_parties = {t.name for t in policy.third_parties}
    expect(got_parties == set(truth.get("third_parties", [])), f"third parties {sorted(got_parties)}")

    expected_items = truth.get("items", [])
    got: dict[tuple[str | None, int], object] = {(it.name, it.line): it for it in policy.cookies}
    by_name = {it.name: it for it in policy.cookies}
    names = sorted(str(it.name) for it in policy.cookies)
    want = sorted(e["name"] for e in expected_items)
    expect(
        names == want,
        f"items: extra {sorted(set(names) - set(want))}, missing {sorted(set(want) - set(names))}",
    )
    for e in expected_items:
        it = got.get((e["name"], e.get("line", -1))) or by_name.get(e["name"])
        if it is None:
            continue
        where = f"{e['name']} (line {it.line})"
        if "line" in e:
            expect(it.line == e["line"], f"{where}: line, expected {e['line']}")
        if "provider" in e:
            expect(
                it.provider and e["provider"].lower() in it.provider.lower(),
                f"{where}: provider {it.provider!r}",
            )
        if "category" in e:
            expect(it.category == e["category"], f"{where}: category {it.category}, expected {e['category']}")
        if "duration_days" in e:
            ok = it.duration_days is not None and _close(it.duration_days, e["duration_days"])
            expect(ok, f"{where}: duration_days {it.duration_days}, expected {e['duration_days']}")
        if "party" in e:
            expect(it.party == e["party"], f"{where}: party {it.party}, expected {e['party']}")
        expect(it.storage == e.get("storage", "cookie"), f"{where}: storage {it.storage}")
        if "exempt" in e:
            expect(
                it.consent is (not e["exempt"]),
                f"{where}: consent {it.consent}, expected exempt={e['exempt']}",
            )
        if "missing_cells" in e:
            expect(it.missing_cells == e["missing_cells"], f"{where}: missing_cells {it.missing_cells}")

    got_claims = {(c.subject, c.polarity) for c in policy.claims}
    for c in truth.get("claims", []):
        expect(
            (c["subject"], c["polarity"]) in got_claims,
            f"claim {c['subject']}={c['polarity']} (line {c.get('line')})",
        )
    assert not problems, f"{sample.name}: " + "; ".join(problems) + f" || claims got {sorted(got_claims)}"


@pytest.mark.parametrize(
    ("raw", "name", "pattern"),
    [
        ("^_ga$", "_ga", False),
        ("_ga_<container-id>", "_ga_*", True),
        ("\\_dc\\_gtm\\_UA-", "_dc_gtm_UA-*", True),  # the property ID left off
        ("_gat_", "_gat_*", True),
        ("ab_", "ab_", False),
    ],
)
def test_written_names_are_normalised(raw, name, pattern):
    from policylint.extraction.names import normalise_name

    assert normalise_name(raw)[:2] == (name, pattern)
