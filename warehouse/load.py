"""Load one day's lake tables into the warehouse in a single transaction.

Every table in schema `news` with a `partition_date` column has that day's rows replaced by
`lake/tables/<table>/partition_date=<day>/data.parquet` (or emptied when the lake has no file for
it), then the duplicate links of the articles connected to the day's old and new ones are
recomputed (warehouse/duplicates.py) and the changed days published for analysts (warehouse/publish.py). Any error rolls everything back, so a
failed load leaves the warehouse as it was; a kill -9 in the transaction leaves nothing either
(DuckDB writes its log at commit). The lake files are read in full before the warehouse is
opened, so a damaged one fails the load by name without holding the writer lock. The day's row
counts and a few rows per table (for the catalog) are read inside the transaction, after the
duplicate links and flags are written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse import contract
from warehouse.connection import DiskFullError, connect, is_disk_full, run
from warehouse.duplicates import day_keys, refresh_duplicates
from warehouse.lake import check_readable, table_file
from warehouse.migrate import migrate
from warehouse.publish import defer as defer_publishing
from warehouse.publish import publish as publish_changes
from warehouse.publish import published_path  # noqa: F401  (where analysts open the warehouse)


PREVIEW_ROWS = 5


@dataclass
class LoadResult:
    rows: dict[str, int] = field(default_factory=dict)  # the day's rows per news.* table, as committed
    totals: dict[str, int] = field(default_factory=dict)  # rows per table over all days
    previews: dict[str, pa.Table] = field(default_factory=dict)  # the day's first rows per table, BLOBs left out
    recent_health: pa.Table | None = None  # news.source_health of the day and the `health_days` before it
    duplicates_total: int = 0
    recomputed: int = 0  # articles whose duplicate links were recomputed (the day's connected set)
    migrations_applied: list[str] = field(default_factory=list)
    published_copy: Path | None = None


def partitioned_tables(con) -> list[str]:
    return [
        name
        for (name,) in con.execute(
            """
            SELECT table_name FROM information_schema.columns
            WHERE table_schema = 'news' AND column_name = 'partition_date'
              AND table_name IN (SELECT table_name FROM information_schema.tables
                                 WHERE table_schema = 'news' AND table_type = 'BASE TABLE')
            ORDER BY table_name
            """
        ).fetchall()
    ]


def describe_day(con: duckdb.DuckDBPyConnection, day: date, result: LoadResult, health_days: int) -> None:
    """Row counts, previews and recent publisher health, read on the load's own transaction."""
    for table in contract.TABLES.values():
        name = f'news."{table.name}"'
        result.rows[table.name] = con.execute(f"SELECT count(*) FROM {name} WHERE partition_date = ?", [day]).fetchall()[0][0]
        result.totals[table.name] = con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]
        columns = ", ".join(f'"{c.name}"' for c in table.columns if c.type != "BLOB")
        order = ", ".join(f'"{k}"' for k in table.key) or "ALL"
        result.previews[table.name] = con.sql(
            f"SELECT {columns} FROM {name} WHERE partition_date = ? ORDER BY {order} LIMIT {PREVIEW_ROWS}", params=[day]
        ).to_arrow_table()
    result.recent_health = con.sql(
        "SELECT * FROM news.source_health WHERE partition_date BETWEEN ? AND ?",
        params=[day - timedelta(days=health_days), day],
    ).to_arrow_table()


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back; a transaction DuckDB already aborted (a failed COMMIT, a full disk) needs none,
    and its 'no transaction is active' must not hide the error that caused it."""
    try:
        run(con, "ROLLBACK")
    except duckdb.Error:
        pass


def load_partition(
    warehouse: Path, lake: Path, day: date, publish: bool = True, health_days: int = 7,
    log: Callable[[str], None] | None = None,
) -> LoadResult:
    result = LoadResult()
    for path in sorted((lake / "tables").glob(f"*/partition_date={day.isoformat()}/data.parquet")):
        check_readable(path)
    con = connect(warehouse, log=log)
    try:
        result.migrations_applied = migrate(con)
        run(con, "BEGIN TRANSACTION")
        try:
            old_keys = day_keys(con, day)  # the links of the day's old rows are recomputed too
            for table in partitioned_tables(con):
                run(con, f'DELETE FROM news."{table}" WHERE partition_date = ?', [day])
                path = table_file(lake, table, day)
                if path.exists():
                    run(con, f'INSERT INTO news."{table}" BY NAME SELECT * FROM read_parquet(?, hive_partitioning = false)', [str(path)])
            refresh = refresh_duplicates(con, day, old_keys)
            result.duplicates_total, result.recomputed = refresh.links_total, refresh.recomputed
            describe_day(con, day, result, health_days)
            run(con, "COMMIT")
        except BaseException as exc:
            _rollback(con)
            if is_disk_full(exc):
                raise DiskFullError(warehouse) from exc
            raise
        try:
            run(con, "CHECKPOINT")
        except duckdb.Error as exc:
            if is_disk_full(exc):
                raise DiskFullError(
                    warehouse,
                    f"The day's rows are committed, in the write-ahead log {warehouse.name}.wal that DuckDB "
                    f"applies when it next opens the file; the published copy is still the previous one.",
                ) from exc
            raise
        if publish:
            result.published_copy = publish_changes(con, warehouse, day, refresh.days)
        else:
            defer_publishing(con, warehouse, day, refresh.days)
    finally:
        con.close()
    return result
