"""Load one day's lake tables into the warehouse in a single transaction.

Every table in schema `news` with a `partition_date` column has that day's rows replaced by
`lake/tables/<table>/partition_date=<day>/data.parquet` (or emptied when the lake has no file for
it), then duplicates are recomputed over the whole history. Any error rolls everything back, so a
failed load leaves the warehouse as it was. The day's row counts and a few rows per table (for
the catalog) are read inside the transaction, after the duplicate links and flags are written.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse import contract
from warehouse.connection import connect, run
from warehouse.duplicates import refresh_duplicates
from warehouse.lake import table_file
from warehouse.migrate import migrate


PREVIEW_ROWS = 5


@dataclass
class LoadResult:
    rows: dict[str, int] = field(default_factory=dict)  # the day's rows per news.* table, as committed
    totals: dict[str, int] = field(default_factory=dict)  # rows per table over all days
    previews: dict[str, pa.Table] = field(default_factory=dict)  # the day's first rows per table, BLOBs left out
    recent_health: pa.Table | None = None  # news.source_health of the day and the `health_days` before it
    duplicates_total: int = 0
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


def published_path(warehouse: Path) -> Path:
    return warehouse.parent / "published" / warehouse.name


def publish_copy(warehouse: Path) -> Path:
    """Copy the closed warehouse file to published/ for analysts (read-only sessions never block loads)."""
    target = published_path(warehouse)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    shutil.copyfile(warehouse, tmp)
    tmp.replace(target)
    return target


def describe_day(con: duckdb.DuckDBPyConnection, day: date, result: LoadResult, health_days: int) -> None:
    """Row counts, previews and recent publisher health, read on the load's own transaction."""
    for table in contract.TABLES.values():
        name = f'news."{table.name}"'
        result.rows[table.name] = con.execute(f"SELECT count(*) FROM {name} WHERE partition_date = ?", [day]).fetchall()[0][0]
        result.totals[table.name] = con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]
        columns = ", ".join(f'"{c.name}"' for c in table.columns if c.type != "BLOB")
        order = ", ".join(f'"{k}"' for k in table.key) or "ALL"
        result.previews[table.name] = con.execute(
            f"SELECT {columns} FROM {name} WHERE partition_date = ? ORDER BY {order} LIMIT {PREVIEW_ROWS}", [day]
        ).to_arrow_table()
    result.recent_health = con.execute(
        "SELECT * FROM news.source_health WHERE partition_date BETWEEN ? AND ?", [day - timedelta(days=health_days), day]
    ).to_arrow_table()


def load_partition(warehouse: Path, lake: Path, day: date, publish: bool = True, health_days: int = 7) -> LoadResult:
    result = LoadResult()
    con = connect(warehouse)
    try:
        result.migrations_applied = migrate(con)
        run(con, "BEGIN TRANSACTION")
        try:
            for table in partitioned_tables(con):
                run(con, f'DELETE FROM news."{table}" WHERE partition_date = ?', [day])
                path = table_file(lake, table, day)
                if path.exists():
                    run(con, f'INSERT INTO news."{table}" BY NAME SELECT * FROM read_parquet(?, hive_partitioning = false)', [str(path)])
            result.duplicates_total = refresh_duplicates(con)
            describe_day(con, day, result, health_days)
            run(con, "COMMIT")
        except BaseException:
            run(con, "ROLLBACK")
            raise
        run(con, "CHECKPOINT")
    finally:
        con.close()
    if publish:
        result.published_copy = publish_copy(warehouse)
    return result
