"""What a diff check (a check file with ``SCOPE = "diff"``) receives, and how they run.

A diff check is a module in ``checks/`` with the usual constants (CODE, NAME,
SEVERITY, SUMMARY, WHY, BASIS, FIX, FORMAT, FAILING, PASSING), ``SCOPE =
"diff"``, FAILING/PASSING as ``(old_text, new_text)`` pairs, and a function
``check_diff(ctx: DiffContext) -> Iterable[Finding]``. Findings point at lines
of the *new* file (the one under review); a change that only exists in the old
file is located where it would sit in the new one.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType

from policylint.checks_api import RuleReporter
from policylint.model import Change, Document, Finding, Policy


@dataclass
class DiffContext(RuleReporter):
    old: Policy
    new: Policy
    changes: list[Change]
    old_document: Document | None = None
    new_document: Document | None = None
    replaced: list[str] = field(default_factory=list)  # why the new version is not a cookie policy any more
    code: str = ""
    name: str = ""
    severity: str = "warning"
    options: dict = field(default_factory=dict)
    line_map: Callable[[int], int | None] | None = None  # old line → new line

    @property
    def material(self) -> list[Change]:
        return [c for c in self.changes if c.material]

    @property
    def editorial(self) -> list[Change]:
        return [c for c in self.changes if not c.material]

    def new_line(self, change: Change) -> int:
        """The line in the new file a finding about ``change`` points at."""
        if change.new_line:
            return change.new_line
        if change.old_line and self.line_map is not None:
            mapped = self.line_map(change.old_line)
            if mapped:
                return mapped
        return 1

    def source_lines(self) -> list[str]:
        """The new version's lines: diff findings point into the file under review."""
        return self.new_document.lines if self.new_document is not None else []


def builtin_checks_dir() -> Path | None:
    """``checks/`` next to ``src/`` in a checkout, or ``policylint/builtin_checks`` when installed."""
    here = Path(__file__).resolve().parent.parent  # .../policylint
    for cand in (here / "builtin_checks", here.parent.parent / "checks"):
        if cand.is_dir():
            return cand
    return None


@cache
def _load(path: str) -> ModuleType | None:
    name = "policylint_diffcheck_" + Path(path).stem
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        return None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    try:
        spec.loader.exec_module(mod)
    except Exception:  # noqa: BLE001 - a broken check file must not break the diff
        sys.modules.pop(name, None)
        return None
    return mod


def diff_checks(directories: list[Path] | None = None) -> list[ModuleType]:
    """Check modules with ``SCOPE == "diff"``, built-in first, sorted by code."""
    dirs = list(directories or [])
    builtin = builtin_checks_dir()
    if builtin is not None:
        dirs.insert(0, builtin)
    mods: dict[str, ModuleType] = {}
    for d in dirs:
        for f in sorted(Path(d).glob("*.py")):
            if f.name.startswith("_"):
                continue
            try:
                head = f.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if "SCOPE" not in head or "check_diff" not in head:
                continue  # cheap filter: do not import every single-document check
            mod = _load(str(f))
            if (
                mod is not None
                and getattr(mod, "SCOPE", None) == "diff"
                and callable(getattr(mod, "check_diff", None))
            ):
                mods.setdefault(mod.CODE, mod)
    return [mods[k] for k in sorted(mods)]


def run_diff_checks(ctx: DiffContext, modules: list[ModuleType] | None = None) -> list[Finding]:
    findings: list[Finding] = []
    for mod in modules if modules is not None else diff_checks():
        ctx.code, ctx.name, ctx.severity = mod.CODE, mod.NAME, mod.SEVERITY
        findings.extend(mod.check_diff(ctx))
    ctx.code = ctx.name = ""
    findings.sort(key=lambda f: (f.line, f.rule))
    return findings
