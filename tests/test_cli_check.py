"""``policylint check`` and ``policylint rules`` through click's CliRunner."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from policylint.cli import cli

CLEAN = """\
# Cookie policy

Last updated: 3 March 2025

Acme Ltd ("we", 1 Main Street, Bristol) runs acme.example. Questions: privacy@acme.example.

## Cookies we use

These cookies are strictly necessary for the site to work, so we set them without asking.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| acme_session | Acme | Keeps you signed in | Session |
"""

BROKEN = CLEAN.replace("3 March 2025", "[INSERT DATE]")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """A small legal-docs repo, and the working directory set to it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "docs"\n')  # no [tool.policylint]: defaults
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "clean.md").write_text(CLEAN)
    (tmp_path / "policies" / "broken.md").write_text(BROKEN)
    (tmp_path / "policies" / "notes.rst").write_text("not a policy format")
    (tmp_path / "policies" / ".hidden").mkdir()
    (tmp_path / "policies" / ".hidden" / "skip.md").write_text(BROKEN)
    (tmp_path / "policies" / "drafts").mkdir()
    (tmp_path / "policies" / "drafts" / "wip.md").write_text(BROKEN)
    return tmp_path


def invoke(runner: CliRunner, *args: str, **kw):
    return runner.invoke(cli, ["check", *args], catch_exceptions=False, **kw)


def test_clean_file_exits_0(runner, tree):
    r = invoke(runner, "policies/clean.md", "--select", "PL1")
    assert r.exit_code == 0, r.output
    assert r.output == "No findings in 1 file.\n"


def test_findings_exit_1(runner, tree):
    r = invoke(runner, "policies/broken.md", "--select", "PL1")
    assert r.exit_code == 1
    assert 'policies/broken.md:3:15: PL101 [error] Unfilled placeholder "[INSERT DATE]"' in r.output
    assert r.output.rstrip().endswith("Found 1 finding (1 error, 0 warnings) in 1 file.")


def test_severity_threshold(runner, tree):
    (tree / "policies" / "warn.md").write_text(
        CLEAN.replace("| Session |", "|  |") + "| b | Acme | x | 1 day |\n| c | Acme | y | 2 days |\n"
    )
    r = invoke(runner, "policies/warn.md", "--select", "PL104")
    assert r.exit_code == 1 and "PL104 [warning]" in r.output
    assert invoke(runner, "policies/warn.md", "--select", "PL104", "--severity", "error").exit_code == 0


def test_directory_walk_is_sorted_and_skips_hidden_and_other_extensions(runner, tree):
    r = invoke(runner, "policies", "--select", "PL101", "--format", "json")
    data = json.loads(r.output)
    paths = [f["path"] for f in data["files"]]
    assert paths == [
        os.path.join("policies", "broken.md"),
        os.path.join("policies", "clean.md"),
        os.path.join("policies", "drafts", "wip.md"),
    ]
    assert r.exit_code == 1


def test_exclude_from_config(runner, tree):
    (tree / ".policylint.toml").write_text('exclude = ["drafts"]\nselect = ["PL101"]\n')
    data = json.loads(invoke(runner, "policies", "--format", "json").output)
    assert [os.path.basename(f["path"]) for f in data["files"]] == ["broken.md", "clean.md"]


def test_select_ignore_options(runner, tree):
    r = invoke(runner, "policies/broken.md", "--select", "PL1,PL2", "--ignore", "PL101", "--ignore", "PL2")
    assert r.exit_code == 0, r.output
    r = invoke(runner, "policies/broken.md", "--select", "pl101")
    assert r.exit_code == 1


def test_unknown_rule_selector_exits_2(runner, tree):
    r = invoke(runner, "policies/broken.md", "--select", "PL1O1")
    assert r.exit_code == 2 and "no rule matches PL1O1" in r.output


@pytest.mark.parametrize(
    "args", [("--ignore", "ALL"), ("--ignore", "PL"), ("--select", "PL1", "--ignore", "PL1")]
)
def test_ignoring_every_rule_exits_2(runner, tree, args):
    r = invoke(runner, "policies/broken.md", *args)
    assert r.exit_code == 2 and "leave no rule to run" in r.output


def test_empty_select_exits_2(runner, tree):
    r = invoke(runner, "policies/broken.md", "--select", "")
    assert r.exit_code == 2 and "select: empty, so no rule would run" in r.output


def test_missing_file_exits_2_after_reporting_the_others(runner, tree):
    r = invoke(runner, "nope.md", "policies/broken.md", "--select", "PL1")
    assert r.exit_code == 2
    assert "PL101" in r.output
    assert "policylint: error: nope.md: no such file" in r.output


def test_missing_file_in_json(runner, tree):
    r = invoke(runner, "nope.md", "--format", "json")
    assert r.exit_code == 2
    data = json.loads(r.output[: r.output.rindex("}") + 1])
    assert data["files"] == [
        {"path": "nope.md", "format": None, "findings": [], "error": "nope.md: no such file"}
    ]


def test_no_paths_is_a_usage_error(runner, tree):
    r = invoke(runner)
    assert r.exit_code == 2 and "give the files or directories" in r.output


def test_config_errors_exit_2(runner, tree):
    (tree / ".policylint.toml").write_text("selct = ['PL1']\n")
    r = invoke(runner, "policies/clean.md")
    assert r.exit_code == 2 and "unknown key 'selct'" in r.output
    r = invoke(runner, "policies/clean.md", "--config", "missing.toml")
    assert r.exit_code == 2 and "no such configuration file" in r.output


def test_config_file_option(runner, tree):
    (tree / "strict.toml").write_text('select = ["PL101"]\nseverity = "error"\nformat = "github"\n')
    r = invoke(runner, "policies/broken.md", "--config", "strict.toml")
    assert r.exit_code == 1 and r.output.startswith("::error file=policies/broken.md,line=3,")


def test_stdin(runner, tree):
    r = invoke(runner, "-", "--stdin-filename", "cookies.md", "--select", "PL1", input=BROKEN.encode())
    assert r.exit_code == 1 and r.output.startswith("cookies.md:3:15: PL101")
    r = invoke(runner, "-", "--select", "PL1", input=CLEAN.encode())
    assert r.exit_code == 0
    r = invoke(
        runner,
        "--stdin-filename",
        "c.html",
        "--select",
        "PL101",
        "--format",
        "json",
        input=b"<h1>Cookies</h1><p>Kept [TBD] days.</p>",
    )
    data = json.loads(r.output)
    assert data["files"][0]["path"] == "c.html" and data["files"][0]["format"] == "html"


def test_output_file_is_written_atomically(runner, tree):
    r = invoke(
        runner, "policies/broken.md", "--select", "PL1", "--format", "sarif", "--output", "out/report.sarif"
    )
    assert r.exit_code == 2  # the directory does not exist
    (tree / "out").mkdir()
    (tree / "out" / "report.sarif").write_text("old")
    r = invoke(
        runner, "policies/broken.md", "--select", "PL1", "--format", "sarif", "--output", "out/report.sarif"
    )
    assert r.exit_code == 1 and r.output == ""
    log = json.loads((tree / "out" / "report.sarif").read_text())
    assert log["version"] == "2.1.0" and log["runs"][0]["results"][0]["ruleId"] == "PL101"
    assert sorted(os.listdir(tree / "out")) == ["report.sarif"]  # no temporary file left behind


def test_output_refuses_to_overwrite_an_input(runner, tree):
    before = (tree / "policies" / "broken.md").read_text()
    r = invoke(runner, "policies", "--output", "policies/broken.md")
    assert r.exit_code == 2 and "is one of the files being checked" in r.output
    assert (tree / "policies" / "broken.md").read_text() == before
    r = invoke(runner, "policies/clean.md", "--output", "./policies/../policies/clean.md")
    assert r.exit_code == 2


def test_quiet(runner, tree):
    r = invoke(runner, "policies/broken.md", "--select", "PL1", "-q")
    assert r.exit_code == 1
    assert r.output.strip().splitlines() == [
        'policies/broken.md:3:15: PL101 [error] Unfilled placeholder "[INSERT DATE]": replace it with the real '
        "text before publishing."
    ]


def test_help_teaches(runner):
    r = runner.invoke(cli, ["check", "--help"])
    assert r.exit_code == 0
    for text in (
        "--select",
        "--stdin-filename",
        "disable-next-line",
        "Exit codes",
        "policylint check policies/",
    ):
        assert text in r.output


# --- rules ----------------------------------------------------------------------------------------------


def test_rules_list(runner):
    r = runner.invoke(cli, ["rules"], catch_exceptions=False)
    assert r.exit_code == 0
    assert r.output.splitlines()[0].split() == ["CODE", "NAME", "SEVERITY", "SUMMARY"]
    assert any(line.startswith("PL101  unfilled-placeholder") for line in r.output.splitlines())


def test_rules_json(runner):
    data = json.loads(runner.invoke(cli, ["rules", "--format", "json"]).output)
    pl101 = next(d for d in data if d["code"] == "PL101")
    assert set(pl101) >= {"code", "name", "severity", "summary", "why", "basis", "fix", "failing", "passing"}


def test_rules_one(runner):
    r = runner.invoke(cli, ["rules", "PL103"], catch_exceptions=False)
    assert r.exit_code == 0
    for heading in (
        "PL103 dangling-list-intro",
        "Why it matters",
        "Basis",
        "How to fix",
        "Failing example",
        "Passing example",
    ):
        assert heading in r.output
    assert runner.invoke(cli, ["rules", "unfilled-placeholder"]).output.startswith("PL101")
    fam = runner.invoke(cli, ["rules", "PL0"]).output
    assert "PL001" in fam and "PL007" in fam and "PL101" not in fam


def test_rules_unknown(runner):
    r = runner.invoke(cli, ["rules", "PL999"])
    assert r.exit_code == 2 and "no rule 'PL999'" in r.output


def test_command_modules_do_not_import_parsers():
    import subprocess
    import sys

    code = (
        "import sys, policylint.commands.check, policylint.commands.rules; "
        "print(any(m.startswith(('lxml', 'markdown_it', 'bs4')) for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert out.stdout.strip() == "False"


def test_directory_without_policies_is_an_error(runner, tree):
    (tree / "empty").mkdir()
    r = invoke(runner, "empty")
    assert r.exit_code == 2 and "no policy files" in r.stderr


def test_excluded_files_only_is_nothing_to_do(runner, tree):
    (tree / ".policylint.toml").write_text('exclude = ["policies/drafts/**"]\n')
    r = invoke(runner, "policies/drafts/wip.md")
    assert r.exit_code == 0 and "excluded" in r.stderr and r.stdout == ""


def test_missing_file_prints_no_empty_summary(runner, tree):
    r = invoke(runner, "nope.md")
    assert r.exit_code == 2 and r.stdout == "" and "nope.md: no such file" in r.stderr


def test_output_never_overwrites_the_file_named_by_stdin_filename(runner, tree):
    before = (tree / "policies" / "broken.md").read_text()
    r = invoke(
        runner, "-", "--stdin-filename", "policies/broken.md", "--output", "policies/broken.md", input=before
    )
    assert r.exit_code == 2 and "is one of the files being checked" in r.stderr
    assert (tree / "policies" / "broken.md").read_text() == before


def test_directory_walk_skips_repository_files(runner, tree):
    """README, CHANGELOG, LICENSE… in a walked directory are not policies; named, they are linted."""
    for name in (
        "README.md",
        "CHANGELOG.markdown",
        "LICENSE.txt",
        "Code_Of_Conduct.md",
        "drafts/readme.fr.md",
    ):
        (tree / "policies" / name).write_text(BROKEN)
    data = json.loads(invoke(runner, "policies", "--select", "PL101", "--format", "json").output)
    assert [os.path.basename(f["path"]) for f in data["files"]] == ["broken.md", "clean.md", "wip.md"]
    r = invoke(runner, "policies/README.md", "--select", "PL101")
    assert r.exit_code == 1 and "policies/README.md:3:15: PL101" in r.output
