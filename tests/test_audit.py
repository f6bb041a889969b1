"""``policylint audit`` and ``policylint.audit``: products, manifests, inconsistencies, reports."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from policylint.audit import (
    AuditInputError,
    ProductJob,
    audit_product,
    group_versions,
    jobs_from_paths,
    read_manifest,
    run_audit,
)
from policylint.audit.render import render
from policylint.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

SHOP = """\
# Cookie policy

Last updated: 3 March 2025

Acme Ltd ("we", 1 Main Street, Bristol) runs shop.acme.example. Questions: privacy@acme.example.

## Analytics cookies

We use Google Analytics to count visits. These cookies are set only if you accept them.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| _ga | Google Analytics | Distinguishes visitors | 13 months |
| session | Acme | Keeps you signed in | Session |
"""

# The same company's app: `_ga` with another lifetime, category and no vendor named;
# `session` is a different first-party cookie with the same name (not an inconsistency).
APP = """\
# Cookie policy

Last updated: 3 March 2025

Acme Ltd ("we", 1 Main Street, Bristol) runs app.acme.example. Questions: privacy@acme.example.

## Strictly necessary cookies

These cookies are strictly necessary for the site to work, so we set them without asking.

| Cookie | Purpose | Duration |
| --- | --- | --- |
| _ga | Distinguishes visitors | 2 years |
| session | Keeps you signed in | 30 days |
"""

# Agrees with SHOP (12 vs 13 months is within 10 %... no: 365 vs 395 days is 7.6 %).
BLOG = SHOP.replace("shop.acme", "blog.acme").replace("13 months", "12 months")


@pytest.fixture
def products(tmp_path):
    d = tmp_path / "products"
    d.mkdir()
    (d / "shop.md").write_text(SHOP, encoding="utf-8")
    (d / "app.md").write_text(APP, encoding="utf-8")
    (d / "blog.md").write_text(BLOG, encoding="utf-8")
    return d


def _run(paths, **kw):
    return run_audit(jobs_from_paths([str(p) for p in paths]), **kw)


# ----------------------------------------------------------------------------- inputs


def test_directory_products_are_named_by_relative_path(products):
    (products / "sub").mkdir()
    (products / "sub" / "cookies.html").write_text("<h1>Cookies</h1>", encoding="utf-8")
    jobs = jobs_from_paths([str(products)])
    assert [j.product for j in jobs] == ["app", "blog", "shop", "sub/cookies"]
    assert all(j.previous is None for j in jobs)


def test_dated_versions_are_paired_latest_against_previous():
    files = [
        ("Acme__cookie-policy__2024-01-02.md", "/x/a1"),
        ("Acme__cookie-policy__2025-06-01.md", "/x/a3"),
        ("Acme__cookie-policy__2024-12-31.md", "/x/a2"),
        ("Other__cookie-policy__2023-01-01.html", "/x/o1"),
        ("team/cookies-2025-01-01.md", "/x/t1"),
        ("team/cookies-2025-02-01.md", "/x/t2"),
        ("plain.md", "/x/p"),
    ]
    jobs = {j.product: j for j in group_versions(files)}
    assert jobs["Acme"] == ProductJob("Acme", "/x/a3", "/x/a2")
    assert jobs["Other"] == ProductJob("Other", "/x/o1", None)
    assert jobs["team/cookies"] == ProductJob("team/cookies", "/x/t2", "/x/t1")
    assert jobs["plain"].previous is None
    unpaired = group_versions(files, pair=False)
    assert len(unpaired) == len(files)


def test_csv_manifest_paths_are_relative_to_it(tmp_path, products):
    (tmp_path / "m").mkdir()
    manifest = tmp_path / "m" / "products.csv"
    manifest.write_text(
        "Product,Policy,Previous,notes\n"
        "shop,../products/shop.md,,main site\n"
        "app,../products/app.md,../products/shop.md,\n"
        "\n# a comment line\n",
        encoding="utf-8",
    )
    jobs = read_manifest(str(manifest))
    assert [j.product for j in jobs] == ["shop", "app"]
    assert Path(jobs[0].policy).resolve() == (products / "shop.md").resolve()
    assert jobs[0].previous is None
    assert Path(jobs[1].previous).resolve() == (products / "shop.md").resolve()


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("p.csv", "name,file\nshop,a.md\n", "needs columns product and policy"),
        ("p.csv", "product,policy\nshop,\n", "line 2: product and policy must not be empty"),
        ("p.csv", "product,policy\nshop,a.md\nshop,b.md\n", "listed twice"),
        ("p.csv", "", "empty manifest"),
        ("p.toml", "[products.shop]\npolicy = 'a.md'\nprevios = 'b.md'\n", "unknown key 'previos'"),
        ("p.toml", "[products.shop]\nprevious = 'b.md'\n", 'policy = "path" is required'),
        ("p.toml", "products = 3\n", "no [products.<name>] tables"),
        ("p.toml", "[products.shop\n", "invalid TOML"),
    ],
)
def test_bad_manifests_name_the_problem(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AuditInputError, match=None) as exc:
        read_manifest(str(path))
    assert message in str(exc.value)
    assert str(path) in str(exc.value)


def test_toml_manifest(tmp_path, products):
    manifest = tmp_path / "products.toml"
    manifest.write_text(
        '[products.shop]\npolicy = "products/shop.md"\n\n'
        '[products."mobile app"]\npolicy = "products/app.md"\nprevious = "products/shop.md"\n',
        encoding="utf-8",
    )
    jobs = jobs_from_paths([str(manifest)])
    assert [j.product for j in jobs] == ["shop", "mobile app"]
    assert jobs[1].previous.endswith("shop.md")


def test_missing_path_and_duplicate_names_are_input_errors(tmp_path, products):
    with pytest.raises(AuditInputError, match="no such file"):
        jobs_from_paths([str(tmp_path / "nope")])
    other = tmp_path / "other"
    other.mkdir()
    (other / "shop.md").write_text(SHOP, encoding="utf-8")
    with pytest.raises(AuditInputError, match="two products are named 'shop'"):
        jobs_from_paths([str(products), str(other)])


# ----------------------------------------------------------------------------- one product


def test_audit_product_with_previous_version_reports_material_change():
    job = ProductJob("shop", str(SAMPLES / "shop-v2.md"), str(SAMPLES / "shop-v1.md"))
    r = audit_product(job)
    assert r.error is None and r.diff_error is None
    assert r.material is True
    assert r.last_updated == "2026-10-12" and r.previous_date == "2025-03-03"
    assert r.inventory == 6
    assert any("_fbp" in c for c in r.material_changes)
    assert any(f.rule == "PL501" for f in r.findings)
    assert not any(f.rule == "PL502" for f in r.findings)  # the date was bumped


def test_audit_product_never_raises(tmp_path):
    r = audit_product(ProductJob("gone", str(tmp_path / "gone.md")))
    assert r.error and "no such file" in r.error
    r = audit_product(ProductJob("shop", str(SAMPLES / "shop-v2.md"), str(tmp_path / "old.md")))
    assert r.error is None and r.diff_error and "no such file" in r.diff_error and r.material is None


# ----------------------------------------------------------------------------- across products


def test_inconsistencies_between_products(products):
    report = _run([products])
    kinds = {(i.kind, i.subject) for i in report.inconsistencies}
    assert ("duration", "_ga") in kinds  # 13 months (shop) / 12 months (blog) vs 2 years (app)
    assert ("category", "_ga") in kinds  # analytics vs strictly necessary
    assert ("third_party", "Google Analytics") in kinds  # app never names it
    assert not any(i.subject == "session" for i in report.inconsistencies)  # generic first-party names
    dur = next(i for i in report.inconsistencies if i.kind == "duration")
    assert "app" in dur.message and "2 years" in dur.message
    assert dict(dur.values)["shop"] == "13 months"
    third = next(i for i in report.inconsistencies if i.kind == "third_party")
    assert third.message.startswith("app declares `_ga` but never names Google Analytics")
    assert "blog, shop name Google Analytics" in third.message


def test_lifetimes_within_ten_percent_agree(tmp_path):
    (tmp_path / "a.md").write_text(SHOP, encoding="utf-8")
    (tmp_path / "b.md").write_text(BLOG, encoding="utf-8")
    report = _run([tmp_path / "a.md", tmp_path / "b.md"])
    assert report.inconsistencies == []


# ----------------------------------------------------------------------------- reports


def test_reports_in_every_format(products):
    report = _run([products], n_jobs=1)
    text = render("text", report)
    assert "app" in text and "Inconsistencies between products" in text
    data = json.loads(render("json", report))
    assert data["version"] == 1
    assert data["summary"]["products"] == 3 and data["summary"]["inconsistencies"] >= 3
    app = next(p for p in data["products"] if p["product"] == "app")
    assert app["inventory"] == 2 and app["last_updated"] == "2025-03-03"
    assert set(app["findings_by_severity"]) == {"error", "warning", "info"}
    assert app["findings_by_family"] and app["failing"] is True
    rows = list(csv.DictReader(io.StringIO(render("csv", report))))
    assert [r["product"] for r in rows] == ["app", "blog", "shop"]
    assert {"PL0", "PL1", "PL2", "PL3", "PL4", "PL5", "inventory", "last_updated"} <= set(rows[0])
    html = render("html", report)
    assert html.startswith("<!DOCTYPE html>") and 'id="products"' in html and "<svg" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html and "<link" not in html and " src=" not in html


def test_html_escapes_everything(tmp_path):
    evil = tmp_path / "<script>alert(1)<"
    evil.mkdir()
    (evil / "x.md").write_text(
        SHOP.replace("# Cookie policy", "# Cookie policy <img src=x onerror=alert(2)>"), encoding="utf-8"
    )
    manifest = tmp_path / "m.csv"
    manifest.write_text(f'product,policy\n"<b>bold</b>",{evil / "x.md"}\n', encoding="utf-8")
    html = render("html", _run([manifest]))
    assert "<script>alert" not in html and "<b>bold</b>" not in html and "<img src=x" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_csv_cells_cannot_be_formulas(tmp_path):
    manifest = tmp_path / "m.csv"
    (tmp_path / "x.md").write_text(SHOP.replace("# Cookie policy", "# =HYPERLINK(1)"), encoding="utf-8")
    manifest.write_text("product,policy\nshop,x.md\n", encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(render("csv", _run([manifest])))))
    assert rows[0]["title"].startswith("'=")


# ----------------------------------------------------------------------------- CLI


def invoke(*args: str):
    return CliRunner().invoke(cli, ["audit", *args], catch_exceptions=False)


def test_cli_exit_codes(products, tmp_path):
    r = invoke(str(products))
    assert r.exit_code == 1, r.output  # app has findings
    assert "Audited 3 products" in r.output
    assert "auditing" not in r.output  # no progress bar when not on a terminal
    r = invoke(str(products / "shop.md"), "--severity", "error")
    assert r.exit_code == 0, r.output
    r = invoke(str(tmp_path / "nope"))
    assert r.exit_code == 2 and "no such file" in r.output
    r = invoke()
    assert r.exit_code == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n", encoding="utf-8")
    r = invoke(str(bad))
    assert r.exit_code == 2 and "needs columns product and policy" in r.output


def test_cli_unreadable_policy_in_manifest_exits_2(tmp_path, products):
    manifest = tmp_path / "m.csv"
    manifest.write_text("product,policy\nshop,products/shop.md\ngone,products/gone.md\n", encoding="utf-8")
    r = invoke(str(manifest), "--format", "json")
    assert r.exit_code == 2
    data = json.loads(r.stdout)
    assert [p["product"] for p in data["products"]] == ["shop", "gone"]
    assert "no such file" in data["products"][1]["error"]


def test_cli_output_is_atomic_and_never_overwrites_an_input(tmp_path, products):
    out = tmp_path / "report.html"
    r = invoke(str(products), "--format", "html", "--output", str(out))
    assert r.exit_code == 1
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    before = (products / "shop.md").read_text(encoding="utf-8")
    r = invoke(str(products), "--output", str(products / "shop.md"))
    assert r.exit_code == 2 and "is one of the inputs" in r.output
    assert (products / "shop.md").read_text(encoding="utf-8") == before
    manifest = tmp_path / "m.csv"
    manifest.write_text("product,policy\nshop,products/shop.md\n", encoding="utf-8")
    r = invoke(str(manifest), "--output", str(manifest))
    assert r.exit_code == 2 and "is one of the inputs" in r.output


def test_cli_jobs_do_not_change_the_report(products):
    one = json.loads(invoke(str(products), "--format", "json", "--jobs", "1").stdout)
    two = json.loads(invoke(str(products), "--format", "json", "--jobs", "2").stdout)
    for data in (one, two):
        data["summary"].pop("seconds")
        data["summary"].pop("jobs")
    assert one == two


def test_check_jobs_do_not_change_the_report(tmp_path):
    for i in range(10):
        shutil.copy(SAMPLES / ("placeholders.txt" if i % 3 == 0 else "shop-v1.md"), tmp_path / f"p{i:02}.md")
    runner = CliRunner()
    outs = [
        runner.invoke(cli, ["check", "--format", "json", "--jobs", j, str(tmp_path)], catch_exceptions=False)
        for j in ("1", "2")
    ]
    assert outs[0].exit_code == outs[1].exit_code == 1
    assert outs[0].stdout == outs[1].stdout
    assert json.loads(outs[0].stdout)["summary"]["files"] == 10


def test_progress_bar_only_on_a_terminal(products):
    """Piped: nothing on stderr but the result; --progress forces the bar (rich renders it)."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])),
    }
    cmd = [sys.executable, "-m", "policylint", "audit", str(products), "--jobs", "1"]
    piped = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert piped.returncode == 1 and piped.stderr == ""
    forced = subprocess.run([*cmd, "--progress"], capture_output=True, text=True, env=env, timeout=120)
    assert forced.returncode == 1 and "auditing" in forced.stderr


# ----------------------------------------------------------------------------- the page in a browser


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.mark.skipif(_chromium() is None, reason="Chromium is not installed")
def test_html_report_renders_and_sorts_in_headless_chromium(products, tmp_path):
    page = tmp_path / "audit.html"
    page.write_text(render("html", _run([products])), encoding="utf-8")
    profile = tmp_path / "profile"
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
    ]
    # "#sort=items-desc" makes the page sort its table on load, as a click on "Items" twice would.
    url = page.as_uri() + "#sort=findings-desc"
    r = subprocess.run([_chromium(), *flags, "--dump-dom", url], capture_output=True, text=True, timeout=120)
    dom = r.stdout
    assert 'data-sortable="ready"' in dom, r.stderr[-500:]  # the script ran without an error
    body = dom.split('id="products"', 1)[1].split("</tbody>", 1)[0]
    order = [name for name in ("app", "blog", "shop") if f">{name}<" in body]
    assert order and order[0] == "app"  # the product with the most findings comes first
    assert 'aria-sort="descending"' in body
    shot = tmp_path / "audit.png"
    subprocess.run(
        [_chromium(), *flags, "--window-size=1280,900", f"--screenshot={shot}", page.as_uri()],
        capture_output=True,
        timeout=120,
    )
    assert shot.exists() and shot.stat().st_size > 10_000
