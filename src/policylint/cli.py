"""Command-line entry point.

Subcommands live in their own modules and are imported only when run, so
``policylint --version`` and ``--help`` start without loading lxml or
markdown-it (a pre-commit hook pays start-up time on every commit).
"""

from __future__ import annotations

import importlib
import importlib.util

import click

from policylint import __version__

# name -> "module:function". Each module defines one click command.
COMMANDS = {
    "extract": "policylint.commands.extract:extract",
    "check": "policylint.commands.check:check",
    "rules": "policylint.commands.rules:rules",
    "diff": "policylint.commands.diff:diff",
    "audit": "policylint.commands.audit:audit",
    "hook": "policylint.commands.hook:hook",
}

SHORT_HELP = {
    "extract": "Print the inventory a policy declares (cookies, third parties, claims).",
    "check": "Lint policies: placeholders, missing disclosures, exemptions, contradictions.",
    "rules": "List the rules, or explain one (policylint rules PL301).",
    "diff": "Compare two versions of a policy and say which changes are material.",
    "audit": "Audit many products' policies in parallel and write one report.",
    "hook": "Check staged policies before a commit: lint, and refuse an undated material change.",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if _available(name)]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None or not _available(name):
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Listing help must not import every command (that would load lxml).
        rows = [(name, SHORT_HELP.get(name, "")) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _available(name: str) -> bool:
    module = COMMANDS[name].split(":")[0]
    return importlib.util.find_spec(module) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="policylint")
@click.option("--debug", is_flag=True, hidden=False, help="Show Python tracebacks on internal errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Lint cookie policies and diff their versions.

    \b
    policylint extract samples/saas-tables.html    what does this policy declare?
    policylint check policies/                     what is unfinished, missing or contradictory?
    policylint diff old.html new.html              which changes need notice or consent?
    policylint rules PL301                         what does a rule mean and why?

    Exit codes: 0 clean, 1 findings (or a material change), 2 usage or input error.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def main() -> None:
    import sys

    debug = "--debug" in sys.argv[1:]
    try:
        cli.main(prog_name="policylint", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("policylint: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # the last line of defence: never a traceback unless asked
        if debug:
            raise
        click.echo(
            f"policylint: internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
            err=True,
        )
        sys.exit(2)


if __name__ == "__main__":
    main()
