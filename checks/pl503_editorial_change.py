"""PL503: an editorial change between two versions (reported for review, needs no notice)."""

from __future__ import annotations

from collections.abc import Iterable

from policylint.diffing.context import DiffContext
from policylint.model import Finding

CODE = "PL503"
NAME = "editorial-change"
SEVERITY = "info"
SCOPE = "diff"
SUMMARY = (
    "A change that does not alter what users agreed to: wording, layout, links, a filled placeholder, "
    "a contact address, a date, or the removal of a tracker."
)
WHY = (
    "Editorial changes need no notice and no new consent, but a reviewer should still see them: a "
    "reworded sentence can shift meaning, and a removed tracker should really be gone from the site. "
    "Listing them separately lets the material changes stand out."
)
BASIS = (
    "GDPR Art. 12(1) (information kept clear and accurate); EDPB Guidelines on transparency WP260 "
    "rev.01 § 29 (only substantive changes must be actively communicated)."
)
FIX = "Nothing to do for users; review the wording and keep the change history."
FORMAT = "markdown"

FAILING = (
    """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

Cookies are small files a website stores on your device.
""",
    """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

A cookie is a small text file that a website saves on your device.
""",
)

PASSING = (FAILING[0], FAILING[0])


def check_diff(ctx: DiffContext) -> Iterable[Finding]:
    for change in ctx.editorial:
        yield ctx.finding(
            ctx.new_line(change),
            f"Editorial change ({change.kind.replace('_', ' ')}): {change.reason}",
            excerpt=(change.new or change.old or "")[:200],
        )
