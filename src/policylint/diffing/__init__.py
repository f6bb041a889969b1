"""Policy diff: what changed between two versions and whether users must be told.

``compute(old, new, old_doc, new_doc)`` is the pure core (Policies and
optional Documents in, a ``DiffResult`` out); ``policylint.api.diff`` wraps it
for paths. Modules: ``semantic`` (the changes), ``materiality`` (material or
editorial, and why), ``passages`` (block alignment and the text diff),
``context`` (diff checks PL5xx), ``inputs`` (--git / --patch), ``render``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from policylint.model import Change, Document, Finding, Policy


@dataclass
class DiffResult:
    old: str  # path (display name) of the old version
    new: str
    material: bool
    changes: list[Change]
    findings: list[Finding]
    text_diff: str  # compact unified diff of the changed passages (block text)
    replaced: list[str] = field(default_factory=list)  # why the new version is no longer a cookie policy
    old_policy: Policy | None = field(default=None, repr=False)
    new_policy: Policy | None = field(default=None, repr=False)
    old_document: Document | None = field(default=None, repr=False)
    new_document: Document | None = field(default=None, repr=False)

    @property
    def material_changes(self) -> list[Change]:
        return [c for c in self.changes if c.material]

    @property
    def editorial_changes(self) -> list[Change]:
        return [c for c in self.changes if not c.material]

    @property
    def old_date(self) -> str | None:
        p = self.old_policy
        return p.last_updated.isoformat() if p is not None and p.last_updated else None

    @property
    def new_date(self) -> str | None:
        p = self.new_policy
        return p.last_updated.isoformat() if p is not None and p.last_updated else None


def compute(
    old: Policy,
    new: Policy,
    old_doc: Document | None = None,
    new_doc: Document | None = None,
    *,
    check_dirs: list | None = None,
) -> DiffResult:
    """Compare two policies (and their documents, for the text) and run the diff checks."""
    from policylint.diffing import passages
    from policylint.diffing.context import DiffContext, diff_checks, run_diff_checks
    from policylint.diffing.semantic import compare

    cmp = compare(old, new, old_doc, new_doc)
    line_map = passages.LineMap(passages.document_units(old_doc), passages.document_units(new_doc))
    ctx = DiffContext(old, new, cmp.changes, old_doc, new_doc, cmp.replaced, line_map=line_map)
    findings = run_diff_checks(ctx, diff_checks(check_dirs))
    return DiffResult(
        old=old.path,
        new=new.path,
        material=any(c.material for c in cmp.changes),
        changes=cmp.changes,
        findings=findings,
        text_diff=passages.unified(cmp.hunks, old.path, new.path),
        replaced=cmp.replaced,
        old_policy=old,
        new_policy=new,
        old_document=old_doc,
        new_document=new_doc,
    )


__all__ = ["DiffResult", "compute"]
