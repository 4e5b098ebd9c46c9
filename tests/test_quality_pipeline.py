"""The quality asset in the real pipeline: GX suites as blocking checks, signatures, publisher health."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import assets.quality
from warehouse.lake import stage_file, table_file
from pipelines.settings import NewsSettings
from tests.landing_fixture import DAY, EXPECTED_DAY
from tests.pipeline_helpers import query, run_day

pytestmark = pytest.mark.slow


def corrupt_after_copy(monkeypatch: pytest.MonkeyPatch, table: str, change) -> None:
    """Let the quality stage copy the day's tables, then alter one of them (an upstream bug)."""
    original = assets.quality.copy_children

    def copy_then_corrupt(lake: Path, day):
        counts = original(lake, day)
        path = table_file(lake, table, day)
        pq.write_table(change(pq.read_table(path)), path)
        return counts

    monkeypatch.setattr(assets.quality, "copy_children", copy_then_corrupt)


def checks(result) -> dict[str, tuple[bool, str]]:
    return {e.check_name: (e.passed, e.severity.value) for e in result.get_asset_check_evaluations()}


def test_error_suite_failure_blocks_the_load(settings: NewsSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    corrupt_after_copy(monkeypatch, "sentences", lambda t: pa.concat_tables([t, t.slice(0, 1)]))  # duplicate key
    result = run_day(settings, DAY, raise_on_error=False)
    assert not result.success
    assert checks(result)["gx_sentences"] == (False, "ERROR")
    evaluation = next(e for e in result.get_asset_check_evaluations() if e.check_name == "gx_sentences")
    failures = evaluation.metadata["failures"].value
    assert any(f["expectation"] == "expect_compound_columns_to_be_unique" and f["unexpected_count"] == 2 for f in failures)
    assert Path(evaluation.metadata["data_docs"].value).exists()
    # the load never ran: no warehouse rows for the day, and the raw scrapes stay in the lake
    assert not result.get_asset_materialization_events() or all(
        e.asset_key.path != ["news", "warehouse"] for e in result.get_asset_materialization_events()
    )
    if settings.warehouse.exists():
        assert query(settings.warehouse, "SELECT count(*) FROM news.articles")[0][0] == 0
    assert pq.read_table(stage_file(settings.lake, "raw_scrapes", date.fromisoformat(DAY))).num_rows == len(EXPECTED_DAY)


def test_warn_suite_failure_loads_and_everything_is_linked(settings: NewsSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    def unknown_label(t: pa.Table) -> pa.Table:
        index = t.schema.get_field_index("label")
        return t.set_column(index, "label", pa.array(["MYSTERY"] * t.num_rows, pa.string()))

    corrupt_after_copy(monkeypatch, "entities", unknown_label)
    result = run_day(settings, DAY)
    assert result.success
    found = checks(result)
    assert found["gx_entities"] == (False, "WARN")
    assert all(passed for name, (passed, _) in found.items() if name.startswith("gx_") and name != "gx_entities")
    wh = settings.warehouse
    articles = query(wh, "SELECT count(*) FROM news.articles")[0][0]
    assert articles == sum(1 for outcome in EXPECTED_DAY.values() if outcome == "article")
    assert query(wh, "SELECT count(*) FROM news.article_signatures")[0][0] == articles
    # the wire story arrives twice (JSON text and HTML at another URL): the later copy is a duplicate
    assert query(wh, "SELECT method FROM news.duplicates") == [("exact",)]
    current = query(wh, "SELECT count(*) FROM news.articles_current")[0][0]
    assert current == articles - 1
    health = query(wh, "SELECT sum(articles), sum(quarantined), sum(duplicates) FROM news.source_health")[0]
    assert health == (articles, len(EXPECTED_DAY) - articles, 1)
