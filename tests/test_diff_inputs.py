"""Inputs of `policylint diff`: two files, --git REV FILE, --patch PATCH TARGET; and the CLI contract."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from policylint.cli import cli
from policylint.diffing.inputs import DiffInputError, versions_from_git, versions_from_patch

OLD = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

## Analytics cookies

We set these cookies only with your consent.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| _ga | Google | Distinguishes visitors | 13 months |
| _gid | Google | Distinguishes visitors | 1 day |
"""

NEW = OLD.replace("13 months", "25 months").replace("3 March 2025", "1 June 2025")
EDITORIAL = OLD.replace("Questions:", "You can reach us at")

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")


def run(*args: str, cwd: Path | None = None, input: str | None = None):
    runner = CliRunner()
    old = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        return runner.invoke(cli, ["diff", *args], input=input, catch_exceptions=False)
    finally:
        os.chdir(old)


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    out = subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True)
    return out.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    r = tmp_path / "legal"
    (r / "policies").mkdir(parents=True)
    git(r, "init", "-q", "-b", "main")
    (r / "policies" / "cookies.md").write_text(OLD, encoding="utf-8")
    git(r, "add", ".")
    git(r, "commit", "-q", "-m", "v1")
    (r / "policies" / "cookies.md").write_text(NEW, encoding="utf-8")
    return r


# --- two files ------------------------------------------------------------------------------------


def test_two_files_material_exit_1_json_contract(tmp_path):
    (tmp_path / "a.md").write_text(OLD)
    (tmp_path / "b.md").write_text(NEW)
    res = run(str(tmp_path / "a.md"), str(tmp_path / "b.md"), "--format", "json")
    assert res.exit_code == 1, res.output
    data = json.loads(res.output)
    assert {"old", "new", "material", "changes"} <= data.keys()
    assert data["material"] is True
    for c in data["changes"]:
        assert {"kind", "subject", "material", "reason", "old_line", "new_line"} <= c.keys()
    longer = [c for c in data["changes"] if c["kind"] == "duration_longer"]
    assert longer and longer[0]["subject"] == "_ga" and longer[0]["old_line"] == 13
    assert data["old_date"] == "2025-03-03" and data["new_date"] == "2025-06-01"
    assert isinstance(data["findings"], list)


def test_two_files_editorial_exit_0(tmp_path):
    (tmp_path / "a.md").write_text(OLD)
    (tmp_path / "b.md").write_text(EDITORIAL)
    res = run(str(tmp_path / "a.md"), str(tmp_path / "b.md"))
    assert res.exit_code == 0, res.output
    assert "EDITORIAL" in res.output


def test_same_file_exit_0_no_change(tmp_path):
    (tmp_path / "a.md").write_text(OLD)
    res = run(str(tmp_path / "a.md"), str(tmp_path / "a.md"))
    assert res.exit_code == 0 and "NO CHANGE" in res.output


@pytest.mark.parametrize(
    "args,needle",
    [
        ((), "OLD and NEW"),
        (("one.md",), "OLD and NEW"),
        (("a", "b", "c"), "OLD and NEW"),
        (("--git", "HEAD", "a.md", "b.md"), "one FILE"),
        (("--patch", "p.diff"), "one TARGET"),
        (("--git", "HEAD", "--patch", "p", "a.md"), "cannot be used together"),
        (("--format", "pdf", "a", "b"), "pdf"),
    ],
)
def test_usage_errors_exit_2(args, needle):
    res = run(*args)
    assert res.exit_code == 2
    assert needle in res.output


def test_one_version_from_standard_input(tmp_path):
    (tmp_path / "a.md").write_text(OLD)
    (tmp_path / "b.md").write_text(NEW)
    res = run(str(tmp_path / "a.md"), "-", "--format", "json", input=NEW)
    assert res.exit_code == 1, res.output
    data = json.loads(res.output)
    assert data["new"] == "<stdin>" and any(c["kind"] == "duration_longer" for c in data["changes"])
    res = run("-", str(tmp_path / "b.md"), input=OLD)
    assert res.exit_code == 1 and "<stdin> → " in res.output
    res = run("-", "-", input=OLD)
    assert res.exit_code == 2 and "only one of OLD and NEW can be -" in res.output


def test_missing_file_exit_2_one_line(tmp_path):
    res = run(str(tmp_path / "nope.md"), str(tmp_path / "nope2.md"))
    assert res.exit_code == 2
    err = res.output.strip()
    assert err.startswith("policylint: error:") and "no such file" in err and "\n" not in err
    assert "Traceback" not in res.output


def test_output_written_atomically_and_never_over_an_input(tmp_path):
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text(OLD)
    b.write_text(NEW)
    out = tmp_path / "report.html"
    res = run(str(a), str(b), "--format", "html", "--output", str(out))
    assert res.exit_code == 1 and res.output == ""
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    res = run(str(a), str(b), "--output", str(b))
    assert res.exit_code == 2 and "is one of the inputs" in res.output
    assert b.read_text() == NEW


# --- --git ----------------------------------------------------------------------------------------


@needs_git
def test_git_rev_against_work_tree(repo):
    old, new = versions_from_git("HEAD", str(repo / "policies" / "cookies.md"))
    assert old.name == "HEAD:policies/cookies.md" and old.document is not None
    assert "13 months" in "\n".join(old.document.lines)
    assert "25 months" in "\n".join(new.document.lines)


@needs_git
def test_git_cli_relative_path_from_subdirectory(repo):
    res = run("--git", "HEAD", "cookies.md", "--format", "json", cwd=repo / "policies")
    assert res.exit_code == 1, res.output
    data = json.loads(res.output)
    assert data["old"] == "HEAD:policies/cookies.md" and data["new"] == "cookies.md"
    assert any(c["kind"] == "duration_longer" for c in data["changes"])


@needs_git
def test_git_file_absent_at_rev_is_all_added(repo):
    (repo / "policies" / "new.md").write_text(OLD)
    old, new = versions_from_git("HEAD", str(repo / "policies" / "new.md"))
    assert old.document is None
    res = run("--git", "HEAD", str(repo / "policies" / "new.md"), "--format", "json")
    data = json.loads(res.output)
    added = {c["subject"] for c in data["changes"] if c["kind"] == "item_added"}
    assert {"_ga", "_gid"} <= added
    assert res.exit_code == 1


@needs_git
@pytest.mark.parametrize("rev", ["no-such-branch", "--output=/tmp/x", "HEAD~5"])
def test_git_bad_revision_exit_2(repo, rev):
    with pytest.raises(DiffInputError):
        versions_from_git(rev, str(repo / "policies" / "cookies.md"))
    res = run("--git", rev, str(repo / "policies" / "cookies.md"))
    assert res.exit_code == 2 and "Traceback" not in res.output


@needs_git
def test_git_outside_repository_exit_2(tmp_path):
    f = tmp_path / "x.md"
    f.write_text(OLD)
    res = run("--git", "HEAD", str(f))
    assert res.exit_code == 2 and "not inside a git repository" in res.output


@needs_git
def test_git_path_with_spaces_and_shell_characters(repo):
    weird = repo / "policies" / "a b;$(echo pwned).md"
    weird.write_text(OLD)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "weird")
    weird.write_text(EDITORIAL)
    old, _ = versions_from_git("HEAD", str(weird))
    assert old.document is not None and "Questions:" in "\n".join(old.document.lines)


# --- --patch --------------------------------------------------------------------------------------


@needs_git
def test_patch_applied_in_reverse(repo):
    patch = git(repo, "diff")
    assert "25 months" in patch
    pfile = repo / "change.diff"
    pfile.write_text(patch)
    target = repo / "policies" / "cookies.md"
    old, new = versions_from_patch(str(pfile), str(target))
    assert "\n".join(old.document.lines).rstrip("\n") == OLD.rstrip("\n")
    res = run("--patch", str(pfile), str(target), "--format", "json")
    assert res.exit_code == 1
    assert any(c["kind"] == "duration_longer" for c in json.loads(res.output)["changes"])


@needs_git
def test_patch_from_stdin(repo):
    patch = git(repo, "diff")
    res = run("--patch", "-", "policies/cookies.md", "--format", "json", cwd=repo, input=patch)
    assert res.exit_code == 1, res.output


def test_patch_with_offset_still_applies(tmp_path):
    target = tmp_path / "cookies.md"
    target.write_text("Intro line added later\n\n" + NEW)
    patch = _unified(OLD, NEW, "cookies.md")
    old, _ = versions_from_patch(_write(tmp_path, patch), str(target))
    assert "13 months" in "\n".join(old.document.lines)


def test_patch_that_does_not_apply_is_a_clear_error(tmp_path):
    target = tmp_path / "cookies.md"
    target.write_text(OLD)  # the OLD version: the patch (old -> new) cannot be undone on it
    pfile = _write(tmp_path, _unified(OLD, NEW, "cookies.md"))
    with pytest.raises(DiffInputError, match="does not apply"):
        versions_from_patch(pfile, str(target))
    res = run("--patch", pfile, str(target))
    assert res.exit_code == 2
    assert "does not apply" in res.output and "hunk 1" in res.output and "Traceback" not in res.output


def test_patch_not_a_diff_and_other_file(tmp_path):
    target = tmp_path / "cookies.md"
    target.write_text(NEW)
    garbage = tmp_path / "g.diff"
    garbage.write_text("hello\n")
    res = run("--patch", str(garbage), str(target))
    assert res.exit_code == 2 and "no file changes" in res.output
    two = _unified("a\n", "b\n", "x.md") + _unified("c\n", "d\n", "y.md")
    res = run("--patch", _write(tmp_path, two), str(target))
    assert res.exit_code == 2 and "does not change" in res.output


def test_patch_creating_the_file_means_everything_added(tmp_path):
    target = tmp_path / "cookies.md"
    target.write_text(NEW)
    lines = NEW.splitlines(keepends=True)
    header = f"--- /dev/null\n+++ b/cookies.md\n@@ -0,0 +1,{len(lines)} @@\n"
    patch = header + "".join("+" + ln for ln in lines)
    old, _ = versions_from_patch(_write(tmp_path, patch), str(target))
    assert old.document is None


def test_patch_no_newline_at_end_of_file(tmp_path):
    before, after = "a\nb\nc", "a\nb\nC"
    target = tmp_path / "t.txt"
    target.write_text(after)
    patch = "--- a/t.txt\n+++ b/t.txt\n@@ -1,3 +1,3 @@\n a\n b\n-c\n\\ No newline at end of file\n+C\n\\ No newline at end of file\n"
    old, _ = versions_from_patch(_write(tmp_path, patch), str(target))
    assert "\n".join(old.document.lines) == before


def _unified(a: str, b: str, name: str) -> str:
    import difflib

    return "".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True), f"a/{name}", f"b/{name}"))


def _write(tmp_path: Path, text: str) -> str:
    p = tmp_path / f"p{abs(hash(text))}.diff"
    p.write_text(text)
    return str(p)


def test_binary_input_is_an_input_error(tmp_path):
    (tmp_path / "a.md").write_text(OLD)
    (tmp_path / "b.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    res = run(str(tmp_path / "a.md"), str(tmp_path / "b.md"))
    assert res.exit_code == 2 and "binary" in res.output and "Traceback" not in res.output


def test_patch_larger_than_the_input_limit_is_refused(tmp_path, monkeypatch):
    import policylint.load

    monkeypatch.setattr(policylint.load, "MAX_BYTES", 1000)
    target = tmp_path / "cookies.md"
    target.write_text(NEW)
    big = tmp_path / "big.diff"
    big.write_text(_unified("a\n" * 400, "b\n" * 400, "cookies.md"))
    res = run("--patch", str(big), str(target))
    assert res.exit_code == 2 and "larger than" in res.output
