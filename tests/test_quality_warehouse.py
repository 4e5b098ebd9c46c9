"""Dedup, versions, statuses, default views and source_health inside a (in-memory) warehouse."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
import yaml

from newskit.dedup import article_signatures
from warehouse.duplicates import refresh_duplicates
from warehouse.migrate import migrate

ARTICLES = yaml.safe_load((Path(__file__).parent / "data" / "quality_articles.yaml").read_text(encoding="utf-8"))
DAY1 = date(2025, 8, 15)
T1 = datetime(2025, 8, 15, 7, 0, tzinfo=timezone.utc)


def body(name: str, drop_last: bool = False) -> str:
    paragraphs = ARTICLES[name]["paragraphs"]
    return "\n\n".join(paragraphs[:-1] if drop_last else paragraphs)


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    migrate(connection)
    yield connection
    connection.close()


def insert(con: duckdb.DuckDBPyConnection, article_id: str, text: str, day: date, published: datetime,
           url: str, domain: str, title: str | None = "A title", with_signature: bool = True) -> None:
    con.execute(
        """INSERT INTO news.articles (article_id, scrape_id, partition_date, url, canonical_url, domain, title,
               authors, published_at, fetched_at, body, word_count, content_sha256, status, extractor_version)
           VALUES (?, ?, ?, ?, ?, ?, ?, ['A. Writer'], ?, ?, ?, ?, 'h', 'ok', 'test')""",
        [article_id, "s_" + article_id, day, url, url, domain, title, published, published + timedelta(hours=1),
         text, len(text.split())],
    )
    if with_signature:
        signature = article_signatures(pa.table({"article_id": [article_id], "body": [text]})).to_pylist()[0]
        con.execute("INSERT INTO news.article_signatures VALUES (?, ?, ?, ?)",
                    [article_id, day, signature["body_hash"], signature["minhash"]])


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def test_links_statuses_views_and_health(con: duckdb.DuckDBPyConnection) -> None:
    url = "https://herald.test/news/hosepipe-ban"
    insert(con, "orig", body("drought_a"), DAY1, T1, url, "herald.test")
    insert(con, "update", body("drought_a") + "\n\nUpdate: the ban now starts on Friday.", DAY1 + timedelta(days=1),
           T1 + timedelta(days=1), url, "herald.test")
    insert(con, "wire_copy", body("drought_a", drop_last=True), DAY1 + timedelta(days=1), T1 + timedelta(hours=3),
           "https://wire.test/drought", "wire.test", title=None, with_signature=False)  # body hashed in the load
    insert(con, "rescrape", body("bridge"), DAY1 + timedelta(days=1), T1 + timedelta(days=1), "https://city.test/b", "city.test")
    insert(con, "bridge", body("bridge"), DAY1, T1, "https://city.test/bridge", "city.test")
    insert(con, "other", body("drought_b"), DAY1, T1, "https://farm.test/dry", "farm.test")
    con.execute("INSERT INTO news.quality_flags VALUES (?, 's_other', 'other', 'short_body', 'warn', 'x')", [DAY1])

    assert refresh_duplicates(con).links_total == 3
    assert sorted(rows(con, "SELECT article_id, duplicate_of, method FROM news.duplicates")) == [
        ("rescrape", "bridge", "exact"), ("update", "orig", "version"), ("wire_copy", "orig", "near"),
    ]
    assert dict(rows(con, "SELECT article_id, status FROM news.articles")) == {
        "orig": "superseded", "update": "ok", "wire_copy": "duplicate", "rescrape": "duplicate",
        "bridge": "ok", "other": "flagged",
    }
    assert sorted(rows(con, "SELECT article_id FROM news.articles_current")) == [("bridge",), ("other",), ("update",)]
    assert sorted(rows(con, "SELECT article_id, version_no, is_latest FROM news.article_versions")) == [
        ("orig", 1, False), ("update", 2, True),
    ]
    health = {(s, d): (a, q, dup, title) for s, d, a, q, dup, title in rows(
        con, "SELECT site, partition_date, articles, quarantined, duplicates, title_fill FROM news.source_health")}
    assert health[("wire.test", DAY1 + timedelta(days=1))] == (1, 0, 1, 0.0)
    assert health[("city.test", DAY1 + timedelta(days=1))] == (1, 0, 1, 1.0)


def test_backfill_of_an_earlier_day_repoints_links(con: duckdb.DuckDBPyConnection) -> None:
    insert(con, "day2", body("robotics"), DAY1 + timedelta(days=1), T1 + timedelta(days=1), "https://a.test/r", "a.test")
    insert(con, "day3", body("robotics", drop_last=True), DAY1 + timedelta(days=2), T1 + timedelta(days=2), "https://b.test/r", "b.test")
    refresh_duplicates(con)
    assert rows(con, "SELECT article_id, duplicate_of, method FROM news.duplicates") == [("day3", "day2", "near")]
    insert(con, "day0", body("robotics"), DAY1 - timedelta(days=1), T1 - timedelta(days=1), "https://c.test/r", "c.test")
    refresh_duplicates(con)
    assert sorted(rows(con, "SELECT article_id, duplicate_of, method FROM news.duplicates")) == [
        ("day2", "day0", "exact"), ("day3", "day0", "near"),
    ]
    assert rows(con, "SELECT article_id FROM news.articles_current") == [("day0",)]


def test_articles_loaded_without_signatures_are_signed_once(con: duckdb.DuckDBPyConnection) -> None:
    insert(con, "old", body("bridge"), DAY1, T1, "https://a.test/b", "a.test", with_signature=False)
    insert(con, "new", body("bridge"), DAY1 + timedelta(days=1), T1 + timedelta(days=1), "https://b.test/b", "b.test")
    refresh_duplicates(con)
    assert rows(con, "SELECT article_id, partition_date FROM news.article_signatures ORDER BY 1") == [
        ("new", DAY1 + timedelta(days=1)), ("old", DAY1),
    ]
    assert rows(con, "SELECT article_id, duplicate_of, method FROM news.duplicates") == [("new", "old", "exact")]
    refresh_duplicates(con)
    assert rows(con, "SELECT count(*) FROM news.article_signatures")[0][0] == 2
