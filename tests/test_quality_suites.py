"""Great Expectations suites (expectations/) on small hand-made partitions."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timezone

import pyarrow as pa
import pytest

from expectations.run_suites import SUITES_DIR, ValidationRun, run_suites, suite_names
from warehouse.contract import arrow_schema

DAY = date(2025, 8, 16)
NOW = datetime(2025, 8, 16, 9, 0, tzinfo=timezone.utc)
TS = pa.timestamp("us", tz="UTC")
PARAGRAPHS = [
    "The harbour authority said on Tuesday that the old ferry terminal will close in March.",
    "About 240 people use the terminal every day, most of them commuters from the islands who will have to drive to the new port.",
]
BODY = "\n\n".join(PARAGRAPHS)
REPORTED = "the old ferry terminal will close in March"


def contract_table(name: str, columns: dict) -> pa.Table:
    """news.<name> with the contract's columns and types; the columns not given are NULL."""
    schema = arrow_schema(name)
    rows = len(next(iter(columns.values())))
    return pa.table({f.name: pa.array(columns[f.name], f.type) if f.name in columns else pa.nulls(rows, f.type) for f in schema},
                    schema=schema)


def partition() -> dict[str, pa.Table]:
    """Two scrapes: one article with paragraphs, sentences, an entity and a figure; one quarantined."""
    contents = [b"<html>terminal</html>", b"<html>cookie wall</html>"]
    second = len(PARAGRAPHS[0]) + 2
    return {
        "raw_scrapes": contract_table(
            "raw_scrapes",
            {
                "scrape_id": ["s1", "s2"], "partition_date": [DAY, DAY], "source": ["a.html", "b.html"],
                "source_kind": ["landing", "landing"], "url": [None, None], "site": ["harbour", "harbour"],
                "fetched_at": pa.array([NOW, NOW], TS), "content_type": ["text/html", "text/html"],
                "declared_charset": [None, None], "sha256": [hashlib.sha256(c).hexdigest() for c in contents],
                "bytes": [len(c) for c in contents], "content": pa.array(contents, pa.large_binary()),
            }
        ),
        "articles": contract_table(
            "articles",
            {
                "article_id": ["a1"], "scrape_id": ["s1"], "partition_date": [DAY], "url": ["https://h.test/x"],
                "title": ["Ferry terminal to close"], "authors": pa.array([["Jo Smith"]]),
                "published_at": pa.array([NOW], TS), "fetched_at": pa.array([NOW], TS), "language": ["en"],
                "body": [BODY], "word_count": pa.array([len(BODY.split())], pa.int32()),
                "content_sha256": [hashlib.sha256(BODY.encode()).hexdigest()], "status": ["ok"],
                "extractor_version": ["test"],
            }
        ),
        "paragraphs": contract_table(
            "paragraphs",
            {
                "article_id": ["a1", "a1", "a1"], "partition_date": [DAY] * 3,
                "paragraph_no": pa.array([0, 1, 2], pa.int32()), "kind": ["body", "body", "caption"],
                "text": [*PARAGRAPHS, "The terminal in 1962 (Archive)"],
                "char_start": pa.array([0, second, None], pa.int32()),
                "char_end": pa.array([len(PARAGRAPHS[0]), len(BODY), None], pa.int32()),
            }
        ),
        "sentences": contract_table(
            "sentences",
            {
                "article_id": ["a1", "a1"], "partition_date": [DAY] * 2, "sentence_no": pa.array([0, 1], pa.int32()),
                "paragraph_no": pa.array([0, 1], pa.int32()), "text": PARAGRAPHS,
                "char_start": pa.array([0, second], pa.int32()), "char_end": pa.array([len(PARAGRAPHS[0]), len(BODY)], pa.int32()),
            }
        ),
        "entities": contract_table(
            "entities",
            {
                "article_id": ["a1"], "partition_date": [DAY], "entity_no": pa.array([0], pa.int32()),
                "sentence_no": pa.array([0], pa.int32()), "text": ["Tuesday"], "label": ["DATE"], "canonical": ["Tuesday"],
                "char_start": pa.array([BODY.index("Tuesday")], pa.int32()),
                "char_end": pa.array([BODY.index("Tuesday") + 7], pa.int32()), "entity_key": ["DATE:tuesday"],
            }
        ),
        "quotes": contract_table(
            "quotes",
            {
                "article_id": ["a1"], "partition_date": [DAY], "quote_no": pa.array([0], pa.int32()),
                "sentence_no": pa.array([0], pa.int32()), "text": [REPORTED],
                "char_start": pa.array([BODY.index(REPORTED)], pa.int32()),
                "char_end": pa.array([BODY.index(REPORTED) + len(REPORTED)], pa.int32()),
                "speaker": ["The harbour authority"], "cue": ["said"], "kind": ["reported"],
            }
        ),
        "places": contract_table(
            "places",
            {
                "article_id": ["a1", "a1"], "partition_date": [DAY] * 2, "entity_key": ["geo:2643743", "LOC:the islands"],
                "mention": ["London", "the islands"], "geonameid": [2643743, None], "name": ["London", None],
                "country_code": ["GB", None], "admin1_code": ["ENG", None], "latitude": [51.50853, None],
                "longitude": [-0.12574, None], "feature_class": ["P", None], "population": [8961989, None],
                "mentions": pa.array([1, 1], pa.int32()), "resolved_by": ["unique name", None],
            }
        ),
        "figures": contract_table(
            "figures",
            {
                "article_id": ["a1"], "partition_date": [DAY], "figure_no": pa.array([0], pa.int32()),
                "sentence_no": pa.array([1], pa.int32()), "text": ["About 240 people"], "value": [240.0],
                "unit": pa.array([None], pa.string()), "counted": ["people"], "counted_text": ["people"],
                "qualifier": ["approx"], "qualifier_text": ["About"], "kind": ["count"],
                "date_value": pa.array([None], pa.date32()), "date_grain": pa.array([None], pa.string()),
                "char_start": pa.array([second], pa.int32()), "char_end": pa.array([second + 16], pa.int32()),
            }
        ),
        "quarantine": contract_table(
            "quarantine", {"scrape_id": ["s2"], "partition_date": [DAY], "source": ["b.html"], "reasons": pa.array([["consent_wall"]]), "detail": ["x"]}
        ),
    }


def replace_column(table: pa.Table, name: str, values: list) -> pa.Table:
    index = table.schema.get_field_index(name)
    return table.set_column(index, table.schema.field(index), pa.array(values, table.schema.field(index).type))


def failed(run: ValidationRun, severity: str) -> set[tuple[str, str | None]]:
    return {(o.suite, o.column) for s in run.suites.values() for o in s.failures(severity)}


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> ValidationRun:
    docs = tmp_path_factory.mktemp("data_docs")
    return run_suites(partition(), data_docs_dir=docs, run_time=NOW)


def test_every_suite_file_is_versioned_and_every_expectation_has_a_severity() -> None:
    required = {"raw_scrapes", "articles", "paragraphs", "sentences", "entities", "figures"}
    assert required <= set(suite_names())
    for name in suite_names():
        document = json.loads((SUITES_DIR / f"{name}.json").read_text())
        assert document["name"] == name and document["meta"]["version"] >= 1 and document["meta"]["key"]
        assert {e["meta"]["severity"] for e in document["expectations"]} <= {"error", "warn"}


def test_a_clean_partition_passes_every_suite_and_writes_data_docs(clean_run: ValidationRun) -> None:
    assert set(clean_run.suites) == set(suite_names())
    assert failed(clean_run, "error") == set() and failed(clean_run, "warn") == set()
    assert not clean_run.blocks_load
    assert clean_run.data_docs_index is not None and clean_run.data_docs_index.exists()
    assert "articles" in clean_run.data_docs_index.read_text()


def test_contract_breaks_are_errors_and_label_drift_is_a_warning() -> None:
    tables = partition()
    tables["sentences"] = replace_column(tables["sentences"], "sentence_no", [0, 0])  # duplicate key
    tables["entities"] = replace_column(tables["entities"], "char_end", [len(BODY) + 40])  # offset outside the body
    tables["entities"] = replace_column(tables["entities"], "label", ["CELEBRITY"])  # unknown label
    tables["quarantine"] = tables["quarantine"].slice(0, 0)  # scrape s2 lost between stages
    run = run_suites(tables, run_time=NOW)
    errors = failed(run, "error")
    assert ("sentences", "article_id,sentence_no") in errors
    assert {("entities", "span_in_body"), ("entities", "span_matches_text")} <= errors
    assert ("scrape_outcomes", "outcomes") in errors
    assert failed(run, "warn") == {("entities", "label")}
    assert run.blocks_load and not run.suites["figures"].blocks_load
    lost = next(o for o in run.suites["scrape_outcomes"].failures("error"))
    assert lost.unexpected_count == 1 and lost.examples[0]["scrape_id"] == "s2"


def test_quotations_and_places_out_of_bounds_are_errors() -> None:
    tables = partition()
    tables["quotes"] = replace_column(tables["quotes"], "kind", ["rumour"])
    tables["quotes"] = replace_column(tables["quotes"], "char_start", [BODY.index(REPORTED) + 4])  # text no longer at its offsets
    tables["places"] = replace_column(tables["places"], "latitude", [151.5, None])  # and NULL name/coordinates of the second row fine
    tables["places"] = replace_column(tables["places"], "resolved_by", ["gut feeling", "unique name"])  # an unresolved row with a reason
    run = run_suites(tables, run_time=NOW, only=["quotes", "places"])
    assert failed(run, "error") == {("quotes", "kind"), ("quotes", "quote_matches_span"), ("places", "latitude"),
                                    ("places", "resolved_by"), ("places", "geocoded_consistently")}
    inconsistent = next(o for o in run.suites["places"].failures() if o.column == "geocoded_consistently")
    assert inconsistent.unexpected_count == 1 and inconsistent.examples[0]["entity_key"] == "LOC:the islands"


def test_the_places_suite_knows_every_way_a_place_is_resolved() -> None:
    from newskit.places import RESOLUTIONS

    document = json.loads((SUITES_DIR / "places.json").read_text())
    value_set = next(e["kwargs"]["value_set"] for e in document["expectations"] if e["kwargs"].get("column") == "resolved_by" and "value_set" in e["kwargs"])
    assert value_set == list(RESOLUTIONS)


def test_only_warnings_do_not_block() -> None:
    tables = partition()
    tables["figures"] = replace_column(tables["figures"], "kind", ["vibes"])
    run = run_suites(tables, run_time=NOW, only=["figures", "articles"])
    assert failed(run, "warn") == {("figures", "kind")}
    assert not run.blocks_load


def test_an_expectation_that_raised_in_gx_counts_as_a_failure() -> None:
    tables = partition()
    tables["entities"] = tables["entities"].drop_columns(["label"])  # GX cannot evaluate label checks
    run = run_suites(tables, run_time=NOW, only=["entities"])
    raised = [o for o in run.suites["entities"].outcomes if o.raised]
    assert raised and all(o.failed and not o.success for o in raised)
    assert {o.column for o in raised} == {"label"}
    assert any("label" in (o.message or "") for o in raised)
    assert run.blocks_load  # the NOT NULL expectation on label is an error


def test_a_failure_names_its_bound_its_parameter_its_rows_and_what_to_do() -> None:
    from expectations.report import failures_markdown

    tables = partition()
    tables["entities"] = replace_column(tables["entities"], "char_end", [len(BODY) + 40])  # offset outside the body
    run = run_suites(tables, run_time=NOW, parameters={"raw_scrapes_rows": 0}, only=["articles", "entities"])
    count = next(o for o in run.suites["articles"].failures() if o.expectation == "expect_table_row_count_to_be_between")
    assert count.bound == {"max_value": 0} and count.parameters == {"max_value": "raw_scrapes_rows"} and count.observed == 1
    assert "| max_value = 0 ($raw_scrapes_rows) | 1 |" in failures_markdown(run.suites["articles"])
    markdown = failures_markdown(run.suites["entities"], "Staged rows: `x.parquet`")
    assert "Staged rows: `x.parquet`" in markdown
    row = next(line for line in markdown.splitlines() if "| span_in_body |" in line and line.startswith("| "))
    assert "value_set = [true]" in row and "1 of 1 row unexpected" in row and "An offset points outside the article body" in row
    assert "| span_in_body | article_id | entity_no |" in markdown and "| false | a1 | 0 |" in markdown
    assert failures_markdown(run_suites(partition(), run_time=NOW, only=["figures"]).suites["figures"]) == ""
