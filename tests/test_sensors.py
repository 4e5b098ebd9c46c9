"""The landing sensor on real folders and a real (temporary) Dagster instance."""

from __future__ import annotations

import json
import os
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import dagster as dg
import pytest

from newskit.landing_watch import DayFingerprint, fingerprint_day, folder_signature
from pipelines.definitions import defs
from pipelines.sensors import (
    FINGERPRINT_TAG,
    LandingCursor,
    LandingRun,
    decide,
    evaluate_landing,
    landing_sensor,
    latest_landing_run,
    reads_landing,
    schedule_covers_until,
)
from pipelines.settings import NewsSettings

OLD_DAY = "2026-02-03"
OLDER_DAY = "2026-01-20"
PAGE = "<html><head><title>Harbour wall repaired</title></head><body><p>{}</p></body></html>"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PAGE.format(text), encoding="utf-8")
    return path


@pytest.fixture
def instance():
    with dg.instance_for_test() as inst:
        yield inst


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    root = tmp_path / "scrapes"
    write(root / OLD_DAY / "harbour.example" / "wall.html", "The harbour wall was repaired on Monday.")
    write(root / OLDER_DAY / "harbour.example" / "ferry.html", "The ferry timetable changes next week.")
    return root


@pytest.fixture
def settings(tmp_path: Path, landing: Path) -> NewsSettings:
    return NewsSettings(scrapes_dir=str(landing), warehouse_path=str(tmp_path / "wh" / "warehouse.duckdb"))


def tick(instance, settings: NewsSettings, cursor: str | None = None) -> dg.SensorResult:
    context = dg.build_sensor_context(instance=instance, cursor=cursor, resources={"settings": settings})
    return landing_sensor(context)


def ingest_raw(instance, settings: NewsSettings, day: str) -> dg.ExecuteInProcessResult:
    """A real run that reads the landing folder (only raw_scrapes, to stay fast)."""
    result = dg.materialize(list(defs.assets), selection=[dg.AssetKey("raw_scrapes")], partition_key=day,
                            instance=instance, resources={"settings": settings})
    assert result.success
    return result


def requested(result: dg.SensorResult) -> dict[str, dg.RunRequest]:
    return {r.partition_key: r for r in result.run_requests or []}


def test_sensor_is_registered_and_on_by_default():
    sensor = defs.resolve_sensor_def("landing_sensor")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    assert sensor.job_name == "ingest_job"


def test_days_never_run_are_requested_once(instance, settings: NewsSettings, landing: Path):
    first = tick(instance, settings)
    runs = requested(first)
    assert set(runs) == {OLD_DAY, OLDER_DAY}
    fingerprint = fingerprint_day(landing / OLD_DAY)
    assert runs[OLD_DAY].run_key == f"{OLD_DAY}:{fingerprint.digest}"
    assert runs[OLD_DAY].tags[FINGERPRINT_TAG] == fingerprint.digest
    again = tick(instance, settings, first.cursor)
    assert not again.run_requests and "nothing to run" in str(again.skip_reason)


def test_days_already_run_are_not_run_again_and_new_files_are(instance, settings: NewsSettings, landing: Path):
    ingest_raw(instance, settings, OLD_DAY)
    ingest_raw(instance, settings, OLDER_DAY)
    first = tick(instance, settings)  # a new cursor: the runs of both days started after their files
    assert not first.run_requests, first.skip_reason

    write(landing / OLD_DAY / "harbour.example" / "late.html", "A late story about the harbour wall.")
    second = requested(tick(instance, settings, first.cursor))
    assert set(second) == {OLD_DAY}
    assert second[OLD_DAY].run_key == f"{OLD_DAY}:{fingerprint_day(landing / OLD_DAY).digest}"


def test_late_file_deep_in_an_old_day_is_found_by_the_rotation(instance, settings: NewsSettings, landing: Path):
    ingest_raw(instance, settings, OLDER_DAY)
    ingest_raw(instance, settings, OLD_DAY)
    cursor = tick(instance, settings).cursor
    # two levels down: neither the day folder's nor the site folder's mtime changes
    nested = landing / OLDER_DAY / "harbour.example" / "2026"
    nested.mkdir()
    signature = folder_signature(landing / OLDER_DAY)
    write(nested / "late.html", "A page filed a month late.")
    assert folder_signature(landing / OLDER_DAY) == signature
    result = tick(instance, settings, cursor)
    assert set(requested(result)) == {OLDER_DAY}


def test_edited_file_is_a_change_and_a_removed_one_is_not(instance, settings: NewsSettings, landing: Path):
    page = landing / OLD_DAY / "harbour.example" / "wall.html"
    extra = write(landing / OLD_DAY / "harbour.example" / "extra.html", "Another story.")
    ingest_raw(instance, settings, OLD_DAY)
    ingest_raw(instance, settings, OLDER_DAY)
    cursor = tick(instance, settings).cursor
    extra.unlink()
    removed = tick(instance, settings, cursor)
    assert not removed.run_requests, "a removed file alone is no reason to re-run (raw scrapes are kept)"
    time.sleep(0.01)
    page.write_text(PAGE.format("The harbour wall was repaired on Tuesday, not Monday."), encoding="utf-8")
    assert set(requested(tick(instance, settings, removed.cursor))) == {OLD_DAY}


def test_today_and_folders_outside_the_partitions_are_never_requested(instance, settings: NewsSettings, landing: Path):
    today = datetime.now(timezone.utc).date().isoformat()
    for name in (today, "1969-12-31", "2026-02-30", "not-a-day"):
        write(landing / name / "page.html", "Something happened.")
    result = tick(instance, settings)
    assert set(requested(result)) == {OLD_DAY, OLDER_DAY}
    cursor = json.loads(result.cursor)
    assert set(cursor["days"]) == {OLD_DAY, OLDER_DAY}


def test_a_queued_or_running_run_makes_the_sensor_wait(instance, settings: NewsSettings, landing: Path):
    ingest_raw(instance, settings, OLD_DAY)
    run = latest_landing_run(instance, OLD_DAY)
    assert run is not None and run.finished and run.started_at is not None
    fingerprint = fingerprint_day(landing / OLD_DAY)
    assert fingerprint.newest_change < run.started_at
    now = datetime.now(timezone.utc)
    assert decide(OLD_DAY, fingerprint, run, now) == "skip"
    assert decide(OLD_DAY, fingerprint, LandingRun("queued", finished=False, started_at=None), now) == "wait"
    running = LandingRun("running", finished=False, started_at=fingerprint.newest_change - 60)
    assert decide(OLD_DAY, fingerprint, running, now) == "wait"


def test_yesterday_is_left_to_the_nightly_schedule_until_its_tick_has_passed():
    yesterday = date(2026, 3, 14)
    files = DayFingerprint("abc", files=3, newest_change=datetime(2026, 3, 14, 20, tzinfo=timezone.utc).timestamp())
    assert schedule_covers_until(yesterday) == datetime(2026, 3, 15, 2, 15, tzinfo=timezone.utc)
    at_one = datetime(2026, 3, 15, 1, 0, tzinfo=timezone.utc)
    assert decide("2026-03-14", files, None, at_one) == "wait"
    assert decide("2026-03-14", files, None, at_one + timedelta(hours=2)) == "run"
    # the schedule's run started at 02:00 and read these files: nothing more to do
    schedule_run = LandingRun("nightly", finished=True, started_at=datetime(2026, 3, 15, 2, 0, 5, tzinfo=timezone.utc).timestamp())
    assert decide("2026-03-14", files, schedule_run, at_one + timedelta(hours=2)) == "skip"
    late = DayFingerprint("abd", files=4, newest_change=datetime(2026, 3, 15, 9, tzinfo=timezone.utc).timestamp())
    assert decide("2026-03-14", late, schedule_run, datetime(2026, 3, 15, 9, 1, tzinfo=timezone.utc)) == "run"
    empty = DayFingerprint("e3b0", files=0, newest_change=0.0)
    assert decide("2026-03-10", empty, None, at_one) == "skip"


def test_work_per_tick_is_bounded_and_the_rotation_covers_every_day(tmp_path: Path):
    root = tmp_path / "scrapes"
    days = [(date(2025, 1, 1) + timedelta(days=i)).isoformat() for i in range(30)]
    for day in days:
        for n in range(3):
            write(root / day / f"page{n}.html", f"Story {n} of {day}.")
    now = datetime(2026, 3, 15, 12, tzinfo=timezone.utc)
    never_run = lambda day: None  # noqa: E731
    cursor = LandingCursor()
    seen: set[str] = set()
    for _ in range(6):  # 30 new days, 3 files each, 15 files a tick: five ticks see them all
        evaluation = evaluate_landing(root, cursor, now, never_run, files_per_tick=15)
        assert len(evaluation.requests) <= 5
        seen |= {day for day, _ in evaluation.requests}
        cursor = evaluation.cursor
    assert seen == set(days)
    assert set(cursor.days) == set(days)

    # an in-place edit two levels down in an old day (no folder mtime changes): the rotation finds it
    target = root / days[3] / "page1.html"
    nested = root / days[3] / "a" / "b"
    nested.mkdir(parents=True)
    cursor = evaluate_landing(root, cursor, now, never_run, 15).cursor  # the new folders are seen
    before = os.stat(target)
    write(nested / "late.html", "late")
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))
    found: set[str] = set()
    for _ in range(7):
        evaluation = evaluate_landing(root, cursor, now, never_run, files_per_tick=15)
        found |= {day for day, _ in evaluation.requests}
        cursor = evaluation.cursor
    assert found == {days[3]}


def test_cursor_survives_a_bad_value_and_drops_vanished_days(tmp_path: Path):
    assert LandingCursor.parse("not json").days == {}
    assert LandingCursor.parse('{"v": 99, "days": {}}').days == {}
    root = tmp_path / "scrapes"
    write(root / OLD_DAY / "a.html", "x")
    cursor = LandingCursor({"2020-01-01": ("ffff", "ffff")})
    evaluation = evaluate_landing(root, cursor, datetime(2026, 3, 15, tzinfo=timezone.utc), lambda d: None, 100)
    assert set(LandingCursor.parse(evaluation.cursor.dump()).days) == {OLD_DAY}


def test_only_runs_that_read_the_landing_folder_count(instance, settings: NewsSettings):
    ingest_raw(instance, settings, OLD_DAY)
    record = instance.get_run_records(dg.RunsFilter(tags={"dagster/partition": OLD_DAY}), limit=1)[0]
    assert reads_landing(record.dagster_run)
    reextract = dg.DagsterRun(job_name="reextract_job", run_id="r1", tags={"dagster/partition": OLD_DAY})
    assert not reads_landing(reextract)
    from_failure = dg.DagsterRun(job_name="ingest_job", run_id="r2", step_keys_to_execute=["nlp", "quality"])
    assert not reads_landing(from_failure)
    assert reads_landing(dg.DagsterRun(job_name="ingest_job", run_id="r3"))
