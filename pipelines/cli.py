"""Command line: `python -m pipelines.cli ingest [DAY ...]`, `summary` and `forget DAY ...`.

`ingest` with no day runs every day folder under NEWS_SCRAPES_DIR (the bundled sample by default)
that is a daily partition (NEWS_FIRST_DAY to yesterday, UTC) through `ingest_job`; other folders are
skipped with a warning. Runs are recorded in the Dagster instance at DAGSTER_HOME, so they show in
the UI. Progress per day and step comes from the run's own events (pipelines/progress.py); the
command ends with a summary table of the warehouse and exits 1 if any day failed, naming the day,
the failed step and the error.

Each subcommand is a `cmd_<name>(args, settings, console) -> exit code` registered in
`build_parser`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import dagster as dg
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from pipelines.progress import IngestProgress, RunEvents, StageTimes
from pipelines.settings import NewsSettings, SettingsError
from warehouse.connection import connect

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
NON_TTY_WIDTH = 160
SUMMARY_COLUMNS = ("scrapes", "articles", "quarantined", "flags", "duplicates")


@dataclass
class DayOutcome:
    day: str
    run_id: str
    success: bool
    seconds: float
    failed_step: str | None = None
    error: str | None = None


def landing_day_folders(scrapes: Path, today: date | None = None) -> tuple[list[str], list[tuple[str, str]]]:
    """(day folders to run, [(folder name, why it is skipped)]); plain files at the top are not scrapes and are ignored."""
    from assets.partitions import day_folder_problem

    if not scrapes.is_dir():
        raise SettingsError(f"NEWS_SCRAPES_DIR {scrapes} does not exist: point it at a folder with one sub-folder per day")
    days, skipped = [], []
    for path in sorted(scrapes.iterdir()):
        if not path.is_dir() or path.name.startswith("."):
            continue
        problem = day_folder_problem(path.name, today)
        if problem:
            skipped.append((path.name, problem))
        else:
            days.append(path.name)
    return days, skipped


def error_text(error) -> str:
    """'ExceptionType: message' of the innermost cause of a Dagster SerializableErrorInfo."""
    while error.cause is not None:
        error = error.cause
    head, _, rest = error.message.strip().partition(": ")
    if error.cls_name and head.split(".")[-1] == error.cls_name:  # 'dagster._core...Failure: x' -> 'Failure: x'
        return f"{error.cls_name}: {rest}"
    return f"{error.cls_name}: {error.message.strip()}" if error.cls_name else error.message.strip()


def failure_of(result: dg.ExecuteInProcessResult) -> tuple[str | None, str]:
    """The failed step and its error, from the run's events; the run's own failure message otherwise."""
    for event in result.get_step_failure_events():
        return event.step_key, error_text(event.step_failure_data.error)
    for event in result.all_events:
        if event.event_type == dg.DagsterEventType.RUN_FAILURE:
            return None, event.message or "the run failed"
    return None, "the run failed"


def ingest(days: list[str], settings: NewsSettings, console: Console,
           instance: dg.DagsterInstance | None = None) -> list[DayOutcome]:
    """Run ingest_job for each day in turn; a failed day never stops the others."""
    from pipelines.definitions import defs  # loads every asset module: only when a run is due

    job = defs.resolve_job_def("ingest_job")
    if instance is None:
        home = os.environ.get("DAGSTER_HOME")
        if not home or not Path(home).is_dir():
            raise SettingsError(
                f"DAGSTER_HOME {'is not set' if not home else f'{home} is not a folder'}: runs are recorded in the "
                "Dagster instance there (what the UI shows). Run through make (it creates <repo>/.dagster_home "
                "from dagster.yaml), or `mkdir -p .dagster_home && cp dagster.yaml .dagster_home/ && export DAGSTER_HOME=$PWD/.dagster_home`"
            )
        instance = dg.DagsterInstance.get()
    stages = [node.name for node in job.nodes_in_topological_order]
    outcomes = []
    with IngestProgress(console, stages, days, StageTimes.from_history(instance, job.name, stages)) as progress:
        for index, day in enumerate(days):
            progress.day_started(index)
            run_id = str(uuid.uuid4())
            started = time.monotonic()
            with RunEvents(instance, run_id, progress.on_event):
                result = job.execute_in_process(
                    partition_key=day,
                    instance=instance,
                    run_id=run_id,
                    resources={"settings": settings},
                    run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
                    raise_on_error=False,
                )
            outcome = DayOutcome(day, run_id, result.success, time.monotonic() - started)
            if result.success:
                progress.day_finished(f"loaded in {outcome.seconds:.1f} s")
            else:
                outcome.failed_step, outcome.error = failure_of(result)
                progress.day_finished(f"FAILED at {outcome.failed_step or 'run start'} (run {run_id})")
            outcomes.append(outcome)
    return outcomes


def summary_table(settings: NewsSettings, outcomes: list[DayOutcome] = ()) -> Table:
    """Per day in the warehouse (and per day run now): counts and, for days run now, how the run went."""
    rows: dict[str, tuple] = {}
    if settings.warehouse.exists():
        con = connect(settings.warehouse, read_only=True)
        try:
            rows = {str(day): counts for day, *counts in con.execute(SUMMARY_SQL).fetchall()}
        finally:
            con.close()
    ran = {o.day: o for o in outcomes}
    table = Table(title=Text(f"warehouse: {settings.warehouse}"), box=box.SIMPLE, title_justify="left")
    table.add_column("day")
    if outcomes:
        table.add_column("this run")
    for column in SUMMARY_COLUMNS:
        table.add_column(column, justify="right")
    for day in sorted(set(rows) | set(ran)):
        counts = [f"{n:,}" for n in rows[day]] if day in rows else ["-"] * len(SUMMARY_COLUMNS)
        status = []
        if outcomes:
            outcome = ran.get(day)
            status = [""] if outcome is None else [
                f"loaded ({outcome.seconds:.0f} s)" if outcome.success else f"FAILED at {outcome.failed_step or 'run start'}"]
        table.add_row(day, *status, *counts)
    return table


def cmd_ingest(args: argparse.Namespace, settings: NewsSettings, console: Console) -> int:
    # imported here, inside main's SettingsError handling: the partitions read NEWS_FIRST_DAY on import
    from assets.partitions import day_folder_problem, today_utc

    if args.days:
        bad = [(day, problem) for day in args.days if (problem := day_folder_problem(day))]
        if bad:
            raise SettingsError("; ".join(f"{day} is {problem}" for day, problem in bad))
        days = list(dict.fromkeys(args.days))
    else:
        days, skipped = landing_day_folders(settings.scrapes, today_utc())
        for name, problem in skipped:
            print(f"warning: skipping folder {settings.scrapes / name}: {problem}", file=sys.stderr)
        if not days:
            print(f"no day folders to ingest in {settings.scrapes}", file=sys.stderr)
    outcomes = ingest(days, settings, console)
    console.print(summary_table(settings, outcomes))
    failed = [o for o in outcomes if not o.success]
    for outcome in failed:
        print(f"error: {outcome.day} failed at step {outcome.failed_step or '(none: the run did not start)'}: "
              f"{outcome.error}  (run {outcome.run_id}: `dagster dev -w workspace.yaml` -> Runs)", file=sys.stderr)
    return 1 if failed else 0


def cmd_summary(args: argparse.Namespace, settings: NewsSettings, console: Console) -> int:
    if not settings.warehouse.exists():
        raise SettingsError(f"no warehouse at {settings.warehouse} yet: run `make run` or `python -m pipelines.cli ingest` first")
    console.print(summary_table(settings))
    return 0


def cmd_forget(args: argparse.Namespace, settings: NewsSettings, console: Console) -> int:
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
        step, error = failure_of(result)
        print(f"error: forget failed at step {step or '(none)'}: {error} (run {result.run_id}); nothing was changed", file=sys.stderr)
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
            step, error = failure_of(rerun)
            print(f"error: re-extracting {other} failed at step {step or '(none)'}: {error} (run {rerun.run_id}): "
                  f"re-run `reextract_job` for {other}", file=sys.stderr)
            return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipelines.cli", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    ingest_parser = sub.add_parser("ingest", help="run ingest_job for the given days (default: every day folder in the partitions)")
    ingest_parser.add_argument("days", nargs="*", metavar="YYYY-MM-DD")
    ingest_parser.set_defaults(handler=cmd_ingest)
    summary_parser = sub.add_parser("summary", help="print scrapes, articles, quarantined, flags and duplicates per day")
    summary_parser.set_defaults(handler=cmd_summary)
    drop = sub.add_parser("forget", help="remove scrapes of a day on purpose (no other command deletes a raw scrape)")
    drop.add_argument("day", metavar="YYYY-MM-DD", help="the day to change (always named)")
    drop.add_argument("--source", action="append", default=[], help="a source, file or folder as in news.raw_scrapes.source (repeatable)")
    drop.add_argument("--scrape-id", action="append", default=[], help="a scrape_id (repeatable)")
    drop.add_argument("--whole-day", action="store_true", help="forget every scrape of the day (empties it)")
    drop.add_argument("--dry-run", action="store_true", help="say what would be removed, change nothing")
    drop.set_defaults(handler=cmd_forget)
    return parser


def main(argv: list[str] | None = None, console: Console | None = None) -> int:
    args = build_parser().parse_args(argv)
    if console is None:
        console = Console(highlight=False, soft_wrap=True)
        if not console.is_terminal:
            console.width = NON_TTY_WIDTH  # logs: a table at rich's 80-column default would wrap its cells
    try:
        return args.handler(args, NewsSettings.from_env(), console)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
