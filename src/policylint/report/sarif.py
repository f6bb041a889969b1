"""SARIF 2.1.0 for GitHub code scanning (``github/codeql-action/upload-sarif``) and other viewers.

One run; the driver lists every rule (id, name, descriptions, help, default level) and
each result points at its rule by ``ruleId`` and ``ruleIndex``. Locations are relative
URIs with forward slashes, as code scanning resolves them against the repository root.
"""

from __future__ import annotations

import json
import os
import urllib.parse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from policylint import __version__

if TYPE_CHECKING:
    from policylint.engine import FileResult, Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/policylint/"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def artifact_uri(path: str) -> str:
    """A relative URI reference with forward slashes (percent-encoded where needed).

    An absolute path under the working directory is made relative to it; one outside
    stays absolute as a ``file://`` URI.
    """
    p = path
    if os.path.isabs(p):
        try:
            rel = os.path.relpath(p)
        except ValueError:  # another drive on Windows
            rel = ".."
        if rel.startswith(".."):
            return Path(p).as_uri()
        p = rel
    posix = p.replace(os.sep, "/")
    while posix.startswith("./"):
        posix = posix[2:]
    return urllib.parse.quote(posix, safe="/")


def _rule_entry(code: str, rule: Rule | None, name: str | None = None, severity: str = "warning") -> dict:
    if rule is None:
        return {
            "id": code,
            "name": name or code,
            "shortDescription": {"text": name or code},
            "fullDescription": {"text": name or code},
            "help": {"text": f"See `policylint rules {code}`."},
            "defaultConfiguration": {"level": LEVEL.get(severity, "warning")},
        }
    help_text = f"{rule.fix}\n\nWhy: {rule.why}\n\nBasis: {rule.basis}"
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
        "help": {
            "text": help_text,
            "markdown": f"{rule.fix}\n\n**Why:** {rule.why}\n\n**Basis:** {rule.basis}",
        },
        "defaultConfiguration": {"level": LEVEL.get(rule.severity, "warning")},
        "properties": {"tags": [rule.code[:3]], "precision": "high"},
    }


def as_data(results: Sequence[FileResult], rules: Mapping[str, Rule]) -> dict:
    entries: list[dict] = []
    index: dict[str, int] = {}
    for code in sorted(rules):
        if getattr(rules[code], "scope", "lint") != "lint":
            continue
        index[code] = len(entries)
        entries.append(_rule_entry(code, rules[code]))
    sarif_results: list[dict] = []
    notifications: list[dict] = []
    for r in results:
        uri = artifact_uri(r.path)
        if r.error:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": r.error},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
                }
            )
            continue
        for f in r.findings:
            if f.rule not in index:
                index[f.rule] = len(entries)
                entries.append(_rule_entry(f.rule, None, f.name, f.severity))
            region: dict[str, int] = {"startLine": max(1, f.line), "startColumn": max(1, f.column)}
            if f.end_line:
                region["endLine"] = max(f.end_line, region["startLine"])
            if f.end_column and ((f.end_line or f.line) > f.line or f.end_column > f.column):
                region["endColumn"] = f.end_column
            result = {
                "ruleId": f.rule,
                "ruleIndex": index[f.rule],
                "level": LEVEL.get(f.severity, "warning"),
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}],
            }
            if f.excerpt:
                region["snippet"] = {"text": f.excerpt}  # type: ignore[assignment]
            sarif_results.append(result)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "policylint",
                        "informationUri": INFORMATION_URI,
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": entries,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "invocations": [
                    {
                        "executionSuccessful": not notifications,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": sarif_results,
            }
        ],
    }


def render(results: Sequence[FileResult], rules: Mapping[str, Rule], **_: object) -> str:
    return json.dumps(as_data(results, rules), indent=2, ensure_ascii=False) + "\n"
