"""Results that do not depend on run order: site templates count distinct stories over a fixed
window of raw scrapes (the day and `template_lookback_days` before it), so a day's tables are a
function of that window's raw data, whichever days ran before and in which order."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from assets.clean import TEMPLATE_ROWS_FINGERPRINT, cleaned
from assets.extract import extracted
from assets.raw import raw_scrapes
from newskit.clean import TEMPLATE_ROW_SCHEMA, template_key
from pipelines.definitions import defs
from pipelines.settings import NewsSettings
from tests.news_days import DAYS, FIRE, TEMPLATES, WIRE, WIRE_DAY, WIRE_SECTIONS, write_days
from tests.pipeline_helpers import query, run_day, snapshot
from warehouse.lake import stage_file

pytestmark = pytest.mark.slow


def _settings(root: Path) -> NewsSettings:
    return NewsSettings(scrapes_dir=str(root / "scrapes"), warehouse_path=str(root / "wh" / "warehouse.duckdb"))


@pytest.fixture(scope="module")
def forward(tmp_path_factory: pytest.TempPathFactory) -> NewsSettings:
    """The two weeks ingested in calendar order."""
    root = tmp_path_factory.mktemp("forward")
    write_days(root / "scrapes")
    settings = _settings(root)
    for day in DAYS:
        assert run_day(settings, day.isoformat()).success
    return settings


def _copy(forward: NewsSettings, tmp_path: Path, with_warehouse: bool) -> NewsSettings:
    shutil.copytree(forward.scrapes, tmp_path / "scrapes")
    if with_warehouse:
        shutil.copytree(forward.warehouse.parent, tmp_path / "wh")
    return _settings(tmp_path)


def test_a_story_fetched_six_times_over_a_week_keeps_its_paragraphs(forward: NewsSettings):
    rows = query(forward.warehouse, """
        SELECT a.body, a.status FROM news.articles a
        WHERE a.url = 'https://courier.example/news/harbour-fire' ORDER BY a.fetched_at""")
    assert len(rows) == 6
    for fetch, (body, _) in enumerate(rows):
        assert all(paragraph in body for paragraph in FIRE[: 2 + fetch]), f"fetch {fetch + 1} lost its own text"
    assert [status for _, status in rows] == ["superseded"] * 5 + ["ok"]
    # its canonical link is relative (/news/harbour-fire): joined with the page URL, so the versions link
    assert query(forward.warehouse, "SELECT DISTINCT canonical_url FROM news.articles WHERE url LIKE '%harbour-fire'") == [
        ("https://courier.example/news/harbour-fire",)]
    assert query(forward.warehouse, "SELECT count(*) FROM news.duplicates WHERE method = 'version'")[0][0] == 5
    # the site's own template paragraphs are still learnt and removed once the window holds 5 stories
    first, later = query(forward.warehouse, """
        SELECT bool_or(position(? IN body) > 0) FILTER (WHERE partition_date = ?),
               bool_or(position(? IN body) > 0) FILTER (WHERE partition_date > ?) FROM news.articles""",
        [TEMPLATES[0], DAYS[0], TEMPLATES[0], DAYS[0]])[0]
    assert first and not later


def test_one_wire_story_in_five_sections_is_one_article_and_four_duplicates(forward: NewsSettings):
    rows = query(forward.warehouse, """
        SELECT a.url, a.status, d.method FROM news.articles a LEFT JOIN news.duplicates d USING (article_id)
        WHERE a.url LIKE '%/port-channel-deal' ORDER BY a.url""")
    assert sorted(url.split("/")[3] for url, _, _ in rows) == sorted(WIRE_SECTIONS)
    assert sorted((status, method) for _, status, method in rows) == [("duplicate", "exact")] * 4 + [("ok", None)]
    body = query(forward.warehouse, "SELECT body FROM news.articles WHERE url LIKE '%/port-channel-deal' AND status = 'ok'")[0][0]
    assert all(paragraph in body for paragraph in WIRE)
    assert query(forward.warehouse, "SELECT count(*) FROM news.quarantine WHERE partition_date = ?", [WIRE_DAY])[0][0] == 0


def test_a_rerun_of_a_day_gives_identical_tables(forward: NewsSettings, tmp_path: Path):
    settings = _copy(forward, tmp_path, with_warehouse=True)
    before = snapshot(settings.warehouse)
    assert run_day(settings, WIRE_DAY.isoformat()).success
    assert snapshot(settings.warehouse) == before


def test_two_weeks_backfilled_backward_then_reextracted_equal_a_forward_run(forward: NewsSettings, tmp_path: Path):
    settings = _copy(forward, tmp_path, with_warehouse=False)
    for day in reversed(DAYS):
        assert run_day(settings, day.isoformat()).success
    backward = snapshot(settings.warehouse)
    assert backward != snapshot(forward.warehouse)  # each day ran before the days of its window were in the lake
    job = defs.resolve_job_def("reextract_job")
    for day in reversed(DAYS):  # any order: every window's raw scrapes are in the lake now
        assert job.execute_in_process(partition_key=day.isoformat(), resources={"settings": settings}).success
    assert snapshot(settings.warehouse) == snapshot(forward.warehouse)


def _cleaned(settings: NewsSettings, day) -> list[tuple]:
    table = pq.read_table(stage_file(settings.lake, "cleaned_articles", day), columns=["scrape_id", "body", "removed_text"])
    return sorted(tuple(row.values()) for row in table.to_pylist())


def test_window_days_never_extracted_or_with_stale_template_rows_are_recomputed_from_raw(forward: NewsSettings, tmp_path: Path):
    settings = _copy(forward, tmp_path, with_warehouse=False)
    day = DAYS[2]
    for earlier in DAYS[:2]:  # in the lake as raw scrapes only: never extracted
        assert dg.materialize([raw_scrapes], partition_key=earlier.isoformat(), resources={"settings": settings}).success
    # template rows of an older extractor for one of them, claiming the fire story's text is boilerplate
    stale = [{"scrape_id": f"old{n}", "site": "courier.example", "story_key": f"old{n}", "content_hash": f"old{n}",
              "keys": [template_key(p) for p in FIRE]} for n in range(9)]
    path = stage_file(settings.lake, "template_keys", DAYS[1])
    path.parent.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(stale, schema=TEMPLATE_ROW_SCHEMA.with_metadata({TEMPLATE_ROWS_FINGERPRINT: "older"})), path)
    assert dg.materialize([raw_scrapes, extracted, cleaned], partition_key=day.isoformat(), resources={"settings": settings}).success
    assert _cleaned(settings, day) == _cleaned(forward, day)
    assert pq.read_table(path).num_rows != len(stale)  # replaced by rows computed from that day's raw scrapes
