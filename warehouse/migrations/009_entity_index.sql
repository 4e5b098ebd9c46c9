-- Issue 14: quotations, geocoded places and one key per entity across articles and days
-- (warehouse/contract.py: news.quotes, news.places, entities.entity_key, news.entity_index).
-- The nlp stage computes them (newskit/entity_keys.py annotate_extras); the load loads them.

-- geo:<geonameid> for a geocoded place, iso:<ISO 3166-2> for a region without a GeoNames id,
-- else <label>:<normalised canonical name> ("PERSON:mara lindqvist"). NULL in rows loaded before
-- this migration, until their day is re-run.
ALTER TABLE news.entities ADD COLUMN IF NOT EXISTS entity_key VARCHAR;

-- One row per quotation in an article body. text is the quoted words; char_start/char_end span
-- the quotation from its first quoted character to its last (an interrupting attribution or a
-- paragraph break inside, for quotes in several pieces).
CREATE TABLE IF NOT EXISTS news.quotes (
    article_id        VARCHAR NOT NULL,
    partition_date    DATE NOT NULL,
    quote_no          INTEGER NOT NULL,
    sentence_no       INTEGER NOT NULL,
    text              VARCHAR NOT NULL,
    char_start        INTEGER NOT NULL,
    char_end          INTEGER NOT NULL,
    speaker           VARCHAR,              -- as written ("she", "the ministry", "Priya Raman")
    speaker_canonical VARCHAR,              -- the article's canonical name, NULL when unresolved
    cue               VARCHAR,              -- said, told, added, warned, according to ...
    kind              VARCHAR NOT NULL      -- direct | reported
);

-- One row per article and place entity (GPE/LOC/FAC) key, geocoded or not (NULLs).
CREATE TABLE IF NOT EXISTS news.places (
    article_id     VARCHAR NOT NULL,
    partition_date DATE NOT NULL,
    entity_key     VARCHAR NOT NULL,
    mention        VARCHAR NOT NULL,        -- first mention as written
    geonameid      BIGINT,
    name           VARCHAR,
    country_code   VARCHAR,                 -- ISO 3166-1 alpha-2
    admin1_code    VARCHAR,                 -- GeoNames admin1 code
    latitude       DOUBLE,
    longitude      DOUBLE,
    feature_class  VARCHAR,                 -- A country/region, P city, L continent
    population     BIGINT,
    mentions       INTEGER NOT NULL,        -- how often in the article
    resolved_by    VARCHAR                  -- unique name, region nearby, country in context, ...
);

-- One row per entity key over the analysts' default articles (no duplicates, latest versions).
CREATE OR REPLACE VIEW news.entity_index AS
WITH mentions AS (
    SELECT e.entity_key, e.label, e.canonical, e.article_id, a.partition_date, a.domain
    FROM news.entities e
    JOIN news.articles_current a USING (article_id)
    WHERE e.entity_key IS NOT NULL
),
names AS (
    SELECT entity_key, canonical, count(*) AS n,
           row_number() OVER (PARTITION BY entity_key ORDER BY count(*) DESC, canonical) AS rank
    FROM mentions GROUP BY entity_key, canonical
),
sites AS (
    SELECT entity_key, list(domain ORDER BY n DESC, domain)[1:3] AS top_sites
    FROM (SELECT entity_key, domain, count(DISTINCT article_id) AS n FROM mentions
          WHERE domain IS NOT NULL GROUP BY entity_key, domain)
    GROUP BY entity_key
),
geocoded AS (
    SELECT entity_key, any_value(name) AS name FROM news.places WHERE name IS NOT NULL GROUP BY entity_key
)
SELECT m.entity_key,
       mode(m.label) AS label,
       coalesce(any_value(g.name), any_value(nm.canonical)) AS display_name,
       count(DISTINCT m.article_id) AS articles,
       count(*) AS mentions,
       min(m.partition_date) AS first_day,
       max(m.partition_date) AS last_day,
       any_value(s.top_sites) AS top_sites
FROM mentions m
LEFT JOIN names nm ON nm.entity_key = m.entity_key AND nm.rank = 1
LEFT JOIN sites s ON s.entity_key = m.entity_key
LEFT JOIN geocoded g ON g.entity_key = m.entity_key
GROUP BY m.entity_key;
