"""PL004: a cookie policy that names no cookie, storage key, pixel or SDK at all."""

from __future__ import annotations

import re
from collections.abc import Iterable

from policylint.checks_api import Context
from policylint.checks_lib import TextIndex, and_more, fold, not_parsed, title_line
from policylint.model import Finding

CODE = "PL004"
NAME = "no-inventory"
SEVERITY = "warning"
SUMMARY = "The policy names no cookie, storage key, pixel or SDK: there is no inventory to check."
WHY = (
    "A policy that only describes categories ('we use analytics cookies') tells readers neither what "
    "is stored on their device nor for how long, and every item-level check (provider, purpose, "
    "duration, exemption) stays silent on it: the vaguest policies would look the cleanest. It is "
    "also what a cookie list rendered by a script, or a table deleted by mistake, looks like in the "
    "published text."
)
BASIS = (
    "ePrivacy Directive 2002/58/EC Art. 5(3) (clear and comprehensive information on the storage and "
    "access); GDPR Art. 12(1) and 13(1)(c), (e), 13(2)(a); CNIL délibération n° 2020-091 (lignes "
    "directrices): the purposes of each tracker and its lifetime must be given; ICO guidance on "
    "storage and access technologies: tell users what cookies you set, what they do and how long "
    "they last."
)
FIX = (
    "List each tracker with its name, provider, purpose and lifetime (a table per category is "
    "easiest). If the list is rendered by a consent tool's script, publish it in the page too. If "
    "the site sets no cookies, say so ('This site sets no cookies')."
)
FORMAT = "markdown"

FAILING = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

## How we use cookies

We use analytics cookies to understand how visitors use the site, and advertising cookies to
show you relevant ads, only with your consent. Some cookies are strictly necessary for the site
to work.
"""

PASSING = """\
# Cookie Policy

Last updated: 3 March 2025

Acme Ltd ("we") runs acme.example. Questions: privacy@acme.example.

## How we use cookies

We set one cookie, `acme_session`, which keeps you signed in and expires when you close your
browser. It is strictly necessary for the site to work, so we set it without asking.
"""

# Below this the document is not read as a cookie policy (PL003's business).
_MIN_POLICY_SCORE = 0.5
# "We do not use cookies": an empty inventory is then the truth.
_NONE_SET = re.compile(
    r"\b(?:we|this (?:site|website|app)) (?:do not|don't|does not|doesn't|never) (?:use|set|place) "
    r"(?:any )?(?:cookies|trackers)(?! (?:to|for|that|which|in order))\b"
    r"|\b(?:sets?|uses?) no cookies\b|\bno cookies are (?:used|set)\b"
    r"|\bn'(?:utilis|depos|install)\w* (?:aucun|pas de) (?:cookies?|traceurs?)\b"
    r"|\baucun (?:cookie|traceur) n'est\b"
)

# Literals that every _NONE_SET match contains, in folded text (no IGNORECASE caveat): a
# negation and a cookie word, looked for in the whole document before the regex runs on the few
# blocks with both. Keep them in step with the pattern.
_NONE_SET_NEGATIONS = ("not", "never", "no cookies", "n'")  # don't, n'utilise, n'est: "n'"
_NONE_SET_COOKIES = ("cookie", "tracker", "traceur")


# A cookie-shaped name (`_ga`, session_id, « acme_sess ») in the text: the policy may well list
# its cookies in a form the extractor could not read (a table broken by a PDF export, prose).
# Then staying silent is better than blaming the author for our reading.
_COOKIE_NAME = re.compile(
    r"(?<![\w.@/-])_{0,2}[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+(?![\w@/])|`[^`\s]{2,60}`"
)


def check(ctx: Context) -> Iterable[Finding]:
    doc, policy = ctx.document, ctx.policy
    if not_parsed(doc) or not doc.blocks or policy.cookies or policy.policy_score < _MIN_POLICY_SCORE:
        return
    prose = TextIndex([fold(b.text) for b in doc.blocks if b.kind != "table"])
    both = prose.with_any(_NONE_SET_NEGATIONS) & prose.with_any(_NONE_SET_COOKIES)
    if any(_NONE_SET.search(prose[i]) for i in both):
        return
    # Every cookie-shaped name has an underscore or a backtick.
    texts = TextIndex([b.text for b in doc.blocks])
    if any(_COOKIE_NAME.search(texts[i]) for i in texts.with_any(("_", "`"))):
        return
    named = [t.name for t in policy.third_parties]
    vendors = f" It names {_listed(named)}, but not the cookies or identifiers they set." if named else ""
    line = title_line(doc)
    yield ctx.finding(
        line,
        "The policy names no cookie, storage key or pixel, so readers cannot tell what is stored "
        f"on their device or for how long.{vendors} List each one with its provider, purpose and "
        "lifetime.",
        excerpt=ctx.line_text(line).strip(),
    )


def _listed(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C", "A, B, C and 4 more"."""
    if len(names) > 3:
        return and_more(names[:3], len(names))
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]
