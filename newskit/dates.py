"""Date mentions ("Friday", "last month", "in March", "March 2023", "two weeks ago") resolved
against the article's publication date, to a day, month or year.

Relative mentions without a publication date resolve to nothing. A bare weekday is read as the
most recent one on or before publication (news reports the past) unless the caller says the
sentence is about the future ("will meet on Friday").
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from newskit.numbers import parse_number

DAY, MONTH, YEAR = "day", "month", "year"

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

# How far ahead of publication a month mentioned without its year may lie ("in March", written
# in February, is the coming March; written in August, the past one).
_MAX_MONTHS_AHEAD = 2

_LEADING = re.compile(
    r"^(?:(?:on|in|since|by|until|till|from|during|of|as\s+of|before|after|the|"
    r"early|earlier|late|later|mid|the\s+end\s+of|the\s+start\s+of|the\s+beginning\s+of|"
    r"the\s+middle\s+of|end\s+of|start\s+of|beginning\s+of)[\s-]+)+"
)
_TRAILING = re.compile(r"(?:['’]s|\s+(?:morning|afternoon|evening|night))$")
_RELATIVE_UNIT = re.compile(r"^(this|last|next|past|previous|coming)\s+(month|year)$")
_AGO = re.compile(r"^(.+?)\s+(day|week|month|year)s?\s+ago$")
_WEEKDAY = re.compile(r"^(?:(last|next|this|past|previous|coming)\s+)?(" + "|".join(WEEKDAYS) + r")$")
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR = r"(1[89]\d\d|20\d\d|21\d\d)"
_MONTH_DAY_YEAR = re.compile(
    rf"^({_MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+{_YEAR})?$"
)
_DAY_MONTH_YEAR = re.compile(
    rf"^(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_NAMES})\.?(?:,?\s+{_YEAR})?$"
)
_MONTH_YEAR = re.compile(rf"^(?:(this|last|next|past)\s+)?({_MONTH_NAMES})\.?(?:,?\s+(?:of\s+)?{_YEAR})?$")
_YEAR_ONLY = re.compile(rf"^{_YEAR}$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class ResolvedDate:
    value: date
    grain: str  # day | month | year


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


def normalise_expression(text: str) -> str:
    """Lower-case, without prepositions and vague modifiers around the date itself."""
    cleaned = " ".join(text.lower().replace("’", "'").split())
    cleaned = _TRAILING.sub("", cleaned)
    return _LEADING.sub("", cleaned).strip(" ,.")


def resolve_date(text: str, published: date | None, prefer_future: bool = False) -> ResolvedDate | None:
    """The date a mention refers to, or None if it is not a date we can pin down."""
    try:
        return _resolve_date(text, published, prefer_future)
    except (OverflowError, ValueError):  # "tomorrow" of 9999-12-31, "last year" of year 1: no such date
        return None


def _resolve_date(text: str, published: date | None, prefer_future: bool) -> ResolvedDate | None:
    expr = normalise_expression(text)
    if not expr:
        return None

    if expr in ("today", "tonight", "this morning", "this afternoon", "this evening"):
        return ResolvedDate(published, DAY) if published else None
    if expr in ("yesterday", "last night"):
        return ResolvedDate(published - timedelta(days=1), DAY) if published else None
    if expr == "tomorrow":
        return ResolvedDate(published + timedelta(days=1), DAY) if published else None

    match = _WEEKDAY.match(expr)
    if match:
        if published is None:
            return None
        modifier, target = match.group(1), WEEKDAYS[match.group(2)]
        back = (published.weekday() - target) % 7
        ahead = (target - published.weekday()) % 7
        if modifier in ("next", "coming"):
            return ResolvedDate(published + timedelta(days=ahead or 7), DAY)
        if modifier in ("last", "past", "previous"):
            return ResolvedDate(published - timedelta(days=back or 7), DAY)
        if prefer_future:
            return ResolvedDate(published + timedelta(days=ahead), DAY)
        return ResolvedDate(published - timedelta(days=back), DAY)

    match = _RELATIVE_UNIT.match(expr)
    if match:
        if published is None:
            return None
        step = {"this": 0, "last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}[match.group(1)]
        if match.group(2) == "month":
            return ResolvedDate(_add_months(published, step), MONTH)
        return ResolvedDate(date(published.year + step, 1, 1), YEAR)

    match = _AGO.match(expr)
    if match:
        amount = parse_number(match.group(1))
        if published is None or amount is None or amount != int(amount):
            return None
        n, unit = int(amount), match.group(2)
        if unit == "day":
            return ResolvedDate(published - timedelta(days=n), DAY)
        if unit == "week":
            return ResolvedDate(published - timedelta(weeks=n), DAY)
        if unit == "month":
            return ResolvedDate(_add_months(published, -n), MONTH)
        return ResolvedDate(date(published.year - n, 1, 1), YEAR)

    match = _ISO.match(expr)
    if match:
        value = _safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        return ResolvedDate(value, DAY) if value else None

    for pattern, month_group, day_group, year_group in (
        (_MONTH_DAY_YEAR, 1, 2, 3),
        (_DAY_MONTH_YEAR, 2, 1, 3),
    ):
        match = pattern.match(expr)
        if match:
            month = MONTHS[match.group(month_group)]
            year = int(match.group(year_group)) if match.group(year_group) else _year_for_month(month, published, prefer_future)
            if year is None:
                return None
            value = _safe_date(year, month, int(match.group(day_group)))
            return ResolvedDate(value, DAY) if value else None

    match = _MONTH_YEAR.match(expr)
    if match:
        modifier, month = match.group(1), MONTHS[match.group(2)]
        if match.group(3):
            return ResolvedDate(_month_start(int(match.group(3)), month), MONTH)
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

    match = _YEAR_ONLY.match(expr)
    if match:
        return ResolvedDate(date(int(match.group(1)), 1, 1), YEAR)
    return None
