"""Every regex of the diff runs in linear time on adversarial input (documents are untrusted)."""

from __future__ import annotations

import re
import time

import pytest

from policylint.diffing import names, passages, semantic
from policylint.diffing.render import html, markdown

REGEXES = {
    "names.variable": names._VARIABLE,
    "names.word": names._WORD,
    "names.parts": names._PARTS,
    "names.escape": names._ESCAPE,
    "names.spaces": names._SPACES,
    **{f"passages.{k}": v for k, v in passages._CLASSES.items()},
    "passages.commitment": passages._COMMITMENT,
    "passages.negation": passages._NEGATION,
    "passages.sentence": passages._SENTENCE,
    "semantic.entity": semantic._ENTITY,
    "semantic.contact_heading": semantic._CONTACT_HEADING,
    "semantic.policy_title": semantic._POLICY_TITLE,
    "semantic.other_doc": semantic._OTHER_DOC,
    "semantic.cookie_word": semantic._COOKIE_WORD,
    "markdown.special": markdown._MD_SPECIAL,
    "markdown.mention": markdown._MENTION,
    "markdown.backticks": markdown._BACKTICKS,
    "html.token": html._TOKEN,
}


def adversarial(n: int) -> dict[str, str]:
    return {
        "a": "a" * n,
        "A": "A" * n,
        "caps words": "A " * (n // 2),
        "share": "share " + "a " * (n // 2),
        "share repeated": "share a " * (n // 8),
        "we will": "we will " * (n // 8),
        "n'": "n'aaa " * (n // 6),
        "ne": "ne aaaa " * (n // 8),
        "entity": ("Abc " * 5 + ", ") * (n // 25) + "Ltd",
        "caps commas": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA," * (n // 31),
        "xxx": "_" + "x" * n,
        "<": "<" * n,
        "{": "{" * n,
        "[": "[" * n,
        ".": "." * n,
        "whitespace": " \n\t" * (n // 3),
        "@": "@" * n,
        "combine": "combine " * (n // 8),
        "disclose": "disclose " * (n // 9),
        "backticks": "`" * n,
    }


def _time(rx: re.Pattern[str], s: str) -> float:
    t = time.perf_counter()
    for _ in rx.finditer(s):
        pass
    rx.split(s)
    return time.perf_counter() - t


@pytest.mark.parametrize("name", sorted(REGEXES))
def test_linear_time(name):
    rx = REGEXES[name]
    small, big = adversarial(5_000), adversarial(40_000)
    for key in small:
        t_small = _time(rx, small[key])
        t_big = _time(rx, big[key])
        # 8x the input may cost at most ~8x (with slack for timer noise), never 64x.
        assert t_big < 0.5 or t_big < 20 * max(t_small, 1e-3), (name, key, t_small, t_big)
        assert t_big < 2.0, (name, key, t_big)
