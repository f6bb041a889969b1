"""Lifetimes as policies write them."""

from __future__ import annotations

import pytest

from policylint.extraction.durations import parse_duration


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("13 months", 395.46),
        ("24 heures", 1.0),
        ("Session", 0.0),
        # parts of one lifetime add up
        ("1 year and 1 month", 395.42),
        ("1 year, 1 month", 395.42),
        ("1 an et 6 mois", 547.52),
        ("2 years 3 months", 821.26),
        ("1 day 12 hours", 1.5),
        # alternatives: the longest
        ("13 mois ou 25 mois", 760.5),
        ("30 minutes to 2 years", 730.0),
        ("1 month 1 year", 365.0),
        # "and" is not "an d" (one day)
        ("2 years and 3 months", 821.26),
    ],
)
def test_parse_duration(text: str, days: float) -> None:
    assert parse_duration(text) == days
