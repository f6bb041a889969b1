"""``policylint hook`` without pre-commit: which files it skips, what fails it, git edge cases."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from policylint.cli import cli

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TERMS = (
    "# Terms of service\n\n"
    + "You agree to use the service lawfully and to pay for your subscription. " * 8
    + "\n"
)


def hook(*args: str):
    return CliRunner().invoke(cli, ["hook", *args], catch_exceptions=False)


@pytest.fixture
def docs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(SAMPLES / "startup-prose.md", tmp_path / "cookies.md")
    shutil.copy(SAMPLES / "placeholders.txt", tmp_path / "draft.txt")
    (tmp_path / "README.md").write_text("# Docs\n\nTODO: [INSERT] everything.\n", encoding="utf-8")
    (tmp_path / "terms.md").write_text(TERMS, encoding="utf-8")
    return tmp_path


def test_clean_policy_passes_and_non_policies_are_skipped(docs):
    r = hook("cookies.md", "README.md", "terms.md", "logo.png")
    assert r.exit_code == 0, r.output
    assert (
        "skipped 2 files: README.md (a repository file, not a policy), terms.md (not a cookie policy (PL003))"
        in r.output
    )
    assert "1 policy checked, nothing blocks the commit" in r.output
    assert "not compared with HEAD" in r.output  # not a git repository: lint only, and say so


def test_findings_fail_and_respect_the_threshold(docs):
    r = hook("draft.txt", "--no-diff")
    assert r.exit_code == 1 and "PL101" in r.output
    (docs / "pyproject.toml").write_text('[tool.policylint]\nignore = ["PL1", "PL2"]\n', encoding="utf-8")
    r = hook("draft.txt", "--no-diff")
    assert r.exit_code == 0, r.output


def test_strict_treats_every_file_as_a_policy(docs):
    r = hook("terms.md", "README.md", "--no-diff", "--strict")
    assert r.exit_code == 1
    assert "terms.md:1:1: PL003" in r.output and "README.md" in r.output


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_replaced_policy_fails_even_though_it_is_not_a_policy_any_more(docs, monkeypatch):
    for k, v in {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@e",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@e",
    }.items():
        monkeypatch.setenv(k, v)
    subprocess.run(["git", "init", "-q"], cwd=docs, check=True)
    subprocess.run(["git", "add", "cookies.md"], cwd=docs, check=True)
    subprocess.run(["git", "commit", "-qm", "policy"], cwd=docs, check=True)
    (docs / "cookies.md").write_text(TERMS, encoding="utf-8")
    r = hook("cookies.md")
    assert r.exit_code == 1, r.output
    assert "PL504" in r.output
    shutil.copy(SAMPLES / "startup-prose.md", docs / "cookies.md")  # back as committed: passes
    r = hook("cookies.md")
    assert r.exit_code == 0, r.output
    assert "not compared" not in r.output


def test_repository_files_are_skipped_with_the_walks_predicate(docs, monkeypatch):
    """The hook and `check`/`audit` directory walks skip the same files: one predicate."""
    import policylint.commands.check as check_cmd

    (docs / "docs").mkdir()
    for name in ("CHANGELOG.md", "LICENSE.txt", "docs/readme.de.md"):
        shutil.copy(SAMPLES / "placeholders.txt", docs / name)
    r = hook("CHANGELOG.md", "LICENSE.txt", "docs/readme.de.md", "--no-diff")
    assert r.exit_code == 0, r.output
    assert "skipped 3 files" in r.output and "a repository file, not a policy" in r.output
    assert check_cmd.is_repo_doc("docs/readme.de.md") and not check_cmd.is_repo_doc("cookies.md")
    monkeypatch.setattr(check_cmd, "is_repo_doc", lambda path: str(path).endswith("draft.txt"))
    r = hook("draft.txt", "--no-diff")
    assert r.exit_code == 0 and "draft.txt (a repository file, not a policy)" in r.output


def _git_env(monkeypatch) -> None:
    for k, v in {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@e",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@e",
    }.items():
        monkeypatch.setenv(k, v)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_replaced_policy_note_names_the_replacement_and_each_claims_subject(docs, monkeypatch):
    """No Python None in the note, the replacement listed first, and one sentence that made two
    claims (consent for analytics, consent for advertising) listed once with both subjects."""
    _git_env(monkeypatch)
    shutil.copy(SAMPLES / "shop-v2.md", docs / "cookies.md")
    subprocess.run(["git", "init", "-q"], cwd=docs, check=True)
    subprocess.run(["git", "add", "cookies.md"], cwd=docs, check=True)
    subprocess.run(["git", "commit", "-qm", "policy"], cwd=docs, check=True)
    (docs / "cookies.md").write_text(TERMS, encoding="utf-8")
    r = hook("cookies.md")
    assert r.exit_code == 1 and "PL504" in r.output, r.output
    (note,) = [ln for ln in r.output.splitlines() if "material change since HEAD" in ln]
    assert "None" not in note
    assert "(the date is now unstated)" in note
    listed = note.split("tell users / ask consent again for: ", 1)[1]
    assert listed.startswith("policy replaced: “Cookie Policy” → “Terms of service”; ")
    sentence = "These cookies are only set if you accept them in our cookie banner."
    assert listed.count(sentence) == 1
    assert f"claim removed (consent: analytics, advertising): “{sentence}”" in listed


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_repository_without_commits_lints_staged_files_as_new(docs, monkeypatch):
    _git_env(monkeypatch)
    subprocess.run(["git", "init", "-q"], cwd=docs, check=True)
    subprocess.run(["git", "add", "cookies.md", "draft.txt"], cwd=docs, check=True)
    r = hook("cookies.md")
    assert r.exit_code == 0, r.output
    assert "unknown revision" not in r.output and "not compared" not in r.output
    assert "1 policy checked, nothing blocks the commit" in r.output
    r = hook("cookies.md", "draft.txt")
    assert r.exit_code == 1 and "PL101" in r.output and "not compared" not in r.output
    # Another revision that does not exist is still reported.
    r = hook("cookies.md", "--rev", "main~3")
    assert "not compared with main~3" in r.output
