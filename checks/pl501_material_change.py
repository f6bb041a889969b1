"""PL501: a change between two versions that needs notice to users (or new consent)."""

from __future__ import annotations

from collections.abc import Iterable

from policylint.diffing.context import DiffContext
from policylint.model import Finding

CODE = "PL501"
NAME = "material-change"
SEVERITY = "warning"
SCOPE = "diff"
SUMMARY = (
    "The new version changes what users agreed to: a new tracker that needs consent, a new purpose or "
    "recipient, a longer lifetime, a more intrusive category, a withdrawn protection or a new controller."
)
WHY = (
    "Consent covers the purposes, recipients and lifetimes users were told about. When a policy adds a "
    "tracker that needs consent, a new purpose or a new company receiving data, lengthens how long a "
    "cookie lives, moves a cookie from exempt to consent-based (or back), withdraws a statement such as "
    '"we do not use advertising cookies", or names a new controller, the consent users gave does not '
    "cover the new processing: they must be told before it applies and, for trackers that need consent, "
    "asked again (the consent tool must re-prompt). Reviewers need these changes separated from wording "
    "edits so that they are not waved through."
)
BASIS = (
    "GDPR Art. 4(11) and 7 (consent is specific and informed), Art. 13(1)(a), (c), (e) and 13(2)(a) "
    "(controller, purposes, recipients, storage period) and Art. 13(3) (inform before further processing); "
    "ePrivacy Directive 2002/58/EC Art. 5(3); EDPB Guidelines 05/2020 on consent §§ 108-111; CNIL "
    "délibération n° 2020-091, art. 2 and 2020-092 (renew consent when purposes change)."
)
FIX = (
    "Before publishing: announce the change to users (banner, e-mail to account holders), make the "
    "consent tool ask again for the new purposes or trackers, bump the last-updated date, and keep the "
    "old version available. If the change was not intended (a copy-paste, a wrong category), fix the text."
)
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

# The new version (dated 1 June 2025) lengthens `_ga` to 25 months and adds an advertising cookie.
FAILING = (
    _OLD,
    _OLD.replace("3 March 2025", "1 June 2025").replace("| 13 months |", "| 25 months |")
    + """
## Advertising cookies

We set these cookies only with your consent.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| _fbp | Meta | Shows you our ads on Facebook | 3 months |
""",
)

PASSING = (
    FAILING[0],
    """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. You can reach us at privacy@acme.example.

## Analytics cookies

We only set these cookies once you have given your consent.

| Cookie | Provider | Purpose | Duration |
| --- | --- | --- | --- |
| _ga | Google | Tells visitors apart | 13 months |
""",
)


def check_diff(ctx: DiffContext) -> Iterable[Finding]:
    for change in ctx.material:
        if change.kind == "policy_replaced":
            continue  # PL504 says it
        subject = (
            f" `{change.subject}`"
            if change.kind.startswith(
                ("item_", "duration", "provider", "party", "consent", "exemption", "purpose")
            )
            else ""
        )
        yield ctx.finding(
            ctx.new_line(change),
            f"Material change ({change.kind.replace('_', ' ')}{subject}): {change.reason}",
            excerpt=(change.new or change.old or "")[:200],
        )
