"""``policylint audit``: many products' policies, on every core, in one report."""

from __future__ import annotations

import sys

import click

from policylint.commands.output import config_option, emit, fail, output_clash, output_option
from policylint.config import SEVERITIES

AUDIT_FORMATS = ("text", "json", "csv", "html")


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("paths", nargs=-1, metavar="PATH...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(AUDIT_FORMATS),
    default="text",
    show_default=True,
    help="text for a terminal, json for tools, csv for a spreadsheet, html for one self-contained page.",
)
@output_option(
    "Write the report to FILE (atomically; never over one of the inputs) instead of standard output."
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes to use.  [default: every core]",
)
@click.option("--select", multiple=True, metavar="CODES", help="Only these rules (codes or prefixes).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rules (codes or prefixes).")
@click.option(
    "--severity",
    type=click.Choice(SEVERITIES),
    default=None,
    help="Exit 1 when a product has findings at or above this severity (a dated material change, PL501, "
    "counts only at info).  [default: warning]",
)
@config_option()
@click.option(
    "--pair-versions/--no-pair-versions",
    default=True,
    show_default=True,
    help="In a directory, treat files whose names end in a date (cookies-2025-03-03.md) or a version "
    "(shop-v1.md, shop-v2.md) as versions of one product: the latest is audited and diffed against the "
    "one before.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar on standard error.  [default: when it is a terminal]",
)
@click.pass_context
def audit(
    ctx: click.Context,
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    jobs: int | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    severity: str | None,
    config_path: str | None,
    pair_versions: bool,
    progress: bool | None,
) -> None:
    """Audit many products' cookie policies in parallel and write one report.

    PATH is a directory (each policy file is a product; dated or numbered versions of
    a file are paired; README, CHANGELOG, LICENSE… are skipped), a policy file, or a
    manifest listing products:

    \b
      products.csv     product,policy,previous
                       shop,shop/cookies.md,archive/shop-2025.md
      products.toml    [products.shop]
                       policy = "shop/cookies.md"
                       previous = "archive/shop-2025.md"

    Paths in a manifest are relative to it. For each product the report gives the
    findings by family (PL0–PL5) and severity, the inventory size, the last-updated
    date and, when a previous version is given, whether the change is material;
    across products, the same cookie described with a different provider, category
    or lifetime, and vendors one product names that another leaves out.

    \b
    Examples:
      policylint audit policies/
      policylint audit products.csv --format html --output audit.html
      policylint audit products.toml --format json --jobs 8 > audit.json

    Exit codes: 0 no product has findings at or above --severity, 1 some do, 2 usage or
    input error (an unreadable policy, a bad manifest). As in the pre-commit hook, a
    material change with a new last-updated date (PL501) is reported but fails only at
    --severity info; one without a new date (PL502) fails.
    """
    from policylint.audit import AuditInputError, input_paths, jobs_from_paths
    from policylint.config import ConfigError, load_config, split_codes
    from policylint.engine import CheckFileError, discover, validate_selectors
    from policylint.parallel import default_jobs

    if not paths:
        raise click.UsageError("give the directories, policy files or manifests to audit")
    try:
        cfg = load_config(config_path)
        if select:
            cfg.select = [c for v in select for c in split_codes(v)]
        if ignore:
            cfg.ignore = [*cfg.ignore, *(c for v in ignore for c in split_codes(v))]
        if severity:
            cfg.severity = severity
        validate_selectors(cfg, discover(cfg.extend_checks))  # also loads the checks before forking
        walked: list[str] = []
        product_jobs = jobs_from_paths(paths, cfg, pair_versions=pair_versions, walked=walked)
    except (ConfigError, CheckFileError, AuditInputError) as exc:
        fail(ctx, str(exc))
    if not product_jobs:
        fail(ctx, f"no policy files found in {', '.join(paths)}")
    if output == "-":
        output = None
    if output is not None:
        manifests = [p for p in paths if p.lower().endswith((".csv", ".tsv", ".toml"))]
        clash = output_clash(output, input_paths(product_jobs, manifests, walked))
        if clash:
            fail(ctx, f"--output {output} is one of the inputs ({clash}); choose another file")

    n_jobs = min(jobs or default_jobs(), len(product_jobs))
    show = _stderr_is_tty() if progress is None else progress
    report = _run(product_jobs, cfg, n_jobs, show, force=bool(progress))

    from policylint.audit.render import render

    emit(ctx, fmt, output, lambda _color: render(fmt, report))
    if output is not None:
        n = len(report.products)
        click.echo(f"policylint: wrote the audit of {n} product{'s' if n != 1 else ''} to {output}", err=True)

    from policylint.audit import failing

    unreadable = [p for p in report.products if p.error]
    for p in unreadable:
        click.echo(f"policylint: error: {p.product}: {p.error}", err=True)
    if unreadable:
        ctx.exit(2)
    ctx.exit(1 if any(failing(p, report.threshold) for p in report.products) else 0)


def _stderr_is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _run(product_jobs, cfg, n_jobs: int, show_progress: bool, force: bool = False):
    from policylint.audit import run_audit

    if not show_progress:
        return run_audit(product_jobs, cfg, n_jobs=n_jobs)
    # rich is imported only for a terminal: piped runs (CI, cron) do not pay for it.
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        TextColumn("auditing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("products"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True, force_terminal=True if force else None),
        transient=True,
    )
    task = bar.add_task("audit", total=len(product_jobs))
    started = False

    def advance(n: int) -> None:
        # Started on the first result, not before: the worker processes are forked when the
        # work is submitted, and forking while the bar's refresh thread runs is unsafe.
        nonlocal started
        if not started:
            bar.start()
            started = True
        bar.advance(task, n)

    try:
        return run_audit(product_jobs, cfg, n_jobs=n_jobs, on_progress=advance)
    finally:
        if started:
            bar.stop()
