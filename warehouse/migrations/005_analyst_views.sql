-- Views for analysts (the SQL cookbook in docs/queries.md runs on them). Mentions and figures come
-- with their article's day, site, title and sentence, and only from news.articles_current (no
-- duplicates, no superseded versions), the analysts' default. Views hold no rows of their own:
-- the load never touches them, and they read whatever the tables hold.

-- One row per sentence of a current article, with the article's day, site, title, URL and time.
CREATE OR REPLACE VIEW news.article_sentences AS
SELECT
    a.partition_date,
    a.article_id,
    a.domain AS site,
    a.site_name,
    a.title,
    a.url,
    a.published_at,
    s.sentence_no,
    s.paragraph_no,
    s.text AS sentence
FROM news.sentences s
JOIN news.articles_current a USING (article_id, partition_date);

-- One row per named-entity mention in a current article.
CREATE OR REPLACE VIEW news.entity_mentions AS
SELECT
    c.* EXCLUDE (paragraph_no, sentence),
    e.entity_no,
    e.label,
    e.canonical,
    e.text,
    c.sentence,
    e.char_start,
    e.char_end
FROM news.entities e
JOIN news.article_sentences c USING (article_id, partition_date, sentence_no);

-- One row per figure (count, money, percent, duration, date ...) quoted in a current article.
CREATE OR REPLACE VIEW news.figure_mentions AS
SELECT
    c.* EXCLUDE (paragraph_no, sentence),
    f.figure_no,
    f.kind,
    f.text,
    f.value,
    f.unit,
    f.counted,
    f.qualifier,
    f.date_value,
    f.date_grain,
    c.sentence,
    f.char_start,
    f.char_end
FROM news.figures f
JOIN news.article_sentences c USING (article_id, partition_date, sentence_no);

-- One row per (quarantined scrape, reason code), with the scrape's URL and site.
CREATE OR REPLACE VIEW news.quarantine_reasons AS
SELECT
    q.partition_date,
    q.scrape_id,
    q.source,
    r.url,
    r.site,
    unnest(q.reasons) AS reason,
    q.detail
FROM news.quarantine q
LEFT JOIN news.raw_scrapes r USING (scrape_id, partition_date);

-- Exact and near duplicates grouped under their original (the earliest copy, method 'original').
-- Version chains of one canonical URL are news.article_versions.
CREATE OR REPLACE VIEW news.duplicate_clusters AS
WITH members AS (
    SELECT duplicate_of AS original_id, article_id, method, similarity
    FROM news.duplicates WHERE method IN ('exact', 'near')
    UNION ALL
    SELECT DISTINCT duplicate_of, duplicate_of, 'original', 1.0
    FROM news.duplicates WHERE method IN ('exact', 'near')
)
SELECT
    m.original_id,
    m.article_id,
    m.method,
    m.similarity,
    a.partition_date,
    a.domain AS site,
    a.title,
    a.url,
    a.canonical_url,
    a.published_at
FROM members m
JOIN news.articles a USING (article_id);
