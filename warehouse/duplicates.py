"""Duplicate links and publisher health, inside the load transaction.

Everything here runs on the load's own connection and transaction (never a second connection to
the warehouse file), so the links never depend on the order in which days were loaded and a
backfill of an earlier day re-points them.

A day's load does not recompute the whole history. `news.article_keys` holds, per article, the
keys under which `find_duplicates` can relate two articles (body hash, version key, one key per
pair of near-matching articles, found through the LSH band keys in `news.article_bands`: see
newskit/dedup.py). The links of the articles that share no key,
directly or through others, with the day's old or new articles cannot change, so only that
connected set is recomputed (`connected_articles`): the same rows as a full recompute
(`refresh_duplicates(con)`, kept for repairs and the tests that compare both), at a cost set by
the day and its duplicate clusters, not by the length of the history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb
import pyarrow as pa

from newskit.dedup import article_signatures, band_keys, find_duplicates, match_keys, near_match_keys
from newskit.health import source_health
from newskit.records import site_from_url
from warehouse.connection import run

AFFECTED = "dedup_affected"  # temp table: the article ids whose links are recomputed
_IN_AFFECTED = f"article_id IN (SELECT article_id FROM {AFFECTED})"
# what a refresh writes about the recomputed articles: their links and their statuses
_LINKED_ROWS = f"""
    SELECT partition_date, article_id, duplicate_of, method, similarity, NULL AS status
    FROM news.duplicates WHERE {_IN_AFFECTED}
    UNION ALL SELECT partition_date, article_id, NULL, NULL, NULL, status FROM news.articles WHERE {_IN_AFFECTED}"""


@dataclass
class DuplicateRefresh:
    links_total: int = 0  # rows of news.duplicates after the refresh
    recomputed: int = 0  # articles whose links were recomputed
    days: set[date] = field(default_factory=set)  # the day and the days whose links or statuses changed


def day_keys(con: duckdb.DuckDBPyConnection, day: date) -> pa.Table:
    """The stored keys of a day's articles: read before the load replaces the day, so that the
    articles linked to its old rows are recomputed too."""
    return con.sql("SELECT DISTINCT key FROM news.article_keys WHERE partition_date = ?", params=[day]).to_arrow_table()


def refresh_duplicates(
    con: duckdb.DuckDBPyConnection, day: date | None = None, old_keys: pa.Table | None = None
) -> DuplicateRefresh:
    """Recompute news.duplicates, the duplicate flags, articles.status and news.source_health.

    Without `day`: over the whole history. With `day` (just replaced in this transaction) and
    `old_keys` (`day_keys` before the replacement): only for the articles connected to the day's
    old or new articles, with the same result. Articles without stored signatures or keys (loaded
    before they existed) are signed and keyed once here.
    """
    store_missing_signatures(con)
    store_missing_keys(con)
    if day is None:
        run(con, f"CREATE OR REPLACE TEMP TABLE {AFFECTED} AS SELECT DISTINCT article_id FROM news.articles")
        scope = "TRUE"
    else:
        connected_articles(con, day, old_keys if old_keys is not None else pa.table({"key": pa.array([], pa.int64())}))
        scope = _IN_AFFECTED
    run(con, f"CREATE OR REPLACE TEMP TABLE dedup_before AS {_LINKED_ROWS}")
    history = con.sql(
        f"""
        SELECT a.article_id, a.url, a.canonical_url, r.source, a.published_at, a.fetched_at, s.body_hash, s.minhash
        FROM (SELECT * FROM news.articles WHERE {_IN_AFFECTED}) a
        JOIN (SELECT DISTINCT ON (article_id) article_id, body_hash, minhash FROM news.article_signatures
              WHERE {_IN_AFFECTED}) s USING (article_id)
        LEFT JOIN (SELECT DISTINCT scrape_id, partition_date, source FROM news.raw_scrapes
                   WHERE scrape_id IN (SELECT scrape_id FROM news.articles WHERE {_IN_AFFECTED})) r
          USING (scrape_id, partition_date)
        """
    ).to_arrow_table()
    links = find_duplicates(history)
    run(con, f"DELETE FROM news.duplicates WHERE {scope}")
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
    run(con, f"DELETE FROM news.quality_flags WHERE check_name = 'duplicate' AND {scope}")
    run(
        con,
        f"""
        INSERT INTO news.quality_flags (partition_date, scrape_id, article_id, check_name, severity, detail)
        SELECT a.partition_date, a.scrape_id, d.article_id, 'duplicate', 'warn',
               printf('%s duplicate of %s (similarity %.2f)', d.method, d.duplicate_of, d.similarity)
        FROM (SELECT * FROM news.duplicates WHERE {_IN_AFFECTED}) d JOIN news.articles a USING (article_id)
        """,
    )
    run(
        con,
        f"""
        UPDATE news.articles SET status = CASE
            WHEN article_id IN (SELECT article_id FROM news.duplicates WHERE method IN ('exact', 'near')) THEN 'duplicate'
            WHEN article_id IN (SELECT article_id FROM news.article_versions WHERE NOT is_latest) THEN 'superseded'
            WHEN article_id IN (SELECT article_id FROM news.quality_flags
                                WHERE article_id IS NOT NULL AND check_name <> 'duplicate') THEN 'flagged'
            ELSE 'ok' END
        WHERE {scope}
        """,
    )
    days = changed_days(con)
    if day is not None:
        days.add(day)
    refresh_source_health(con, None if day is None else days)
    return DuplicateRefresh(
        links_total=con.execute("SELECT count(*) FROM news.duplicates").fetchall()[0][0],
        recomputed=history.num_rows,
        days=days,
    )


def changed_days(con: duckdb.DuckDBPyConnection) -> set[date]:
    """Days whose links or statuses of the recomputed articles differ from before the refresh
    (most links of a connected set do not move: a new copy links to an original that stays one)."""
    run(con, f"CREATE OR REPLACE TEMP TABLE dedup_after AS {_LINKED_ROWS}")
    return {d for (d,) in con.execute(
        """SELECT DISTINCT partition_date FROM (
               (SELECT * FROM dedup_before EXCEPT ALL SELECT * FROM dedup_after)
               UNION ALL (SELECT * FROM dedup_after EXCEPT ALL SELECT * FROM dedup_before))"""
    ).fetchall()}


def connected_articles(con: duckdb.DuckDBPyConnection, day: date, old_keys: pa.Table) -> int:
    """Fill the temp table of affected articles: those sharing a key, directly or through other
    articles, with the day's new articles or its replaced ones (`old_keys`). Joins on the stored
    keys, one round per step of the chain (usually two or three); returns the article count."""
    con.register("old_day_keys", old_keys)
    run(
        con,
        """CREATE OR REPLACE TEMP TABLE dedup_seen_keys AS
           SELECT key FROM old_day_keys UNION SELECT key FROM news.article_keys WHERE partition_date = ?""",
        [day],
    )
    con.unregister("old_day_keys")
    run(con, f"""CREATE OR REPLACE TEMP TABLE {AFFECTED} AS SELECT DISTINCT article_id FROM news.article_keys
                 WHERE key IN (SELECT key FROM dedup_seen_keys)""")
    run(con, f"CREATE OR REPLACE TEMP TABLE dedup_frontier AS SELECT article_id FROM {AFFECTED}")
    while True:
        run(con, """CREATE OR REPLACE TEMP TABLE dedup_new_keys AS SELECT DISTINCT key FROM news.article_keys
                    WHERE article_id IN (SELECT article_id FROM dedup_frontier)
                      AND key NOT IN (SELECT key FROM dedup_seen_keys)""")
        run(con, "INSERT INTO dedup_seen_keys SELECT key FROM dedup_new_keys")
        run(con, f"""CREATE OR REPLACE TEMP TABLE dedup_frontier AS SELECT DISTINCT article_id FROM news.article_keys
                     WHERE key IN (SELECT key FROM dedup_new_keys)
                       AND article_id NOT IN (SELECT article_id FROM {AFFECTED})""")
        if con.execute("SELECT count(*) FROM dedup_frontier").fetchall()[0][0] == 0:
            break
        run(con, f"INSERT INTO {AFFECTED} SELECT article_id FROM dedup_frontier")
    return con.execute(f"SELECT count(*) FROM {AFFECTED}").fetchall()[0][0]


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


def store_missing_keys(con: duckdb.DuckDBPyConnection) -> int:
    """Key the articles that have no row in news.article_keys (the day just loaded, older loads):
    their hash and version keys, their LSH bands, and a key per near match with any other article
    (found through shared bands, checked on the MinHashes). Returns the articles keyed."""
    missing = con.sql(
        """
        SELECT a.article_id, a.partition_date, s.body_hash, s.minhash, a.canonical_url, a.url, r.source
        FROM (SELECT * FROM news.articles WHERE article_id NOT IN (SELECT article_id FROM news.article_keys)) a
        JOIN (SELECT DISTINCT ON (article_id) article_id, body_hash, minhash FROM news.article_signatures) s
          USING (article_id)
        LEFT JOIN (SELECT DISTINCT scrape_id, partition_date, source FROM news.raw_scrapes) r
          USING (scrape_id, partition_date)
        """
    ).to_arrow_table()
    if missing.num_rows == 0:
        return 0
    days = pa.table({"article_id": missing.column("article_id"), "partition_date": missing.column("partition_date")})
    con.register("keyed_days", days)
    con.register("keyed_hashes", match_keys(missing))
    con.register("keyed_bands", band_keys(missing))
    run(con, """INSERT INTO news.article_keys (article_id, partition_date, key)
                SELECT DISTINCT k.article_id, d.partition_date, k.key
                FROM keyed_hashes k JOIN (SELECT DISTINCT article_id, partition_date FROM keyed_days) d USING (article_id)""")
    run(con, "DELETE FROM news.article_bands WHERE article_id IN (SELECT article_id FROM keyed_days)")
    run(con, """INSERT INTO news.article_bands (article_id, partition_date, band)
                SELECT DISTINCT b.article_id, d.partition_date, b.band
                FROM keyed_bands b JOIN (SELECT DISTINCT article_id, partition_date FROM keyed_days) d USING (article_id)""")
    candidates = con.sql(
        """
        SELECT DISTINCT m.article_id AS one, o.article_id AS other
        FROM keyed_bands m JOIN news.article_bands o USING (band)
        WHERE o.article_id <> m.article_id
        """
    ).to_arrow_table()
    con.unregister("keyed_hashes")
    con.unregister("keyed_bands")
    if candidates.num_rows:
        con.register("candidate_pairs", candidates)
        sketches = dict(con.sql(
            """SELECT DISTINCT ON (article_id) article_id, minhash FROM news.article_signatures
               WHERE article_id IN (SELECT one FROM candidate_pairs UNION SELECT other FROM candidate_pairs)"""
        ).fetchall())
        con.unregister("candidate_pairs")
        con.register("near_pairs", near_match_keys(candidates, sketches))
        run(con, """INSERT INTO news.article_keys (article_id, partition_date, key)
                    SELECT DISTINCT side.article_id, a.partition_date, side.key
                    FROM (SELECT one AS article_id, key FROM near_pairs UNION SELECT other, key FROM near_pairs) side
                    JOIN (SELECT DISTINCT article_id, partition_date FROM news.articles
                          WHERE article_id IN (SELECT one FROM near_pairs UNION SELECT other FROM near_pairs)) a
                      USING (article_id)
                    WHERE NOT EXISTS (SELECT 1 FROM news.article_keys k
                                      WHERE k.article_id = side.article_id AND k.key = side.key)""")
        con.unregister("near_pairs")
    con.unregister("keyed_days")
    return missing.num_rows


def refresh_source_health(con: duckdb.DuckDBPyConnection, days: set[date] | None = None) -> int:
    """Rebuild news.source_health for `days` (default: every day); a day's rows depend on that
    day's articles and quarantine alone, and duplicate shares change when links do."""
    where, params = ("TRUE", []) if days is None else ("partition_date IN (SELECT unnest(?::DATE[]))", [sorted(days)])
    articles = con.sql(
        f"""
        SELECT partition_date, coalesce(domain, site_name) AS site, title, published_at, authors,
               length(body) AS body_chars, status = 'duplicate' AS is_duplicate
        FROM news.articles WHERE {where}
        """,
        params=params,
    ).to_arrow_table()
    held = con.execute(
        f"""
        SELECT q.partition_date, r.url, r.site
        FROM (SELECT * FROM news.quarantine WHERE {where}) q
        LEFT JOIN (SELECT scrape_id, partition_date, url, site FROM news.raw_scrapes WHERE {where}) r
          USING (scrape_id, partition_date)
        """,
        params * 2,
    ).fetchall()
    quarantined = pa.table(
        {
            "partition_date": pa.array([d for d, _, _ in held], pa.date32()),
            "site": pa.array([site_from_url(url) or site for _, url, site in held], pa.string()),
        }
    )
    health = source_health(articles, quarantined)
    run(con, f"DELETE FROM news.source_health WHERE {where}", params)
    con.register("new_health", health)
    run(con, "INSERT INTO news.source_health BY NAME SELECT * FROM new_health")
    con.unregister("new_health")
    return health.num_rows
