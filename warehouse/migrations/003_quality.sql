-- Quality: stored MinHash signatures for dedup over the whole history, publisher health per site
-- and day, and the analysts' default views (duplicates and superseded versions left out).

-- One row per article: normalised body hash and MinHash (128 little-endian uint32, NULL when the
-- body is too short for near matching). Written by the quality stage, so the load never
-- recomputes a signature of an earlier day.
CREATE TABLE IF NOT EXISTS news.article_signatures (
    article_id     VARCHAR NOT NULL,
    partition_date DATE NOT NULL,
    body_hash      VARCHAR NOT NULL,
    minhash        BLOB
);

-- Per site and day; recomputed for the whole history inside every load (a backfill changes the
-- duplicate share of later days).
CREATE TABLE IF NOT EXISTS news.source_health (
    site            VARCHAR NOT NULL,
    partition_date  DATE NOT NULL,
    articles        BIGINT NOT NULL,        -- articles kept (duplicates included)
    quarantined     BIGINT NOT NULL,        -- scrapes quarantined
    duplicates      BIGINT NOT NULL,        -- articles that are exact or near duplicates
    title_fill      DOUBLE,                 -- share of articles with a title (NULL: no articles)
    date_fill       DOUBLE,                 -- ... with published_at
    authors_fill    DOUBLE,                 -- ... with at least one author
    mean_body_chars DOUBLE,
    duplicate_share DOUBLE
);

-- Version chains (same canonical URL, changed text): the earliest version is the root; the
-- newest (last by published_at, then fetched_at, then article_id) is the one shown.
CREATE OR REPLACE VIEW news.article_versions AS
WITH chains AS (
    SELECT duplicate_of AS root_id, article_id FROM news.duplicates WHERE method = 'version'
    UNION
    SELECT DISTINCT duplicate_of, duplicate_of FROM news.duplicates WHERE method = 'version'
)
SELECT
    c.root_id,
    c.article_id,
    row_number() OVER (PARTITION BY c.root_id ORDER BY a.published_at NULLS LAST, a.fetched_at, a.article_id) AS version_no,
    row_number() OVER (PARTITION BY c.root_id ORDER BY a.published_at DESC NULLS FIRST, a.fetched_at DESC, a.article_id DESC) = 1 AS is_latest
FROM chains c
JOIN news.articles a USING (article_id);

-- The analysts' default: every article that is neither a duplicate nor a superseded version.
CREATE OR REPLACE VIEW news.articles_current AS
SELECT * FROM news.articles WHERE status IN ('ok', 'flagged');
