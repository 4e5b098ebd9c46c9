"""A generated day through the real extracted, cleaned and nlp assets with one worker and with two:
the same stage files, row for row, and the same warehouse."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq
import pytest

from bench.news_corpus import write_news_day
from pipelines.settings import NewsSettings
from tests.pipeline_helpers import all_assets, snapshot

pytestmark = pytest.mark.slow

DAY = date(2026, 5, 5)
STAGE_FILES = ["extracted", "template_keys", "cleaned_articles", "cleaned_paragraphs", "cleaned_sentences",
               "nlp_entities", "nlp_figures", "nlp_failures"]


def _run(tmp_path: Path, scrapes: Path, workers: int) -> tuple[NewsSettings, dg.ExecuteInProcessResult]:
    settings = NewsSettings(scrapes_dir=str(scrapes), warehouse_path=str(tmp_path / f"w{workers}" / "warehouse.duckdb"),
                            workers=workers)
    result = dg.materialize(all_assets(), partition_key=DAY.isoformat(), resources={"settings": settings})
    assert result.success
    return settings, result


def test_one_worker_and_two_write_the_same_stage_files_and_tables(tmp_path: Path):
    scrapes = tmp_path / "scrapes"
    write_news_day(scrapes, DAY, pages=40, seed=3, words=120)  # 3 shards of each stage
    one, _ = _run(tmp_path, scrapes, 1)
    two, result = _run(tmp_path, scrapes, 2)
    for stage in STAGE_FILES:
        path = f"stage/{stage}/partition_date={DAY}/data.parquet"
        assert pq.read_table(one.lake / path).equals(pq.read_table(two.lake / path)), stage
    assert pq.read_table(one.lake / f"stage/nlp_entities/partition_date={DAY}/data.parquet").num_rows > 200
    for node in ("extracted", "cleaned", "nlp"):
        metadata = result.asset_materializations_for_node(node)[0].metadata
        assert metadata["workers"].value == 2
        assert metadata["computed"].value == 40 and metadata["reused"].value == 0
    assert snapshot(one.warehouse) == snapshot(two.warehouse)
