"""The first partition day (NEWS_FIRST_DAY), read once when the definitions load."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from assets.partitions import day_folder_problem
from pipelines.deployment import DEFAULT_FIRST_DAY, FIRST_DAY, first_partition_day
from pipelines.settings import SettingsError

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 12, 1)


def test_default_keeps_accepting_past_days():
    assert first_partition_day({}, TODAY) == DEFAULT_FIRST_DAY == date(2015, 1, 1)
    assert first_partition_day({"NEWS_FIRST_DAY": " "}, TODAY) == DEFAULT_FIRST_DAY
    assert first_partition_day({"NEWS_FIRST_DAY": "2026-03-14"}, TODAY) == date(2026, 3, 14)
    assert first_partition_day({"NEWS_FIRST_DAY": "2026-12-01"}, TODAY) == TODAY


@pytest.mark.parametrize("value, says", [
    ("14/03/2026", "not a day in YYYY-MM-DD form"),
    ("20260314", "not a day in YYYY-MM-DD form"),
    ("2026-02-30", "not a calendar day"),
    ("1969-12-31", "before 1970-01-01"),
    ("2026-12-02", "in the future"),
])
def test_a_bad_value_says_what_is_wrong_and_what_to_do(value: str, says: str):
    with pytest.raises(SettingsError, match=says) as error:
        first_partition_day({"NEWS_FIRST_DAY": value}, TODAY)
    assert "NEWS_FIRST_DAY=2026-03-14" in str(error.value)


def test_folder_names_are_checked_against_the_partitions():
    assert day_folder_problem("2026-03-14", TODAY) is None
    assert "not a day" in day_folder_problem("latest", TODAY)
    assert "not a calendar day" in day_folder_problem("2026-13-01", TODAY)
    assert "before the first partition day" in day_folder_problem((FIRST_DAY.replace(year=FIRST_DAY.year - 1)).isoformat(), TODAY)
    assert "not a complete day" in day_folder_problem("2026-12-01", TODAY)


def run_python(code: str, first_day: str) -> subprocess.CompletedProcess:
    env = os.environ | {"NEWS_FIRST_DAY": first_day}
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_the_definitions_load_with_the_first_day_from_the_environment():
    proc = run_python(
        "from pipelines.definitions import defs\n"
        "keys = {defs.resolve_asset_graph().get(k).partitions_def.get_first_partition_key()"
        " for k in defs.resolve_asset_graph().get_all_asset_keys()}\n"
        "job = defs.resolve_job_def('ingest_job').partitions_def\n"
        "print(sorted(keys), job.get_first_partition_key())",
        "2026-03-14",
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["['2026-03-14']", "2026-03-14"]
    bad = run_python("import pipelines.deployment", "2026-3-14")
    assert bad.returncode == 1 and "SettingsError: NEWS_FIRST_DAY='2026-3-14' is not a day in YYYY-MM-DD form" in bad.stderr
