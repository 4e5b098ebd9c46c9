"""The daily partitions of every asset (UTC), from NEWS_FIRST_DAY to the last complete day.

`day_folder_problem` is the one rule for which landing-folder names are runnable days: the CLI and
the landing sensor both use it, so neither asks Dagster for a partition that does not exist.
"""

from __future__ import annotations

import re
import warnings
from datetime import date, datetime, timezone

import dagster as dg

from pipelines.deployment import FIRST_DAY, FIRST_DAY_VARIABLE

daily_partitions = dg.DailyPartitionsDefinition(start_date=FIRST_DAY.isoformat(), timezone="UTC")


def daily_check(name: str, asset: str | list[str], **kwargs) -> dg.AssetCheckSpec:
    """An asset check whose results belong to the day (partition) they checked, so a day's failure
    stays that day's. Partitioned checks are a preview in Dagster 1.13: the version is pinned
    (pyproject.toml) and tests/test_checks_partitioned.py holds the behaviour we rely on, so the
    preview warning is not repeated at every import."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.PreviewWarning)
        return dg.AssetCheckSpec(name, asset=asset, partitions_def=daily_partitions, **kwargs)

_DAY_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def today_utc() -> date:
    return datetime.now(timezone.utc).date()


def day_folder_problem(name: str, today: date | None = None) -> str | None:
    """Why `name` is not a daily partition that can run now, or None when it is one."""
    if not _DAY_NAME.match(name):
        return "not a day (folders are named YYYY-MM-DD)"
    try:
        day = date.fromisoformat(name)
    except ValueError:
        return "not a calendar day"
    if day < FIRST_DAY:
        return f"before the first partition day {FIRST_DAY} (set {FIRST_DAY_VARIABLE} to an earlier day to include it)"
    if day >= (today or today_utc()):
        return "not a complete day yet (partitions end with yesterday, UTC)"
    return None


def partition_day(context: dg.AssetExecutionContext) -> date:
    return date.fromisoformat(context.partition_key)
