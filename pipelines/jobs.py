"""Jobs and the nightly schedule (their executor: pipelines/definitions.py)."""

import dagster as dg

from assets.partitions import daily_partitions
from assets.raw import FORGET_JOB

ingest_job = dg.define_asset_job(
    "ingest_job",
    selection=dg.AssetSelection.all(),
    partitions_def=daily_partitions,
    description="Collect, extract, clean, annotate, check and load one day (the job for runs and backfills).",
)

reextract_job = dg.define_asset_job(
    "reextract_job",
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets("raw_scrapes"),
    partitions_def=daily_partitions,
    description=(
        "Re-extract chosen days from the raw scrapes already in the lake (no refetch): launch a "
        "backfill of this job over history after a cleaning or extraction fix. Each stage copies what its "
        "version and inputs leave unchanged and computes the rest (README \"Throughput\")."
    ),
)

forget_scrapes_job = dg.define_asset_job(
    FORGET_JOB,
    selection=dg.AssetSelection.all(),
    partitions_def=daily_partitions,
    description=(
        "Remove scrapes from a day on purpose (no other run deletes a raw scrape), then rebuild the day. Config "
        "ops.raw_scrapes.config.forget: day (the partition, named again), and scrape_ids and/or sources, or "
        "whole_day: true. Files still in the landing folder are refused (the next run would add them again). "
        "Same as `python -m pipelines.cli forget DAY ...`."
    ),
)

nightly_schedule = dg.build_schedule_from_partitioned_job(
    ingest_job,
    hour_of_day=2,
    minute_of_hour=0,
    name="nightly_ingest",
    description="02:00 UTC: ingest the previous day (the last complete daily partition).",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
