"""The real assets, materialised for a day into a temp DuckDB file."""

from __future__ import annotations

import pytest

from pipelines.settings import NewsSettings
from tests.landing_fixture import DAY, EXPECTED_DAY, NEXT_DAY
from tests.pipeline_helpers import TABLES, counts, query, run_day

pytestmark = pytest.mark.slow


@pytest.fixture
def loaded(settings: NewsSettings) -> NewsSettings:
    assert run_day(settings, DAY).success
    return settings


def test_every_scrape_is_an_article_or_quarantined(loaded: NewsSettings):
    wh = loaded.warehouse
    outcome = {src: "article" for (src,) in query(wh, "SELECT r.source FROM news.articles a JOIN news.raw_scrapes r USING (scrape_id)")}
    for src, reasons in query(wh, "SELECT source, reasons FROM news.quarantine"):
        assert src not in outcome, f"{src} is both an article and quarantined"
        outcome[src] = reasons[0]
    assert outcome == EXPECTED_DAY
    assert counts(wh)["raw_scrapes"] == len(EXPECTED_DAY)


def test_all_contract_tables_exist(loaded: NewsSettings):
    present = {t for (t,) in query(loaded.warehouse, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'news'")}
    assert set(TABLES) <= present


def test_offsets_point_into_the_body(loaded: NewsSettings):
    wh = loaded.warehouse
    for table in ("paragraphs", "sentences", "entities"):
        bad = query(wh, f"""
            SELECT t.article_id, t.text FROM news.{table} t JOIN news.articles a USING (article_id)
            WHERE t.char_start IS NOT NULL
              AND substr(a.body, t.char_start + 1, t.char_end - t.char_start) <> t.text""")
        assert bad == [], f"{table}: {bad[:3]}"
    assert query(wh, "SELECT count(*) FROM news.sentences")[0][0] > 5


def test_raw_bytes_are_kept(loaded: NewsSettings, landing):
    content, size = query(loaded.warehouse, "SELECT content, bytes FROM news.raw_scrapes WHERE source = ?", [f"{DAY}/storm.html"])[0]
    assert content == (landing / DAY / "storm.html").read_bytes() and size == len(content)


def test_latin1_article_is_loaded_with_its_accents(loaded: NewsSettings):
    body = query(loaded.warehouse, "SELECT a.body FROM news.articles a JOIN news.raw_scrapes r USING (scrape_id) WHERE r.source LIKE '%latin1.txt'")[0][0]
    assert "café" in body and "Zoë" in body


def test_rerun_changes_nothing(loaded: NewsSettings):
    before = counts(loaded.warehouse)
    ids = query(loaded.warehouse, "SELECT article_id FROM news.articles ORDER BY 1")
    assert run_day(loaded, DAY).success
    assert counts(loaded.warehouse) == before
    assert query(loaded.warehouse, "SELECT article_id FROM news.articles ORDER BY 1") == ids


def test_exact_copy_on_the_next_day_is_linked_to_the_first(loaded: NewsSettings):
    assert run_day(loaded, NEXT_DAY).success
    links = query(loaded.warehouse, """
        SELECT r.source, o.source, d.method FROM news.duplicates d
        JOIN news.articles a USING (article_id) JOIN news.raw_scrapes r ON r.scrape_id = a.scrape_id
        JOIN news.articles oa ON oa.article_id = d.duplicate_of JOIN news.raw_scrapes o ON o.scrape_id = oa.scrape_id""")
    assert (f"{NEXT_DAY}/storm-again.html", f"{DAY}/storm.html", "exact") in links


def test_failed_load_leaves_the_warehouse_as_it_was(loaded: NewsSettings, monkeypatch):
    before = counts(loaded.warehouse)
    import warehouse.load

    def broken(con):
        raise RuntimeError("disk full (simulated)")

    monkeypatch.setattr(warehouse.load, "refresh_duplicates", broken)
    result = run_day(loaded, DAY, raise_on_error=False)
    assert not result.success
    assert counts(loaded.warehouse) == before


def test_empty_day_succeeds_and_warns(settings: NewsSettings):
    result = run_day(settings, "2026-01-05")
    assert result.success
    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert checks["scrapes_present"].passed is False
    assert checks["nothing_lost"].passed is True


def test_duplicates_are_flagged_too(loaded: NewsSettings):
    assert run_day(loaded, NEXT_DAY).success
    flagged = query(loaded.warehouse, """
        SELECT f.article_id, f.severity, f.detail FROM news.quality_flags f
        JOIN news.duplicates d USING (article_id) WHERE f.check_name = 'duplicate'""")
    links = query(loaded.warehouse, "SELECT article_id, duplicate_of FROM news.duplicates")
    assert {(a,) for a, _ in links} == {(a,) for a, _, _ in flagged}
    assert all(sev == "warn" and dup in detail for (_, sev, detail), (_, dup) in zip(sorted(flagged), sorted(links)))


def test_reextract_job_rebuilds_a_day_from_the_lake_without_the_landing_folder(loaded: NewsSettings, landing):
    import shutil

    from pipelines.definitions import defs

    before = query(loaded.warehouse, "SELECT article_id, body FROM news.articles ORDER BY 1")
    shutil.rmtree(landing / DAY)
    job = defs.resolve_job_def("reextract_job")
    result = job.execute_in_process(partition_key=DAY, resources={"settings": loaded})
    assert result.success
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert "raw_scrapes" not in materialized and {f"news/{t}" for t in TABLES} <= materialized
    assert query(loaded.warehouse, "SELECT article_id, body FROM news.articles ORDER BY 1") == before
