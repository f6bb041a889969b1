"""``policylint.contrib.dask``: the library mapped over a Dask bag (skipped without Dask)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("dask.bag")

from policylint.api import lint  # noqa: E402
from policylint.audit import jobs_from_paths, run_audit  # noqa: E402
from policylint.audit.render import as_data  # noqa: E402
from policylint.contrib import dask as pl_dask  # noqa: E402

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
FILES = ["placeholders.txt", "shop-v1.md", "contradictions.md", "saas-tables.html", "cnil-fr.md"]


@pytest.fixture
def paths(tmp_path):
    for name in FILES:
        shutil.copy(SAMPLES / name, tmp_path / name)
    return sorted(str(p) for p in tmp_path.iterdir())


def test_lint_bag_matches_the_library(paths):
    results = pl_dask.lint_bag(paths, npartitions=2).compute(scheduler="synchronous")
    assert [r.path for r in results] == paths
    for got, path in zip(results, paths, strict=True):
        assert got.findings == lint(path).findings


def test_extract_bag(paths):
    policies = pl_dask.extract_bag(paths).compute(scheduler="synchronous")
    assert [p.path for p in policies] == paths
    assert sum(len(p.cookies) for p in policies) > 20


def test_rule_counts_reduce_on_the_workers(paths):
    counts = pl_dask.rule_counts(paths, scheduler="synchronous")
    expected: dict[str, int] = {}
    for p in paths:
        for f in lint(p).findings:
            expected[f.rule] = expected.get(f.rule, 0) + 1
    assert counts == dict(sorted(expected.items()))


def test_audit_on_processes_matches_policylint_audit(paths):
    report = pl_dask.audit(paths, scheduler="processes", npartitions=2)
    local = run_audit(jobs_from_paths(paths), n_jobs=1)
    a, b = as_data(report), as_data(local)
    for data in (a, b):
        for key in ("seconds", "jobs"):
            data["summary"].pop(key)
    assert a == b
    assert a["summary"]["products"] == len(FILES)


def test_command_line(paths, capsys):
    code = pl_dask.main([*paths, "--scheduler", "synchronous", "--format", "json"])
    out = capsys.readouterr().out
    assert code == 1 and '"products"' in out
