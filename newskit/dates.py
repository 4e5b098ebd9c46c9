"""Date mentions resolved against the article's publication date, to a day, week, month or year.

Forms: days ("today", "last night", "Tuesday night", "the previous Monday", "Tue 13th",
"March 3", "3 March 2021", "the second of August", "14 March nineteen eighty six"), weeks ("this
week", "next workweek"), months and years ("in March", "March 2023", "last year", "the end of
this year", "year to date", "the 9th month of next year"), holidays (Christmas, Easter and the
feasts that move with it, Thanksgiving, Juneteenth ...: `HOLIDAYS`), and offsets from any of
these or from publication ("two weeks ago", "in two weeks", "three days later", "ten days from
now", "five days before Christmas", "two months after next Friday", "Monday two weeks from now").
Clock times around a date ("8am this morning", "Christmas at 8:00") are read past.

Relative mentions without a publication date resolve to nothing. A bare weekday, month or
holiday is read as the most recent one (news reports the past) unless the caller says the
sentence is about the future ("will meet on Friday").
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

from newskit.numbers import parse_number, parse_ordinal

DAY, WEEK, MONTH, YEAR = "day", "week", "month", "year"

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
WEEKDAY_ABBREVIATIONS = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "weds": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6}
_ALL_WEEKDAYS = {**WEEKDAYS, **WEEKDAY_ABBREVIATIONS}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

# Holidays by name (lower case, as written). Fixed dates are (month, day); `EASTER_HOLIDAYS` are
# days from Easter Sunday (dateutil's Western Easter); `NTH_WEEKDAY_HOLIDAYS` are (month, weekday,
# n), n = -1 for the last. Where countries differ, the entry is the US one (Thanksgiving,
# Independence Day, Labor Day, Mother's Day).
FIXED_HOLIDAYS = {
    "christmas": (12, 25), "christmas day": (12, 25), "xmas": (12, 25), "christmas eve": (12, 24),
    "boxing day": (12, 26), "new year": (1, 1), "new year's day": (1, 1), "new years day": (1, 1),
    "new year's eve": (12, 31), "new years eve": (12, 31), "hogmanay": (12, 31), "epiphany": (1, 6),
    "valentine's day": (2, 14), "valentines day": (2, 14), "st patrick's day": (3, 17), "st. patrick's day": (3, 17),
    "saint patrick's day": (3, 17), "st david's day": (3, 1), "st george's day": (4, 23), "earth day": (4, 22),
    "anzac day": (4, 25), "may day": (5, 1), "juneteenth": (6, 19), "canada day": (7, 1), "independence day": (7, 4),
    "bastille day": (7, 14), "halloween": (10, 31), "all saints' day": (11, 1), "bonfire night": (11, 5),
    "guy fawkes night": (11, 5), "armistice day": (11, 11), "remembrance day": (11, 11), "veterans day": (11, 11),
    "veterans' day": (11, 11), "st andrew's day": (11, 30), "australia day": (1, 26), "burns night": (1, 25),
}  # fmt: skip
EASTER_HOLIDAYS = {
    "easter": 0, "easter sunday": 0, "easter day": 0, "easter monday": 1, "good friday": -2, "holy saturday": -1,
    "maundy thursday": -3, "palm sunday": -7, "ash wednesday": -46, "shrove tuesday": -47, "pancake day": -47,
    "mardi gras": -47, "ascension day": 39, "pentecost": 49, "whit sunday": 49, "whitsunday": 49, "whit monday": 50,
    "corpus christi": 60, "mothering sunday": -21,
}  # fmt: skip
NTH_WEEKDAY_HOLIDAYS = {
    "thanksgiving": (11, 3, 4), "thanksgiving day": (11, 3, 4), "labor day": (9, 0, 1), "memorial day": (5, 0, -1),
    "martin luther king day": (1, 0, 3), "martin luther king jr. day": (1, 0, 3), "mlk day": (1, 0, 3),
    "presidents' day": (2, 0, 3), "presidents day": (2, 0, 3), "columbus day": (10, 0, 2),
    "indigenous peoples' day": (10, 0, 2), "mother's day": (5, 6, 2), "father's day": (6, 6, 3),
}  # fmt: skip
DAYS_AFTER_THANKSGIVING = {"black friday": 1, "cyber monday": 4}
HOLIDAYS = frozenset(FIXED_HOLIDAYS) | frozenset(EASTER_HOLIDAYS) | frozenset(NTH_WEEKDAY_HOLIDAYS) | frozenset(DAYS_AFTER_THANKSGIVING)

# How far ahead of publication a month or holiday named without its year may lie ("in March",
# written in February, is the coming March; written in August, the past one).
_MAX_MONTHS_AHEAD = 2

_LEADING = re.compile(
    r"^(?:(?:on|in|since|by|until|till|from|during|of|as\s+of|before|after|the|"
    r"early|earlier|late|later|mid|the\s+end\s+of|the\s+start\s+of|the\s+beginning\s+of|"
    r"the\s+middle\s+of|end\s+of|start\s+of|beginning\s+of|(?:the\s+)?year(?=[\s-]+(?:1[89]|2[01])\d\d))[\s-]+)+"
)
# Words that make "the year" or "the month" this one: "by the end of the year", "later this week".
_EDGE = re.compile(r"\b(?:end|start|beginning|middle|rest)\s+of\b|\b(?:mid|early|late|earlier|later)\b")
_PART_OF_DAY = r"(?:early\s+)?(?:morning|afternoon|evening|night|midday|lunchtime)"
_TRAILING = re.compile(rf"(?:['’]s|\s+{_PART_OF_DAY})$")
_SPELLED_HOUR = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_MERIDIEM = r"(?:a\.?\s?m\.?|p\.?\s?m\.?|o'clock)"
_HALF_HOURS = r"(?:thirty|fifteen|forty[\s-]five)"
_CLOCK = (
    rf"(?:(?:at|around|about|from|by|until|before|after)\s+)?"
    rf"(?:\d{{1,2}}[:.]\d{{2}}(?:\s*{_MERIDIEM})?|\d{{1,2}}\s*{_MERIDIEM}|noon|midnight|"
    rf"{_SPELLED_HOUR}(?:[\s-]{_HALF_HOURS})?\s+{_MERIDIEM}|{_SPELLED_HOUR}[\s-](?:{_HALF_HOURS}|o'clock))"
    rf"|(?:at|around|about)\s+(?:\d{{1,2}}|{_SPELLED_HOUR})"
)
_CLOCK_AT_START = re.compile(rf"^(?:{_CLOCK})(?:\s+{_PART_OF_DAY})?[\s,]+(?=\S)")
_CLOCK_AT_END = re.compile(rf"(?:[\s,]+|^)(?:{_CLOCK})(?:\s+{_PART_OF_DAY})?$")
_RELATIVE_UNIT = re.compile(r"^(this|last|next|past|previous|coming)\s+(month|year)$")
_WEEK = re.compile(r"^(this|last|next|past|previous|coming)\s+(?:working\s+|work\s+)?(?:week|workweek)$")
_RELATIVE_DAY = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0, "this lunchtime": 0,
    "yesterday": -1, "last night": -1, "tomorrow": 1,
}  # fmt: skip
_WEEKDAY = re.compile(r"^(?:(last|next|this|past|previous|coming)\s+)?(" + "|".join(_ALL_WEEKDAYS) + r")\.?$")
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR = r"(1[89]\d\d|20\d\d|21\d\d)"
_NUMBER_WORDS = r"(?!of\b)[a-z]+(?:[\s-](?!of\b)[a-z]+){0,3}"
_DAY_NUMBER = rf"(\d{{1,2}}(?:st|nd|rd|th)?|{_NUMBER_WORDS})"
_MONTH_DAY_YEAR = re.compile(rf"^({_MONTH_NAMES})\.?\s+(?:the\s+)?{_DAY_NUMBER}(?:,?\s+(.+))?$")
_DAY_MONTH_YEAR = re.compile(rf"^{_DAY_NUMBER}\s+(?:of\s+)?({_MONTH_NAMES})\.?(?:,?\s+(.+))?$")
_WEEKDAY_DAY = re.compile(rf"^({'|'.join(_ALL_WEEKDAYS)})\.?,?\s+(?:the\s+)?{_DAY_NUMBER}$")
_MONTH_YEAR = re.compile(rf"^(?:(this|last|next|past)\s+)?({_MONTH_NAMES})\.?(?:,?\s+(?:of\s+)?(.+))?$")
_YEAR_MONTH = re.compile(rf"^{_YEAR}\s+({_MONTH_NAMES})$")
_NTH_OF = re.compile(r"^(?:the\s+)?(.+?)\s+(day|month)\s+of\s+(?:the\s+)?(this|next|last|previous|coming)?\s*(month|year)$")
_YEAR_TO_DATE = re.compile(r"^(?:(?:in|for)\s+)?(?:the\s+)?year[\s-]to[\s-]date$")
_HOLIDAY = re.compile(
    r"^(?:(this|last|next|past|previous|coming)\s+(?:year's\s+)?)?("
    + "|".join(re.escape(h) for h in sorted(HOLIDAYS, key=len, reverse=True))
    + rf")(?:\s+(?:of\s+)?(?:(this|last|next)\s+year|{_YEAR}))?$"
)
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_SIGNS = {"ago": -1, "earlier": -1, "before": -1, "later": 1, "after": 1, "from": 1, "hence": 1}
_NOW = {"now": 0, "today": 0, "tomorrow": 1, "yesterday": -1}


@dataclass(frozen=True)
class ResolvedDate:
    value: date
    grain: str  # day | week | month | year


def _month_start(year: int, month: int) -> date:
    return date(year, month, 1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _year_for_month(month: int, published: date | None, prefer_future: bool = False) -> int | None:
    """The year of a month named without one: the latest such month up to `_MAX_MONTHS_AHEAD`
    ahead, or the next one not before the publication month when the clause is about the future
    ("work should finish by June")."""
    if published is None:
        return None
    year = published.year
    if prefer_future:
        return year if month >= published.month else year + 1
    if _month_start(year, month) > _add_months(published, _MAX_MONTHS_AHEAD):
        year -= 1
    return year


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def normalise_expression(text: str) -> str:
    """Lower-case, without clock times, prepositions and vague modifiers around the date itself."""
    cleaned = " ".join(text.lower().replace("’", "'").split()).strip(" ,.")
    for _ in range(4):
        before = cleaned
        cleaned = _CLOCK_AT_END.sub("", _CLOCK_AT_START.sub("", cleaned)).strip(" ,.")
        if cleaned not in _RELATIVE_DAY:  # "last night" is yesterday, not "last"
            cleaned = _TRAILING.sub("", cleaned)
        cleaned = _LEADING.sub("", cleaned).strip(" ,.")
        if cleaned == before:
            break
    return cleaned


def spelled_year(text: str) -> int | None:
    """'2015', 'two thousand and fifteen', 'nineteen eighty six', 'seventeen hundred thirty three'."""
    text = text.strip()
    if re.fullmatch(_YEAR, text):
        return int(text)
    value = parse_number(text)
    if value is not None and value == int(value) and 1000 <= value <= 2199:
        return int(value)
    words = text.replace("-", " ").split()
    for cut in (1, 2):  # "nineteen | eighty six", "twenty | twenty"
        head, tail = parse_number(" ".join(words[:cut])), parse_number(" ".join(words[cut:])) if words[cut:] else None
        if head is not None and tail is not None and 10 <= head <= 21 and 0 <= tail <= 99 and head == int(head) and tail == int(tail):
            return int(head * 100 + tail)
    return None


def _day_number(text: str) -> int | None:
    """'3', '3rd', 'third', 'twenty-seventh', 'twenty five' as a day of the month."""
    value = parse_ordinal(text)
    if value is None:
        number = parse_number(text)
        value = int(number) if number is not None and number == int(number) else None
    return value if value is not None and 1 <= value <= 31 else None


def _holiday(name: str, year: int) -> date | None:
    if name in FIXED_HOLIDAYS:
        return _safe_date(year, *FIXED_HOLIDAYS[name])
    if name in EASTER_HOLIDAYS:
        return easter(year) + timedelta(days=EASTER_HOLIDAYS[name])
    if name in DAYS_AFTER_THANKSGIVING:
        return _holiday("thanksgiving", year) + timedelta(days=DAYS_AFTER_THANKSGIVING[name])
    month, weekday, n = NTH_WEEKDAY_HOLIDAYS[name]
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _relative_year(modifier: str | None, published: date) -> int:
    return published.year + {"next": 1, "coming": 1, "last": -1, "past": -1, "previous": -1}.get(modifier or "", 0)


def _resolve_holiday(match: re.Match[str], published: date | None, prefer_future: bool) -> ResolvedDate | None:
    modifier, name, year_modifier, year = match.group(1), match.group(2), match.group(3), match.group(4)
    if year:
        return ResolvedDate(_holiday(name, int(year)), DAY)
    if published is None:
        return None
    if year_modifier:
        return ResolvedDate(_holiday(name, _relative_year(year_modifier, published)), DAY)
    this_year = _holiday(name, published.year)
    if modifier in ("next", "coming") or (prefer_future and modifier is None):
        return ResolvedDate(this_year if this_year > published else _holiday(name, published.year + 1), DAY)
    if modifier in ("last", "past", "previous"):
        return ResolvedDate(this_year if this_year < published else _holiday(name, published.year - 1), DAY)
    if modifier == "this":
        return ResolvedDate(this_year, DAY)
    latest = _add_months(published, _MAX_MONTHS_AHEAD + 1) - timedelta(days=1)
    return ResolvedDate(this_year if this_year <= latest else _holiday(name, published.year - 1), DAY)


_OFFSET_PART_AT = re.compile(
    r"\s*(?:,|\band\b)?\s*(\d+(?:\.\d+)?|an?|[a-z]+(?:[\s-][a-z]+)?)\s+(day|week|fortnight|month|year|decade)s?\b"
)
_UNIT_DELTAS = {
    "day": relativedelta(days=1), "week": relativedelta(weeks=1), "fortnight": relativedelta(weeks=2),
    "month": relativedelta(months=1), "year": relativedelta(years=1), "decade": relativedelta(years=10),
}  # fmt: skip


def _offset(text: str) -> relativedelta | None:
    """'two weeks', '3 months and 2 weeks', '2 years 1 month 21 days' as a relativedelta."""
    total, pos, text = relativedelta(), 0, text.strip()
    while pos < len(text):
        match = _OFFSET_PART_AT.match(text, pos)
        amount = parse_number(match.group(1)) if match else None
        if amount is None or amount != int(amount):
            return None
        total += _UNIT_DELTAS[match.group(2)] * int(amount)
        pos = match.end()
    return total if pos else None


def resolve_date(text: str, published: date | None, prefer_future: bool = False) -> ResolvedDate | None:
    """The date a mention refers to, or None if it is not a date we can pin down. A mention that
    starts with "in" and an amount of time ("in two weeks") is the date that far ahead: the
    caller passes it only where the clause is about the future."""
    try:
        return _resolve_date(text, published, prefer_future)
    except (OverflowError, ValueError):  # "tomorrow" of 9999-12-31, "last year" of year 1: no such date
        return None


def _resolve_date(text: str, published: date | None, prefer_future: bool) -> ResolvedDate | None:
    raw = " ".join(text.lower().replace("’", "'").split()).strip(" ,.")
    if (match := re.match(r"^in\s+(?:about\s+|around\s+|just\s+)?(.+)$", raw)) and (delta := _offset(match.group(1))):
        return ResolvedDate(published + delta, DAY) if published else None
    if _YEAR_TO_DATE.match(raw):
        return ResolvedDate(date(published.year, 1, 1), YEAR) if published else None
    expr = normalise_expression(text)
    if not expr:
        return None
    return _with_offset(expr, published, prefer_future) or _base(expr, published, prefer_future, bool(_EDGE.search(raw)))


def _with_offset(expr: str, published: date | None, prefer_future: bool) -> ResolvedDate | None:
    """Offsets: "two weeks ago", "three days later", "ten days from now", "five days before
    Christmas", and a weekday in the week an offset lands in ("Monday two weeks from now")."""
    weekday = None
    if (match := re.match(rf"^({'|'.join(_ALL_WEEKDAYS)})\.?,?\s+(.+)$", expr)) and re.search(r"\d|\b(?:day|week|month|year)s?\b", match.group(2)):
        weekday, expr = _ALL_WEEKDAYS[match.group(1)], match.group(2)
    elif match := re.match(rf"^(.+?),?\s+on\s+({'|'.join(_ALL_WEEKDAYS)})$", expr):
        weekday, expr = _ALL_WEEKDAYS[match.group(2)], match.group(1)
    found = None
    if match := re.match(r"^(.+?)\s+(ago|earlier|later|hence)$", expr):
        if (delta := _offset(match.group(1))) and published:
            found = published + delta * _SIGNS[match.group(2)]
    elif match := re.match(r"^(.+?)\s+(?:from|after)\s+(now|today|tomorrow|yesterday)$", expr):
        if (delta := _offset(match.group(1))) and published:
            found = published + timedelta(days=_NOW[match.group(2)]) + delta
    elif match := re.match(r"^(.+?)\s+(before|after|from|since)\s+(?:the\s+)?(.+)$", expr):
        delta = _offset(match.group(1))
        anchor = _base(normalise_expression(match.group(3)), published, prefer_future) if delta else None
        if delta and anchor and anchor.grain == DAY:
            found = anchor.value + delta * (1 if match.group(2) != "before" else -1)
    if found is None:
        return None
    if weekday is not None:
        found = _monday(found) + timedelta(days=weekday)
    return ResolvedDate(found, DAY)


def _base(expr: str, published: date | None, prefer_future: bool, edge: bool = False) -> ResolvedDate | None:
    """A date that is not an offset from another. `edge`: the mention named an edge of a period
    ("the end of the year"), so a bare "year" is this one."""
    if expr in _RELATIVE_DAY:
        return ResolvedDate(published + timedelta(days=_RELATIVE_DAY[expr]), DAY) if published else None

    if match := _WEEKDAY.match(expr):
        if published is None:
            return None
        modifier, target = match.group(1), _ALL_WEEKDAYS[match.group(2)]
        back = (published.weekday() - target) % 7
        ahead = (target - published.weekday()) % 7
        if modifier in ("next", "coming"):
            return ResolvedDate(published + timedelta(days=ahead or 7), DAY)
        if modifier in ("last", "past", "previous"):
            return ResolvedDate(published - timedelta(days=back or 7), DAY)
        if prefer_future:
            return ResolvedDate(published + timedelta(days=ahead), DAY)
        return ResolvedDate(published - timedelta(days=back), DAY)

    if match := _WEEK.match(expr):
        if published is None:
            return None
        step = {"this": 0, "last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}[match.group(1)]
        return ResolvedDate(_monday(published) + timedelta(weeks=step), WEEK)

    if edge and expr in ("week", "month", "year"):  # "by the end of the year", "later in the week"
        if published is None:
            return None
        if expr == "week":
            return ResolvedDate(_monday(published), WEEK)
        return ResolvedDate(_month_start(published.year, published.month), MONTH) if expr == "month" else ResolvedDate(date(published.year, 1, 1), YEAR)

    if match := _RELATIVE_UNIT.match(expr):
        if published is None:
            return None
        step = {"this": 0, "last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}[match.group(1)]
        if match.group(2) == "month":
            return ResolvedDate(_add_months(published, step), MONTH)
        return ResolvedDate(date(published.year + step, 1, 1), YEAR)

    if match := _HOLIDAY.match(expr):
        return _resolve_holiday(match, published, prefer_future)

    if match := _ISO.match(expr):
        value = _safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        return ResolvedDate(value, DAY) if value else None

    if match := _NTH_OF.match(expr):  # "the 15th day of next month", "the 9th month of next year"
        n = _day_number(match.group(1))
        if published is None or n is None:
            return None
        if match.group(2) == "day" and match.group(4) == "month":
            month = _add_months(published, {"next": 1, "coming": 1, "last": -1, "previous": -1}.get(match.group(3) or "", 0))
            value = _safe_date(month.year, month.month, n)
            return ResolvedDate(value, DAY) if value else None
        if match.group(2) == "month" and match.group(4) == "year" and n <= 12:
            return ResolvedDate(date(_relative_year(match.group(3), published), n, 1), MONTH)
        return None

    if match := _WEEKDAY_DAY.match(expr):  # "Tue 13th": the nearest month whose 13th is a Tuesday
        weekday, day = _ALL_WEEKDAYS[match.group(1)], _day_number(match.group(2))
        if published is None or day is None:
            return None
        for k in sorted(range(-12, 13), key=abs):
            month = _add_months(published, k)
            value = _safe_date(month.year, month.month, day)
            if value is not None and value.weekday() == weekday:
                return ResolvedDate(value, DAY)
        return None

    for pattern, month_group, day_group, year_group in ((_MONTH_DAY_YEAR, 1, 2, 3), (_DAY_MONTH_YEAR, 2, 1, 3)):
        if match := pattern.match(expr):
            month, day = MONTHS[match.group(month_group)], _day_number(match.group(day_group))
            if day is None:
                continue
            if match.group(year_group):
                year = spelled_year(match.group(year_group))
                if year is None:
                    continue
            else:
                year = _year_for_month(month, published, prefer_future)
                if year is None:
                    return None
            value = _safe_date(year, month, day)
            return ResolvedDate(value, DAY) if value else None

    if match := _YEAR_MONTH.match(expr):  # "2017 april"
        return ResolvedDate(_month_start(int(match.group(1)), MONTHS[match.group(2)]), MONTH)

    if match := _MONTH_YEAR.match(expr):
        modifier, month = match.group(1), MONTHS[match.group(2)]
        if match.group(3):
            year = spelled_year(match.group(3))
            return ResolvedDate(_month_start(year, month), MONTH) if year else None
        if published is None:
            return None
        if modifier in ("last", "past"):
            year = published.year if month < published.month else published.year - 1
        elif modifier == "next":
            year = published.year if month > published.month else published.year + 1
        elif modifier == "this":
            year = published.year
        else:
            year = _year_for_month(month, published, prefer_future)
        return ResolvedDate(_month_start(year, month), MONTH)

    if (year := spelled_year(expr)) is not None and (re.fullmatch(_YEAR, expr) or " " in expr):
        return ResolvedDate(date(year, 1, 1), YEAR)
    return None
