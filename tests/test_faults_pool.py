"""The `warehouse_writer` pool and the Dagster instance: dead runs' slots, bounded and
interruptible waits, run monitoring's health check, concurrent first runs on a new DAGSTER_HOME."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.launcher import WorkerStatus

from pipelines.definitions import defs
from pipelines.settings import NewsSettings
from tests.fault_helpers import REPO, dagster_home, dead_pid, hold_writer_slot

LOAD = "group:warehouse"  # the load step: one multi-asset, every news/<table>
DAGSTER = Path(sys.executable).with_name("dagster")


def load_only(instance: dg.DagsterInstance, settings: NewsSettings, day: str) -> dg.ExecuteInProcessResult:
    return dg.materialize(list(defs.assets), selection=LOAD, partition_key=day, instance=instance,
                          resources={"settings": settings}, raise_on_error=False)


@pytest.fixture
def settings(tmp_path: Path) -> NewsSettings:
    return NewsSettings(scrapes_dir=str(tmp_path / "scrapes"), warehouse_path=str(tmp_path / "wh" / "warehouse.duckdb"))


def writer_pool(instance: dg.DagsterInstance):
    return instance.event_log_storage.get_concurrency_info("warehouse_writer")


def test_a_dead_runs_slot_is_freed_and_that_run_marked_failed(tmp_path: Path, settings: NewsSettings):
    instance = dg.DagsterInstance.from_config(str(dagster_home(tmp_path / "home")))
    dead_run = hold_writer_slot(instance, dead_pid(), "2026-05-01")
    result = load_only(instance, settings, "2026-05-02")
    assert result.success
    run = instance.get_run_by_id(dead_run)
    assert run.status == dg.DagsterRunStatus.FAILURE
    failure = instance.get_records_for_run(dead_run, of_type=dg.DagsterEventType.RUN_FAILURE).records[0]
    assert "is gone" in failure.event_log_entry.dagster_event.message
    freed = [r.event_log_entry.message for r in instance.get_records_for_run(result.run_id, of_type=dg.DagsterEventType.ENGINE_EVENT).records]
    assert any(f"Freed the 'warehouse_writer' slot of run {dead_run}" in m for m in freed)
    assert writer_pool(instance).claimed_slots == [] and writer_pool(instance).pending_steps == []


def test_a_wait_for_a_live_holder_is_logged_and_bounded(tmp_path: Path, settings: NewsSettings):
    instance = dg.DagsterInstance.from_config(str(dagster_home(tmp_path / "home", slot_wait_timeout_seconds=2)))
    holder = hold_writer_slot(instance, os.getpid(), "2026-05-01")  # this test process: alive
    result = load_only(instance, settings, "2026-05-02")
    assert not result.success
    error = result.get_run_failure_event().message + str(result.all_events[-1].event_specific_data)
    assert "Gave up waiting for a slot in pool 'warehouse_writer'" in error
    assert f"run {holder} (ingest_job, partition 2026-05-01, STARTED, pid {os.getpid()} alive)" in error
    messages = [r.event_log_entry.message for r in instance.get_records_for_run(result.run_id, of_type=dg.DagsterEventType.ENGINE_EVENT).records]
    assert any(m.startswith("Waiting for a slot in pool 'warehouse_writer'") and holder in m for m in messages)
    assert [s.run_id for s in writer_pool(instance).claimed_slots] == [holder]
    assert {p.run_id for p in writer_pool(instance).pending_steps} == {holder}, "the waiting run left the queue"
    assert instance.get_run_by_id(holder).status == dg.DagsterRunStatus.STARTED, "a live run is left alone"


WAIT_IN_PROCESS = """
import os, sys
import dagster as dg
from pipelines.definitions import defs
from pipelines.settings import NewsSettings
instance = dg.DagsterInstance.get()
settings = NewsSettings(warehouse_path=sys.argv[1])
result = dg.materialize(list(defs.assets), selection="group:warehouse", partition_key="2026-05-02",
                        instance=instance, resources={"settings": settings}, raise_on_error=False)
print("finished", result.success, flush=True)
"""


def test_sigterm_ends_a_wait_in_process(tmp_path: Path):
    home = dagster_home(tmp_path / "home")
    instance = dg.DagsterInstance.from_config(str(home))
    holder = hold_writer_slot(instance, os.getpid(), "2026-05-01")
    child = subprocess.Popen([sys.executable, "-c", WAIT_IN_PROCESS, str(tmp_path / "wh" / "warehouse.duckdb")],
                             env=os.environ | {"DAGSTER_HOME": str(home)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not any(p.run_id != holder for p in writer_pool(instance).pending_steps):
            assert child.poll() is None and time.monotonic() < deadline, "the child never queued for the slot"
            time.sleep(0.5)
        child.send_signal(signal.SIGTERM)
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert "finished False" in out, err[-2000:]
    assert "DagsterExecutionInterruptedError" in err
    assert {p.run_id for p in writer_pool(instance).pending_steps} == {holder}


def test_run_monitoring_sees_a_dead_run_process(tmp_path: Path):
    instance = dg.DagsterInstance.from_config(str(dagster_home(tmp_path / "home")))
    dead = instance.get_run_by_id(hold_writer_slot(instance, dead_pid(), "2026-05-01"))
    live = instance.get_run_by_id(hold_writer_slot(instance, os.getpid(), "2026-05-02"))
    assert instance.run_launcher.check_run_worker_health(dead).status == WorkerStatus.FAILED
    assert instance.run_launcher.check_run_worker_health(live).status == WorkerStatus.RUNNING


INIT = "import dagster as dg; i = dg.DagsterInstance.get(); i.get_runs(); i.event_log_storage.get_concurrency_info('p'); print('ok')"


def test_concurrent_first_runs_on_a_new_dagster_home_all_start(tmp_path: Path):
    """Five processes at once; Dagster's plain SQLite storage failed in 2 of 3 such rounds (Alembic's
    version table raced, once leaving runs.db with two heads, unusable by any later process)."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text((REPO / "dagster.yaml").read_text())
    procs = [subprocess.Popen([sys.executable, "-c", INIT], env=os.environ | {"DAGSTER_HOME": str(home)},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(5)]
    outcomes = [p.communicate(timeout=180) for p in procs]
    assert [out.strip() for out, _ in outcomes] == ["ok"] * 5, [err[-500:] for _, err in outcomes]


@pytest.mark.slow
def test_headless_materialize_frees_the_slot_of_a_killed_load(tmp_path: Path, monkeypatch):
    """The fault as found: a run killed inside its load keeps the slot; the next command loads."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text((REPO / "dagster.yaml").read_text())
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    instance = dg.DagsterInstance.get()
    env = os.environ | {"DAGSTER_HOME": str(home), "NEWS_WAREHOUSE": str(tmp_path / "wh" / "warehouse.duckdb"),
                        "NEWS_SCRAPES_DIR": str(tmp_path / "scrapes")}
    dead_run = hold_writer_slot(instance, dead_pid(), "2026-05-01")
    proc = subprocess.run([str(DAGSTER), "asset", "materialize", "-m", "pipelines.definitions", "--select", "group:warehouse",
                           "--partition", "2026-05-02"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f"Freed the 'warehouse_writer' slot of run {dead_run}" in proc.stderr
    assert instance.get_run_by_id(dead_run).status == dg.DagsterRunStatus.FAILURE
