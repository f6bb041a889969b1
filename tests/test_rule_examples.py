"""Every check file's FAILING and PASSING examples do what its docs say.

The rules are discovered, not listed, so checks added later are covered too:
a single-document rule's FAILING example must give at least one finding of its
code (exactly ``EXPECT`` when the file sets it) and its PASSING example none; a
diff rule's (old, new) pairs go through ``policylint.diffing.compute``.
"""

from __future__ import annotations

import pytest

from policylint.engine import Rule, discover, run_example

RULES = discover()


def _ids(rule: Rule) -> str:
    return rule.code


def _diff_findings(rule: Rule, pair: tuple[str, str]) -> list:
    diff = pytest.importorskip("policylint.diffing")
    from policylint.api import load_bytes
    from policylint.extraction import extract_policy

    ext = {"markdown": ".md", "html": ".html", "text": ".txt"}[rule.format]
    old_doc = load_bytes(f"old{ext}", pair[0].encode("utf-8"), rule.format)  # type: ignore[arg-type]
    new_doc = load_bytes(f"new{ext}", pair[1].encode("utf-8"), rule.format)  # type: ignore[arg-type]
    result = diff.compute(extract_policy(old_doc), extract_policy(new_doc), old_doc, new_doc)
    return [f for f in result.findings if f.rule == rule.code]


def test_there_are_rules():
    assert len(RULES) >= 10


@pytest.mark.parametrize("rule", RULES, ids=_ids)
def test_failing_example(rule: Rule):
    if rule.scope == "diff":
        found = _diff_findings(rule, rule.failing)  # type: ignore[arg-type]
    else:
        found = run_example(rule, "failing")
        crashed = [f.message for f in found if f.rule == "PL005" and rule.code != "PL005"]
        assert not crashed, crashed
        found = [f for f in found if f.rule == rule.code]
    if rule.expect is None:
        assert found, f"{rule.code} FAILING example gives no {rule.code} finding"
    else:
        assert len(found) == rule.expect, [f"{f.line}: {f.message}" for f in found]
    for f in found:
        assert f.name == rule.name and f.severity in ("error", "warning", "info")
        assert f.line >= 1 and f.column >= 1 and f.message


@pytest.mark.parametrize("rule", RULES, ids=_ids)
def test_passing_example(rule: Rule):
    if rule.scope == "diff":
        found = _diff_findings(rule, rule.passing)  # type: ignore[arg-type]
    else:
        found = run_example(rule, "passing")
        crashed = [f.message for f in found if f.rule == "PL005" and rule.code != "PL005"]
        assert not crashed, crashed
        found = [f for f in found if f.rule == rule.code]
    assert found == [], [f"{f.line}: {f.message}" for f in found]


@pytest.mark.parametrize("rule", RULES, ids=_ids)
def test_rule_docs_are_complete(rule: Rule):
    for text in (rule.summary, rule.why, rule.basis, rule.fix):
        assert text.strip()
    assert len(rule.summary) <= 300
    assert rule.path.name.startswith(rule.code.lower() + "_")
