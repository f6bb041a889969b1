"""`policylint extract` as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from policylint.cli import cli

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_text_inventory() -> None:
    res = CliRunner().invoke(cli, ["extract", str(SAMPLES / "cnil-fr.md")])
    assert res.exit_code == 0, res.output
    assert "Boulangerie Numérique SAS" in res.output
    assert "_pk_id.*" in res.output and "13 mois" in res.output


def test_json_contract() -> None:
    res = CliRunner().invoke(cli, ["extract", "--format", "json", str(SAMPLES / "saas-tables.html")])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    for key in (
        "path",
        "format",
        "title",
        "last_updated",
        "controller",
        "contacts",
        "cookies",
        "third_parties",
        "claims",
    ):
        assert key in data
    assert data["format"] == "html" and data["last_updated"] == "2026-02-25"
    item = data["cookies"][0]
    for key in (
        "name",
        "provider",
        "purpose",
        "category",
        "duration",
        "party",
        "storage",
        "exemption_basis",
        "line",
    ):
        assert key in item
    assert {c["kind"] for c in data["claims"]} >= {"consent"}
    assert all(set(c) >= {"kind", "subject", "polarity", "text", "line"} for c in data["claims"])


def test_several_files_give_a_list(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        cli, ["extract", "--format", "json", str(SAMPLES / "cnil-fr.md"), str(SAMPLES / "blog-v1.txt")]
    )
    assert res.exit_code == 0
    assert [d["format"] for d in json.loads(res.output)] == ["markdown", "text"]


def test_missing_file_exit_2(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["extract", str(tmp_path / "nope.md")])
    assert res.exit_code == 2
    assert "no such file" in res.output


def test_txt_holding_html_is_html(tmp_path: Path) -> None:
    f = tmp_path / "policy.txt"
    f.write_text(
        "<html><body><h1>Cookies</h1><table><tr><th>Name</th><th>Duration</th></tr>"
        "<tr><td>_ga</td><td>2 years</td></tr></table></body></html>"
    )
    res = CliRunner().invoke(cli, ["extract", "--format", "json", str(f)])
    data = json.loads(res.output)
    assert data["format"] == "html" and data["cookies"][0]["name"] == "_ga"
