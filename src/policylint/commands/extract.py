"""`policylint extract`: print the inventory a policy declares."""

from __future__ import annotations

import json
import sys

import click


@click.command(name="extract")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: a readable inventory; json: the Policy object (an array of them for several "
    "files; see README, 'extract').",
)
@click.option(
    "--input-format",
    type=click.Choice(["html", "markdown", "text"]),
    default=None,
    help="Parse as this format instead of guessing from the extension and content.",
)
@click.option(
    "--stdin-filename",
    metavar="NAME",
    default=None,
    help="Name (and so format) of the document read from standard input when FILE is '-'.",
)
@click.pass_context
def extract(
    ctx: click.Context, files: tuple[str, ...], fmt: str, input_format: str | None, stdin_filename: str | None
) -> None:
    """Print what each policy declares: title, date, controller, contacts, every cookie /
    storage key / pixel (name, provider, purpose, category, duration, party, consent
    and exemption basis, source line), the third parties named and the claims made.

    \b
    policylint extract samples/saas-tables.html
    policylint extract --format json policies/*.md > inventory.json
    curl -s https://example.com/cookies | policylint extract - --stdin-filename cookies.html

    A document that cannot be read as text (binary, too large) or is empty gets its PL0xx
    code on standard error. Exit code 2 if a file cannot be read or is not text.
    """
    from policylint.api import load_bytes, load_document
    from policylint.extraction import extract_policy
    from policylint.load import MAX_BYTES, InputError
    from policylint.model import to_json

    status = 0
    results = []
    for path in files:
        try:
            if path == "-":
                data = sys.stdin.buffer.read(MAX_BYTES + 1)
                doc = load_bytes(stdin_filename or "-", data, input_format)  # type: ignore[arg-type]
            else:
                doc = load_document(path, fmt=input_format)  # type: ignore[arg-type]
        except InputError as exc:
            click.echo(f"policylint: error: {exc}", err=True)
            status = 2
            continue
        problems = list(doc.problems)
        if not problems and not doc.blocks:
            problems.append(("PL002", "the document is empty: nothing to extract"))
        unreadable = any(code in _UNREADABLE for code, _ in problems)
        for code, message in problems:
            level = "error" if unreadable else "warning"
            click.echo(f"policylint: {level}: {doc.path}: {code} {message}", err=True)
        if unreadable:
            status = 2
            continue
        policy = extract_policy(doc)
        if fmt == "json":
            results.append(to_json(policy))
        else:
            click.echo(render_text(policy))
    if fmt == "json":
        out = results[0] if len(results) == 1 and len(files) == 1 else results
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    sys.exit(status)


# Nothing of the document could be read: binary content, over the size limit.
_UNREADABLE = {"PL001", "PL006"}


def _consent_text(item) -> str:
    if item.consent is True:
        return "consent"
    if item.consent is False:
        return "exempt" + (f": {item.exemption_basis}" if item.exemption_basis else " (no basis given)")
    return "-"


def render_text(policy) -> str:
    lines = [f"{policy.path}  [{policy.format}, {policy.language}]"]
    lines.append(f"  title:        {policy.title or '-'}")
    date = policy.last_updated.isoformat() if policy.last_updated else "-"
    lines.append(
        f"  last updated: {date}"
        + (f"  (line {policy.last_updated_line})" if policy.last_updated_line else "")
    )
    lines.append(f"  controller:   {policy.controller or '-'}")
    contacts = ", ".join(c.value for c in policy.contacts[:6]) or "-"
    lines.append(f"  contacts:     {contacts}")
    lines.append(f"  third parties: {', '.join(t.name for t in policy.third_parties) or '-'}")
    lines.append(f"  items:        {len(policy.cookies)}")
    if policy.cookies:
        head = ("line", "name", "storage", "category", "provider", "duration", "party", "consent")
        rows = [head]
        for it in policy.cookies:
            rows.append(
                (
                    str(it.line),
                    _clip(it.name or "(no name)", 40),
                    it.storage,
                    it.category or "-",
                    _clip(it.provider or "-", 24),
                    _clip(it.duration or "-", 18),
                    it.party or "-",
                    _clip(_consent_text(it), 40),
                )
            )
        widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
        for k, r in enumerate(rows):
            lines.append("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
            if k == 0:
                lines.append("  " + "  ".join("-" * w for w in widths))
    if policy.claims:
        lines.append("  claims:")
        for c in policy.claims:
            verb = "yes" if c.polarity else "no"
            lines.append(f"    line {c.line}: {c.kind}/{c.subject} = {verb}: {_clip(c.text, 90)}")
    return "\n".join(lines) + "\n"


def _clip(s: str, n: int) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"
