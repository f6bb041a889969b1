"""``benchmarks/bench.py --quick`` runs to the end and prints its tables (no timing asserts)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_quick_prints_the_tables():
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])),
    }
    r = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--quick"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    out = r.stdout
    for expected in (
        "workload",
        "docs/s",
        "median ms",
        "p95 ms",
        "x parse",
        "floor",
        "peak MB",
        "samples x2",
        "Start-up",
        "policylint check startup-prose.md",
        "policylint --version imports lxml/markdown-it/rich: NO",
        "--jobs 1:",
        "--jobs 2:",
        "Large file",
    ):
        assert expected in out, f"{expected!r} missing from:\n{out}"
