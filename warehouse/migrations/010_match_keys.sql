-- The persisted duplicate index (issue 12; warehouse/duplicates.py). A day's load recomputes the
-- links of the articles connected to the day's old and new articles through these keys, never the
-- whole history.
-- article_keys: the relations the links depend on: body hash, version key, and one key per pair
-- of near-matching articles (a row for each of the two articles).
CREATE TABLE IF NOT EXISTS news.article_keys (
    article_id     VARCHAR NOT NULL,
    partition_date DATE NOT NULL,
    key            BIGINT NOT NULL
);
-- article_bands: one key per MinHash LSH band, joined to find a new article's LSH candidates.
CREATE TABLE IF NOT EXISTS news.article_bands (
    article_id     VARCHAR NOT NULL,
    partition_date DATE NOT NULL,
    band           BIGINT NOT NULL
);
