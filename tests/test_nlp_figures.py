"""Figures in invented sentences: value, unit, counted noun, qualifier and kind, exactly."""

from __future__ import annotations

from datetime import date

import pytest

from newskit.figures import find_figures
from newskit.nlp import load_pipeline

PUBLISHED = date(2025, 8, 16)  # a Saturday


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def only_figure(nlp, sentence: str, kind: str | None = None):
    figures = [f for f in find_figures(nlp(sentence), PUBLISHED) if kind is None or f.kind == kind]
    assert len(figures) == 1, [vars(f) for f in figures]
    return figures[0]


# sentence, text, value, unit, counted, counted_text, qualifier, qualifier_text, kind
CASES = [
    ("The council said nearly 19,500 children had been moved.", "nearly 19,500 children", 19500, None, "child", "children", "approx", "nearly", "count"),
    ("The talks lasted nearly three hours.", "nearly three hours", 3, "hour", None, None, "approx", "nearly", "duration"),
    ("She served six years on the board.", "six years", 6, "year", None, None, None, None, "duration"),
    ("Farmers are tired of the over three-year war.", "over three-year war", 3, "year", "war", "war", "over", "over", "duration"),
    ("The bridge will cost $1.3 billion to build.", "$1.3 billion", 1.3e9, "USD", None, None, None, None, "money"),
    ("The club paid £2.4m for the striker.", "£2.4m", 2.4e6, "GBP", None, None, None, None, "money"),
    ("Brussels approved €95 million for the port.", "€95 million", 95e6, "EUR", None, None, None, None, "money"),
    ("The painting sold for 850,000 kronor at auction.", "850,000 kronor", 850000, "SEK", None, None, None, None, "money"),
    ("The airline lost $1.1bn in the quarter.", "$1.1bn", 1.1e9, "USD", None, None, None, None, "money"),
    ("Unemployment fell 12 percent in the region.", "12 percent", 12, "percent", None, None, None, None, "percent"),
    ("Inflation reached 5.9% in the spring.", "5.9%", 5.9, "percent", None, None, None, None, "percent"),
    ("Turnout fell to 48 per cent.", "48 per cent", 48, "percent", None, None, None, None, "percent"),
    ("The tower is 60 metres tall.", "60 metres", 60, "metre", None, None, None, None, "quantity"),
    ("They walked 15 km to the border.", "15 km", 15, "km", None, None, None, None, "quantity"),
    ("Seventeen miners were rescued.", "Seventeen miners", 17, None, "miner", "miners", None, None, "count"),
    ("A dozen volunteers cleaned the beach.", "A dozen volunteers", 12, None, "volunteer", "volunteers", None, None, "count"),
    ("Half a million people watched the final.", "Half a million people", 500000, None, "people", "people", None, None, "count"),
    ("Two White House officials confirmed the meeting.", "Two White House officials", 2, None, "official", "White House officials", None, None, "count"),
    ("About 1.2 million voters stayed home.", "About 1.2 million voters", 1.2e6, None, "voter", "voters", "approx", "About", "count"),
    ("More than 300 flights were cancelled.", "More than 300 flights", 300, None, "flight", "flights", "over", "More than", "count"),
    ("Fewer than 40 students passed.", "Fewer than 40 students", 40, None, "student", "students", "under", "Fewer than", "count"),
    ("At least 12 people died in the storm.", "At least 12 people", 12, None, "people", "people", "at_least", "At least", "count"),
    ("Up to 5,000 homes lost power.", "Up to 5,000 homes", 5000, None, "home", "homes", "up_to", "Up to", "count"),
    ("No more than 20 guests may attend.", "No more than 20 guests", 20, None, "guest", "guests", "at_most", "No more than", "count"),
    ("A 34-year-old woman was arrested.", "34-year-old woman", 34, "year", "woman", "woman", None, None, "age"),
    ("Police arrested a man aged 19.", "aged 19", 19, "year", None, None, None, None, "age"),
    ("Prices rose by five percentage points.", "five percentage points", 5, "percentage_point", None, None, None, None, "percent"),
    ("It was worth roughly 4.6 million euros.", "roughly 4.6 million euros", 4.6e6, "EUR", None, None, "approx", "roughly", "money"),
    ("The drought entered its third year.", "third year", 3, None, "year", "year", None, None, "ordinal"),
    ("Two-thirds of the members voted for the plan.", "Two-thirds of the members", 2 / 3, "fraction", "member", "members", None, None, "quantity"),
]


@pytest.mark.parametrize(
    "sentence,text,value,unit,counted,counted_text,qualifier,qualifier_text,kind",
    CASES,
    ids=[case[1] for case in CASES],
)
def test_figure_fields(nlp, sentence, text, value, unit, counted, counted_text, qualifier, qualifier_text, kind):
    figure = only_figure(nlp, sentence)
    assert figure.text == text
    assert sentence[figure.start : figure.end] == text
    assert figure.value == pytest.approx(value)
    assert (figure.unit, figure.counted, figure.counted_text) == (unit, counted, counted_text)
    assert (figure.qualifier, figure.qualifier_text, figure.kind) == (qualifier, qualifier_text, kind)


def test_two_figures_in_one_sentence(nlp):
    figures = find_figures(nlp("The firm hired 250 engineers and 30 lawyers."), PUBLISHED)
    assert [(f.value, f.counted) for f in figures] == [(250, "engineer"), (30, "lawyer")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Apollo 11 landed on the moon.",
        "The meeting starts at 3pm.",
        "One of them said no.",
        "Dozens of people gathered outside.",
    ],
)
def test_not_figures(nlp, sentence):
    figures = [f for f in find_figures(nlp(sentence), PUBLISHED) if f.kind != "date"]
    assert figures == []


def test_dates_are_resolved_in_context(nlp):
    figures = find_figures(nlp("The company said last month that it would close in March 2026."), PUBLISHED)
    dates = [(f.text, f.date_value, f.date_grain) for f in figures if f.kind == "date"]
    assert dates == [("last month", date(2025, 7, 1), "month"), ("March 2026", date(2026, 3, 1), "month")]
