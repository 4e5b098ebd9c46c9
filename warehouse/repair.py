"""Restore a day's raw stage file, the one lake file that cannot be recomputed.

Raw scrapes are facts: once in `lake/stage/raw_scrapes/`, the landing files they came from may be
gone. Two copies of them exist: `lake/tables/raw_scrapes/` (written by the quality step of every
run) and `news.raw_scrapes` in the warehouse (and its published copy). A damaged raw stage file is
rebuilt from the first readable one and kept beside it as `data.parquet.corrupt`:

    python -m warehouse.repair raw 2026-03-14

The raw step does the same by itself when it finds its day's file damaged (`repair_raw_stage`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from newskit.records import RAW_SCRAPES_SCHEMA
from warehouse.lake import RAW_STAGE, LakeFileError, check_readable, stage_file, table_file, write_table


def _from_parquet(path: Path) -> pa.Table | None:
    if not path.exists():
        return None
    try:
        check_readable(path)
    except LakeFileError:
        return None
    con = duckdb.connect()
    try:
        return con.sql("SELECT * FROM read_parquet(?, hive_partitioning = false)", params=[str(path)]).to_arrow_table()
    finally:
        con.close()


def _from_warehouse(path: Path, day: date) -> pa.Table | None:
    if not path.exists():
        return None
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None  # locked by a load, or not a warehouse: the next copy is tried
    try:
        table = con.sql("SELECT * FROM news.raw_scrapes WHERE partition_date = ?", params=[day]).to_arrow_table()
    except duckdb.Error:
        return None
    finally:
        con.close()
    return table if table.num_rows else None


def raw_copies(lake: Path, warehouse: Path, day: date) -> list[tuple[str, Callable[[], pa.Table | None]]]:
    published = warehouse.parent / "published" / warehouse.name
    return [
        (str(table_file(lake, "raw_scrapes", day)), lambda: _from_parquet(table_file(lake, "raw_scrapes", day))),
        (str(warehouse), lambda: _from_warehouse(warehouse, day)),
        (str(published), lambda: _from_warehouse(published, day)),
    ]


def restore_raw_stage(lake: Path, warehouse: Path, day: date) -> str:
    """Rebuild the day's raw stage file from the first readable copy; returns where it came from.

    Columns a copy lacks (copies made before they were kept) are NULL. Raises LakeFileError when no
    copy is readable.
    """
    target = stage_file(lake, RAW_STAGE, day)
    for name, read in raw_copies(lake, warehouse, day):
        table = read()
        if table is None:
            continue
        columns = [table[f.name].cast(f.type) if f.name in table.column_names else pa.nulls(table.num_rows, f.type)
                   for f in RAW_SCRAPES_SCHEMA]
        if target.exists():
            target.replace(target.with_name(target.name + ".corrupt"))
        write_table(target, pa.Table.from_arrays(columns, schema=RAW_SCRAPES_SCHEMA))
        return name
    raise LakeFileError(
        target, "no readable copy of it either",
        advice="No copy of the day's raw scrapes is readable (lake/tables/raw_scrapes, the warehouse, its "
        "published copy): move the file aside and re-run the day, which collects what the landing folder "
        "still holds.",
    )


def repair_raw_stage(lake: Path, warehouse: Path, day: date, log: Callable[[str], None]) -> None:
    """If the day's raw stage file exists and is damaged, restore it (see module doc)."""
    path = stage_file(lake, RAW_STAGE, day)
    if not path.exists():
        return
    try:
        check_readable(path)
    except LakeFileError as exc:
        source = restore_raw_stage(lake, warehouse, day)
        log(f"{exc}\nRestored it from {source}; the damaged file is {path.name}.corrupt beside it.")


def main(argv: list[str] | None = None) -> int:
    from pipelines.settings import NewsSettings

    parser = argparse.ArgumentParser(prog="python -m warehouse.repair", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    raw = sub.add_parser("raw", help="restore a day's raw stage file from its copies")
    raw.add_argument("day", metavar="YYYY-MM-DD", type=date.fromisoformat)
    args = parser.parse_args(argv)
    settings = NewsSettings.from_env()
    try:
        source = restore_raw_stage(settings.lake, settings.warehouse, args.day)
    except LakeFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"restored {stage_file(settings.lake, RAW_STAGE, args.day)} from {source}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
