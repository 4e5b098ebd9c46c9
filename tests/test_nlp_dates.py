"""Date mentions resolved against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from newskit.dates import ResolvedDate, resolve_date

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


WEDNESDAY = date(2025, 3, 12)


@pytest.mark.parametrize(
    "text, value, grain",
    [
        ("in two weeks", date(2025, 3, 26), "day"),
        ("two months ago", date(2025, 1, 12), "day"),
        ("2 weeks and 2 days ago", date(2025, 2, 24), "day"),
        ("six weeks later", date(2025, 4, 23), "day"),
        ("ten days from now", date(2025, 3, 22), "day"),
        ("two months from today on Tuesday", date(2025, 5, 13), "day"),
        ("five days before Christmas", date(2024, 12, 20), "day"),
        ("two months after next Friday", date(2025, 5, 14), "day"),
        ("Monday two weeks from now", date(2025, 3, 24), "day"),
        ("last night", date(2025, 3, 11), "day"),
        ("tonight", date(2025, 3, 12), "day"),
        ("tomorrow night", date(2025, 3, 13), "day"),
        ("Tuesday night", date(2025, 3, 11), "day"),
        ("previous Monday", date(2025, 3, 10), "day"),
        ("this week", date(2025, 3, 10), "week"),
        ("next week", date(2025, 3, 17), "week"),
        ("last week", date(2025, 3, 3), "week"),
        ("later this week", date(2025, 3, 10), "week"),
        ("next workweek", date(2025, 3, 17), "week"),
        ("by the end of this year", date(2025, 1, 1), "year"),
        ("the end of the month", date(2025, 3, 1), "month"),
        ("year to date", date(2025, 1, 1), "year"),
        ("8am this morning", date(2025, 3, 12), "day"),
        ("five-thirty tomorrow evening", date(2025, 3, 13), "day"),
        ("Christmas at 8:00 early morning", date(2024, 12, 25), "day"),
        ("13:00 February 28, 2013", date(2013, 2, 28), "day"),
        ("Tue 13th", date(2025, 5, 13), "day"),
        ("monday the twenty seventh at six pm", date(2025, 1, 27), "day"),
        ("the second of Aug", date(2024, 8, 2), "day"),
        ("January first 2000", date(2000, 1, 1), "day"),
        ("13 Sept nineteen seventy two", date(1972, 9, 13), "day"),
        ("6 April seventeen hundred thirty three", date(1733, 4, 6), "day"),
        ("August two thousand and fifteen", date(2015, 8, 1), "month"),
        ("the 9th month of next year", date(2026, 9, 1), "month"),
        ("the 15th day of next month", date(2025, 4, 15), "day"),
        ("2017 april", date(2017, 4, 1), "month"),
        ("before the year 2019", date(2019, 1, 1), "year"),
        ("independence day of this year", date(2025, 7, 4), "day"),
        ("earth day 2010", date(2010, 4, 22), "day"),
    ],
)
def test_resolve_the_forms_of_real_pages(text, value, grain):
    resolved = resolve_date(text, WEDNESDAY)
    assert (resolved.value, resolved.grain) == (value, grain)


@pytest.mark.parametrize(
    "name, year, value",
    [
        ("Christmas", 2025, date(2025, 12, 25)), ("Boxing Day", 2025, date(2025, 12, 26)),
        ("New Year's Eve", 2025, date(2025, 12, 31)), ("Juneteenth", 2025, date(2025, 6, 19)),
        ("Easter", 2025, date(2025, 4, 20)), ("Good Friday", 2025, date(2025, 4, 18)),
        ("Easter Monday", 2026, date(2026, 4, 6)), ("Ash Wednesday", 2025, date(2025, 3, 5)),
        ("Pentecost", 2025, date(2025, 6, 8)), ("Thanksgiving", 2025, date(2025, 11, 27)),
        ("Black Friday", 2025, date(2025, 11, 28)), ("Memorial Day", 2025, date(2025, 5, 26)),
        ("Labor Day", 2025, date(2025, 9, 1)), ("Mother's Day", 2025, date(2025, 5, 11)),
    ],
)  # fmt: skip
def test_holidays_fixed_and_movable(name, year, value):
    assert resolve_date(f"{name} {year}", None) == ResolvedDate(value, "day")


def test_a_holiday_without_its_year_is_the_latest_unless_the_clause_is_about_the_future():
    assert resolve_date("Christmas", WEDNESDAY).value == date(2024, 12, 25)
    assert resolve_date("Easter", WEDNESDAY).value == date(2025, 4, 20)  # a month ahead: this year's
    assert resolve_date("Christmas", WEDNESDAY, prefer_future=True).value == date(2025, 12, 25)
    assert resolve_date("next Thanksgiving", WEDNESDAY).value == date(2025, 11, 27)


@pytest.mark.parametrize("text", ["every year", "the year", "Thanksgiving every year", "3pm", "at noon"])
def test_sets_bare_periods_and_clock_times_do_not_resolve(text):
    assert resolve_date(text, WEDNESDAY) is None
