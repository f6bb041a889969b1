"""PL205: a cookie policy that gives no way to contact the controller."""

from __future__ import annotations

import re
from collections.abc import Iterable

from policylint.checks_api import Context
from policylint.checks_lib import title_line
from policylint.model import Finding

CODE = "PL205"
NAME = "no-contact"
SEVERITY = "warning"
SUMMARY = "The policy gives no contact: no email, web form, postal address or phone number."
WHY = (
    "Readers with a question about a cookie, or who want to withdraw consent or exercise their "
    "rights, need somewhere to write. A policy with no contact at all leaves them with none."
)
BASIS = (
    "GDPR Art. 13(1)(a) and (b) (contact details of the controller and of the DPO) and Art. 12(2) "
    "(facilitate the exercise of rights); CNIL délibération n° 2020-092 (recommandation)."
)
FIX = "Add an email address, a contact form link or a postal address for privacy questions."
FORMAT = "markdown"

FAILING = """\
# Cookie Policy

Last updated: 3 March 2025

This policy explains how Acme Ltd ("we") uses cookies on acme.example.

## Cookies we use

These cookies are strictly necessary for the site to work, so we set them without asking.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| acme_session | Acme | Keeps you signed in | Session |
"""

PASSING = """\
# Cookie Policy

Last updated: 3 March 2025

This policy explains how Acme Ltd ("we") uses cookies on acme.example.

## Cookies we use

These cookies are strictly necessary for the site to work, so we set them without asking.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| acme_session | Acme | Keeps you signed in | Session |

## Contact

Write to privacy@acme.example with any question about this policy.
"""

_MIN_POLICY_SCORE = 0.5
_PRIVACY_POLICY = re.compile(
    r"privacy (?:policy|notice|statement)|politique (?:de|en matière de) (?:confidentialit|protection des donn)|"
    r"déclaration de (?:confidentialit|protection des donn)|charte (?:de )?(?:confidentialit|vie priv)",
    re.IGNORECASE,
)


def check(ctx: Context) -> Iterable[Finding]:
    policy = ctx.policy
    if policy.policy_score < _MIN_POLICY_SCORE or not ctx.document.blocks or policy.contacts:
        return
    line = title_line(ctx.document)
    refers = any(_PRIVACY_POLICY.search(b.text) for b in ctx.document.blocks)
    if refers:
        yield ctx.finding(
            line,
            "The policy gives no contact (email, form or postal address) and only refers to the "
            "privacy policy: add a privacy contact here so readers need not look for it.",
            excerpt=ctx.line_text(line).strip(),
            severity="info",
        )
        return
    yield ctx.finding(
        line,
        "The policy gives no contact at all (no email, form, postal address or phone): add where "
        "readers can send privacy questions and requests.",
        excerpt=ctx.line_text(line).strip(),
    )
