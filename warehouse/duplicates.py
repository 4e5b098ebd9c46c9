"""Duplicate links and publisher health over the whole warehouse history, inside the load transaction.

Everything here runs on the load's own connection and transaction (never a second connection to
the warehouse file), so the links never depend on the order in which days were loaded and a
backfill of an earlier day re-points them.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from newskit.dedup import article_signatures, find_duplicates
from newskit.health import source_health
from newskit.records import site_from_url
from warehouse.connection import run


def refresh_duplicates(con: duckdb.DuckDBPyConnection) -> int:
    """Recompute news.duplicates, articles.status and news.source_health; returns the link count.

    Stored signatures (news.article_signatures) are used; articles without one (loaded before
    signatures existed) are signed once here and stored.
    """
    store_missing_signatures(con)
    history = con.sql(
        """
        SELECT a.article_id, a.url, a.canonical_url, r.source, a.published_at, a.fetched_at, s.body_hash, s.minhash
        FROM news.articles a
        JOIN (SELECT DISTINCT ON (article_id) article_id, body_hash, minhash FROM news.article_signatures) s
          USING (article_id)
        LEFT JOIN (SELECT DISTINCT scrape_id, partition_date, source FROM news.raw_scrapes) r
          USING (scrape_id, partition_date)
        """
    ).to_arrow_table()
    links = find_duplicates(history)
    run(con, "DELETE FROM news.duplicates")
    con.register("new_links", links)
    run(
        con,
        """
        INSERT INTO news.duplicates (article_id, partition_date, duplicate_of, method, similarity)
        SELECT l.article_id, a.partition_date, l.duplicate_of, l.method, l.similarity
        FROM new_links l JOIN news.articles a USING (article_id)
        """,
    )
    con.unregister("new_links")
    # every duplicate also gets a warn flag, so news.quality_flags lists all that is wrong with an article
    run(con, "DELETE FROM news.quality_flags WHERE check_name = 'duplicate'")
    run(
        con,
        """
        INSERT INTO news.quality_flags (partition_date, scrape_id, article_id, check_name, severity, detail)
        SELECT a.partition_date, a.scrape_id, d.article_id, 'duplicate', 'warn',
               printf('%s duplicate of %s (similarity %.2f)', d.method, d.duplicate_of, d.similarity)
        FROM news.duplicates d JOIN news.articles a USING (article_id)
        """,
    )
    run(
        con,
        """
        UPDATE news.articles SET status = CASE
            WHEN article_id IN (SELECT article_id FROM news.duplicates WHERE method IN ('exact', 'near')) THEN 'duplicate'
            WHEN article_id IN (SELECT article_id FROM news.article_versions WHERE NOT is_latest) THEN 'superseded'
            WHEN article_id IN (SELECT article_id FROM news.quality_flags
                                WHERE article_id IS NOT NULL AND check_name <> 'duplicate') THEN 'flagged'
            ELSE 'ok' END
        """,
    )
    refresh_source_health(con)
    return links.num_rows


def store_missing_signatures(con: duckdb.DuckDBPyConnection) -> int:
    """Sign the articles that have no row in news.article_signatures (older loads) and store them."""
    missing = con.sql(
        """
        SELECT article_id, partition_date, body FROM news.articles
        WHERE article_id NOT IN (SELECT article_id FROM news.article_signatures)
        """
    ).to_arrow_table()
    if missing.num_rows == 0:
        return 0
    signed = article_signatures(missing).add_column(1, "partition_date", missing.column("partition_date"))
    con.register("new_signatures", signed)
    run(con, "INSERT INTO news.article_signatures BY NAME SELECT * FROM new_signatures")
    con.unregister("new_signatures")
    return signed.num_rows


def refresh_source_health(con: duckdb.DuckDBPyConnection) -> int:
    """Rebuild news.source_health for every day (duplicate shares change when history changes)."""
    articles = con.sql(
        """
        SELECT partition_date, coalesce(domain, site_name) AS site, title, published_at, authors,
               length(body) AS body_chars, status = 'duplicate' AS is_duplicate
        FROM news.articles
        """
    ).to_arrow_table()
    held = con.execute(
        """
        SELECT q.partition_date, r.url, r.site
        FROM news.quarantine q LEFT JOIN news.raw_scrapes r USING (scrape_id, partition_date)
        """
    ).fetchall()
    quarantined = pa.table(
        {
            "partition_date": pa.array([d for d, _, _ in held], pa.date32()),
            "site": pa.array([site_from_url(url) or site for _, url, site in held], pa.string()),
        }
    )
    health = source_health(articles, quarantined)
    run(con, "DELETE FROM news.source_health")
    con.register("new_health", health)
    run(con, "INSERT INTO news.source_health BY NAME SELECT * FROM new_health")
    con.unregister("new_health")
    return health.num_rows
