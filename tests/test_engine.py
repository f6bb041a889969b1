"""The check engine: discovery, selection, suppressions, time budget, configuration, ``api.lint``."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest

from policylint import api
from policylint.api import load_bytes
from policylint.checks_api import Context
from policylint.config import Config, ConfigError, config_from_mapping, find_config, load_config, path_matches
from policylint.engine import (
    CheckFileError,
    FileResult,
    Rule,
    builtin_checks_dir,
    discover,
    is_selected,
    load_check_file,
    run_checks,
    suppressions,
    unknown_selectors,
    validate_selectors,
)
from policylint.extraction import extract_policy
from policylint.model import Block, Comment, Document, Finding, Policy

CHECK_TEMPLATE = """\
from policylint.checks_api import Context

CODE = "{code}"
NAME = "{name}"
SEVERITY = "{severity}"
SUMMARY = "A test rule."
WHY = "Because tests need one."
BASIS = "editorial"
FIX = "Nothing to fix."
FORMAT = "markdown"
FAILING = "# Cookies\\n\\nbad\\n"
PASSING = "# Cookies\\n\\ngood\\n"


def check(ctx: Context):
{body}
"""


def write_check(
    directory: Path,
    code: str,
    body: str = "    return ()",
    *,
    name: str = "test-rule",
    severity: str = "warning",
    filename: str | None = None,
) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / (filename or f"{code.lower()}_{name.replace('-', '_')}.py")
    path.write_text(
        CHECK_TEMPLATE.format(
            code=code,
            name=name,
            severity=severity,
            body=textwrap.indent(textwrap.dedent(body).strip("\n"), "    "),
        )
    )
    return path


def doc(
    lines: list[str],
    blocks: list[Block] | None = None,
    comments: list[Comment] | None = None,
    path: str = "policy.md",
) -> Document:
    if blocks is None:
        blocks = [
            Block("paragraph", text, i + 1, end_line=i + 1) for i, text in enumerate(lines) if text.strip()
        ]
    return Document(path=path, format="markdown", lines=lines, blocks=blocks, comments=comments or [])


def every_line_rule(tmp_path: Path, code: str = "ZZ101") -> Rule:
    """A rule that reports every block line: handy to see what suppressions remove."""
    path = write_check(
        tmp_path / "c",
        code,
        """
        for b in ctx.document.blocks:
            yield ctx.finding(b.line, "hit")
    """,
    )
    return load_check_file(path)


# --- discovery ----------------------------------------------------------------------------------------


def test_builtin_checks_are_found_and_sorted():
    rules = discover()
    codes = [r.code for r in rules]
    assert codes == sorted(codes)
    for code in ("PL001", "PL002", "PL003", "PL005", "PL006", "PL007", "PL101", "PL102", "PL103", "PL104"):
        assert code in codes
    assert builtin_checks_dir().name in {"checks", "builtin_checks"}
    pl101 = next(r for r in rules if r.code == "PL101")
    assert pl101.name == "unfilled-placeholder" and pl101.severity == "error" and callable(pl101.func)


def test_extend_checks_adds_team_rules(tmp_path):
    write_check(tmp_path / "team", "ACME101", name="acme-rule")
    rules = discover([tmp_path / "team"])
    assert "ACME101" in [r.code for r in rules]


def test_helper_files_in_check_dirs_are_ignored(tmp_path):
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "_helpers.py").write_text("raise RuntimeError('never imported')\n")
    (tmp_path / "team" / "__init__.py").write_text("")
    write_check(tmp_path / "team", "ACME102")
    assert "ACME102" in [r.code for r in discover([tmp_path / "team"])]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ('CODE = "ZZ101"\n', "missing NAME"),
        (
            CHECK_TEMPLATE.format(code="ZZ101", name="Bad_Name", severity="warning", body="    return ()"),
            "kebab-case",
        ),
        (CHECK_TEMPLATE.format(code="ZZ101", name="ok", severity="fatal", body="    return ()"), "SEVERITY"),
        (
            CHECK_TEMPLATE.format(code="ZZ101", name="ok", severity="warning", body="    return ()").replace(
                "def check", "def not_check"
            ),
            "def check",
        ),
        ("import nonexistent_module_xyz\n", "cannot be imported"),
        ("this is not python\n", "cannot be imported"),
    ],
)
def test_broken_check_files_name_the_file(tmp_path, source, message):
    path = tmp_path / "zz101_broken.py"
    path.write_text(source)
    with pytest.raises(CheckFileError) as err:
        load_check_file(path)
    assert str(path) in str(err.value)
    assert message in str(err.value)


def test_file_name_must_match_code(tmp_path):
    path = write_check(tmp_path, "ZZ101", filename="zz102_other.py")
    with pytest.raises(CheckFileError, match="file name must start with zz101_"):
        load_check_file(path)


def test_duplicate_codes_are_an_error(tmp_path):
    write_check(tmp_path / "a", "PL101", name="dup-rule", filename="pl101_dup_rule.py")
    with pytest.raises(CheckFileError, match="already used"):
        discover([tmp_path / "a"])


def test_missing_extend_dir_is_an_error(tmp_path):
    with pytest.raises(CheckFileError, match="does not exist"):
        discover([tmp_path / "nope"])


# --- selection -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "select", "ignore", "expected"),
    [
        ("PL101", ["ALL"], [], True),
        ("PL101", ["PL1"], [], True),
        ("PL201", ["PL1"], [], False),
        ("PL101", ["PL101"], [], True),
        ("PL102", ["PL101"], [], False),
        ("PL101", ["ALL"], ["PL1"], False),
        ("PL101", ["PL1"], ["PL101"], False),
        ("PL102", ["PL1"], ["PL101"], True),
        ("PL101", ["PL101"], ["PL1"], True),  # the more specific selector wins
        ("PL101", ["PL1"], ["PL1"], False),  # a tie goes to ignore
        ("PL101", [], [], False),
    ],
)
def test_select_ignore_prefixes(code, select, ignore, expected):
    assert is_selected(code, select, ignore) is expected


def test_unknown_selectors_are_reported():
    rules = discover()
    assert unknown_selectors(["PL1", "ALL", "PL999", "XX"], rules) == ["PL999", "XX"]
    with pytest.raises(ConfigError, match="PL1O1"):
        validate_selectors(Config(select=["PL1O1"]), rules)


def test_run_checks_select_and_sort(tmp_path):
    r1 = load_check_file(
        write_check(
            tmp_path / "c",
            "ZZ201",
            'yield ctx.finding(3, "b", column=5)\nyield ctx.finding(1, "a")',
            name="two",
        )
    )
    r2 = load_check_file(
        write_check(tmp_path / "c", "ZZ101", 'yield ctx.finding(3, "c", column=5)', name="one")
    )
    d = doc(["x", "y", "z"])
    found = run_checks(d, Policy("p", "markdown"), Config(), rules=[r1, r2])
    assert [(f.line, f.column, f.rule) for f in found] == [(1, 1, "ZZ201"), (3, 5, "ZZ101"), (3, 5, "ZZ201")]
    only = run_checks(d, Policy("p", "markdown"), Config(select=["ZZ1"]), rules=[r1, r2])
    assert {f.rule for f in only} == {"ZZ101"}


def test_per_file_ignores(tmp_path):
    rule = every_line_rule(tmp_path)
    cfg = config_from_mapping({"per-file-ignores": {"legacy/*.md": ["ZZ1"]}})
    hit = run_checks(doc(["a"], path="legacy/old.md"), Policy("p", "markdown"), cfg, rules=[rule])
    kept = run_checks(doc(["a"], path="current/new.md"), Policy("p", "markdown"), cfg, rules=[rule])
    assert hit == [] and len(kept) == 1


# --- suppression -----------------------------------------------------------------------------------------


def test_disable_enable_range(tmp_path):
    rule = every_line_rule(tmp_path)
    lines = [
        "first",
        "<!-- policylint: disable=ZZ101,PL202 -->",
        "second",
        "third",
        "<!-- policylint: enable=ZZ101 -->",
        "fourth",
    ]
    blocks = [
        Block("paragraph", t, i + 1, end_line=i + 1) for i, t in enumerate(lines) if not t.startswith("<!--")
    ]
    comments = [Comment("policylint: disable=ZZ101,PL202", 2), Comment("policylint: enable=ZZ101", 5)]
    found = run_checks(doc(lines, blocks, comments), Policy("p", "markdown"), Config(), rules=[rule])
    assert [f.line for f in found] == [1, 6]


def test_disable_without_codes_disables_everything_to_the_end(tmp_path):
    rule = every_line_rule(tmp_path)
    lines = ["first", "<!-- policylint: disable -->", "second", "third"]
    blocks = [
        Block("paragraph", t, i + 1, end_line=i + 1) for i, t in enumerate(lines) if not t.startswith("<!--")
    ]
    found = run_checks(
        doc(lines, blocks, [Comment("policylint: disable", 2)]),
        Policy("p", "markdown"),
        Config(),
        rules=[rule],
    )
    assert [f.line for f in found] == [1]


def test_disable_next_line_covers_the_next_block_only(tmp_path):
    rule = every_line_rule(tmp_path)
    lines = ["first", "<!-- policylint: disable-next-line=ZZ101 -->", "", "second", "continued", "", "third"]
    blocks = [
        Block("paragraph", "first", 1, end_line=1),
        Block("paragraph", "second continued", 4, end_line=5),
        Block("paragraph", "third", 7, end_line=7),
    ]
    d = doc(lines, blocks, [Comment("policylint: disable-next-line=ZZ101", 2)])
    found = run_checks(d, Policy("p", "markdown"), Config(), rules=[rule])
    assert [f.line for f in found] == [1, 7]
    assert suppressions(d).ranges == [(4, 5, "ZZ101")]


def test_disable_next_line_after_a_multiline_comment():
    lines = ["<!--", "policylint: disable-next-line=PL101", "-->", "target"]
    d = doc(
        lines,
        [Block("paragraph", "target", 4, end_line=4)],
        [Comment("policylint: disable-next-line=PL101", 1)],
    )
    assert suppressions(d).ranges == [(4, 4, "PL101")]


def test_directive_comments_and_typos():
    lines = ["<!-- x -->", "a", "<!-- y -->", "b"]
    blocks = [Block("paragraph", "a", 2, end_line=2), Block("paragraph", "b", 4, end_line=4)]
    d = doc(
        lines,
        blocks,
        [
            Comment("policylint: disable=PL101, PL2 -- template example", 1),
            Comment("policylint: disable=pl-101", 3),
        ],
    )
    assert suppressions(d).events == [(1, "disable", ("PL101", "PL2"))]


def test_enable_one_code_after_disabling_all(tmp_path):
    rule = every_line_rule(tmp_path)
    other = load_check_file(
        write_check(
            tmp_path / "c",
            "ZZ102",
            """
        for b in ctx.document.blocks:
            yield ctx.finding(b.line, "other")
    """,
            name="other",
        )
    )
    lines = ["first", "<!-- -->", "second", "<!-- -->", "third", "<!-- -->", "fourth"]
    blocks = [Block("paragraph", t, i + 1, end_line=i + 1) for i, t in enumerate(lines) if t != "<!-- -->"]
    comments = [
        Comment("policylint: disable", 2),
        Comment("policylint: enable=ZZ101", 4),
        Comment("policylint: enable", 6),
    ]
    found = run_checks(doc(lines, blocks, comments), Policy("p", "markdown"), Config(), rules=[rule, other])
    assert [(f.line, f.rule) for f in found] == [
        (1, "ZZ101"),
        (1, "ZZ102"),
        (5, "ZZ101"),
        (7, "ZZ101"),
        (7, "ZZ102"),
    ]


def test_other_codes_are_not_suppressed(tmp_path):
    rule = every_line_rule(tmp_path)
    lines = ["<!-- policylint: disable=PL101 -->", "text"]
    d = doc(lines, [Block("paragraph", "text", 2, end_line=2)], [Comment("policylint: disable=PL101", 1)])
    assert len(run_checks(d, Policy("p", "markdown"), Config(), rules=[rule])) == 1


def test_file_header_disable_covers_document_level_findings():
    lines = ["<!-- policylint: disable=PL003 -->", "", "# Title", "text"]
    d = doc(
        lines,
        [Block("heading", "Title", 3, end_line=3, level=1), Block("paragraph", "text", 4, end_line=4)],
        [Comment("policylint: disable=PL003", 1)],
    )
    assert suppressions(d).covers(Finding("PL003", "n", "error", "m", line=1))


def test_suppression_in_real_markdown_html_and_text():
    md = "# Cookies\n\n<!-- policylint: disable-next-line=PL101 -->\nRetention: [TO BE COMPLETED]\n\nAgain [TBD].\n"
    found = api.lint("p.md", text=md, config=Config(select=["PL101"])).findings
    assert [f.line for f in found] == [6]
    html = (
        "<html><body><h1>Cookies</h1><!-- policylint: disable=PL101 --><p>Kept [TBD] days.</p></body></html>"
    )
    assert api.lint("p.html", text=html, config=Config(select=["PL101"])).findings == []
    txt = "COOKIES\n\n# policylint: disable=PL101\nKept [TBD] days.\n\n# policylint: enable=PL101\nAgain [TBD].\n"
    found = api.lint("p.txt", text=txt, config=Config(select=["PL101"])).findings
    assert [f.line for f in found] == [7]


# --- failures and the time budget ---------------------------------------------------------------------------


def test_a_raising_check_gives_pl005_and_the_others_still_run(tmp_path):
    bad = load_check_file(write_check(tmp_path / "c", "ZZ101", 'raise ValueError("boom")', name="bad"))
    good = load_check_file(write_check(tmp_path / "c", "ZZ102", 'yield ctx.finding(1, "ok")', name="good"))
    found = run_checks(doc(["x"]), Policy("p", "markdown"), Config(), rules=[bad, good])
    assert [f.rule for f in found] == ["PL005", "ZZ102"]
    assert "check ZZ101 failed" in found[0].message and "ValueError: boom" in found[0].message
    assert "Traceback" not in found[0].message


def test_a_check_yielding_garbage_gives_pl005(tmp_path):
    bad = load_check_file(write_check(tmp_path / "c", "ZZ101", 'yield "not a finding"', name="bad"))
    found = run_checks(doc(["x"]), Policy("p", "markdown"), Config(), rules=[bad])
    assert [f.rule for f in found] == ["PL005"] and "TypeError" in found[0].message


def test_time_budget_skips_the_remaining_checks(tmp_path):
    slow = load_check_file(
        write_check(tmp_path / "c", "ZZ101", "import time\ntime.sleep(0.05)\nreturn ()", name="slow")
    )
    after = load_check_file(
        write_check(tmp_path / "c", "ZZ102", 'yield ctx.finding(1, "late")', name="after")
    )
    started = time.monotonic()
    found = run_checks(doc(["x"]), Policy("p", "markdown"), Config(time_budget=0.01), rules=[slow, after])
    assert time.monotonic() - started < 1
    assert [f.rule for f in found] == ["PL005"]
    assert "ZZ101 ran out of time" in found[0].message and "ZZ102" in found[0].message


def test_time_budget_stops_a_generator_check(tmp_path):
    slow = load_check_file(
        write_check(
            tmp_path / "c",
            "ZZ101",
            """
        import time
        for i in range(1000):
            time.sleep(0.005)
            yield ctx.finding(1, f"hit {i}")
    """,
            name="slow",
        )
    )
    found = run_checks(doc(["x"]), Policy("p", "markdown"), Config(time_budget=0.02), rules=[slow])
    assert 0 < len(found) < 50
    assert any(f.rule == "PL005" and "ran out of time" in f.message for f in found)


def test_budget_spent_before_a_check_starts(tmp_path):
    a = load_check_file(write_check(tmp_path / "c", "ZZ101", "return ()", name="a"))
    b = load_check_file(write_check(tmp_path / "c", "ZZ102", "return ()", name="b"))
    ticks = iter([0.0, 10.0, 10.0, 10.0, 10.0])
    found = run_checks(
        doc(["x"]), Policy("p", "markdown"), Config(time_budget=5), rules=[a, b], clock=lambda: next(ticks)
    )
    assert [f.rule for f in found] == ["PL005"]
    assert "ZZ102" in found[0].message


def test_pl005_can_be_ignored(tmp_path):
    bad = load_check_file(write_check(tmp_path / "c", "ZZ101", 'raise ValueError("boom")', name="bad"))
    assert run_checks(doc(["x"]), Policy("p", "markdown"), Config(ignore=["PL005"]), rules=[bad]) == []


# --- configuration ------------------------------------------------------------------------------------------


def test_pyproject_config(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        textwrap.dedent("""
        [project]
        name = "legal-docs"

        [tool.policylint]
        select = ["PL1", "PL2"]
        ignore = ["PL203"]
        severity = "error"
        extend-checks = ["lint/checks"]
        exclude = ["drafts/**"]
        format = "json"
        time-budget = 2.5

        [tool.policylint.per-file-ignores]
        "legacy/*.html" = ["PL104"]
    """)
    )
    sub = tmp_path / "policies" / "en"
    sub.mkdir(parents=True)
    assert find_config(sub) == tmp_path / "pyproject.toml"
    cfg = load_config(search_from=str(sub))
    assert cfg.select == ["PL1", "PL2"] and cfg.ignore == ["PL203"] and cfg.severity == "error"
    assert cfg.extend_checks == [tmp_path.resolve() / "lint" / "checks"]
    assert cfg.exclude == ["drafts/**"] and cfg.format == "json" and cfg.time_budget == 2.5
    assert cfg.per_file_ignores == {"legacy/*.html": ["PL104"]}
    assert cfg.ignored_for(str(tmp_path / "legacy" / "old.html")) == ["PL104"]
    assert cfg.excluded(str(tmp_path / "drafts" / "a" / "b.md"))
    assert not cfg.excluded(str(tmp_path / "policies" / "b.md"))


def test_policylint_toml_wins_and_pyproject_without_table_is_skipped(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.policylint]\nselect = ["PL2"]\n')
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_config(inner) == tmp_path / "pyproject.toml"
    (inner / ".policylint.toml").write_text('select = ["PL1"]\n')
    assert find_config(inner) == inner / ".policylint.toml"
    assert load_config(search_from=str(inner)).select == ["PL1"]


@pytest.mark.parametrize(
    "body",
    [
        '[tool.policylint\nselect = ["PL1"]\n',  # unclosed header
        '[tool.policylint]\nselect = ["PL1"]\nselect = ["PL2"]\n',  # duplicate key
        '[project]\nname = "x"\n\n[tool.policylint.per-file-ignores\n"a.md" = ["PL104"]\n',
        'tool.policylint.select = ["PL1"\n',  # dotted key, unclosed array
    ],
)
def test_broken_pyproject_with_our_table_is_reported_not_skipped(tmp_path, body):
    # Skipping it would lint with the defaults and let CI pass or fail for the wrong reason.
    (tmp_path / "pyproject.toml").write_text(body)
    assert find_config(tmp_path) == tmp_path / "pyproject.toml"
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(search_from=str(tmp_path))


def test_broken_pyproject_of_another_tool_is_skipped(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.policylint]\nselect = ["PL2"]\n')
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[tool.black\nline-length = 99\n# tool.policylint is elsewhere\n")
    assert find_config(inner) == tmp_path / "pyproject.toml"


def test_empty_select_is_an_error(tmp_path):
    from policylint.engine import discover, validate_selectors

    (tmp_path / "pyproject.toml").write_text("[tool.policylint]\nselect = []\n")
    cfg = load_config(search_from=str(tmp_path))
    with pytest.raises(ConfigError, match="select: empty, so no rule would run") as err:
        validate_selectors(cfg, discover())
    assert str(tmp_path / "pyproject.toml") in str(err.value)


def test_no_config_gives_defaults(tmp_path):
    cfg = load_config(search_from=str(tmp_path))
    if cfg.path is None:  # (a configuration above the temp dir would be picked up: fine)
        assert cfg.select == ["ALL"] and cfg.severity == "warning" and cfg.time_budget == 5.0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[tool.policylint]\nselct = ["PL1"]\n', "unknown key 'selct'"),
        ('[tool.policylint]\nseverity = "fatal"\n', "'severity' must be one of"),
        ('[tool.policylint]\nformat = "xml"\n', "'format' must be one of"),
        ("[tool.policylint]\nselect = [1]\n", "'select' must be a list of strings"),
        ('[tool.policylint]\nselect = ["PL-1"]\n', "not a rule code"),
        ("[tool.policylint]\ntime-budget = -1\n", "positive number"),
        ('[tool.policylint]\nper-file-ignores = ["x"]\n', "per-file-ignores"),
        ("[tool.policylint\n", "invalid TOML"),
    ],
)
def test_config_errors_are_clear(tmp_path, body, message):
    path = tmp_path / "pyproject.toml"
    path.write_text(body)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert message in str(err.value) and str(path) in str(err.value)


def test_explicit_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_config(tmp_path / "nope.toml")


def test_path_matches():
    assert path_matches("docs/legacy/a.html", "legacy/*.html") is False
    assert path_matches("docs/legacy/a.html", "docs/legacy/*.html")
    assert path_matches("docs/legacy/a.html", "*.html")
    assert path_matches("docs/drafts/x/y.md", "drafts")
    assert path_matches("./docs/a.md", "docs/*")


# --- api.lint ---------------------------------------------------------------------------------------------


def test_lint_missing_file_and_directory(tmp_path):
    r = api.lint(tmp_path / "nope.md")
    assert isinstance(r, FileResult) and r.findings == [] and r.format is None
    assert r.error == f"{tmp_path / 'nope.md'}: no such file"
    assert "is a directory" in api.lint(tmp_path).error


def test_lint_text_bytes_and_dict_config():
    r = api.lint("cookies.md", text="# Cookies\n\nKept for [TBD] days.\n", config={"select": ["PL101"]})
    assert r.error is None and r.format == "markdown" and [f.rule for f in r.findings] == ["PL101"]
    rb = api.lint(
        "cookies.md", text=b"# Cookies\n\nKept for [TBD]\x00 days.\n", config={"select": ["PL1", "PL007"]}
    )
    assert {f.rule for f in rb.findings} == {"PL101", "PL007"}


def test_lint_binary_and_empty_files(tmp_path):
    png = tmp_path / "cookies.html"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    assert [f.rule for f in api.lint(png).findings] == ["PL001"]
    empty = tmp_path / "empty.md"
    empty.write_text("")
    assert [f.rule for f in api.lint(empty, config={"select": ["PL0"]}).findings] == ["PL002"]


def test_lint_is_the_package_level_api():
    import policylint

    assert policylint.lint is api.lint


def test_api_functions_survive_importing_the_pipeline(tmp_path):
    # Importing every stage binds subpackage names on `policylint`; none may hide an API function.
    import importlib

    import policylint

    for module in ("extraction", "diffing", "diffing.render", "parse", "report", "audit", "engine"):
        importlib.import_module(f"policylint.{module}")
    for name in policylint.__all__[1:]:
        assert callable(getattr(policylint, name)), name
    old = tmp_path / "old.md"
    new = tmp_path / "new.md"
    old.write_text("# Cookies\n\n| Name | Purpose | Duration |\n|---|---|---|\n| sid | session | session |\n")
    new.write_text(old.read_text() + "| _fbp | advertising | 3 months |\n")
    assert [i.name for i in policylint.extract(new).cookies] == ["sid", "_fbp"]
    assert policylint.diff(old, new).material


def test_a_check_file_named_otherwise_is_an_error_not_ignored(tmp_path):
    write_check(tmp_path / "team", "ACME103", filename="mycheck.py")
    with pytest.raises(CheckFileError, match="named after its code"):
        discover([tmp_path / "team"])


def test_a_slow_team_check_cannot_switch_off_the_builtin_checks(tmp_path):
    # Built-in checks run first, and a document whose checks did not all run fails (PL005 error).
    slow = write_check(tmp_path / "team", "ACME101", "import time\ntime.sleep(0.05)\nreturn ()", name="slow")
    write_check(tmp_path / "team", "ACME102", 'yield ctx.finding(1, "late")', name="after")
    rules = discover([tmp_path / "team"])
    assert rules[0].path == slow  # sorted by code: ACME before PL
    text = "# Cookie Policy\n\nLast updated: [INSERT DATE]\n"
    d = load_bytes("p.md", text.encode())
    found = run_checks(d, extract_policy(d), Config(time_budget=0.02, extend_checks=[]), rules=rules)
    assert "PL101" in {f.rule for f in found}
    (budget,) = [f for f in found if f.rule == "PL005"]
    assert budget.severity == "error" and "ACME101 ran out of time" in budget.message
    assert "skipped: ACME102" in budget.message


def test_excerpts_show_text_not_markup():
    html = (
        '<html><body><div style="x"><h1>Cookie Policy</h1>\n'
        "<table><tr><th></th><th>Name</th><th>Duration</th></tr>\n"
        "<tr><td></td><td>sid</td><td>1 day</td></tr></table></div></body></html>\n"
    )
    d = load_bytes("p.html", html.encode())
    ctx = Context(document=d, policy=extract_policy(d), code="ZZ101", name="x")
    assert ctx.finding(1, "m", excerpt=d.lines[0]).excerpt == "Cookie Policy"
    assert ctx.finding(2, "m", excerpt=d.lines[1]).excerpt == " | Name | Duration"
    assert ctx.finding(1, "m", excerpt="plain text").excerpt == "plain text"


def test_a_check_stuck_in_a_loop_is_stopped_by_the_budget(tmp_path):
    stuck = load_check_file(write_check(tmp_path / "c", "ZZ101", "while True:\n    pass", name="stuck"))
    after = load_check_file(
        write_check(tmp_path / "c", "ZZ102", 'yield ctx.finding(1, "late")', name="after")
    )
    started = time.monotonic()
    found = run_checks(doc(["x"]), Policy("p", "markdown"), Config(time_budget=0.2), rules=[stuck, after])
    assert time.monotonic() - started < 5
    (budget,) = found
    assert budget.rule == "PL005" and "ZZ101 ran out of time" in budget.message and "ZZ102" in budget.message


def test_pl005_is_shown_even_when_not_selected(tmp_path):
    slow = load_check_file(
        write_check(tmp_path / "c", "ACME101", "import time\ntime.sleep(0.2)\nreturn ()", name="s")
    )
    nxt = load_check_file(write_check(tmp_path / "c", "ACME102", "return ()", name="n"))
    config = Config(time_budget=0.05, select=["ACME"])
    found = run_checks(doc(["x"]), Policy("p", "markdown"), config, rules=[slow, nxt])
    assert [f.rule for f in found] == ["PL005"]
    config.ignore = ["PL005"]  # an explicit ignore is the user's choice
    assert run_checks(doc(["x"]), Policy("p", "markdown"), config, rules=[slow, nxt]) == []


def test_markdown_table_row_excerpt_is_the_parsed_row():
    text = "# Cookies\n\n| Name | Duration |\n|---|---|\n| **\\_dc\\_gtm\\_UA-** | 1 minute |\n"
    d = load_bytes("p.md", text.encode())
    ctx = Context(document=d, policy=extract_policy(d), code="ZZ101", name="x")
    assert ctx.finding(5, "m", excerpt=d.lines[4]).excerpt == "_dc_gtm_UA- | 1 minute"


def test_the_budget_timer_leaves_a_host_programs_timer_alone(tmp_path):
    import signal

    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timers here")
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(1))
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        quick = load_check_file(write_check(tmp_path / "c", "ZZ101", "return ()", name="quick"))
        run_checks(doc(["x"]), Policy("p", "markdown"), Config(time_budget=5), rules=[quick])
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 20  # still the host's timer
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert fired == []
