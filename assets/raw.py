"""raw_scrapes: every scrape of the day, byte for byte, into the lake.

Sources: the landing folder `<NEWS_SCRAPES_DIR>/<day>/`, plus the feeds, sitemaps, URL lists and
WARC files of the sources file named by NEWS_SOURCES (docs/sources.md). Every HTTP request goes to
the fetch log `lake/tables/fetch_log/partition_date=<day>/` (loaded into news.fetch_log), written
even when the step fails. A re-run of a day keeps the pages it already fetched and fetches only
what is new, unless the sources file sets `refetch: true`.
"""


from collections import Counter
from collections.abc import Iterator
from datetime import date
from glob import glob as glob_files
from itertools import chain
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from warehouse.lake import ParquetSink, chunked, iter_batches, stage_file, stage_history_glob, table_file, write_table
from warehouse.repair import repair_raw_stage
from assets.partitions import daily_partitions, partition_day
from newskit.landing import scan_landing_day
from newskit.records import RAW_SCRAPES_SCHEMA, raw_scrapes_to_arrow
from newskit.sources_config import SourcesConfig, SourcesConfigError, sources_config_from_env
from newskit.web_sources import FETCH_LOG_SCHEMA, SCRAPE_KIND, KnownPage, SourceRun, fetch_log_to_arrow, known_pages
from pipelines.settings import NewsSettings

WEB_KINDS = pa.array(sorted(set(SCRAPE_KIND.values())))


def _read_history(pattern: str, columns: str, day: date, include_day: bool, schema: pa.Schema) -> pa.Table:
    """Selected columns of every lake partition matching `pattern` (optionally without `day`)."""
    if not glob_files(pattern):
        return schema.empty_table()
    where = "" if include_day else "WHERE partition_date <> ?"
    con = duckdb.connect()
    try:
        sql = f"SELECT {columns} FROM read_parquet(?, hive_partitioning = false, union_by_name = true) {where}"
        return con.sql(sql, params=[pattern] + ([] if include_day else [day])).to_arrow_table()
    finally:
        con.close()


def _known_pages(lake: Path, day: date, refetch: bool) -> dict[str, KnownPage]:
    scrapes = _read_history(
        stage_history_glob(lake, "raw_scrapes"), "source, source_kind, url, fetched_at", day, not refetch,
        RAW_SCRAPES_SCHEMA,
    )
    log = _read_history(
        str(lake / "tables" / "fetch_log" / "partition_date=*" / "data.parquet"),
        "url, status, etag, last_modified, fetched_at", day, not refetch, FETCH_LOG_SCHEMA,
    )
    return known_pages(scrapes, log)


def _previous_web_rows(path: Path) -> Iterator[pa.RecordBatch]:
    """What an earlier run of this day fetched from the web (reused instead of fetched again)."""
    for batch in iter_batches(path):
        yield batch.filter(pc.is_in(batch["source_kind"], WEB_KINDS))


def _load_sources() -> SourcesConfig | None:
    try:
        return sources_config_from_env()
    except SourcesConfigError as exc:
        raise dg.Failure(f"NEWS_SOURCES: {exc}") from exc


@dg.asset(
    partitions_def=daily_partitions,
    group_name="ingest",
    check_specs=[dg.AssetCheckSpec("scrapes_present", asset="raw_scrapes", description="The day has at least one scrape")],
)
def raw_scrapes(context: dg.AssetExecutionContext, settings: NewsSettings):
    """Collect the day's scrapes from the landing folder and the sources file (NEWS_SOURCES)."""
    day = partition_day(context)
    root = settings.scrapes
    sources = _load_sources()
    if not root.is_dir() and sources is None:
        raise dg.Failure(
            f"NEWS_SCRAPES_DIR {root} does not exist. Create it with one sub-folder per day "
            f"(e.g. {root}/{day.isoformat()}/page.html) or point NEWS_SCRAPES_DIR at your landing folder."
        )
    refetch = sources is not None and sources.defaults.refetch
    kinds: Counter[str] = Counter()
    rejected: Counter[str] = Counter()
    total_bytes = 0
    reused = 0
    path = stage_file(settings.lake, "raw_scrapes", day)
    repair_raw_stage(settings.lake, settings.warehouse, day, log=context.log.warning)
    log_path = table_file(settings.lake, "fetch_log", day)
    run = SourceRun(sources, day, known=_known_pages(settings.lake, day, refetch)) if sources else None
    landing = scan_landing_day(root, day, settings.max_scrape_bytes) if root.is_dir() else iter(())
    try:
        with ParquetSink(path, RAW_SCRAPES_SCHEMA) as sink:
            if not refetch:
                for batch in _previous_web_rows(path):  # the old file stays until the sink closes
                    sink.write(batch)
                    reused += batch.num_rows
                    total_bytes += pc.sum(batch["bytes"]).as_py() or 0
            for chunk in chunked(chain(landing, run.scrapes() if run else ()), 64):
                sink.write(raw_scrapes_to_arrow(chunk))
                for scrape in chunk:
                    kinds[scrape.content_type] += 1
                    total_bytes += scrape.size
                    if scrape.reject_reason:
                        rejected[scrape.reject_reason] += 1
                context.log.info(f"{sink.rows} scrapes collected for {day}")
    finally:
        if run is not None:
            # Earlier attempts of this day stay in the log beside the new ones.
            previous = pq.read_table(log_path) if log_path.exists() else FETCH_LOG_SCHEMA.empty_table()
            write_table(log_path, pa.concat_tables([previous.cast(FETCH_LOG_SCHEMA), fetch_log_to_arrow(run.log)]))
    metadata = {
        "scrapes": sink.rows,
        "bytes": total_bytes,
        "by_content_type": dict(kinds),
        "rejected_at_source": dict(rejected),
        "day_folder": dg.MetadataValue.path(str(root / day.isoformat())),
        "lake_file": dg.MetadataValue.path(str(path)),
    }
    if run is not None:
        metadata |= {
            "sources_file": dg.MetadataValue.path(str(sources.path)),
            "web_pages_reused_from_earlier_run": reused,
            "web_and_warc_outcomes": dict(run.counts),
            "fetch_errors": dict(Counter(row["error"] for row in run.log if row["error"])),
            "fetch_log_rows": len(run.log),
            "source_problems": dg.MetadataValue.md("\n".join(f"- {p}" for p in run.problems) or "none"),
            "fetch_log_file": dg.MetadataValue.path(str(log_path)),
        }
        for problem in run.problems:
            context.log.warning(problem)
    yield dg.MaterializeResult(metadata=metadata)
    yield dg.AssetCheckResult(
        check_name="scrapes_present",
        passed=sink.rows > 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"scrapes": sink.rows, "day_folder": str(root / day.isoformat())},
        description=None if sink.rows else f"no scrapes for {day}: no landing files and no web or WARC scrapes for the day",
    )
