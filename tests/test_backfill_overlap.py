"""Runs of different days overlap their stages and queue only at the load (pool `warehouse_writer`).

Two runs of two days start at once while the writer slot is held: both run every stage up to the
load, then wait; released, they load one at a time, and the warehouse equals the same days loaded
one after the other.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import dagster as dg
import pytest

from tests.fault_helpers import dagster_home, hold_writer_slot
from tests.landing_fixture import DAY, NEXT_DAY, STORM_HTML, WIRE_TEXT
from tests.pipeline_helpers import snapshot
from warehouse.load import load_partition

pytestmark = pytest.mark.slow

RUN_DAY = """
import sys
import dagster as dg
from pipelines.definitions import defs
from pipelines.settings import NewsSettings
settings = NewsSettings(scrapes_dir=sys.argv[1], warehouse_path=sys.argv[2])
result = dg.materialize(list(defs.assets), partition_key=sys.argv[3], instance=dg.DagsterInstance.get(),
                        resources={"settings": settings}, raise_on_error=False, tags={"test": "overlap"})
print(result.run_id, result.success, flush=True)
"""


def steps(instance: dg.DagsterInstance, run_id: str, event: dg.DagsterEventType) -> dict[str, float]:
    return {r.event_log_entry.step_key: r.event_log_entry.timestamp
            for r in instance.get_records_for_run(run_id, of_type=event).records}


def test_two_days_run_their_stages_together_and_load_one_at_a_time(tmp_path: Path):
    scrapes = tmp_path / "scrapes"
    for day, names in ((DAY, ["storm.html", "wire.txt"]), (NEXT_DAY, ["wire.txt"])):  # day 2 repeats the wire story
        (scrapes / day).mkdir(parents=True)
        for name in names:
            text = STORM_HTML if name.endswith(".html") else f"date {day}\n{WIRE_TEXT}"
            (scrapes / day / name).write_text(text, encoding="utf-8")
    home = dagster_home(tmp_path / "home")
    instance = dg.DagsterInstance.from_config(str(home))
    holder = hold_writer_slot(instance, os.getpid(), "2026-01-01")
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    runs = [subprocess.Popen([sys.executable, "-c", RUN_DAY, str(scrapes), str(warehouse), day],
                             env=os.environ | {"DAGSTER_HOME": str(home)}, stdout=subprocess.PIPE, text=True)
            for day in (DAY, NEXT_DAY)]
    try:
        deadline = time.monotonic() + 240
        while len(waiting := {p.run_id for p in instance.event_log_storage.get_concurrency_info(
                "warehouse_writer").pending_steps} - {holder}) < 2:
            assert time.monotonic() < deadline, "both runs should reach the load"
            assert all(run.poll() is None for run in runs), "a run ended before its load"
            time.sleep(0.5)
        for run_id in waiting:  # every stage of both days ran while neither could load
            assert "quality" in steps(instance, run_id, dg.DagsterEventType.STEP_SUCCESS)
            assert "load" not in steps(instance, run_id, dg.DagsterEventType.STEP_START)
    finally:
        instance.event_log_storage.free_concurrency_slots_for_run(holder)
    outcomes = [run.communicate(timeout=240)[0].split() for run in runs]
    assert [success for _, success in outcomes] == ["True", "True"]
    loads = sorted((steps(instance, run_id, dg.DagsterEventType.STEP_START)["load"],
                    steps(instance, run_id, dg.DagsterEventType.STEP_SUCCESS)["load"]) for run_id, _ in outcomes)
    assert loads[0][1] <= loads[1][0], "the loads ran one at a time"

    sequential = tmp_path / "sequential" / "warehouse.duckdb"
    for day in (NEXT_DAY, DAY):
        load_partition(sequential, warehouse.parent / "lake", date.fromisoformat(day))
    assert snapshot(sequential) == snapshot(warehouse)
    assert snapshot(warehouse)["duplicates"], "the second day's wire story is linked to the first"
