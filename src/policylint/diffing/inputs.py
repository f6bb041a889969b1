"""Where the two versions come from: two files, a git revision, or a patch.

* ``versions_from_paths(old, new)``;
* ``versions_from_git(rev, file)``: FILE in the work tree against its content
  at REV (``git show REV:path``, argv list, no shell); a file absent at REV is
  an empty old version (everything is added);
* ``versions_from_patch(patch, target)``: a unified diff (old → new) applied
  in reverse to TARGET (the new version, in the work tree) to rebuild the old.

Every failure is a ``DiffInputError`` with a one-line message.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from policylint.model import Document


class DiffInputError(Exception):
    """The versions cannot be obtained (missing file, bad revision, patch that does not apply)."""


@dataclass
class Version:
    name: str  # display name: a path, "REV:path", "path (before patch)"
    document: Document | None  # None: the file does not exist in this version
    path: str | None = None  # a file on disk this version was read from


def _load_path(path: str) -> Document:
    from policylint.api import load_document
    from policylint.load import InputError

    try:
        return load_document(path)
    except InputError as exc:
        raise DiffInputError(str(exc)) from None


def _load_bytes(name: str, data: bytes, like: str) -> Document:
    """A Document from bytes, its format sniffed from the name of the file it is a version of."""
    from policylint.api import load_bytes
    from policylint.load import sniff_format

    fmt = sniff_format(like, data[:8192])
    return load_bytes(name, data, fmt)


def versions_from_paths(old: str, new: str) -> tuple[Version, Version]:
    """Two files; one of them may be ``-``, standard input, in the other's format
    (``curl -s https://example.com/cookies | policylint diff archived.html -``)."""
    if old == "-" and new == "-":
        raise DiffInputError("only one of OLD and NEW can be - (standard input)")
    if "-" in (old, new):
        like = new if old == "-" else old
        doc = _load_bytes("<stdin>", _read_stdin(), like)
        stdin = Version("<stdin>", doc)
        if old == "-":
            return stdin, Version(new, _load_path(new), new)
        return Version(old, _load_path(old), old), stdin
    return Version(old, _load_path(old), old), Version(new, _load_path(new), new)


def _read_stdin() -> bytes:
    from policylint.load import MAX_BYTES

    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise DiffInputError(f"standard input: larger than {MAX_BYTES // 2**20} MB")
    return data


# --- git -----------------------------------------------------------------------------------------------


def _git(
    args: list[str], cwd: str | os.PathLike[str], timeout: float = 60
) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(  # noqa: S603 - argv list, no shell
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            timeout=timeout,
            check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"},
        )
    except FileNotFoundError:
        raise DiffInputError("--git needs the git command, which is not installed") from None
    except subprocess.TimeoutExpired:
        raise DiffInputError(f"git {' '.join(args[:2])} took too long") from None


def _first_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else ""


def _existing_file(path: str) -> Path:
    """``path`` as a Path; DiffInputError when it is missing or a directory."""
    p = Path(path)
    if not p.exists():
        raise DiffInputError(f"{path}: no such file")
    if p.is_dir():
        raise DiffInputError(f"{path}: is a directory")
    return p


def versions_from_git(rev: str, file: str) -> tuple[Version, Version]:
    if not rev or rev.startswith("-") or "\x00" in rev or "\n" in rev:
        raise DiffInputError(f"--git {rev!r}: not a revision")
    p = _existing_file(file)
    real = p.resolve()
    top = _git(["rev-parse", "--show-toplevel"], real.parent)
    if top.returncode != 0:
        raise DiffInputError(f"{file}: not inside a git repository")
    root = Path(top.stdout.decode("utf-8", "surrogateescape").strip()).resolve()
    try:
        rel = real.relative_to(root).as_posix()
    except ValueError:
        raise DiffInputError(f"{file}: outside the git repository at {root}") from None
    ok = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root)
    if ok.returncode != 0:
        raise DiffInputError(f"--git {rev}: unknown revision in {root}")
    commit = ok.stdout.decode().strip()
    new = Version(file, _load_path(file), file)
    spec = f"{commit}:{rel}"
    kind = _git(["cat-file", "-t", spec], root)
    name = f"{rev}:{rel}"
    if kind.returncode != 0:
        return Version(name, None), new  # absent at REV: everything is new
    if kind.stdout.strip() != b"blob":
        raise DiffInputError(f"{name}: is a {kind.stdout.decode().strip()} at {rev}, not a file")
    shown = _git(["show", spec], root)
    if shown.returncode != 0:
        raise DiffInputError(f"git show {name}: {_first_line(shown.stderr)}")
    return Version(name, _load_bytes(name, shown.stdout, rel)), new


# --- patch ---------------------------------------------------------------------------------------------


def _read_patch(patch: str) -> bytes:
    from policylint.load import MAX_BYTES

    # Read one byte past the limit: enough to refuse a huge patch (or `yes |`) without holding it.
    if patch == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        p = _existing_file(patch)
        try:
            with p.open("rb") as fh:
                data = fh.read(MAX_BYTES + 1)
        except OSError as exc:
            raise DiffInputError(f"{patch}: cannot read ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        name = "standard input" if patch == "-" else patch
        raise DiffInputError(f"{name}: the patch is larger than {MAX_BYTES // 2**20} MB")
    return data


def _strip_prefix(path: str) -> str:
    path = path.strip()
    if path.startswith(("a/", "b/")):
        path = path[2:]
    while path.startswith("./"):
        path = path[2:]
    return path


def _candidates(target: str) -> set[str]:
    """Ways a patch may name TARGET: as given, relative to the cwd, relative to the git root."""
    out = {Path(target).as_posix(), Path(os.path.normpath(target)).as_posix()}
    real = Path(target).resolve()
    with contextlib.suppress(ValueError):
        out.add(real.relative_to(Path.cwd().resolve()).as_posix())
    top = None
    for parent in [real.parent, *real.parents]:
        if (parent / ".git").exists():
            top = parent
            break
    if top is not None:
        out.add(real.relative_to(top).as_posix())
    return out


def _select(patchset, target: str):
    files = list(patchset)
    names = _candidates(target)
    base = Path(target).name
    exact, by_name = [], []
    for pf in files:
        paths = {
            _strip_prefix(pf.path),
            _strip_prefix(pf.source_file or ""),
            _strip_prefix(pf.target_file or ""),
        }
        paths.discard("/dev/null")
        if paths & names or any(
            n.endswith("/" + q) or q.endswith("/" + n) for q in paths for n in names if q and n
        ):
            exact.append(pf)
        elif any(Path(q).name == base for q in paths):
            by_name.append(pf)
    chosen = exact or by_name
    if len(chosen) == 1:
        return chosen[0]
    if not chosen and len(files) == 1:
        return files[0]
    listed = ", ".join(_strip_prefix(pf.path) for pf in files[:5])
    if not chosen:
        raise DiffInputError(f"the patch does not change {target} (it changes: {listed})")
    raise DiffInputError(
        f"the patch changes {target} more than once ({listed}); give a patch for this file only"
    )


def _hunk_lines(hunk) -> tuple[list[str], list[str]]:
    """(old side, new side) lines of a hunk, honouring '\\ No newline at end of file'."""
    old: list[str] = []
    new: list[str] = []
    lines = list(hunk)
    for i, line in enumerate(lines):
        if line.line_type not in (" ", "-", "+"):
            continue
        value = line.value
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if nxt is not None and nxt.line_type == "\\" and value.endswith("\n"):
            value = value[:-1]
        if line.line_type in (" ", "-"):
            old.append(value)
        if line.line_type in (" ", "+"):
            new.append(value)
    return old, new


def _same(a: str, b: str) -> bool:
    return a.rstrip("\r\n") == b.rstrip("\r\n")


def reverse_apply(text: str, patched_file, target: str = "TARGET") -> str:
    """The text before the patch, from the text after it; DiffInputError when a hunk does not apply."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    pos = 0
    for n, hunk in enumerate(patched_file, 1):
        old, new = _hunk_lines(hunk)
        expected = hunk.target_start - 1 if hunk.target_length else hunk.target_start
        expected = max(expected, pos)
        start = _find(lines, new, expected, pos)
        if start is None:
            header = (
                f"@@ -{hunk.source_start},{hunk.source_length} +{hunk.target_start},{hunk.target_length} @@"
            )
            detail = ""
            for k, want in enumerate(new):
                have = lines[expected + k] if expected + k < len(lines) else None
                if have is None or not _same(have, want):
                    got = "end of file" if have is None else repr(have.rstrip("\r\n")[:60])
                    detail = (
                        f": line {expected + k + 1} is {got}, the patch expects {want.rstrip(chr(10))[:60]!r}"
                    )
                    break
            raise DiffInputError(
                f"the patch does not apply to {target} in reverse (hunk {n} {header}{detail}); "
                "is TARGET the version after the patch?"
            )
        out.extend(lines[pos:start])
        # Context lines keep the work tree's own line endings; removed lines come from the patch.
        k = oi = 0
        for line in hunk:
            if line.line_type == " ":
                out.append(lines[start + k])
                k += 1
                oi += 1
            elif line.line_type == "+":
                k += 1
            elif line.line_type == "-":
                out.append(old[oi])
                oi += 1
        pos = start + len(new)
    out.extend(lines[pos:])
    return "".join(out)


def _find(lines: list[str], seq: list[str], expected: int, floor: int) -> int | None:
    def matches(at: int) -> bool:
        if at < floor or at + len(seq) > len(lines):
            return False
        return all(_same(lines[at + k], s) for k, s in enumerate(seq))

    if not seq:
        return min(expected, len(lines)) if expected >= floor else floor
    if matches(expected):
        return expected
    # The work tree may have moved a little since the patch was made (like patch's offset search).
    for delta in range(1, len(lines) + 1):
        for at in (expected - delta, expected + delta):
            if matches(at):
                return at
        if expected - delta < floor and expected + delta > len(lines):
            break
    return None


def versions_from_patch(patch: str, target: str) -> tuple[Version, Version]:
    from unidiff import PatchSet
    from unidiff.errors import UnidiffParseError

    data = _read_patch(patch)
    text = data.decode("utf-8", "surrogateescape")
    try:
        ps = PatchSet(text)
    except UnidiffParseError as exc:
        raise DiffInputError(
            f"{'standard input' if patch == '-' else patch}: not a unified diff ({exc})"
        ) from None
    if not list(ps):
        raise DiffInputError(f"{'standard input' if patch == '-' else patch}: no file changes in the patch")
    pf = _select(ps, target)
    if pf.is_binary_file:
        raise DiffInputError(f"the patch for {target} is a binary patch")
    if pf.is_removed_file:
        raise DiffInputError(f"the patch deletes {target}: there is no new version to compare")
    tp = _existing_file(target)
    new = Version(target, _load_path(target), target)
    name = f"{target} (before patch)"
    if pf.is_added_file:
        return Version(name, None), new
    raw = tp.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    current = raw.decode("utf-8", "surrogateescape")
    before = reverse_apply(current, pf, target)
    return Version(name, _load_bytes(name, before.encode("utf-8", "surrogateescape"), target)), new
