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


def only_figure(nlp, sentence: str, kind: str):
    figures = [f for f in find_figures(nlp(sentence), PUBLISHED) if f.kind == kind]
    assert len(figures) == 1, [vars(f) for f in figures]
    return figures[0]


def figure_with_text(nlp, sentence: str, text: str):
    figures = find_figures(nlp(sentence), PUBLISHED)
    found = [f for f in figures if f.text == text]
    assert len(found) == 1, [vars(f) for f in figures]
    return found[0]


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
    ("Reserves fell by 88 billion Hong Kong dollars.", "88 billion Hong Kong dollars", 88e9, "HKD", None, None, None, None, "money"),
    ("A ticket costs 40,000₩ now.", "40,000₩", 40000, "KRW", None, None, None, None, "money"),
    ("The hearing lasted an hour and a half.", "an hour and a half", 1.5, "hour", None, None, None, None, "duration"),
    ("The wait was half an hour.", "half an hour", 0.5, "hour", None, None, None, None, "duration"),
    ("Coffee now costs 50p more.", "50p", 0.5, "GBP", None, None, None, None, "money"),
    ("Temperatures reached 35C inland.", "35C", 35, "degree_c", None, None, None, None, "quantity"),
    ("The storm brought winds of up to 110 km/h.", "up to 110 km/h", 110, "km_h", None, None, "up_to", "up to", "quantity"),
    ("A third of residents said no.", "A third", 100 / 3, "percent", None, None, None, None, "percent"),
    ("One in five pupils was absent.", "One in five pupils", 20, "percent", "pupil", "pupils", None, None, "percent"),
    ("Turnout fell to 48 per cent.", "48 per cent", 48, "percent", None, None, None, None, "percent"),
    ("The tower is 60 metres tall.", "60 metres", 60, "metre", None, None, None, None, "quantity"),
    ("They walked 15 km to the border.", "15 km", 15, "km", None, None, None, None, "quantity"),
    ("Seventeen miners were rescued.", "Seventeen miners", 17, None, "miner", "miners", None, None, "count"),
    ("A dozen volunteers cleaned the beach.", "A dozen volunteers", 12, None, "volunteer", "volunteers", None, None, "count"),
    ("Half a million people watched the final.", "Half a million people", 500000, None, "person", "people", None, None, "count"),
    ("Several hundred people queued outside.", "Several hundred people", 300, None, "person", "people", "approx", "Several", "count"),
    ("More than a dozen parties signed.", "More than a dozen parties", 12, None, "party", "parties", "over", "More than", "count"),
    ("The bank's seven-member board voted.", "seven-member", 7, None, "member", "member", None, None, "count"),
    ("Two White House officials confirmed the meeting.", "Two White House officials", 2, None, "official", "White House officials", None, None, "count"),
    ("About 1.2 million voters stayed home.", "About 1.2 million voters", 1.2e6, None, "voter", "voters", "approx", "About", "count"),
    ("More than 300 flights were cancelled.", "More than 300 flights", 300, None, "flight", "flights", "over", "More than", "count"),
    ("Fewer than 40 students passed.", "Fewer than 40 students", 40, None, "student", "students", "under", "Fewer than", "count"),
    ("At least 12 people died in the storm.", "At least 12 people", 12, None, "person", "people", "at_least", "At least", "count"),
    ("Up to 5,000 homes lost power.", "Up to 5,000 homes", 5000, None, "home", "homes", "up_to", "Up to", "count"),
    ("No more than 20 guests may attend.", "No more than 20 guests", 20, None, "guest", "guests", "at_most", "No more than", "count"),
    ("A 34-year-old woman was arrested.", "34-year-old", 34, "year", None, None, None, None, "age"),
    ("The buses are on average 14 years old.", "14 years old", 14, "year", None, None, None, None, "age"),
    ("The mayor, 52, said the plan would work.", "52", 52, "year", None, None, None, None, "age"),
    ("Police arrested a man aged 19.", "aged 19", 19, "year", None, None, None, None, "age"),
    ("Prices rose by five percentage points.", "five percentage points", 5, "percentage_point", None, None, None, None, "percent"),
    ("It was worth roughly 4.6 million euros.", "roughly 4.6 million euros", 4.6e6, "EUR", None, None, "approx", "roughly", "money"),
    ("The drought entered its third year.", "third year", 3, None, "year", "year", None, None, "ordinal"),
    ("It was the third time talks had failed.", "the third time", 3, None, "time", "time", None, None, "ordinal"),
    ("Two-thirds of the members voted for the plan.", "Two-thirds", 200 / 3, "percent", None, None, None, None, "percent"),
    ("Nearly half of the shops had closed.", "Nearly half", 50, "percent", None, None, "approx", "Nearly", "percent"),
    ("About a quarter use the bus.", "About a quarter", 25, "percent", None, None, "approx", "About", "percent"),
    ("The river rose nearly half a metre overnight.", "nearly half a metre", 0.5, "metre", None, None, "approx", "nearly", "quantity"),
    ("The bill rose to nearly £1.1m.", "nearly £1.1m", 1.1e6, "GBP", None, None, "approx", "nearly", "money"),
    ("She waited five hours and 40 minutes for a bed.", "five hours and 40 minutes", 5 + 40 / 60, "hour", None, None, None, None, "duration"),
    ("He opened the cafe after a decade in Lisbon.", "a decade", 10, "year", None, None, None, None, "duration"),
    ("The road will stay shut for at least a month.", "at least a month", 1, "month", None, None, "at_least", "at least", "duration"),
    ("The firm must find a buyer within three weeks.", "within three weeks", 3, "week", None, None, "at_most", "within", "duration"),
    ("Bills rose by 9 percent over two years.", "two years", 2, "year", None, None, None, None, "duration"),
    ("The meeting lasted over three hours.", "over three hours", 3, "hour", None, None, "over", "over", "duration"),
    ("Work starts on a two-year project.", "a two-year project", 2, "year", "project", "project", None, None, "duration"),
]


@pytest.mark.parametrize(
    "sentence,text,value,unit,counted,counted_text,qualifier,qualifier_text,kind",
    CASES,
    ids=[case[1] for case in CASES],
)
def test_figure_fields(nlp, sentence, text, value, unit, counted, counted_text, qualifier, qualifier_text, kind):
    figure = figure_with_text(nlp, sentence, text)
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
        "Tens of thousands of fans attended.",
        "It was the second-largest fine ever.",
    ],
)
def test_not_figures(nlp, sentence):
    figures = [f for f in find_figures(nlp(sentence), PUBLISHED) if f.kind != "date"]
    assert figures == []


def test_weekday_takes_its_preposition_and_part_of_day(nlp):
    figure = only_figure(nlp, "The committee met on Thursday evening to discuss it.", "date")
    assert (figure.text, figure.date_value, figure.date_grain) == ("on Thursday evening", date(2025, 8, 14), "day")


def test_future_tense_weekday(nlp):
    figure = only_figure(nlp, "The minister will visit the site on Monday.", "date")
    assert (figure.text, figure.date_value) == ("on Monday", date(2025, 8, 18))


def test_planned_and_due_are_future_but_a_plan_is_not(nlp):
    assert only_figure(nlp, "Talks are planned for Monday.", "date").date_value == date(2025, 8, 18)
    assert only_figure(nlp, "The decision is due on Tuesday.", "date").date_value == date(2025, 8, 19)
    approved = only_figure(nlp, "The council approved a £2m plan on Friday.", "date")
    assert approved.date_value == date(2025, 8, 15)


def test_deadline_for_an_infinitive_is_ahead(nlp):
    figure = only_figure(nlp, "She urged both sides to meet before Friday.", "date")
    assert figure.date_value == date(2025, 8, 22)


def test_dates_are_resolved_in_context(nlp):
    figures = find_figures(nlp("The company said last month that it would close in March 2026."), PUBLISHED)
    dates = [(f.text, f.date_value, f.date_grain) for f in figures if f.kind == "date"]
    assert dates == [("last month", date(2025, 7, 1), "month"), ("March 2026", date(2026, 3, 1), "month")]


def test_ago_is_a_date_not_a_duration(nlp):
    figures = find_figures(nlp("The vote took place two weeks ago."), PUBLISHED)
    assert [(f.text, f.kind, f.date_value) for f in figures] == [("two weeks ago", "date", date(2025, 8, 2))]


def test_future_clause_puts_a_month_ahead(nlp):
    finish = only_figure(nlp, "Work will finish by the end of May.", "date")
    assert (finish.date_value, finish.date_grain) == (date(2026, 5, 1), "month")
    opened = only_figure(nlp, "The bridge opened in May.", "date")
    assert opened.date_value == date(2025, 5, 1)


# Money, units and counts of real pages (sentences written for these tests).
MORE_CASES = [
    ("The bank raised HK$4.2 billion from the sale.", "HK$4.2 billion", 4.2e9, "HKD", None, None, None, None, "money"),
    ("The council approved NZ$80 million for roads.", "NZ$80 million", 8e7, "NZD", None, None, None, None, "money"),
    ("The fund holds S$2.5bn in bonds.", "S$2.5bn", 2.5e9, "SGD", None, None, None, None, "money"),
    ("Exports fell to C$1.2 trillion.", "C$1.2 trillion", 1.2e12, "CAD", None, None, None, None, "money"),
    ("Tickets cost 40 US dollars at the door.", "40 US dollars", 40, "USD", None, None, None, None, "money"),
    ("The taxi cost 900 Indian rupees.", "900 Indian rupees", 900, "INR", None, None, None, None, "money"),
    ("The budget is 25 lakh rupees.", "25 lakh rupees", 2.5e6, "INR", None, None, None, None, "money"),
    ("The meal cost 12 dollars 40 cents.", "12 dollars 40 cents", 12.4, "USD", None, None, None, None, "money"),
    ("The wine was 15 euros 50 a bottle.", "15 euros 50", 15.5, "EUR", None, None, None, None, "money"),
    ("Profits reached 30 MUSD last year.", "30 MUSD", 3e7, "USD", None, None, None, None, "money"),
    ("The charge was 300 USD million in all.", "300 USD million", 3e8, "USD", None, None, None, None, "money"),
    ("Fuel rose 64.2 cents a gallon.", "64.2 cents", 0.642, "USD", None, None, None, None, "money"),
    ("The race took 3 min longer.", "3 min", 3, "minute", None, None, None, None, "duration"),
    ("The flight lasted 2 hr 15 min.", "2 hr 15 min", 2.25, "hour", None, None, None, None, "duration"),
    ("The repair took one week three days.", "one week three days", 10 / 7, "week", None, None, None, None, "duration"),
    ("They waited half hour for a bus.", "half hour", 0.5, "hour", None, None, None, None, "duration"),
    ("She signed a one and a half year deal.", "one and a half year", 1.5, "year", None, None, None, None, "duration"),
    ("Winds reached 90 kilometres an hour.", "90 kilometres an hour", 90, "km_h", None, None, None, None, "quantity"),
    ("The reserve covers 12 square miles.", "12 square miles", 12, "mile2", None, None, None, None, "quantity"),
    ("The field pumped 0.9 trillion cubic feet of gas.", "0.9 trillion cubic feet", 9e11, "ft3", None, None, None, None, "quantity"),
    ("Each dose holds 150 micrograms.", "150 micrograms", 150, "microgram", None, None, None, None, "quantity"),
    ("The mill makes 3 metric tons a day.", "3 metric tons", 3, "tonne", None, None, None, None, "quantity"),
    ("The new lens reaches 300mm at full zoom.", "300mm", 300, "mm", None, None, None, None, "quantity"),
    ("The wall is 5 feet 2 inches high.", "5 feet 2 inches", 5 + 2 / 12, "foot", None, None, None, None, "quantity"),
    ("A rope of 10 1/2 miles was laid.", "10 1/2 miles", 10.5, "mile", None, None, None, None, "quantity"),
    ("It was 40 deg celsius in the shade.", "40 deg celsius", 40, "degree_c", None, None, None, None, "quantity"),
    ("The boxes weigh 20 (kg) each.", "20 (kg)", 20, "kg", None, None, None, None, "quantity"),
    ("About 2000 people marched.", "About 2000 people", 2000, None, "person", "people", "approx", "About", "count"),
    ("The first two victims were named.", "two victims", 2, None, "victim", "victims", None, None, "count"),
    ("Two and a half million visitors came.", "Two and a half million visitors", 2.5e6, None, "visitor", "visitors", None, None, "count"),
    ("The baby, aged six months, was unhurt.", "aged six months", 6, "month", None, None, None, None, "age"),
    ("A six-month-old boy was rescued.", "six-month-old", 6, "month", None, None, None, None, "age"),
    ("Prices rose over the past three years.", "three years", 3, "year", None, None, None, None, "duration"),
]


@pytest.mark.parametrize(
    "sentence,text,value,unit,counted,counted_text,qualifier,qualifier_text,kind", MORE_CASES, ids=[case[1] for case in MORE_CASES]
)
def test_more_figure_fields(nlp, sentence, text, value, unit, counted, counted_text, qualifier, qualifier_text, kind):
    test_figure_fields(nlp, sentence, text, value, unit, counted, counted_text, qualifier, qualifier_text, kind)


def test_a_number_phrase_the_grammar_cannot_read_keeps_its_text_without_a_value(nlp):
    figure = figure_with_text(nlp, "The fund lost four thousand and nine million in a day.", "four thousand and nine million")
    assert figure.value is None


@pytest.mark.parametrize(
    "sentence, text, value, grain",
    [
        ("The board will meet again in three weeks.", "in three weeks", date(2025, 9, 6), "day"),
        ("The council met last night.", "last night", date(2025, 8, 15), "day"),
        ("Police were called on Tuesday night.", "on Tuesday night", date(2025, 8, 12), "day"),
        ("The concert is tomorrow night at the mill.", "tomorrow night", date(2025, 8, 17), "day"),
        ("The ferry resumes next week.", "next week", date(2025, 8, 18), "week"),
        ("Repairs began five days before Christmas.", "five days before Christmas", date(2024, 12, 20), "day"),
        ("The parade was held on Easter Monday.", "on Easter Monday", date(2025, 4, 21), "day"),
        ("Shares are down 12% year to date.", "year to date", date(2025, 1, 1), "year"),
        ("The shop will close by the end of this year.", "end of this year", date(2025, 1, 1), "year"),
        ("The ferry was sold two months ago.", "two months ago", date(2025, 6, 16), "day"),
        ("They met on the previous Monday.", "previous Monday", date(2025, 8, 11), "day"),
        ("Work starts on Monday two weeks from now.", "Monday two weeks from now", date(2025, 8, 25), "day"),
        ("She returned six weeks later.", "six weeks later", date(2025, 9, 27), "day"),
        ("The school opened on 14 March nineteen eighty six.", "14 March nineteen eighty six", date(1986, 3, 14), "day"),
        ("The party is on Sat at 5 in the hall.", "Sat at 5", date(2025, 8, 16), "day"),
    ],
)
def test_dates_of_real_pages(nlp, sentence, text, value, grain):
    figure = figure_with_text(nlp, sentence, text)
    assert (figure.kind, figure.date_value, figure.date_grain) == ("date", value, grain)


@pytest.mark.parametrize(
    "sentence, text",
    [
        ("It was the highest rate in three years.", "three years"),  # not about the future: a span
        ("The line will close for five weeks from April 6.", "five weeks"),  # a length of time starting then
        ("Repairs will end three months later than planned.", "three months"),  # a comparison
    ],
)
def test_lengths_of_time_that_are_not_dates(nlp, sentence, text):
    assert figure_with_text(nlp, sentence, text).kind == "duration"
