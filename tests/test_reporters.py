"""Reporters: the JSON contract, SARIF structure, GitHub annotation escaping, the text layout."""

from __future__ import annotations

import json
import re

import pytest

from policylint.engine import FileResult, discover
from policylint.model import Finding
from policylint.report import render
from policylint.report.github import escape_data, escape_property
from policylint.report.sarif import artifact_uri

RULES = {r.code: r for r in discover()}


def results() -> list[FileResult]:
    return [
        FileResult(
            "policies/cookies.html",
            "html",
            [
                Finding(
                    "PL101",
                    "unfilled-placeholder",
                    "error",
                    'Unfilled placeholder "[TO BE COMPLETED]"',
                    15,
                    31,
                    15,
                    48,
                    "retained for [TO BE COMPLETED] days",
                ),
                Finding("PL103", "dangling-list-intro", "warning", "a list, 50%: gone\nnext line", 20, 1),
                Finding("PL999", "team-rule", "info", "an info", 21, 2),
            ],
        ),
        FileResult("policies/clean.md", "markdown", []),
        FileResult("policies/missing.md", None, [], "policies/missing.md: no such file"),
    ]


# --- JSON ---------------------------------------------------------------------------------------------


def test_json_contract():
    data = json.loads(render("json", results(), RULES))
    assert list(data) == ["version", "files", "summary"]
    assert data["version"] == 1
    assert data["summary"] == {"files": 3, "findings": 3, "errors": 1, "warnings": 1}
    first = data["files"][0]
    assert list(first) == ["path", "format", "findings", "error"]
    assert first["path"] == "policies/cookies.html" and first["format"] == "html" and first["error"] is None
    assert first["findings"][0] == {
        "rule": "PL101",
        "name": "unfilled-placeholder",
        "severity": "error",
        "message": 'Unfilled placeholder "[TO BE COMPLETED]"',
        "line": 15,
        "column": 31,
        "end_line": 15,
        "end_column": 48,
        "excerpt": "retained for [TO BE COMPLETED] days",
    }
    assert first["findings"][1]["end_line"] is None
    assert data["files"][2] == {
        "path": "policies/missing.md",
        "format": None,
        "findings": [],
        "error": "policies/missing.md: no such file",
    }


def test_json_of_nothing():
    data = json.loads(render("json", [], RULES))
    assert data == {
        "version": 1,
        "files": [],
        "summary": {"files": 0, "findings": 0, "errors": 0, "warnings": 0},
    }


# --- SARIF ----------------------------------------------------------------------------------------------

LEVELS = {"none", "note", "warning", "error"}


def validate_sarif(log: dict) -> None:
    """The parts of SARIF 2.1.0 that GitHub code scanning requires, checked structurally."""
    assert isinstance(log.get("$schema"), str) and "sarif" in log["$schema"]
    assert log.get("version") == "2.1.0"
    assert isinstance(log.get("runs"), list) and log["runs"], "runs must be a non-empty array"
    for run in log["runs"]:
        driver = run["tool"]["driver"]
        assert isinstance(driver["name"], str) and driver["name"]
        assert re.match(r"^https?://", driver.get("informationUri", "https://"))
        assert isinstance(driver.get("version", ""), str)
        rules = driver.get("rules", [])
        ids = [r["id"] for r in rules]
        assert len(ids) == len(set(ids)), "rule ids must be unique"
        for rule in rules:
            assert isinstance(rule["id"], str) and rule["id"]
            assert isinstance(rule.get("name", ""), str)
            for key in ("shortDescription", "fullDescription", "help"):
                assert isinstance(rule[key]["text"], str) and rule[key]["text"], (rule["id"], key)
            assert rule["defaultConfiguration"]["level"] in LEVELS
        assert isinstance(run["results"], list)
        for result in run["results"]:
            assert isinstance(result["message"]["text"], str) and result["message"]["text"]
            assert result["level"] in LEVELS
            index = result["ruleIndex"]
            assert 0 <= index < len(rules) and rules[index]["id"] == result["ruleId"]
            assert result["locations"], "code scanning needs a location"
            for loc in result["locations"]:
                phys = loc["physicalLocation"]
                uri = phys["artifactLocation"]["uri"]
                assert "\\" not in uri and not uri.startswith("/") and "://" not in uri, uri
                region = phys["region"]
                assert isinstance(region["startLine"], int) and region["startLine"] >= 1
                assert region.get("startColumn", 1) >= 1
                if "endLine" in region:
                    assert region["endLine"] >= region["startLine"]
                if "endColumn" in region:
                    assert region["endColumn"] >= 1
                    if region.get("endLine", region["startLine"]) == region["startLine"]:
                        assert region["endColumn"] > region.get("startColumn", 1)
        for inv in run.get("invocations", []):
            assert isinstance(inv["executionSuccessful"], bool)


def test_sarif_structure():
    log = json.loads(render("sarif", results(), RULES))
    validate_sarif(log)
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "policylint"
    sarif_results = run["results"]
    assert [r["ruleId"] for r in sarif_results] == ["PL101", "PL103", "PL999"]
    assert [r["level"] for r in sarif_results] == ["error", "warning", "note"]
    first = sarif_results[0]["locations"][0]["physicalLocation"]
    assert first["artifactLocation"]["uri"] == "policies/cookies.html"
    assert first["region"]["startLine"] == 15 and first["region"]["startColumn"] == 31
    assert first["region"]["endLine"] == 15 and first["region"]["endColumn"] == 48
    rules = run["tool"]["driver"]["rules"]
    pl101 = next(r for r in rules if r["id"] == "PL101")
    assert pl101["name"] == "unfilled-placeholder" and pl101["defaultConfiguration"]["level"] == "error"
    # Rules documented only for `diff` are not part of a lint run.
    assert not any(r["id"].startswith("PL5") for r in rules)
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert run["invocations"][0]["executionSuccessful"] is False
    assert notes[0]["message"]["text"] == "policies/missing.md: no such file"


def test_sarif_of_a_clean_run():
    log = json.loads(render("sarif", [FileResult("a.md", "markdown", [])], RULES))
    validate_sarif(log)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_sarif_uris(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert artifact_uri("policies/a b.md") == "policies/a%20b.md"
    assert artifact_uri("./policies/x.md") == "policies/x.md"
    assert artifact_uri(str(tmp_path / "sub" / "x.md")) == "sub/x.md"
    assert artifact_uri("/elsewhere/x.md").startswith("file:///")


# --- GitHub -----------------------------------------------------------------------------------------------


def test_github_escaping():
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_github_annotations():
    out = render("github", results(), RULES).splitlines()
    assert out[0] == (
        "::error file=policies/cookies.html,line=15,col=31,endLine=15,endColumn=48,"
        'title=PL101 unfilled-placeholder::Unfilled placeholder "[TO BE COMPLETED]"'
    )
    assert out[1] == (
        "::warning file=policies/cookies.html,line=20,col=1,title=PL103 dangling-list-intro"
        "::a list, 50%25: gone%0Anext line"
    )
    assert out[2].startswith("::notice file=policies/cookies.html,line=21,col=2,")
    assert out[3] == "::error file=policies/missing.md,title=policylint::policies/missing.md: no such file"


def test_github_property_escaping_in_paths():
    res = [FileResult("dir,with:odd/c.md", "markdown", [Finding("PL101", "x", "error", "m", 1)])]
    assert render("github", res, RULES).startswith("::error file=dir%2Cwith%3Aodd/c.md,line=1,")


# --- text -------------------------------------------------------------------------------------------------


def test_text_report():
    out = render("text", results(), RULES)
    lines = out.splitlines()
    assert lines[0] == 'policies/cookies.html:15:31: PL101 [error] Unfilled placeholder "[TO BE COMPLETED]"'
    assert lines[1] == "    retained for [TO BE COMPLETED] days"
    assert lines[-1] == "Found 3 findings (1 error, 1 warning, 1 info) in 2 files."
    assert "\x1b[" not in out


def test_text_report_colour_and_quiet():
    coloured = render("text", results(), RULES, color=True)
    assert "\x1b[" in coloured
    quiet = render("text", results(), RULES, quiet=True)
    assert "Found" not in quiet and "    retained" not in quiet
    assert render("text", [FileResult("a.md", "markdown", [])], RULES) == "No findings in 1 file.\n"


def test_unknown_format():
    with pytest.raises(ValueError, match="unknown report format"):
        render("xml", [], RULES)


def test_text_reports_are_recognised_as_reports(tmp_path):
    """A text report saved in the tree is not linted on the next directory walk."""
    from policylint.commands.check import is_policylint_report

    for name, rs, kw in (
        ("full.txt", results(), {}),
        ("quiet.txt", results(), {"quiet": True}),
        ("clean.txt", [FileResult("cookies.md", "markdown", [])], {}),
    ):
        (tmp_path / name).write_text(render("text", rs, RULES, **kw), encoding="utf-8")
        assert is_policylint_report(tmp_path / name), name
    (tmp_path / "gh.txt").write_text(render("github", results(), RULES), encoding="utf-8")
    assert is_policylint_report(tmp_path / "gh.txt")
