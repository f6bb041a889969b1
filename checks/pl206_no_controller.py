"""PL206: a cookie policy that never says who the controller is."""

from __future__ import annotations

from collections.abc import Iterable

from policylint.checks_api import Context
from policylint.checks_lib import title_line
from policylint.model import Finding

CODE = "PL206"
NAME = "no-controller"
SEVERITY = "warning"
SUMMARY = "The policy does not identify the company responsible for the cookies (the controller)."
WHY = (
    "'We' is not an identity. A reader, and a regulator, must be able to tell which legal entity "
    "decides on the cookies and answers for them, especially where a brand is run by a group of "
    "companies."
)
BASIS = (
    "GDPR Art. 13(1)(a) (identity of the controller) and Art. 12(1); CNIL délibération n° 2020-091 "
    "(lignes directrices): the identity of the controller(s) of the read/write operations must be "
    "given."
)
FIX = (
    "Name the legal entity, e.g. 'Acme Ltd (\"we\", \"us\")' or 'Le responsable du traitement est Acme SAS'."
)
FORMAT = "markdown"

FAILING = """\
# Cookie Policy

Last updated: 3 March 2025

This policy explains how we use cookies. Questions: privacy@example.com.

## Cookies we use

These cookies are strictly necessary for the site to work, so we set them without asking.

| Cookie | Purpose | Duration |
| --- | --- | --- |
| site_session | Keeps you signed in | Session |
"""

PASSING = """\
# Cookie Policy

Last updated: 3 March 2025

This policy explains how Acme Ltd ("we") uses cookies. Questions: privacy@acme.example.

## Cookies we use

These cookies are strictly necessary for the site to work, so we set them without asking.

| Cookie | Purpose | Duration |
| --- | --- | --- |
| acme_session | Keeps you signed in | Session |
"""

_MIN_POLICY_SCORE = 0.5


def check(ctx: Context) -> Iterable[Finding]:
    policy = ctx.policy
    if policy.policy_score < _MIN_POLICY_SCORE or not ctx.document.blocks or policy.controller:
        return
    line = title_line(ctx.document)
    yield ctx.finding(
        line,
        "The policy never says which company is responsible for the cookies (the controller): "
        "name that legal entity as 'we', e.g. 'Acme Ltd (\"we\")'.",
        excerpt=ctx.line_text(line).strip(),
    )
