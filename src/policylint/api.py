"""The library API: paths or text in, plain dataclasses out.

Everything here is a pure function of its input (no network, no writes, no
global state), so an audit can map it over many documents in parallel —
processes, Dask or Spark alike.
"""

from __future__ import annotations

import os
from pathlib import Path

from policylint.model import Document, Format, Policy

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
    from policylint.extract import extract_policy

    return extract_policy(load_document(source, text=text, fmt=fmt))
