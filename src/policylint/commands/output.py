"""Plumbing shared by the commands that write a report (``check``, ``diff``, ``audit``).

Errors, colour, the ``--output`` option, refusing to overwrite an input, and writing the
report atomically: the same for every command, so a fix to one (a permission kept, a clash
detected through a symlink) reaches all of them. Imports nothing heavy: ``policylint rules``
and ``--help`` must stay fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NoReturn, TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])


def fail(ctx: click.Context, message: str) -> NoReturn:
    """Report a usage or input error on standard error and exit 2 (the commands' error code)."""
    click.echo(f"policylint: error: {message}", err=True)
    ctx.exit(2)


def is_tty() -> bool:
    """Whether standard output is a terminal (False when it is closed or replaced)."""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def wants_color(fmt: str, output: str | None) -> bool:
    """Colour only a text report going to a terminal, and never with NO_COLOR set."""
    return fmt == "text" and output is None and is_tty() and "NO_COLOR" not in os.environ


def output_option(help_text: str) -> Callable[[F], F]:
    """The ``--output/-o FILE`` option (``help_text`` says what writing to FILE replaces)."""
    return click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help=help_text)


def config_option(
    help_text: str = "Read settings from this TOML file instead of the nearest pyproject.toml "
    "[tool.policylint] or .policylint.toml.",
) -> Callable[[F], F]:
    """The ``--config FILE`` option every command that reads settings takes."""
    return click.option(
        "--config", "config_path", type=click.Path(dir_okay=False), default=None, help=help_text
    )


def output_clash(output: str, inputs: Iterable[str]) -> str | None:
    """The input that ``output`` would overwrite, or None.

    The same file however it is named: through ``..``, a symlink, a hard link, or (on
    case-insensitive systems) another case. ``-`` (standard input) is never a clash.
    """
    out_real = os.path.realpath(output)
    out_abs = os.path.normcase(os.path.abspath(output))
    for p in inputs:
        if p == "-":
            continue
        if os.path.realpath(p) == out_real or os.path.normcase(os.path.abspath(p)) == out_abs:
            return p
        try:
            if os.path.exists(output) and os.path.samefile(p, output):
                return p
        except OSError:
            continue
    return None


def write_atomic(path: str, text: str, *, new_file_mode: int = 0o666) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same directory and os.replace.

    A reader never sees half a report, and a failed write leaves the old file in place. An
    existing file keeps its permissions; a new one gets ``new_file_mode`` less the umask.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):
            mode = os.stat(target).st_mode & 0o777 if target.exists() else new_file_mode & ~_umask()
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def emit(
    ctx: click.Context,
    fmt: str,
    output: str | None,
    render: Callable[[bool], str],
) -> None:
    """Render the report (``render(color)``: colour only for a terminal) and write it to
    ``output`` atomically, or to standard output. Exits 2 when the file cannot be written."""
    color = wants_color(fmt, output)
    text = render(color)
    if output is None:
        click.echo(text, nl=False, color=color)
        return
    try:
        write_atomic(output, text)
    except OSError as exc:
        fail(ctx, f"{output}: cannot write ({exc.strerror or exc})")
