"""The analysts' read-only warehouse: one small DuckDB file of views over per-day Parquet files.

    published/warehouse.duckdb                  views only: news.<table> reads the folder below
    published/tables/<table>/<YYYY-MM-DD>.parquet   the table's rows of one day, as committed
    published/tables/<table>/schema.parquet     no rows: the table's current columns and types

A load rewrites only the days it changed (its own day, plus the days whose duplicate links,
flags, statuses or health it re-pointed), each file written to a temporary name and renamed, and
then the views file, so the cost follows the day, not the history. An analyst opens
`published/warehouse.duckdb` read-only at any time and never holds a lock the load needs (the
load never opens that file: it replaces it). Views, and the migrations' own views over them,
keep every query of docs/queries.md working unchanged. A query that runs while a load publishes
may see some days before and some after that load; every file it reads is whole.

`published/tables/pending.json` lists what a load is about to rewrite (or, loaded with
publish=False, left for the next load); a load killed while publishing leaves it, and the next
load that publishes finishes it first.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import duckdb

from warehouse.connection import DiskFullError, is_disk_full, run, sql_string
from warehouse.lake import temp_path

# tables whose rows of other days a load rewrites (duplicate links, flags, statuses, health)
RELINKED_TABLES = ("articles", "duplicates", "quality_flags", "source_health")
# the load's own duplicate index: not for analysts (warehouse/duplicates.py)
UNPUBLISHED_TABLES = ("article_keys", "article_bands")
LAYOUT_MARKER = ".layout-v1"  # written once every day of every table has been exported


def published_path(warehouse: Path) -> Path:
    return warehouse.parent / "published" / warehouse.name


def published_tables(warehouse: Path) -> Path:
    return warehouse.parent / "published" / "tables"


def day_file(warehouse: Path, table: str, day: date) -> Path:
    return published_tables(warehouse) / table / f"{day.isoformat()}.parquet"


def _base_tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    """news base tables -> [(column, type)] in table order."""
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, column, type_ in con.execute(
        """SELECT table_name, column_name, data_type FROM information_schema.columns
           WHERE table_schema = 'news' AND table_name IN (SELECT table_name FROM information_schema.tables
                 WHERE table_schema = 'news' AND table_type = 'BASE TABLE')
           ORDER BY table_name, ordinal_position"""
    ).fetchall():
        tables.setdefault(table, []).append((column, type_))
    return tables


def _pending(warehouse: Path) -> Path:
    return published_tables(warehouse) / "pending.json"


def _write_json(path: Path, value: object) -> None:
    tmp = temp_path(path)
    tmp.write_text(json.dumps(value), encoding="utf-8")
    os.replace(tmp, path)


def _work(tables: list[str], day: date | None, relinked_days: set[date]) -> set[tuple[str, str]]:
    work = {(t, day.isoformat()) for t in tables} if day is not None else set()
    return work | {(t, d.isoformat()) for t in RELINKED_TABLES if t in tables for d in relinked_days}


def _read_pending(warehouse: Path) -> set[tuple[str, str]]:
    pending = _pending(warehouse)
    return {tuple(item) for item in json.loads(pending.read_text(encoding="utf-8"))} if pending.exists() else set()


def defer(con: duckdb.DuckDBPyConnection, warehouse: Path, day: date, relinked_days: set[date]) -> None:
    """A load that does not publish records what it changed, for the next load that does."""
    if not published_path(warehouse).exists():
        return  # never published: the first publish exports everything
    work = _read_pending(warehouse) | _work(_partitioned(_base_tables(con)), day, relinked_days)
    published_tables(warehouse).mkdir(parents=True, exist_ok=True)
    _write_json(_pending(warehouse), sorted(work))


def _partitioned(tables: dict[str, list[tuple[str, str]]]) -> list[str]:
    return [t for t, columns in tables.items() if any(c == "partition_date" for c, _ in columns)
            and t not in UNPUBLISHED_TABLES]


def publish(con: duckdb.DuckDBPyConnection, warehouse: Path, day: date | None, relinked_days: set[date]) -> Path:
    """Export what the committed load changed and rewrite the views file; returns its path.

    `day`: the day whose every table was replaced; `relinked_days`: days whose RELINKED_TABLES
    changed. The first publish of a warehouse (or of one published by whole-file copies before)
    exports every day of every table once.
    """
    try:
        return _publish(con, warehouse, day, relinked_days)
    except BaseException as exc:
        if is_disk_full(exc):
            raise DiskFullError(
                published_tables(warehouse),
                "The warehouse holds the new day; the published files not yet rewritten still hold the previous "
                "state, and the next load finishes rewriting them.",
            ) from exc
        raise


def _publish(con: duckdb.DuckDBPyConnection, warehouse: Path, day: date | None, relinked_days: set[date]) -> Path:
    root = published_tables(warehouse)
    tables = _base_tables(con)
    partitioned = _partitioned(tables)
    work = _work(partitioned, day, relinked_days) | _read_pending(warehouse)
    if not (root / LAYOUT_MARKER).exists():
        all_days = con.execute(
            " UNION ".join(f'SELECT DISTINCT partition_date FROM news."{t}"' for t in partitioned) or "SELECT NULL WHERE false"
        ).fetchall()
        work |= {(t, d.isoformat()) for t in partitioned for (d,) in all_days}
    pending = _pending(warehouse)
    root.mkdir(parents=True, exist_ok=True)
    _write_json(pending, sorted(work))
    for table in partitioned:
        folder = root / table
        folder.mkdir(exist_ok=True)
        _copy(con, f'SELECT * FROM news."{table}" WHERE false', folder / "schema.parquet")
    for table, iso in sorted(work):
        target = day_file(warehouse, table, date.fromisoformat(iso))
        rows = con.execute(f'SELECT count(*) FROM news."{table}" WHERE partition_date = ?', [iso]).fetchall()[0][0]
        if rows:
            _copy(con, f'SELECT * FROM news."{table}" WHERE partition_date = ?', target, [iso])
        else:
            target.unlink(missing_ok=True)
    (root / LAYOUT_MARKER).touch()
    target = write_views_file(con, warehouse, tables, partitioned)
    pending.unlink()
    return target


def _copy(con: duckdb.DuckDBPyConnection, select: str, target: Path, params: list | None = None) -> None:
    tmp = temp_path(target)
    try:
        run(con, f"COPY ({select}) TO {sql_string(tmp)} (FORMAT parquet, COMPRESSION zstd)", params)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_views_file(
    con: duckdb.DuckDBPyConnection, warehouse: Path, tables: dict[str, list[tuple[str, str]]], partitioned: list[str]
) -> Path:
    """published/warehouse.duckdb: a view per partitioned table over its folder, the other tables
    copied (they are small: schema_migrations), then the warehouse's own views in creation order."""
    target = published_path(warehouse)
    tmp = temp_path(target)
    views = con.execute(
        "SELECT sql FROM duckdb_views() WHERE schema_name = 'news' AND NOT internal ORDER BY view_oid"
    ).fetchall()
    small = {t: con.sql(f'SELECT * FROM news."{t}"').to_arrow_table() for t in tables
             if t not in partitioned and t not in UNPUBLISHED_TABLES}
    out = duckdb.connect(str(tmp))
    try:
        run(out, "CREATE SCHEMA news")
        for table in partitioned:
            pattern = sql_string(published_tables(warehouse).resolve() / table / "*.parquet")
            columns = ", ".join(f'CAST("{c}" AS {t}) AS "{c}"' for c, t in tables[table])
            run(out, f'CREATE VIEW news."{table}" AS SELECT {columns} FROM read_parquet({pattern}, union_by_name = true)')
        for table, rows in small.items():
            out.register("published_rows", rows)
            run(out, f'CREATE TABLE news."{table}" AS SELECT * FROM published_rows')
            out.unregister("published_rows")
        for (sql,) in views:
            run(out, sql)
        out.close()
        os.replace(tmp, target)
    except BaseException:
        out.close()
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
        raise
    return target
