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
from spacy.attrs import IS_ALPHA, IS_PUNCT, LIKE_NUM, LOWER, PREFIX
from spacy.strings import hash_string
from spacy.tokens import Doc, Span, Token

from newskit.dates import HOLIDAYS, MONTHS, WEEKDAY_ABBREVIATIONS, WEEKDAYS, resolve_date
from newskit.numbers import (
    FRACTION_WORDS,
    MULTIPLIERS,
    SCALE_ABBREVIATIONS,
    SPACED_SCALE_ABBREVIATIONS,
    VAGUE_WORDS,
    digits_value,
    parse_number,
    parse_ordinal,
)
from newskit.units import (
    CURRENCY_PREFIXES,
    DAY_SECONDS,
    GLUED_ONLY,
    MAX_SPELLING_WORDS,
    SCALED_CODE,
    SCALED_CODE_FACTORS,
    SPACED_DOLLAR_PREFIXES,
    SUBUNITS,
    UNIT_MULTIPLES,
    UNIT_PARTS,
    WORD_LIKE_CURRENCIES,
    code_for,
    currency_word,
    duration_ratio,
    is_code,
    unit_spellings,
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

PERCENT_WORDS = frozenset({"%", "percent", "percents", "pct"})
PARTS_OF_DAY = frozenset({"morning", "afternoon", "evening", "night"})
# Words after which "a month", "a decade" is a duration of one ("at least a month", "after a decade").
ONE_UNIT_AFTER = frozenset(
    {"for", "within", "after", "than", "least", "most", "about", "nearly", "almost", "around",
     "roughly", "some", "over", "under", "to", "lasted", "last", "took", "spent", "waited"}
)  # fmt: skip
# These qualifiers are also prepositions: "rose 140 percent over two years" is a span, not "more than".
_QUALIFIER_ENDS = frozenset(words[-1] for words, _ in QUALIFIERS)
PREPOSITION_QUALIFIERS = frozenset({"over", "under", "past", "above", "below"})
# After these, "past" names a period, not a bound: "over the past three years".
_PERIOD_DETERMINERS = frozenset({"the", "these", "those", "this", "its", "their", "his", "her", "our", "my"})
FUTURE_AUXILIARIES = frozenset({"will", "'ll", "shall", "would", "must", "should"})
FUTURE_VERBS = frozenset({"plan", "schedule", "due", "expect", "set"})
# Units written onto the number: "50p", "35C".
UNIT_SUFFIXES = {"p": ("GBP", 0.01, MONEY), "C": ("degree_c", 1.0, QUANTITY), "F": ("degree_f", 1.0, QUANTITY)}
_UNIT_SUFFIXED = re.compile(r"^(\d+(?:\.\d+)?)(p|C|F)$")
# A currency glued to its number: "HK$4.2", "S$2.5bn", "USD50", "€95m".
_GLUED_MONEY = re.compile(
    r"^(?P<currency>(?:[A-Za-z]{1,3}|U\.S\.)?\$|[£€¥₹₽₩₺₪₦₱₫₴₡฿₿]|[A-Z]{3})(?P<number>\d[\d,]*(?:\.\d+)?(?:k|m|mn|bn|b|tn)?)$"
)
# A unit glued to its number: "3day", "300mm", "3.5years", "190km2".
_GLUED_UNIT = re.compile(r"^(?P<number>\d+(?:[.,]\d+)?)(?P<unit>[^\W\d_][\w/²³]*|°[CFcf]?)$")
_AMBIGUOUS_CAPITALS = frozenset({"g", "l", "h", "m", "t"})  # "5G", "4L", "24H" are not units
LEMMA_FIXES = {"people": "person"}
# Words that close a "12 dollars 40" amount: the cents are a number at the end of the phrase.
_AFTER_CENTS = frozenset({"each", "apiece", "more", "a", "per", "extra", "for", "in", "on", "to", "and", "or"})

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
_NUMBER_START_HASHES = numpy.sort(numpy.array([hash_string(w) for w in ("a", "an", "half", "several")], dtype=numpy.uint64))
_DIGIT_HASHES = numpy.sort(numpy.array([hash_string(str(d)) for d in range(10)], dtype=numpy.uint64))


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
    factor: float = 1.0  # a scale after the unit: "75 USD million"


def _candidates(doc: Doc, lower_hashes: numpy.ndarray, digits: bool = True) -> list[int]:
    """Indices of the tokens worth a closer look, found on the Doc's arrays (fast; `lower_hashes` sorted): numbers
    (like_num, a leading digit, a currency glued to digits) or one of the given lower-case words."""
    if not digits:
        return numpy.flatnonzero(_member(doc.to_array(LOWER), lower_hashes)).tolist()
    array = doc.to_array([LIKE_NUM, LOWER, PREFIX, IS_ALPHA, IS_PUNCT])
    hits = _member(array[:, 1], lower_hashes)
    if digits:
        leading = array[:, 0].astype(bool) | _member(array[:, 2], _DIGIT_HASHES)
        hits |= leading
        # "HK$4.2", "USD50": neither alphabetic nor punctuation nor a plain number
        for i in numpy.flatnonzero(~leading & ~array[:, 3].astype(bool) & ~array[:, 4].astype(bool)).tolist():
            hits[i] = _GLUED_MONEY.match(doc[i].text) is not None
    return numpy.flatnonzero(hits).tolist()


def _member(values: numpy.ndarray, sorted_hashes: numpy.ndarray) -> numpy.ndarray:
    """values in sorted_hashes, elementwise (numpy.isin costs more on arrays this small)."""
    at = numpy.searchsorted(sorted_hashes, values)
    return sorted_hashes[numpy.minimum(at, len(sorted_hashes) - 1)] == values


def _next(token: Token, k: int = 1) -> Token | None:
    i = token.i + k
    return token.doc[i] if 0 <= i < len(token.doc) else None


def _glued_unit(text: str) -> tuple[float, str, str] | None:
    """'300mm' -> (300.0, 'mm', 'quantity'): a number with a unit spelling written onto it."""
    match = _GLUED_UNIT.match(text)
    if match is None:
        return None
    suffix = match.group("unit")
    if suffix != suffix.lower() and suffix.lower() in _AMBIGUOUS_CAPITALS:
        return None
    found = unit_spellings().get((suffix.lower(),))
    if found is None:
        return None
    return float(match.group("number").replace(",", "")), found[0], found[1]


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
        if lower == "half" and unit_spellings().get((nxt.lower_,), ("", ""))[1] == DURATION:
            return True  # "half hour"
        after = _next(token, 2)
        if lower in ("a", "an") and nxt.lower_ in FRACTION_WORDS and after is not None and after.lower_ == "of":
            return True  # "a third of residents"
        return lower in ("a", "an") and unit_spellings().get((nxt.lower_,), ("", ""))[1] == DURATION and prev is not None and prev.lower_ in ONE_UNIT_AFTER
    if _GLUED_MONEY.match(token.text):
        return True
    return lower[:1].isdigit() and (
        digits_value(lower) is not None or _UNIT_SUFFIXED.match(token.text) is not None or _glued_unit(token.text) is not None
    )


def _extends_number(doc: Doc, i: int) -> bool:
    """Whether token i continues the number phrase that ends at token i - 1."""
    token, prev = doc[i], doc[i - 1]
    lower = token.lower_
    if token.like_num and not token.is_punct:
        if any(not t.lower_[:1].isdigit() and parse_ordinal(t.lower_) is not None and t.lower_ not in FRACTION_WORDS for t in (token, prev)):
            return False  # "$280 million first preferred notes", "the first two victims"
        if prev.lower_[:1].isdigit() and lower[:1].isdigit():  # "5 6", but "10 1/2"
            return "/" in lower and "/" not in prev.lower_ and prev.whitespace_ != "" and digits_value(lower) is not None and digits_value(lower) < 1
        return True
    if lower in MULTIPLIERS or lower in FRACTION_WORDS:
        return True
    if lower.rstrip(".") in SCALE_ABBREVIATIONS and prev.lower_[:1].isdigit() and (not prev.whitespace_ or lower.rstrip(".") in SPACED_SCALE_ABBREVIATIONS):
        return True  # "£2.4m" is tokenised "£", "2.4", "m" ("m." at the end of a sentence); "10 bln"
    nxt = _next(token)
    if nxt is None:
        return False
    if lower in _HYPHENS and not prev.whitespace_ and nxt.like_num and not nxt.lower_[:1].isdigit():
        return not prev.lower_[:1].isdigit()  # "twenty-five", "two-thirds"; not "3-1"
    if lower in _HYPHENS and not prev.whitespace_ and nxt.lower_ in FRACTION_WORDS:
        return True
    after = _next(token, 2)
    if lower == "and" and (nxt.lower_ in FRACTION_WORDS or (nxt.lower_ in ("a", "an", "one") and after is not None and after.lower_ in FRACTION_WORDS)):
        return True  # "one and a half", "one and half", "3 million and a quarter"
    if lower == "and" and nxt.like_num and not nxt.lower_[:1].isdigit() and after is not None and after.lower_ in FRACTION_WORDS:
        return True  # "two million and three fifths"
    if lower == "and" and nxt.like_num and not nxt.lower_[:1].isdigit() and not prev.lower_[:1].isdigit():
        return prev.lower_ in ("hundred", "thousand", "million", "billion")
    if lower in ("a", "an", "of") and (prev.lower_ in FRACTION_WORDS or prev.lower_ in ("and", "of")):
        return nxt.lower_ in MULTIPLIERS or nxt.lower_ in FRACTION_WORDS or nxt.lower_ in ("a", "an")
    return False


_QUALIFIERS_BY_LAST: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _words, _name in QUALIFIERS:
    _QUALIFIERS_BY_LAST.setdefault(_words[-1], []).append((_words, _name))


def _qualifier(doc: Doc, start: int) -> tuple[int, str | None, str | None]:
    """(new start, normalised qualifier, raw text) for the words right before token `start`."""
    for words, name in _QUALIFIERS_BY_LAST.get(doc[start - 1].lower_, ()) if start > 0 else ():
        n = len(words)
        if start - n < 0:
            continue
        if all(doc[start - n + k].lower_ == w for k, w in enumerate(words)):
            first = doc[start - n]
            if n == 1 and first.lower_ in PREPOSITION_QUALIFIERS and first.dep_ == "prep":
                return start, None, None  # "over two years" as a period, not "more than"
            if first.lower_ == "past" and first.i > 0 and doc[first.i - 1].lower_ in _PERIOD_DETERMINERS:
                return start, None, None  # "over the past three years" is a span
            return start - n, name, doc[start - n : start].text
    if start > 0 and doc[start - 1].lower_ == "within":
        return start - 1, "at_most", doc[start - 1].text
    return start, None, None


def _currency_before(doc: Doc, start: int) -> tuple[int, str | None]:
    """The currency written before the number at token `start`: "$", "HK$", "hk $", "USD", "Rs"."""
    if start == 0:
        return start, None
    prev = doc[start - 1]
    code = CURRENCY_PREFIXES.get(prev.lower_)
    if code is None and is_code(prev.text):
        code = prev.text.upper()
    if code is None:
        return start, None
    if prev.text == "$" and start >= 2:
        before = doc[start - 2]
        if before.text in ("US", "U.S.") and not before.whitespace_:
            return start - 2, code
        if before.lower_ in SPACED_DOLLAR_PREFIXES and (before.is_lower or not before.whitespace_):
            return start - 2, SPACED_DOLLAR_PREFIXES[before.lower_]  # "c $ 16.4 million" in tokenised text
    return start - 1, code


def _spelled_unit(doc: Doc, j: int) -> tuple[int, str, str] | None:
    """(end, unit name, kind) of the longest unit spelling starting at token j ("kilometres an
    hour", "sq km", "km/h"); a spelling that is also a word only when glued to the number."""
    n = len(doc)
    table = unit_spellings()
    for k in range(min(MAX_SPELLING_WORDS, n - j), 0, -1):
        if any(t.is_punct and t.text not in ("/", "²", "³") for t in doc[j + 1 : j + k]):
            continue  # "hours." is "hours" and the full stop
        words: list[str] = []
        for t in doc[j : j + k]:
            if words and not doc[t.i - 1].whitespace_:
                words[-1] += t.lower_  # "km", "/", "h" -> "km/h"
            else:
                words.append(t.lower_)
        found = table.get(tuple(words))
        if found is None and words[-1].endswith(".") and len(words[-1]) > 1:  # "km/h." at the end of a sentence
            found = table.get((*words[:-1], words[-1][:-1]))
        if found is None or (k == 1 and words[0] in GLUED_ONLY):
            continue
        return j + k, found[0], found[1]
    return None


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
    if is_code(token.text):  # "50 USD", "75 USD million"
        scale = MULTIPLIERS.get(after.lower_) if after is not None else None
        return _Unit(j + 2 if scale else j + 1, token.text.upper(), MONEY, adjectival, scale or 1.0)
    if (scaled := SCALED_CODE.match(token.text)) and is_code(scaled.group(2)):  # "30 MUSD"
        return _Unit(j + 1, scaled.group(2), MONEY, adjectival, SCALED_CODE_FACTORS[scaled.group(1)])
    if lower in CURRENCY_PREFIXES and not adjectival and not lower.isalpha():  # "40,000₩", "100 €"
        return _Unit(j + 1, CURRENCY_PREFIXES[lower], MONEY)
    for k in range(0, 4):  # "dollars", "US dollars", "Hong Kong dollars", "Trinidad and Tobago dollars"
        if j + k >= n:
            break
        word = currency_word(doc[j + k].text)
        if word is None:
            if not doc[j + k].is_alpha and doc[j + k].text not in ("U.S.",):
                break
            continue
        if word == "pound" and doc[j + k].ent_type_ == "QUANTITY":
            break  # "pounds" of weight: a measure below
        code, taken = code_for(word, tuple(t.text for t in doc[j : j + k]))
        if taken != k or (code is None and word in WORD_LIKE_CURRENCIES):
            break
        return _Unit(j + k + 1, code, MONEY, adjectival)  # code None: "500 dinars", which dinar is unsaid
    if lower == "(" and after is not None and (inner := _spelled_unit(doc, j + 1)) and inner[0] < n and doc[inner[0]].text == ")":
        return _Unit(inner[0] + 1, inner[1], inner[2], adjectival)  # "20 (kg)"
    if (spelled := _spelled_unit(doc, j)) is not None:
        return _Unit(spelled[0], spelled[1], spelled[2], adjectival)
    if lower in SUBUNITS:
        return _Unit(j + 1, lower, MONEY, adjectival)
    return _Unit(end)


def _number_phrase_at(doc: Doc, j: int) -> tuple[float, int] | None:
    """(value, end) of a plain number phrase starting at token j."""
    if j >= len(doc) or not _is_number_start(doc[j]) or not (doc[j].like_num or doc[j].lower_ in ("a", "an")):
        return None
    k = j + 1
    while k < len(doc) and _extends_number(doc, k):
        k += 1
    value = parse_number(doc[j:k].text)
    return (value, k) if value is not None else None


def _with_parts(doc: Doc, unit: _Unit, value: float) -> tuple[float, int, str | None]:
    """'five hours and 40 minutes', 'one week three days', '5 feet 2 inches': the value in the
    larger unit, the end of the whole phrase and that unit."""
    j = unit.end
    if [t.lower_ for t in doc[j : j + 3]] == ["and", "a", "half"]:
        return value + 0.5, j + 3, unit.name  # "an hour and a half"
    total, name, end = value, unit.name, j
    while True:
        k = end + 1 if end < len(doc) and doc[end].lower_ in ("and", ",") else end
        number = _number_phrase_at(doc, k)
        if number is None:
            break
        part = _unit_after(doc, number[1])
        if part.kind != unit.kind or part.adjectival or part.name == name or part.name is None:
            break
        if unit.kind == DURATION:
            larger = max(name, part.name, key=_duration_size)
            total = total * duration_ratio(name, larger) + number[0] * duration_ratio(part.name, larger)
            name = larger
        elif (name, part.name) in UNIT_PARTS:
            total += number[0] * UNIT_PARTS[(name, part.name)]
        else:
            break
        end = part.end
    return total, end, name


def _duration_size(name: str) -> float:
    return duration_ratio(name, "second") if name in DAY_SECONDS else duration_ratio(name, "month") * 2592000


def _cents(doc: Doc, unit: _Unit, value: float) -> tuple[float, int]:
    """'12 dollars 40 cents', '15 USD 50', 'thirteen dollars forty-five': the cents after a whole
    amount, when nothing but a subunit or the end of the phrase follows them."""
    number = _number_phrase_at(doc, unit.end + 1 if unit.end < len(doc) and doc[unit.end].lower_ == "and" else unit.end)
    if number is None or not 0 < number[0] < 100 or number[0] != int(number[0]):
        return value, unit.end
    end = number[1]
    if end < len(doc) and doc[end].lower_ in SUBUNITS:
        return value + number[0] / 100, end + 1
    if end >= len(doc) or doc[end].is_punct or doc[end].lower_ in _AFTER_CENTS:
        return value + number[0] / 100, end
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


_AGE_UNITS = {"year": "year", "years": "year", "month": "month", "months": "month", "week": "week", "weeks": "week", "day": "day", "days": "day"}


def _age(doc: Doc, start: int, end: int, value: float) -> tuple[int, str] | None:
    """(end, unit) of an age phrase ('aged 45', '45-year-old', 'a six-month-old', '45 years old',
    'aged six months', 'Smith, 45,'), else None."""
    n = len(doc)
    words = [t.lower_ for t in doc[end : min(end + 4, n)]]
    if len(words) == 4 and words[0] in _HYPHENS and words[1] in _AGE_UNITS and words[2] in _HYPHENS and words[3] == "old":
        return end + 4, _AGE_UNITS[words[1]]
    if len(words) >= 2 and words[0] in _AGE_UNITS and words[1] == "old":
        return end + 2, _AGE_UNITS[words[0]]
    if start > 0 and doc[start - 1].lower_ in AGE_PREFIXES:
        if words and words[0] in _AGE_UNITS:
            return end + 1, _AGE_UNITS[words[0]]  # "aged six months"
        return end, "year"
    if (
        value == int(value)
        and 0 < value < 120
        and start >= 2
        and doc[start - 1].text == ","
        and (doc[start - 2].ent_type_ == "PERSON" or doc[start - 2].pos_ in _NOUNS)
        and not doc[start - 2].like_num
        and (end >= n or doc[end].text in (",", ")", "."))
    ):
        return end, "year"
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


_WEEKDAY_NAMES = frozenset(WEEKDAYS)
_WEEKDAY_WORDS = frozenset(WEEKDAYS) | frozenset(WEEKDAY_ABBREVIATIONS)
_HOLIDAY_FIRST_WORDS = {name.split()[0] for name in HOLIDAYS}
_MONTH_WORDS = frozenset(MONTHS)
_DAY_WORDS = frozenset({"today", "tonight", "tomorrow", "yesterday"})
_DATE_SEED_HASHES = numpy.sort(numpy.array(
    [hash_string(w) for w in {*_WEEKDAY_WORDS, *_HOLIDAY_FIRST_WORDS, *MONTHS, *(f"{m}." for m in MONTHS), *_DAY_WORDS, "year"}],
    dtype=numpy.uint64,
))
_AFTER_OFFSET = frozenset({"ago", "later", "earlier", "hence"})
_NOW_WORDS = frozenset({"now", "today", "tomorrow", "yesterday"})
_RELATIVE_WORDS = frozenset({"last", "next", "this", "previous", "coming", "past"})
_PERIOD_PREPOSITIONS = frozenset({"for", "over", "during", "within", "lasting", "spanning", "throughout"})
_MERIDIEM_WORDS = frozenset({"am", "pm", "a.m.", "p.m.", "o'clock"})
_CLOCK_TOKEN = re.compile(r"^\d{1,2}(?::\d{2})?(?:am|pm)$|^\d{1,2}:\d{2}$", re.IGNORECASE)


def _date_seeds(doc: Doc) -> list[Span]:
    """Spans that may be dates: the model's DATE and TIME mentions, bare weekdays it missed
    ("told reporters Friday"), holiday names ("Easter Monday", often tagged a person or a law)
    and a month name with its day or year ("the second of Aug")."""
    spans: list[Span] = [ent for ent in doc.ents if ent.label_ in ("DATE", "TIME")]
    for i in _candidates(doc, _DATE_SEED_HASHES, digits=False):
        token = doc[i]
        if token.ent_type_ in ("DATE", "TIME"):
            continue
        if token.lower_ in WEEKDAYS and token.text[:1].isupper() or token.lower_ in _DAY_WORDS:
            spans.append(doc[i : i + 1])
        elif token.lower_ in WEEKDAY_ABBREVIATIONS and token.text[:1].isupper() and (_ordinal_words(doc, i + 1) or _clock_words(doc, i + 1)):
            spans.append(doc[i : i + 1])  # "Sat at 5", "Tue 13th"; not "the Sun"
        elif token.text[:1].isupper() and (holiday := _holiday_at(doc, i)) is not None:
            spans.append(holiday)
        elif token.lower_.rstrip(".") in _MONTH_WORDS and token.text[:1].isupper() and (dated := _month_with_numbers(doc, i)) is not None:
            spans.append(dated)
        elif token.lower_ == "year" and [t.lower_ for t in doc[i + 1 : i + 3]] == ["to", "date"]:
            spans.append(doc[i : i + 3])
    return sorted(spans, key=lambda s: (s.start, -len(s)))


_HOLIDAY_LENGTHS: dict[str, list[int]] = {}
for _holiday in HOLIDAYS:
    _HOLIDAY_LENGTHS.setdefault(_holiday.split()[0], []).append(len(_holiday))


def _holiday_at(doc: Doc, i: int) -> Span | None:
    """The longest holiday name starting at token i ("Good Friday", "St Patrick's Day")."""
    lengths = _HOLIDAY_LENGTHS.get(doc[i].lower_.replace("’", "'"))
    if not lengths:
        return None
    text = "".join(t.text_with_ws for t in doc[i : i + 5])[: max(lengths) + 1].lower().replace("’", "'")
    for k in range(min(5, len(doc) - i), 0, -1):
        span = doc[i : i + k]
        if span.end_char - doc[i].idx in lengths and text[: span.end_char - doc[i].idx] in HOLIDAYS:
            return span
    return None


def _month_with_numbers(doc: Doc, i: int) -> Span | None:
    """A month name with the numbers around it ("second of Aug", "13 Sept nineteen seventy two"),
    or None when no number stands beside it."""
    start, end = i, i + 1
    if start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].like_num:
        start -= 2
    elif start >= 1 and doc[start - 1].like_num:
        start -= 1
        if start >= 1 and doc[start - 1].like_num and not doc[start - 1].lower_[:1].isdigit():
            start -= 1  # "twenty five January"
    while end < len(doc) and end - i <= 4 and (doc[end].like_num or doc[end].lower_ in ("and", "hundred", "thousand")) and not doc[end].ent_type_:
        end += 1
    while end - 1 > i and doc[end - 1].lower_ == "and":
        end -= 1
    return doc[start:end] if end - start > 1 else None


def _ordinal_words(doc: Doc, j: int) -> int:
    """How many tokens from j make a day of the month after a weekday: "the 4th", "13th",
    "the twenty seventh"."""
    k = j + 1 if j < len(doc) and doc[j].lower_ == "the" else j
    for m in (3, 2, 1):
        if k + m <= len(doc) and parse_ordinal(doc[k : k + m].text.replace(" ", "-")) is not None:
            return k + m - j
    return 0


def _clock_words(doc: Doc, j: int) -> int:
    """How many tokens from j make a clock time after a date ("at 5", "7pm", "at six pm", a TIME)."""
    n = len(doc)
    if j >= n:
        return 0
    if doc[j].ent_iob_ == "B" and doc[j].ent_type_ == "TIME":
        k = j + 1
        while k < n and doc[k].ent_iob_ == "I":
            k += 1
        return k - j
    if _CLOCK_TOKEN.match(doc[j].text):
        return 1
    k = j + 1 if doc[j].lower_ in ("at", "around", "about") else j
    if k < n and doc[k].like_num and (k > j or (k + 1 < n and doc[k + 1].lower_ in _MERIDIEM_WORDS)):
        k += 1
        return k - j + (1 if k < n and doc[k].lower_ in _MERIDIEM_WORDS else 0)
    return 0


def _seed_at(seeds: list[Span], doc: Doc, j: int) -> Span | None:
    """A seed or a holiday (any case: "before new year") starting at token j."""
    return next((s for s in seeds if s.start == j), None) or (_holiday_at(doc, j) if j < len(doc) else None)


def _extended(doc: Doc, span: Span, future: bool, seeds: list[Span]) -> list[Span]:
    """The span with the words that make it a date, longest first: "two weeks" + "ago" / "later"
    / "from now" / "before Christmas"; "in" + "two weeks" in a clause about the future; a weekday
    before an offset ("Monday two weeks from now") or with its day ("Tue the 13th"); "last" or
    "previous" before a weekday; a clock time after it ("Sat at 5"); another date right after
    ("13 Sept" + "nineteen seventy two")."""
    n = len(doc)
    start, end = span.start, span.end
    # "for five weeks from April 6" is a length of time that starts then, not a date
    period = start > 0 and doc[start - 1].lower_ in _PERIOD_PREPOSITIONS
    while end < n and not doc[end].is_sent_start:
        word = doc[end].lower_
        if word in _AFTER_OFFSET and not period and not (end + 1 < n and doc[end + 1].lower_ == "than"):
            end += 1  # "three months later", not "three months later than planned"
        elif word in ("from", "after") and not period and end + 1 < n and doc[end + 1].lower_ in _NOW_WORDS:
            end += 2
        elif word in ("before", "after", "from", "since") and not period and end + 1 < n:
            anchor = _seed_at(seeds, doc, end + 1) or (_seed_at(seeds, doc, end + 2) if doc[end + 1].lower_ == "the" else None)
            if anchor is None:
                break
            end = anchor.end
        elif word == "of" and [t.lower_ for t in doc[end + 1 : end + 3]] in (["this", "year"], ["next", "year"], ["last", "year"]):
            end += 3
        elif word == "to" and doc[end - 1].lower_ == "year" and end + 1 < n and doc[end + 1].lower_ == "date":
            end += 2  # "year to date"
        elif word in PARTS_OF_DAY and doc[end - 1].lower_ in _WEEKDAY_WORDS | {"tomorrow", "yesterday"}:
            end += 1
        elif word == "on" and end + 1 < n and doc[end + 1].lower_ in _WEEKDAY_NAMES:
            end += 2  # "two months from today on Tuesday"
        elif doc[end - 1].lower_ in _WEEKDAY_WORDS and (k := _ordinal_words(doc, end)):
            end += k
        elif doc[end].like_num and not doc[end].lower_[:1].isdigit() and any(t.lower_.rstrip(".") in _MONTH_WORDS for t in doc[start:end]):
            while end < n and (doc[end].like_num or doc[end].lower_ in ("and", "hundred", "thousand")) and not doc[end].lower_[:1].isdigit():
                end += 1  # "6 April" + "seventeen hundred thirty three"
        elif k := _clock_words(doc, end):
            end += k
        elif (following := _seed_at(seeds, doc, end + 1 if word == "," else end)) is not None and following.start >= end:
            end = following.end
        else:
            break
    if start > 0 and doc[start - 1].lower_ in _RELATIVE_WORDS and doc[start].lower_ in _WEEKDAY_NAMES:
        start -= 1
    while start >= 3 and doc[start - 1].lower_ in ("and", ",") and doc[start - 2].lower_.rstrip("s") in ("day", "week", "month", "year") and doc[start - 3].like_num:
        start -= 3  # "2 weeks and" + "2 days ago"
    if start > 1 and doc[start - 1].text == "," and doc[start - 2].lower_ in _WEEKDAY_NAMES:
        start -= 2
    elif start > 0 and doc[start - 1].lower_ in _WEEKDAY_NAMES and doc[start].like_num:
        start -= 1
    found = [doc[start:end]]
    if future and start > 0 and doc[start - 1].lower_ == "in" and (doc[start].like_num or doc[start].lower_ in ("a", "an")):
        found.insert(0, doc[start - 1 : end])
    if (start, end) != (span.start, span.end):
        found.append(span)
    if len(span) > 1 and span[0].like_num and span[1].lower_ in _RELATIVE_WORDS:
        found.append(span[1:])  # "3 next week" tagged as one mention
    return found


def _date_figures(doc: Doc, published: date | None) -> tuple[list[Figure], list[bool]]:
    """Dates of a paragraph, and which tokens they took."""
    figures: list[Figure] = []
    used = [False] * len(doc)
    seeds = _date_seeds(doc)
    for seed in seeds:
        if any(used[t.i] for t in seed):
            continue
        while len(seed) > 1 and seed[-1].lower_ in ("'s", "’s"):
            seed = seed[:-1]
        while len(seed) > 1 and seed[0].lower_ == "the":
            seed = seed[1:]
        if len(seed) == 1 and seed[0].text.isdigit() and _plural_noun_after(doc, seed.end):
            continue  # "2000 pieces": a count
        if len(seed) > 1 and seed[-1].lower_ in _AFTER_OFFSET and seed.end < len(doc) and doc[seed.end].lower_ == "than":
            seed = seed[:-1]  # "three months later than planned": a comparison, not a date
        future = _prefers_future(seed.root)
        for span in _extended(doc, seed, future, seeds):
            if any(used[t.i] for t in span):
                continue
            resolved = resolve_date(span.text, published, future)
            if resolved is None:
                continue
            if span[-1].lower_ in _WEEKDAY_NAMES | PARTS_OF_DAY and len(span) <= 2 and span.start > 0 and doc[span.start - 1].lower_ == "on":
                span = doc[span.start - 1 : span.end]  # "on Friday": the day with its preposition
            for t in span:
                used[t.i] = True
            figures.append(Figure(span.start_char, span.end_char, span.text, DATE, date_value=resolved.value, date_grain=resolved.grain))
            break
    return figures, used


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
    """All figures in a parsed paragraph, in text order: dates first (an offset such as "two
    weeks ago" or "in two weeks" is a date, not a duration), then the number phrases."""
    n = len(doc)
    figures, used = _date_figures(doc, published)
    next_free = 0
    for i in _candidates(doc, _NUMBER_START_HASHES):
        if i < next_free or used[i] or not _is_number_start(doc[i]):
            continue
        end = i + 1
        while end < n and _extends_number(doc, end) and not used[end]:
            end += 1
        # trailing connectors are not part of the number
        while end - 1 > i and doc[end - 1].lower_ in ("and", "a", "an", "of", "-"):
            end -= 1
        figure = _figure_at(doc, i, end, published)
        if figure is not None:
            span = doc.char_span(figure.start, figure.end, alignment_mode="expand")
            taken = range(span.start, span.end) if span is not None else range(i, end)
            if any(used[k] for k in taken):
                continue
            figures.append(figure)
            for k in taken:
                used[k] = True
        next_free = end
    figures.sort(key=lambda f: f.start)
    return figures


def _figure_at(doc: Doc, start: int, end: int, published: date | None) -> Figure | None:
    first, last = doc[start], doc[end - 1]
    label = first.ent_type_
    if label in NAME_LABELS or _clock_time(first):
        return None
    phrase = doc[start:end].text
    ordinal = parse_ordinal(phrase) if end - start == 1 else None
    if ordinal is not None and (first.ent_type_ == "ORDINAL" or first.lower_ in FRACTION_WORDS):
        return _ordinal(doc, start, end, ordinal)
    suffixed = _UNIT_SUFFIXED.match(first.text) if end - start == 1 else None
    if suffixed:  # "50p", "35C"
        unit_name, factor, kind = UNIT_SUFFIXES[suffixed.group(2)]
        return _build(doc, start, end, None, float(suffixed.group(1)) * factor, kind, unit_name)
    glued_money = _GLUED_MONEY.match(first.text)
    glued = _glued_unit(first.text) if glued_money is None and end - start == 1 else None
    if glued_money:  # "HK$4.2 billion", "USD50"
        phrase = " ".join([glued_money.group("number"), *(t.text for t in doc[start + 1 : end])])
    value = glued[0] if glued else parse_number(phrase)
    if value is None:
        return _unsure(doc, start, end)
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
    if glued_money:
        symbol = glued_money.group("currency")
        currency = CURRENCY_PREFIXES.get(symbol.lower()) or (symbol if is_code(symbol) else None)
    qual_start, qualifier, qualifier_text = _qualifier(doc, currency_start)
    if qualifier is None and first.lower_ == "several":
        qualifier, qualifier_text = "approx", first.text  # "several hundred" taken as 300

    unit = _Unit(end, glued[1], glued[2]) if glued else _unit_after(doc, end)
    kind, unit_name, phrase_end = unit.kind, unit.name, unit.end
    if currency is not None:
        kind, unit_name = MONEY, currency
        if unit.kind == MONEY and unit.name not in SUBUNITS:
            phrase_end = unit.end  # "$ 5 USD"
    elif kind == MONEY and unit_name in SUBUNITS:
        code, factor = SUBUNITS[unit_name]
        unit_name, value = code, value * factor
    value *= unit.factor
    if kind == MONEY and currency is None and unit.kind == MONEY and unit.name not in SUBUNITS:
        value, phrase_end = _cents(doc, unit, value)
    if kind in (DURATION, QUANTITY) and not unit.adjectival:
        value, phrase_end, unit_name = _with_parts(doc, unit, value)
    if unit_name in UNIT_MULTIPLES:
        unit_name, factor = UNIT_MULTIPLES[unit_name]
        value *= factor

    age = _age(doc, start, end, value)
    if age is not None:
        if start > 0 and doc[start - 1].lower_ in AGE_PREFIXES:
            qual_start = start - 1  # "aged 19"
        return _build(doc, qual_start, age[0], None, value, AGE, age[1], qualifier, qualifier_text)

    fraction = kind is None and value < 1 and any(t.lower_ in FRACTION_WORDS for t in doc[start:end])
    if label == "DATE" and kind != DURATION and not fraction and not (kind is None and _plural_noun_after(doc, end)):
        return None  # dates are resolved as a whole mention
    if kind is None and label == "TIME":
        return None
    if kind is None and value == int(value) and 1800 <= value <= 2100 and first.text.isdigit() and len(first.text) == 4 and not _plural_noun_after(doc, end):
        return None  # a year the NER missed ("in 2019"), not "2000 people"
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


def _plural_noun_after(doc: Doc, end: int) -> bool:
    """'2000 people', '1900 homes': a plural noun right after the number counts it."""
    return end < len(doc) and doc[end].tag_ in ("NNS", "NNPS") and doc[end].ent_type_ not in ("DATE", "TIME")


def _ordinal(doc: Doc, start: int, end: int, ordinal: int) -> Figure | None:
    first = doc[start]
    if first.is_title and not first.is_sent_start:
        return None  # part of a name or title: "First Lady", "Second World War"
    if end < len(doc) and (doc[end].lower_ in _HYPHENS or (_is_number_start(doc[end]) and doc[end].lower_ != "one") or doc[end].lower_ in CURRENCY_PREFIXES):
        return None  # "second-largest"; "the first two victims", "the first £100 player": the count is the figure
    noun = _counted_noun(doc, first, end)
    if noun is not None and noun.lower_ in _NOT_COUNTED:
        return None
    span_start = start - 1 if start > 0 and doc[start - 1].lower_ == "the" else start
    return _build(doc, span_start, end, noun, float(ordinal), ORDINAL)


def _unsure(doc: Doc, start: int, end: int) -> Figure | None:
    """A phrase of number words that the grammar cannot read ("twenty and four thousand"): a
    figure without a value, so that the text is kept and no wrong scale is stored."""
    words = doc[start:end]
    if len(words) < 2 or not all(t.like_num or t.lower_ in MULTIPLIERS or t.lower_ in FRACTION_WORDS or t.lower_ in ("and", "a", "an", "-") for t in words):
        return None
    if not any(t.lower_ in MULTIPLIERS or t.lower_ in FRACTION_WORDS for t in words):
        return None  # no scale to get wrong ("five-thirty")
    if any(t.lower_ in VAGUE_WORDS for t in words) or words[0].ent_type_ in NAME_LABELS | {"DATE", "TIME"}:
        return None
    unit = _unit_after(doc, end)
    return Figure(words.start_char, doc[unit.end - 1].idx + len(doc[unit.end - 1].text), doc[words.start : unit.end].text, unit.kind or COUNT, None, unit.name)


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
