"""``policylint audit`` and ``policylint.audit``: products, manifests, inconsistencies, reports."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from headless_chromium import CHROMIUM, run_chromium

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
from policylint.model import Finding

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


def test_numbered_versions_are_paired_highest_against_the_one_before():
    files = [
        ("shop-v1.md", "/x/s1"),
        ("shop-v10.md", "/x/s10"),
        ("shop-v2.md", "/x/s2"),
        ("blog_v1.txt", "/x/b1"),
        ("blog_V3.txt", "/x/b3"),
        ("app.v1.html", "/x/a1"),
        ("app.v2.html", "/x/a2"),
        ("Acme__cookies-v1.md", "/x/c1"),
        ("Acme__cookies-v2.md", "/x/c2"),
        ("api-v2.md", "/x/api"),  # a lone version keeps its name
        ("site.md", "/x/site"),  # "site.md" next to "site-v2.md": no clear sequence
        ("site-v2.md", "/x/site2"),
        ("site-v3.md", "/x/site3"),
    ]
    jobs = {j.product: j for j in group_versions(files)}
    assert jobs["shop"] == ProductJob("shop", "/x/s10", "/x/s2")
    assert jobs["blog"] == ProductJob("blog", "/x/b3", "/x/b1")
    assert jobs["app"] == ProductJob("app", "/x/a2", "/x/a1")
    assert jobs["Acme"] == ProductJob("Acme", "/x/c2", "/x/c1")
    assert jobs["api-v2"] == ProductJob("api-v2", "/x/api", None)
    assert {"site", "site-v2", "site-v3"} <= set(jobs)
    assert len(group_versions(files, pair=False)) == len(files)


def test_samples_pair_shop_v1_with_shop_v2():
    """`audit samples/`: shop-v1/shop-v2 are one product, not two that contradict each other."""
    jobs = {j.product: j for j in jobs_from_paths([str(SAMPLES)])}
    assert "shop-v1" not in jobs and "shop-v2" not in jobs
    assert jobs["shop"].policy.endswith("shop-v2.md") and jobs["shop"].previous.endswith("shop-v1.md")
    assert jobs["blog"].policy.endswith("blog-v2.txt") and jobs["blog"].previous.endswith("blog-v1.txt")
    report = run_audit(list(jobs.values()))
    shop = next(p for p in report.products if p.product == "shop")
    assert shop.material is True
    assert not any("shop-v" in i.message for i in report.inconsistencies)


def test_directory_walk_skips_repository_files(tmp_path, products):
    for name in ("README.md", "CHANGELOG.md", "LICENSE.txt", "Contributing.markdown", "security.html"):
        (products / name).write_text(SHOP, encoding="utf-8")
    (products / "docs").mkdir()
    (products / "docs" / "readme.de.md").write_text(SHOP, encoding="utf-8")
    assert [j.product for j in jobs_from_paths([str(products)])] == ["app", "blog", "shop"]
    # Named explicitly or listed in a manifest, a README is audited like any file.
    assert [j.product for j in jobs_from_paths([str(products / "README.md")])] == ["README"]
    manifest = tmp_path / "m.csv"
    manifest.write_text("product,policy\nreadme,products/README.md\n", encoding="utf-8")
    assert [j.product for j in jobs_from_paths([str(manifest)])] == ["readme"]


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


def test_a_platforms_session_cookie_is_each_sites_own(tmp_path):
    # JSESSIONID is in the catalog (Java), but every Java server sets its own: LinkedIn's in one
    # product, New Relic's in another are two cookies, not one described two ways.
    row = "| JSESSIONID | {p} | {purpose} | Session |\n"
    (tmp_path / "a.md").write_text(
        SHOP.replace(
            "| session |", row.format(p="LinkedIn", purpose="Ad measurement").rstrip("\n") + "\n| session |"
        ),
        encoding="utf-8",
    )
    app = APP.replace("| Cookie | Purpose | Duration |", "| Cookie | Provider | Purpose | Duration |")
    app = app.replace("| --- | --- | --- |", "| --- | --- | --- | --- |")
    app = app.replace("| _ga | Distinguishes", "| _ga | Google Analytics | Distinguishes")
    app = app.replace("| session | Keeps", "| JSESSIONID | New Relic | Keeps")
    (tmp_path / "b.md").write_text(app, encoding="utf-8")
    report = _run([tmp_path / "a.md", tmp_path / "b.md"])
    assert ("category", "_ga") in {(i.kind, i.subject) for i in report.inconsistencies}
    assert not any(i.subject == "JSESSIONID" for i in report.inconsistencies)


def test_a_sibling_brand_does_not_name_the_vendor(tmp_path):
    # AWS sets AWSALB; a product naming Amazon (an advertising partner) does not name AWS.
    row = "| AWSALB | Balances the load on our servers | 7 days |\n"
    a = APP.replace("| session | Keeps you signed in | 30 days |\n", row)
    b = a.replace(
        "## Strictly necessary cookies",
        "We work with Amazon to show our ads.\n\n## Strictly necessary cookies",
    )
    (tmp_path / "a.md").write_text(a, encoding="utf-8")
    (tmp_path / "b.md").write_text(b, encoding="utf-8")
    report = _run([tmp_path / "a.md", tmp_path / "b.md"])
    assert not any(i.kind == "third_party" and "AWSALB" in i.message for i in report.inconsistencies)


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


def test_html_shows_code_spans_as_code_after_escaping(products, tmp_path):
    from policylint.audit.render import _rich

    assert _rich("`<b>` & `_ga`") == "<code>&lt;b&gt;</code> &amp; <code>_ga</code>"
    html = render("html", _run([products]))
    body = html.split('id="inconsistencies"', 1)[1]
    assert "<code>_ga</code> lasts" in body and "`_ga`" not in body
    job = ProductJob("shop", str(SAMPLES / "shop-v2.md"), str(SAMPLES / "shop-v1.md"))
    html = render("html", run_audit([job]))
    assert "item added <code>_fbp</code>" in html and "`_fbp`" not in html


FORMULA = '=HYPERLINK("http:evil")+1'


def test_csv_every_text_cell_is_neutralised(tmp_path, monkeypatch):
    """Scraped file names become product, policy, previous and error cells: none may start a formula."""
    monkeypatch.chdir(tmp_path)
    Path(f"{FORMULA}.md").write_text(SHOP.replace("# Cookie policy", "# -1+1"), encoding="utf-8")
    with open("m.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["product", "policy", "previous"])
        w.writerow([FORMULA, f"{FORMULA}.md", "@old.md"])  # @old.md is missing: diff_error starts with "@"
        w.writerow(["+gone", "-gone.md", ""])  # missing: error starts with "-"
    text = render("csv", _run(["m.csv"]))
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 3
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    data = list(csv.DictReader(io.StringIO(text)))
    assert data[0]["product"] == "'" + FORMULA and data[0]["policy"] == f"'{FORMULA}.md"
    assert data[0]["previous"] == "'@old.md" and data[0]["error"].startswith("'@old.md")
    assert data[0]["title"] == "'-1+1"
    assert data[1]["product"] == "'+gone" and data[1]["error"].startswith("'-gone.md")
    assert data[0]["inventory"] == "2" and data[0]["PL0"] == "0"  # counts stay numbers
    # Directory names too (audit run from inside the scraped directory).
    rows = list(csv.DictReader(io.StringIO(render("csv", _run(["."])))))
    assert [r["product"] for r in rows] == ["'" + FORMULA]


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


def test_dated_material_change_is_reported_but_fails_only_at_info(tmp_path):
    """As in the pre-commit hook: PL501 (material, date bumped) is reported, PL502 (undated) fails."""
    shutil.copy(SAMPLES / "shop-v1.md", tmp_path / "shop-v1.md")
    shutil.copy(SAMPLES / "shop-v2.md", tmp_path / "shop-v2.md")
    r = invoke(str(tmp_path), "--format", "json")
    assert r.exit_code == 0, r.output
    shop = json.loads(r.stdout)["products"][0]
    assert shop["material"] is True and shop["failing"] is False
    assert {f["rule"] for f in shop["findings"]} == {"PL501"}
    assert invoke(str(tmp_path), "--severity", "info").exit_code == 1
    text = invoke(str(tmp_path)).output
    assert "Material changes" in text and "0 failing at warning, 1 with a material change" in text
    # The same change without a new date: PL502 fails at the default threshold.
    v2 = (SAMPLES / "shop-v2.md").read_text(encoding="utf-8")
    (tmp_path / "shop-v2.md").write_text(v2.replace("12 October 2026", "3 March 2025"), encoding="utf-8")
    r = invoke(str(tmp_path), "--format", "json")
    assert r.exit_code == 1
    shop = json.loads(r.stdout)["products"][0]
    assert shop["failing"] is True and "PL502" in {f["rule"] for f in shop["findings"]}


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


# Appended to a copy of the page: says whether the products table's last column ("vs previous")
# is visible at the window's width, or else whether its container scrolls horizontally.
_MEASURE = """<script>
(function(){
  var t = document.getElementById('products'), wrap = t.parentElement;
  var cells = t.tHead.rows[0].cells, last = cells[cells.length - 1];
  var fits = last.getBoundingClientRect().right <= document.documentElement.clientWidth;
  var scrolls = getComputedStyle(wrap).overflowX === 'auto' && wrap.scrollWidth > wrap.clientWidth
    && wrap.getBoundingClientRect().right <= document.documentElement.clientWidth;
  document.documentElement.setAttribute('data-layout', fits ? 'fits' : scrolls ? 'scrolls' : 'cut');
})();
</script></body>"""


def _layout(page: Path, profile: Path) -> str:
    r = run_chromium(["--window-size=1280,900", "--dump-dom", page.as_uri()], profile)
    found = re.search(r'data-layout="(\w+)"', r.stdout)
    assert found, r.stderr[-500:]
    return found.group(1)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
def test_html_products_table_fits_or_scrolls_at_1280_px(products, tmp_path):
    page = tmp_path / "audit.html"
    page.write_text(render("html", _run([products])).replace("</body>", _MEASURE), encoding="utf-8")
    assert _layout(page, tmp_path / "profile") == "fits"  # "vs previous" is on screen
    # A team's own rule families add columns: then the table scrolls inside its container.
    report = _run([products])
    for n, p in enumerate(report.products):
        for i in range(12):
            p.findings.append(Finding(f"TEAM{i:02}{n}1", "team-rule", "warning", "x", 1, 1))
    page.write_text(render("html", report).replace("</body>", _MEASURE), encoding="utf-8")
    assert _layout(page, tmp_path / "profile") in ("fits", "scrolls")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
def test_html_report_renders_and_sorts_in_headless_chromium(products, tmp_path):
    page = tmp_path / "audit.html"
    page.write_text(render("html", _run([products])), encoding="utf-8")
    profile = tmp_path / "profile"
    # "#sort=items-desc" makes the page sort its table on load, as a click on "Items" twice would.
    url = page.as_uri() + "#sort=findings-desc"
    r = run_chromium(["--dump-dom", url], profile)
    dom = r.stdout
    assert 'data-sortable="ready"' in dom, r.stderr[-500:]  # the script ran without an error
    body = dom.split('id="products"', 1)[1].split("</tbody>", 1)[0]
    order = [name for name in ("app", "blog", "shop") if f">{name}<" in body]
    assert order and order[0] == "app"  # the product with the most findings comes first
    assert 'aria-sort="descending"' in body
    shot = tmp_path / "audit.png"
    run_chromium(["--window-size=1280,900", f"--screenshot={shot}", page.as_uri()], profile)
    assert shot.exists() and shot.stat().st_size > 10_000


# ----------------------------------------------------------------------------- new-user trial


def test_output_never_overwrites_a_walked_version_the_audit_does_not_read(tmp_path, monkeypatch):
    """shop-v1.md next to shop-v2.md and shop-v10.md: v10 is audited against v2, v1 is not
    read, but it is still one of the inputs and --output must not replace it."""
    monkeypatch.chdir(tmp_path)
    for v in (1, 2, 10):
        shutil.copy(SAMPLES / "shop-v1.md", tmp_path / f"shop-v{v}.md")
    (job,) = jobs_from_paths(["."])
    assert (Path(job.policy).name, Path(job.previous).name) == ("shop-v10.md", "shop-v2.md")
    before = (tmp_path / "shop-v1.md").read_bytes()
    for name in ("shop-v1.md", "shop-v2.md", "shop-v10.md", "./shop-v1.md"):
        r = invoke(".", "--output", name)
        assert r.exit_code == 2 and "is one of the inputs" in r.output, (name, r.output)
    assert (tmp_path / "shop-v1.md").read_bytes() == before
    walked: list[str] = []
    jobs_from_paths(["."], walked=walked)
    assert sorted(Path(p).name for p in walked) == ["shop-v1.md", "shop-v10.md", "shop-v2.md"]


def test_one_product_is_singular_and_the_table_says_what_fails(tmp_path):
    """A dated material change (PL501) is counted in W and PL5 but does not fail: the table says
    so in a "fails" column and a note under it; the JSON keeps its fields."""
    shutil.copy(SAMPLES / "shop-v1.md", tmp_path / "shop-v1.md")
    shutil.copy(SAMPLES / "shop-v2.md", tmp_path / "shop-v2.md")
    out = tmp_path.parent / f"{tmp_path.name}-audit.txt"
    r = invoke(str(tmp_path), "--output", str(out))
    assert r.exit_code == 0, r.output
    assert f"wrote the audit of 1 product to {out}" in r.output
    text = out.read_text(encoding="utf-8")
    head, row = text.splitlines()[:2]
    assert head.split()[-3:] == ["fails", "vs", "previous"]
    assert row.split()[-2:] == ["no", "material"]
    assert row[head.index("fails") :].startswith("no ")
    assert "(PL501)" in text and "--severity info" in text
    assert "0 failing at warning" in text
    text = invoke(str(tmp_path), "--severity", "info").output
    assert text.splitlines()[1].split()[-2:] == ["yes", "material"]
    assert "(PL501)" not in text  # at info PL501 fails: nothing to explain
    data = json.loads(invoke(str(tmp_path), "--format", "json").stdout)
    assert data["products"][0]["failing"] is False and "unchanged" not in data["products"][0]


def test_identical_versions_are_no_change_as_policylint_diff_says(tmp_path):
    shutil.copy(SAMPLES / "shop-v1.md", tmp_path / "shop-v1.md")
    shutil.copy(SAMPLES / "shop-v1.md", tmp_path / "shop-v2.md")
    assert (
        "NO CHANGE"
        in CliRunner()
        .invoke(cli, ["diff", str(tmp_path / "shop-v1.md"), str(tmp_path / "shop-v2.md")])
        .output
    )
    report = _run([tmp_path])
    (p,) = report.products
    assert p.material is False and p.unchanged
    assert render("text", report).splitlines()[1].endswith("no change")
    assert "editorial" not in render("text", report)
    assert list(csv.DictReader(io.StringIO(render("csv", report))))[0]["vs_previous"] == "no change"
    assert '<span class="tag editorial">no change</span>' in render("html", report)
    # A wording change is still "editorial".
    v1 = (SAMPLES / "shop-v1.md").read_text(encoding="utf-8")
    (tmp_path / "shop-v2.md").write_text(v1.replace("kitchenware", "cookware"), encoding="utf-8")
    report = _run([tmp_path])
    assert not report.products[0].unchanged
    assert render("text", report).splitlines()[1].endswith("editorial")


def test_material_changes_qualify_claims_and_list_a_replacement_first(tmp_path):
    shutil.copy(SAMPLES / "shop-v2.md", tmp_path / "shop-v1.md")
    (tmp_path / "shop-v2.md").write_text(
        "# Terms of service\n\n" + "You agree to use the service lawfully and pay for it. " * 8 + "\n",
        encoding="utf-8",
    )
    (p,) = _run([tmp_path]).products
    assert p.material_changes[0] == "policy replaced: “Cookie Policy” → “Terms of service”"
    consent = [c for c in p.material_changes if "These cookies are only set" in c]
    assert consent == [
        "claim removed (consent: analytics, advertising): "
        "“These cookies are only set if you accept them in our cookie banner.”"
    ]
