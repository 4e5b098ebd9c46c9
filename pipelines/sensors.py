"""landing_sensor: run `ingest_job` for a complete day whose landing folder gained or changed files.

A day D (yesterday or earlier, UTC, inside the partitions) gets a run request when a file under
`<NEWS_SCRAPES_DIR>/D/` arrived (mtime or ctime) after the start of D's latest run that read the
landing folder, whoever launched it (this sensor, the nightly schedule, the UI, a backfill or
`python -m pipelines.cli ingest`), or when D has no such run at all. Nothing is requested while
that run is still queued or running (it reads the folder when it starts), for a folder without
files, or for files that were only removed (a re-run keeps the raw scrapes it has).

The nightly schedule and the sensor never both run the same unchanged day: yesterday is left to the
schedule until its tick (02:00 UTC) plus a grace period has passed without a run of the day; after
that run started, only files that arrive later make the sensor ask again.

The cursor maps each day to the fingerprint of its files and the signature of its folders
(newskit/landing_watch.py), so an unchanged day costs no run lookup, and the same fingerprint is
never requested twice (it is the run key). Work per tick is bounded: every day folder gets one
listing and a stat per sub-folder; whole-folder fingerprints (one stat per file) go first to days
whose folders changed or that are new to the cursor, then to the last RECENT_DAYS days, then to the
other days in rotation, until `settings.sensor_files_per_tick` files have been looked at.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import dagster as dg

from assets.partitions import day_folder_problem
from newskit.landing_watch import DayFingerprint, fingerprint_day, folder_signature
from pipelines.jobs import ingest_job, nightly_schedule
from pipelines.settings import NewsSettings

CURSOR_VERSION = 1
RECENT_DAYS = 7
SCHEDULE_GRACE = timedelta(minutes=15)
RAW_STEP = "raw_scrapes"
FINGERPRINT_TAG = "news/landing_fingerprint"


@dataclass(frozen=True)
class LandingRun:
    """The latest run of a day that read its landing folder."""

    run_id: str
    finished: bool
    started_at: float | None  # epoch seconds; None while queued


@dataclass
class LandingCursor:
    days: dict[str, tuple[str, str]] = field(default_factory=dict)  # day -> (fingerprint, folder signature)
    next_day: str = ""  # where the rotation over older days resumes

    @classmethod
    def parse(cls, text: str | None) -> LandingCursor:
        try:
            data = json.loads(text or "{}")
            if data.get("v") != CURSOR_VERSION:
                return cls()
            return cls({day: (fp, sig) for day, (fp, sig) in data["days"].items()}, data.get("next", ""))
        except (ValueError, TypeError, KeyError, AttributeError):
            return cls()  # a cursor edited by hand or from another version: every day is looked at again

    def dump(self) -> str:
        days = {day: list(self.days[day]) for day in sorted(self.days)}
        return json.dumps({"v": CURSOR_VERSION, "next": self.next_day, "days": days}, separators=(",", ":"))


@dataclass
class Evaluation:
    requests: list[tuple[str, DayFingerprint]]
    cursor: LandingCursor
    summary: str


def schedule_covers_until(day: date) -> datetime:
    """When the sensor takes over `day` from the nightly schedule if the schedule did not run it."""
    minute, hour = (int(part) for part in nightly_schedule.cron_schedule.split()[:2])
    return datetime.combine(day + timedelta(days=1), time(hour, minute), timezone.utc) + SCHEDULE_GRACE


def landing_days(root: Path, today: date) -> tuple[list[str], list[str]]:
    """(day folders that are runnable partitions, other folder names), both sorted."""
    days, other = [], []
    with os.scandir(root) as entries:
        for entry in entries:
            if entry.is_dir() and not entry.name.startswith("."):
                (other if day_folder_problem(entry.name, today) else days).append(entry.name)
    return sorted(days), sorted(other)


def scan_order(
    days: list[str], signatures: dict[str, str | None], cursor: LandingCursor, today: date
) -> tuple[list[str], set[str]]:
    """Days in the order to fingerprint them, and which of them are the rotation over older days.

    Changed or new days come first (newest first), then the last RECENT_DAYS days (late files
    usually come within days, often into an existing site folder that the signature does not see),
    then the older days from where the rotation stopped last tick.
    """
    changed = [d for d in reversed(days) if d not in cursor.days or cursor.days[d][1] != signatures[d]]
    recent_from = (today - timedelta(days=RECENT_DAYS)).isoformat()
    recent = [d for d in reversed(days) if d >= recent_from and d not in changed]
    older = [d for d in days if d < recent_from and d not in changed]
    rotation = [d for d in older if d >= cursor.next_day] + [d for d in older if d < cursor.next_day]
    return changed + recent + rotation, set(rotation)


def evaluate_landing(
    root: Path,
    cursor: LandingCursor,
    now: datetime,
    latest_run: Callable[[str], LandingRun | None],
    files_per_tick: int,
) -> Evaluation:
    """Which days to run now, and the next cursor (plain logic: the sensor passes the instance's runs in)."""
    today = now.date()
    days, other = landing_days(root, today)
    signatures = {day: folder_signature(root / day) for day in days}
    cursor = LandingCursor({d: v for d, v in cursor.days.items() if d in signatures}, cursor.next_day)
    order, rotation = scan_order(days, signatures, cursor, today)
    requests: list[tuple[str, DayFingerprint]] = []
    waiting: list[str] = []
    scanned = files = 0
    for day in order:
        if scanned and files >= files_per_tick:
            break
        fingerprint = fingerprint_day(root / day)
        scanned += 1
        files += fingerprint.files
        if day in rotation:
            cursor.next_day = (date.fromisoformat(day) + timedelta(days=1)).isoformat()
        known = cursor.days.get(day)
        decision = "skip" if known and known[0] == fingerprint.digest else decide(day, fingerprint, latest_run(day), now)
        if decision == "wait":
            waiting.append(day)
            continue
        if decision == "run":
            requests.append((day, fingerprint))
        cursor.days[day] = (fingerprint.digest, signatures[day])
    summary = f"{len(days)} day folders, {scanned} fingerprinted ({files} files): " + "; ".join(
        part for part in (
            f"run {', '.join(d for d, _ in requests)}" if requests else "nothing to run",
            f"waiting for a queued or running run or the nightly schedule: {', '.join(waiting)}" if waiting else "",
            f"not runnable days, ignored: {', '.join(other[:5])}{' ...' if len(other) > 5 else ''}" if other else "",
        ) if part
    )
    return Evaluation(requests, cursor, summary)


def decide(day: str, fingerprint: DayFingerprint, run: LandingRun | None, now: datetime) -> str:
    """'run', 'wait' (look again next tick) or 'skip' (these files are ingested, or there are none)."""
    if fingerprint.files == 0:
        return "skip"
    if run is None:
        return "wait" if now < schedule_covers_until(date.fromisoformat(day)) else "run"
    if not run.finished or run.started_at is None:
        return "wait"
    return "run" if fingerprint.newest_change > run.started_at else "skip"


def reads_landing(run: dg.DagsterRun) -> bool:
    """Whether a run executed raw_scrapes (reextract_job and re-executions from a later step do not)."""
    if run.step_keys_to_execute is not None:
        return RAW_STEP in run.step_keys_to_execute
    if run.asset_selection:
        return dg.AssetKey(RAW_STEP) in run.asset_selection
    return run.job_name == ingest_job.name


def latest_landing_run(instance: dg.DagsterInstance, day: str) -> LandingRun | None:
    records = instance.get_run_records(dg.RunsFilter(tags={"dagster/partition": day}), limit=25)
    for record in records:  # newest first
        run = record.dagster_run
        if reads_landing(run):
            started = record.start_time if record.start_time is not None else (
                record.create_timestamp.timestamp() if run.is_finished else None)
            return LandingRun(run.run_id, run.is_finished, started)
    return None


@dg.sensor(
    job=ingest_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "Runs ingest_job for a complete day (yesterday or earlier, UTC) when files arrive in its landing "
        "folder after its last run; late files for older days included. Leaves yesterday to the nightly "
        "schedule until 02:15 UTC."
    ),
)
def landing_sensor(context: dg.SensorEvaluationContext, settings: NewsSettings) -> dg.SensorResult:
    root = settings.scrapes
    if not root.is_dir():
        return dg.SensorResult(skip_reason=f"NEWS_SCRAPES_DIR {root} does not exist (mis-mounted?): nothing looked at")
    evaluation = evaluate_landing(
        root,
        LandingCursor.parse(context.cursor),
        datetime.now(timezone.utc),
        lambda day: latest_landing_run(context.instance, day),
        settings.sensor_files_per_tick,
    )
    requests = [
        dg.RunRequest(
            run_key=f"{day}:{fingerprint.digest}",
            partition_key=day,
            tags={FINGERPRINT_TAG: fingerprint.digest, "news/landing_files": str(fingerprint.files)},
        )
        for day, fingerprint in evaluation.requests
    ]
    context.log.info(evaluation.summary)
    return dg.SensorResult(
        run_requests=requests,
        cursor=evaluation.cursor.dump(),
        skip_reason=None if requests else evaluation.summary,
    )
