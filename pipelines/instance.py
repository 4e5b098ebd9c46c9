"""The Dagster instance pieces that `dagster.yaml` names: storage and run launcher.

`NewsSqliteStorage` is Dagster's SQLite storage (same files under DAGSTER_HOME) with two changes:

- it creates its databases under a file lock, so that several first runs on a brand-new
  DAGSTER_HOME do not race in Alembic's version table (one of five such runs crashed, and the
  race could leave `history/runs.db` with two heads, unusable by every later process);
- a step waiting for a pool slot (the load's `warehouse_writer` pool has one) first frees the
  slots of runs that are no longer alive (ended, deleted, or whose process is gone after a kill -9
  or the OOM killer), logs whom it waits for, honours SIGTERM / Ctrl-C, and gives up after
  `slot_wait_timeout_seconds` with a message that says what to do. Dagster alone would wait
  forever, spinning a core, and (in `execute_in_process`) ignore SIGTERM and Ctrl-C.

`NewsRunLauncher` is Dagster's default launcher that can also tell run monitoring (in the
daemon) whether a run's process is alive, so that a killed run is marked failed (and alerts)
instead of staying STARTED. Both read the run's process from Dagster's own engine events
("... (pid: N)"); they assume what SQLite storage implies: runs execute on this machine.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from dagster import DagsterEventType, DagsterInstance, DefaultRunLauncher
from dagster._config import Field, IntSource, StringSource
from dagster._core.errors import DagsterExecutionInterruptedError
from dagster._core.launcher import CheckRunHealthResult, WorkerStatus
from dagster._core.storage.base_storage import DagsterStorage
from dagster._core.storage.dagster_run import DagsterRun
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.runs.sqlite.sqlite_run_storage import SqliteRunStorage
from dagster._core.storage.schedules.sqlite.sqlite_schedule_storage import SqliteScheduleStorage
from dagster._core.storage.sqlite_storage import (
    DagsterSqliteStorage,
    _event_logs_directory,
    _runs_directory,
    _schedule_directory,
)
from dagster._utils.concurrency import ConcurrencyClaimStatus
from dagster._utils.interrupts import check_captured_interrupt, pop_captured_interrupt

from warehouse.processes import process_alive

log = logging.getLogger("news.pools")

DEFAULT_SLOT_WAIT_TIMEOUT_S = 1800
POLL_S = 1.0  # how often a blocked step asks again (Dagster's own loop would spin without a pause)
REAP_EVERY_S = 10.0
LOG_EVERY_S = 60.0


class SlotWaitTimeout(Exception):
    """A step waited longer than `slot_wait_timeout_seconds` for a pool slot held by a live run."""


@dataclass(frozen=True)
class RunProcess:
    pid: int
    since: float  # timestamp of the engine event that named it

    @property
    def alive(self) -> bool:
        return process_alive(self.pid, started_before=self.since)


def run_process(instance: DagsterInstance, run_id: str) -> RunProcess | None:
    """The process that executes `run_id`: the newest run-level engine event with a `pid`
    (the run worker, the multiprocess executor's parent or the in-process executor)."""
    records = instance.get_records_for_run(run_id, of_type=DagsterEventType.ENGINE_EVENT, ascending=False).records
    for record in records:
        event = record.event_log_entry.dagster_event
        if event is None or event.step_key is not None:
            continue
        pid = event.engine_event_data.metadata.get("pid") if event.engine_event_data else None
        if pid is not None and str(pid.value).isdigit():
            return RunProcess(int(pid.value), record.event_log_entry.timestamp)
    return None


def describe_run(run: DagsterRun | None, run_id: str, process: RunProcess | None) -> str:
    if run is None:
        return f"run {run_id} (deleted)"
    partition = run.tags.get("dagster/partition")
    where = f"{run.job_name}" + (f", partition {partition}" if partition else "")
    state = "no process recorded" if process is None else f"pid {process.pid} {'alive' if process.alive else 'gone'}"
    return f"run {run_id} ({where}, {run.status.value}, {state})"


def slot_holders(instance: DagsterInstance, pool: str, exclude_run_id: str | None = None) -> list[str]:
    """Runs that hold a slot of `pool`, or are next in line for one, described for a log line."""
    info = instance.event_log_storage.get_concurrency_info(pool)
    run_ids = dict.fromkeys(
        [s.run_id for s in info.claimed_slots]
        + [p.run_id for p in info.pending_steps if p.assigned_timestamp is not None]
    )
    return [
        describe_run(instance.get_run_by_id(rid), rid, run_process(instance, rid))
        for rid in run_ids if rid != exclude_run_id
    ]


def free_slots_of_dead_runs(instance: DagsterInstance, pool: str, exclude_run_id: str | None = None) -> list[str]:
    """Free the slots (and queue places) in `pool` of runs that are no longer alive; say which.

    A run is dead when it no longer exists, when it ended and its process is gone, or when it is
    still marked in progress but its process is gone: that run is marked failed first (so the
    failure sensor reports it). A run whose process is unknown yet is left alone.
    """
    storage = instance.event_log_storage
    info = storage.get_concurrency_info(pool)
    freed = []
    for run_id in dict.fromkeys([s.run_id for s in info.claimed_slots] + [p.run_id for p in info.pending_steps]):
        if run_id == exclude_run_id:
            continue
        run = instance.get_run_by_id(run_id)
        process = run_process(instance, run_id)
        alive = None if process is None else process.alive
        if run is not None and (alive or (alive is None and not run.is_finished)):
            continue
        description = describe_run(run, run_id, process)
        if run is not None and not run.is_finished:
            instance.report_run_failed(
                run,
                f"The run's process (pid {process.pid}) is gone: killed, or out of memory. Its slot in "
                f"pool '{pool}' was freed so that later runs can load; re-run the partition.",
            )
        storage.free_concurrency_slots_for_run(run_id)
        freed.append(description)
    return freed


@dataclass
class _Wait:
    started: float
    logged: float
    reaped: float
    interrupted: bool = False


class GuardedSqliteEventLogStorage(SqliteEventLogStorage):
    """SQLite event log whose slot claims free dead runs' slots and wait boundedly (see module doc)."""

    def __init__(self, base_dir: str, inst_data=None, slot_wait_timeout_seconds: int = DEFAULT_SLOT_WAIT_TIMEOUT_S):
        super().__init__(base_dir, inst_data)
        self.slot_wait_timeout_seconds = slot_wait_timeout_seconds
        self._waits: dict[tuple[str, str], _Wait] = {}

    def _report(self, run_id: str, step_key: str, message: str) -> None:
        log.warning(message)
        run = self._instance.get_run_by_id(run_id)
        if run is not None:
            self._instance.report_engine_event(message, run, step_key=step_key)

    def claim_concurrency_slot(
        self, concurrency_key: str, run_id: str, step_key: str, priority: int | None = None
    ) -> ConcurrencyClaimStatus:
        key = (run_id, step_key)
        wait = self._waits.get(key)
        now = time.monotonic()
        if wait is None or now - wait.reaped >= REAP_EVERY_S:
            freed = free_slots_of_dead_runs(self._instance, concurrency_key, exclude_run_id=run_id)
            if freed:
                self._report(run_id, step_key, f"Freed the '{concurrency_key}' slot of " + "; ".join(freed))
            if wait is not None:
                wait.reaped = now
        status = super().claim_concurrency_slot(concurrency_key, run_id, step_key, priority)
        if status.is_claimed:
            if wait is not None:
                self._report(run_id, step_key, f"Got the '{concurrency_key}' slot after waiting {now - wait.started:.0f} s")
                del self._waits[key]
            return status
        if wait is None:
            wait = self._waits[key] = _Wait(started=now, logged=now, reaped=now)
            self._report(run_id, step_key, self._waiting_message(concurrency_key, run_id, 0))
        elif now - wait.logged >= LOG_EVERY_S:
            wait.logged = now
            self._report(run_id, step_key, self._waiting_message(concurrency_key, run_id, now - wait.started))
        if check_captured_interrupt():
            # The multiprocess executor handles a SIGTERM / Ctrl-C itself (it stops its step
            # processes) when its loop comes round; the in-process executor never looks, so an
            # interrupt still pending at the next ask ends the wait here.
            if wait.interrupted:
                pop_captured_interrupt()
                del self._waits[key]
                raise DagsterExecutionInterruptedError()
            wait.interrupted = True
            return status.with_sleep_interval(0.0)
        if now - wait.started >= self.slot_wait_timeout_seconds:
            del self._waits[key]
            holders = "; ".join(slot_holders(self._instance, concurrency_key, run_id)) or "no run (the slot was just freed)"
            raise SlotWaitTimeout(
                f"Gave up waiting for a slot in pool '{concurrency_key}' after {now - wait.started:.0f} s "
                f"(slot_wait_timeout_seconds in dagster.yaml). It is held by {holders}. Only one load "
                f"writes the warehouse at a time: if that run is stuck, terminate it (UI: Runs -> the run -> "
                f"Terminate), then re-run this partition; see README 'When a load waits for the writer slot'."
            )
        # Dagster asks again at once when told to sleep 0 s: this pause is the whole wait, so the
        # blocked run sleeps instead of spinning and still sees a SIGTERM within POLL_S.
        time.sleep(POLL_S)
        return status.with_sleep_interval(0.0)

    def _waiting_message(self, pool: str, run_id: str, waited: float) -> str:
        holders = "; ".join(slot_holders(self._instance, pool, run_id)) or "a run that has just finished"
        return (
            f"Waiting for a slot in pool '{pool}' ({waited:.0f} s so far, up to {self.slot_wait_timeout_seconds} s): "
            f"held by {holders}"
        )


@contextmanager
def _storage_init_lock(base_dir: str) -> Iterator[None]:
    os.makedirs(base_dir, exist_ok=True)
    with open(os.path.join(base_dir, ".storage-init.lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class NewsSqliteStorage(DagsterSqliteStorage):
    """Dagster's SQLite storage, created under a file lock, with the guarded slot claims."""

    def __init__(self, base_dir: str, inst_data=None, slot_wait_timeout_seconds: int = DEFAULT_SLOT_WAIT_TIMEOUT_S):
        self.base_dir = base_dir
        with _storage_init_lock(base_dir):
            self._run_storage = SqliteRunStorage.from_local(_runs_directory(base_dir))
            self._event_log_storage = GuardedSqliteEventLogStorage(
                _event_logs_directory(base_dir), slot_wait_timeout_seconds=slot_wait_timeout_seconds
            )
            self._schedule_storage = SqliteScheduleStorage.from_local(_schedule_directory(base_dir))
        self._inst_data = inst_data
        DagsterStorage.__init__(self)

    @classmethod
    def config_type(cls):
        return {
            "base_dir": StringSource,
            "slot_wait_timeout_seconds": Field(IntSource, is_required=False, default_value=DEFAULT_SLOT_WAIT_TIMEOUT_S),
        }

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> NewsSqliteStorage:
        return cls(inst_data=inst_data, **config_value)


class NewsRunLauncher(DefaultRunLauncher):
    """The default launcher, plus a health check for run monitoring: is the run's process alive?"""

    @property
    def supports_check_run_worker_health(self) -> bool:
        return True

    def check_run_worker_health(self, run: DagsterRun) -> CheckRunHealthResult:
        process = run_process(self._instance, run.run_id)
        if process is None:  # not started far enough to say; the start timeout covers it
            return CheckRunHealthResult(WorkerStatus.RUNNING, "no process recorded yet")
        if process.alive:
            return CheckRunHealthResult(WorkerStatus.RUNNING, f"pid {process.pid} alive")
        return CheckRunHealthResult(
            WorkerStatus.FAILED, f"the run's process (pid {process.pid}) is gone: killed, or out of memory"
        )
