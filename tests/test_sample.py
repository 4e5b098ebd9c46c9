"""The bundled sample, run through the real assets, against its hand annotations: articles,
quarantine, duplicates, entities, figures, quotations, places and entity keys."""

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


def bench_module(name: str):
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, SAMPLE.parent / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hand_annotated_entities_and_figures_are_found(sample_warehouse: Path):
    """bench/nlp_sample.py's comparison; the misses it may leave are listed in docs/nlp.md."""
    import duckdb

    module = bench_module("nlp_sample")
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    try:
        totals, problems = module.compare(con, ANNOTATIONS)
    finally:
        con.close()
    (entities_ok, entities), (figures_ok, figures) = totals["entities"], totals["figures"]
    assert entities >= 150 and figures >= 150
    misses = {path: lines for path, lines in problems.items() if lines and not path.endswith("(extra)")}
    assert (entities_ok, figures_ok) == (entities, figures), misses


def test_hand_annotated_quotations_and_places_are_found(sample_warehouse: Path):
    """bench/quotes_places.py's comparison: every annotated quotation (words, speaker as written and
    canonical, cue, kind) and place (key, mention, mentions, GeoNames id, name, country, admin1,
    coordinates, feature class), and nothing else, in the loaded news.quotes and news.places."""
    import duckdb

    con = duckdb.connect(str(sample_warehouse), read_only=True)
    try:
        totals, problems = bench_module("quotes_places").compare(con, ANNOTATIONS)
    finally:
        con.close()
    assert totals["every quote field"][2] >= 25 and totals["geonameid (resolved places)"][2] >= 10
    assert {path: lines for path, lines in problems.items() if lines} == {}
    assert all(matched == predicted == annotated for matched, predicted, annotated in totals.values()), totals


def test_quotations_sit_at_their_offsets(sample_warehouse: Path):
    """One piece: the span is the text; several: each piece of the text is in the span, in order."""
    rows = query(sample_warehouse, """
        SELECT q.text, substr(a.body, q.char_start + 1, q.char_end - q.char_start), q.kind
        FROM news.quotes q JOIN news.articles a USING (article_id)""")
    assert {kind for _, _, kind in rows} == {"direct", "reported"}
    pieces = 0
    for text, span, _ in rows:
        if span != text:
            pieces += 1
            at = 0
            for piece in text.replace("\n\n", " ").split(" "):
                at = span.index(piece, at) + len(piece)
    assert pieces >= 2  # the sample's interrupted and multi-paragraph quotations


def test_every_entity_has_its_key_and_the_index_counts_them(sample_warehouse: Path):
    assert query(sample_warehouse, "SELECT count(*) FROM news.entities WHERE entity_key IS NULL") == [(0,)]
    orphans = query(sample_warehouse, """
        SELECT p.entity_key FROM news.places p
        WHERE NOT EXISTS (SELECT 1 FROM news.entities e WHERE e.article_id = p.article_id AND e.entity_key = p.entity_key)""")
    assert orphans == []
    # one key for one person across the articles of two days; a geocoded place under its GeoNames name
    rows = query(sample_warehouse, """SELECT label, display_name, articles, first_day, last_day FROM news.entity_index
                                      WHERE entity_key = 'PERSON:helena ostrowski'""")
    assert [(label, name, articles >= 2, str(first), str(last)) for label, name, articles, first, last in rows] == [
        ("PERSON", "Helena Ostrowski", True, DAYS[0], DAYS[1])]
    assert query(sample_warehouse, "SELECT display_name FROM news.entity_index WHERE entity_key = 'geo:2925533'") == [("Frankfurt am Main",)]
    index = dict(query(sample_warehouse, "SELECT entity_key, mentions FROM news.entity_index"))
    mentions = dict(query(sample_warehouse, """
        SELECT e.entity_key, count(*) FROM news.entities e JOIN news.articles_current a USING (article_id)
        GROUP BY 1"""))
    assert index == mentions
