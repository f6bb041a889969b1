"""PL005: a check crashed or the document's time budget ran out (reported by the engine)."""

from __future__ import annotations

from collections.abc import Iterable

from policylint.checks_api import Context
from policylint.model import Finding

CODE = "PL005"
NAME = "check-failed"
SEVERITY = "error"
SUMMARY = "A check failed or ran out of time on this document, so its findings are missing."
WHY = (
    "policylint never stops on one bad document: when a check raises an error, or the checks together "
    "exceed the per-document time budget (5 s by default), the engine records this finding and goes on. "
    "The document may have problems that the skipped check would have found, so it is not known to be "
    "clean: the finding is an error, and the run fails rather than passing on incomplete results."
)
BASIS = "editorial (tool problem)"
FIX = (
    "Report the message with the document to the check's maintainers. For a very large document, "
    "raise `time-budget` in [tool.policylint]. Ignore PL005 only if you accept incomplete results."
)
FORMAT = "markdown"
# The engine emits PL005 itself; no example document makes a healthy check fail.
EXPECT = 0

FAILING = """\
# Cookie policy

(Any document on which a check raises an exception or exceeds the time budget.)
"""

PASSING = """\
# Cookie policy

We set one cookie, `session`, to keep you signed in; it expires when you close your browser.
"""


def check(ctx: Context) -> Iterable[Finding]:
    return ()
