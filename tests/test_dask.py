"""``policylint.contrib.dask``: the library mapped over a Dask bag (skipped without Dask), and
its command line without Dask (a one-line error)."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policylint.api import lint
from policylint.audit import jobs_from_paths, run_audit
from policylint.audit.render import as_data, render
from policylint.contrib import dask as pl_dask

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
HAS_DASK = importlib.util.find_spec("dask") is not None and importlib.util.find_spec("dask.bag") is not None
needs_dask = pytest.mark.skipif(not HAS_DASK, reason="Dask is not installed")
FILES = ["placeholders.txt", "shop-v1.md", "contradictions.md", "saas-tables.html", "cnil-fr.md"]


@pytest.fixture
def paths(tmp_path):
    for name in FILES:
        shutil.copy(SAMPLES / name, tmp_path / name)
    return sorted(str(p) for p in tmp_path.iterdir())


@needs_dask
def test_lint_bag_matches_the_library(paths):
    results = pl_dask.lint_bag(paths, npartitions=2).compute(scheduler="synchronous")
    assert [r.path for r in results] == paths
    for got, path in zip(results, paths, strict=True):
        assert got.findings == lint(path).findings


@needs_dask
def test_extract_bag(paths):
    policies = pl_dask.extract_bag(paths).compute(scheduler="synchronous")
    assert [p.path for p in policies] == paths
    assert sum(len(p.cookies) for p in policies) > 20


@needs_dask
def test_rule_counts_reduce_on_the_workers(paths):
    counts = pl_dask.rule_counts(paths, scheduler="synchronous")
    expected: dict[str, int] = {}
    for p in paths:
        for f in lint(p).findings:
            expected[f.rule] = expected.get(f.rule, 0) + 1
    assert counts == dict(sorted(expected.items()))


@needs_dask
def test_audit_on_processes_matches_policylint_audit(paths):
    report = pl_dask.audit(paths, scheduler="processes", npartitions=2)
    local = run_audit(jobs_from_paths(paths), n_jobs=1)
    a, b = as_data(report), as_data(local)
    for data in (a, b):
        for key in ("seconds", "jobs", "runner"):
            data["summary"].pop(key)
    assert a == b
    assert a["summary"]["products"] == len(FILES)


@needs_dask
def test_command_line(paths, capsys):
    code = pl_dask.main([*paths, "--scheduler", "synchronous", "--format", "json"])
    out = capsys.readouterr().out
    assert code == 1 and '"products"' in out


@needs_dask
def test_report_says_where_it_ran(paths):
    report = pl_dask.audit(paths, scheduler="synchronous", npartitions=2)
    assert report.jobs is None and report.runner == "Dask (synchronous scheduler, 2 partitions)"
    summary = as_data(report)["summary"]
    assert summary["jobs"] is None and summary["runner"] == report.runner
    text = render("text", report)
    assert "on Dask (synchronous scheduler, 2 partitions):" in text and "0 processes" not in text
    assert "on Dask (synchronous scheduler, 2 partitions);" in render("html", report)
    local = run_audit(jobs_from_paths(paths), n_jobs=2)
    assert as_data(local)["summary"]["runner"] is None and "on 2 processes:" in render("text", local)


def _one_line_error(err: str, *needles: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("policylint: error: "), err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], err


def test_command_line_without_dask_is_a_one_line_error(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "dask", None)
    monkeypatch.setitem(sys.modules, "dask.bag", None)
    assert pl_dask.main([str(SAMPLES)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    _one_line_error(captured.err, "needs Dask", "pip install 'policylint[dask]'")


def test_python_m_without_dask_is_a_one_line_error():
    code = (
        "import runpy, sys; sys.modules['dask'] = None; sys.modules['dask.bag'] = None; "
        "runpy.run_module('policylint.contrib.dask', run_name='__main__', alter_sys=True)"
    )
    r = subprocess.run(
        [sys.executable, "-c", code, str(SAMPLES)], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert r.returncode == 2, r.stderr
    _one_line_error(r.stderr, "needs Dask")


@needs_dask
def test_tcp_scheduler_without_distributed_is_a_one_line_error(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    assert pl_dask.main([str(SAMPLES), "--scheduler", "tcp://127.0.0.1:8786"]) == 2
    _one_line_error(capsys.readouterr().err, "tcp://127.0.0.1:8786", "pip install 'dask[distributed]'")


@needs_dask
def test_command_line_input_errors_exit_2(tmp_path, capsys):
    assert pl_dask.main([str(tmp_path / "nope")]) == 2
    _one_line_error(capsys.readouterr().err, "no such file")
    assert pl_dask.main([str(tmp_path)]) == 2
    _one_line_error(capsys.readouterr().err, "no policy files found")
    assert pl_dask.main([str(SAMPLES), "--scheduler", "procesess"]) == 2
    _one_line_error(capsys.readouterr().err, "--scheduler 'procesess'")


@needs_dask
def test_readme_example_runs_as_a_script(tmp_path):
    """The README's Dask example, saved as a script and run with `python` from a checkout: the
    "processes" scheduler re-imports the script in its workers (BrokenProcessPool without the guard)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Auditing at scale", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, flags=re.DOTALL).group(1)
    assert 'if __name__ == "__main__":' in code
    shutil.copytree(SAMPLES, tmp_path / "samples")
    (tmp_path / "example.py").write_text(code, encoding="utf-8")
    r = subprocess.run(
        [sys.executable, "example.py"], capture_output=True, text=True, timeout=300, cwd=tmp_path
    )
    assert r.returncode == 0, r.stderr[-2000:]
    assert "on Dask (processes scheduler" in r.stdout
    assert (tmp_path / "audit.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@needs_dask
def test_command_line_json_says_where_it_ran(paths, capsys):
    pl_dask.main([*paths, "--scheduler", "threads", "--format", "json"])
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert summary["jobs"] is None and summary["runner"].startswith("Dask (threads scheduler, ")


def test_scheduler_names():
    class FakeClient:
        class scheduler:  # noqa: N801 - the shape of dask.distributed.Client.scheduler
            address = "tcp://10.0.0.5:8786"

    assert pl_dask.scheduler_name("threads") == "threads scheduler"
    assert pl_dask.scheduler_name(FakeClient()) == "distributed scheduler at tcp://10.0.0.5:8786"
    assert pl_dask.scheduler_name(None) == "default scheduler"
