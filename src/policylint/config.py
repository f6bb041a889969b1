"""Configuration: ``[tool.policylint]`` in ``pyproject.toml`` or a ``.policylint.toml``.

The nearest file wins, searched upward from the working directory (``.policylint.toml``
before ``pyproject.toml`` in the same directory; a ``pyproject.toml`` without a
``[tool.policylint]`` table is skipped). ``--config FILE`` names one explicitly.

Example::

    [tool.policylint]
    select = ["PL1", "PL2"]          # rule codes or prefixes; "ALL" (the default) selects everything
    ignore = ["PL203"]
    severity = "warning"             # fail threshold for the exit code: error | warning | info
    extend-checks = ["lint/checks"]  # directories of team check files (plNNN_name.py shape)
    exclude = ["drafts/**", "*.tmp.md"]
    format = "text"                  # text | json | sarif | github
    time-budget = 5.0                # seconds of checks per document

    [tool.policylint.per-file-ignores]
    "legacy/*.html" = ["PL104"]

Paths in the file are relative to the directory that holds it.
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePath

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
FORMATS = ("text", "json", "sarif", "github")
CONFIG_FILES = (".policylint.toml", "pyproject.toml")
DEFAULT_TIME_BUDGET = 5.0

_SELECTOR = re.compile(r"^(?:ALL|[A-Z]{1,10}[0-9]{0,4})$")
KNOWN_KEYS = {
    "select",
    "ignore",
    "severity",
    "extend-checks",
    "exclude",
    "per-file-ignores",
    "format",
    "time-budget",
    "options",
}


class ConfigError(Exception):
    """The configuration is invalid; the message names the file and the key."""


@dataclass
class Config:
    """Settings for a run. ``Config()`` is the default: every rule, fail on warnings."""

    select: list[str] = field(default_factory=lambda: ["ALL"])
    ignore: list[str] = field(default_factory=list)
    severity: str = "warning"  # fail threshold: findings at or above it make the exit code 1
    extend_checks: list[Path] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    format: str | None = None
    time_budget: float = DEFAULT_TIME_BUDGET
    options: dict[str, dict] = field(default_factory=dict)  # rule code -> options for that rule
    path: Path | None = None  # the file the settings came from
    root: Path | None = None  # the directory relative paths and globs are anchored at

    def ignored_for(self, path: str) -> list[str]:
        """Codes (or prefixes) that ``per-file-ignores`` turns off for ``path``."""
        out: list[str] = []
        for pattern, codes in self.per_file_ignores.items():
            if path_matches(path, pattern, self.root):
                out.extend(codes)
        return out

    def excluded(self, path: str | os.PathLike[str]) -> bool:
        return any(path_matches(os.fspath(path), pattern, self.root) for pattern in self.exclude)


def path_matches(path: str, pattern: str, root: Path | None = None) -> bool:
    """Does ``pattern`` (a glob) match ``path`` as given, relative to ``root``, or its file name?

    ``*`` also crosses ``/`` (as in fnmatch), so ``drafts/*`` matches files in subfolders too;
    a pattern with a ``/`` is matched against the path, one without against any part of it.
    """
    p = PurePath(path)
    candidates = [p.as_posix()]
    if root is not None:
        with contextlib.suppress(ValueError):
            candidates.append(Path(os.path.abspath(path)).relative_to(root.resolve()).as_posix())
    pat = pattern.replace("\\", "/")
    if pat.startswith("./"):
        pat = pat[2:]
    for cand in candidates:
        if cand.startswith("./"):
            cand = cand[2:]
        if fnmatch.fnmatchcase(cand, pat) or fnmatch.fnmatchcase(cand, pat.rstrip("/") + "/*"):
            return True
        if "/" not in pat and any(fnmatch.fnmatchcase(part, pat) for part in PurePath(cand).parts):
            return True
    return False


# A [tool.policylint...] header or a dotted tool.policylint.key in a pyproject.toml.
_OUR_TABLE = re.compile(r"(?m)^[ \t]*(?:\[+[ \t]*)?[\"']?tool[\"']?[ \t]*\.[ \t]*[\"']?policylint\b")


def find_config(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The nearest configuration file at or above ``start`` (the working directory by default)."""
    here = Path(start or os.getcwd()).resolve()
    for directory in (here, *here.parents):
        for name in CONFIG_FILES:
            candidate = directory / name
            if not candidate.is_file():
                continue
            if name == "pyproject.toml":
                try:
                    text = candidate.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    continue  # someone else's unreadable pyproject is not our configuration
                try:
                    data = tomllib.loads(text)
                except tomllib.TOMLDecodeError:
                    if _OUR_TABLE.search(text):
                        return candidate  # ours, broken: load_config says where, not silence
                    continue  # someone else's broken pyproject is not our configuration
                if not isinstance(data.get("tool"), dict) or "policylint" not in data["tool"]:
                    continue
            return candidate
    return None


def load_config(path: str | os.PathLike[str] | None = None, *, search_from: str | None = None) -> Config:
    """Read ``path``, or the nearest configuration file; defaults when there is none."""
    if path is None:
        found = find_config(search_from)
        if found is None:
            return Config()
        path = found
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{p}: no such configuration file") from None
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read ({exc.strerror or exc})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{p}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p}: invalid TOML: {exc}") from None
    if p.name == "pyproject.toml" or (set(data) == {"tool"} and isinstance(data["tool"], dict)):
        table = data.get("tool", {}).get("policylint", {}) if isinstance(data.get("tool"), dict) else {}
        where = "[tool.policylint]"
    else:
        table, where = data, "top level"
    return config_from_mapping(table, source=p, where=where)


def config_from_mapping(table: dict, *, source: Path | None = None, where: str = "config") -> Config:
    """A Config from a dict shaped like the TOML table (the library accepts this too)."""
    label = f"{source}: {where}" if source else where

    def fail(msg: str) -> ConfigError:
        return ConfigError(f"{label}: {msg}")

    if not isinstance(table, dict):
        raise fail("expected a table")
    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown:
        raise fail(
            f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} "
            f"(known: {', '.join(sorted(KNOWN_KEYS))})"
        )
    root = source.resolve().parent if source else None
    cfg = Config(path=source, root=root)

    def str_list(key: str) -> list[str]:
        value = table[key]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(f"'{key}' must be a list of strings")
        return value

    def selectors(key: str) -> list[str]:
        out = []
        for v in str_list(key):
            for part in split_codes(v):
                if not _SELECTOR.match(part):
                    raise fail(f"'{key}': {part!r} is not a rule code or prefix (like PL1 or PL101, or ALL)")
                out.append(part)
        return out

    if "select" in table:
        cfg.select = selectors("select")
    if "ignore" in table:
        cfg.ignore = selectors("ignore")
    if "severity" in table:
        sev = table["severity"]
        if sev not in SEVERITIES:
            raise fail(f"'severity' must be one of {', '.join(SEVERITIES)}, not {sev!r}")
        cfg.severity = sev
    if "format" in table:
        fmt = table["format"]
        if fmt not in FORMATS:
            raise fail(f"'format' must be one of {', '.join(FORMATS)}, not {fmt!r}")
        cfg.format = fmt
    if "extend-checks" in table:
        cfg.extend_checks = [(root / d) if root else Path(d) for d in str_list("extend-checks")]
    if "exclude" in table:
        cfg.exclude = str_list("exclude")
    if "time-budget" in table:
        budget = table["time-budget"]
        if isinstance(budget, bool) or not isinstance(budget, (int, float)) or budget <= 0:
            raise fail("'time-budget' must be a positive number of seconds")
        cfg.time_budget = float(budget)
    if "per-file-ignores" in table:
        pfi = table["per-file-ignores"]
        if not isinstance(pfi, dict):
            raise fail("'per-file-ignores' must be a table of glob = [codes]")
        for glob, codes in pfi.items():
            if isinstance(codes, str):
                codes = [codes]
            if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
                raise fail(f"'per-file-ignores' {glob!r} must be a list of rule codes")
            parts = [p for c in codes for p in split_codes(c)]
            for part in parts:
                if not _SELECTOR.match(part):
                    raise fail(f"'per-file-ignores' {glob!r}: {part!r} is not a rule code or prefix")
            cfg.per_file_ignores[glob] = parts
    if "options" in table:
        opts = table["options"]
        if not isinstance(opts, dict) or not all(isinstance(v, dict) for v in opts.values()):
            raise fail("'options' must be a table of rule code = {option = value}")
        cfg.options = {str(k).upper(): dict(v) for k, v in opts.items()}
    return cfg


def split_codes(value: str) -> list[str]:
    """``"PL101, pl2"`` → ``["PL101", "PL2"]``."""
    return [p.strip().upper() for p in value.split(",") if p.strip()]
