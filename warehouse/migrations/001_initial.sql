-- The analysts' contract (see README "Tables"). Every table carries partition_date; a load
-- replaces one partition's rows in one transaction.
CREATE SCHEMA IF NOT EXISTS news;

CREATE TABLE IF NOT EXISTS news.raw_scrapes (
    scrape_id        VARCHAR NOT NULL,
    partition_date   DATE NOT NULL,
    source           VARCHAR NOT NULL,
    source_kind      VARCHAR NOT NULL,
    url              VARCHAR,
    site             VARCHAR,
    fetched_at       TIMESTAMPTZ NOT NULL,
    content_type     VARCHAR,
    declared_charset VARCHAR,
    sha256           VARCHAR NOT NULL,
    bytes            BIGINT NOT NULL,
    content          BLOB
);

CREATE TABLE IF NOT EXISTS news.articles (
    article_id          VARCHAR NOT NULL,
    scrape_id           VARCHAR NOT NULL,
    partition_date      DATE NOT NULL,
    url                 VARCHAR,
    canonical_url       VARCHAR,
    domain              VARCHAR,
    site_name           VARCHAR,
    title               VARCHAR,
    title_source        VARCHAR,
    authors             VARCHAR[],
    authors_source      VARCHAR,
    published_at        TIMESTAMPTZ,
    published_at_source VARCHAR,
    fetched_at          TIMESTAMPTZ,
    language            VARCHAR,
    description         VARCHAR,
    body                VARCHAR NOT NULL,
    word_count          INTEGER NOT NULL,
    content_sha256      VARCHAR NOT NULL,
    status              VARCHAR NOT NULL,   -- ok | flagged | duplicate
    extractor_version   VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS news.paragraphs (
    article_id     VARCHAR NOT NULL,
    partition_date DATE NOT NULL,
    paragraph_no   INTEGER NOT NULL,
    kind           VARCHAR NOT NULL,        -- body | caption | credit
    text           VARCHAR NOT NULL,
    char_start     INTEGER,                 -- NULL for captions and credits
    char_end       INTEGER
);

CREATE TABLE IF NOT EXISTS news.sentences (
    article_id     VARCHAR NOT NULL,
    partition_date DATE NOT NULL,
    sentence_no    INTEGER NOT NULL,
    paragraph_no   INTEGER NOT NULL,
    text           VARCHAR NOT NULL,
    char_start     INTEGER NOT NULL,
    char_end       INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS news.entities (
    article_id     VARCHAR NOT NULL,
    partition_date DATE NOT NULL,
    entity_no      INTEGER NOT NULL,
    sentence_no    INTEGER NOT NULL,
    text           VARCHAR NOT NULL,
    label          VARCHAR NOT NULL,
    canonical      VARCHAR NOT NULL,
    char_start     INTEGER NOT NULL,
    char_end       INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS news.figures (
    article_id     VARCHAR NOT NULL,
    partition_date DATE NOT NULL,
    figure_no      INTEGER NOT NULL,
    sentence_no    INTEGER NOT NULL,
    text           VARCHAR NOT NULL,
    value          DOUBLE,
    unit           VARCHAR,
    counted        VARCHAR,
    counted_text   VARCHAR,
    qualifier      VARCHAR,
    qualifier_text VARCHAR,
    kind           VARCHAR NOT NULL,
    date_value     DATE,
    date_grain     VARCHAR,                 -- day | month | year, for kind = 'date'
    char_start     INTEGER NOT NULL,
    char_end       INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS news.quality_flags (
    partition_date DATE NOT NULL,
    scrape_id      VARCHAR NOT NULL,
    article_id     VARCHAR,
    check_name     VARCHAR NOT NULL,
    severity       VARCHAR NOT NULL,        -- error | warn
    detail         VARCHAR
);

CREATE TABLE IF NOT EXISTS news.duplicates (
    article_id     VARCHAR NOT NULL,
    partition_date DATE NOT NULL,
    duplicate_of   VARCHAR NOT NULL,
    method         VARCHAR NOT NULL,        -- exact | near | version
    similarity     DOUBLE NOT NULL
);

CREATE TABLE IF NOT EXISTS news.quarantine (
    scrape_id      VARCHAR NOT NULL,
    partition_date DATE NOT NULL,
    source         VARCHAR NOT NULL,
    reasons        VARCHAR[] NOT NULL,
    detail         VARCHAR
);
