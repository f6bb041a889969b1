"""Hostile documents never crash, hang, leak or lose output.

Every input gets an answer in bounded time and memory (a PL0xx finding or a one-line
error, never a traceback); document content never causes network or file access;
no regular expression backtracks catastrophically; ``--output`` is atomic and never
overwrites an input.

The big inputs are generated in tmp dirs (``hostile_inputs.py``). The default run
covers every hostile kind at a size that takes seconds; ``pytest -m slow`` runs the
full sizes (a 200 MB and a 50 MB page, 5 MB single lines, 20 MB of Markdown).
``python benchmarks/hostile.py`` prints the time and peak memory of each.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import hostile_inputs as h
import pytest
from click.testing import CliRunner

import policylint
from policylint.api import extract, lint, load_document
from policylint.cli import cli
from policylint.model import to_json

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _assert_answer(result, n_lines: int) -> None:
    """A FileResult is an answer: a one-line error, or findings on lines of the file."""
    if result.error is not None:
        assert "\n" not in result.error and "Traceback" not in result.error
        return
    n = max(1, n_lines)
    for f in result.findings:
        assert 1 <= f.line <= n, (f.rule, f.line, n)
        assert f.end_line is None or f.line <= f.end_line <= n, (f.rule, f.end_line, n)
        assert "Traceback" not in f.message


# ---------------------------------------------------------------------------------------------
# Every hostile kind through the pipeline (library API)

# kind → (file name, builder, rules that must be among the findings, text that must be extracted)
KINDS = {
    "binary": ("binary.png", h.binary, {"PL001"}, None),
    "random-bytes": ("random.txt", h.random_bytes, {"PL001"}, None),
    "empty": ("empty.md", h.empty, {"PL002"}, None),
    "whitespace": ("blank.txt", h.whitespace, {"PL002"}, None),
    "invalid-utf8": ("invalid.md", h.invalid_utf8, {"PL007"}, "_gid"),
    "nul-bytes": ("nul.html", h.nul_bytes, {"PL007"}, "privacy@example.com"),
    "crlf": ("crlf.txt", h.crlf, set(), "_ga"),
    "utf16": ("utf16.html", h.utf16, set(), "_ga"),
    # Full size: libxml2 gives up at 256 levels and used to drop everything after them.
    "nested-200k-divs": ("nested.html", lambda p: h.nested_divs(p, 200_000), set(), "after-nest@example.com"),
    "unclosed-tags": ("unclosed.html", lambda p: h.unclosed_tags(p, 20_000), set(), "tail@example.com"),
    "deep-markdown": ("deep.md", lambda p: h.deep_markdown(p, 100_000), set(), "md@example.com"),
    "line-html-500k": ("line.html", lambda p: h.single_line(p, 500_000, html=True), set(), "_gid"),
    "line-text-500k": ("line.txt", lambda p: h.single_line(p, 500_000, html=False), {"PL101"}, "_ga"),
    "page-300k": ("page.html", lambda p: h.big_page(p, 300_000), set(), "ck_7_39"),
    "markdown-300k": ("page.md", lambda p: h.big_markdown(p, 300_000), set(), "ck_7_39"),
    "text-300k": ("page.txt", lambda p: h.big_text(p, 300_000), set(), "ck_7_39"),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_hostile_input_gets_an_answer(tmp_path: Path, kind: str) -> None:
    name, build, rules, needle = KINDS[kind]
    path = build(tmp_path / name)
    started = time.monotonic()
    result = lint(path)
    doc = load_document(path)
    policy = extract(doc)
    assert time.monotonic() - started < 60
    _assert_answer(result, len(doc.lines))
    found = {f.rule for f in result.findings}
    assert rules <= found, found
    assert "PL005" not in found, [f.message for f in result.findings if f.rule == "PL005"]
    assert policy.path == str(path) and policy.format == doc.format
    if needle:  # nothing after the hostile part is lost
        text = "\n".join(
            [b.text for b in doc.blocks] + [c.text for b in doc.blocks for r in b.rows for c in r]
        )
        assert needle in text, kind


@pytest.mark.parametrize(
    "make, message",
    [
        (h.directory, "is a directory"),
        (h.symlink_loop, "cannot read"),
        (lambda p: p, "no such file"),
    ],
    ids=["directory", "symlink-loop", "missing"],
)
def test_unreadable_paths_are_one_line_errors(tmp_path: Path, make, message: str) -> None:
    path = make(tmp_path / "x.md")
    result = lint(path)
    assert result.error and message in result.error and "\n" not in result.error
    assert result.findings == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file anyway")
def test_permission_denied_is_a_one_line_error(tmp_path: Path) -> None:
    path = h.unreadable(tmp_path / "secret.md")
    try:
        result = lint(path)
        assert result.error and "permission denied" in result.error
    finally:
        path.chmod(0o644)


def test_a_file_over_the_limit_is_not_read(tmp_path: Path) -> None:
    """A 200 MB page: PL006 from its size alone, in well under a second and ~30 MB.

    The file is sparse (written head, then truncated up), so the test costs no disk."""
    path = tmp_path / "huge.html"
    with open(path, "wb") as fh:
        fh.write(b"<!DOCTYPE html><html><body><h1>Cookie Policy</h1>")
        fh.truncate(200 * h.MB)
    res = _run_measured(["check", "--format", "json", str(path)])
    data = json.loads(res["stdout"])
    assert res["code"] == 1, res
    assert [f["rule"] for f in data["files"][0]["findings"]] == ["PL006"]
    assert data["files"][0]["format"] == "html"
    assert res["rss_mb"] < 120, res["rss_mb"]  # reading 64 MB of it would show here
    assert res["wall"] < 20


def test_endless_standard_input_is_cut_at_the_limit() -> None:
    """`yes | policylint check -` ends with PL006 instead of reading until memory runs out."""
    res = subprocess.run(
        [
            "sh",
            "-c",
            f'yes "cookie policy" | "{sys.executable}" -m policylint check - --stdin-filename x.txt',
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=ENV,
    )
    assert res.returncode == 1 and "PL006" in res.stdout, res.stderr


def test_pl006_through_the_library_for_a_sparse_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    with open(path, "wb") as fh:
        fh.truncate(65 * h.MB)
    doc = load_document(path)
    assert [code for code, _ in doc.problems] == ["PL006"] and doc.blocks == []


def test_html_parsed_in_pieces_reads_like_the_whole(tmp_path: Path, monkeypatch) -> None:
    """Pages over PIECE_CHARS are parsed piece by piece to bound memory: same blocks,
    same lines, same inventory — also when a piece boundary falls inside a table."""
    from policylint.parse import html as html_parser

    text = (SAMPLES / "adtech-big.html").read_text(encoding="utf-8")
    body = re.search(r"<body[^>]*>(.*)</body>", text, re.S | re.I).group(1)
    body = re.sub(r"</?(?:main|article)\b[^>]*>", "", body)  # one page's worth of content roots
    path = tmp_path / "pieces.html"
    path.write_text(body * 12, encoding="utf-8")
    whole = extract(path)
    whole_doc = load_document(path)
    monkeypatch.setattr(html_parser, "PIECE_CHARS", 40_000)
    pieces_doc = load_document(path)
    assert [(b.kind, b.text, b.line) for b in pieces_doc.blocks] == [
        (b.kind, b.text, b.line) for b in whole_doc.blocks
    ]
    monkeypatch.setattr(html_parser, "PIECE_CHARS", 6_000)  # smaller than the table: rows carried over
    assert to_json(extract(path)) == to_json(whole)


def test_markdown_parsed_in_pieces_reads_like_the_whole(tmp_path: Path, monkeypatch) -> None:
    from policylint.parse import markdown as md_parser

    text = "\n\n".join(
        (SAMPLES / name).read_text(encoding="utf-8") for name in ("cnil-fr.md", "storage-pixels.md")
    )
    path = tmp_path / "pieces.md"
    path.write_text("\n\n".join([text] * 8), encoding="utf-8")
    whole_doc, whole = load_document(path), extract(path)
    monkeypatch.setattr(md_parser, "PIECE_CHARS", 5_000)
    doc = load_document(path)
    assert [(b.kind, b.text, b.line, b.end_line) for b in doc.blocks] == [
        (b.kind, b.text, b.line, b.end_line) for b in whole_doc.blocks
    ]
    assert [(c.text, c.line) for c in doc.comments] == [(c.text, c.line) for c in whole_doc.comments]
    assert to_json(extract(path)) == to_json(whole)


def test_flatten_deep_keeps_text_and_lines() -> None:
    from policylint.parse.html import flatten_deep

    text = "<div>\n" * 300 + "x" + "</div\n>" * 300 + "\n<p>after</p>"
    flat = flatten_deep(text, limit=10)
    assert flat.count("\n") == text.count("\n")
    assert flat.count("<div>") == 10 and "after" in flat and "x" in flat


# ---------------------------------------------------------------------------------------------
# No network, no file access from document content


class _Listener:
    """A local TCP port a fetch would connect to; ``connections()`` says whether one came."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]

    def connections(self) -> int:
        self.sock.settimeout(0.2)
        n = 0
        try:
            while True:
                conn, _ = self.sock.accept()
                conn.close()
                n += 1
        except (TimeoutError, OSError):
            return n

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def listener():
    srv = _Listener()
    yield srv
    srv.close()


@pytest.fixture
def no_python_network(monkeypatch):
    """Any connection attempt from Python code fails the test."""
    attempts: list[tuple] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("policylint tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield attempts
    assert attempts == []


SECRET = "TOP-SECRET-MARKER-7f3a9c"


def _hostile_refs(tmp_path: Path, port: int) -> tuple[Path, Path]:
    secret = tmp_path / h.XXE_SECRET_NAME
    secret.write_text(f"{SECRET}\n", encoding="utf-8")
    html = h.xxe_html(tmp_path / "xxe.html", secret)
    md = h.xxe_markdown(tmp_path / "xxe.md", secret)
    # Point every fetchable reference at the local listener as well.
    for p in (html, md):
        p.write_text(
            p.read_text(encoding="utf-8").replace("192.0.2.1", f"127.0.0.1:{port}")
            + f'\n<!DOCTYPE html SYSTEM "http://127.0.0.1:{port}/dtd">\n'
            f'<p><img src="http://127.0.0.1:{port}/i.png"><link href="http://127.0.0.1:{port}/s.css"></p>\n',
            encoding="utf-8",
        )
    return html, md


def _everything(path: Path) -> str:
    """All a user could see: inventory, findings, blocks, comments, title."""
    doc = load_document(path)
    result = lint(path)
    parts = [
        json.dumps(to_json(extract(path))),
        json.dumps([to_json(f) for f in result.findings]),
        json.dumps([(b.text, [c.text for r in [b.header, *b.rows] for c in r]) for b in doc.blocks]),
        json.dumps([c.text for c in doc.comments]),
        doc.title or "",
    ]
    return "\n".join(parts)


def test_external_entities_are_never_resolved(tmp_path: Path, listener, no_python_network) -> None:
    html, md = _hostile_refs(tmp_path, listener.port)
    for path in (html, md):
        out = _everything(path)
        assert SECRET not in out, path.name
        assert "_ga" in out  # the document itself was read
    assert listener.connections() == 0


def test_hostile_references_through_the_cli(tmp_path: Path, listener) -> None:
    """The CLI in a child process (libxml2's own I/O included): no connection to the
    listener, no secret in any output. The entity also names a FIFO: opening it would
    block until the time-out."""
    html, md = _hostile_refs(tmp_path, listener.port)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for p in (html, md):
        p.write_text(p.read_text().replace(h.XXE_SECRET_NAME, "fifo", 1), encoding="utf-8")
        p.write_text(p.read_text() + f'<iframe src="{(tmp_path / h.XXE_SECRET_NAME).as_uri()}"></iframe>\n')
    for args in (
        ["extract", "--format", "json", str(html), str(md)],
        ["check", "--format", "json", str(html), str(md)],
        ["diff", "--format", "json", str(html), str(md)],
    ):
        res = subprocess.run(
            [sys.executable, "-m", "policylint", *args], capture_output=True, text=True, timeout=120, env=ENV
        )
        assert res.returncode in (0, 1, 2), res.stderr
        assert "Traceback" not in res.stderr
        assert SECRET not in res.stdout + res.stderr
        assert res.stdout.strip()
    assert listener.connections() == 0


def test_html_parser_settings() -> None:
    """The settings that make the above true, stated where a refactoring would see them."""
    import inspect

    from policylint.parse import html as html_parser

    src = inspect.getsource(html_parser._lxml_parse)
    assert "no_network=True" in src and "huge_tree=False" in src and "HTMLParser" in src
    assert "XMLParser" not in inspect.getsource(html_parser)  # the XML parser would expand entities


# ---------------------------------------------------------------------------------------------
# Regular expressions: adversarial text through the whole pipeline

ADVERSARIAL = h.adversarial_texts(50_000)


@pytest.mark.parametrize("ext", [".md", ".html", ".txt"])
def test_adversarial_text_does_not_slow_the_pipeline(ext: str) -> None:
    """Long runs of "[", ":", "(", "`", "*", "|", spaces, "a", "x_x_", capitalised words,
    "| | |" … (50,000 characters each) through load → parse → extract → checks.

    A guard against hangs, not a benchmark: the whole set takes ~7 s per format on a
    2-core machine; a quadratic regex took minutes on one document."""
    lint("warm-up.md", text=b"# Cookies\n")
    started = time.monotonic()
    slowest = (0.0, "")
    for name, text in ADVERSARIAL.items():
        t = time.monotonic()
        result = lint(f"adversarial{ext}", text=text.encode("utf-8"))
        took = time.monotonic() - t
        slowest = max(slowest, (took, name))
        assert took < 15, (name, took)
        assert not [f for f in result.findings if f.rule == "PL005"], name
        n = text.count("\n") + 1
        assert all(1 <= f.line <= n for f in result.findings), name
    total = time.monotonic() - started
    assert total < 90, (total, slowest)


# Patterns known to be quadratic on text they are never given (anchored or bounded input).
REGEX_ALLOWLIST = {
    "policylint.extraction._SENTENCE_START": "match() on a pseudo-heading of at most 6 words",
    "policylint.extraction._PRONOUN": "match() at the start of one sentence",
    "policylint.extraction.records._KV": "match() on stripped block text: 40 x n steps at worst",
    "policylint.audit._DATED": "match() on a file name (255 bytes at most)",
    "pl207_broken_section_reference._LIST_SEP": "splits the number list of one reference",
    "pl207_broken_section_reference._CITATION": "match() on 90 characters",
    "pl101_unfilled_placeholder._EDITORIAL": "match() on the text inside [...] (120 characters at most)",
}


def _module_patterns() -> dict[str, re.Pattern]:
    from policylint.engine import discover

    modules = [
        importlib.import_module(m.name)
        for m in pkgutil.walk_packages(policylint.__path__, "policylint.")
        if not m.name.endswith("__main__")
    ]
    modules += [r.module for r in discover() if r.module is not None]
    found: dict[str, re.Pattern] = {}

    def collect(obj, name: str, depth: int = 0) -> None:
        if isinstance(obj, re.Pattern):
            found.setdefault(name, obj)
        elif isinstance(obj, (list, tuple)) and depth < 2:
            for i, x in enumerate(obj):
                collect(x, f"{name}[{i}]", depth + 1)
        elif isinstance(obj, dict) and depth < 2:
            for k, x in obj.items():
                collect(x, f"{name}[{k!r}]", depth + 1)

    for mod in modules:
        short = re.sub(r"^policylint\._checks\.(\w+?)_[0-9a-f]{10}$", r"\1", mod.__name__)
        for attr, value in vars(mod).items():
            collect(value, f"{short}.{attr}")
    return found


def _time_scan(rx: re.Pattern, text: str) -> float:
    data = text.encode("utf-8") if isinstance(rx.pattern, bytes) else text
    t = time.perf_counter()
    for _ in rx.finditer(data):
        pass
    return time.perf_counter() - t


def test_no_module_regex_is_superlinear_on_adversarial_runs() -> None:
    """Every compiled pattern of policylint and of the built-in checks, scanned over runs
    of each adversarial unit (alone and behind a heading/list/table/label start): one
    that takes much more than 4x the time on 4x the text is quadratic or worse."""
    patterns = _module_patterns()
    assert len(patterns) > 100
    prefixes = ["", "# a", "| a", "a: ", "Ab "]
    bad = []
    for name, rx in patterns.items():
        base = name.split("[")[0]
        if base in REGEX_ALLOWLIST:
            continue
        for unit in h.ADVERSARIAL_UNITS:
            for pre in prefixes:
                small = pre + unit * max(1, 1500 // len(unit)) + "b"
                t1 = _time_scan(rx, small)
                if t1 < 0.002:
                    continue
                big = pre + unit * max(1, 6000 // len(unit)) + "b"
                t2 = _time_scan(rx, big)
                if t2 > 0.05 and t2 > 8 * t1:
                    bad.append(f"{name} on {pre!r}+{unit!r}*: {t1:.3f}s → {t2:.3f}s  /{rx.pattern[:80]}/")
    assert not bad, "\n".join(bad)


# ---------------------------------------------------------------------------------------------
# Time budget (PL005) through the library API


def test_time_budget_gives_pl005_not_a_hang(tmp_path: Path) -> None:
    checks = tmp_path / "team"
    checks.mkdir()
    (checks / "zz901_slow_check.py").write_text(
        '''"""ZZ901: a check that takes its time."""
import time
CODE = "ZZ901"
NAME = "slow-check"
SEVERITY = "warning"
SUMMARY = "Sleeps."
WHY = BASIS = FIX = "test"
FORMAT = "markdown"
FAILING = PASSING = "# Cookies\\n"
EXPECT = 0


def check(ctx):
    for _ in range(400):
        time.sleep(0.01)
        yield ctx.finding(1, "still here")
''',
        encoding="utf-8",
    )
    started = time.monotonic()
    result = lint(SAMPLES / "cnil-fr.md", config={"extend-checks": [str(checks)], "time-budget": 0.3})
    assert time.monotonic() - started < 3
    pl005 = [f for f in result.findings if f.rule == "PL005"]
    assert pl005 and ("ran out of time" in pl005[0].message or "time budget" in pl005[0].message)


# ---------------------------------------------------------------------------------------------
# --output: atomic, never over an input


def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("command", ["check", "diff"])
def test_interrupted_write_leaves_the_destination_untouched(tmp_path: Path, monkeypatch, command) -> None:
    out = tmp_path / "report.json"
    out.write_text("previous report", encoding="utf-8")
    args = (
        [command, str(SAMPLES / "placeholders.txt")]
        if command == "check"
        else [command, str(SAMPLES / "shop-v1.md"), str(SAMPLES / "shop-v2.md")]
    )

    def interrupted(fd):  # the data is half on disk when the process is stopped
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    _invoke(*args, "--format", "json", "--output", str(out))
    assert out.read_text(encoding="utf-8") == "previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]  # no temporary file left


@pytest.mark.parametrize("command", ["check", "diff"])
def test_a_renderer_that_fails_leaves_the_destination_untouched(tmp_path: Path, monkeypatch, command) -> None:
    out = tmp_path / "report.txt"
    out.write_text("previous report", encoding="utf-8")
    if command == "check":
        import policylint.report as report

        target, args = report, [command, str(SAMPLES / "placeholders.txt")]
    else:
        import policylint.diffing.render as report

        target, args = report, [command, str(SAMPLES / "shop-v1.md"), str(SAMPLES / "shop-v2.md")]

    def broken(*a, **k):
        raise RuntimeError("renderer failed midway")

    monkeypatch.setattr(target, "render", broken)
    res = _invoke(*args, "--output", str(out))
    assert res.exit_code != 0
    assert out.read_text(encoding="utf-8") == "previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]


@pytest.mark.parametrize("command", ["check", "diff"])
@pytest.mark.parametrize("link", ["symlink", "hardlink", "dotted"])
def test_output_never_overwrites_an_input(tmp_path: Path, command: str, link: str) -> None:
    old = tmp_path / "old.md"
    new = tmp_path / "new.md"
    old.write_text((SAMPLES / "shop-v1.md").read_text(encoding="utf-8"), encoding="utf-8")
    new.write_text((SAMPLES / "shop-v2.md").read_text(encoding="utf-8"), encoding="utf-8")
    before = new.read_bytes()
    if link == "symlink":
        out = tmp_path / "out.json"
        out.symlink_to(new)
    elif link == "hardlink":
        out = tmp_path / "out.json"
        os.link(new, out)
    else:
        out = tmp_path / "sub" / ".." / "new.md"
        (tmp_path / "sub").mkdir()
    args = [command, str(new)] if command == "check" else [command, str(old), str(new)]
    res = _invoke(*args, "--output", str(out))
    assert res.exit_code == 2, res.output
    assert new.read_bytes() == before


# ---------------------------------------------------------------------------------------------
# The CLI on every hostile file: exit 0/1/2, no traceback, in time


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("hostile")
    for name, build in {
        "binary.png": h.binary,
        "random.txt": h.random_bytes,
        "empty.md": h.empty,
        "invalid.md": h.invalid_utf8,
        "nul.html": h.nul_bytes,
        "crlf.txt": h.crlf,
        "utf16.html": h.utf16,
        "nested.html": lambda p: h.nested_divs(p, 200_000),
        "unclosed.html": lambda p: h.unclosed_tags(p, 5_000),
        "deep.md": lambda p: h.deep_markdown(p, 20_000),
        "line.html": lambda p: h.single_line(p, 200_000, html=True),
        "line.txt": lambda p: h.single_line(p, 200_000, html=False),
        "adversarial.md": lambda p: p.write_text(
            "\n\n".join(list(ADVERSARIAL.values())[::6]), encoding="utf-8"
        ),
        "dir.md": h.directory,
        "loop.md": h.symlink_loop,
    }.items():
        build(d / name)
    big = d / "huge.html"
    with open(big, "wb") as fh:
        fh.write(b"<html><body><h1>Cookie Policy</h1>")
        fh.truncate(200 * h.MB)
    return d


def _hostile_files(d: Path) -> list[Path]:
    return sorted(p for p in d.iterdir() if not p.name.endswith(".other"))


def _cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    res = subprocess.run(
        [sys.executable, "-m", "policylint", *args], capture_output=True, text=True, timeout=timeout, env=ENV
    )
    assert res.returncode in (0, 1, 2), (args, res.returncode, res.stderr[-2000:])
    assert "Traceback" not in res.stderr, res.stderr[-2000:]
    for line in res.stderr.splitlines():
        assert line.startswith("policylint:"), line  # one-line errors, nothing else
    return res


def test_cli_check_on_hostile_files(hostile_dir: Path) -> None:
    files = [str(p) for p in _hostile_files(hostile_dir)]
    res = _cli("check", "--format", "json", *files)
    data = json.loads(res.stdout)
    assert res.returncode == 2  # the symlink loop cannot be read
    by_name = {Path(f["path"]).name: f for f in data["files"]}
    assert by_name["huge.html"]["findings"][0]["rule"] == "PL006"
    assert by_name["binary.png"]["findings"][0]["rule"] == "PL001"
    assert "symbolic links" in by_name["loop.md"]["error"]
    assert len(data["files"]) == len(files) - 1  # the directory is walked: no policy files in it


def test_cli_check_skips_a_fifo_in_a_walked_directory(tmp_path: Path) -> None:
    """Opening a FIFO blocks until someone writes to it: a walked directory skips it."""
    os.mkfifo(tmp_path / "blocking.md")
    (tmp_path / "policy.md").write_text(
        (SAMPLES / "shop-v1.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    res = _cli("check", "--format", "json", str(tmp_path), timeout=60)
    assert [Path(f["path"]).name for f in json.loads(res.stdout)["files"]] == ["policy.md"]


def test_a_named_fifo_without_writer_reads_as_empty(tmp_path: Path) -> None:
    """Named on the command line, a FIFO nobody writes to is an empty document, not a hang."""
    fifo = tmp_path / "named.md"
    os.mkfifo(fifo)
    for command in ("check", "extract"):
        res = _cli(command, str(fifo), timeout=30)
        assert "PL002" in res.stdout + res.stderr, (command, res.stdout, res.stderr)
    res = _cli("diff", str(SAMPLES / "shop-v1.md"), str(fifo), timeout=30)
    assert res.returncode in (0, 1, 2) and "Traceback" not in res.stderr


def test_cli_extract_on_hostile_files(hostile_dir: Path) -> None:
    files = [str(p) for p in _hostile_files(hostile_dir) if p.name != "dir.md"]
    res = _cli("extract", "--format", "json", *files)
    assert res.returncode == 2  # the symlink loop, the binary file
    data = json.loads(res.stdout)
    unreadable = res.stderr.count(": PL001 ") + res.stderr.count(": PL006 ")
    assert unreadable >= 1 and len(data) == len(files) - 1 - unreadable
    res = subprocess.run(
        [sys.executable, "-m", "policylint", "extract", str(hostile_dir / "dir.md")],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=60,
    )
    assert res.returncode == 2 and "is a directory" in res.stderr and "Traceback" not in res.stderr


def test_cli_diff_on_hostile_files(hostile_dir: Path) -> None:
    started = time.monotonic()
    for p in _hostile_files(hostile_dir):
        res = _cli("diff", "--format", "json", str(SAMPLES / "shop-v1.md"), str(p))
        if res.returncode != 2:
            assert "changes" in json.loads(res.stdout), p.name
    assert time.monotonic() - started < 120


# ---------------------------------------------------------------------------------------------
# Full sizes (pytest -m slow)


# The child reports its own peak RSS at exit. It is started by a shell that forks it:
# Linux counts the memory of the process that exec()s into a child's ru_maxrss, so a
# child spawned straight from pytest would "peak" at pytest's own size.
_MEASURED_CHILD = (
    "import atexit, os, resource, sys\n"
    "atexit.register(lambda: os.write(2, b'\\nPEAK_RSS_KB=%d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
    "sys.argv = ['policylint', *sys.argv[1:]]\n"
    "from policylint.cli import main\n"
    "main()\n"
)


def _run_measured(args: list[str], timeout: float = 900) -> dict:
    """Run ``policylint ARGS`` in a child: exit code, wall time, stdout, peak RSS in MB."""
    argv = ["sh", "-c", '"$@"; rc=$?; exit $rc', "sh", sys.executable, "-c", _MEASURED_CHILD, *args]
    started = time.perf_counter()
    res = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=ENV)
    wall = time.perf_counter() - started
    assert "Traceback" not in res.stderr, res.stderr[-2000:]
    peak = re.search(r"PEAK_RSS_KB=(\d+)", res.stderr)
    return {
        "code": res.returncode,
        "wall": wall,
        "rss_mb": int(peak.group(1)) / 1024 if peak else 0.0,
        "stdout": res.stdout,
    }


@pytest.mark.slow
def test_full_size_200mb_page(tmp_path: Path) -> None:
    path = h.big_page(tmp_path / "page.html", 200 * h.MB)
    res = _run_measured(["check", "--format", "json", str(path)])
    assert json.loads(res["stdout"])["files"][0]["findings"][0]["rule"] == "PL006"
    assert res["wall"] < 10 and res["rss_mb"] < 120, res


@pytest.mark.slow
@pytest.mark.parametrize(
    "name, build, max_wall, max_rss",
    [
        # Peak memory is ~20x the file for a page that is all tables (lxml parsed in pieces).
        ("page50.html", lambda p: h.big_page(p, 50 * h.MB), 400, 1500),
        ("line.html", lambda p: h.single_line(p, 5 * h.MB, html=True), 120, 600),
        ("line.txt", lambda p: h.single_line(p, 5 * h.MB, html=False), 120, 600),
        ("big.md", lambda p: h.big_markdown(p, 20 * h.MB), 400, 1500),
    ],
    ids=["page-50mb", "line-5mb-html", "line-5mb-text", "markdown-20mb"],
)
def test_full_size_is_parsed_in_bounded_memory(tmp_path: Path, name, build, max_wall, max_rss) -> None:
    path = build(tmp_path / name)
    res = _run_measured(["check", "--format", "json", str(path)])
    data = json.loads(res["stdout"])
    assert res["code"] in (0, 1) and data["files"][0]["error"] is None
    assert "PL006" not in {f["rule"] for f in data["files"][0]["findings"]}
    assert res["wall"] < max_wall and res["rss_mb"] < max_rss, res | {"stdout": ""}
