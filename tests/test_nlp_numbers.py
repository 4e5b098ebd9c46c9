"""Number phrases as news writes them."""

from __future__ import annotations

import pytest

from newskit.numbers import parse_number, parse_ordinal


@pytest.mark.parametrize(
    "text,value",
    [
        ("19,500", 19500),
        ("1.3", 1.3),
        ("1.2 million", 1.2e6),
        ("2.4m", 2.4e6),
        ("1.1bn", 1.1e9),
        ("seventeen", 17),
        ("twenty-five", 25),
        ("three hundred and twelve", 312),
        ("Two hundred thousand", 200000),
        ("a dozen", 12),
        ("half a dozen", 6),
        ("two dozen", 24),
        ("half a million", 500000),
        ("a quarter of a million", 250000),
        ("one and a half million", 1.5e6),
        ("two-thirds", 2 / 3),
        ("three quarters", 0.75),
        ("a hundred", 100),
        ("3/4", 0.75),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["dozens", "thousands", "five six", "the", "", "million dozen x"])
def test_not_a_definite_number(text):
    assert parse_number(text) is None


@pytest.mark.parametrize("text,value", [("first", 1), ("third", 3), ("21st", 21), ("twenty-first", 21), ("hundredth", 100)])
def test_parse_ordinal(text, value):
    assert parse_ordinal(text) == value


def test_parse_ordinal_rejects_cardinals():
    assert parse_ordinal("three") is None
