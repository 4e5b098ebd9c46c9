-- The persisted duplicate index (issue 12): the keys under which two articles can be linked (body
-- hash, version key, one per MinHash LSH band; newskit.dedup.match_keys). The load recomputes the
-- links of the articles that share keys with the day's old and new articles, never the whole history.
CREATE TABLE IF NOT EXISTS news.article_keys (
    article_id     VARCHAR NOT NULL,
    partition_date DATE NOT NULL,
    key            BIGINT NOT NULL
);
