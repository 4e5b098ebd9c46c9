"""Run the real assets for a day and read the warehouse back."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb

from pipelines.definitions import defs
from pipelines.settings import NewsSettings

TABLES = ["raw_scrapes", "articles", "paragraphs", "sentences", "entities", "figures",
          "quality_flags", "duplicates", "quarantine"]


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
