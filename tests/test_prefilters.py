"""The word prefilters run before regexes (``has_any``) only skip work, never change results.

Each prefilter lists words that every match of its regex contains; a pattern edited without
its word list would silently stop matching. Turning every prefilter off must give the same
inventory for every sample and corpus document.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policylint.api import load_document
from policylint.extraction import claims, extract_policy, metadata, records, vocab
from policylint.model import to_json

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
DOCS = sorted(
    p for p in (ROOT / "samples").iterdir() if p.suffix in (".md", ".html", ".txt") and p.stem != "README"
)
if CORPUS.is_dir():
    DOCS += sorted(p for p in CORPUS.iterdir() if p.suffix in (".md", ".html", ".txt"))


@pytest.mark.parametrize("path", DOCS, ids=[p.name for p in DOCS])
def test_extraction_is_the_same_without_prefilters(path, monkeypatch):
    doc = load_document(path)
    with_filters = to_json(extract_policy(doc))
    for module in (vocab, records, claims, metadata):
        monkeypatch.setattr(module, "has_any", lambda text, words: True)
    assert to_json(extract_policy(doc)) == with_filters
