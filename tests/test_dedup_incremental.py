"""The load recomputes only the articles connected to its day, with the rows of a full recompute.

A generated month (tests/history_fixture.py) is loaded day by day in a shuffled order, then two
days are re-loaded with changed content; after every load the duplicate links, duplicate flags,
statuses and source health equal a full recompute over the whole history (run on the same
connection and rolled back), so the result is also independent of the load order; and the
published views equal the warehouse.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from tests.fault_helpers import snapshot
from tests.history_fixture import generate_history, write_history_day
from warehouse.duplicates import refresh_duplicates
from warehouse.load import load_partition, published_path

FIRST = date(2026, 4, 1)
DAYS = [FIRST + timedelta(days=n) for n in range(30)]
DERIVED = {
    "duplicates": "SELECT article_id, partition_date, duplicate_of, method, similarity FROM news.duplicates",
    "duplicate_flags": "SELECT * FROM news.quality_flags WHERE check_name = 'duplicate'",
    "statuses": "SELECT article_id, status FROM news.articles",
    "source_health": "SELECT * FROM news.source_health",
}
LOADED = ["raw_scrapes", "articles", "paragraphs", "sentences", "article_signatures", "duplicates", "quality_flags",
          "source_health"]


def derived(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {name: sorted(con.execute(sql).fetchall(), key=repr) for name, sql in DERIVED.items()}


def tables(path: Path) -> dict[str, list[tuple]]:
    return snapshot(path, LOADED)


def full_recompute(warehouse: Path) -> tuple[dict, dict]:
    """(the derived rows as loaded, the derived rows of a full recompute over the whole history)."""
    con = duckdb.connect(str(warehouse))
    try:
        incremental = derived(con)
        con.execute("BEGIN TRANSACTION")
        refresh_duplicates(con)
        full = derived(con)
        con.execute("ROLLBACK")
        return incremental, full
    finally:
        con.close()


@pytest.fixture(scope="module")
def month(tmp_path_factory) -> tuple[Path, dict[date, list[dict]]]:
    lake = tmp_path_factory.mktemp("month") / "lake"
    history = generate_history(DAYS, per_day=10)
    for day, articles in history.items():
        write_history_day(lake, day, articles)
    return lake, history


def test_a_month_loaded_in_any_order_and_reloaded_equals_a_full_recompute(month, tmp_path: Path):
    lake, history = month
    order = DAYS[:]
    random.Random(3).shuffle(order)
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    recomputed = []
    for n, day in enumerate(order):
        result = load_partition(warehouse, lake, day, publish=n % 10 == 9)
        recomputed.append(result.recomputed)
        incremental, full = full_recompute(warehouse)
        assert incremental == full, f"load {n} ({day}) differs from a full recompute"
    assert full["duplicates"], "the month should hold duplicates"
    assert {method for _, _, _, method, _ in full["duplicates"]} == {"exact", "near", "version"}
    total = sum(len(articles) for articles in history.values())
    assert max(recomputed[-10:]) < total / 2, "a day's load should recompute its connected articles, not the history"

    # re-loads with changed content: a day loses articles (links to them re-point), a day gains copies
    shrunk, grown = order[3], order[7]
    write_history_day(lake, shrunk, history[shrunk][::2])
    donors = [a for d in DAYS[:5] for a in history[d]][:6]
    copies = [dict(a, article_id=f"c{i:05d}", url=f"https://late.test/{i}") for i, a in enumerate(donors)]
    write_history_day(lake, grown, history[grown] + copies)
    for day in (shrunk, grown):
        load_partition(warehouse, lake, day)
        incremental, full = full_recompute(warehouse)
        assert incremental == full, f"re-load of {day} differs from a full recompute"
    assert any(article_id.startswith("c") for article_id, *_ in full["duplicates"])
    assert tables(published_path(warehouse)) == tables(warehouse), "the published views show the warehouse"
    for day in (shrunk, grown):
        write_history_day(lake, day, history[day])  # the module's lake back as generated
