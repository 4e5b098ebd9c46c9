-- Every HTTP request the raw_scrapes stage made (or decided not to make) for a day's web sources:
-- robots.txt, feeds, sitemaps and pages, one row per attempt. attempt 0 = decided without a
-- request (robots_disallowed, already_fetched, page_limit, blocked redirect...). See docs/sources.md.
CREATE SCHEMA IF NOT EXISTS news;

CREATE TABLE IF NOT EXISTS news.fetch_log (
    partition_date DATE NOT NULL,
    source_name    VARCHAR NOT NULL,        -- the `name` of the source in the sources file
    url            VARCHAR NOT NULL,
    purpose        VARCHAR NOT NULL,        -- page | feed | sitemap | robots
    attempt        INTEGER NOT NULL,
    status         INTEGER,                 -- HTTP status; NULL when no answer
    bytes          BIGINT NOT NULL,         -- body bytes received (after gzip/deflate decoding)
    elapsed_ms     BIGINT NOT NULL,
    error          VARCHAR,                 -- NULL on success; a short code otherwise
    fetched_at     TIMESTAMPTZ NOT NULL,
    etag           VARCHAR,
    last_modified  VARCHAR
);
