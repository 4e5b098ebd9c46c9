"""What must be known when the definitions load (read once, from the environment, here only).

Everything else is a run-time setting of the `settings` resource (pipelines/settings.py). A value
read here shapes the Definitions themselves, so changing it takes a reload of the code location
(restart `dagster dev`, or *Reload* in the UI's code locations page).

NEWS_FIRST_DAY  first daily partition, YYYY-MM-DD (default 2015-01-01). Set it to the first day of
                your landing folder so the UI shows your days, not thousands of empty ones; a day
                before it cannot be run (the CLI and the landing sensor skip such folders).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import date, datetime, timezone

from pipelines.settings import SettingsError

FIRST_DAY_VARIABLE = "NEWS_FIRST_DAY"
DEFAULT_FIRST_DAY = date(2015, 1, 1)
EARLIEST_FIRST_DAY = date(1970, 1, 1)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def first_partition_day(environ: Mapping[str, str] = os.environ, today: date | None = None) -> date:
    """NEWS_FIRST_DAY as a date, or the default; a value that cannot be a first day says why."""
    raw = environ.get(FIRST_DAY_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_FIRST_DAY
    today = today or datetime.now(timezone.utc).date()
    hint = f"set it to the first day of your landing folder, e.g. {FIRST_DAY_VARIABLE}=2026-03-14, or unset it for {DEFAULT_FIRST_DAY}"
    if not _ISO_DAY.match(raw):
        raise SettingsError(f"{FIRST_DAY_VARIABLE}={raw!r} is not a day in YYYY-MM-DD form: {hint}")
    try:
        day = date.fromisoformat(raw)
    except ValueError as exc:
        raise SettingsError(f"{FIRST_DAY_VARIABLE}={raw!r} is not a calendar day ({exc}): {hint}") from None
    if day < EARLIEST_FIRST_DAY:
        raise SettingsError(f"{FIRST_DAY_VARIABLE}={raw} is before {EARLIEST_FIRST_DAY}, the earliest partition day: {hint}")
    if day > today:
        raise SettingsError(f"{FIRST_DAY_VARIABLE}={raw} is in the future (today is {today} UTC), so there would be no partition at all: {hint}")
    return day


FIRST_DAY: date = first_partition_day()
