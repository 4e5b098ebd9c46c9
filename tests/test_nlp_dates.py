"""Date mentions resolved against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from newskit.dates import resolve_date

SATURDAY = date(2025, 8, 16)


@pytest.mark.parametrize(
    "text,value,grain",
    [
        ("Friday", date(2025, 8, 15), "day"),
        ("on Saturday", date(2025, 8, 16), "day"),
        ("Sunday", date(2025, 8, 10), "day"),
        ("last Saturday", date(2025, 8, 9), "day"),
        ("next Monday", date(2025, 8, 18), "day"),
        ("Friday's", date(2025, 8, 15), "day"),
        ("yesterday", date(2025, 8, 15), "day"),
        ("today", date(2025, 8, 16), "day"),
        ("last month", date(2025, 7, 1), "month"),
        ("earlier this month", date(2025, 8, 1), "month"),
        ("next year", date(2026, 1, 1), "year"),
        ("in March", date(2025, 3, 1), "month"),
        ("October", date(2025, 10, 1), "month"),
        ("December", date(2024, 12, 1), "month"),
        ("March 2023", date(2023, 3, 1), "month"),
        ("June 3", date(2025, 6, 3), "day"),
        ("3 June 2021", date(2021, 6, 3), "day"),
        ("January 5th, 2024", date(2024, 1, 5), "day"),
        ("2019", date(2019, 1, 1), "year"),
        ("two weeks ago", date(2025, 8, 2), "day"),
        ("three months ago", date(2025, 5, 16), "day"),  # "N ago" is a day
        ("a year ago", date(2024, 8, 16), "day"),
    ],
)
def test_resolve(text, value, grain):
    resolved = resolve_date(text, SATURDAY)
    assert (resolved.value, resolved.grain) == (value, grain)


def test_future_tense_picks_the_coming_weekday():
    assert resolve_date("Friday", date(2025, 8, 13), prefer_future=True).value == date(2025, 8, 15)
    assert resolve_date("Friday", date(2025, 8, 13)).value == date(2025, 8, 8)


def test_month_without_year_early_in_the_year():
    assert resolve_date("in December", date(2026, 1, 3)).value == date(2025, 12, 1)
    assert resolve_date("in February", date(2026, 1, 3)).value == date(2026, 2, 1)


@pytest.mark.parametrize("text", ["recent months", "the 1990s", "the coming weeks", "a long time"])
def test_vague_mentions_do_not_resolve(text):
    assert resolve_date(text, SATURDAY) is None


def test_relative_mentions_need_a_publication_date():
    assert resolve_date("Friday", None) is None
    assert resolve_date("March 2023", None).value == date(2023, 3, 1)


def test_future_clause_takes_the_coming_month():
    assert resolve_date("in May", date(2025, 8, 13), prefer_future=True).value == date(2026, 5, 1)
    assert resolve_date("in August", date(2025, 8, 13), prefer_future=True).value == date(2025, 8, 1)
    assert resolve_date("May 3", date(2025, 8, 13), prefer_future=True).value == date(2026, 5, 3)
