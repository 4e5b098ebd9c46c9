"""Numeric values of number phrases as written in news: "19,500", "1.2 million", "£2.4m" (the
"2.4m" part), "seventeen", "a dozen", "half a million", "two-thirds", "two and a half".

Spelled-out runs go through text2num, which is strict (it rejects "five six"); what it does not
cover (digits with scale words, "a"/"an" as one, "dozen", fractions) is handled here around it.
"""

from __future__ import annotations

import re

from text_to_num import text2num

# Scale words and the abbreviations news uses after digits ("2.4m", "$1.1bn", "5k"); lakh and
# crore are the Indian English scales (1 lakh = 100,000; 1 crore = 10 million).
SCALE_WORDS = {
    "hundred": 1e2,
    "thousand": 1e3,
    "lakh": 1e5,
    "lakhs": 1e5,
    "million": 1e6,
    "crore": 1e7,
    "crores": 1e7,
    "billion": 1e9,
    "trillion": 1e12,
}
SCALE_ABBREVIATIONS = {
    "k": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "bln": 1e9,
    "tn": 1e12,
    "trn": 1e12,
    "tln": 1e12,
}
# Abbreviations that are a scale even after a space ("10 bln"); "m", "b", "k" only glued ("5m").
SPACED_SCALE_ABBREVIATIONS = frozenset({"mn", "mln", "bn", "bln", "tn", "trn", "tln"})
MULTIPLIERS = {**SCALE_WORDS, "dozen": 12.0}

# Denominators: "two-thirds" = 2 * 1/3, "a quarter" = 1 * 1/4, "half" = 1/2, "five ninths".
FRACTION_WORDS = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fifth": 5,
    "fifths": 5,
    "sixth": 6,
    "sixths": 6,
    "seventh": 7,
    "sevenths": 7,
    "eighth": 8,
    "eighths": 8,
    "ninth": 9,
    "ninths": 9,
    "tenth": 10,
    "tenths": 10,
}

SPELLED_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SPELLED_WORDS = frozenset(SPELLED_UNITS) | frozenset(SCALE_WORDS)

ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
    "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100,
}  # fmt: skip

# Plural scale words without a count are vague ("dozens of", "thousands of"): no value.
VAGUE_WORDS = frozenset({"dozens", "hundreds", "thousands", "millions", "billions", "scores"})

_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$|^\.\d+$")
_DIGITS_WITH_SCALE = re.compile(r"^(\d+(?:[.,]\d+)*)(k|m|mn|mln|b|bn|bln|tn|trn|tln)$", re.IGNORECASE)
_SLASH_FRACTION = re.compile(r"^(\d+)/(\d+)$")
_DIGIT_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$", re.IGNORECASE)
_WORD_SPLIT = re.compile(r"[\s\-\u2010-\u2014]+")


def digits_value(word: str) -> float | None:
    """'19,500' -> 19500.0, '1.3' -> 1.3, '2.4m' -> 2400000.0, '3/4' -> 0.75; else None."""
    if _DIGITS.match(word):
        return float(word.replace(",", ""))
    match = _DIGITS_WITH_SCALE.match(word)
    if match:
        mantissa = match.group(1)
        if not _DIGITS.match(mantissa):
            return None
        return float(mantissa.replace(",", "")) * SCALE_ABBREVIATIONS[match.group(2).lower()]
    match = _SLASH_FRACTION.match(word)
    if match and int(match.group(2)) != 0:
        return int(match.group(1)) / int(match.group(2))
    return None


def _spelled_value(words: list[str]) -> float | None:
    try:
        return float(text2num(" ".join(words), "en"))
    except ValueError:
        return None


def parse_number(text: str) -> float | None:
    """The value of a number phrase, or None when it is not a (definite) number.

    Grammar: groups joined by "and", each smaller than the one before ("one billion and a
    quarter million"), or a last fraction of the group before ("one million and a half",
    "two million and three fifths"). A group is a mantissa, an optional fraction ("two-thirds",
    "a quarter", "one and a half"), then multipliers applied right to left ("half a million",
    "1.2 million", "two dozen", "25 lakh"). The mantissa is digits (a mixed number "10 1/2"
    too), a spelled run (text2num), "a"/"an" (one) or a fraction word.
    """
    words = [w.rstrip(".") for w in _WORD_SPLIT.split(text.lower().strip()) if w.rstrip(".")]
    if not words or any(w in VAGUE_WORDS for w in words):
        return None
    value, i, scale = _group(words, 0)
    while value is not None and i < len(words):
        if words[i] != "and":
            return None
        fraction, j = _fraction(words, i + 1)
        if fraction is not None and j == len(words) and scale > 1:
            return value + fraction * scale
        more, i, smaller = _group(words, i + 1)
        if more is None or smaller >= scale:
            return None
        value, scale = value + more, smaller
    return value


def _falling_scales(run: list[str]) -> bool:
    """Whether the scales after an "and" are below those before it ("two million and five
    thousand", not "four thousand and nine million")."""
    if "and" not in run:
        return True
    k = run.index("and")
    before = [SCALE_WORDS[w] for w in run[:k] if w in SCALE_WORDS and w != "hundred"]
    after = [SCALE_WORDS[w] for w in run[k + 1 :] if w in SCALE_WORDS and w != "hundred"]
    return not (before and after and max(after) >= min(before))


def _fraction(words: list[str], i: int) -> tuple[float | None, int]:
    """'a half', 'one half', 'half', 'a quarter', 'three fifths' at words[i]: (value, end)."""
    count = 1.0
    if i < len(words) and words[i] in ("a", "an", "one"):
        i += 1
    elif i < len(words) and words[i] in SPELLED_UNITS:
        count, i = float(SPELLED_UNITS[words[i]]), i + 1
    if i < len(words) and words[i] in FRACTION_WORDS:
        return count / FRACTION_WORDS[words[i]], i + 1
    return None, i


def _group(words: list[str], i: int) -> tuple[float | None, int, float]:
    """(value, end, the product of its multipliers) of one group starting at words[i]."""
    start = i
    value: float | None = None
    run_scale = 1.0
    first = words[i] if i < len(words) else ""
    if digits_value(first) is not None:
        value, i = digits_value(first), i + 1
        if i < len(words) and _SLASH_FRACTION.match(words[i]) and digits_value(words[i]) < 1:
            value, i = value + digits_value(words[i]), i + 1  # "10 1/2"
    elif first in SPELLED_UNITS or (first in SCALE_WORDS and first != "hundred"):
        j = i
        while j < len(words) and (words[j] in SPELLED_WORDS or (
            words[j] == "and" and j + 1 < len(words) and words[j + 1] in SPELLED_UNITS
            and (j + 2 >= len(words) or words[j + 2] not in FRACTION_WORDS)  # "and three fifths"
        )):
            j += 1
        if not _falling_scales(words[i:j]):
            return None, i, 1.0  # "four thousand and nine million": no reading is safe
        value, i = _spelled_value(words[i:j]), j
        run_scale = SCALE_WORDS.get(words[j - 1], 1.0)  # "one million": "and a half" is of the million
    elif first in ("a", "an"):
        value, i = 1.0, i + 1
    elif first == "several" and i + 1 < len(words) and words[i + 1] in MULTIPLIERS:
        value, i = 3.0, i + 1  # "several hundred": read as three hundred
    elif first in FRACTION_WORDS:
        value = 1.0
    if value is None:
        return None, i, 1.0
    # Fractions after the mantissa: "two-thirds", "a quarter", "half".
    if i < len(words) and words[i] in FRACTION_WORDS:
        value = value / FRACTION_WORDS[words[i]]
        i += 1
        while i < len(words) and words[i] in ("a", "an", "of"):  # "half a million", "a quarter of a"
            i += 1
    elif i < len(words) and words[i] == "and" and run_scale == 1:
        fraction, j = _fraction(words, i + 1)  # "one and a half", "one and half", "one and a quarter"
        if fraction is not None and fraction < 1 and (j == len(words) or words[j] in MULTIPLIERS):
            value, i = value + fraction, j
    scale = run_scale
    while i < len(words) and words[i] != "and":
        word = words[i]
        if word in MULTIPLIERS:
            factor = MULTIPLIERS[word]
        elif word in SCALE_ABBREVIATIONS and i > start and digits_value(words[i - 1]) is not None:
            factor = SCALE_ABBREVIATIONS[word]
        else:
            return None, i, 1.0
        value, scale, i = value * factor, scale * factor, i + 1
    return value, i, scale


def parse_ordinal(text: str) -> int | None:
    """'first' -> 1, '21st' -> 21, 'twenty-first' -> 21; else None."""
    lower = text.lower().strip()
    match = _DIGIT_ORDINAL.match(lower)
    if match:
        return int(match.group(1))
    words = [w for w in _WORD_SPLIT.split(lower) if w]
    if not words or words[-1] not in ORDINAL_WORDS:
        return None
    head = 0.0
    if len(words) > 1:
        spelled = _spelled_value(words[:-1])
        if spelled is None:
            return None
        head = spelled
    return int(head + ORDINAL_WORDS[words[-1]])
