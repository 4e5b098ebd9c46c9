"""The bundled sample, run through the real assets, against its hand annotations."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from pipelines.settings import NewsSettings
from tests.pipeline_helpers import query, run_day

pytestmark = pytest.mark.slow
SAMPLE = Path(__file__).resolve().parents[1] / "sample"
ANNOTATIONS: dict[str, dict] = json.loads((SAMPLE / "annotations.json").read_text(encoding="utf-8"))
DAYS = sorted({path.split("/")[0] for path in ANNOTATIONS})


@pytest.fixture(scope="module")
def sample_warehouse(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("sample")
    settings = NewsSettings(scrapes_dir=str(SAMPLE / "scrapes"), warehouse_path=str(tmp / "warehouse.duckdb"))
    for day in DAYS:
        assert run_day(settings, day).success
    return settings.warehouse


@pytest.fixture(scope="module")
def outcomes(sample_warehouse: Path) -> dict[str, dict]:
    rows = query(sample_warehouse, """
        SELECT r.source, a.article_id, a.body, a.title, q.reasons
        FROM news.raw_scrapes r
        LEFT JOIN news.articles a USING (scrape_id)
        LEFT JOIN news.quarantine q USING (scrape_id)""")
    return {src: {"article_id": aid, "body": body, "title": title, "reasons": reasons}
            for src, aid, body, title, reasons in rows}


def test_every_sample_scrape_is_accounted_for(outcomes: dict[str, dict]):
    assert set(outcomes) == set(ANNOTATIONS)
    for path, got in outcomes.items():
        assert (got["article_id"] is None) != (got["reasons"] is None), path


@pytest.mark.parametrize("path", sorted(ANNOTATIONS))
def test_article_or_quarantine_as_annotated(outcomes: dict[str, dict], path: str):
    expected, got = ANNOTATIONS[path], outcomes[path]
    if expected["expected"] == "quarantine":
        assert got["reasons"] and expected["quarantine_reason"] in got["reasons"], got
        return
    assert got["article_id"], f"{path} quarantined: {got['reasons']}"
    for sentence in expected.get("body_must_contain", []):
        assert sentence in got["body"], f"{path}: lost {sentence!r}"
    for boilerplate in expected.get("boilerplate_never_in_body", []):
        assert boilerplate not in got["body"], f"{path}: boilerplate {boilerplate!r} reached the body"
    if expected.get("title"):
        assert got["title"] == expected["title"]


def test_duplicates_as_annotated(sample_warehouse: Path, outcomes: dict[str, dict]):
    by_id = {v["article_id"]: k for k, v in outcomes.items() if v["article_id"]}
    links = {by_id[a]: (by_id[b], method) for a, b, method in
             query(sample_warehouse, "SELECT article_id, duplicate_of, method FROM news.duplicates")}
    expected = {path: (ann["duplicate_of"], ann["duplicate_method"])
                for path, ann in ANNOTATIONS.items() if ann.get("duplicate_of")}
    assert links == expected


def test_sample_loaded_backwards_equals_the_forward_run_and_a_full_recompute(sample_warehouse: Path, tmp_path: Path):
    """Each load recomputes only its connected articles: loading the sample's days newest first
    gives the forward run's tables, which equal a full recompute; the published views show them."""
    from tests.test_dedup_incremental import full_recompute, tables
    from warehouse.load import load_partition, published_path

    backwards = tmp_path / "backwards" / "warehouse.duckdb"
    lake = sample_warehouse.parent / "lake"
    for day in reversed(DAYS):
        load_partition(backwards, lake, date.fromisoformat(day))
    assert tables(backwards) == tables(sample_warehouse)
    incremental, full = full_recompute(backwards)
    assert incremental == full and full["duplicates"]
    assert tables(published_path(sample_warehouse)) == tables(sample_warehouse)


def test_offsets_of_every_body_row(sample_warehouse: Path):
    for table in ("paragraphs", "sentences", "entities", "figures"):
        bad = query(sample_warehouse, f"""
            SELECT t.article_id, t.text FROM news.{table} t JOIN news.articles a USING (article_id)
            WHERE t.char_start IS NOT NULL
              AND substr(a.body, t.char_start + 1, t.char_end - t.char_start) <> t.text""")
        assert bad == [], f"{table}: {bad[:3]}"
    assert query(sample_warehouse, "SELECT count(*) FROM news.paragraphs WHERE kind <> 'body' AND char_start IS NOT NULL") == [(0,)]


def test_hand_annotated_entities_and_figures_are_found(sample_warehouse: Path):
    """bench/nlp_sample.py's comparison; the misses it may leave are listed in docs/nlp.md."""
    import importlib.util

    import duckdb

    spec = importlib.util.spec_from_file_location("nlp_sample", SAMPLE.parent / "bench" / "nlp_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    try:
        totals, problems = module.compare(con, ANNOTATIONS)
    finally:
        con.close()
    (entities_ok, entities), (figures_ok, figures) = totals["entities"], totals["figures"]
    assert entities >= 150 and figures >= 150
    misses = {path: lines for path, lines in problems.items() if lines and not path.endswith("(extra)")}
    assert (entities_ok, figures_ok) == (entities, figures), misses
