"""PL502: a material change published without a newer last-updated date."""

from __future__ import annotations

from collections.abc import Iterable

from policylint.diffing.context import DiffContext
from policylint.model import Finding

CODE = "PL502"
NAME = "date-not-bumped"
SEVERITY = "error"
SCOPE = "diff"
SUMMARY = "The policy changed materially but its last-updated (or effective) date did not move forward."
WHY = (
    "The date is how users, auditors and regulators tell which version applied when. A material change "
    "under an old date misrepresents when the new processing started, hides the change from readers who "
    "check the date, and makes consent records impossible to match to the text that was shown."
)
BASIS = (
    "GDPR Art. 5(2) and 7(1) (accountability: the controller must be able to show what users consented "
    "to), Art. 12(1) (transparent information); EDPB Guidelines on transparency WP260 rev.01 § 29-33 "
    "(changes must be communicated and traceable)."
)
FIX = "Set the last-updated or effective date to the date the new version applies, and keep the old version archived."
FORMAT = "markdown"

_OLD = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

## Analytics cookies

We set these cookies only with your consent.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| _ga | Google | Distinguishes visitors | 13 months |
"""

# The new version lengthens `_ga` to 25 months (a material change) under the same date.
FAILING = (_OLD, _OLD.replace("| 13 months |", "| 25 months |"))

PASSING = (
    FAILING[0],
    FAILING[1].replace("Last updated: 3 March 2025", "Last updated: 1 June 2025"),
)


def check_diff(ctx: DiffContext) -> Iterable[Finding]:
    material = [c for c in ctx.material if c.kind != "policy_replaced"]
    if not material or ctx.replaced:
        return
    old, new = ctx.old.last_updated, ctx.new.last_updated
    n = len(material)
    what = f"{n} material change{'s' if n > 1 else ''}"
    if new is None:
        line = ctx.new.last_updated_line or 1
        yield ctx.finding(
            line,
            f"The policy has {what} but states no last-updated date: add the date the new version applies.",
            excerpt=ctx.line_text(line).strip(),
        )
    elif old is not None and new <= old:
        line = ctx.new.last_updated_line or 1
        when = "still says" if new == old else "now says an older date,"
        yield ctx.finding(
            line,
            f"The policy has {what} but {when} {new.isoformat()} (previous version: {old.isoformat()}): "
            "bump the last-updated date.",
            excerpt=ctx.line_text(line).strip(),
        )
