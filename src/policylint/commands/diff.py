"""``policylint diff``: what changed between two versions of a policy, and whether users must be told."""

from __future__ import annotations

import click

from policylint.commands.output import emit, fail, output_clash, output_option

FORMATS = ("text", "json", "markdown", "html")


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("files", nargs=-1, metavar="OLD NEW")
@click.option(
    "--git",
    "git_rev",
    metavar="REV",
    default=None,
    help="Compare FILE in the work tree with its version at git revision REV (one FILE argument).",
)
@click.option(
    "--patch",
    "patch",
    metavar="PATCH",
    default=None,
    help="Rebuild the old version by applying the unified diff PATCH (a file, or - for standard "
    "input) in reverse to TARGET, the new version in the work tree (one TARGET argument).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text for people, json for tools, markdown for a pull-request comment, html for a "
    "side-by-side page.",
)
@output_option("Write the report to FILE (atomically) instead of standard output.")
@click.pass_context
def diff(
    ctx: click.Context,
    files: tuple[str, ...],
    git_rev: str | None,
    patch: str | None,
    fmt: str,
    output: str | None,
) -> None:
    """Compare two versions of a cookie policy and say which changes are material.

    \b
    Inputs:
      policylint diff OLD NEW                  two files
      curl -s URL | policylint diff OLD -      NEW from standard input (in OLD's format)
      policylint diff --git REV FILE           FILE against its version at REV (HEAD~1, main, a tag)
      policylint diff --patch PATCH TARGET     PATCH (old → new) undone on TARGET to get the old version
      git diff main -- cookies.md | policylint diff --patch - cookies.md

    Material (exit 1): a new item that needs consent or a new purpose, a new third party, a longer
    lifetime, a more intrusive category, an item moved between exempt and consent-based, a
    protective statement withdrawn, consent newly taken from browsing ("by continuing to browse
    you accept cookies"), a new controller, or the policy replaced by another document.
    Editorial: wording, layout, order, links, contact details, a date alone, removed trackers.

    Exit codes: 0 no material change, 1 material change, 2 usage or input error.
    """
    from policylint.diffing.inputs import DiffInputError

    if git_rev is not None and patch is not None:
        raise click.UsageError("--git and --patch cannot be used together")
    if git_rev is not None or patch is not None:
        if len(files) != 1:
            what = "FILE" if git_rev is not None else "TARGET"
            raise click.UsageError(
                f"{'--git REV' if git_rev is not None else '--patch PATCH'} takes one {what} argument, got {len(files)}"
            )
    elif len(files) != 2:
        raise click.UsageError(
            f"give the OLD and NEW versions (got {len(files)} argument{'s' if len(files) != 1 else ''}), "
            "or use --git REV FILE / --patch PATCH TARGET"
        )

    inputs = list(files) + ([patch] if patch and patch != "-" else [])
    if output is not None:
        clash = output_clash(output, inputs)
        if clash:
            fail(ctx, f"--output {output} is one of the inputs ({clash}); choose another file")

    try:
        from policylint.diffing import inputs as inp

        if git_rev is not None:
            old_v, new_v = inp.versions_from_git(git_rev, files[0])
        elif patch is not None:
            old_v, new_v = inp.versions_from_patch(patch, files[0])
        else:
            old_v, new_v = inp.versions_from_paths(files[0], files[1])
        result = _compare(old_v, new_v)
    except DiffInputError as exc:
        fail(ctx, str(exc))

    from policylint.diffing.render import render

    # A new report file is created rw-r--r-- (less the umask), as diff always did.
    emit(ctx, fmt, output, lambda color: render(fmt, result, color=color))
    ctx.exit(1 if result.material else 0)


def _compare(old_v, new_v):
    from policylint.diffing import compute
    from policylint.diffing.inputs import DiffInputError
    from policylint.model import Policy

    def policy_of(v):
        if v.document is None:
            return Policy(path=v.name, format="text")
        for code, message in v.document.problems:
            if code in ("PL001", "PL006"):  # binary or too large: nothing to compare
                raise DiffInputError(f"{v.name}: {message}")
        from policylint.extraction import extract_policy

        try:
            p = extract_policy(v.document)
        except Exception as exc:  # noqa: BLE001 - a diff on a half-read policy would mislead
            detail = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
            raise DiffInputError(
                f"{v.name}: extracting the inventory failed ({type(exc).__name__}{': ' + detail if detail else ''})"
            ) from None
        p.path = v.name
        return p

    old_p, new_p = policy_of(old_v), policy_of(new_v)
    return compute(old_p, new_p, old_v.document, new_v.document)
