"""The pre-commit hook, run by the real ``pre-commit`` on a throw-away git repository.

Two ways in:

* an installed hook (``repo: local``, ``language: system``, this interpreter) and real
  ``git commit``s: a clean policy commits, a placeholder is refused, a material change
  without a new date is refused with the message that says what to do, the same change
  with a new date commits, a README is not linted;
* ``pre-commit try-repo`` on a copy of this work tree (committed in a temporary repo,
  since try-repo installs from a commit): checks ``.pre-commit-hooks.yaml`` and the
  packaging. Skipped when pre-commit cannot build the hook's environment (offline).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(importlib.util.find_spec("pre_commit") is None, reason="pre-commit is not installed"),
]

README = "# Legal documents\n\nEdit the Markdown files and open a pull request.\n"


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])),
        GIT_AUTHOR_NAME="Test",
        GIT_AUTHOR_EMAIL="test@example.com",
        GIT_COMMITTER_NAME="Test",
        GIT_COMMITTER_EMAIL="test@example.com",
        NO_COLOR="1",
    )
    return env


def _git(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=120)


def _hook_definition() -> dict:
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = [h for h in hooks if h["id"] == "policylint"]
    return hook


def test_hook_definition_is_valid():
    hook = _hook_definition()
    assert hook["language"] == "python"
    assert hook["entry"].split()[:2] == ["policylint", "hook"]
    assert hook["pass_filenames"] is True
    import re

    files = re.compile(hook["files"])
    for name in ("cookies.md", "a/b/cookies.HTML", "policy.htm", "notes.markdown", "cookies.txt"):
        assert files.search(name), name
    for name in ("logo.png", "cookies.md.bak", "setup.py"):
        assert not files.search(name), name


@pytest.fixture
def repo(tmp_path):
    """A legal-docs repo with a committed policy and README, and the hook installed."""
    import yaml

    env = _env(tmp_path)
    repo = tmp_path / "legal"
    (repo / "policies").mkdir(parents=True)
    _git(repo, env, "init", "-q")
    shutil.copy(SAMPLES / "shop-v1.md", repo / "policies" / "cookies.md")
    (repo / "README.md").write_text(README, encoding="utf-8")
    hook = dict(_hook_definition())
    # This checkout's code through this interpreter, instead of an environment pre-commit builds.
    hook.update(language="system", entry=f"{sys.executable} -m policylint hook")
    hook.pop("minimum_pre_commit_version", None)
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    assert _git(repo, env, "add", "-A").returncode == 0
    assert _git(repo, env, "commit", "-q", "--no-verify", "-m", "initial").returncode == 0
    r = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"], cwd=repo, env=env, capture_output=True, text=True
    )
    assert r.returncode == 0, r.stdout + r.stderr
    return repo, env


def _commit(repo: Path, env: dict[str, str], message: str) -> subprocess.CompletedProcess[str]:
    assert _git(repo, env, "add", "-A").returncode == 0
    return _git(repo, env, "commit", "-m", message)


def _head(repo: Path, env: dict[str, str]) -> str:
    return _git(repo, env, "rev-parse", "HEAD").stdout.strip()


def test_commit_clean_policy_and_readme_pass(repo):
    repo, env = repo
    shutil.copy(SAMPLES / "startup-prose.md", repo / "policies" / "app.md")
    (repo / "README.md").write_text(README + "\nAsk legal@ before merging.\n", encoding="utf-8")
    before = _head(repo, env)
    r = _commit(repo, env, "add the app policy")
    assert r.returncode == 0, r.stdout + r.stderr
    assert _head(repo, env) != before
    assert "policylint" in r.stdout + r.stderr  # the hook ran (and passed)


def test_commit_with_placeholder_is_refused(repo):
    repo, env = repo
    shutil.copy(SAMPLES / "placeholders.txt", repo / "policies" / "draft.txt")
    before = _head(repo, env)
    r = _commit(repo, env, "draft policy")
    out = r.stdout + r.stderr
    assert r.returncode != 0, out
    assert _head(repo, env) == before
    assert "PL101" in out and "policies/draft.txt" in out


def test_material_change_without_new_date_is_refused_then_passes_with_one(repo):
    repo, env = repo
    v1 = (SAMPLES / "shop-v1.md").read_text(encoding="utf-8")
    v2 = (SAMPLES / "shop-v2.md").read_text(encoding="utf-8")
    old_date = next(line for line in v1.splitlines() if line.startswith("Last updated"))
    new_date = next(line for line in v2.splitlines() if line.startswith("Last updated"))
    undated = v2.replace(new_date, old_date)
    policy = repo / "policies" / "cookies.md"
    policy.write_text(undated, encoding="utf-8")
    before = _head(repo, env)
    r = _commit(repo, env, "add Meta pixel")
    out = r.stdout + r.stderr
    assert r.returncode != 0, out
    assert _head(repo, env) == before
    assert "PL502" in out
    assert "bump 'Last updated' to today's date" in out
    assert "tell users / ask consent again for:" in out
    assert "_fbp" in out and "_ga" in out

    policy.write_text(v2, encoding="utf-8")  # the same change, with a new date
    r = _commit(repo, env, "add Meta pixel, dated")
    assert r.returncode == 0, r.stdout + r.stderr
    assert _head(repo, env) != before


def test_editorial_change_without_new_date_passes(repo):
    repo, env = repo
    policy = repo / "policies" / "cookies.md"
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text.replace("Copperleaf Home", "Copperleaf Home Ltd", 1), encoding="utf-8")
    r = _commit(repo, env, "wording")
    assert r.returncode == 0, r.stdout + r.stderr


def _copy_work_tree(dest: Path, env: dict[str, str]) -> bool:
    """Copy the files git would commit (tracked and untracked, not ignored) and commit them."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        env=env,
    )
    if listed.returncode != 0:
        return False
    for rel in filter(None, listed.stdout.decode("utf-8", "surrogateescape").split("\0")):
        src = ROOT / rel
        if not src.is_file():
            continue  # deleted in the work tree
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
    _git(dest, env, "init", "-q")
    _git(dest, env, "add", "-A")
    return _git(dest, env, "commit", "-q", "--no-verify", "-m", "snapshot").returncode == 0


def test_try_repo_with_the_published_hook_definition(repo, tmp_path):
    repo, env = repo
    copy = tmp_path / "policylint-copy"
    if not (ROOT / ".git").exists() or not _copy_work_tree(copy, env):
        pytest.skip("this checkout is not a git work tree")
    v2 = (SAMPLES / "shop-v2.md").read_text(encoding="utf-8")
    new_date = next(line for line in v2.splitlines() if line.startswith("Last updated"))
    (repo / "policies" / "cookies.md").write_text(v2.replace(new_date, "Last updated: 3 March 2025"))
    (repo / "policies" / "app.md").write_text((SAMPLES / "startup-prose.md").read_text(encoding="utf-8"))
    _git(repo, env, "add", "-A")
    env = {k: v for k, v in env.items() if k != "PYTHONPATH"}  # the hook's own environment only
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(copy),
            "policylint",
            "--files",
            "policies/cookies.md",
            "policies/app.md",
            "README.md",
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = r.stdout + r.stderr
    if "An unexpected error has occurred" in out or "Could not find a version" in out:
        pytest.skip("pre-commit could not build the hook's environment (offline?): " + out[-300:])
    assert r.returncode == 1, out
    assert "PL502" in out and "bump 'Last updated'" in out
    assert "policies/app.md:" not in out  # the clean policy has no findings
