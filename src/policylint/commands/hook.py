"""``policylint hook``: what the pre-commit hook runs on the staged policy files.

For each file: lint it (as ``policylint check`` does, with the project's config) and,
when the file already exists at HEAD, compare the staged version with HEAD's (as
``policylint diff --git HEAD`` does). The commit is refused when

* a lint finding is at or above the fail threshold (``severity``, default warning), or
* the policy changed materially but its last-updated date did not move (PL502), or the
  file is no longer a cookie policy (PL504) — any selected diff rule at or above the
  threshold, except PL501/PL503 which only describe the change.

A material change *with* a new date passes: the author has done what the hook asks,
and the reminder of what users must be told is printed (pre-commit shows it with
``verbose: true``).

Files that are not cookie policies do not fail the hook: repository files such as
README.md or CHANGELOG.md are skipped by name, and any other file that PL003 finds is
not a cookie policy is skipped — unless its HEAD version was one (then the change is
a replaced policy, PL504). ``--strict`` treats every file as a policy.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os

import click

from policylint.commands.output import config_option
from policylint.config import SEVERITIES

# Diff rules that describe the change rather than a problem with it.
_DESCRIPTIVE = {"PL501", "PL503"}
_MAX_LISTED = 8


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("files", nargs=-1, metavar="FILE...")
@click.option(
    "--rev",
    default="HEAD",
    show_default=True,
    help="Compare each file with its version at this git revision.",
)
@click.option("--no-diff", is_flag=True, help="Only lint; do not compare with the previous version.")
@click.option(
    "--strict",
    is_flag=True,
    help="Treat every file as a cookie policy: README.md and files PL003 finds are not policies fail too.",
)
@click.option(
    "--severity",
    type=click.Choice(SEVERITIES),
    default=None,
    help="Fail on findings at or above this severity.  [default: the config's, else warning]",
)
@config_option()
@click.pass_context
def hook(
    ctx: click.Context,
    files: tuple[str, ...],
    rev: str,
    no_diff: bool,
    strict: bool,
    severity: str | None,
    config_path: str | None,
) -> None:
    """Check staged cookie policies before a commit (run by pre-commit).

    Lints each FILE and compares it with its version at HEAD. Fails (exit 1) on lint
    findings at or above the threshold, and on a material change (a new tracker,
    purpose or recipient, a longer lifetime, a withdrawn promise) committed without a
    new last-updated date. Files that are not cookie policies (README.md, a page PL003
    rejects) are skipped unless --strict.

    \b
    In .pre-commit-config.yaml:
      - repo: https://github.com/policylint/policylint
        rev: v0.1.0
        hooks:
          - id: policylint

    Exit codes: 0 pass, 1 findings or an undated material change, 2 usage or input error.
    """
    from policylint.commands.output import fail
    from policylint.config import ConfigError, load_config
    from policylint.engine import CheckFileError, at_or_above, discover, validate_selectors

    try:
        cfg = load_config(config_path)
        rules = discover(cfg.extend_checks)
        validate_selectors(cfg, rules)
    except (ConfigError, CheckFileError) as exc:
        fail(ctx, str(exc))
    threshold = severity or cfg.severity
    from policylint.commands.check import EXTENSIONS, is_repo_doc

    results = []
    skipped: list[tuple[str, str]] = []
    notes: list[str] = []
    git_problem: str | None = None
    for path in files:
        if not path.lower().endswith(EXTENSIONS) or cfg.excluded(path):
            continue
        if not strict and is_repo_doc(path):
            skipped.append((path, "a repository file, not a policy"))
            continue
        outcome = check_file(path, cfg, rev=None if no_diff or git_problem else rev, strict=strict)
        if outcome.git_problem and git_problem is None:
            git_problem = outcome.git_problem
        if outcome.skipped:
            skipped.append((path, outcome.skipped))
            continue
        results.append(outcome.result)
        notes.extend(outcome.notes)

    from policylint.report import render

    failed = [r for r in results if r.error or any(at_or_above(f.severity, threshold) for f in r.findings)]
    from policylint.commands.output import is_tty

    color = is_tty() and "NO_COLOR" not in os.environ
    if failed:
        text = render("text", failed, {r.code: r for r in rules}, color=color)
        click.echo(text, nl=False, color=color)
        for r in failed:
            if r.error:
                click.echo(f"policylint: error: {r.error}", err=True)
    for note in notes:
        click.echo(note)
    if git_problem:
        click.echo(f"policylint: note: changes were not compared with {rev}: {git_problem}")
    if skipped:
        listed = ", ".join(f"{p} ({why})" for p, why in skipped[:10])
        more = f" and {len(skipped) - 10} more" if len(skipped) > 10 else ""
        click.echo(
            f"policylint: skipped {len(skipped)} file{'s' if len(skipped) > 1 else ''}: {listed}{more}"
        )
    if not failed:
        n = len(results)
        click.echo(f"policylint: {n} polic{'ies' if n != 1 else 'y'} checked, nothing blocks the commit.")
    if any(r.error for r in results):
        ctx.exit(2)
    ctx.exit(1 if failed else 0)


@dataclasses.dataclass
class Outcome:
    result: object = None  # FileResult: lint findings and the blocking diff findings
    skipped: str | None = None  # why the file is not treated as a policy
    notes: list[str] = dataclasses.field(default_factory=list)  # reminders that do not fail
    git_problem: str | None = None


def check_file(path: str, cfg, *, rev: str | None, strict: bool, today: dt.date | None = None) -> Outcome:
    """Lint one staged file and compare it with ``rev`` (None: no comparison)."""
    from policylint.api import analyse
    from policylint.engine import is_selected

    # PL003 runs even when the config leaves it out: it decides whether the file is a policy.
    probe = dataclasses.replace(
        cfg, select=[*cfg.select, "PL003"], ignore=[c for c in cfg.ignore if c != "PL003"]
    )
    analysis = analyse(path, config=probe)
    result = analysis.result
    if result.error:
        return Outcome(result)
    not_policy = any(f.rule == "PL003" for f in result.findings)
    result.findings = [f for f in result.findings if is_selected(f.rule, cfg.select, cfg.ignore)]
    if not_policy and strict:
        not_policy = False

    outcome = Outcome(result)
    diff = None
    if rev is not None:
        diff, outcome.git_problem = _diff_with(rev, path, analysis, cfg)
    if not_policy and not (diff is not None and diff.replaced):
        return Outcome(skipped="not a cookie policy (PL003)", git_problem=outcome.git_problem)
    if diff is None:
        return outcome

    blocking = [
        f for f in diff.findings if f.rule not in _DESCRIPTIVE and is_selected(f.rule, cfg.select, cfg.ignore)
    ]
    # The replacement first: it is what users must be told before anything the old policy said.
    changes = sorted(diff.material_changes, key=lambda c: c.kind != "policy_replaced")
    listed = _listed(changes, rev)
    for i, f in enumerate(blocking):
        if f.rule == "PL502":
            blocking[i] = dataclasses.replace(f, message=_undated_message(diff, len(changes), listed, today))
    result.findings = sorted([*result.findings, *blocking], key=lambda f: (f.line, f.column, f.rule))
    if diff.material and changes and not any(f.rule == "PL502" for f in blocking):
        outcome.notes.append(
            f"policylint: {path}: material change since {rev} ({_dates(diff)}): "
            f"tell users / ask consent again for: {listed}."
        )
    return outcome


def _dates(diff) -> str:
    """What the last-updated date did, in words (never a Python ``None``)."""
    old, new = diff.old_date, diff.new_date
    if new is None:
        return "the date is now unstated" if old else "no last-updated date"
    if new == old:
        return f"still dated {new}"
    return f"dated {new}, was {old}" if old else f"dated {new}, was unstated"


def _undated_message(diff, n: int, listed: str, today: dt.date | None) -> str:
    """PL502 in words that say what to do before committing."""
    when = (today or dt.date.today()).isoformat()
    what = f"{n} material change{'s' if n != 1 else ''}"
    if diff.new_date is None:
        state = "the policy states no last-updated date"
        todo = f"add 'Last updated: {when}' (today's date)"
    else:
        state = (
            f"the policy still says {diff.new_date}, as the committed version did"
            if diff.new_date == diff.old_date
            else f"the policy now says {diff.new_date}, older than the committed {diff.old_date}"
        )
        todo = f"bump 'Last updated' to today's date ({when})"
    return f"{what} without a new date: {state}. To commit, {todo}, and tell users / ask consent again for: {listed}."


def _diff_with(rev: str, path: str, analysis, cfg):
    """(DiffResult or None, a problem with git or None). None when the file is new at ``rev``."""
    from policylint.diffing import compute
    from policylint.diffing.inputs import DiffInputError, versions_from_git
    from policylint.extraction import extract_policy

    try:
        old, _new = versions_from_git(rev, path)
    except DiffInputError as exc:
        if _unborn(rev, path):
            return None, None  # no commit yet: every staged file is new, so it is only linted
        return None, str(exc)
    if old.document is None:
        return None, None  # a new file: nothing to compare with
    old_policy = extract_policy(old.document)
    return (
        compute(old_policy, analysis.policy, old.document, analysis.document, check_dirs=cfg.extend_checks),
        None,
    )


def _unborn(rev: str, path: str) -> bool:
    """Is ``rev`` HEAD in a git repository with no commit yet (``git init``, then a first
    ``git add``)? Then there is nothing to compare with, as for a file new since HEAD."""
    from policylint.diffing.inputs import DiffInputError, _git

    if rev not in ("HEAD", "@"):
        return False
    where = os.path.dirname(os.path.realpath(path)) or "."
    try:
        inside = _git(["rev-parse", "--git-dir"], where)
        head = _git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], where)
    except (DiffInputError, OSError):
        return False
    return inside.returncode == 0 and head.returncode != 0


def _listed(changes, rev: str = "HEAD") -> str:
    from policylint.audit import change_summaries

    parts = change_summaries(changes)
    if len(parts) > _MAX_LISTED:
        more = len(parts) - _MAX_LISTED
        parts = [*parts[:_MAX_LISTED], f"and {more} more (see `policylint diff --git {rev} <file>`)"]
    return "; ".join(parts) if parts else f"the changes `policylint diff --git {rev} <file>` lists"
