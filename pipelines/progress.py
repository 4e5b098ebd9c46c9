"""Progress of `python -m pipelines.cli ingest`, read from the Dagster event log of the running run.

While `execute_in_process` runs a day in the main thread, `RunEvents` polls the instance's event
log for that run (step starts, materializations, step ends) and hands each event to
`IngestProgress`, which prints one line per finished step with the counts from the asset's
materialization metadata and an estimate of the time left. On a terminal, rich also keeps a live
bar at the bottom; elsewhere (CI, log files) only the plain lines are written.

The estimate uses the mean duration of each step over the days already run and, before the first
day ends, over the last successful `ingest_job` runs recorded in the instance.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from statistics import fmean

import dagster as dg
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

STEP_EVENTS = {
    dg.DagsterEventType.STEP_START,
    dg.DagsterEventType.STEP_SUCCESS,
    dg.DagsterEventType.STEP_FAILURE,
    dg.DagsterEventType.ASSET_MATERIALIZATION,
}
HISTORY_RUNS = 3
MAX_COUNTS_SHOWN = 5


class RunEvents:
    """Hands every new step event of one run to `on_event`: from a thread while the run executes,
    then once more on the caller's thread after it ended, so that no event is missed."""

    def __init__(self, instance: dg.DagsterInstance, run_id: str, on_event: Callable[[dg.EventLogEntry], None],
                 interval_s: float = 0.2):
        self.instance, self.run_id, self.on_event, self.interval_s = instance, run_id, on_event, interval_s
        self._cursor: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name=f"events-{run_id[:8]}", daemon=True)

    def __enter__(self) -> RunEvents:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.poll()

    def _watch(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.poll()

    def poll(self) -> None:
        while True:
            page = self.instance.get_records_for_run(self.run_id, cursor=self._cursor, of_type=STEP_EVENTS, limit=100)
            for record in page.records:
                self.on_event(record.event_log_entry)
            if page.records:
                self._cursor = page.cursor
            if not page.has_more:
                return


@dataclass
class StageTimes:
    """Seconds each step took, per step key; the basis of the time-left estimate."""

    stages: Sequence[str]
    seconds: dict[str, list[float]] = field(default_factory=dict)

    @classmethod
    def from_history(cls, instance: dg.DagsterInstance, job_name: str, stages: Sequence[str]) -> StageTimes:
        times = cls(stages)
        records = instance.get_run_records(
            dg.RunsFilter(job_name=job_name, statuses=[dg.DagsterRunStatus.SUCCESS]), limit=HISTORY_RUNS
        )
        for record in records:
            for stat in instance.get_run_step_stats(record.dagster_run.run_id):
                if stat.start_time and stat.end_time and stat.step_key in stages:
                    times.add(stat.step_key, stat.end_time - stat.start_time)
        return times

    def add(self, stage: str, seconds: float) -> None:
        self.seconds.setdefault(stage, []).append(max(seconds, 0.0))

    def mean(self, stage: str) -> float | None:
        values = self.seconds.get(stage)
        return fmean(values) if values else None

    def left(self, done: set[str], running: str | None, running_for: float, days_after: int) -> float | None:
        """Seconds left: the steps of this day not done yet, then `days_after` whole days; None if a step was never timed."""
        means = {stage: self.mean(stage) for stage in self.stages}
        if any(m is None for m in means.values()):
            return None
        this_day = sum(means[s] for s in self.stages if s not in done and s != running)
        if running is not None:
            this_day += max(means[running] - running_for, 0.0)
        return this_day + days_after * sum(means.values())


def format_left(seconds: float | None) -> str:
    return "time left: estimating" if seconds is None else f"about {format_seconds(seconds)} left"


def format_seconds(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def format_counts(metadata: dict[str, dg.MetadataValue], asset_key: dg.AssetKey | None = None) -> str:
    """The integer counts of a materialization ('16 scrapes, 12 articles'); a table asset's
    `dagster/row_count` as '<n> <table>'; `rows_<table>` only when there is nothing else."""
    ints = [(key, value.value) for key, value in metadata.items() if isinstance(value, dg.IntMetadataValue)]
    row_count = dict(ints).get("dagster/row_count")
    if row_count is not None and asset_key is not None:
        return f"{row_count:,} {asset_key.path[-1].replace('_', ' ')}"
    plain = [(key, n) for key, n in ints if not key.startswith(("rows_", "dagster/"))]
    chosen = plain or [(key.removeprefix("rows_"), n) for key, n in ints if key.startswith("rows_")]
    return ", ".join(f"{n:,} {key.replace('_', ' ')}" for key, n in chosen[:MAX_COUNTS_SHOWN])


class _TimeLeftColumn(ProgressColumn):
    """The estimate, recomputed at every refresh so that it counts down during a long step."""

    def __init__(self, left: Callable[[], str]):
        super().__init__()
        self._left = left

    def render(self, task) -> Text:
        return Text(self._left())


class IngestProgress:
    """Lines per finished step (and a live bar on a terminal) for a sequence of day runs."""

    def __init__(self, console: Console, stages: Sequence[str], days: Sequence[str], times: StageTimes):
        self.console, self.stages, self.days, self.times = console, list(stages), list(days), times
        self._bar = Progress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("steps ·"), _TimeLeftColumn(lambda: self._left(self._running, time.time())),
            TimeElapsedColumn(), console=console, transient=True, disable=not console.is_terminal,
        )
        self._task = self._bar.add_task("", total=len(self.days) * len(self.stages))
        self._day_index = 0
        self._done: set[str] = set()
        self._started: dict[str, float] = {}
        self._counts: dict[str, list[str]] = {}  # per step: one entry per asset it materialized
        self._running: str | None = None

    def __enter__(self) -> IngestProgress:
        self._bar.start()
        return self

    def __exit__(self, *exc) -> None:
        self._bar.stop()

    @property
    def day(self) -> str:
        return self.days[self._day_index]

    def _left(self, running: str | None = None, now: float | None = None) -> str:
        running_for = (now - self._started.get(running, now)) if running and now else 0.0
        days_after = len(self.days) - self._day_index - 1
        return format_left(self.times.left(self._done, running, running_for, days_after))

    def day_started(self, index: int) -> None:
        self._day_index, self._done, self._started, self._counts, self._running = index, set(), {}, {}, None
        self.console.print(f"{self.day}  day {index + 1} of {len(self.days)}  ({self._left()})", highlight=False, markup=False)
        self._bar.update(self._task, completed=index * len(self.stages), description=f"{self.day} ({index + 1}/{len(self.days)})")

    def on_event(self, entry: dg.EventLogEntry) -> None:
        event = entry.dagster_event
        if event is None or event.step_key is None:
            return
        step = event.step_key
        if event.event_type == dg.DagsterEventType.STEP_START:
            self._started[step] = entry.timestamp
            self._running = step
            self._bar.update(self._task, description=f"{self.day} ({self._day_index + 1}/{len(self.days)}) {step}")
        elif event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
            materialization = event.step_materialization_data.materialization
            self._counts.setdefault(step, []).append(format_counts(materialization.metadata, materialization.asset_key))
        elif event.event_type in (dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE):
            seconds = entry.timestamp - self._started.get(step, entry.timestamp)
            ok = event.event_type == dg.DagsterEventType.STEP_SUCCESS
            if ok:
                self.times.add(step, seconds)
            self._done.add(step)
            self._running = None
            left = self._left()
            status = "ok" if ok else "FAILED"
            self.console.print(
                f"{self.day}  {step:<16} {status:<6} {seconds:6.1f} s  {self.counts(step)}"
                + (f"  ({left})" if ok else ""),
                highlight=False, markup=False,
            )
            self._bar.advance(self._task)

    def counts(self, step: str) -> str:
        """What the step materialized: its counts, or the first tables' row counts for the load."""
        parts = [part for part in self._counts.get(step, []) if part]
        shown = ", ".join(parts[:MAX_COUNTS_SHOWN])
        return shown + (f" (+{len(parts) - MAX_COUNTS_SHOWN} tables)" if len(parts) > MAX_COUNTS_SHOWN else "")

    def day_finished(self, message: str) -> None:
        self.console.print(f"{self.day}  {message}", highlight=False, markup=False)
        self._bar.update(self._task, completed=(self._day_index + 1) * len(self.stages))
