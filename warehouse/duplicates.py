"""Duplicate links over the whole warehouse history, recomputed inside the load transaction."""

from __future__ import annotations

import duckdb

from newskit.dedup import find_duplicates
from warehouse.connection import run


def refresh_duplicates(con: duckdb.DuckDBPyConnection) -> int:
    """Recompute news.duplicates from every article and mark duplicates in articles.status.

    Runs on the load's own connection and transaction, so the links never depend on the order
    in which days were loaded and a backfill of an earlier day re-points them.
    """
    history = con.sql(
        "SELECT article_id, partition_date, content_sha256, published_at, fetched_at FROM news.articles"
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
        """
    )
    con.unregister("new_links")
    run(
        con,
        """
        UPDATE news.articles SET status = CASE
            WHEN article_id IN (SELECT article_id FROM news.duplicates) THEN 'duplicate'
            WHEN article_id IN (SELECT article_id FROM news.quality_flags WHERE article_id IS NOT NULL) THEN 'flagged'
            ELSE 'ok' END
        """
    )
    return links.num_rows
