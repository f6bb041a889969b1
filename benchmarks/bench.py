#!/usr/bin/env python3
"""How fast is policylint, and how much memory does it take?

    python benchmarks/bench.py            # the full run (a few minutes)
    python benchmarks/bench.py --quick    # a smoke run (seconds): small inputs, few repeats

Measures, each in a fresh child process (peak memory is that child's ``ru_maxrss``, from
``os.wait4``; lint and parse-only times are the fastest of 3 such processes):

* lint throughput and per-policy latency (median, p95) over the samples copied N
  times, and over ``../shared/corpus`` when it is there — against a parse-only
  baseline (read + decode + lxml / markdown-it parse of the same files, in-process);
* start-up: the wall time of ``policylint check samples/startup-prose.md`` as a
  subprocess (interpreter start included; median of 10 runs), with and without a
  bytecode cache, next to ``python -c pass``;
* that ``policylint --version`` imports neither lxml nor markdown-it;
* ``policylint audit`` throughput with --jobs 1 and --jobs 2;
* time and peak memory to check one generated 50 MB HTML file.

Targets: one small policy < 0.3 s wall including start-up; the lint pipeline within
3x of parse-only; audit scales with cores; memory bounded on 50 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
SAMPLES = ROOT / "samples"
CORPUS = ROOT.parent / "shared" / "corpus"
POLICY_EXT = (".html", ".htm", ".md", ".markdown", ".txt")

# The child that lints: a warm-up document of each format (imports of lxml / markdown-it,
# rule discovery, catalog: what the parse-only child does before its clock starts too), then
# each file timed alone.
LINT_CHILD = r"""
import json, os, sys, time
paths = json.load(sys.stdin)
t0 = time.perf_counter()
from policylint.api import lint
first_of_kind = {}
for p in paths:
    first_of_kind.setdefault(os.path.splitext(p)[1].lower(), p)
for p in first_of_kind.values():
    lint(p)
warm = time.perf_counter() - t0
times = []
findings = 0
for p in paths:
    t = time.perf_counter()
    r = lint(p)
    times.append(time.perf_counter() - t)
    findings += len(r.findings)
print(json.dumps({"warm": warm, "times": times, "findings": findings}))
"""

# The baseline: what merely parsing the same files costs (read, decode, lxml / markdown-it).
PARSE_CHILD = r"""
import json, sys, time
paths = json.load(sys.stdin)
from lxml import etree
from markdown_it import MarkdownIt
md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
def parse(p):
    data = open(p, "rb").read()
    text = data.decode("utf-8", "replace")
    low = p.lower()
    if low.endswith((".html", ".htm")) or (low.endswith(".txt") and "<html" in text[:2000].lower()):
        parser = etree.HTMLParser(remove_pis=True, no_network=True, recover=True)
        return etree.fromstring(text.encode("utf-8"), parser)
    if low.endswith((".md", ".markdown")):
        return md.parse(text)
    text.splitlines()
    return None
def walk(tree):
    # Merely reading the text back out of the tree: every element's text and tail (HTML), every
    # token's content (Markdown). No linter can do less after the parse.
    n = 0
    if isinstance(tree, list):
        for tok in tree:
            n += len(tok.content)
            for ch in tok.children or ():
                n += len(ch.content)
    elif tree is not None:
        for ev, el in etree.iterwalk(tree, events=("start", "end")):
            t = el.text if ev == "start" else el.tail
            if t:
                n += len(t.split())
    return n
walk(parse(paths[0]))
times, walks = [], []
for p in paths:
    t = time.perf_counter()
    tree = parse(p)
    t1 = time.perf_counter()
    walk(tree)
    times.append(t1 - t)
    walks.append(time.perf_counter() - t1)
print(json.dumps({"times": times, "walks": walks}))
"""


def env_for(bytecode: bool | None = None, cache_dir: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    env["NO_COLOR"] = "1"
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if cache_dir:
            env["PYTHONPYCACHEPREFIX"] = cache_dir
    return env


def run_child(argv: list[str], *, stdin: str | None = None, env=None, timeout: float = 900) -> dict:
    """Run a child; its wall time, exit code, stdout and peak RSS (MB) from os.wait4."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as inp:
        if stdin is not None:
            inp.write(stdin.encode())
            inp.seek(0)
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=inp, stdout=out, stderr=subprocess.DEVNULL, env=env or env_for())
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.002)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    rss_kb = usage.ru_maxrss  # kilobytes on Linux
    return {"wall": wall, "code": proc.returncode, "stdout": text, "rss_mb": rss_kb / 1024}


def policy_files(directory: Path) -> list[Path]:
    return sorted(
        p
        for p in directory.iterdir()
        if p.is_file() and p.suffix.lower() in POLICY_EXT and p.name.lower() != "readme.md"
    )


def replicate(dest: Path, copies: int) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for n in range(copies):
        for src in policy_files(SAMPLES):
            target = dest / f"{src.stem}-copy{n:03}{src.suffix}"
            shutil.copyfile(src, target)
            out.append(target)
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def lint_row(label: str, files: list[Path], rounds: int = 3) -> dict:
    """Lint and parse-only timings of ``files``: the fastest of ``rounds`` fresh processes each
    (a shared machine adds noise, never speed; a fresh process keeps caches cold)."""
    paths = json.dumps([str(p) for p in files])
    best: dict[str, tuple[float, dict, dict]] = {}
    for _ in range(rounds):
        for kind, child in (("lint", LINT_CHILD), ("base", PARSE_CHILD)):
            run = run_child([sys.executable, "-c", child], stdin=paths)
            if run["code"] != 0:
                raise SystemExit(f"benchmark child failed on {label}")
            data = json.loads(run["stdout"])
            total = sum(data["times"])
            if kind not in best or total < best[kind][0]:
                best[kind] = (total, data, run)
    _, ld, lint = best["lint"]
    _, bd, _ = best["base"]
    total, parse_total = sum(ld["times"]), sum(bd["times"])
    return {
        "label": label,
        "docs": len(files),
        "mb": sum(p.stat().st_size for p in files) / 1e6,
        "lint_s": total,
        "docs_per_s": len(files) / total if total else 0.0,
        "median_ms": statistics.median(ld["times"]) * 1000,
        "p95_ms": pct(ld["times"], 0.95) * 1000,
        "parse_s": parse_total,
        "ratio": total / parse_total if parse_total else float("nan"),
        # (parse + reading the text out of the tree) / parse: the least any linter pays.
        "floor": (parse_total + sum(bd["walks"])) / parse_total if parse_total else float("nan"),
        "rss_mb": lint["rss_mb"],
        "warm_s": ld["warm"],
    }


def median_wall(argv: list[str], runs: int, env) -> float:
    return statistics.median(run_child(argv, env=env)["wall"] for _ in range(runs))


def startup(runs: int) -> list[tuple[str, float]]:
    sample = str(SAMPLES / "startup-prose.md")
    cmd = [sys.executable, "-m", "policylint", "check", sample]
    rows = [("python -c pass", median_wall([sys.executable, "-c", "pass"], runs, env_for()))]
    no_cache = os.environ.get("PYTHONDONTWRITEBYTECODE")
    label = "policylint check startup-prose.md" + (" (no .pyc: PYTHONDONTWRITEBYTECODE)" if no_cache else "")
    rows.append((label, median_wall(cmd, runs, env_for())))
    with tempfile.TemporaryDirectory() as cache:
        env = env_for(bytecode=True, cache_dir=cache)
        run_child(cmd, env=env)  # writes the bytecode cache
        rows.append(("policylint check startup-prose.md (with .pyc)", median_wall(cmd, runs, env)))
        rows.append(
            (
                "policylint --version (with .pyc)",
                median_wall([sys.executable, "-m", "policylint", "--version"], runs, env),
            )
        )
    return rows


def version_imports() -> list[str]:
    """Heavy modules ``policylint --version`` imports (should be none)."""
    r = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "policylint", "--version"],
        capture_output=True,
        text=True,
        env=env_for(),
        timeout=60,
    )
    mods = {
        line.rsplit("|", 1)[-1].strip() for line in r.stderr.splitlines() if line.startswith("import time:")
    }
    heavy = ("lxml", "markdown_it", "bs4", "charset_normalizer", "rich", "unidiff")
    return sorted(m for m in mods if m.split(".")[0] in heavy)


def audit_rows(directory: Path, jobs: list[int]) -> list[tuple[int, float, int]]:
    out = []
    for n in jobs:
        r = run_child(
            [
                sys.executable,
                "-m",
                "policylint",
                "audit",
                "--format",
                "json",
                "--no-progress",
                "--jobs",
                str(n),
                str(directory),
            ]
        )
        products = json.loads(r["stdout"])["summary"]["products"] if r["stdout"].strip() else 0
        out.append((n, r["wall"], products))
    return out


def big_html(path: Path, megabytes: int) -> None:
    """A cookie policy padded to ``megabytes``: prose sections and a long cookie table."""
    head = (
        "<!DOCTYPE html><html><head><title>Cookie policy</title></head><body><main>"
        "<h1>Cookie policy</h1><p>Last updated: 3 March 2025</p>"
        "<p>Acme Ltd (&ldquo;we&rdquo;) runs acme.example. Questions: privacy@acme.example.</p>\n"
    )
    row = (
        "<tr><td><code>acme_pref_{n}</code></td><td>Acme</td><td>Remembers display preference number {n} "
        "for the catalogue pages you visit</td><td>{d} days</td></tr>\n"
    )
    para = (
        "<h2>Section {n}</h2><p>We use cookies and similar technologies to keep the site working, to remember "
        "your choices and, with your consent, to measure how the site is used. Section {n} explains the details "
        "of these uses, how long each item is kept and how you can withdraw your consent at any time.</p>\n"
    )
    target = megabytes * 1_000_000
    with path.open("w", encoding="utf-8") as fh:
        fh.write(head)
        size, n = len(head), 0
        fh.write(
            "<table><thead><tr><th>Cookie</th><th>Provider</th><th>Purpose</th><th>Duration</th></tr></thead><tbody>\n"
        )
        while size < target * 0.2:
            chunk = row.format(n=n, d=1 + n % 365)
            fh.write(chunk)
            size += len(chunk)
            n += 1
        fh.write("</tbody></table>\n")
        while size < target:
            chunk = para.format(n=n)
            fh.write(chunk)
            size += len(chunk)
            n += 1
        fh.write("</main></body></html>\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="small inputs and few repeats (a smoke run)")
    ap.add_argument("--copies", type=int, default=None, help="copies of the samples (default 20, quick 2)")
    ap.add_argument(
        "--big-mb", type=int, default=None, help="size of the generated HTML (default 50, quick 1)"
    )
    args = ap.parse_args(argv)
    copies = args.copies or (2 if args.quick else 20)
    big_mb = args.big_mb or (1 if args.quick else 50)
    runs = 3 if args.quick else 10

    print(
        f"policylint benchmark — Python {platform.python_version()}, {os.cpu_count()} cores"
        f"{', quick' if args.quick else ''}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="policylint-bench-") as tmp:
        tmpd = Path(tmp)
        files = replicate(tmpd / "samples", copies)
        rounds = 1 if args.quick else 3
        sets = [(f"samples x{copies}", files)]
        if CORPUS.is_dir() and not args.quick:
            sets.append(("../shared/corpus", policy_files(CORPUS)))
        rows = []
        for label, found in sets:
            rows.append(lint_row(label, found, rounds))
            if args.quick:
                continue
            # By format: lxml parses a page in C (about 1 ms), markdown-it in Python, and plain
            # text is merely split into lines, so the ratio to parse-only differs by orders of
            # magnitude between them.
            for name, suffixes in (
                ("  Markdown only", (".md", ".markdown")),
                ("  HTML only", (".html", ".htm")),
                ("  text only", (".txt",)),
            ):
                part = [p for p in found if p.suffix.lower() in suffixes]
                if part and len(part) < len(found):
                    rows.append(lint_row(name, part, rounds))

        print()
        print(
            f"Lint (in-process, one document at a time, after a warm-up document of each format; fastest of {rounds} "
            "fresh processes for lint and for parse-only)"
        )
        header = (
            f"{'workload':<20} {'docs':>5} {'MB':>6} {'lint s':>7} {'docs/s':>7} {'median ms':>9} "
            f"{'p95 ms':>7} {'parse s':>8} {'x parse':>7} {'floor':>6} {'peak MB':>8}"
        )
        print(header)
        print("-" * len(header))
        for r in rows:
            print(
                f"{r['label']:<20} {r['docs']:>5} {r['mb']:>6.1f} {r['lint_s']:>7.2f} {r['docs_per_s']:>7.1f} "
                f"{r['median_ms']:>9.1f} {r['p95_ms']:>7.1f} {r['parse_s']:>8.2f} {r['ratio']:>7.1f} {r['floor']:>6.1f} "
                f"{r['rss_mb']:>8.0f}"
            )
        print(
            "(x parse: lint time / parse-only time. floor: (parse + merely reading the text back out of the\n"
            " tree or tokens) / parse-only, the least any linter of the parsed documents can pay. Plain text\n"
            " has no parser: its parse-only time is reading and splitting lines, so its ratio is large.)"
        )
        print(
            f"(warm-up, a document of each format with imports, rule discovery and catalog: {rows[0]['warm_s']:.2f} s)"
        )

        print()
        print(f"Start-up (wall time of a subprocess, median of {runs}; target < 0.3 s)")
        for label, wall in startup(runs):
            print(f"  {label:<58} {wall:6.3f} s")
        heavy = version_imports()
        print(
            f"  policylint --version imports lxml/markdown-it/rich: {'NO' if not heavy else 'YES: ' + ', '.join(heavy)}"
        )

        print()
        print(f"Audit (policylint audit --format json, samples x{copies})")
        audit = audit_rows(tmpd / "samples", [1, 2])
        base = audit[0][1]
        for n, wall, products in audit:
            print(
                f"  --jobs {n}: {wall:6.2f} s  {products / wall:7.1f} products/s  speed-up {base / wall:4.2f}x"
            )

        print()
        big = tmpd / "big.html"
        big_html(big, big_mb)
        r = run_child([sys.executable, "-m", "policylint", "check", "--format", "json", str(big)])
        print(f"Large file ({big.stat().st_size / 1e6:.0f} MB generated HTML, policylint check)")
        print(f"  wall {r['wall']:.1f} s, peak RSS {r['rss_mb']:.0f} MB, exit {r['code']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
