"""Figures quoted in a parsed text: value, unit, counted noun, qualifier and kind.

Works on one spaCy `Doc` (a paragraph). Number phrases are found token by token (digits,
spelled numbers, "a dozen", "half a million", "£2.4m"); the qualifier and currency are read to
their left, the unit to their right, the counted noun from the dependency parse (numeral -> head
noun). spaCy's entity labels only veto numbers inside names ("Boeing 737") and clock times, and
send DATE mentions to `newskit.dates`. Offsets are relative to the Doc.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy
from spacy.attrs import LIKE_NUM, LOWER, PREFIX
from spacy.strings import hash_string
from spacy.tokens import Doc, Span, Token

from newskit.dates import WEEKDAYS, resolve_date
from newskit.numbers import (
    FRACTION_WORDS,
    MULTIPLIERS,
    SCALE_ABBREVIATIONS,
    digits_value,
    parse_number,
    parse_ordinal,
)

COUNT, DURATION, MONEY, PERCENT, QUANTITY, DATE, AGE, ORDINAL = (
    "count", "duration", "money", "percent", "quantity", "date", "age", "ordinal",
)  # fmt: skip

# Longest first: the first match ending right before the number wins.
QUALIFIERS: list[tuple[tuple[str, ...], str]] = sorted(
    [
        (("nearly",), "approx"), (("almost",), "approx"), (("about",), "approx"),
        (("around",), "approx"), (("roughly",), "approx"), (("approximately",), "approx"),
        (("some",), "approx"), (("an", "estimated"), "approx"), (("estimated",), "approx"),
        (("close", "to"), "approx"), (("circa",), "approx"), (("just", "about"), "approx"),
        (("more", "than"), "over"), (("over",), "over"), (("past",), "over"),
        (("above",), "over"), (("in", "excess", "of"), "over"), (("upwards", "of"), "over"),
        (("just", "over"), "over"), (("well", "over"), "over"), (("greater", "than"), "over"),
        (("less", "than"), "under"), (("fewer", "than"), "under"), (("under",), "under"),
        (("below",), "under"), (("just", "under"), "under"),
        (("at", "least"), "at_least"), (("no", "fewer", "than"), "at_least"),
        (("no", "less", "than"), "at_least"), (("a", "minimum", "of"), "at_least"),
        (("at", "most"), "at_most"), (("no", "more", "than"), "at_most"),
        (("not", "more", "than"), "at_most"), (("a", "maximum", "of"), "at_most"),
        (("up", "to"), "up_to"), (("as", "many", "as"), "up_to"), (("as", "much", "as"), "up_to"),
    ],  # fmt: skip
    key=lambda item: -len(item[0]),
)

CURRENCY_SYMBOLS = {
    "$": "USD", "us$": "USD", "a$": "AUD", "au$": "AUD", "c$": "CAD", "ca$": "CAD",
    "nz$": "NZD", "hk$": "HKD", "s$": "SGD", "r$": "BRL", "£": "GBP", "€": "EUR",
    "¥": "JPY", "₹": "INR", "₽": "RUB", "₩": "KRW", "₺": "TRY", "₪": "ILS",
}  # fmt: skip
ISO_CODES = frozenset(
    "USD EUR GBP SEK NOK DKK CHF JPY CNY INR RUB AUD CAD NZD HKD SGD BRL ZAR MXN TRY PLN UAH".split()
)
CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP",
    "pounds": "GBP", "sterling": "GBP", "krona": "SEK", "kronor": "SEK", "krone": "DKK",
    "kroner": "DKK", "yen": "JPY", "yuan": "CNY", "renminbi": "CNY", "rupee": "INR",
    "rupees": "INR", "rouble": "RUB", "roubles": "RUB", "ruble": "RUB", "rubles": "RUB",
    "franc": "CHF", "francs": "CHF", "hryvnia": "UAH", "hryvnias": "UAH", "zloty": "PLN",
    "shekel": "ILS", "shekels": "ILS", "rand": "ZAR", "pesos": "MXN", "lira": "TRY",
}  # fmt: skip
# A nationality before a currency word that names a different currency than the default.
CURRENCY_NATIONALITY = {
    ("australian", "USD"): "AUD", ("canadian", "USD"): "CAD", ("singapore", "USD"): "SGD",
    ("hong", "USD"): "HKD", ("zealand", "USD"): "NZD", ("norwegian", "DKK"): "NOK",
    ("swiss", "CHF"): "CHF", ("argentine", "MXN"): "ARS", ("philippine", "MXN"): "PHP",
}  # fmt: skip
SUBUNITS = {"cent": ("USD", 0.01), "cents": ("USD", 0.01), "pence": ("GBP", 0.01), "p": ("GBP", 0.01)}

PERCENT_WORDS = frozenset({"%", "percent", "pct"})
DURATION_UNITS = {
    "second": "second", "seconds": "second", "minute": "minute", "minutes": "minute",
    "mins": "minute", "hour": "hour", "hours": "hour", "hrs": "hour", "day": "day",
    "days": "day", "week": "week", "weeks": "week", "month": "month", "months": "month",
    "year": "year", "years": "year", "yrs": "year", "decade": "decade", "decades": "decade",
    "century": "century", "centuries": "century",
}  # fmt: skip
MEASURE_UNITS = {
    "metre": "metre", "metres": "metre", "meter": "metre", "meters": "metre",
    "km": "km", "kilometre": "km", "kilometres": "km", "kilometer": "km", "kilometers": "km",
    "cm": "cm", "centimetre": "cm", "centimetres": "cm", "centimeter": "cm", "centimeters": "cm",
    "mm": "mm", "millimetre": "mm", "millimetres": "mm", "millimeter": "mm", "millimeters": "mm",
    "mile": "mile", "miles": "mile", "foot": "foot", "feet": "foot", "ft": "foot",
    "inch": "inch", "inches": "inch", "yard": "yard", "yards": "yard",
    "kg": "kg", "kilogram": "kg", "kilograms": "kg", "kilo": "kg", "kilos": "kg",
    "gram": "gram", "grams": "gram", "g": "gram", "tonne": "tonne", "tonnes": "tonne",
    "ton": "ton", "tons": "ton", "lb": "lb", "lbs": "lb", "ounce": "ounce", "ounces": "ounce",
    "oz": "ounce", "litre": "litre", "litres": "litre", "liter": "litre", "liters": "litre",
    "gallon": "gallon", "gallons": "gallon", "barrel": "barrel", "barrels": "barrel",
    "acre": "acre", "acres": "acre", "hectare": "hectare", "hectares": "hectare",
    "degree": "degree", "degrees": "degree", "mph": "mph", "kph": "km_h", "km/h": "km_h",
    "knot": "knot", "knots": "knot", "mw": "MW", "megawatt": "MW", "megawatts": "MW",
    "gw": "GW", "gigawatt": "GW", "gigawatts": "GW", "kwh": "kWh", "twh": "TWh",
}  # fmt: skip
DEGREE_SCALES = {"celsius": "degree_c", "centigrade": "degree_c", "fahrenheit": "degree_f", "c": "degree_c", "f": "degree_f"}
# Units stored as a multiple of another: "a decade" is 10 years.
UNIT_MULTIPLES = {"decade": ("year", 10.0), "century": ("year", 100.0)}
# For "five hours and 40 minutes": the second part converted into the first part's unit.
UNIT_SECONDS = {
    "second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800,
    "month": 2629800, "year": 31557600,
}  # fmt: skip
PARTS_OF_DAY = frozenset({"morning", "afternoon", "evening", "night"})
# Words after which "a month", "a decade" is a duration of one ("at least a month", "after a decade").
ONE_UNIT_AFTER = frozenset(
    {"for", "within", "after", "than", "least", "most", "about", "nearly", "almost", "around",
     "roughly", "some", "over", "under", "to", "lasted", "last", "took", "spent", "waited"}
)  # fmt: skip
# These qualifiers are also prepositions: "rose 140 percent over two years" is a span, not "more than".
_QUALIFIER_ENDS = frozenset(words[-1] for words, _ in QUALIFIERS)
PREPOSITION_QUALIFIERS = frozenset({"over", "under", "past", "above", "below"})
FUTURE_AUXILIARIES = frozenset({"will", "'ll", "shall", "would", "must", "should"})
FUTURE_VERBS = frozenset({"plan", "schedule", "due", "expect", "set"})
# Units written onto the number: "50p", "35C".
UNIT_SUFFIXES = {"p": ("GBP", 0.01, MONEY), "C": ("degree_c", 1.0, QUANTITY), "F": ("degree_f", 1.0, QUANTITY)}
_UNIT_SUFFIXED = re.compile(r"^(\d+(?:\.\d+)?)(p|C|F)$")
LEMMA_FIXES = {"people": "person"}

# Entity labels whose numbers are part of a name, not a figure ("Boeing 737", "G7").
NAME_LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)
REFERENCE_WORDS = frozenset({"no", "no.", "#", "number", "page", "article", "section", "chapter", "flight", "route", "room", "vol", "vol."})
AGE_PREFIXES = frozenset({"aged", "age", "ages"})
_HYPHENS = frozenset({"-", "–", "‐"})
_SCALE_START_WORDS = frozenset(MULTIPLIERS) | frozenset(FRACTION_WORDS) - {"third", "thirds"}
_COUNTED_DEPS = frozenset({"nummod", "quantmod", "compound", "amod", "npadvmod", "nmod", "dep"})
_NOUNS = frozenset({"NOUN", "PROPN"})
_NOT_COUNTED = frozenset({"lady"})  # "the first lady" is a title, not an ordinal figure
_NUMBER_START_HASHES = numpy.array([hash_string(w) for w in ("a", "an", "half", "several")], dtype=numpy.uint64)
_WEEKDAY_HASHES = numpy.array([hash_string(w) for w in WEEKDAYS], dtype=numpy.uint64)
_DIGIT_HASHES = numpy.array([hash_string(str(d)) for d in range(10)], dtype=numpy.uint64)


@dataclass
class Figure:
    start: int  # char offsets relative to the Doc
    end: int
    text: str
    kind: str
    value: float | None = None
    unit: str | None = None
    counted: str | None = None
    counted_text: str | None = None
    qualifier: str | None = None
    qualifier_text: str | None = None
    date_value: date | None = None
    date_grain: str | None = None


@dataclass
class _Unit:
    end: int  # token index after the unit
    name: str | None = None
    kind: str | None = None
    adjectival: bool = False  # "three-year war", "60-metre wall"


def _candidates(doc: Doc, lower_hashes: numpy.ndarray, digits: bool = True) -> list[int]:
    """Indices of the tokens worth a closer look, found on the Doc's arrays (fast): numbers
    (like_num, a leading digit) or one of the given lower-case words."""
    array = doc.to_array([LIKE_NUM, LOWER, PREFIX])
    hits = numpy.isin(array[:, 1], lower_hashes)
    if digits:
        hits |= array[:, 0].astype(bool) | numpy.isin(array[:, 2], _DIGIT_HASHES)
    return numpy.flatnonzero(hits).tolist()


def _next(token: Token, k: int = 1) -> Token | None:
    i = token.i + k
    return token.doc[i] if 0 <= i < len(token.doc) else None


def _is_number_start(token: Token) -> bool:
    if token.like_num:
        return True
    lower = token.lower_
    nxt = _next(token)
    if lower in ("a", "an", "half", "several"):
        prev = _next(token, -1)
        if lower == "half" and prev is not None and prev.lower_ in _QUALIFIER_ENDS:
            return True  # "nearly half"
        if nxt is None:
            return False
        if nxt.lower_ in _SCALE_START_WORDS or (lower == "half" and nxt.lower_ in ("a", "an", "of", "the")):
            return lower != "several" or nxt.lower_ in MULTIPLIERS
        after = _next(token, 2)
        if lower in ("a", "an") and nxt.lower_ in FRACTION_WORDS and after is not None and after.lower_ == "of":
            return True  # "a third of residents"
        return lower in ("a", "an") and nxt.lower_ in DURATION_UNITS and prev is not None and prev.lower_ in ONE_UNIT_AFTER
    return lower[:1].isdigit() and (digits_value(lower) is not None or _UNIT_SUFFIXED.match(token.text) is not None)


def _extends_number(doc: Doc, i: int) -> bool:
    """Whether token i continues the number phrase that ends at token i - 1."""
    token, prev = doc[i], doc[i - 1]
    lower = token.lower_
    if token.like_num and not token.is_punct:
        return not (prev.lower_[:1].isdigit() and lower[:1].isdigit())  # "5 6"
    if lower in MULTIPLIERS or lower in FRACTION_WORDS:
        return True
    if lower.rstrip(".") in SCALE_ABBREVIATIONS and prev.lower_[:1].isdigit() and not prev.whitespace_:
        return True  # "£2.4m" is tokenised "£", "2.4", "m" ("m." at the end of a sentence)
    nxt = _next(token)
    if nxt is None:
        return False
    if lower in _HYPHENS and not prev.whitespace_ and nxt.like_num and not nxt.lower_[:1].isdigit():
        return not prev.lower_[:1].isdigit()  # "twenty-five", "two-thirds"; not "3-1"
    if lower in _HYPHENS and not prev.whitespace_ and nxt.lower_ in FRACTION_WORDS:
        return True
    if lower == "and" and nxt.lower_ in ("a", "one") and (_next(token, 2) is not None and _next(token, 2).lower_ == "half"):
        return True
    if lower == "and" and nxt.like_num and not nxt.lower_[:1].isdigit() and not prev.lower_[:1].isdigit():
        return prev.lower_ in ("hundred", "thousand", "million", "billion")
    if lower in ("a", "an", "of") and (prev.lower_ in FRACTION_WORDS or prev.lower_ in ("and", "of")):
        return nxt.lower_ in MULTIPLIERS or nxt.lower_ in FRACTION_WORDS or nxt.lower_ in ("a", "an")
    return False


def _qualifier(doc: Doc, start: int) -> tuple[int, str | None, str | None]:
    """(new start, normalised qualifier, raw text) for the words right before token `start`."""
    for words, name in QUALIFIERS:
        n = len(words)
        if start - n < 0:
            continue
        if all(doc[start - n + k].lower_ == w for k, w in enumerate(words)):
            first = doc[start - n]
            if n == 1 and first.lower_ in PREPOSITION_QUALIFIERS and first.dep_ == "prep":
                return start, None, None  # "over two years" as a period, not "more than"
            return start - n, name, doc[start - n : start].text
    if start > 0 and doc[start - 1].lower_ == "within":
        return start - 1, "at_most", doc[start - 1].text
    return start, None, None


def _currency_before(doc: Doc, start: int) -> tuple[int, str | None]:
    if start == 0:
        return start, None
    prev = doc[start - 1]
    code = CURRENCY_SYMBOLS.get(prev.lower_)
    if code is None and prev.text in ISO_CODES:
        code = prev.text
    if code is None:
        return start, None
    if code == "USD" and start >= 2 and doc[start - 2].text in ("US", "U.S.") and not doc[start - 2].whitespace_:
        return start - 2, code
    return start - 1, code


def _unit_after(doc: Doc, end: int) -> _Unit:
    """The unit in the tokens right after a number phrase ending at token `end`."""
    n = len(doc)
    j = end
    adjectival = False
    if j < n and doc[j].lower_ in _HYPHENS and not doc[j - 1].whitespace_:
        j, adjectival = j + 1, True
    elif j + 1 < n and doc[j].lower_ in ("a", "an") and doc[j - 1].lower_ in FRACTION_WORDS:
        j += 1  # "half a metre"
    if j >= n:
        return _Unit(end)
    token, after = doc[j], doc[j + 1] if j + 1 < n else None
    lower = token.lower_
    if lower in PERCENT_WORDS:
        return _Unit(j + 1, "percent", PERCENT, adjectival)
    if lower == "per" and after is not None and after.lower_ == "cent":
        return _Unit(j + 2, "percent", PERCENT, adjectival)
    if lower == "percentage" and after is not None and after.lower_ in ("point", "points"):
        return _Unit(j + 2, "percentage_point", PERCENT, adjectival)
    if lower in DURATION_UNITS:
        return _Unit(j + 1, DURATION_UNITS[lower], DURATION, adjectival)
    if token.text in ISO_CODES:
        return _Unit(j + 1, token.text, MONEY, adjectival)
    if lower in CURRENCY_WORDS and not (lower.startswith("pound") and token.ent_type_ == "QUANTITY"):
        return _Unit(j + 1, CURRENCY_WORDS[lower], MONEY, adjectival)
    if lower in CURRENCY_SYMBOLS and not adjectival:  # "40,000₩", "100 €"
        return _Unit(j + 1, CURRENCY_SYMBOLS[lower], MONEY)
    for k in (1, 2):  # "5 billion Norwegian kroner", "88 billion Hong Kong dollars"
        word = doc[j + k].lower_ if j + k < n else ""
        if word in CURRENCY_WORDS:
            code = CURRENCY_NATIONALITY.get((lower, CURRENCY_WORDS[word]))
            if code:
                return _Unit(j + k + 1, code, MONEY, adjectival)
    if lower == "km" and [t.lower_.rstrip(".") for t in doc[j + 1 : j + 3]] == ["/", "h"]:
        return _Unit(j + 3, "km_h", QUANTITY, adjectival)
    if lower in MEASURE_UNITS:
        unit = MEASURE_UNITS[lower]
        if unit == "degree" and after is not None and after.lower_ in DEGREE_SCALES:
            return _Unit(j + 2, DEGREE_SCALES[after.lower_], QUANTITY, adjectival)
        return _Unit(j + 1, unit, QUANTITY, adjectival)
    if lower in ("pound", "pounds"):
        return _Unit(j + 1, "lb", QUANTITY, adjectival)
    if lower == "square" and after is not None and after.lower_ in MEASURE_UNITS:
        return _Unit(j + 2, MEASURE_UNITS[after.lower_] + "2", QUANTITY, adjectival)
    if lower in SUBUNITS:
        return _Unit(j + 1, lower, MONEY, adjectival)
    return _Unit(end)


def _more_duration(doc: Doc, unit: _Unit, value: float) -> tuple[float, int]:
    """'five hours and 40 minutes': the value in the first unit and the end of the whole phrase."""
    j = unit.end
    if [t.lower_ for t in doc[j : j + 3]] == ["and", "a", "half"]:
        return value + 0.5, j + 3  # "an hour and a half"
    if j + 2 < len(doc) and doc[j].lower_ == "and" and _is_number_start(doc[j + 1]):
        k = j + 2
        while k < len(doc) and _extends_number(doc, k):
            k += 1
        second = _unit_after(doc, k)
        extra = parse_number(doc[j + 1 : k].text)
        if second.kind == DURATION and not second.adjectival and extra is not None:
            ratio = UNIT_SECONDS.get(second.name, 0) / UNIT_SECONDS.get(unit.name, 1)
            if 0 < ratio < 1:
                return value + extra * ratio, second.end
    return value, unit.end


def _counted_noun(doc: Doc, anchor: Token, after: int) -> Token | None:
    """The noun a numeral (or adjectival unit, "three-year war") quantifies, from the parse."""
    head = anchor.head
    if (
        head.i >= after
        and head.pos_ in _NOUNS
        and anchor.dep_ in _COUNTED_DEPS
        and head.i - after <= 4
        and not any(t.is_punct and t.lower_ not in _HYPHENS for t in doc[after : head.i])
    ):
        return head
    # The parse often attaches the numeral elsewhere; accept the noun right after it when the
    # words in between only modify that noun ("two White House officials").
    k = after
    while k < len(doc) and k - after <= 4:
        token = doc[k]
        if token.pos_ in _NOUNS and not (token.dep_ in ("compound", "amod", "nmod") and token.head.i > k):
            return token if token.ent_type_ not in ("DATE", "TIME") else None
        if token.pos_ not in ("ADJ", "NOUN", "PROPN") and not (token.pos_ == "VERB" and token.dep_ == "amod"):
            return None
        k += 1
    return None


def _of_noun(doc: Doc, after: int) -> tuple[Token | None, int]:
    """'two of the officials': the pobj after 'of'."""
    if after < len(doc) and doc[after].lower_ == "of":
        for child in doc[after].children:
            if child.dep_ == "pobj" and child.pos_ in _NOUNS and child.i - after <= 4:
                if any(_is_number_start(t) for t in doc[after + 1 : child.i]):
                    break  # "one of a dozen projects": the dozen is its own figure
                return child, child.i + 1
    return None, after


def _age_end(doc: Doc, start: int, end: int, value: float) -> int | None:
    """End of an age phrase ('aged 45', '45-year-old', '45 years old', 'Smith, 45,'), else None."""
    n = len(doc)
    words = [t.lower_ for t in doc[end : min(end + 4, n)]]
    if words[:4] in (["-", "year", "-", "old"], ["-", "years", "-", "old"]):
        return end + 4
    if words[:2] in (["years", "old"], ["year", "old"]):
        return end + 2
    if start > 0 and doc[start - 1].lower_ in AGE_PREFIXES:
        return end
    if (
        value == int(value)
        and 0 < value < 120
        and start >= 2
        and doc[start - 1].text == ","
        and (doc[start - 2].ent_type_ == "PERSON" or doc[start - 2].pos_ in _NOUNS)
        and not doc[start - 2].like_num
        and (end >= n or doc[end].text in (",", ")", "."))
    ):
        return end
    return None


def _prefers_future(token: Token) -> bool:
    """Whether the clause of a date mention is about the future ("will meet on Friday",
    "talks are planned for Monday", "the decision is due on May 7")."""
    verb = token
    for _ in range(3):
        if verb.pos_ in ("VERB", "AUX") or verb.dep_ == "ROOT":
            break
        verb = verb.head
    if verb.lemma_ in FUTURE_VERBS:
        return True
    deadline = token.head.dep_ == "prep" and token.head.lower_ in ("before", "by", "until")
    return any(
        (child.dep_ in ("aux", "auxpass") and child.lower_ in FUTURE_AUXILIARIES)
        or (deadline and child.dep_ == "aux" and child.lower_ == "to")  # "urged them to meet before Friday"
        or (child.dep_ == "acomp" and child.lemma_ in FUTURE_VERBS)  # "is due on May 7"
        for child in verb.children
    )


def _date_figures(doc: Doc, used: list[bool], published: date | None) -> list[Figure]:
    figures = []
    spans: list[Span] = [ent for ent in doc.ents if ent.label_ == "DATE"]
    # sm often misses bare weekdays ("told reporters Friday")
    for i in _candidates(doc, _WEEKDAY_HASHES, digits=False):
        token = doc[i]
        if not token.ent_type_ and token.text[:1].isupper():
            spans.append(doc[i : i + 1])
    for span in spans:
        if any(used[t.i] for t in span):
            continue
        while len(span) > 1 and span[-1].lower_ in ("'s", "’s"):
            span = span[:-1]
        while len(span) > 1 and span[0].lower_ == "the":
            span = span[1:]
        if span[-1].lower_ in WEEKDAYS:  # "on Thursday evening": the day with its preposition
            start, end = span.start, span.end
            if end < len(doc) and doc[end].lower_ in PARTS_OF_DAY:
                end += 1
            if start > 0 and doc[start - 1].lower_ == "on" and len(span) == 1:
                start -= 1
            span = doc[start:end]
        resolved = resolve_date(span.text, published, _prefers_future(span.root))
        if resolved is None:
            continue
        for t in span:
            used[t.i] = True
        figures.append(
            Figure(
                span.start_char, span.end_char, span.text, DATE,
                date_value=resolved.value, date_grain=resolved.grain,
            )  # fmt: skip
        )
    return figures


def _clock_time(token: Token) -> bool:
    if token.ent_type_ != "TIME":
        return False
    start, end = token.i, token.i + 1
    while start > 0 and token.doc[start - 1].ent_iob_ == "I" and token.doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(token.doc) and token.doc[end].ent_iob_ == "I":
        end += 1
    text = token.doc[start:end].text.lower()
    return any(mark in text for mark in (":", "am", "pm", "a.m.", "p.m.", "gmt", "o'clock", "bst", "edt", "est"))


def find_figures(doc: Doc, published: date | None = None) -> list[Figure]:
    """All figures in a parsed paragraph, in text order."""
    n = len(doc)
    used = [False] * n
    figures: list[Figure] = []
    next_free = 0
    for i in _candidates(doc, _NUMBER_START_HASHES):
        if i < next_free or used[i] or not _is_number_start(doc[i]):
            continue
        end = i + 1
        while end < n and _extends_number(doc, end):
            end += 1
        # trailing connectors are not part of the number
        while end - 1 > i and doc[end - 1].lower_ in ("and", "a", "an", "of", "-"):
            end -= 1
        figure = _figure_at(doc, i, end, published)
        if figure is not None and figure.kind == DURATION and _before_ago(doc, figure):
            figure = None  # "two weeks ago" is a date, found with the dates
        if figure is not None:
            figures.append(figure)
            span = doc.char_span(figure.start, figure.end, alignment_mode="expand")
            for k in range(span.start, span.end) if span is not None else range(i, end):
                used[k] = True
        next_free = end
    figures.extend(_date_figures(doc, used, published))
    figures.sort(key=lambda f: f.start)
    return figures


def _before_ago(doc: Doc, figure: Figure) -> bool:
    span = doc.char_span(figure.start, figure.end, alignment_mode="expand")
    return span is not None and span.end < len(doc) and doc[span.end].lower_ == "ago"


def _figure_at(doc: Doc, start: int, end: int, published: date | None) -> Figure | None:
    first, last = doc[start], doc[end - 1]
    label = first.ent_type_
    if label in NAME_LABELS or _clock_time(first):
        return None
    phrase = doc[start:end].text
    ordinal = parse_ordinal(phrase) if end - start == 1 else None
    if ordinal is not None and (first.ent_type_ == "ORDINAL" or first.lower_ in FRACTION_WORDS):
        if first.is_title and not first.is_sent_start:
            return None  # part of a name or title: "First Lady", "Second World War"
        if end < len(doc) and doc[end].lower_ in _HYPHENS:
            return None  # "second-largest"
        noun = _counted_noun(doc, first, end)
        if noun is not None and noun.lower_ in _NOT_COUNTED:
            return None
        span_start = start - 1 if start > 0 and doc[start - 1].lower_ == "the" else start
        return _build(doc, span_start, end, noun, float(ordinal), ORDINAL)
    suffixed = _UNIT_SUFFIXED.match(first.text) if end - start == 1 else None
    if suffixed:  # "50p", "35C"
        unit_name, factor, kind = UNIT_SUFFIXES[suffixed.group(2)]
        return _build(doc, start, end, None, float(suffixed.group(1)) * factor, kind, unit_name)
    value = parse_number(phrase)
    if value is None:
        return None
    if first.lower_ in ("one", "1") and [t.lower_ for t in doc[end : end + 1]] == ["in"] and end + 1 < len(doc):
        denominator = parse_number(doc[end + 1].text)
        if denominator:  # "one in five pupils": 20 percent of pupils
            noun = _counted_noun(doc, doc[end + 1], end + 2)
            return _build(doc, start, end + 2, noun, 100 / denominator, PERCENT, "percent", counted_from=end + 2)
    if start > 0 and doc[start - 1].lower_ in REFERENCE_WORDS:
        return None
    if end < len(doc) and doc[end].text in (":", "/") and end + 1 < len(doc) and doc[end + 1].like_num:
        return None  # scores, clock times, ratios

    currency_start, currency = _currency_before(doc, start)
    qual_start, qualifier, qualifier_text = _qualifier(doc, currency_start)
    if qualifier is None and first.lower_ == "several":
        qualifier, qualifier_text = "approx", first.text  # "several hundred" taken as 300

    unit = _unit_after(doc, end)
    kind, unit_name, phrase_end = unit.kind, unit.name, unit.end
    if currency is not None:
        kind, unit_name = MONEY, currency
    elif kind == MONEY and unit_name in SUBUNITS:
        code, factor = SUBUNITS[unit_name]
        unit_name, value = code, value * factor
    if unit_name in UNIT_MULTIPLES:
        unit_name, factor = UNIT_MULTIPLES[unit_name]
        value *= factor
    if kind == DURATION and not unit.adjectival:
        value, phrase_end = _more_duration(doc, unit, value)

    age_end = _age_end(doc, start, end, value)
    if age_end is not None:
        if start > 0 and doc[start - 1].lower_ in AGE_PREFIXES:
            qual_start = start - 1  # "aged 19"
        return _build(doc, qual_start, age_end, None, value, AGE, "year", qualifier, qualifier_text)

    fraction = kind is None and value < 1 and any(t.lower_ in FRACTION_WORDS for t in doc[start:end])
    if label == "DATE" and kind != DURATION and not fraction:
        return None  # dates are resolved as a whole mention
    if kind is None and label == "TIME":
        return None
    if kind is None and value == int(value) and 1800 <= value <= 2100 and first.text.isdigit() and len(first.text) == 4:
        return None  # a year the NER missed
    if first.lower_ in ("a", "an") and end - start == 1 and kind != DURATION:
        return None

    noun = None
    if kind is None or unit.adjectival:
        anchor = doc[unit.end - 1] if unit.end > end else last
        noun = _counted_noun(doc, anchor, unit.end)
        if unit.adjectival and noun is not None and qual_start == start and start > 0 and doc[start - 1].lower_ in ("a", "an"):
            qual_start = start - 1  # "a two-year project"
    if noun is None and kind is None:
        noun, phrase_end = _of_noun(doc, phrase_end)
    if kind is None and noun is None:
        if first.lower_ == "one" and end - start == 1:
            return None  # "one of them", "no one": a pronoun, not a figure
        if start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title:
            return None  # part of a name: "Apollo 11", "Air Force One"
    if fraction:
        kind, unit_name, value = PERCENT, "percent", value * 100  # "nearly half", "two-thirds"
        noun, phrase_end = None, unit.end
    return _build(doc, qual_start, phrase_end, noun, value, kind or COUNT, unit_name, qualifier, qualifier_text, unit.end)


def _build(
    doc: Doc,
    span_start: int,
    span_end: int,
    noun: Token | None,
    value: float,
    kind: str,
    unit: str | None = None,
    qualifier: str | None = None,
    qualifier_text: str | None = None,
    counted_from: int | None = None,
) -> Figure:
    end = max(span_end, noun.i + 1) if noun is not None else span_end
    span = doc[span_start:end]
    counted = counted_text = None
    if noun is not None:
        lemma = noun.lemma_.lower() if noun.pos_ == "NOUN" else noun.text
        counted = LEMMA_FIXES.get(lemma, lemma)
        words = doc[min(counted_from if counted_from is not None else span_end, noun.i) : noun.i + 1]
        while len(words) > 1 and words[0].pos_ in ("DET", "ADP", "PUNCT"):
            words = words[1:]
        counted_text = words.text
    start_char, end_char = span.start_char, span.end_char
    if span[-1].text.endswith(".") and len(span[-1].text) > 1 and end_char == span[-1].idx + len(span[-1].text):
        end_char -= 1  # "£1.1m." at the end of a sentence is tokenised "m."
    return Figure(
        start_char, end_char, span.text[: end_char - start_char], kind, value, unit, counted, counted_text,
        qualifier, qualifier_text,
    )  # fmt: skip
