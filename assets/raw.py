"""raw_scrapes: every scrape of the day, byte for byte, into the lake. Raw scrapes are facts.

Sources: the landing folder `<NEWS_SCRAPES_DIR>/<day>/`, plus the feeds, sitemaps, URL lists and
WARC files of the sources file (setting sources_file, NEWS_SOURCES; docs/sources.md). Every HTTP request goes to
the fetch log `lake/tables/fetch_log/partition_date=<day>/` (loaded into news.fetch_log), written
even when the step fails.

A scrape is its origin and content (`scrape_id`). A re-run of a day adds the scrapes that are new
or changed and keeps every scrape the day already holds, whatever happened to its file since; a web
page whose bytes did not change is not stored again. Only `forget_scrapes_job` (config `forget`)
removes scrapes. A day that holds scrapes from its landing folder while that folder is now missing
or empty fails the blocking check `landing_folder_present` and changes nothing.
"""


from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from itertools import chain
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pydantic import Field

from warehouse.lake import ParquetSink, chunked, history_files, iter_batches, stage_file, table_file, write_table
from warehouse.repair import repair_raw_stage
from assets.partitions import daily_check, daily_partitions, partition_day
from newskit.isolation import RecordGuard
from newskit.landing import scan_landing_day
from newskit.records import RAW_SCRAPES_SCHEMA, RawScrape, raw_scrapes_to_arrow
from newskit.sources_config import SourcesConfig, SourcesConfigError, load_sources_config
from newskit.web_sources import FETCH_LOG_SCHEMA, KnownPage, SourceRun, fetch_log_to_arrow, known_pages
from pipelines.settings import NewsSettings

FORGET_JOB = "forget_scrapes_job"
HELD_COLUMNS = ["scrape_id", "source", "source_kind"]


class ForgetScrapes(dg.Config):
    """What forget_scrapes_job removes from a day (README "Re-runs and removing scrapes")."""

    day: str = Field(description="The day to change (YYYY-MM-DD); it must be the partition of the run.")
    scrape_ids: list[str] = Field(default=[], description="scrape_id values to forget.")
    sources: list[str] = Field(
        default=[],
        description="Sources to forget, as in news.raw_scrapes.source: a file (`2026-03-14/a.html`; a .jsonl or "
        ".warc file means all its lines or records), a folder (`2026-03-14/example.org`) or a URL.",
    )
    whole_day: bool = Field(default=False, description="Forget every scrape of the day (empties it).")


class RawScrapesConfig(dg.Config):
    forget: ForgetScrapes | None = Field(
        default=None, description=f"Only for {FORGET_JOB}: remove these scrapes instead of collecting the day."
    )

LOGGED_REJECTS = {"not_regular_file", "symlink_loop", "unreadable", "not_warc", "internal_error"}


def _read_history(files: list[str], columns: str, day: date, include_day: bool, schema: pa.Schema) -> pa.Table:
    """Selected columns of the given day files of the lake (optionally without `day`)."""
    if not files:
        return schema.empty_table()
    where = "" if include_day else "WHERE partition_date <> ?"
    con = duckdb.connect()
    try:
        sql = f"SELECT {columns} FROM read_parquet(?, hive_partitioning = false, union_by_name = true) {where}"
        return con.sql(sql, params=[files] + ([] if include_day else [day])).to_arrow_table()
    finally:
        con.close()


def _known_pages(lake: Path, day: date, refetch: bool) -> dict[str, KnownPage]:
    scrapes = _read_history(
        history_files(lake, "raw_scrapes"), "source, source_kind, url, fetched_at, sha256", day, not refetch,
        RAW_SCRAPES_SCHEMA,
    )
    log = _read_history(
        history_files(lake, "fetch_log", kind="tables"),
        "url, purpose, status, error, etag, last_modified, fetched_at", day, not refetch, FETCH_LOG_SCHEMA,
    )
    return known_pages(scrapes, log)


def _load_sources(settings: NewsSettings) -> SourcesConfig | None:
    """The sources file of the settings (sources_file, NEWS_SOURCES), or None: the landing folder only."""
    if settings.sources is None:
        return None
    try:
        return load_sources_config(settings.sources, max_raw_bytes=settings.max_raw_bytes)
    except SourcesConfigError as exc:
        raise dg.Failure(f"sources_file (NEWS_SOURCES): {exc}") from exc


def _from_landing(day: date, source: str, source_kind: str) -> bool:
    """Landing scrapes: files, JSONL lines and WARC records under the day folder."""
    return source_kind == "landing" or (source_kind == "warc" and source.startswith(f"{day.isoformat()}/"))


@dataclass
class DayHoldings:
    """What the lake holds for a day: its raw scrapes and the articles its last load staged."""

    scrapes: pa.Table  # HELD_COLUMNS
    articles: int
    day: date

    @property
    def landing_sources(self) -> dict[str, str]:
        return {
            sid: source
            for sid, source, kind in zip(*(self.scrapes[c].to_pylist() for c in HELD_COLUMNS))
            if _from_landing(self.day, source, kind)
        }

    def describe(self) -> str:
        kinds = Counter(self.scrapes["source_kind"].to_pylist())
        by_kind = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        return f"{self.scrapes.num_rows} scrapes ({by_kind or 'none'}) and {self.articles} articles"


def day_holdings(lake: Path, day: date) -> DayHoldings:
    raw, articles = stage_file(lake, "raw_scrapes", day), table_file(lake, "articles", day)
    scrapes = pq.read_table(raw, columns=HELD_COLUMNS) if raw.exists() else RAW_SCRAPES_SCHEMA.empty_table().select(HELD_COLUMNS)
    return DayHoldings(scrapes, pq.ParquetFile(articles).metadata.num_rows if articles.exists() else 0, day)


def _source_matches(source: str, selector: str) -> bool:
    """A selector names a source, a folder of sources, or a file whose JSONL lines (`:n`) or WARC
    records (`@offset`) are the sources."""
    selector = selector.rstrip("/")
    if source == selector or source.startswith(selector + "/"):
        return True
    rest = source[len(selector) + 1 :]
    return source.startswith(selector) and source[len(selector) : len(selector) + 1] in (":", "@") and rest.isdigit()


@dataclass
class ForgetPlan:
    """The scrapes a forget request removes from a day, and why it may not run."""

    holdings: DayHoldings
    forget: pa.Table  # HELD_COLUMNS of the scrapes to remove
    articles: int  # articles staged for those scrapes
    problems: list[str]

    def summary(self, limit: int = 20) -> str:
        day = self.holdings.day
        kinds = Counter(self.forget["source_kind"].to_pylist())
        sources = sorted(self.forget["source"].to_pylist())
        listed = "".join(f"\n  {s}" for s in sources[:limit]) + (f"\n  ... and {len(sources) - limit} more" if len(sources) > limit else "")
        by_kind = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        return (
            f"forget {self.forget.num_rows} of the {self.holdings.scrapes.num_rows} scrapes of {day} "
            f"({by_kind or 'none'}), which hold {self.articles} of its {self.holdings.articles} articles:{listed}"
        )


def plan_forget(settings: NewsSettings, day: date, request: ForgetScrapes) -> ForgetPlan:
    """Which scrapes `request` names; problems when it names no day, the wrong day, unknown scrapes,
    nothing at all, or files still in the landing folder (the next run of the day would add them again)."""
    holdings = day_holdings(settings.lake, day)
    scrapes = holdings.scrapes
    problems = []
    if request.day != day.isoformat():
        problems.append(f"the config names day {request.day!r} but the run is for partition {day}: name the same day")
    selectors = bool(request.scrape_ids or request.sources)
    if selectors == request.whole_day:
        problems.append("give scrape_ids and/or sources to forget, or whole_day: true to empty the day (not both)")
    ids, sources = scrapes["scrape_id"].to_pylist(), scrapes["source"].to_pylist()
    chosen = [request.whole_day or sid in request.scrape_ids or any(_source_matches(src, s) for s in request.sources)
              for sid, src in zip(ids, sources)]
    problems += [f"scrape_id {s} is not a scrape of {day}" for s in request.scrape_ids if s not in ids]
    problems += [f"source {s} matches no scrape of {day}" for s in request.sources if not any(_source_matches(src, s) for src in sources)]
    forget = scrapes.filter(pa.array(chosen, pa.bool_()))
    if forget.num_rows == 0 and not problems:
        problems.append(f"{day} holds no scrapes: nothing to forget")
    landed = {s.scrape_id: s.source for s in scan_landing_day(settings.scrapes, day, settings.limits.max_raw_bytes, RecordGuard("landing"))} if settings.scrapes.is_dir() else {}
    still = sorted(landed[sid] for sid in forget["scrape_id"].to_pylist() if sid in landed)
    if still:
        problems.append(
            f"{len(still)} of these scrapes are still in the landing folder, so the next run of {day} would add them "
            f"again: move or delete {', '.join(still[:5])}{' ...' if len(still) > 5 else ''} first"
        )
    articles_file = table_file(settings.lake, "articles", day)
    staged = pq.read_table(articles_file, columns=["scrape_id"])["scrape_id"].to_pylist() if articles_file.exists() else []
    forgotten = set(forget["scrape_id"].to_pylist())
    articles = sum(sid in forgotten for sid in staged)
    return ForgetPlan(holdings, forget, articles, problems)


def _forget(context: dg.AssetExecutionContext, settings: NewsSettings, day: date, request: ForgetScrapes):
    plan = plan_forget(settings, day, request)
    if plan.problems:
        raise dg.Failure(f"{FORGET_JOB} changed nothing: " + "; ".join(plan.problems))
    path = stage_file(settings.lake, "raw_scrapes", day)
    gone = plan.forget["scrape_id"].combine_chunks()
    with ParquetSink(path, RAW_SCRAPES_SCHEMA) as sink:
        for batch in iter_batches(path):
            sink.write(batch.filter(pc.invert(pc.is_in(batch["scrape_id"], value_set=gone))))
    context.log.warning(plan.summary(limit=200))
    lookback = settings.template_lookback_days
    yield dg.MaterializeResult(
        metadata={
            "scrapes": sink.rows,
            "forgotten_scrapes": plan.forget.num_rows,
            "forgotten_by_kind": dict(Counter(plan.forget["source_kind"].to_pylist())),
            "forgotten_articles": plan.articles,
            "forgotten": dg.MetadataValue.md(plan.summary(limit=200)),
            "reextract_next": f"{lookback} days after {day} learn site templates from this day: re-extract them "
            "with reextract_job (the CLI `forget` does)" if lookback else "none",
            "lake_file": dg.MetadataValue.path(str(path)),
        }
    )
    yield from _checks(sink.rows, settings.scrapes / day.isoformat(), None)


def _checks(scrapes: int, folder: Path, blocked: str | None):
    yield dg.AssetCheckResult(
        check_name="scrapes_present",
        passed=scrapes > 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"scrapes": scrapes, "day_folder": str(folder)},
        description=None if scrapes else "no scrapes: no landing files and no web or WARC scrapes for the day",
    )
    yield dg.AssetCheckResult(
        check_name="landing_folder_present",
        passed=blocked is None,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"day_folder": str(folder)},
        description=blocked,
    )


def _unseen(batch: pa.RecordBatch | pa.Table, seen: set[str]) -> pa.RecordBatch | pa.Table:
    """Rows whose scrape_id is not in `seen` (first occurrence wins); adds them to `seen`."""
    keep = []
    for sid in batch["scrape_id"].to_pylist():
        keep.append(sid not in seen)
        seen.add(sid)
    return batch.filter(pa.array(keep, pa.bool_()))


@dg.asset(
    partitions_def=daily_partitions,
    group_name="ingest",
    output_required=False,
    check_specs=[
        daily_check("scrapes_present", asset="raw_scrapes", description="The day has at least one scrape"),
        daily_check(
            "landing_folder_present", asset="raw_scrapes", blocking=True,
            description="A day that holds scrapes from its landing folder still has that folder: a missing or empty "
            "folder fails the run and changes nothing (emptying a day takes forget_scrapes_job)",
        ),
    ],
)
def raw_scrapes(context: dg.AssetExecutionContext, settings: NewsSettings, config: RawScrapesConfig):
    """Add the day's new scrapes from the landing folder and the sources file (sources_file) to those it holds."""
    day = partition_day(context)
    if config.forget is not None:
        yield from _forget(context, settings, day, config.forget)
        return
    if context.job_name == FORGET_JOB:
        raise dg.Failure(f"{FORGET_JOB} needs ops.raw_scrapes.config.forget: the day and what to forget; nothing was changed")
    root = settings.scrapes
    folder = root / day.isoformat()
    sources = _load_sources(settings)
    if not root.is_dir() and sources is None:
        raise dg.Failure(
            f"NEWS_SCRAPES_DIR {root} does not exist. Create it with one sub-folder per day "
            f"(e.g. {folder}/page.html) or point NEWS_SCRAPES_DIR at your landing folder."
        )
    held = day_holdings(settings.lake, day)
    earlier_landing = held.landing_sources
    guard = RecordGuard("landing")
    landing: Iterator[RawScrape] = scan_landing_day(root, day, settings.limits.max_raw_bytes, guard) if root.is_dir() else iter(())
    first = next(landing, None)
    if first is None and earlier_landing:
        state = "missing" if not folder.is_dir() else "empty"
        blocked = (
            f"The landing folder {folder} is {state}, but the lake holds {held.describe()} for {day}, "
            f"{len(earlier_landing)} of the scrapes from that folder. Nothing was changed. If the folder is not mounted "
            f"or a delivery is late, restore it and re-run; to empty the day on purpose run "
            f"`python -m pipelines.cli forget {day} --whole-day` ({FORGET_JOB})."
        )
        context.log.error(blocked)
        yield from _checks(held.scrapes.num_rows, folder, blocked)
        return
    landing = chain([first], landing) if first is not None else landing
    refetch = sources is not None and sources.defaults.refetch
    kinds: Counter[str] = Counter()
    rejected: Counter[str] = Counter()
    new_bytes = 0
    seen: set[str] = set()
    landed: set[str] = set()
    path = stage_file(settings.lake, "raw_scrapes", day)
    repair_raw_stage(settings.lake, settings.warehouse, day, log=context.log.warning)
    log_path = table_file(settings.lake, "fetch_log", day)
    run = SourceRun(sources, day, known=_known_pages(settings.lake, day, refetch)) if sources else None
    try:
        with ParquetSink(path, RAW_SCRAPES_SCHEMA) as sink:
            for batch in iter_batches(path):  # the facts the day holds; the old file stays until the sink closes
                sink.write(_unseen(batch, seen))
            kept = sink.rows
            for chunk in chunked(chain(landing, run.scrapes() if run else ()), 64):
                landed.update(s.scrape_id for s in chunk if _from_landing(day, s.source, s.source_kind))
                new = [s for s in chunk if s.scrape_id not in seen]
                seen.update(s.scrape_id for s in new)
                sink.write(raw_scrapes_to_arrow(new))
                for scrape in new:
                    kinds[scrape.content_type] += 1
                    new_bytes += scrape.size
                    if scrape.reject_reason:
                        rejected[scrape.reject_reason] += 1
                        if scrape.reject_reason in LOGGED_REJECTS:
                            context.log.warning(f"{scrape.source}: {scrape.reject_detail} ({scrape.reject_reason})")
                context.log.info(f"{sink.rows} scrapes for {day} ({sink.rows - kept} new)")
    finally:
        if run is not None:
            # Earlier attempts of this day stay in the log beside the new ones.
            previous = pq.read_table(log_path) if log_path.exists() else FETCH_LOG_SCHEMA.empty_table()
            write_table(log_path, pa.concat_tables([previous.cast(FETCH_LOG_SCHEMA), fetch_log_to_arrow(run.log)]))
    gone = sorted(source for sid, source in earlier_landing.items() if sid not in landed)
    if gone:
        context.log.warning(
            f"{len(gone)} scrapes of {day} are no longer in {folder} as they were (removed or edited files); they are "
            f"kept. To remove them: python -m pipelines.cli forget {day} --source ... First: {', '.join(gone[:10])}"
        )
    metadata = {
        "scrapes": sink.rows,
        "new_scrapes": sink.rows - kept,
        "kept_from_earlier_runs": kept,
        "kept_but_gone_from_folder": len(gone),
        "new_bytes": new_bytes,
        "new_by_content_type": dict(kinds),
        "new_rejected_at_source": dict(rejected),
        "day_folder": dg.MetadataValue.path(str(folder)),
        **guard.metadata(),
        "lake_file": dg.MetadataValue.path(str(path)),
    }
    if gone:
        metadata["gone_from_folder"] = dg.MetadataValue.md("\n".join(f"- {s}" for s in gone[:200]))
    if run is not None:
        metadata |= {
            "sources_file": dg.MetadataValue.path(str(sources.path)),
            "web_and_warc_outcomes": dict(run.counts),
            "fetch_errors": dict(Counter(row["error"] for row in run.log if row["error"])),
            "fetch_log_rows": len(run.log),
            "source_problems": dg.MetadataValue.md("\n".join(f"- {p}" for p in run.problems) or "none"),
            "fetch_log_file": dg.MetadataValue.path(str(log_path)),
        }
        for problem in run.problems:
            context.log.warning(problem)
    yield dg.MaterializeResult(metadata=metadata)
    yield from _checks(sink.rows, folder, None)
