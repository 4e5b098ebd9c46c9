"""The GX suites in the real pipeline: checks of the table assets, run in the load step on the staged
rows before the transaction; an ERROR writes nothing, a WARN loads; signatures and publisher health."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import assets.quality
from pipelines.settings import NewsSettings
from tests.landing_fixture import DAY, EXPECTED_DAY
from tests.pipeline_helpers import query, run_day
from warehouse.lake import stage_file, table_file

pytestmark = pytest.mark.slow


def corrupt_after_copy(monkeypatch: pytest.MonkeyPatch, table: str, change) -> None:
    """Let the quality stage stage the day's tables, then alter one of them (an upstream bug)."""
    original = assets.quality.copy_children

    def copy_then_corrupt(lake: Path, day):
        counts = original(lake, day)
        path = table_file(lake, table, day)
        pq.write_table(change(pq.read_table(path)), path)
        return counts

    monkeypatch.setattr(assets.quality, "copy_children", copy_then_corrupt)


def checks(result) -> dict[str, tuple[str, bool, str]]:
    return {e.check_name: (e.asset_key.to_user_string(), e.passed, e.severity.value) for e in result.get_asset_check_evaluations()}


def test_error_suite_failure_writes_nothing(settings: NewsSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    corrupt_after_copy(monkeypatch, "sentences", lambda t: pa.concat_tables([t, t.slice(0, 1)]))  # duplicate key
    result = run_day(settings, DAY, raise_on_error=False)
    assert not result.success
    found = checks(result)
    assert found["gx_sentences"] == ("news/sentences", False, "ERROR")
    assert all(passed for name, (_, passed, _) in found.items() if name.startswith("gx_") and name != "gx_sentences")
    evaluation = next(e for e in result.get_asset_check_evaluations() if e.check_name == "gx_sentences")
    failures = evaluation.metadata["failures"].value
    assert any(f["expectation"] == "expect_compound_columns_to_be_unique" and f["unexpected_count"] == 2 for f in failures)
    assert Path(evaluation.metadata["data_docs"].value).exists()
    # the failure says which check and what to do
    failure = result.get_step_failure_events()[0]
    assert failure.step_key == "load"
    message = failure.event_specific_data.error.message
    assert "gx_sentences on news/sentences" in message and "nothing was loaded" in message
    # the load never opened the warehouse: no table asset materialized, no rows, the raw scrapes stay in the lake
    assert not [e for e in result.get_asset_materialization_events() if e.asset_key.path[0] == "news"]
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
    assert found["gx_entities"] == ("news/entities", False, "WARN")
    assert all(passed for name, (_, passed, _) in found.items() if name.startswith("gx_") and name != "gx_entities")
    wh = settings.warehouse
    articles = query(wh, "SELECT count(*) FROM news.articles")[0][0]
    assert articles == sum(1 for outcome in EXPECTED_DAY.values() if outcome == "article")
    assert query(wh, "SELECT count(*) FROM news.article_signatures")[0][0] == articles
    assert query(wh, "SELECT DISTINCT label FROM news.entities") == [("MYSTERY",)]  # a WARN loads what it saw
    # the wire story arrives twice (JSON text and HTML at another URL): the later copy is a duplicate
    assert query(wh, "SELECT method FROM news.duplicates") == [("exact",)]
    current = query(wh, "SELECT count(*) FROM news.articles_current")[0][0]
    assert current == articles - 1
    health = query(wh, "SELECT sum(articles), sum(quarantined), sum(duplicates) FROM news.source_health")[0]
    assert health == (articles, len(EXPECTED_DAY) - articles, 1)
    assert found["publisher_fill_rates"] == ("news/source_health", True, "WARN")
