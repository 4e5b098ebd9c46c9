"""The analysts' contract: every `news.*` table and view, defined once, as plain data.

A table is its columns (name, DuckDB type, NOT NULL, description), its key, what one row is, and
the stage assets its rows come from. Everything else derives from this module:

- the Arrow schemas of the lake files the stages write (`arrow_schema`);
- the Great Expectations type, NOT NULL and key expectations of the suites
  (`expectations/generate.py` writes them into `expectations/suites/<table>.json`);
- the Dagster column schemas of the table assets (`assets/load.py`);
- the data dictionary `docs/tables.md` (`render_tables_md`).

The migrations (`warehouse/migrations/NNN_*.sql`) are the history of the schema and must agree
with it: tests/test_contract.py applies them to a temp DuckDB and compares columns, types and
NOT NULL, views included. After changing a table here and in a new migration, regenerate the
suites and the dictionary:

    .venv/bin/python -m warehouse.contract

Arrow fields are all nullable: a NULL in a NOT NULL column reaches the load step, where the
table's suite reports it with example rows (and DuckDB would refuse it), instead of failing the
stage that wrote it on the first bad row.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

REPO_ROOT = Path(__file__).resolve().parents[1]
TABLES_MD = REPO_ROOT / "docs" / "tables.md"

ARROW_TYPES: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(),
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "DATE": pa.date32(),
    "TIMESTAMPTZ": pa.timestamp("us", tz="UTC"),
    "BLOB": pa.large_binary(),
    "VARCHAR[]": pa.list_(pa.string()),
}
# information_schema.columns.data_type spells one of them out
INFORMATION_SCHEMA_TYPES = {"TIMESTAMP WITH TIME ZONE": "TIMESTAMPTZ"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a key of ARROW_TYPES, as written in the migrations
    description: str
    not_null: bool = False

    def __post_init__(self) -> None:
        if self.type not in ARROW_TYPES:
            raise ValueError(f"column {self.name}: unknown type {self.type!r} (one of {', '.join(ARROW_TYPES)})")

    @property
    def arrow_type(self) -> pa.DataType:
        return ARROW_TYPES[self.type]


@dataclass(frozen=True)
class Table:
    name: str
    grain: str  # what one row is
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    upstream: tuple[str, ...] = ()  # asset keys its rows come from: stage assets or other news/* tables
    view: bool = False
    notes: tuple[str, ...] = field(default=())  # extra paragraphs for docs/tables.md

    def __post_init__(self) -> None:
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: a column is listed twice")
        if missing := [k for k in self.key if k not in names]:
            raise ValueError(f"{self.name}: key columns {missing} are not columns")

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"news.{self.name} has no column {name!r}")

    @property
    def partitioned(self) -> bool:
        return "partition_date" in self.column_names


def _c(name: str, type_: str, description: str, not_null: bool = False) -> Column:
    return Column(name, type_, description, not_null)


def _nn(name: str, type_: str, description: str) -> Column:
    return Column(name, type_, description, True)


PARTITION_DATE = _nn("partition_date", "DATE", "The day (UTC) whose run loaded the row: the daily partition.")
OFFSET_START = "Offset of the first character in `articles.body` (0-based, in characters)."
OFFSET_END = "Offset after the last character in `articles.body`: `substr(body, char_start + 1, char_end - char_start) = text`."

_TABLES = (
    Table(
        "raw_scrapes",
        grain="scrape received",
        description="Every scrape of the day, byte for byte: landing files, JSONL lines, WARC records and web "
        "pages. Raw scrapes are facts: a re-run adds new ones and keeps the old, only forget_scrapes_job removes one.",
        key=("scrape_id",),
        upstream=("raw_scrapes", "quality"),
        columns=(
            _nn("scrape_id", "VARCHAR", "Deterministic id from the scrape's source and sha256: a re-run gives the same id."),
            PARTITION_DATE,
            _nn("source", "VARCHAR", "Where it came from: path relative to the scrapes folder (`:line` for a JSONL line, "
                "`@offset` for a WARC record) or the URL fetched."),
            _nn("source_kind", "VARCHAR", "landing | http | feed | sitemap | warc."),
            _c("url", "VARCHAR", "The page's URL when known (from the JSONL object, the WARC record or the fetch)."),
            _c("site", "VARCHAR", "Host name of the URL without `www.`, or of the landing sub-folder named like a domain."),
            _nn("fetched_at", "TIMESTAMPTZ", "When the scrape was fetched (file modification time for landing files)."),
            _c("content_type", "VARCHAR", "MIME type: from HTTP or the WARC record, or guessed from the file name."),
            _c("declared_charset", "VARCHAR", "Charset the transport declared (HTTP header, WARC), before any sniffing."),
            _nn("sha256", "VARCHAR", "sha256 of the full scrape (64 hex digits)."),
            _nn("bytes", "BIGINT", "Size of the full scrape in bytes (larger than `content` for a scrape quarantined too_large)."),
            _c("content", "BLOB", "The stored bytes: the whole scrape, or its first max_raw_bytes bytes."),
            _c("reject_reason", "VARCHAR", "Why the scrape was rejected where it was collected (too_large, invalid_json, "
                "not_warc ...): it then becomes a quarantine row with that reason. NULL for most scrapes."),
            _c("reject_detail", "VARCHAR", "What the collecting step saw, for reject_reason."),
        ),
    ),
    Table(
        "articles",
        grain="article kept",
        description="One article per scrape that passed the article checks, with its metadata, the clean body and "
        "its status. Analysts usually want news.articles_current (no duplicates, latest versions).",
        key=("article_id",),
        upstream=("quality",),
        columns=(
            _nn("article_id", "VARCHAR", "Deterministic id from the scrape id."),
            _nn("scrape_id", "VARCHAR", "The raw scrape it was extracted from (news.raw_scrapes)."),
            PARTITION_DATE,
            _c("url", "VARCHAR", "The URL the scrape was fetched from, or the page's own URL."),
            _c("canonical_url", "VARCHAR", "The page's canonical URL (link rel=canonical, og:url), used for versions."),
            _c("domain", "VARCHAR", "Site of the canonical URL or URL, without `www.`."),
            _c("site_name", "VARCHAR", "The publisher's name as the page gives it (og:site_name, JSON-LD publisher)."),
            _c("title", "VARCHAR", "Headline, with the site's repeated title affixes removed."),
            _c("title_source", "VARCHAR", "Where the title came from (json-ld, og, html title, header line ...)."),
            _c("authors", "VARCHAR[]", "Author names, in page order."),
            _c("authors_source", "VARCHAR", "Where the authors came from."),
            _c("published_at", "TIMESTAMPTZ", "Publication time (UTC); NULL when the page gives none."),
            _c("published_at_source", "VARCHAR", "Where the publication time came from."),
            _c("fetched_at", "TIMESTAMPTZ", "When the scrape was fetched."),
            _c("language", "VARCHAR", "ISO 639 language of the body (detected; the page's declaration when detection is unsure)."),
            _c("description", "VARCHAR", "The page's summary (meta description, og:description)."),
            _nn("body", "VARCHAR", "Clean body text: paragraphs separated by a blank line; every offset indexes into it."),
            _nn("word_count", "INTEGER", "Words in the body."),
            _nn("content_sha256", "VARCHAR", "sha256 of the body (64 hex digits)."),
            _nn("status", "VARCHAR", "ok | flagged (has warn flags) | duplicate (exact or near copy of an earlier article) "
                "| superseded (an older version of an updated story)."),
            _nn("extractor_version", "VARCHAR", "Version of the extraction and cleaning code that produced it."),
        ),
    ),
    Table(
        "paragraphs",
        grain="paragraph of an article body, caption or credit",
        description="The body paragraphs of each article in order, plus the image captions and photo credits "
        "separated from the body.",
        key=("article_id", "paragraph_no"),
        upstream=("cleaned", "quality"),
        columns=(
            _nn("article_id", "VARCHAR", "The article (news.articles)."),
            PARTITION_DATE,
            _nn("paragraph_no", "INTEGER", "Position in the article, from 0 (captions and credits after the body)."),
            _nn("kind", "VARCHAR", "body | caption | credit."),
            _nn("text", "VARCHAR", "The paragraph's text."),
            _c("char_start", "INTEGER", OFFSET_START + " NULL for captions and credits (not in the body)."),
            _c("char_end", "INTEGER", "Offset after the paragraph's last character in `articles.body`; NULL for captions and credits."),
        ),
    ),
    Table(
        "sentences",
        grain="sentence of an article body",
        description="Sentences of the body paragraphs, with offsets into the body.",
        key=("article_id", "sentence_no"),
        upstream=("cleaned", "quality"),
        columns=(
            _nn("article_id", "VARCHAR", "The article (news.articles)."),
            PARTITION_DATE,
            _nn("sentence_no", "INTEGER", "Position in the article, from 0."),
            _nn("paragraph_no", "INTEGER", "The body paragraph it belongs to (news.paragraphs)."),
            _nn("text", "VARCHAR", "The sentence's text."),
            _nn("char_start", "INTEGER", OFFSET_START),
            _nn("char_end", "INTEGER", OFFSET_END),
        ),
    ),
    Table(
        "entities",
        grain="named-entity mention",
        description="Named entities (spaCy, OntoNotes labels) in article bodies, with one canonical name per "
        "entity within an article (\"Trump\" -> \"Donald Trump\").",
        key=("article_id", "entity_no"),
        upstream=("nlp", "quality"),
        columns=(
            _nn("article_id", "VARCHAR", "The article (news.articles)."),
            PARTITION_DATE,
            _nn("entity_no", "INTEGER", "Position of the mention in the article, from 0."),
            _nn("sentence_no", "INTEGER", "The sentence it is in (news.sentences)."),
            _nn("text", "VARCHAR", "The mention as written."),
            _nn("label", "VARCHAR", "PERSON, ORG, GPE, LOC, NORP, FAC, PRODUCT, EVENT, WORK_OF_ART, LAW or LANGUAGE."),
            _nn("canonical", "VARCHAR", "The entity's fullest name in the article (the same for every mention of it)."),
            _nn("char_start", "INTEGER", OFFSET_START),
            _nn("char_end", "INTEGER", OFFSET_END),
            _c("entity_key", "VARCHAR", "The entity's key across articles and days: `geo:<GeoNames id>` for a geocoded "
               "place, `iso:<ISO 3166-2 code>` for a region without one, else `<label>:<normalised canonical name>` "
               "(\"PERSON:zoe muller\"); news.entity_index has one row per key. NULL only in rows loaded before "
               "migration 009 (re-run those days to fill it)."),
        ),
    ),
    Table(
        "figures",
        grain="figure quoted",
        description="Numbers quoted in article bodies (\"nearly 19,500 children\", \"three hours\", \"£2.4m\", "
        "\"12 March\") with their value, unit or counted noun, qualifier and kind; dates resolved against the "
        "publication date.",
        key=("article_id", "figure_no"),
        upstream=("nlp", "quality"),
        columns=(
            _nn("article_id", "VARCHAR", "The article (news.articles)."),
            PARTITION_DATE,
            _nn("figure_no", "INTEGER", "Position of the figure in the article, from 0."),
            _nn("sentence_no", "INTEGER", "The sentence it is in (news.sentences)."),
            _nn("text", "VARCHAR", "The figure as written, qualifier and counted noun included."),
            _c("value", "DOUBLE", "Numeric value (money in its currency's units, percent as 0-100); NULL for dates."),
            _c("unit", "VARCHAR", "Unit or currency (GBP, USD, percent, hour, km, degree_c ...)."),
            _c("counted", "VARCHAR", "What is counted, as a lemma (\"child\" in \"19,500 children\")."),
            _c("counted_text", "VARCHAR", "The counted noun as written."),
            _c("qualifier", "VARCHAR", "approx | over | under | at_least | at_most | up_to: how exact the figure is (NULL: exact)."),
            _c("qualifier_text", "VARCHAR", "The qualifier as written (\"nearly\", \"more than\")."),
            _nn("kind", "VARCHAR", "count | duration | money | percent | quantity | date | age | ordinal."),
            _c("date_value", "DATE", "For kind = date: the day it resolves to (first day of a month or year)."),
            _c("date_grain", "VARCHAR", "For kind = date: day | week | month | year."),
            _nn("char_start", "INTEGER", OFFSET_START),
            _nn("char_end", "INTEGER", OFFSET_END),
        ),
    ),
    Table(
        "quotes",
        grain="quotation in an article body",
        description="Quotations with their speakers: direct (the words inside quotation marks; a quote interrupted "
        "by its attribution or continued over paragraphs is one row) and reported (\"X said that ...\", \"according "
        "to X\"), each with the speaker as written and the article's canonical name for them.",
        key=("article_id", "quote_no"),
        upstream=("nlp", "quality"),
        columns=(
            _nn("article_id", "VARCHAR", "The article (news.articles)."),
            PARTITION_DATE,
            _nn("quote_no", "INTEGER", "Position of the quotation in the article, from 0."),
            _nn("sentence_no", "INTEGER", "The sentence the quotation starts in (news.sentences)."),
            _nn("text", "VARCHAR", "The quoted words (reported: the reported clause). The pieces of an interrupted quote "
                "are joined by a space, those of a quote over several paragraphs by a blank line."),
            _nn("char_start", "INTEGER", OFFSET_START + " The first quoted character."),
            _nn("char_end", "INTEGER", "Offset after the last quoted character in `articles.body`: for a quotation in one "
                "piece `substr(body, char_start + 1, char_end - char_start) = text`; an interrupted or multi-paragraph "
                "one spans its attribution or paragraph breaks too."),
            _c("speaker", "VARCHAR", "The speaker as written (\"she\", \"the ministry\", \"Priya Raman\"); NULL when none is named."),
            _c("speaker_canonical", "VARCHAR", "The speaker's canonical name in the article (news.entities.canonical): a "
               "name's entity, a pronoun's or a role's nearest preceding person, an organisation noun's organisation; "
               "NULL when unresolved (\"officials\", \"they\")."),
            _c("cue", "VARCHAR", "The words that attribute it, as written (said, told, added, warned, According to ...)."),
            _nn("kind", "VARCHAR", "direct | reported."),
        ),
    ),
    Table(
        "places",
        grain="place entity of an article",
        description="Every place entity (GPE, LOC, FAC) of an article, geocoded where it can be to a GeoNames city "
        "(15,000 people or more), a country or a first-level region, using the article's context (a country or "
        "region named nearby or elsewhere, the site's country); a name that stays ambiguous is left unresolved "
        "(NULL columns), never guessed.",
        key=("article_id", "entity_key"),
        upstream=("nlp", "quality"),
        columns=(
            _nn("article_id", "VARCHAR", "The article (news.articles)."),
            PARTITION_DATE,
            _nn("entity_key", "VARCHAR", "The place's key (news.entities.entity_key): `geo:<GeoNames id>`, `iso:<ISO 3166-2>` "
                "or `<label>:<name>` when unresolved."),
            _nn("mention", "VARCHAR", "Its first mention in the article, as written."),
            _c("geonameid", "BIGINT", "GeoNames id (NULL for a region outside the US, which has only its ISO code)."),
            _c("name", "VARCHAR", "The feature's name (GeoNames, or the ISO 3166-2 English name of a region)."),
            _c("country_code", "VARCHAR", "ISO 3166-1 alpha-2 country (NULL for a continent)."),
            _c("admin1_code", "VARCHAR", "GeoNames first-level region code of a city (`00` for a country)."),
            _c("latitude", "DOUBLE", "WGS84 latitude of the city, the country's centroid or the region's point."),
            _c("longitude", "DOUBLE", "WGS84 longitude."),
            _c("feature_class", "VARCHAR", "GeoNames feature class: P city, A country or region, L continent."),
            _c("population", "BIGINT", "Population (GeoNames; NULL for regions)."),
            _nn("mentions", "INTEGER", "How often the place is mentioned in the article."),
            _c("resolved_by", "VARCHAR", "How the feature was chosen: unique name, country/region/city named (\"the state "
               "of ...\"), country/region nearby (\"Perth, Scotland\"), region/country in context, site country, "
               "country name, city over region, region over town, largest population; NULL when unresolved."),
        ),
    ),
    Table(
        "quality_flags",
        grain="failed per-article check",
        description="What is doubtful about a loaded article: the warn-level article checks (docs/quality.md) and "
        "one `duplicate` flag per duplicate link. Error-level checks quarantine the scrape instead.",
        key=(),
        upstream=("quality", "news/duplicates"),
        columns=(
            PARTITION_DATE,
            _nn("scrape_id", "VARCHAR", "The raw scrape."),
            _c("article_id", "VARCHAR", "The article flagged."),
            _nn("check_name", "VARCHAR", "The check's code (short_body, missing_date, duplicate ...)."),
            _nn("severity", "VARCHAR", "error | warn."),
            _c("detail", "VARCHAR", "What the check found."),
        ),
    ),
    Table(
        "duplicates",
        grain="duplicate link",
        description="Exact, near and version links over the whole history: each article points at the earliest "
        "copy. A load recomputes the links of the articles connected to its day (news.article_keys), with the rows "
        "of a full recompute, so they do not depend on the order days ran in.",
        key=("article_id",),
        upstream=("news/articles", "news/article_signatures"),
        columns=(
            _nn("article_id", "VARCHAR", "The later copy."),
            PARTITION_DATE,
            _nn("duplicate_of", "VARCHAR", "The earliest copy (or the first version of the story)."),
            _nn("method", "VARCHAR", "exact (same normalised body) | near (MinHash similarity) | version (same canonical URL, changed text)."),
            _nn("similarity", "DOUBLE", "Estimated Jaccard similarity of the bodies' word shingles (1.0 for exact)."),
        ),
    ),
    Table(
        "quarantine",
        grain="scrape not loaded as an article",
        description="Every scrape that did not become an article, with its reason codes (docs/quality.md): "
        "nothing is dropped silently.",
        key=("scrape_id",),
        upstream=("quality",),
        columns=(
            _nn("scrape_id", "VARCHAR", "The raw scrape (news.raw_scrapes)."),
            PARTITION_DATE,
            _nn("source", "VARCHAR", "The scrape's source, as in news.raw_scrapes."),
            _nn("reasons", "VARCHAR[]", "Reason codes (empty, too_short, consent_wall, internal_error ...)."),
            _c("detail", "VARCHAR", "What was found, per reason."),
        ),
    ),
    Table(
        "article_signatures",
        grain="article",
        description="Dedup state: the normalised body hash and MinHash signature of each article, written by the "
        "quality stage so that a load never recomputes an earlier day's signatures.",
        key=("article_id",),
        upstream=("quality",),
        columns=(
            _nn("article_id", "VARCHAR", "The article (news.articles)."),
            PARTITION_DATE,
            _nn("body_hash", "VARCHAR", "sha256 of the normalised body (case, spacing and quotes folded)."),
            _c("minhash", "BLOB", "128 little-endian uint32 MinHash values of the body's word 3-shingles; NULL when "
               "the body is too short for near matching."),
        ),
    ),
    Table(
        "article_keys",
        grain="relation an article's duplicate links depend on",
        description="Dedup index (warehouse/duplicates.py): the keys under which two articles can be linked, one row "
        "per article and key (its body hash, its version key, and one key per pair of near-matching articles). A "
        "day's load recomputes the links of the articles connected to the day through these keys, never the whole "
        "history. Internal: not in the published copy.",
        key=("article_id", "key"),
        upstream=("news/articles", "news/article_signatures"),
        columns=(
            _nn("article_id", "VARCHAR", "The article (news.articles)."),
            PARTITION_DATE,
            _nn("key", "BIGINT", "64-bit key of the relation (newskit.dedup: match_keys, near_match_keys)."),
        ),
    ),
    Table(
        "article_bands",
        grain="MinHash LSH band of an article",
        description="Dedup index: one key per LSH band of each article's MinHash, joined to find a new article's "
        "near-match candidates among all others. Internal: not in the published copy.",
        key=("article_id", "band"),
        upstream=("news/article_signatures",),
        columns=(
            _nn("article_id", "VARCHAR", "The article (news.articles)."),
            PARTITION_DATE,
            _nn("band", "BIGINT", "64-bit key of one band of MinHash values (newskit.dedup.band_keys)."),
        ),
    ),
    Table(
        "source_health",
        grain="site and day",
        description="Per publisher and day: how much came in and how complete it was. Recomputed by each load "
        "for its day and the days whose duplicate links it changed (a backfill changes later days' duplicate shares).",
        key=("site", "partition_date"),
        upstream=("news/articles", "news/quarantine", "news/duplicates"),
        columns=(
            _nn("site", "VARCHAR", "Domain (or site name, or `(unknown)`)."),
            PARTITION_DATE,
            _nn("articles", "BIGINT", "Articles kept (duplicates included)."),
            _nn("quarantined", "BIGINT", "Scrapes quarantined."),
            _nn("duplicates", "BIGINT", "Articles that are exact or near duplicates."),
            _c("title_fill", "DOUBLE", "Share of articles with a title (NULL: no articles)."),
            _c("date_fill", "DOUBLE", "Share of articles with published_at."),
            _c("authors_fill", "DOUBLE", "Share of articles with at least one author."),
            _c("mean_body_chars", "DOUBLE", "Mean body length in characters."),
            _c("duplicate_share", "DOUBLE", "duplicates / articles."),
        ),
    ),
    Table(
        "fetch_log",
        grain="HTTP request (or decision not to make one)",
        description="Every request the raw_scrapes stage made, or decided not to make, for the day's web sources: "
        "robots.txt, feeds, sitemaps and pages (docs/sources.md).",
        key=(),
        upstream=("raw_scrapes",),
        columns=(
            PARTITION_DATE,
            _nn("source_name", "VARCHAR", "The `name` of the source in the sources file."),
            _nn("url", "VARCHAR", "The URL requested."),
            _nn("purpose", "VARCHAR", "page | feed | sitemap | robots."),
            _nn("attempt", "INTEGER", "1, 2 ... per retry; 0 = decided without a request (robots_disallowed, "
                "already_fetched, page_limit, blocked redirect ...)."),
            _c("status", "INTEGER", "HTTP status; NULL when there was no answer."),
            _nn("bytes", "BIGINT", "Body bytes received (after gzip/deflate decoding)."),
            _nn("elapsed_ms", "BIGINT", "Time the attempt took."),
            _c("error", "VARCHAR", "NULL on success; a short code otherwise."),
            _nn("fetched_at", "TIMESTAMPTZ", "When the attempt started."),
            _c("etag", "VARCHAR", "ETag the server sent (used for conditional refetches)."),
            _c("last_modified", "VARCHAR", "Last-Modified the server sent."),
        ),
    ),
)
TABLES: dict[str, Table] = {t.name: t for t in _TABLES}


def _same(table: str, column: str, name: str | None = None, description: str | None = None) -> Column:
    """A view column that is a table's column (same type and meaning; views report no NOT NULL)."""
    source = TABLES[table].column(column)
    return Column(name or column, source.type, description or source.description)


_SENTENCE_CONTEXT = (
    _same("articles", "partition_date"),
    _same("articles", "article_id"),
    _same("articles", "domain", "site", "Site of the article (articles.domain)."),
    _same("articles", "site_name"),
    _same("articles", "title"),
    _same("articles", "url"),
    _same("articles", "published_at"),
    _same("sentences", "sentence_no"),
)

_VIEWS = (
    Table(
        "article_versions",
        grain="version of an updated story",
        description="Version chains: articles with the same canonical URL and changed text. The earliest "
        "version is the root; the newest (last by published_at, then fetched_at, then article_id) is the one shown.",
        key=("article_id",),
        view=True,
        columns=(
            _c("root_id", "VARCHAR", "The first version's article_id."),
            _same("articles", "article_id"),
            _c("version_no", "BIGINT", "1 for the first version, then in publication order."),
            _c("is_latest", "BOOLEAN", "Whether this is the newest version (the one in articles_current)."),
        ),
    ),
    Table(
        "articles_current",
        grain="current article",
        description="The analysts' default: every article that is neither a duplicate nor a superseded version "
        "(status ok or flagged). Same columns as news.articles.",
        key=("article_id",),
        view=True,
        columns=tuple(_same("articles", c.name) for c in TABLES["articles"].columns),
    ),
    Table(
        "article_sentences",
        grain="sentence of a current article",
        description="Each sentence of a current article, with the article's day, site, title, URL and time.",
        key=("article_id", "sentence_no"),
        view=True,
        columns=(
            *_SENTENCE_CONTEXT,
            _same("sentences", "paragraph_no"),
            _same("sentences", "text", "sentence", "The sentence's text."),
        ),
    ),
    Table(
        "entity_mentions",
        grain="named-entity mention in a current article",
        description="news.entities with the article's day, site, title and the sentence the mention is in.",
        key=("article_id", "entity_no"),
        view=True,
        columns=(
            *_SENTENCE_CONTEXT,
            _same("entities", "entity_no"),
            _same("entities", "label"),
            _same("entities", "canonical"),
            _same("entities", "text"),
            _same("sentences", "text", "sentence", "The sentence the mention is in."),
            _same("entities", "char_start"),
            _same("entities", "char_end"),
        ),
    ),
    Table(
        "figure_mentions",
        grain="figure quoted in a current article",
        description="news.figures with the article's day, site, title and the sentence the figure is in.",
        key=("article_id", "figure_no"),
        view=True,
        columns=(
            *_SENTENCE_CONTEXT,
            *(_same("figures", c) for c in ("figure_no", "kind", "text", "value", "unit", "counted", "qualifier",
                                            "date_value", "date_grain")),
            _same("sentences", "text", "sentence", "The sentence the figure is in."),
            _same("figures", "char_start"),
            _same("figures", "char_end"),
        ),
    ),
    Table(
        "quarantine_reasons",
        grain="(quarantined scrape, reason code)",
        description="news.quarantine with one row per reason code, and the scrape's URL and site.",
        key=("scrape_id", "reason"),
        view=True,
        columns=(
            _same("quarantine", "partition_date"),
            _same("quarantine", "scrape_id"),
            _same("quarantine", "source"),
            _same("raw_scrapes", "url"),
            _same("raw_scrapes", "site"),
            _c("reason", "VARCHAR", "One reason code of the scrape."),
            _same("quarantine", "detail"),
        ),
    ),
    Table(
        "duplicate_clusters",
        grain="member of an exact or near duplicate cluster",
        description="Exact and near duplicates grouped under their original (the earliest copy, method "
        "`original`). Version chains are news.article_versions.",
        key=("original_id", "article_id"),
        view=True,
        columns=(
            _c("original_id", "VARCHAR", "The earliest copy's article_id."),
            _same("duplicates", "article_id", description="A member of the cluster (the original included)."),
            _c("method", "VARCHAR", "original | exact | near."),
            _same("duplicates", "similarity"),
            _same("articles", "partition_date"),
            _same("articles", "domain", "site", "Site of the article (articles.domain)."),
            _same("articles", "title"),
            _same("articles", "url"),
            _same("articles", "canonical_url"),
            _same("articles", "published_at"),
        ),
    ),
    Table(
        "entity_index",
        grain="entity key",
        description="One row per entity key (news.entities.entity_key) over the current articles: the same person, "
        "organisation or place across articles and days, with how often and where it was seen. Join it to "
        "news.entities, news.quotes (speaker_canonical) or news.places by key.",
        key=("entity_key",),
        view=True,
        columns=(
            _same("entities", "entity_key"),
            _same("entities", "label", description="The label most of its mentions carry."),
            _c("display_name", "VARCHAR", "The GeoNames name of a geocoded place, else its most frequent canonical name."),
            _c("articles", "BIGINT", "Current articles that mention it."),
            _c("mentions", "BIGINT", "Its mentions in those articles."),
            _c("first_day", "DATE", "The first partition_date it was seen on."),
            _c("last_day", "DATE", "The last partition_date it was seen on."),
            _c("top_sites", "VARCHAR[]", "The (at most three) sites with the most articles that mention it."),
        ),
    ),
)
VIEWS: dict[str, Table] = {v.name: v for v in _VIEWS}
# the views that read each table, for the table's description
READ_BY: dict[str, tuple[str, ...]] = {
    "articles": ("articles_current", "article_versions", "article_sentences", "entity_mentions", "figure_mentions",
                 "duplicate_clusters", "entity_index"),
    "sentences": ("article_sentences", "entity_mentions", "figure_mentions"),
    "entities": ("entity_mentions", "entity_index"),
    "places": ("entity_index",),
    "figures": ("figure_mentions",),
    "quarantine": ("quarantine_reasons",),
    "raw_scrapes": ("quarantine_reasons",),
    "duplicates": ("article_versions", "duplicate_clusters"),
}


def relation(name: str) -> Table:
    """A table or view of the contract by name."""
    found = TABLES.get(name) or VIEWS.get(name)
    if found is None:
        raise KeyError(f"news.{name} is not in the contract (warehouse/contract.py)")
    return found


def arrow_schema(name: str, exclude: tuple[str, ...] = ()) -> pa.Schema:
    """The Arrow schema of news.<name> in contract order, without the columns in `exclude`."""
    table = relation(name)
    unknown = set(exclude) - set(table.column_names)
    if unknown:
        raise KeyError(f"news.{name} has no columns {sorted(unknown)}")
    return pa.schema([pa.field(c.name, c.arrow_type) for c in table.columns if c.name not in exclude])


def arrow_fields(name: str, columns: list[str]) -> list[pa.Field]:
    """Some of news.<name>'s columns as Arrow fields, in the order given (for stage schemas)."""
    schema = arrow_schema(name)
    return [schema.field(c) for c in columns]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_tables_md() -> str:
    """docs/tables.md: the data dictionary, generated from this module."""
    lines = [
        "# Tables and views (schema `news`)",
        "",
        "Generated from `warehouse/contract.py` by `.venv/bin/python -m warehouse.contract`: do not edit by hand "
        "(tests/test_contract.py fails when this file is stale).",
        "",
        "Every table has `partition_date`: a load replaces one day's rows in one transaction. Offsets index into "
        "`articles.body`: `substr(body, char_start + 1, char_end - char_start)` is exactly the row's `text`. IDs "
        "are deterministic, so a re-run of a day produces the same keys. Views hold no rows of their own. "
        "NOT NULL columns are marked **yes**.",
        "",
        "| table | one row per | key |",
        "|---|---|---|",
    ]
    for table in (*TABLES.values(), *VIEWS.values()):
        kind = " (view)" if table.view else ""
        key = ", ".join(table.key) or "—"
        lines.append(f"| [`news.{table.name}`](#news{table.name}){kind} | {_cell(table.grain)} | {key} |")
    for heading, group in (("Tables", TABLES), ("Views", VIEWS)):
        lines += ["", f"## {heading}"]
        for table in group.values():
            lines += ["", f"### news.{table.name}", "", _cell(table.description), ""]
            facts = [f"One row per {table.grain}.", f"Key: {', '.join(f'`{k}`' for k in table.key) or 'none'}."]
            if table.upstream:
                facts.append(f"From: {', '.join(f'`{u}`' for u in table.upstream)}.")
            if READ_BY.get(table.name):
                facts.append(f"Read by the views {', '.join(f'`news.{v}`' for v in READ_BY[table.name])}.")
            lines += [" ".join(facts), ""]
            lines += ["| column | type | not null | description |", "|---|---|---|---|"]
            for column in table.columns:
                required = "yes" if column.not_null and not table.view else ""
                lines.append(f"| `{column.name}` | {column.type} | {required} | {_cell(column.description)} |")
            for note in table.notes:
                lines += ["", note]
    return "\n".join(lines) + "\n"


def write_generated(check: bool = False) -> list[str]:
    """Write docs/tables.md and the suites' contract expectations; returns the files that changed
    (with `check`, writes nothing and only reports them)."""
    from expectations.generate import sync_suites

    changed = []
    text = render_tables_md()
    if not TABLES_MD.exists() or TABLES_MD.read_text(encoding="utf-8") != text:
        changed.append(str(TABLES_MD.relative_to(REPO_ROOT)))
        if not check:
            TABLES_MD.write_text(text, encoding="utf-8")
    changed += sync_suites(write=not check)
    return changed


def main(argv: list[str]) -> int:
    check = "--check" in argv
    changed = write_generated(check=check)
    for path in changed:
        print(f"{'stale' if check else 'wrote'}: {path}")
    if not changed:
        print("docs/tables.md and expectations/suites/ agree with warehouse/contract.py")
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
