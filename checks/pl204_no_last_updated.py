"""PL204: a cookie policy without a last-updated or effective date."""

from __future__ import annotations

from collections.abc import Iterable

from policylint.checks_api import Context
from policylint.checks_lib import title_line
from policylint.model import Finding

CODE = "PL204"
NAME = "no-last-updated"
SEVERITY = "warning"
SUMMARY = "The policy gives no last-updated or effective date."
WHY = (
    "Cookie inventories change with every new tag; a reader, an auditor or a court must be able "
    "to tell which version was in force when. Without a date nobody can tell whether the list is "
    "current, or whether a change was announced before it took effect."
)
BASIS = (
    "GDPR Art. 12(1) and Art. 5(2) (accountability: show what was disclosed when); EDPB/WP29 "
    "Guidelines on transparency (WP260 rev.01, §29-33: changes to the information must be "
    "identifiable); CNIL délibération n° 2020-092 (recommandation): keep users informed of changes."
)
FIX = (
    "Add a 'Last updated: <date>' (or 'Effective <date>', 'Dernière mise à jour : <date>') line near the top."
)
FORMAT = "markdown"

FAILING = """\
# Cookie Policy

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

## Cookies we use

These cookies are strictly necessary for the site to work, so we set them without asking.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| acme_session | Acme | Keeps you signed in | Session |
"""

PASSING = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

## Cookies we use

These cookies are strictly necessary for the site to work, so we set them without asking.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| acme_session | Acme | Keeps you signed in | Session |
"""

# Below this score the document is not read as a cookie policy (PL0xx reports that instead).
_MIN_POLICY_SCORE = 0.5


def check(ctx: Context) -> Iterable[Finding]:
    policy = ctx.policy
    if policy.policy_score < _MIN_POLICY_SCORE or not ctx.document.blocks:
        return
    if policy.last_updated is not None or policy.last_updated_text:
        return  # a date written but unreadable or blank is PL1xx's to report
    line = title_line(ctx.document)
    yield ctx.finding(
        line,
        "The policy states no last-updated or effective date: add 'Last updated: <date>' near the "
        "top so readers can tell which version is in force.",
        excerpt=ctx.line_text(line).strip(),
    )
