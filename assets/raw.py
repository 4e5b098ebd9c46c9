"""raw_scrapes: every scrape of the day, byte for byte, into the lake."""


from collections import Counter

import dagster as dg

from assets.lake import ParquetSink, chunked, stage_file
from assets.partitions import daily_partitions, partition_day
from newskit.landing import scan_landing_day
from newskit.records import RAW_SCRAPES_SCHEMA, raw_scrapes_to_arrow
from pipelines.settings import NewsSettings


@dg.asset(
    partitions_def=daily_partitions,
    group_name="ingest",
    check_specs=[dg.AssetCheckSpec("scrapes_present", asset="raw_scrapes", description="The day has at least one scrape")],
)
def raw_scrapes(context: dg.AssetExecutionContext, settings: NewsSettings):
    """Collect the day's scrapes from the landing folder `<NEWS_SCRAPES_DIR>/<day>/`."""
    day = partition_day(context)
    root = settings.scrapes
    if not root.is_dir():
        raise dg.Failure(
            f"NEWS_SCRAPES_DIR {root} does not exist. Create it with one sub-folder per day "
            f"(e.g. {root}/{day.isoformat()}/page.html) or point NEWS_SCRAPES_DIR at your landing folder."
        )
    kinds: Counter[str] = Counter()
    rejected: Counter[str] = Counter()
    total_bytes = 0
    path = stage_file(settings.lake, "raw_scrapes", day)
    with ParquetSink(path, RAW_SCRAPES_SCHEMA) as sink:
        for chunk in chunked(scan_landing_day(root, day, settings.max_scrape_bytes), 64):
            sink.write(raw_scrapes_to_arrow(chunk))
            for scrape in chunk:
                kinds[scrape.content_type] += 1
                total_bytes += scrape.size
                if scrape.reject_reason:
                    rejected[scrape.reject_reason] += 1
            context.log.info(f"{sink.rows} scrapes collected for {day}")
    yield dg.MaterializeResult(
        metadata={
            "scrapes": sink.rows,
            "bytes": total_bytes,
            "by_content_type": dict(kinds),
            "rejected_at_source": dict(rejected),
            "day_folder": dg.MetadataValue.path(str(root / day.isoformat())),
            "lake_file": dg.MetadataValue.path(str(path)),
        }
    )
    yield dg.AssetCheckResult(
        check_name="scrapes_present",
        passed=sink.rows > 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"scrapes": sink.rows, "day_folder": str(root / day.isoformat())},
        description=None if sink.rows else f"no scrapes for {day}: the landing folder for the day is missing or empty",
    )
