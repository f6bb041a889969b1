"""Each sample gets exactly the findings a careful reviewer gave it.

tests/expected/<sample>.toml lists them (family and line), written by hand with
the samples; an extra finding is a false alarm, a missing one a miss.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from policylint.api import lint

ROOT = Path(__file__).resolve().parents[1]
CASES = sorted(p for p in (ROOT / "tests" / "expected").glob("*.toml") if not p.name.endswith(".diff.toml"))


@pytest.mark.parametrize("truth_path", CASES, ids=lambda p: p.name.removesuffix(".toml"))
def test_sample_findings(truth_path: Path) -> None:
    truth = tomllib.loads(truth_path.read_text(encoding="utf-8"))
    result = lint(ROOT / "samples" / truth_path.name.removesuffix(".toml"))
    got = {(f.rule[:3], f.line) for f in result.findings}
    want = {(f["family"], f["line"]) for f in truth.get("findings", [])}
    extra = sorted(
        f"{f.rule} line {f.line}: {f.message}" for f in result.findings if (f.rule[:3], f.line) not in want
    )
    assert not extra, "false alarms: " + " | ".join(extra)
    assert not want - got, f"missed: {sorted(want - got)}"
