"""Tables as assets: every news.* table is an asset of the catalog, materialized by the one load
step with its column schema, the day's row count and a preview; loading the definitions imports no
model."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from pipelines.definitions import defs
from pipelines.settings import NewsSettings
from tests.landing_fixture import DAY, write_landing
from tests.pipeline_helpers import query, run_day
from warehouse import contract

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[NewsSettings, dg.ExecuteInProcessResult]:
    tmp = tmp_path_factory.mktemp("catalog")
    settings = NewsSettings(scrapes_dir=str(write_landing(tmp / "scrapes")), warehouse_path=str(tmp / "wh" / "warehouse.duckdb"))
    result = run_day(settings, DAY)
    assert result.success
    return settings, result


def test_every_table_is_a_catalog_asset_with_its_contract() -> None:
    graph = defs.resolve_asset_graph()
    found = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {k for k in found if "articles" in k} == {"news/articles"}  # what searching the catalog for "articles" finds
    for table in contract.TABLES.values():
        node = graph.get(dg.AssetKey(["news", table.name]))
        assert table.description in node.description and table.grain in node.description
        assert node.kinds == {"duckdb", "parquet"} and node.owners == ["team:news-warehouse"]
        assert node.tags["layer"] == "warehouse" and node.group_name == "warehouse"
        assert node.partitions_def is not None
        schema = node.metadata["dagster/column_schema"]
        assert [(c.name, c.type, c.constraints.nullable) for c in schema.columns] == [
            (c.name, c.type, not c.not_null) for c in table.columns
        ]
        assert all(c.description for c in schema.columns)
        assert node.metadata["dagster/table_name"] == f"news.{table.name}"
    assert graph.get(dg.AssetKey(["news", "source_health"])).parent_keys == {
        dg.AssetKey(["news", name]) for name in ("articles", "quarantine", "duplicates")
    }


def test_each_table_has_the_days_row_count_and_a_preview(loaded) -> None:
    settings, result = loaded
    materialized = {e.asset_key.path[-1]: e.materialization.metadata
                    for e in result.get_asset_materialization_events() if e.asset_key.path[0] == "news"}
    assert set(materialized) == set(contract.TABLES)
    for name, metadata in materialized.items():
        rows = query(settings.warehouse, f"SELECT count(*) FROM news.{name} WHERE partition_date = ?", [DAY])[0][0]
        assert metadata["dagster/row_count"].value == rows, name
        preview = metadata["preview"].value
        blobs = {c.name for c in contract.TABLES[name].columns if c.type == "BLOB"}
        header = preview.splitlines()[0] if rows else ""
        assert not rows or header == "| " + " | ".join(c for c in contract.TABLES[name].column_names if c not in blobs) + " |"
        assert len(preview.splitlines()) == (2 + min(rows, 5) if rows else 1)
    title = query(settings.warehouse, "SELECT title FROM (SELECT title FROM news.articles ORDER BY article_id LIMIT 5) "
                                      "WHERE title IS NOT NULL LIMIT 1")[0][0]
    assert title[:40] in materialized["articles"]["preview"].value


def test_quality_flags_are_counted_after_the_duplicate_flags(loaded) -> None:
    settings, result = loaded
    flags = next(e.materialization.metadata for e in result.get_asset_materialization_events()
                 if e.asset_key == dg.AssetKey(["news", "quality_flags"]))
    duplicate_flags = query(settings.warehouse, "SELECT count(*) FROM news.quality_flags WHERE check_name = 'duplicate'")[0][0]
    assert duplicate_flags == 1  # the wire story arrives twice that day
    assert flags["dagster/row_count"].value == query(settings.warehouse, "SELECT count(*) FROM news.quality_flags")[0][0]
    assert flags["dagster/row_count"].value > duplicate_flags


def test_loading_the_definitions_imports_no_model() -> None:
    code = ("import sys, pipelines.definitions; "
            "print(sorted(m for m in ('spacy', 'great_expectations', 'trafilatura', 'pandas') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "[]"
