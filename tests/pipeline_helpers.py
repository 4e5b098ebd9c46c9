"""Run the real assets for a day and read the warehouse back."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb

from pipelines.definitions import defs
from pipelines.settings import NewsSettings

TABLES = ["raw_scrapes", "articles", "paragraphs", "sentences", "entities", "figures", "quotes", "places",
          "quality_flags", "duplicates", "quarantine"]


def with_sources(settings: NewsSettings, sources_file: str) -> NewsSettings:
    """The same deployment with a sources file (the setting NEWS_SOURCES fills)."""
    return NewsSettings(scrapes_dir=settings.scrapes_dir, warehouse_path=settings.warehouse_path, sources_file=sources_file)


def all_assets():
    return list(defs.assets)


def run_day(settings: NewsSettings, day: str, raise_on_error: bool = True) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        all_assets(), partition_key=day, resources={"settings": settings}, raise_on_error=raise_on_error
    )


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def counts(warehouse: Path) -> dict[str, int]:
    return {t: query(warehouse, f"SELECT count(*) FROM news.{t}")[0][0] for t in TABLES}


def snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    """Every row of every news.* table (schema_migrations aside), sorted: equal snapshots are equal tables."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        names = [n for (n,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'news' AND table_type = 'BASE TABLE' "
            "AND table_name <> 'schema_migrations' ORDER BY 1").fetchall()]
        return {n: sorted(con.execute(f'SELECT * FROM news."{n}"').fetchall(), key=repr) for n in names}
    finally:
        con.close()
