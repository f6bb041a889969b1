"""``policylint check``: lint policy files and directories."""

from __future__ import annotations

import os
import re
import sys

import click

from policylint.commands.output import (
    config_option,
    emit,
    fail,
    output_clash,
    output_option,
)
from policylint.config import FORMATS, SEVERITIES

EXTENSIONS = (".html", ".htm", ".md", ".markdown", ".txt")
# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 8


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("paths", nargs=-1, metavar="PATH...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Report format: text for people, json for tools, sarif for code scanning, "
    "github for pull-request annotations.  [default: text, or `format` in the config]",
)
@click.option(
    "--select",
    multiple=True,
    metavar="CODES",
    help="Only these rules: codes or prefixes, comma-separated (PL1 = the family, PL101 = one "
    "rule, ALL). Replaces the config's `select`. Repeatable.",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="CODES",
    help="Skip these rules (codes or prefixes, comma-separated), on top of the config's `ignore`. "
    "Repeatable.",
)
@click.option(
    "--severity",
    type=click.Choice(SEVERITIES),
    default=None,
    help="Fail (exit 1) only on findings at or above this severity.  [default: warning]",
)
@config_option()
@output_option("Write the report to FILE (atomically) instead of standard output ('-').")
@click.option(
    "--stdin-filename",
    metavar="NAME",
    default=None,
    help="Name (and so format and per-file-ignores) of the document read from standard input "
    "when PATH is '-'.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only the findings: no excerpts, no summary line.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help=f"Processes to lint with (the report order does not change).  [default: every core when there "
    f"are more than {PARALLEL_FROM} files, else 1]",
)
@click.pass_context
def check(
    ctx: click.Context,
    paths: tuple[str, ...],
    fmt: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    severity: str | None,
    config_path: str | None,
    output: str | None,
    stdin_filename: str | None,
    quiet: bool,
    jobs: int | None,
) -> None:
    """Lint cookie policies: unfinished text, missing disclosures, consent, contradictions.

    PATH is a file, a directory (walked for .html, .htm, .md, .markdown and .txt
    files, skipping hidden directories, `exclude` globs and README/CHANGELOG/LICENSE
    files) or - for standard input.

    \b
    Examples:
      policylint check policies/
      policylint check cookies.md --select PL1 --ignore PL104
      policylint check site/ --format sarif --output policylint.sarif
      policylint check --format github policies/*.md         (in GitHub Actions)
      curl -s https://example.com/cookies | policylint check - --stdin-filename cookies.html

    \b
    Silence one finding in the document itself:
      <!-- policylint: disable-next-line=PL101 -->
      <!-- policylint: disable=PL201,PL202 --> ... <!-- policylint: enable=PL201,PL202 -->
      # policylint: disable=PL104            (in a .txt file)

    `policylint rules` lists the rules; `policylint rules PL101` explains one.

    Exit codes: 0 no findings at or above --severity, 1 findings, 2 usage or input error.
    """
    from policylint.config import ConfigError, load_config, split_codes
    from policylint.engine import CheckFileError, discover, validate_selectors

    if not paths:
        if stdin_filename:
            paths = ("-",)
        else:
            raise click.UsageError("give the files or directories to check (or - to read standard input)")
    try:
        cfg = load_config(config_path)
        if select:
            cfg.select = [c for v in select for c in split_codes(v)]
        if ignore:
            cfg.ignore = [*cfg.ignore, *(c for v in ignore for c in split_codes(v))]
        rules = discover(cfg.extend_checks)
        validate_selectors(cfg, rules)
    except (ConfigError, CheckFileError) as exc:
        fail(ctx, str(exc))
    threshold = severity or cfg.severity
    report_format = fmt or cfg.format or "text"

    if output == "-":
        output = None  # "--output -" is standard output
    entries = collect(paths, cfg)
    if not entries:
        named = [p for p in paths if not os.path.isdir(p)]
        if named:
            # Every file given is excluded by the configuration: like ruff, nothing to do.
            click.echo("policylint: nothing to check: every file given is excluded by `exclude`", err=True)
            ctx.exit(0)
        # A directory with no policy in it is most likely a wrong path in a CI job.
        fail(ctx, f"no policy files ({', '.join(EXTENSIONS)}) found in {', '.join(paths)}")
    if output is not None:
        checked = [p for p, err in entries if err is None and p != "-"]
        if stdin_filename and any(p == "-" for p, _ in entries):
            checked.append(stdin_filename)  # `--stdin-filename` names the file the input came from
        clash = output_clash(output, checked)
        if clash:
            fail(ctx, f"--output {output} is one of the files being checked ({clash}); choose another file")

    results = _lint_all(entries, cfg, rules, stdin_filename, jobs)

    from policylint.report import render

    by_code = {r.code: r for r in rules}
    emit(
        ctx,
        report_format,
        output,
        lambda color: render(report_format, results, by_code, color=color, quiet=quiet),
    )

    for r in results:
        if r.error:
            click.echo(f"policylint: error: {r.error}", err=True)
    from policylint.engine import at_or_above

    if any(r.error for r in results):
        ctx.exit(2)
    if any(at_or_above(f.severity, threshold) for r in results for f in r.findings):
        ctx.exit(1)
    ctx.exit(0)


def collect(paths: tuple[str, ...] | list[str], cfg) -> list[tuple[str, str | None]]:
    """(path, error) pairs in command-line order: files to lint (error None) and paths that
    cannot be linted (error set, e.g. "x.md: no such file").

    Directories are walked (sorted, hidden directories and files skipped) for policy
    extensions; ``exclude`` globs apply to walked files and to files named explicitly.
    """
    entries: list[tuple[str, str | None]] = []
    seen: set[str] = set()

    def add(p: str) -> None:
        key = os.path.normcase(os.path.abspath(p)) if p != "-" else "-"
        if key not in seen:
            seen.add(key)
            entries.append((p, None))

    for raw in paths:
        if raw == "-":
            add("-")
        elif os.path.isdir(raw):
            for p in walk(raw, cfg):
                add(p)
        elif os.path.lexists(raw):  # a symlink loop is "cannot read (Too many levels…)", not missing
            if not cfg.excluded(raw):
                add(raw)
        else:
            entries.append((raw, f"{raw}: no such file"))
    return entries


# Repository files that are never cookie policies, matched on the name before its first dot
# (README.md, readme.de.md, CHANGELOG.markdown, LICENSE.txt), any case.
REPO_DOCS = frozenset(
    {
        "readme",
        "changelog",
        "changes",
        "history",
        "license",
        "licence",
        "contributing",
        "code_of_conduct",
        "security",
        "copying",
        "authors",
        "contributors",
        "maintainers",
        "codeowners",
        "pull_request_template",
        "issue_template",
    }
)


def is_repo_doc(path: str | os.PathLike[str]) -> bool:
    """Is this a repository file (README, CHANGELOG, LICENSE, CONTRIBUTING…) rather than a policy?

    A directory walk skips them (``policylint check``, ``policylint audit``) and so does the
    pre-commit hook; a file named on the command line or in a manifest is still linted.
    """
    name = os.path.basename(os.fspath(path))
    return name.split(".", 1)[0].casefold() in REPO_DOCS


# policylint's own reports, recognised from their first 4 KB (``is_policylint_report``).
_REPORT_HEAD = 4096
# A text report from `policylint check`: "path:12:3: PL101 [error] …", "::error file=…" (github).
_FINDING_LINE = re.compile(r"^.+:\d+:\d+: [A-Z][A-Z0-9]*\d \[(?:error|warning|info)\] ")
_GITHUB_LINE = re.compile(r"^::(?:error|warning|notice) file=")
_SUMMARY_LINE = re.compile(r"^(?:Found \d+ findings? \(.*\) in \d+ files?\.|No findings in \d+ files?\.)$")
# `policylint audit` (text: its table header), `policylint diff` (text, or a Markdown comment
# written before the generator marker).
_REPORT_HEADER = re.compile(
    r"^(?:product +items +updated +E +W +I\b|policylint diff: |### policylint diff: |"
    r"<!-- generated by policylint -->)"
)
_HTML_GENERATOR = re.compile(rb"""<meta\s+name=["']?generator["']?\s+content=["']?policylint""", re.I)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def is_policylint_report(path: str | os.PathLike[str]) -> bool:
    """Is this file a report policylint wrote (``check -o report.txt``, ``audit --format html``,
    ``diff --format markdown > comment.md``) rather than a policy?

    Decided from the first 4 KB: an HTML page with ``<meta name="generator"
    content="policylint">``, a Markdown diff comment starting ``<!-- generated by policylint -->``,
    or a text report whose first line is a finding (``path:line:col: PL101 [error] …``), its
    summary ("No findings in 3 files."), a ``policylint diff:`` line or the audit table's header.
    A directory walk skips them, so a report saved in the checked tree is not linted on the next
    run; a report named on the command line is still linted.
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(_REPORT_HEAD)
    except OSError:
        return False
    if _HTML_GENERATOR.search(head):
        return True
    text = head.decode("utf-8", "replace").lstrip("\ufeff")
    for line in text.splitlines():
        line = _ANSI.sub("", line).rstrip()
        if not line:
            continue
        return bool(
            _FINDING_LINE.match(line)
            or _GITHUB_LINE.match(line)
            or _SUMMARY_LINE.match(line)
            or _REPORT_HEADER.match(line)
        )
    return False


def walk(directory: str, cfg) -> list[str]:
    """Policy files under ``directory``, sorted: files with a policy extension, skipping hidden
    files and directories, the config's ``exclude`` globs, FIFOs and devices, repository
    files (``is_repo_doc``: README.md, CHANGELOG.md, LICENSE.txt…) and policylint's own
    reports (``is_policylint_report``)."""
    found: list[str] = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not cfg.excluded(os.path.join(root, d)))
        for name in sorted(files):
            if name.startswith(".") or not name.lower().endswith(EXTENSIONS) or is_repo_doc(name):
                continue
            path = os.path.join(root, name)
            if _special(path):
                continue  # a FIFO named cookies.md would block the walk forever
            if not cfg.excluded(path) and not is_policylint_report(path):
                found.append(path)
    return found


def _special(path: str) -> bool:
    """A FIFO, socket or device (a broken link is not: linting it reports the error)."""
    import stat

    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _lint_all(
    entries: list[tuple[str, str | None]], cfg, rules, stdin_filename: str | None, jobs: int | None = None
) -> list:
    from policylint.api import lint
    from policylint.engine import FileResult

    files = [t for t, error in entries if error is None and t != "-"]
    if jobs is None:
        from policylint.parallel import default_jobs

        jobs = default_jobs() if len(files) > PARALLEL_FROM else 1
    linted: dict[str, FileResult] = {}
    if jobs > 1 and len(files) > 1:
        from functools import partial

        from policylint.parallel import map_ordered

        def crashed(path: str, exc: BaseException) -> FileResult:
            return FileResult(path=path, format=None, error=f"{path}: {exc}")

        linted = dict(
            zip(
                files, map_ordered(partial(lint, config=cfg), files, jobs=jobs, on_error=crashed), strict=True
            )
        )
    results: list[FileResult] = []
    for target, error in entries:
        if error is not None:
            results.append(FileResult(path=target, format=None, error=error))
        elif target == "-":
            from policylint.load import MAX_BYTES

            # At most one byte over the limit: enough for PL006, and `yes | policylint check -`
            # does not fill the memory.
            data = sys.stdin.buffer.read(MAX_BYTES + 1)
            results.append(lint(stdin_filename or "-", text=data, config=cfg))
        else:
            results.append(linted[target] if target in linted else lint(target, config=cfg))
    return results
