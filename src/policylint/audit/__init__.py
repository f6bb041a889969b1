"""Batch audit: lint (and diff) many products' policies, then compare them with each other.

The pieces are pure functions, so they can run on a process pool, Dask or Spark:

* ``jobs_from_paths(paths, config)``: what to audit — ``ProductJob(product, policy,
  previous)`` from directories (dated or numbered versions of a file are paired, see
  ``group_versions``; README, CHANGELOG, LICENSE… are skipped), single files, and manifests (``products.csv`` with columns
  ``product,policy[,previous]``, or ``products.toml`` with ``[products.<name>]`` tables);
* ``audit_product(job, config)``: one product → ``ProductResult`` (findings, inventory
  summary, last-updated date, material verdict against the previous version);
* ``run_audit(jobs, config, n_jobs=...)``: all products (in parallel, input order kept)
  and the cross-product ``inconsistencies`` (``policylint.audit.consistency``);
* ``policylint.audit.render``: the report as text, JSON, CSV or one HTML page.
"""

from __future__ import annotations

import csv
import io
import os
import re
import time
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from policylint.model import Change, Finding

if TYPE_CHECKING:
    from policylint.audit.consistency import Inconsistency
    from policylint.config import Config

MANIFEST_SUFFIXES = (".csv", ".tsv", ".toml")
# A file name ending in a date is one version of a document: "Acme__cookie-policy__2025-03-03.md",
# "cookies-2025-03-03.html", "cookies.2025-03-03.md".
_DATED = re.compile(r"^(?P<base>.*?)[\s_.\-]*(?P<date>\d{4}-\d{2}-\d{2})$")
# So is a name ending in a version number: "shop-v1.md", "shop_v2.html", "shop.v3.md".
_VERSIONED = re.compile(r"^(?P<base>.*?)[_.\-][vV](?P<number>\d{1,9})$")


class AuditInputError(Exception):
    """A path, manifest or option the audit cannot use (exit 2)."""


@dataclass(frozen=True, slots=True)
class ProductJob:
    """One product to audit: its current policy and, optionally, the previous version."""

    product: str
    policy: str
    previous: str | None = None


@dataclass(slots=True)
class ItemSummary:
    """What the cross-product comparison needs of a declared item (small to pickle)."""

    name: str  # as extracted (normalised by the extractor: `_ga_*`)
    key: str  # comparison key: case-folded name
    provider: str | None
    company: str | None  # the provider resolved to a known vendor's company (Google, Meta…)
    known_vendor: str | None  # the catalog's vendor when the name is a known cookie
    category: str | None
    duration: str | None
    duration_days: float | None
    line: int


@dataclass(slots=True)
class ProductResult:
    product: str
    path: str
    previous: str | None = None
    format: str | None = None
    title: str | None = None
    controller: str | None = None
    controller_company: str | None = None
    last_updated: str | None = None  # ISO date
    inventory: int = 0  # declared items (cookies, storage keys, pixels, SDKs)
    third_parties: list[str] = field(default_factory=list)
    third_party_companies: list[str] = field(default_factory=list)
    items: list[ItemSummary] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # lint findings and diff (PL5xx) findings
    material: bool | None = None  # None: no previous version compared
    unchanged: bool = False  # compared, and no change at all (`policylint diff`: NO CHANGE)
    material_changes: list[str] = field(default_factory=list)  # one line each
    previous_date: str | None = None
    error: str | None = None  # the policy could not be read
    diff_error: str | None = None  # the previous version could not be read
    seconds: float = 0.0


@dataclass
class AuditReport:
    products: list[ProductResult]
    inconsistencies: list[Inconsistency]
    threshold: str = "warning"
    jobs: int | None = 1  # local worker processes; None when another engine (Dask) ran the products
    seconds: float = 0.0
    runner: str | None = None  # that engine, in words: "Dask processes scheduler, 4 partitions"

    def ran_on(self) -> str:
        """Where the products were audited, for a report: "8 processes", "Dask threads scheduler…"."""
        if self.runner:
            return self.runner
        n = self.jobs or 1
        return f"{n} process{'es' if n != 1 else ''}"


# ----------------------------------------------------------------------------- what to audit


def jobs_from_paths(
    paths: Sequence[str],
    config: Config | None = None,
    *,
    pair_versions: bool = True,
    walked: list[str] | None = None,
) -> list[ProductJob]:
    """Products to audit from directories, policy files and manifests, in the order given.

    A directory is walked like ``policylint check`` does (policy extensions, no hidden
    directories, the config's ``exclude``, no README/CHANGELOG/LICENSE… — see
    ``is_repo_doc``); each file is a product named by its path relative to the directory,
    except that dated or numbered versions of one document are paired (``group_versions``).
    A file named explicitly or in a manifest is audited whatever its name.
    ``.csv``/``.tsv``/``.toml`` files are manifests. Raises AuditInputError for a missing
    path, a bad manifest or two products with one name.

    ``walked``, when given, is extended with every policy file the directory walks found,
    including the older versions that are neither audited nor compared (``shop-v1.md`` next
    to ``shop-v2.md`` and ``shop-v10.md``): ``--output`` must not overwrite any of them.
    """
    from policylint.commands.check import walk
    from policylint.config import Config

    cfg = config or Config()
    jobs: list[ProductJob] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files = walk(raw, cfg)
            if walked is not None:
                walked.extend(files)
            rel = [Path(os.path.relpath(f, raw)).as_posix() for f in files]
            jobs.extend(group_versions(list(zip(rel, files, strict=True)), pair=pair_versions))
        elif p.is_file() and p.suffix.lower() in MANIFEST_SUFFIXES:
            jobs.extend(read_manifest(raw))
        elif p.is_file():
            jobs.append(ProductJob(_strip_ext(p.name), raw))
        elif p.exists():
            raise AuditInputError(f"{raw}: not a file or directory")
        else:
            raise AuditInputError(f"{raw}: no such file or directory")
    seen: dict[str, ProductJob] = {}
    for job in jobs:
        if job.product in seen:
            raise AuditInputError(
                f"two products are named {job.product!r} ({seen[job.product].policy} and {job.policy}); "
                "give them distinct names in a manifest"
            )
        seen[job.product] = job
    return jobs


def _strip_ext(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return stem if dot and stem else name


def group_versions(files: Sequence[tuple[str, str]], *, pair: bool = True) -> list[ProductJob]:
    """Products from ``(relative name, path)`` pairs of a walked directory.

    Files whose name ends in a date (``Acme__cookie-policy__2025-03-03.md``,
    ``cookies-2025-03-03.html``) are versions of one document: the latest is the
    product's policy and the one before it its ``previous``. So are two or more files
    whose names end in a version number (``shop-v1.md``, ``shop-v2.md``, ``shop_v3.md``,
    ``shop.v2.md``): the highest is the policy, the one before it the ``previous``; a
    lone ``api-v2.md`` keeps its name. The product is named by the part before the date
    or version — shortened to its first ``__``-separated word when that is unambiguous
    (``Acme``). Other files are products named by their relative path without
    extension. ``pair=False`` makes every file its own product.
    """
    singles: list[ProductJob] = []
    dated: dict[str, list[tuple[str, str]]] = {}
    numbered: dict[str, list[tuple[int, str]]] = {}
    numbered_stems: dict[str, list[str]] = {}
    for rel, path in files:
        stem = _strip_ext(rel)
        m = _DATED.match(stem) if pair else None
        if m is not None and m.group("base").strip("_-. "):
            dated.setdefault(m.group("base").rstrip("_-. "), []).append((m.group("date"), path))
            continue
        m = _VERSIONED.match(stem) if pair else None
        if m is not None and m.group("base").strip("_-. "):
            base = m.group("base").rstrip("_-. ")
            numbered.setdefault(base, []).append((int(m.group("number")), path))
            numbered_stems.setdefault(base, []).append(stem)
            continue
        singles.append(ProductJob(stem, path))
    groups: dict[str, list[tuple[object, str]]] = {b: list(v) for b, v in dated.items()}
    plain = {j.product for j in singles}
    for base, versions in numbered.items():
        numbers = [n for n, _ in versions]
        if len(versions) < 2 or base in groups or base in plain or len(set(numbers)) < len(numbers):
            # A lone "api-v2", a base that also has dated versions or is a file of its own
            # ("shop.md" next to "shop-v2.md"), or "shop-v1" next to "shop-v01": not a clear
            # sequence, so each file is its own product.
            singles.extend(
                ProductJob(stem, path) for stem, (_, path) in zip(numbered_stems[base], versions, strict=True)
            )
        else:
            groups[base] = list(versions)
    # "Acme__cookie-policy" → "Acme" when no other group shortens to the same name.
    order = sorted(groups)
    short = {b: b.rsplit("/", 1)[-1].split("__", 1)[0] for b in order}
    prefix = {b: (b.rsplit("/", 1)[0] + "/" if "/" in b else "") for b in order}
    counts = Counter(prefix[b] + short[b] for b in order)
    taken = {j.product for j in singles}
    out: list[ProductJob] = []
    for base in order:
        versions = sorted(groups[base], key=lambda v: v[0])  # dates (ISO) or version numbers
        name = prefix[base] + short[base]
        if counts[name] > 1 or name in taken or not short[base]:
            name = base
        previous = versions[-2][1] if len(versions) > 1 else None
        out.append(ProductJob(name, versions[-1][1], previous))
    return sorted(singles + out, key=lambda j: j.product)


def read_manifest(path: str) -> list[ProductJob]:
    """Products listed in a CSV/TSV (``product,policy[,previous]``) or TOML manifest.

    Paths are relative to the manifest's directory. AuditInputError names the manifest
    and the line or product that is wrong.
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise AuditInputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AuditInputError(f"{path}: manifest is not UTF-8 text") from None
    base = p.parent
    entries = _toml_manifest(path, text) if p.suffix.lower() == ".toml" else _csv_manifest(path, text)
    jobs: list[ProductJob] = []
    seen: set[str] = set()
    for where, product, policy, previous in entries:
        if product in seen:
            raise AuditInputError(f"{path}: {where}: product {product!r} is listed twice")
        seen.add(product)
        jobs.append(
            ProductJob(
                product, _relative_to(base, policy), _relative_to(base, previous) if previous else None
            )
        )
    return jobs


def _relative_to(base: Path, value: str) -> str:
    return value if os.path.isabs(value) else os.path.normpath(os.path.join(base, value))


def _csv_manifest(path: str, text: str) -> list[tuple[str, str, str, str | None]]:
    delimiter = "\t" if path.lower().endswith(".tsv") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = [(reader.line_num, row) for row in reader]
    rows = [(n, r) for n, r in rows if any(c.strip() for c in r) and not r[0].lstrip().startswith("#")]
    if not rows:
        raise AuditInputError(f"{path}: empty manifest (expected a header: product,policy[,previous])")
    header = [c.strip().lower() for c in rows[0][1]]
    missing = [c for c in ("product", "policy") if c not in header]
    if missing:
        raise AuditInputError(
            f"{path}: line {rows[0][0]}: the header needs columns product and policy (and optionally "
            f"previous); missing {', '.join(missing)} (header: {', '.join(header) or 'empty'})"
        )
    col = {name: header.index(name) for name in ("product", "policy", "previous") if name in header}
    out = []
    for number, row in rows[1:]:

        def cell(name: str, row=row) -> str:
            i = col.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        product, policy = cell("product"), cell("policy")
        if not product or not policy:
            raise AuditInputError(f"{path}: line {number}: product and policy must not be empty")
        out.append((f"line {number}", product, policy, cell("previous") or None))
    return out


def _toml_manifest(path: str, text: str) -> list[tuple[str, str, str, str | None]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AuditInputError(f"{path}: invalid TOML: {exc}") from None
    extra = sorted(set(data) - {"products"})
    if extra:
        raise AuditInputError(f"{path}: unknown key {extra[0]!r} (a manifest has [products.<name>] tables)")
    products = data.get("products")
    if not isinstance(products, dict) or not products:
        raise AuditInputError(f"{path}: no [products.<name>] tables")
    out = []
    for name, table in products.items():
        where = f"[products.{name}]"
        if not isinstance(table, dict):
            raise AuditInputError(f'{path}: {where} must be a table with policy = "..."')
        unknown = sorted(set(table) - {"policy", "previous"})
        if unknown:
            raise AuditInputError(f"{path}: {where}: unknown key {unknown[0]!r} (known: policy, previous)")
        policy, previous = table.get("policy"), table.get("previous")
        if not isinstance(policy, str) or not policy.strip():
            raise AuditInputError(f'{path}: {where}: policy = "path" is required')
        if previous is not None and (not isinstance(previous, str) or not previous.strip()):
            raise AuditInputError(f"{path}: {where}: previous must be a path")
        out.append((where, str(name), policy.strip(), previous.strip() if previous else None))
    return out


def input_paths(
    jobs: Iterable[ProductJob], manifests: Iterable[str] = (), walked: Iterable[str] = ()
) -> list[str]:
    """Every input of the audit: the manifests, each product's policy and previous version,
    and every policy file a directory walk found (``jobs_from_paths(walked=...)``), read or
    not. An ``--output`` must not overwrite one of them."""
    out = [*manifests, *walked]
    for j in jobs:
        out.append(j.policy)
        if j.previous:
            out.append(j.previous)
    return out


# ----------------------------------------------------------------------------- one product


def audit_product(job: ProductJob, config: Config | None = None) -> ProductResult:
    """Lint one product's policy, summarise its inventory and diff it against ``previous``.

    Never raises: an unreadable policy sets ``error``, an unreadable previous version
    ``diff_error``, and an internal error in either becomes ``error`` too.
    """
    started = time.perf_counter()
    try:
        result = _audit_product(job, config)
    except Exception as exc:  # noqa: BLE001 - one broken document must not stop a batch
        result = ProductResult(
            job.product,
            job.policy,
            job.previous,
            error=f"{job.policy}: internal error: {type(exc).__name__}: {exc}",
        )
    result.seconds = time.perf_counter() - started
    return result


def _audit_product(job: ProductJob, config: Config | None) -> ProductResult:
    from policylint.api import analyse
    from policylint.config import Config

    cfg = config or Config()
    analysis = analyse(job.policy, config=cfg)
    res = ProductResult(job.product, job.policy, job.previous)
    if analysis.result.error or analysis.policy is None:
        res.error = analysis.result.error or f"{job.policy}: cannot be read"
        return res
    policy = analysis.policy
    res.format = analysis.result.format
    res.title = policy.title
    res.controller = policy.controller
    res.last_updated = policy.last_updated.isoformat() if policy.last_updated else None
    res.inventory = len(policy.cookies)
    res.findings = list(analysis.result.findings)
    _summarise(res, policy)
    if job.previous:
        _compare(res, job.previous, analysis, cfg)
    return res


def _summarise(res: ProductResult, policy) -> None:
    from policylint.catalog import load_cookie_catalog, load_vendors

    catalog, vendors = load_cookie_catalog(), load_vendors()

    def company_of(text: str | None) -> str | None:
        if not text or not text.strip():
            return None
        v = vendors.by_name(text.strip().rstrip("*").strip())
        return company(v.name) if v is not None else None

    res.controller_company = company_of(policy.controller)
    res.third_parties = [t.name for t in policy.third_parties]
    res.third_party_companies = sorted({company(t.name) for t in policy.third_parties})
    for it in policy.cookies:
        if not it.name:
            continue
        entry = catalog.lookup(it.name)
        if entry is not None and _is_platform(vendors, entry.vendor):
            # JSESSIONID, PHPSESSID: each site's own server sets one (LinkedIn's in one
            # product, New Relic's in another), so a known name does not make them one cookie.
            entry = None
        res.items.append(
            ItemSummary(
                name=it.name,
                key=cookie_key(it.name),
                provider=it.provider,
                company=company_of(it.provider),
                known_vendor=entry.vendor if entry is not None else None,
                category=it.category,
                duration=it.duration,
                duration_days=it.duration_days,
                line=it.line,
            )
        )


def _is_platform(vendors, name: str | None) -> bool:
    v = vendors.by_name(name) if name else None
    return v is not None and v.category == "platform"


def _compare(res: ProductResult, previous: str, analysis, cfg: Config) -> None:
    from policylint.api import load_document
    from policylint.diffing import compute
    from policylint.engine import is_selected
    from policylint.extraction import extract_policy
    from policylint.load import InputError

    try:
        old_doc = load_document(previous)
    except InputError as exc:
        res.diff_error = str(exc)
        return
    old_policy = extract_policy(old_doc)
    result = compute(old_policy, analysis.policy, old_doc, analysis.document, check_dirs=cfg.extend_checks)
    res.material = result.material
    res.unchanged = not result.changes
    res.previous_date = result.old_date
    # A replaced policy first: it is what users must be told before anything the old one said.
    res.material_changes = change_summaries(
        sorted(result.material_changes, key=lambda c: c.kind != "policy_replaced")
    )
    # PL503 (one info finding per editorial change) would drown the counts; the verdict says "editorial".
    extra = [f for f in result.findings if f.rule != "PL503" and is_selected(f.rule, cfg.select, cfg.ignore)]
    res.findings = sorted([*res.findings, *extra], key=lambda f: (f.line, f.column, f.rule))


def cookie_key(name: str) -> str:
    """The name two policies' items are matched on: case-folded, without quotes/backticks."""
    return " ".join(name.strip().strip("`'\"").split()).casefold()


def company(vendor_name: str) -> str:
    """The company behind a vendor: Google Analytics → Google, Instagram → Meta."""
    from policylint.extraction import _PARENTS

    for parent, children in _PARENTS.items():
        if vendor_name == parent or vendor_name.startswith(children):
            return parent
    return vendor_name


_ITEM_KINDS = (
    "item_",
    "category_",
    "consent_",
    "exemption_",
    "duration_",
    "provider_",
    "party_",
    "purpose_",
    "storage_",
    "domains_",
)
_TEXT_KINDS = {
    "text_changed": "new text under",
    "text_added": "new text",
    "text_removed": "text removed from",
}


def change_summary(change: Change, limit: int = 90, *, subjects: Sequence[str] | None = None) -> str:
    """A material change in a few words, for a list a reviewer acts on:
    ``item added `_fbp``` / ``duration longer `_ga` (13 months → 24 months)`` /
    ``claim removed (consent: analytics): “These cookies are only set…”`` /
    ``policy replaced: “Cookie Policy” → “Terms of service”``.

    A claim is qualified by what it is about (``subjects``: the claims one sentence made,
    ``consent:analytics``, ``consent:advertising``; default the change's own subject).
    """

    def short(text: str | None) -> str:
        t = " ".join((text or "").split())
        return t if len(t) <= limit else t[: limit - 1] + "…"

    label = change.kind.replace("_", " ")
    if change.kind == "policy_replaced":
        old, new = short(change.old), short(change.new or change.subject)
        return f"{label}: “{old}” → “{new}”" if old and old != new else f"{label} by “{new}”"
    if change.kind.startswith("claim_"):
        about = _claim_subjects(subjects or [change.subject])
        about = f" ({about})" if about else ""
        return f"{label}{about}: “{short(change.old or change.new or change.subject)}”"
    if change.kind in _TEXT_KINDS:
        where = f" (line {change.new_line})" if change.new_line else ""
        return f"{_TEXT_KINDS[change.kind]} “{short(change.subject)}”{where}"
    subject = f"`{short(change.subject)}`" if change.kind.startswith(_ITEM_KINDS) else short(change.subject)
    out = f"{label} {subject}"
    if change.old and change.new and len(change.old) <= 40 and len(change.new) <= 40:
        out += f" ({change.old} → {change.new})"
    return out


def _claim_subjects(subjects: Sequence[str]) -> str:
    """``["consent:analytics", "consent:advertising"]`` → ``consent: analytics, advertising``."""
    by_kind: dict[str, list[str]] = {}
    for s in subjects:
        kind, _, what = s.partition(":")
        if not what:
            kind, what = "", kind
        names = by_kind.setdefault(kind.replace("_", " ").strip(), [])
        name = what.replace("_", " ").strip()
        if name and name not in names:
            names.append(name)
    parts = [f"{k}: {', '.join(v)}" if k and v else k or ", ".join(v) for k, v in by_kind.items()]
    return "; ".join(p for p in parts if p)


def change_summaries(changes: Iterable[Change], limit: int = 90) -> list[str]:
    """``change_summary`` of each change, in order, with the claims one sentence made merged
    into one line ("These cookies are only set if you accept them" removed under analytics
    and under advertising is one line, qualified by both subjects, not the same quote twice)."""
    kept: list[Change] = []
    subjects: dict[int, list[str]] = {}
    first: dict[tuple[str, str, str], int] = {}
    for c in changes:
        if c.kind.startswith("claim_"):
            key = (c.kind, " ".join((c.old or "").split()), " ".join((c.new or "").split()))
            if key in first:
                subjects[first[key]].append(c.subject)
                continue
            first[key] = len(kept)
            subjects[len(kept)] = [c.subject]
        kept.append(c)
    return [change_summary(c, limit, subjects=subjects.get(i)) for i, c in enumerate(kept)]


# ----------------------------------------------------------------------------- many products


def family(code: str) -> str:
    """``PL101`` → ``PL1``; a team's ``ACME1203`` → ``ACME12``."""
    return code[:-2] if len(code) > 2 else code


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    c = Counter(f.severity for f in findings)
    return {s: c.get(s, 0) for s in ("error", "warning", "info")}


def family_counts(findings: Iterable[Finding]) -> dict[str, int]:
    return dict(sorted(Counter(family(f.rule) for f in findings).items()))


# Diff rules that describe a change rather than a problem with it. A material change whose
# last-updated date was bumped (PL501) is what a policy team is meant to do: it is reported, but
# fails a product only at threshold "info". An undated one (PL502) or a replaced policy (PL504)
# fails, as in the pre-commit hook.
DESCRIPTIVE_RULES = frozenset({"PL501", "PL503"})


def failing(product: ProductResult, threshold: str) -> bool:
    """Does the product fail the audit: a finding at or above ``threshold``, not counting
    PL501/PL503 (they only describe a change) unless the threshold is ``info``?"""
    from policylint.engine import at_or_above

    return any(
        at_or_above(f.severity, threshold) and (threshold == "info" or f.rule not in DESCRIPTIVE_RULES)
        for f in product.findings
    )


def run_audit(
    jobs: Sequence[ProductJob],
    config: Config | None = None,
    *,
    n_jobs: int = 1,
    threshold: str | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> AuditReport:
    """Audit every product (on ``n_jobs`` processes, results in input order), then compare them."""
    from functools import partial

    from policylint.audit.consistency import inconsistencies
    from policylint.config import Config
    from policylint.parallel import map_ordered

    cfg = config or Config()
    started = time.perf_counter()

    def on_error(job: ProductJob, exc: BaseException) -> ProductResult:
        return ProductResult(job.product, job.policy, job.previous, error=f"{job.policy}: {exc}")

    products = map_ordered(
        partial(audit_product, config=cfg),
        list(jobs),
        jobs=n_jobs,
        on_progress=on_progress,
        on_error=on_error,
    )
    return AuditReport(
        products=products,
        inconsistencies=inconsistencies(products),
        threshold=threshold or cfg.severity,
        jobs=n_jobs,
        seconds=time.perf_counter() - started,
    )


__all__ = [
    "AuditInputError",
    "AuditReport",
    "ItemSummary",
    "ProductJob",
    "ProductResult",
    "audit_product",
    "change_summaries",
    "change_summary",
    "group_versions",
    "jobs_from_paths",
    "read_manifest",
    "run_audit",
]
