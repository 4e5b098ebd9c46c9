"""Validation frames: the partition's Arrow tables plus the derived columns the suites check.

GX expectations look at one frame at a time, so facts that need another table or a computation
are added here as plain columns (documented in docs/quality.md):

- every child table (paragraphs, sentences, entities, figures): `article_known` (its article is in
  the partition's articles), `span_in_body` (0 <= char_start < char_end <= len(body)) and
  `span_matches_text` (body[char_start:char_end] == text); both NULL where the row has no offsets;
- paragraphs: `offsets_match_kind` (offsets present exactly for kind = body);
- articles: `body_chars`, `published_year`, `published_lead_hours` (published_at - fetched_at),
  `scrape_known`;
- figures: `value_finite`, `date_year`;
- raw_scrapes: `sha256_matches`, `size_matches` (`bytes` is the stored size, or the stored
  content is the first bytes of a larger scrape quarantined `too_large`), `fetched_before_run`
  (the large `content` column itself is dropped from the frame);
- quarantine: `reason_count`, `scrape_known`;
- scrape_outcomes (derived table): per raw scrape, `outcomes` = its articles + quarantine entries.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pyarrow as pa

CHILD_TABLES = ("paragraphs", "sentences", "entities", "figures")


def _bodies(tables: dict[str, pa.Table]) -> dict[str, str]:
    articles = tables.get("articles")
    if articles is None or "body_chars" in articles.column_names:  # slim tables carry no bodies
        return {}
    return dict(zip(articles.column("article_id").to_pylist(), articles.column("body").to_pylist()))


def _scrape_ids(tables: dict[str, pa.Table]) -> set[str] | None:
    """The day's raw scrape ids; None when raw_scrapes is not validated with the others."""
    raw = tables.get("raw_scrapes")
    return set(raw.column("scrape_id").to_pylist()) if raw is not None else None


def _known(values: pd.Series, known: set[str] | None) -> pd.Series:
    if known is None:
        return pd.Series(pd.NA, index=values.index, dtype="boolean")
    return values.isin(known)


def _child_frame(table: pa.Table, bodies: dict[str, str]) -> pd.DataFrame:
    frame = table.to_pandas()
    if "span_matches_text" in frame.columns:  # computed by read_validation_tables
        for column in ("span_in_body", "span_matches_text"):
            frame[column] = frame[column].astype("boolean")
        return frame
    known, in_body, matches = [], [], []
    for article_id, start, end, text in zip(
        frame["article_id"], frame["char_start"], frame["char_end"], frame["text"]
    ):
        body = bodies.get(article_id)
        known.append(body is not None)
        if body is None or pd.isna(start) or pd.isna(end):
            in_body.append(None)
            matches.append(None)
            continue
        start, end = int(start), int(end)
        in_body.append(0 <= start < end <= len(body))
        matches.append(body[start:end] == text)
    frame["article_known"] = known
    frame["span_in_body"] = pd.array(in_body, dtype="boolean")
    frame["span_matches_text"] = pd.array(matches, dtype="boolean")
    return frame


def _articles_frame(table: pa.Table, scrape_ids: set[str] | None) -> pd.DataFrame:
    frame = table.drop_columns([c for c in ("authors",) if c in table.column_names]).to_pandas()
    if "body_chars" not in frame.columns:
        frame["body_chars"] = frame["body"].fillna("").str.len()
    published = pd.to_datetime(frame["published_at"], utc=True)
    fetched = pd.to_datetime(frame["fetched_at"], utc=True)
    frame["published_year"] = published.dt.year
    frame["published_lead_hours"] = (published - fetched).dt.total_seconds() / 3600
    frame["scrape_known"] = _known(frame["scrape_id"], scrape_ids)
    return frame


def _too_large(tables: dict[str, pa.Table]) -> set[str]:
    """Scrapes quarantined as `too_large`: their stored content is only their first bytes."""
    quarantine = tables.get("quarantine")
    if quarantine is None:
        return set()
    rows = zip(quarantine.column("scrape_id").to_pylist(), quarantine.column("reasons").to_pylist())
    return {scrape_id for scrape_id, reasons in rows if "too_large" in (reasons or [])}


def _raw_frame(table: pa.Table, run_time: datetime, too_large: set[str]) -> pd.DataFrame:
    if "content" in table.column_names:
        contents = table.column("content").to_pylist()
        frame = table.drop_columns(["content"]).to_pandas()
        frame["sha256_matches"] = [
            c is not None and hashlib.sha256(c).hexdigest() == h for c, h in zip(contents, frame["sha256"])
        ]
        frame["size_matches"] = [
            c is not None and (len(c) == n or len(c) < n and i in too_large)
            for c, n, i in zip(contents, frame["bytes"], frame["scrape_id"])
        ]
    else:  # computed by read_validation_tables
        frame = table.to_pandas()
    frame["fetched_before_run"] = pd.to_datetime(frame["fetched_at"], utc=True) <= pd.Timestamp(run_time)
    return frame


def _outcomes_frame(tables: dict[str, pa.Table]) -> pd.DataFrame:
    outcomes: Counter[str] = Counter()
    for name in ("articles", "quarantine"):
        if name in tables:
            outcomes.update(tables[name].column("scrape_id").to_pylist())
    ids = sorted((_scrape_ids(tables) or set()) | set(outcomes))
    return pd.DataFrame({"scrape_id": pd.array(ids, dtype="str"), "outcomes": [outcomes[i] for i in ids]})


def validation_frames(tables: dict[str, pa.Table], run_time: datetime | None = None) -> dict[str, pd.DataFrame]:
    """One pandas frame per suite, for the tables given (keys are warehouse table names)."""
    run_time = run_time or datetime.now(timezone.utc)
    bodies = _bodies(tables)
    scrape_ids = _scrape_ids(tables)
    frames: dict[str, pd.DataFrame] = {}
    for name, table in tables.items():
        if name in CHILD_TABLES:
            frames[name] = _child_frame(table, bodies)
        elif name == "articles":
            frames[name] = _articles_frame(table, scrape_ids)
        elif name == "raw_scrapes":
            frames[name] = _raw_frame(table, run_time, _too_large(tables))
        elif name == "quarantine":
            frame = table.drop_columns(["reasons"]).to_pandas()
            frame["reason_count"] = [len(r or []) for r in table.column("reasons").to_pylist()]
            frame["scrape_known"] = _known(frame["scrape_id"], scrape_ids)
            frames[name] = frame
        else:
            frames[name] = table.to_pandas()
    if "paragraphs" in frames:
        paragraphs = frames["paragraphs"]
        has_offsets = paragraphs["char_start"].notna() & paragraphs["char_end"].notna()
        paragraphs["offsets_match_kind"] = has_offsets == (paragraphs["kind"] == "body")
    if "figures" in frames:
        figures = frames["figures"]
        figures["value_finite"] = [None if pd.isna(v) else math.isfinite(v) for v in figures["value"]]
        figures["date_year"] = pd.to_datetime(figures["date_value"]).dt.year
    if "raw_scrapes" in tables:
        frames["scrape_outcomes"] = _outcomes_frame(tables)
    return frames


# Columns that need the whole body or the raw bytes are computed here, in an in-memory DuckDB
# streaming over the lake files, so the frames never hold a day's raw content or bodies.
_SLIM_SQL = {
    "raw_scrapes": """
        SELECT * EXCLUDE (content),
               content IS NOT NULL AND sha256(content) = sha256 AS sha256_matches,
               content IS NOT NULL AND (octet_length(content) = bytes OR octet_length(content) < bytes
                   AND scrape_id IN (SELECT scrape_id FROM read_parquet($quarantine, hive_partitioning = false)
                                     WHERE list_contains(reasons, 'too_large'))) AS size_matches
        FROM read_parquet($raw_scrapes, hive_partitioning = false)""",
    "articles": """
        SELECT * EXCLUDE (body, authors), left(body, 80) AS body, length(body) AS body_chars
        FROM read_parquet($articles, hive_partitioning = false)""",
    "quarantine": "SELECT * FROM read_parquet($quarantine, hive_partitioning = false)",
}
_CHILD_SQL = """
    SELECT c.*, a.article_id IS NOT NULL AS article_known,
           CASE WHEN a.article_id IS NULL OR c.char_start IS NULL OR c.char_end IS NULL THEN NULL
                ELSE 0 <= c.char_start AND c.char_start < c.char_end AND c.char_end <= length(a.body) END
               AS span_in_body,
           CASE WHEN a.article_id IS NULL OR c.char_start IS NULL OR c.char_end IS NULL THEN NULL
                ELSE substr(a.body, c.char_start + 1, c.char_end - c.char_start) = c.text END
               AS span_matches_text
    FROM read_parquet($child, hive_partitioning = false) c
    LEFT JOIN (SELECT article_id, body FROM read_parquet($articles, hive_partitioning = false)) a
    USING (article_id)"""


def read_validation_tables(paths: dict[str, Path]) -> dict[str, pa.Table]:
    """The partition's lake files as Arrow tables for `run_suites`, without raw bytes or bodies."""
    import duckdb

    con = duckdb.connect()
    try:
        tables = {}
        for name, path in paths.items():
            if name in CHILD_TABLES:
                params = {"child": str(path), "articles": str(paths["articles"])}
                tables[name] = con.sql(_CHILD_SQL, params=params).to_arrow_table()
            else:
                params = {name: str(path)} | ({"quarantine": str(paths["quarantine"])} if name == "raw_scrapes" else {})
                tables[name] = con.sql(_SLIM_SQL[name], params=params).to_arrow_table()
        return tables
    finally:
        con.close()
