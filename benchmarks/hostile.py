#!/usr/bin/env python3
"""Time and peak memory of policylint on hostile inputs, one child process per input.

    python benchmarks/hostile.py             # the full sizes (200 MB page, 50 MB page, ...): a few minutes
    python benchmarks/hostile.py --quick     # small sizes: seconds
    python benchmarks/hostile.py --only page-50mb --only nested-200k

Each input is built in a temporary directory, then checked with
``python -m policylint check --format json FILE`` in a fresh child; the table
gives the wall time, the exit code, the peak resident memory of that child
(``ru_maxrss`` the child reports at exit, so it is per input) and the first finding or
error. A row marked ``!!`` broke a promise: a traceback, an exit code outside
{0, 1, 2}, or a time-out.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import hostile_inputs as h  # noqa: E402

MB = h.MB


def inputs(scale: float) -> dict[str, tuple[str, object]]:
    """name → (file name, builder(path))."""
    s = scale
    rows: dict[str, tuple[str, object]] = {
        "page-200mb": ("page200.html", lambda p: h.big_page(p, int(200 * MB * s))),
        "page-50mb": ("page50.html", lambda p: h.big_page(p, int(50 * MB * s))),
        "page-5mb": ("page5.html", lambda p: h.big_page(p, int(5 * MB * s))),
        "markdown-20mb": ("big.md", lambda p: h.big_markdown(p, int(20 * MB * s))),
        "text-20mb": ("big.txt", lambda p: h.big_text(p, int(20 * MB * s))),
        "nested-200k": ("nested.html", lambda p: h.nested_divs(p, max(300, int(200_000 * s)))),
        "unclosed-20k": ("unclosed.html", lambda p: h.unclosed_tags(p, max(300, int(20_000 * s)))),
        "deep-markdown": ("deep.md", lambda p: h.deep_markdown(p, max(300, int(100_000 * s)))),
        "line-5mb.html": ("line.html", lambda p: h.single_line(p, int(5 * MB * s), html=True)),
        "line-5mb.txt": ("line.txt", lambda p: h.single_line(p, int(5 * MB * s), html=False)),
        "binary": ("binary.png", h.binary),
        "random-bytes": ("random.txt", h.random_bytes),
        "empty": ("empty.md", h.empty),
        "invalid-utf8": ("invalid.md", h.invalid_utf8),
        "nul-bytes": ("nul.html", h.nul_bytes),
        "crlf": ("crlf.txt", h.crlf),
        "directory": ("dir.md", h.directory),
        "symlink-loop": ("loop.md", h.symlink_loop),
    }
    n = max(2000, int(50_000 * s))
    for ext in (".md", ".html", ".txt"):
        rows[f"regex-set{ext}"] = (f"adversarial{ext}", _adversarial_builder(n, ext))
    return rows


def _adversarial_builder(n: int, ext: str):
    def build(p: Path) -> Path:
        # Every adversarial run, each in its own paragraph: one document per format.
        texts = h.adversarial_texts(n)
        sep = "\n\n<p>x</p>\n\n" if ext == ".html" else "\n\nx\n\n"
        p.write_text(sep.join(texts.values()), encoding="utf-8")
        return p

    return build


# The child reports its own peak RSS at exit, and a shell forks it: Linux counts the
# memory of the process that exec()s into a child's ru_maxrss, so a child spawned
# straight from a big parent would "peak" at the parent's size.
MEASURED_CHILD = (
    "import atexit, os, resource, sys\n"
    "atexit.register(lambda: os.write(2, b'\\nPEAK_RSS_KB=%d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
    "sys.argv = ['policylint', *sys.argv[1:]]\n"
    "from policylint.cli import main\n"
    "main()\n"
)


def run_child(args: list[str], timeout: float) -> dict:
    """``policylint ARGS`` in a child: wall time, exit code, peak RSS (MB), stdout, stderr."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    argv = ["sh", "-c", '"$@"; rc=$?; exit $rc', "sh", sys.executable, "-c", MEASURED_CHILD, *args]
    started = time.perf_counter()
    try:
        res = subprocess.run(argv, capture_output=True, timeout=timeout, env=env, stdin=subprocess.DEVNULL)
        code, out, err, timed_out = res.returncode, res.stdout, res.stderr, False
    except subprocess.TimeoutExpired as exc:
        code, out, err, timed_out = -9, exc.stdout or b"", exc.stderr or b"", True
    wall = time.perf_counter() - started
    stderr = err.decode("utf-8", "replace")
    peak = re.search(r"PEAK_RSS_KB=(\d+)", stderr)
    stderr = re.sub(r"\s*PEAK_RSS_KB=\d+\s*", "\n", stderr).strip()
    return {
        "wall": wall,
        "code": code,
        "rss_mb": int(peak.group(1)) / 1024 if peak else float("nan"),
        "stdout": out.decode("utf-8", "replace"),
        "stderr": stderr,
        "timed_out": timed_out,
    }


def first_answer(res: dict) -> str:
    if res["stderr"].strip():
        return res["stderr"].strip().splitlines()[-1][:90]
    try:
        data = json.loads(res["stdout"])
        if not data["files"]:
            return "no policy files in it (a directory is walked)"
        f = data["files"][0]
        if f.get("error"):
            return f"error: {f['error']}"[:90]
        rules = [x["rule"] for x in f["findings"]]
        return f"{len(rules)} findings: {', '.join(sorted(set(rules))[:8])}"[:90]
    except (ValueError, KeyError, IndexError):
        return " ".join(res["stdout"].split())[:90]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (1/100)")
    ap.add_argument("--only", action="append", default=[], help="run only this input (repeatable)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per input before it counts as a hang")
    args = ap.parse_args()
    scale = 0.01 if args.quick else 1.0
    rows = inputs(scale)
    if args.only:
        rows = {k: v for k, v in rows.items() if k in args.only}
    print(f"{'input':<18} {'size':>10} {'wall s':>8} {'peak MB':>8} {'exit':>4}  answer")
    broken = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, (fname, build) in rows.items():
            path = Path(tmp) / fname
            build(path)
            try:
                size = path.stat().st_size if path.is_file() else 0
            except OSError:
                size = 0
            res = run_child(["check", "--format", "json", str(path)], args.timeout)
            bad = res["timed_out"] or res["code"] not in (0, 1, 2) or "Traceback" in res["stderr"]
            broken += bad
            mark = "!!" if bad else "  "
            print(
                f"{name:<18} {size / MB:>8.1f}MB {res['wall']:>8.2f} {res['rss_mb']:>8.0f} {res['code']:>4}{mark} "
                f"{'TIMED OUT' if res['timed_out'] else first_answer(res)}",
                flush=True,
            )
            if path.is_file() and not path.is_symlink():
                path.unlink()
    print(
        f"\n{broken} input(s) broke a promise"
        if broken
        else "\nevery input got an answer (exit 0/1/2, no traceback)"
    )
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
