"""``policylint rules``: list the rules, or explain one."""

from __future__ import annotations

import json
import textwrap

import click

from policylint.commands.output import config_option


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("codes", nargs=-1, metavar="[CODE]...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for tools (every field of every rule).",
)
@config_option("Settings file whose `extend-checks` rules are listed too (default: the nearest one).")
@click.pass_context
def rules(ctx: click.Context, codes: tuple[str, ...], fmt: str, config_path: str | None) -> None:
    """List every rule, or print the full documentation of some.

    CODE is a rule code (PL101), a family prefix (PL1) or a rule name
    (unfilled-placeholder).

    \b
    Examples:
      policylint rules                    code, name, severity and summary of every rule
      policylint rules PL301              why it matters, the legal basis, how to fix, examples
      policylint rules PL1                every rule of the PL1 family, in full
      policylint rules --format json      all of it, for tools
    """
    from policylint.config import ConfigError, load_config
    from policylint.engine import CheckFileError, discover

    try:
        cfg = load_config(config_path)
        all_rules = discover(cfg.extend_checks)
    except (ConfigError, CheckFileError) as exc:
        click.echo(f"policylint: error: {exc}", err=True)
        ctx.exit(2)
        return

    if not codes:
        if fmt == "json":
            click.echo(json.dumps([_as_dict(r) for r in all_rules], indent=2, ensure_ascii=False))
        else:
            click.echo(_table(all_rules), nl=False)
        return

    chosen = []
    for query in codes:
        q = query.strip()
        matched = [r for r in all_rules if r.code == q.upper() or r.name == q.lower()]
        if not matched:
            matched = [r for r in all_rules if r.code.startswith(q.upper())] if q else []
        if not matched:
            click.echo(f"policylint: error: no rule {query!r} (see `policylint rules`)", err=True)
            ctx.exit(2)
            return
        chosen.extend(r for r in matched if r not in chosen)
    if fmt == "json":
        data = [_as_dict(r) for r in chosen]
        click.echo(json.dumps(data[0] if len(data) == 1 else data, indent=2, ensure_ascii=False))
    else:
        click.echo("\n\n".join(_doc(r) for r in chosen))


def _as_dict(rule) -> dict:
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity,
        "summary": rule.summary,
        "why": rule.why,
        "basis": rule.basis,
        "fix": rule.fix,
        "format": rule.format,
        "failing": rule.failing,
        "passing": rule.passing,
        "scope": rule.scope,
        "path": str(rule.path),
    }


def _table(all_rules) -> str:
    width = max((len(r.name) for r in all_rules), default=4)
    lines = [f"{'CODE':<6} {'NAME':<{width}} {'SEVERITY':<8} SUMMARY"]
    for r in all_rules:
        summary = r.summary + (" (diff)" if r.scope == "diff" else "")
        lines.append(f"{r.code:<6} {r.name:<{width}} {r.severity:<8} {summary}")
    return "\n".join(lines) + "\n"


def _para(text: str) -> str:
    out = []
    for para in text.split("\n\n"):
        out.append(
            textwrap.fill(" ".join(para.split()), width=88, initial_indent="  ", subsequent_indent="  ")
        )
    return "\n\n".join(out)


def _example(text: str) -> str:
    # Control characters (a NUL byte in PL007's example) are shown, not sent to the terminal.
    shown = "".join(c if c in "\n\t" or ord(c) >= 32 else f"\\x{ord(c):02x}" for c in text.rstrip("\n"))
    return textwrap.indent(shown, "    ", lambda _line: True)


def _examples(title: str, fmt: str, example) -> list[str]:
    if isinstance(example, tuple):  # a diff rule: (old, new)
        return [
            click.style(f"{title} example: old version ({fmt})", bold=True),
            _example(example[0]),
            "",
            click.style(f"{title} example: new version ({fmt})", bold=True),
            _example(example[1]),
        ]
    return [click.style(f"{title} example ({fmt})", bold=True), _example(example)]


def _doc(rule) -> str:
    scope = "  (reported by `policylint diff`, not by `check`)" if rule.scope == "diff" else ""
    parts = [
        click.style(f"{rule.code} {rule.name}", bold=True) + f"  [{rule.severity}]{scope}",
        "",
        _para(rule.summary),
        "",
        click.style("Why it matters", bold=True),
        _para(rule.why),
        "",
        click.style("Basis", bold=True),
        _para(rule.basis),
        "",
        click.style("How to fix", bold=True),
        _para(rule.fix),
        "",
        *_examples("Failing", rule.format, rule.failing),
        "",
        *_examples("Passing", rule.format, rule.passing),
    ]
    return "\n".join(parts)
