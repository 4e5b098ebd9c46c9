"""Command line: `python -m pipelines.cli ingest [DAY ...]` and `python -m pipelines.cli summary`.

`ingest` with no day runs every day folder found under NEWS_SCRAPES_DIR (the bundled sample by
default) through `ingest_job`, recording the runs in the Dagster instance at DAGSTER_HOME so that
they show in the UI, then prints a per-day summary of the warehouse.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

import dagster as dg

from pipelines.settings import NewsSettings, SettingsError
from warehouse.connection import connect

DAY_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}$")

SUMMARY_SQL = """
WITH days AS (
    SELECT partition_date FROM news.raw_scrapes GROUP BY ALL
)
SELECT d.partition_date,
       (SELECT count(*) FROM news.raw_scrapes r WHERE r.partition_date = d.partition_date) AS scrapes,
       (SELECT count(*) FROM news.articles a WHERE a.partition_date = d.partition_date) AS articles,
       (SELECT count(*) FROM news.quarantine q WHERE q.partition_date = d.partition_date) AS quarantined,
       (SELECT count(*) FROM news.quality_flags f WHERE f.partition_date = d.partition_date) AS flags,
       (SELECT count(*) FROM news.duplicates u WHERE u.partition_date = d.partition_date) AS duplicates
FROM days d ORDER BY d.partition_date
"""


def sample_days(scrapes: Path) -> list[str]:
    if not scrapes.is_dir():
        raise SettingsError(f"NEWS_SCRAPES_DIR {scrapes} does not exist: point it at a folder with one sub-folder per day")
    return sorted(p.name for p in scrapes.iterdir() if p.is_dir() and DAY_FOLDER.match(p.name))


def ingest(days: list[str], settings: NewsSettings) -> bool:
    from pipelines.definitions import defs

    job = defs.resolve_job_def("ingest_job")
    instance = dg.DagsterInstance.get()
    ok = True
    for day in days:
        date.fromisoformat(day)
        print(f"ingesting {day} ...", flush=True)
        result = job.execute_in_process(
            partition_key=day,
            instance=instance,
            resources={"settings": settings},
            run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
            raise_on_error=False,
        )
        if not result.success:
            ok = False
            print(f"  run {result.run_id} FAILED: see `dagster dev -w workspace.yaml` -> Runs", file=sys.stderr)
    return ok


def print_summary(settings: NewsSettings) -> None:
    if not settings.warehouse.exists():
        raise SettingsError(f"no warehouse at {settings.warehouse} yet: run `make run` or `python -m pipelines.cli ingest` first")
    con = connect(settings.warehouse, read_only=True)
    try:
        rows = con.execute(SUMMARY_SQL).fetchall()
    finally:
        con.close()
    header = ("day", "scrapes", "articles", "quarantined", "flags", "duplicates")
    print(f"\nwarehouse: {settings.warehouse}")
    print("  ".join(f"{h:>11}" for h in header))
    for row in rows:
        print("  ".join(f"{str(v):>11}" for v in row))


def forget(args: argparse.Namespace, settings: NewsSettings) -> int:
    """Remove scrapes of one named day on purpose (forget_scrapes_job), then re-extract the later days
    whose site templates were learnt from them; prints what it removes first."""
    from datetime import timedelta

    from assets.raw import ForgetScrapes, plan_forget
    from pipelines.definitions import defs
    from warehouse.lake import stage_file

    try:
        day = date.fromisoformat(args.day)
    except ValueError:
        raise SettingsError(f"{args.day!r} is not a day: name it as YYYY-MM-DD") from None
    request = ForgetScrapes(day=args.day, scrape_ids=args.scrape_id, sources=args.source, whole_day=args.whole_day)
    plan = plan_forget(settings, day, request)
    print(plan.summary(limit=50))
    if plan.problems:
        print("\n".join(f"error: {p}; nothing was changed" for p in plan.problems), file=sys.stderr)
        return 2
    if args.dry_run:
        print("dry run: nothing was changed")
        return 0
    quiet = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
    instance = dg.DagsterInstance.get()
    result = defs.resolve_job_def("forget_scrapes_job").execute_in_process(
        partition_key=args.day, instance=instance, resources={"settings": settings}, raise_on_error=False,
        run_config=quiet | {"ops": {"raw_scrapes": {"config": {"forget": request.model_dump()}}}},
    )
    if not result.success:
        print(f"run {result.run_id} FAILED: see `dagster dev -w workspace.yaml` -> Runs", file=sys.stderr)
        return 1
    print(f"forgotten; {day} now holds {plan.holdings.scrapes.num_rows - plan.forget.num_rows} scrapes")
    later = [day + timedelta(days=n) for n in range(1, settings.template_lookback_days + 1)]
    for other in (d for d in later if stage_file(settings.lake, "raw_scrapes", d).exists()):
        print(f"re-extracting {other} (its site templates were learnt from {day} too) ...", flush=True)
        rerun = defs.resolve_job_def("reextract_job").execute_in_process(
            partition_key=other.isoformat(), instance=instance, resources={"settings": settings},
            run_config=quiet, raise_on_error=False,
        )
        if not rerun.success:
            print(f"  run {rerun.run_id} FAILED: re-run reextract_job for {other}", file=sys.stderr)
            return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.cli", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("ingest", help="run ingest_job for the given days (default: every day folder)")
    run.add_argument("days", nargs="*", metavar="YYYY-MM-DD")
    sub.add_parser("summary", help="print articles, quarantined, flags and duplicates per day")
    drop = sub.add_parser("forget", help="remove scrapes of a day on purpose (no other command deletes a raw scrape)")
    drop.add_argument("day", metavar="YYYY-MM-DD", help="the day to change (always named)")
    drop.add_argument("--source", action="append", default=[], help="a source, file or folder as in news.raw_scrapes.source (repeatable)")
    drop.add_argument("--scrape-id", action="append", default=[], help="a scrape_id (repeatable)")
    drop.add_argument("--whole-day", action="store_true", help="forget every scrape of the day (empties it)")
    drop.add_argument("--dry-run", action="store_true", help="say what would be removed, change nothing")
    args = parser.parse_args(argv)
    try:
        settings = NewsSettings()
        if args.command == "forget":
            return forget(args, settings)
        if args.command == "ingest":
            ok = ingest(args.days or sample_days(settings.scrapes), settings)
            print_summary(settings)
            return 0 if ok else 1
        print_summary(settings)
        return 0
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
