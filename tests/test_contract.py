"""One contract (warehouse/contract.py): the migrations, the suites, the data dictionary and the
stages' Arrow schemas all agree with it."""

from __future__ import annotations

import json

import duckdb
import pytest

from warehouse import contract
from warehouse.migrate import migrate


@pytest.fixture(scope="module")
def migrated() -> dict[str, dict]:
    """news.* relations of a temp DuckDB built by the migrations: name -> kind and columns."""
    con = duckdb.connect()
    migrate(con)
    rows = con.execute(
        """
        SELECT c.table_name, t.table_type, c.column_name, c.data_type, c.is_nullable
        FROM information_schema.columns c JOIN information_schema.tables t USING (table_catalog, table_schema, table_name)
        WHERE c.table_schema = 'news' AND c.table_name <> 'schema_migrations'
        ORDER BY c.table_name, c.ordinal_position
        """
    ).fetchall()
    con.close()
    found: dict[str, dict] = {}
    for table, kind, column, data_type, nullable in rows:
        entry = found.setdefault(table, {"view": kind == "VIEW", "columns": []})
        entry["columns"].append((column, contract.INFORMATION_SCHEMA_TYPES.get(data_type, data_type), nullable == "NO"))
    return found


def test_the_migrations_create_exactly_the_contract(migrated: dict[str, dict]) -> None:
    assert {n for n, e in migrated.items() if not e["view"]} == set(contract.TABLES)
    assert {n for n, e in migrated.items() if e["view"]} == set(contract.VIEWS)
    for name, table in contract.TABLES.items():
        expected = [(c.name, c.type, c.not_null) for c in table.columns]
        assert migrated[name]["columns"] == expected, f"news.{name}: migrations and warehouse/contract.py disagree"
    for name, view in contract.VIEWS.items():  # a view has no NOT NULL of its own
        expected = [(c.name, c.type) for c in view.columns]
        assert [(n, t) for n, t, _ in migrated[name]["columns"]] == expected, f"view news.{name} disagrees with the contract"


def test_a_contract_change_without_a_migration_is_caught(migrated: dict[str, dict]) -> None:
    """The comparison is not vacuous: a column made nullable in the contract no longer matches."""
    articles = contract.TABLES["articles"]
    loosened = [(c.name, c.type, c.not_null and c.name != "body") for c in articles.columns]
    assert migrated["articles"]["columns"] != loosened


def test_every_table_is_described_and_keyed_by_its_columns() -> None:
    for table in (*contract.TABLES.values(), *contract.VIEWS.values()):
        assert table.description and table.grain
        assert all(c.description for c in table.columns), table.name
        assert set(table.key) <= set(table.column_names)
    assert all(t.partitioned for t in contract.TABLES.values())


def test_the_data_dictionary_is_generated_from_the_contract() -> None:
    assert contract.TABLES_MD.read_text(encoding="utf-8") == contract.render_tables_md(), (
        "docs/tables.md is stale: run `.venv/bin/python -m warehouse.contract`"
    )
    text = contract.TABLES_MD.read_text(encoding="utf-8")
    assert "### news.entity_mentions" in text and "| `canonical_url` | VARCHAR |  |" in text


def test_the_suites_restate_the_contract() -> None:
    from expectations.generate import contract_expectations, sync_suites

    assert sync_suites(write=False) == [], "expectations/suites/ are stale: run `.venv/bin/python -m warehouse.contract`"
    suite = json.loads((contract.REPO_ROOT / "expectations" / "suites" / "articles.json").read_text())
    generated = [e for e in suite["expectations"] if e["meta"].get("generated")]
    assert generated == contract_expectations(contract.TABLES["articles"])
    not_null = {e["kwargs"]["column"] for e in generated if e["type"] == "expect_column_values_to_not_be_null"}
    assert not_null == {c.name for c in contract.TABLES["articles"].columns if c.not_null}
    typed = {e["kwargs"]["column"]: e["kwargs"]["type_"] for e in generated if e["type"] == "expect_column_values_to_be_of_type"}
    assert typed["word_count"] == "int32" and typed["published_at"] == "Timestamp" and "authors" not in typed


def test_a_suite_that_disagrees_with_the_contract_is_reported(tmp_path, monkeypatch) -> None:
    import shutil

    import expectations.generate as generate

    suites = tmp_path / "suites"
    shutil.copytree(generate.SUITES_DIR, suites)
    document = json.loads((suites / "sentences.json").read_text())
    document["expectations"] = [e for e in document["expectations"]
                                if not (e["type"] == "expect_column_values_to_not_be_null" and e["kwargs"]["column"] == "text")]
    (suites / "sentences.json").write_text(json.dumps(document, indent=2) + "\n")
    monkeypatch.setattr(generate, "SUITES_DIR", suites)
    assert generate.sync_suites(write=False) == ["expectations/suites/sentences.json"]
    assert generate.sync_suites(write=True) == ["expectations/suites/sentences.json"]
    rewritten = json.loads((suites / "sentences.json").read_text())
    assert rewritten["meta"]["version"] == document["meta"]["version"] + 1
    assert generate.sync_suites(write=False) == []


def test_the_stages_write_the_contract_schemas() -> None:
    """Each lake file the load copies is written with the contract's Arrow schema (the columns the
    stages stage for it); stage-only columns are extra."""
    from assets.clean import CLEANED_SCHEMA, PARAGRAPHS_SCHEMA, SENTENCES_SCHEMA
    from assets.quality import ARTICLES_SCHEMA, FLAGS_SCHEMA, QUARANTINE_SCHEMA
    from newskit.dedup import DUPLICATE_SCHEMA, SIGNATURE_SCHEMA
    from newskit.health import HEALTH_SCHEMA
    from newskit.nlp import ENTITY_SCHEMA, FIGURE_SCHEMA
    from newskit.records import RAW_SCRAPES_SCHEMA
    from newskit.web_sources import FETCH_LOG_SCHEMA

    schema = contract.arrow_schema
    assert ARTICLES_SCHEMA == schema("articles") and QUARANTINE_SCHEMA == schema("quarantine")
    assert FLAGS_SCHEMA == schema("quality_flags") and HEALTH_SCHEMA == schema("source_health")
    assert PARAGRAPHS_SCHEMA == schema("paragraphs") and SENTENCES_SCHEMA == schema("sentences")
    assert FETCH_LOG_SCHEMA == schema("fetch_log")
    assert ENTITY_SCHEMA == schema("entities", exclude=("partition_date",))
    assert FIGURE_SCHEMA == schema("figures", exclude=("partition_date",))
    assert DUPLICATE_SCHEMA == schema("duplicates", exclude=("partition_date",))
    assert SIGNATURE_SCHEMA == schema("article_signatures", exclude=("partition_date",))
    for stage, table in ((RAW_SCRAPES_SCHEMA, "raw_scrapes"), (CLEANED_SCHEMA, "articles")):
        for field in schema(table):
            if field.name in stage.names:
                assert stage.field(field.name) == field, f"{table}.{field.name}"
