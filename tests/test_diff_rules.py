"""The PL5xx diff checks: shape, and their FAILING/PASSING example pairs run through the real pipeline."""

from __future__ import annotations

import pytest

from policylint.api import load_document
from policylint.diffing import compute
from policylint.diffing.context import builtin_checks_dir, diff_checks

EXT = {"markdown": "md", "html": "html", "text": "txt"}
MODULES = diff_checks()
REQUIRED = ("CODE", "NAME", "SEVERITY", "SUMMARY", "WHY", "BASIS", "FIX", "FORMAT")


def _extract_or_skip():
    try:
        from policylint.extraction import extract_policy
    except ImportError:  # the extractor is another module; without it the examples cannot run
        pytest.skip("policylint.extraction is not available")
    return extract_policy


def run_pair(mod, pair):
    extract_policy = _extract_or_skip()
    old_text, new_text = pair
    ext = EXT[mod.FORMAT]
    od = load_document(f"old.{ext}", text=old_text, fmt=mod.FORMAT)
    nd = load_document(f"new.{ext}", text=new_text, fmt=mod.FORMAT)
    return compute(extract_policy(od), extract_policy(nd), od, nd)


def test_all_pl5_rules_present():
    assert builtin_checks_dir() is not None
    assert [m.CODE for m in MODULES] == ["PL501", "PL502", "PL503", "PL504"]


@pytest.mark.parametrize("mod", MODULES, ids=lambda m: m.CODE)
def test_shape(mod):
    for name in REQUIRED:
        assert isinstance(getattr(mod, name), str) and getattr(mod, name).strip(), name
    assert mod.SCOPE == "diff"
    assert mod.SEVERITY in ("error", "warning", "info")
    for pair in (mod.FAILING, mod.PASSING):
        assert isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(t, str) for t in pair)
    assert callable(mod.check_diff)


@pytest.mark.parametrize("mod", MODULES, ids=lambda m: m.CODE)
def test_failing_example_fires(mod):
    r = run_pair(mod, mod.FAILING)
    hits = [f for f in r.findings if f.rule == mod.CODE]
    assert hits, f"{mod.CODE} FAILING example produced {[(f.rule, f.message) for f in r.findings]}"
    assert all(f.name == mod.NAME and f.severity == mod.SEVERITY for f in hits)
    assert all(f.line >= 1 for f in hits)


@pytest.mark.parametrize("mod", MODULES, ids=lambda m: m.CODE)
def test_passing_example_is_quiet(mod):
    r = run_pair(mod, mod.PASSING)
    hits = [f for f in r.findings if f.rule == mod.CODE]
    assert not hits, [f.message for f in hits]


def test_engine_accepts_diff_check_files():
    engine = pytest.importorskip("policylint.engine")
    rules = {r.code: r for r in engine.discover()}
    for code in ("PL501", "PL502", "PL503", "PL504"):
        assert rules[code].scope == "diff"
