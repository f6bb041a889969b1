"""The library API: paths or text in, plain dataclasses out.

Everything here is a pure function of its input (no network, no writes, no
global state), so an audit can map it over many documents in parallel —
processes, Dask or Spark alike.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from policylint.model import Document, Format, Policy

if TYPE_CHECKING:
    from policylint.diffing import DiffResult
    from policylint.engine import FileResult

Source = str | os.PathLike[str] | Document


def load_document(source: Source, *, text: str | None = None, fmt: Format | None = None) -> Document:
    """A parsed Document from a path, or from ``text`` (``source`` is then its display name).

    Raises ``policylint.load.InputError`` when a path cannot be opened.
    """
    if isinstance(source, Document):
        return source
    from policylint.load import load, load_text
    from policylint.parse import parse

    if text is not None:
        return parse(load_text(text, os.fspath(source), fmt))
    return parse(load(Path(source), fmt))


def extract(source: Source, *, text: str | None = None, fmt: Format | None = None) -> Policy:
    """The Policy a document declares: metadata, items, third parties, claims."""
    from policylint.extraction import extract_policy

    return extract_policy(load_document(source, text=text, fmt=fmt))


def load_bytes(name: str, data: bytes, fmt: Format | None = None) -> Document:
    """A parsed Document from bytes already in memory (stdin, an archive member, a test example).

    Goes through the same checks as a file: size limit (PL006), binary content (PL001),
    charset detection and NUL bytes (PL007).
    """
    from policylint.load import MAX_BYTES, Loaded, decode, looks_binary, sniff_format
    from policylint.parse import parse

    if len(data) > MAX_BYTES:
        loaded = Loaded(
            name,
            "",
            fmt or sniff_format(name, data[:8192]),
            "unknown",
            [("PL006", f"file is larger than {MAX_BYTES // (1024 * 1024)} MB; not parsed")],
        )
    elif looks_binary(data):
        loaded = Loaded(name, "", fmt or "text", "binary", [("PL001", "file is binary, not a text document")])
    else:
        fmt = fmt or sniff_format(name, data[:8192])
        text, enc, problems = decode(data, fmt)
        loaded = Loaded(name, text, fmt, enc, problems)
    return parse(loaded)


def lint(
    source: Source,
    *,
    text: str | bytes | None = None,
    fmt: Format | None = None,
    config: object = None,
):
    """Lint one policy: a ``FileResult`` with its findings, or with ``error`` set when the
    file cannot be read (missing, a directory, permission denied).

    ``config`` is a ``policylint.config.Config``, a dict shaped like the ``[tool.policylint]``
    table, or None for the defaults (every rule). ``text`` (str or bytes) lints content in
    memory under the display name ``source``.
    """
    return analyse(source, text=text, fmt=fmt, config=config).result


@dataclass(slots=True)
class Analysis:
    """What linting one document produced: the ``FileResult`` and, when the file could be
    read, the ``Document`` and ``Policy`` the checks ran on (an audit reuses them instead of
    parsing and extracting a second time)."""

    result: FileResult
    policy: Policy | None = None
    document: Document | None = None


def analyse(
    source: Source,
    *,
    text: str | bytes | None = None,
    fmt: Format | None = None,
    config: object = None,
) -> Analysis:
    """``lint``, keeping the parsed ``Document`` and extracted ``Policy`` (same arguments)."""
    from policylint.config import Config, config_from_mapping
    from policylint.engine import FileResult, discover, run_checks, validate_selectors
    from policylint.load import InputError

    if config is None:
        cfg = Config()
    elif isinstance(config, Config):
        cfg = config
    elif isinstance(config, dict):
        cfg = config_from_mapping(config)
    else:
        raise TypeError("config must be a policylint.config.Config, a dict or None")
    rules = discover(cfg.extend_checks)
    validate_selectors(cfg, rules)
    path = source.path if isinstance(source, Document) else os.fspath(source)
    try:
        if isinstance(text, bytes):
            document = load_bytes(path, text, fmt)
        else:
            document = load_document(source, text=text, fmt=fmt)
    except InputError as exc:
        return Analysis(FileResult(path=path, format=None, findings=[], error=str(exc)))
    policy, problem = _policy_for(document)
    findings = run_checks(document, policy, cfg, rules=rules, extra=[problem] if problem else ())
    return Analysis(
        FileResult(path=path, format=document.format, findings=findings, error=None), policy, document
    )


def _policy_for(document: Document):
    """The document's Policy, and a PL005 finding instead of a traceback if extraction fails."""
    from policylint.extraction import extract_policy

    try:
        return extract_policy(document), None
    except Exception as exc:  # noqa: BLE001 - a document that breaks the extractor still gets its text checks
        from policylint.engine import engine_finding

        detail = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
        policy = Policy(path=document.path, format=document.format, title=document.title)
        return policy, engine_finding(
            f"extracting the inventory failed on this document ({type(exc).__name__}"
            f"{': ' + detail if detail else ''}); checks that need it found nothing — please report this"
        )


def _policy_and_document(source: Source | Policy) -> tuple[Policy, Document | None]:
    if isinstance(source, Policy):
        return source, None
    doc = load_document(source)
    return extract(doc), doc


def diff(old: Source | Policy, new: Source | Policy, *, check_dirs: list[str] | None = None) -> DiffResult:
    """What changed between two versions of a policy, and whether users must be told.

    ``old``/``new`` are paths, Documents or already extracted Policies (without a
    Document there is no text diff). Returns a ``DiffResult``: ``material``,
    ``changes`` (each material or editorial, with its reason), ``findings``
    (PL5xx) and ``text_diff``.
    """
    from policylint.diffing import compute

    old_policy, old_doc = _policy_and_document(old)
    new_policy, new_doc = _policy_and_document(new)
    return compute(old_policy, new_policy, old_doc, new_doc, check_dirs=check_dirs)
