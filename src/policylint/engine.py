"""The check engine: discover check files, select rules, run them, apply suppressions.

A check is one file ``plNNN_<name>.py`` in ``checks/`` (shipped in the wheel as
``policylint/builtin_checks``) or in a directory a team adds with
``extend-checks``. The engine imports each file once, validates its shape, and
runs the selected checks on a document within a time budget: a check that
raises or runs out of time yields a PL005 finding, never a traceback.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import ModuleType

from policylint.checks_api import Context
from policylint.config import SEVERITY_RANK, Config
from policylint.model import Document, Finding, Policy

REQUIRED = ("CODE", "NAME", "SEVERITY", "SUMMARY", "WHY", "BASIS", "FIX", "FORMAT", "FAILING", "PASSING")
_CODE = re.compile(r"^[A-Z]{1,10}[0-9]{3,4}$")
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FILE = re.compile(r"^[a-z]{1,10}[0-9]{3,4}_[a-z0-9_]+\.py$")
_CODE_SELECTOR = re.compile(r"^[A-Z]{1,10}[0-9]{1,4}$")
_DIRECTIVE = re.compile(
    r"^\s*policylint\s*:\s*(disable-next-line|disable|enable)\b\s*(?:=\s*([A-Za-z0-9_,\s]*))?", re.IGNORECASE
)

ENGINE_CODE = "PL005"
ENGINE_NAME = "check-failed"


class CheckFileError(Exception):
    """A check file cannot be imported or does not have the required shape."""


@dataclass(frozen=True, eq=False)
class Rule:
    """One check file, as the engine and ``policylint rules`` see it."""

    code: str
    name: str
    severity: str
    summary: str
    why: str
    basis: str
    fix: str
    format: str
    failing: str | tuple[str, str]  # (old, new) pairs for a diff rule
    passing: str | tuple[str, str]
    path: Path
    expect: int | None = None
    scope: str = "lint"  # "lint" (run by check) or "diff" (documents a PL5 change rule)
    func: Callable[[Context], Iterable[Finding] | None] | None = field(default=None, repr=False)
    module: ModuleType | None = field(default=None, repr=False)


@dataclass(slots=True)
class FileResult:
    """What linting one file gave: its findings, or the error that stopped it being read."""

    path: str
    format: str | None
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None


# ---------------------------------------------------------------------------
# Discovery


def builtin_checks_dir() -> Path:
    """``policylint/builtin_checks`` in an installed wheel, else the repo's ``checks/``."""
    import policylint

    pkg = Path(policylint.__file__).resolve().parent
    installed = pkg / "builtin_checks"
    if installed.is_dir():
        return installed
    return pkg.parent.parent / "checks"


_CACHE: dict[tuple, list[Rule]] = {}


@lru_cache(maxsize=1024)
def _is_builtin(path: Path) -> bool:
    return path.resolve().parent == builtin_checks_dir().resolve()


def discover(extra_dirs: Sequence[str | os.PathLike[str]] = ()) -> list[Rule]:
    """Every rule from the built-in checks and ``extra_dirs``, sorted by code.

    Raises CheckFileError naming the file when one is broken, and when two files
    claim the same code.
    """
    # The library API discovers once per document: resolving paths costs system calls, so the
    # directories as given (and the working directory they are relative to) are a key too.
    given = (tuple(os.fspath(d) for d in extra_dirs), os.getcwd() if extra_dirs else "")
    if given in _CACHE:
        return _CACHE[given]
    dirs = [builtin_checks_dir(), *(Path(d) for d in extra_dirs)]
    key = tuple(str(d.resolve()) for d in dirs)
    if key in _CACHE:
        _CACHE[given] = _CACHE[key]
        return _CACHE[key]
    rules: dict[str, Rule] = {}
    for i, directory in enumerate(dirs):
        if not directory.is_dir():
            if i == 0:
                continue  # a source tree without checks/ is still usable as a library
            raise CheckFileError(f"{directory}: extend-checks directory does not exist")
        for path in sorted(directory.glob("*.py")):
            if path.name.startswith("_"):
                continue  # __init__.py, helpers shared by checks
            if not _FILE.match(path.name):
                raise CheckFileError(
                    f"{path}: a check file is named after its code, like acme101_short_name.py "
                    "(helper modules start with _)"
                )
            rule = load_check_file(path)
            if rule.code in rules:
                raise CheckFileError(f"{path}: code {rule.code} is already used by {rules[rule.code].path}")
            rules[rule.code] = rule
    result = sorted(rules.values(), key=lambda r: r.code)
    _CACHE[key] = _CACHE[given] = result
    return result


def load_check_file(path: Path) -> Rule:
    """Import one check file and validate its shape."""
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:10]
    mod_name = f"policylint._checks.{path.stem}_{digest}"
    try:
        spec = importlib.util.spec_from_file_location(mod_name, path)
        if spec is None or spec.loader is None:
            raise CheckFileError(f"{path}: cannot be imported")
        module = importlib.util.module_from_spec(spec)
        sys.modules[mod_name] = module  # dataclasses and pickling look modules up here
        spec.loader.exec_module(module)
    except CheckFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - any error in a check file is reported the same way
        sys.modules.pop(mod_name, None)
        raise CheckFileError(f"{path}: cannot be imported: {type(exc).__name__}: {exc}") from None
    return _rule_from_module(module, path)


def _rule_from_module(module: ModuleType, path: Path) -> Rule:
    missing = [name for name in REQUIRED if not hasattr(module, name)]
    if missing:
        raise CheckFileError(
            f"{path}: missing {', '.join(missing)} (a check file defines {', '.join(REQUIRED)})"
        )
    scope = getattr(module, "SCOPE", "lint")
    if scope not in ("lint", "diff"):
        raise CheckFileError(f"{path}: SCOPE {scope!r} must be 'diff' or absent")
    for name in REQUIRED:
        value = getattr(module, name)
        if name in ("FAILING", "PASSING") and scope == "diff":
            # A diff rule's examples are (old, new) pairs of documents.
            if not (isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, str) for v in value)):
                raise CheckFileError(f"{path}: {name} must be an (old, new) pair of strings for a diff rule")
        elif not isinstance(value, str):
            raise CheckFileError(f"{path}: {name} must be a string")
    code, name, severity = module.CODE, module.NAME, module.SEVERITY
    if not _CODE.match(code):
        raise CheckFileError(f"{path}: CODE {code!r} must look like PL101")
    if not path.name.lower().startswith(code.lower() + "_"):
        raise CheckFileError(f"{path}: file name must start with {code.lower()}_ (CODE is {code})")
    if not _NAME.match(name):
        raise CheckFileError(f"{path}: NAME {name!r} must be kebab-case, like unfilled-placeholder")
    if severity not in SEVERITY_RANK:
        raise CheckFileError(f"{path}: SEVERITY {severity!r} must be error, warning or info")
    if module.FORMAT not in ("markdown", "html", "text"):
        raise CheckFileError(f"{path}: FORMAT {module.FORMAT!r} must be markdown, html or text")
    func = getattr(module, "check", None)
    if scope == "lint" and not callable(func):
        raise CheckFileError(f"{path}: missing def check(ctx) -> Iterable[Finding]")
    if scope == "diff" and not callable(getattr(module, "check_diff", None)):
        raise CheckFileError(f"{path}: missing def check_diff(ctx) -> Iterable[Finding] (SCOPE is diff)")
    expect = getattr(module, "EXPECT", None)
    if expect is not None and (isinstance(expect, bool) or not isinstance(expect, int) or expect < 0):
        raise CheckFileError(f"{path}: EXPECT must be a non-negative int")
    for const in ("SUMMARY", "NAME"):
        if "\n" in getattr(module, const).strip():
            raise CheckFileError(f"{path}: {const} must be one line")
    return Rule(
        code=code,
        name=name,
        severity=severity,
        summary=module.SUMMARY.strip(),
        why=_dedent(module.WHY),
        basis=_dedent(module.BASIS),
        fix=_dedent(module.FIX),
        format=module.FORMAT,
        failing=module.FAILING,
        passing=module.PASSING,
        path=path,
        expect=expect,
        scope=scope,
        func=func if callable(func) else None,
        module=module,
    )


def _dedent(text: str) -> str:
    import textwrap

    return textwrap.dedent(text).strip()


# ---------------------------------------------------------------------------
# Selection


def _match_len(code: str, selectors: Iterable[str]) -> int:
    """Length of the most specific selector matching ``code`` (-1 when none; ALL counts 0)."""
    best = -1
    for sel in selectors:
        if sel == "ALL":
            best = max(best, 0)
        elif code.startswith(sel):
            best = max(best, len(sel))
    return best


def is_selected(code: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """The most specific selector wins: ``select=[PL1], ignore=[PL101]`` drops PL101 only,
    ``select=[PL101], ignore=[PL1]`` keeps PL101."""
    s, i = _match_len(code, select), _match_len(code, ignore)
    return s >= 0 and s > i


def unknown_selectors(selectors: Iterable[str], rules: Sequence[Rule]) -> list[str]:
    """Selectors that match no rule (a typo like PL1O1 should not silently select nothing)."""
    codes = [r.code for r in rules] + [ENGINE_CODE]
    return [s for s in selectors if s != "ALL" and not any(c.startswith(s) for c in codes)]


def validate_selectors(config: Config, rules: Sequence[Rule]) -> None:
    """ConfigError for a select/ignore/per-file-ignores code that matches no rule."""
    from policylint.config import ConfigError

    where = f"{config.path}: " if config.path else ""
    if not config.select:
        # An empty list is a slip (a stray `select = []`, `--select ""`), not a request to pass
        # every document unread: CI would go green on anything.
        raise ConfigError(
            f"{where}select: empty, so no rule would run; list codes or prefixes (PL1, PL101), "
            "or remove it to run every rule"
        )
    for key, values in (
        ("select", config.select),
        ("ignore", config.ignore),
        ("per-file-ignores", [c for cs in config.per_file_ignores.values() for c in cs]),
    ):
        bad = unknown_selectors(values, rules)
        if bad:
            raise ConfigError(f"{where}{key}: no rule matches {', '.join(bad)} (see `policylint rules`)")
    if rules and not any(is_selected(r.code, config.select, config.ignore) for r in rules):
        # `--ignore ALL`, `ignore = ["PL"]`: every document would pass unread.
        raise ConfigError(
            f"{where}select/ignore leave no rule to run (select: {', '.join(config.select)}; "
            f"ignore: {', '.join(config.ignore)})"
        )


def select_rules(rules: Sequence[Rule], config: Config) -> list[Rule]:
    return [r for r in rules if r.scope == "lint" and is_selected(r.code, config.select, config.ignore)]


def at_or_above(severity: str, threshold: str) -> bool:
    return SEVERITY_RANK.get(severity, 0) >= SEVERITY_RANK.get(threshold, 0)


# ---------------------------------------------------------------------------
# Suppression


@dataclass(slots=True)
class Suppressions:
    """What the document's directives disable.

    ``events`` are ``(line, verb, codes)`` for ``disable``/``enable`` in line order, replayed up
    to a finding's line (so ``enable=PL101`` after a bare ``disable`` turns PL101 back on);
    ``ranges`` are the inclusive ``(start, end, code)`` spans of ``disable-next-line``.
    Codes are prefixes; ``"ALL"`` stands for every code.
    """

    events: list[tuple[int, str, tuple[str, ...]]] = field(default_factory=list)
    ranges: list[tuple[int, int, str]] = field(default_factory=list)

    def covers(self, finding: Finding) -> bool:
        rule = finding.rule
        for start, end, code in self.ranges:
            if start <= finding.line <= end and (code == "ALL" or rule.startswith(code)):
                return True
        all_off = False
        off: set[str] = set()
        back_on: set[str] = set()  # codes enabled again while everything is disabled
        for line, verb, codes in self.events:
            if line > finding.line:
                break
            if verb == "disable":
                if "ALL" in codes:
                    all_off, back_on = True, set()
                else:
                    off.update(codes)
                    back_on.difference_update(codes)
            elif "ALL" in codes:
                all_off, off, back_on = False, set(), set()
            else:
                off.difference_update(codes)
                off = {c for c in off if not c.startswith(codes)}
                if all_off:
                    back_on.update(codes)
        if any(rule.startswith(c) for c in off):
            return True
        return all_off and not any(rule.startswith(c) for c in back_on)


def suppressions(document: Document) -> Suppressions:
    """Read ``policylint: disable=…`` / ``enable=…`` / ``disable-next-line=…`` comments."""
    first_block = min((b.line for b in document.blocks), default=len(document.lines) + 1)
    out = Suppressions()
    for comment in sorted(document.comments, key=lambda c: c.line):
        m = _DIRECTIVE.match(comment.text)
        if not m:
            continue
        verb = m.group(1).lower()
        codes = _directive_codes(m.group(2))
        if not codes:
            continue  # "disable=" followed by no valid code: a typo must not disable everything
        if verb == "disable-next-line":
            start, end = _next_line_span(document, comment.line)
            out.ranges.extend((start, end, code) for code in codes)
            continue
        # A directive above the first block (a file header) covers the whole file,
        # including document-level findings reported at line 1.
        line = 1 if verb == "disable" and comment.line <= first_block else comment.line
        out.events.append((line, verb, tuple(codes)))
    out.events.sort(key=lambda e: e[0])
    return out


def _directive_codes(text: str | None) -> list[str]:
    """Codes of a directive (["ALL"] without "="); words after them are a comment
    ("disable=PL101 -- template example")."""
    if text is None:
        return ["ALL"]
    codes: list[str] = []
    for token in re.split(r"[,\s]+", text.strip()):
        if not token:
            continue
        token = token.upper()
        if token != "ALL" and not _CODE_SELECTOR.match(token):
            break
        codes.append(token)
    return codes


def _next_line_span(document: Document, line: int) -> tuple[int, int]:
    """The next non-blank line after a comment starting at ``line`` (and the block it starts)."""
    lines = document.lines
    i = line  # 0-based index of the line after the comment's first line
    if 0 < line <= len(lines):
        opening = lines[line - 1].find("<!--")
        if opening >= 0:
            # Skip to the end of a multi-line HTML comment.
            j, rest = line - 1, lines[line - 1][opening + 4 :]
            while "-->" not in rest and j + 1 < len(lines):
                j += 1
                rest = lines[j]
            i = j + 1
    while i < len(lines) and not lines[i].strip():
        i += 1
    target = i + 1
    for block in document.blocks:
        if block.line == target and block.kind != "table":
            return target, max(target, block.end_line)
    return target, target


# ---------------------------------------------------------------------------
# Running


class _OutOfTime(BaseException):
    """Raised inside a check when the document's time budget is spent (not an Exception, so a
    check's own ``except Exception`` cannot swallow it)."""


@contextmanager
def _deadline(seconds: float):
    """Interrupt the code inside after ``seconds`` (a timer signal): a check stuck in a Python
    loop or a sleep is stopped, not waited for. Only where signals can be used (the main thread
    on a POSIX system); elsewhere the budget is checked between findings only. A regular
    expression running in C is interrupted when it returns (all of ours are linear)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    # A program that embeds policylint may run its own timer: never take it over.
    if not usable or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        yield
        return

    def expire(signum, frame):
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def engine_finding(message: str, *, line: int = 1, excerpt: str = "") -> Finding:
    return Finding(
        rule=ENGINE_CODE, name=ENGINE_NAME, severity="error", message=message, line=line, excerpt=excerpt
    )


def run_checks(
    document: Document,
    policy: Policy,
    config: Config | None = None,
    *,
    rules: Sequence[Rule] | None = None,
    extra: Iterable[Finding] = (),
    clock: Callable[[], float] = time.monotonic,
) -> list[Finding]:
    """Run the selected checks on one document; findings sorted by line, column, rule.

    Applies select/ignore, ``per-file-ignores`` and inline suppressions. A check that
    raises, or that is still running when the document's time budget is spent, gives a
    PL005 finding; the checks after it are skipped once the budget is gone. ``extra``
    findings (from loading or extraction) go through the same filters.
    """
    config = config or Config()
    if rules is None:
        rules = discover(config.extend_checks)
    # Built-in checks first: a slow team check may use up the budget, but only its own
    # findings and those of the team checks after it can go missing.
    selected = sorted(select_rules(rules, config), key=lambda r: not _is_builtin(r.path))
    budget = config.time_budget
    started = clock()
    findings: list[Finding] = list(extra)

    def skipped(after: int) -> str:
        rest = [r.code for r in selected[after:]]
        if not rest:
            return ""
        return f"; {len(rest)} check{'s' if len(rest) > 1 else ''} skipped: {', '.join(rest)}"

    # One timer for the whole document (not one per check: arming it costs system calls that
    # add up over thirty checks on a small document).
    index = 0
    try:
        with _deadline(budget):
            for index, rule in enumerate(selected):
                if clock() - started > budget:
                    findings.append(
                        engine_finding(
                            f"time budget of {budget:g} s for this document was spent{skipped(index)}"
                        )
                    )
                    break
                ctx = Context(
                    document=document,
                    policy=policy,
                    code=rule.code,
                    name=rule.name,
                    severity=rule.severity,
                    options=dict(config.options.get(rule.code, {})),
                )
                cut = False
                try:
                    produced = rule.func(ctx) if rule.func else None
                    for f in produced or ():
                        if not isinstance(f, Finding):
                            raise TypeError(f"check yielded {type(f).__name__}, not Finding")
                        findings.append(f)
                        if clock() - started > budget:
                            cut = True  # stop consuming a generator check: its findings are incomplete
                            break
                except Exception as exc:  # noqa: BLE001 - one broken check must not stop the others
                    detail = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
                    findings.append(
                        engine_finding(
                            f"check {rule.code} failed on this document ({type(exc).__name__}"
                            f"{': ' + detail if detail else ''}); its findings are missing — please report this"
                        )
                    )
                    continue
                if cut or (clock() - started > budget and index + 1 < len(selected)):
                    incomplete = ", its findings may be incomplete" if cut else ""
                    findings.append(
                        engine_finding(
                            f"check {rule.code} ran out of time on this document (budget {budget:g} s)"
                            f"{incomplete}{skipped(index + 1)}"
                        )
                    )
                    break
    except _OutOfTime:
        # The timer fired inside check number ``index`` (or in the engine right around it).
        findings.append(
            engine_finding(
                f"check {selected[index].code} ran out of time on this document (budget {budget:g} s) and "
                f"was stopped: its findings may be incomplete{skipped(index + 1)}"
            )
        )
    return finalize(findings, document, config)


def finalize(findings: Iterable[Finding], document: Document, config: Config) -> list[Finding]:
    """Filter (select/ignore, per-file-ignores, inline suppressions), dedupe and sort."""
    per_file = config.ignored_for(document.path) if config.per_file_ignores else []
    supp = suppressions(document)
    seen: set[tuple] = set()
    out: list[Finding] = []
    for f in findings:
        # Incomplete results (PL005) are shown whatever --select says: only an explicit
        # ignore can hide them, or a run limited to a team's rules would pass on a hang.
        select = ["ALL"] if f.rule == ENGINE_CODE else config.select
        if not is_selected(f.rule, select, config.ignore):
            continue
        if per_file and _match_len(f.rule, per_file) >= 0:
            continue
        if (supp.ranges or supp.events) and supp.covers(f):
            continue
        key = (f.rule, f.line, f.column, f.message)
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    out.sort(key=lambda f: (f.line, f.column, f.rule))
    return out


def run_example(rule: Rule, which: str = "failing", *, rules: Sequence[Rule] | None = None) -> list[Finding]:
    """Lint a rule's FAILING or PASSING example as if it were a file (bytes → load → checks).

    Only the rule itself runs (plus PL005 if it crashes), so the test suite can check that
    the docs tell the truth.
    """
    from policylint.api import _policy_for, load_bytes

    text = rule.failing if which == "failing" else rule.passing
    ext = {"markdown": ".md", "html": ".html", "text": ".txt"}[rule.format]
    document = load_bytes(f"example{ext}", text.encode("utf-8"), rule.format)  # type: ignore[arg-type]
    policy, problem = _policy_for(document)
    cfg = Config(select=[rule.code, ENGINE_CODE])
    found = run_checks(document, policy, cfg, rules=[rule], extra=[problem] if problem else ())
    # PL005 findings are kept: a check that crashes on its own example must fail the test.
    return [f for f in found if f.rule in (rule.code, ENGINE_CODE)]
