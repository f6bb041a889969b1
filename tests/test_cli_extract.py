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


def test_binary_and_empty_files_say_so(tmp_path: Path) -> None:
    binary = tmp_path / "logo.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    empty = tmp_path / "empty.md"
    empty.write_text("")
    res = CliRunner().invoke(cli, ["extract", "--format", "json", str(binary), str(empty)])
    assert res.exit_code == 2
    assert f"policylint: error: {binary}: PL001" in res.stderr
    assert f"policylint: warning: {empty}: PL002" in res.stderr
    assert [d["path"] for d in json.loads(res.stdout)] == [str(empty)]


def test_standard_input() -> None:
    text = (SAMPLES / "startup-prose.md").read_bytes()
    res = CliRunner().invoke(
        cli, ["extract", "--format", "json", "-", "--stdin-filename", "p.md"], input=text
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["path"] == "p.md" and data["format"] == "markdown" and data["cookies"]
