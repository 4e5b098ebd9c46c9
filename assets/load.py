"""warehouse: the only step that writes the DuckDB file (pool `warehouse_writer`, one at a time)."""


import dagster as dg

from assets.partitions import daily_partitions, partition_day
from pipelines.settings import NewsSettings
from warehouse.connection import DiskFullError, WarehouseLockedError
from warehouse.lake import LakeFileError
from warehouse.load import load_partition


@dg.asset(
    partitions_def=daily_partitions,
    group_name="load",
    deps=["quality"],
    pool="warehouse_writer",
    key_prefix="news",
)
def warehouse(context: dg.AssetExecutionContext, settings: NewsSettings) -> dg.MaterializeResult:
    """Replace the day's rows in every news.* table in one transaction (idempotent)."""
    day = partition_day(context)
    try:
        result = load_partition(settings.warehouse, settings.lake, day, log=context.log.warning)
    except (WarehouseLockedError, DiskFullError, LakeFileError) as exc:
        raise dg.Failure(str(exc)) from exc
    return dg.MaterializeResult(
        metadata={
            **{f"rows_{table}": n for table, n in sorted(result.rows.items())},
            "duplicates_in_history": result.duplicates_total,
            "migrations_applied": ", ".join(result.migrations_applied) or "none",
            "warehouse": dg.MetadataValue.path(str(settings.warehouse)),
            "published_copy": dg.MetadataValue.path(str(result.published_copy)),
        }
    )
