"""Validation frames: the partition's tables plus the derived columns the suites check.

GX expectations look at one frame at a time, so facts that need another table or a computation
are added as plain columns, in SQL, by one in-memory DuckDB over the staged tables (the lake
files the load is about to insert, or Arrow tables in tests: the same queries either way):

- every child table (paragraphs, sentences, entities, figures, quotes, places): `article_known` (its article is in
  the partition's articles), `span_in_body` (0 <= char_start < char_end <= length(body)) and
  `span_matches_text` (substr(body, char_start + 1, char_end - char_start) = text); both NULL
  where the row has no offsets or no article;
- paragraphs: `offsets_match_kind` (offsets present exactly for kind = body);
- articles: `body_chars`, `published_year`, `published_lead_hours` (published_at - fetched_at),
  `scrape_known`; `body` is cut to its first 80 characters;
- figures: `value_finite`, `date_year`;
- quotes: `quote_matches_span` (`span_matches_text`, or for a quotation in several pieces, the span
  starts with its first word and ends with its last: the attribution or paragraph break lies between);
- places: `geocoded_consistently` (name, coordinates, feature class and resolved_by all present
  or all NULL; a geocoded place's key is its geonameid or ISO code);
- raw_scrapes: `sha256_matches`, `size_matches` (`bytes` is the stored size, or the stored
  content is the first bytes of a larger scrape quarantined `too_large`), `fetched_before_run`;
- quarantine: `reason_count`, `scrape_known`;
- scrape_outcomes (derived table): per raw scrape, `outcomes` = its articles + quarantine entries.

BLOB columns (the raw bytes) never enter a frame. Frames come to pandas with nullable integer and
boolean dtypes, so a column keeps its contract type whether or not it holds NULLs: `GX_TYPES` is
the type name each contract type has there, what the generated type expectations check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from warehouse.contract import TABLES, arrow_schema

# contract type -> the dtype name GX's expect_column_values_to_be_of_type matches in these frames
GX_TYPES = {
    "VARCHAR": "str",
    "INTEGER": "int32",
    "BIGINT": "int64",
    "DOUBLE": "float64",
    "BOOLEAN": "bool",
    "DATE": "datetime64",
    "TIMESTAMPTZ": "Timestamp",
}
CHILD_TABLES = ("paragraphs", "sentences", "entities", "figures", "quotes", "places")
STAGED_TABLES = ("raw_scrapes", "articles", *CHILD_TABLES, "quarantine")
_NULLABLE = {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
             pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}


def _blobs(name: str) -> str:
    blobs = [c.name for c in TABLES[name].columns if c.type == "BLOB"]
    return f" EXCLUDE ({', '.join(blobs)})" if blobs else ""


def _order(name: str) -> str:
    return ", ".join(TABLES[name].key)


_CHILD_SQL = """
    SELECT c.*, a.article_id IS NOT NULL AS article_known,
           CASE WHEN a.article_id IS NULL OR c.char_start IS NULL OR c.char_end IS NULL THEN NULL
                ELSE 0 <= c.char_start AND c.char_start < c.char_end AND c.char_end <= length(a.body) END
               AS span_in_body,
           CASE WHEN a.article_id IS NULL OR c.char_start IS NULL OR c.char_end IS NULL THEN NULL
                ELSE substr(a.body, c.char_start + 1, c.char_end - c.char_start) = c.text END
               AS span_matches_text{extra}
    FROM {name} c
    LEFT JOIN (SELECT DISTINCT ON (article_id) article_id, body FROM articles) a USING (article_id)
    ORDER BY {order}"""
_PIECES_SQL = """,
           CASE WHEN a.article_id IS NULL THEN NULL
                ELSE substr(a.body, c.char_start + 1, c.char_end - c.char_start) = c.text
                     OR (starts_with(substr(a.body, c.char_start + 1, c.char_end - c.char_start), regexp_extract(c.text, '^\\S+'))
                         AND ends_with(substr(a.body, c.char_start + 1, c.char_end - c.char_start), regexp_extract(c.text, '\\S+$'))) END
               AS quote_matches_span"""
_PLACES_SQL = f"""
    SELECT c.*, a.article_id IS NOT NULL AS article_known,
           (c.name IS NULL) = (c.latitude IS NULL) AND (c.name IS NULL) = (c.longitude IS NULL)
               AND (c.name IS NULL) = (c.feature_class IS NULL) AND (c.name IS NULL) = (c.resolved_by IS NULL)
               AND (c.name IS NULL OR c.entity_key = 'geo:' || c.geonameid OR (c.geonameid IS NULL AND c.entity_key LIKE 'iso:%'))
               AS geocoded_consistently
    FROM places c
    LEFT JOIN (SELECT DISTINCT article_id FROM articles) a USING (article_id)
    ORDER BY {_order('places')}"""
_EXTRA = {
    "quotes": _PIECES_SQL,
    "paragraphs": ",\n           (c.char_start IS NOT NULL AND c.char_end IS NOT NULL) = (c.kind = 'body') AS offsets_match_kind",
    "figures": ",\n           CASE WHEN c.value IS NULL THEN NULL ELSE isfinite(c.value) END AS value_finite,"
               "\n           year(c.date_value) AS date_year",
}
_SQL = {
    "raw_scrapes": f"""
        SELECT *{_blobs('raw_scrapes')},
               content IS NOT NULL AND sha256(content) = sha256 AS sha256_matches,
               content IS NOT NULL AND (octet_length(content) = bytes OR octet_length(content) < bytes
                   AND scrape_id IN (SELECT scrape_id FROM quarantine WHERE list_contains(reasons, 'too_large')))
                   AS size_matches,
               fetched_at <= $run_time AS fetched_before_run
        FROM raw_scrapes ORDER BY {_order('raw_scrapes')}""",
    "articles": f"""
        SELECT * EXCLUDE (body), left(body, 80) AS body, length(body) AS body_chars,
               year(published_at) AS published_year,
               (epoch(published_at) - epoch(fetched_at)) / 3600.0 AS published_lead_hours,
               scrape_id IN (SELECT scrape_id FROM raw_scrapes) AS scrape_known
        FROM articles ORDER BY {_order('articles')}""",
    "quarantine": f"""
        SELECT *, coalesce(len(reasons), 0) AS reason_count,
               scrape_id IN (SELECT scrape_id FROM raw_scrapes) AS scrape_known
        FROM quarantine ORDER BY {_order('quarantine')}""",
    "scrape_outcomes": """
        WITH outcomes AS (SELECT scrape_id FROM articles UNION ALL SELECT scrape_id FROM quarantine)
        SELECT ids.scrape_id, count(o.scrape_id) AS outcomes
        FROM (SELECT scrape_id FROM raw_scrapes UNION SELECT scrape_id FROM outcomes) ids
        LEFT JOIN outcomes o USING (scrape_id)
        GROUP BY ids.scrape_id ORDER BY ids.scrape_id""",
    **{name: _CHILD_SQL.format(name=name, order=_order(name), extra=_EXTRA.get(name, "")) for name in CHILD_TABLES
       if name != "places"},
    "places": _PLACES_SQL,
}
FRAMES = tuple(_SQL)


@dataclass
class ValidationFrames:
    frames: dict[str, pd.DataFrame]
    rows: dict[str, int]  # rows of each staged table


Source = pa.Table | Path


def _register(con: duckdb.DuckDBPyConnection, name: str, source: Source | None) -> None:
    if isinstance(source, Path) and source.exists():
        con.read_parquet(str(source), hive_partitioning=False).create_view(name)
    elif isinstance(source, pa.Table):
        con.register(name, source)
    else:  # no file: the stage staged no rows for it
        con.register(name, arrow_schema(name).empty_table())


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    return table.to_pandas(types_mapper=_NULLABLE.get, date_as_object=False)


def validation_frames(
    tables: Mapping[str, Source], run_time: datetime | None = None, only: list[str] | None = None
) -> ValidationFrames:
    """One pandas frame per suite, from the staged tables (`STAGED_TABLES` names: lake file paths or
    Arrow tables; a missing one counts as empty)."""
    run_time = run_time or datetime.now(timezone.utc)
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'").fetchall()
        for name in STAGED_TABLES:
            _register(con, name, tables.get(name))
        rows = {name: con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0] for name in STAGED_TABLES}
        frames = {}
        for name in only or FRAMES:
            params = {"run_time": run_time} if "$run_time" in _SQL[name] else None
            frames[name] = _to_pandas(con.sql(_SQL[name], params=params).to_arrow_table())
        return ValidationFrames(frames, rows)
    finally:
        con.close()
