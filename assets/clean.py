"""cleaned: boilerplate removed, captions and credits split off, body segmented with offsets."""


from collections import defaultdict
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow as pa

from warehouse.lake import ParquetSink, history_files, iter_batches, iter_rows, stage_file
from assets.partitions import daily_partitions, partition_day
from newskit.article import build_article
from newskit.clean import TEMPLATE_MIN_ARTICLES, template_keys
from newskit.blocks import Block
from newskit.records import site_from_url
from pipelines.settings import NewsSettings

TEMPLATE_KEYS_SCHEMA = pa.schema([("site", pa.string()), ("key", pa.string()), ("scrape_id", pa.string())])
SPAN = pa.struct([("sentence_no", pa.int32()), ("char_start", pa.int32()), ("char_end", pa.int32())])
CLEANED_SCHEMA = pa.schema(
    [
        ("scrape_id", pa.string()), ("article_id", pa.string()), ("source", pa.string()),
        ("reject_reason", pa.string()), ("reject_detail", pa.string()),
        ("url", pa.string()), ("canonical_url", pa.string()), ("domain", pa.string()),
        ("site_name", pa.string()), ("title", pa.string()), ("title_source", pa.string()),
        ("authors", pa.list_(pa.string())), ("authors_source", pa.string()),
        ("published_at", pa.timestamp("us", tz="UTC")), ("published_at_source", pa.string()),
        ("fetched_at", pa.timestamp("us", tz="UTC")), ("language", pa.string()),
        ("description", pa.string()), ("body", pa.string()), ("word_count", pa.int32()),
        ("content_sha256", pa.string()), ("extractor_version", pa.string()),
        ("boilerplate_chars", pa.int32()), ("removed_text", pa.string()), ("sentence_spans", pa.list_(SPAN)),
    ]
)
PARAGRAPHS_SCHEMA = pa.schema(
    [("article_id", pa.string()), ("partition_date", pa.date32()), ("paragraph_no", pa.int32()),
     ("kind", pa.string()), ("text", pa.string()), ("char_start", pa.int32()), ("char_end", pa.int32())]
)
SENTENCES_SCHEMA = pa.schema(
    [("article_id", pa.string()), ("partition_date", pa.date32()), ("sentence_no", pa.int32()),
     ("paragraph_no", pa.int32()), ("text", pa.string()), ("char_start", pa.int32()), ("char_end", pa.int32())]
)


def article_site(row: dict) -> str | None:
    return site_from_url(row.get("canonical_url")) or site_from_url(row.get("url")) or row.get("site")


def _count_template_keys(lake: Path, day: date) -> Path:
    """Write (site, key, scrape) for the day's body paragraphs and their long sentences: the template history."""
    path = stage_file(lake, "template_keys", day)
    with ParquetSink(path, TEMPLATE_KEYS_SCHEMA) as sink:
        for row in iter_rows(stage_file(lake, "extracted", day), ["scrape_id", "url", "canonical_url", "site", "blocks"]):
            site = article_site(row)
            if not site or not row["blocks"]:
                continue
            keys = {k for b in row["blocks"] if b["kind"] == "body" for k in template_keys(b["text"])}
            sink.write_rows([{"site": site, "key": k, "scrape_id": row["scrape_id"]} for k in keys])
    return path


def site_templates(lake: Path, day: date, min_articles: int = TEMPLATE_MIN_ARTICLES) -> dict[str, frozenset[str]]:
    """Paragraph and sentence keys seen in `min_articles` or more articles of a site, over days up to `day`.

    Read from the lake with an in-memory DuckDB, never from the warehouse file.
    """
    con = duckdb.connect()
    rows = con.execute(
        """
        SELECT site, key FROM read_parquet(?, hive_partitioning = true)
        WHERE partition_date <= ?
        GROUP BY site, key HAVING count(DISTINCT scrape_id) >= ?
        """,
        [history_files(lake, "template_keys"), day, min_articles],
    ).fetchall()
    con.close()
    templates: dict[str, set[str]] = defaultdict(set)
    for site, key in rows:
        templates[site].add(key)
    return {site: frozenset(keys) for site, keys in templates.items()}


@dg.asset(partitions_def=daily_partitions, group_name="transform", deps=["extracted"])
def cleaned(context: dg.AssetExecutionContext, settings: NewsSettings) -> dg.MaterializeResult:
    """Clean article bodies, paragraphs (body, caption, credit) and sentences with offsets."""
    day = partition_day(context)
    lake = settings.lake
    _count_template_keys(lake, day)
    templates = site_templates(lake, day)
    removed_by_reason: dict[str, int] = defaultdict(int)
    outputs = {
        "articles": ParquetSink(stage_file(lake, "cleaned_articles", day), CLEANED_SCHEMA),
        "paragraphs": ParquetSink(stage_file(lake, "cleaned_paragraphs", day), PARAGRAPHS_SCHEMA),
        "sentences": ParquetSink(stage_file(lake, "cleaned_sentences", day), SENTENCES_SCHEMA),
    }
    try:
        for batch in iter_batches(stage_file(lake, "extracted", day)):
            articles, paragraphs, sentences = [], [], []
            for row in batch.to_pylist():
                site = article_site(row)
                blocks = [Block(b["kind"], b["text"]) for b in row["blocks"] or []]
                built = build_article(row, site, blocks, templates.get(site or "", frozenset()), day)
                articles.append(built.article)
                paragraphs.extend(built.paragraphs)
                sentences.extend(built.sentences)
                for _, reason in built.removed:
                    removed_by_reason[reason] += 1
            outputs["articles"].write_rows(articles)
            outputs["paragraphs"].write_rows(paragraphs)
            outputs["sentences"].write_rows(sentences)
            context.log.info(f"{outputs['articles'].rows} articles cleaned")
    except BaseException:
        for sink in outputs.values():
            sink.abort()
        raise
    for sink in outputs.values():
        sink.close()
    return dg.MaterializeResult(
        metadata={
            "articles": outputs["articles"].rows,
            "paragraphs": outputs["paragraphs"].rows,
            "sentences": outputs["sentences"].rows,
            "sites_with_templates": len(templates),
            "boilerplate_removed": dict(removed_by_reason),
        }
    )
