"""cleaned: boilerplate removed, captions and credits split off, body segmented with offsets."""


import hashlib
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import dagster as dg
import pyarrow as pa
import pyarrow.parquet as pq

from warehouse.lake import LakeFileError, ParquetSink, iter_batches, iter_rows, stage_file, write_table
from assets.extract import RAW_COLUMNS, extracted_row
from assets.partitions import daily_partitions, partition_day
from newskit.article import BuiltArticle, article_id_for, build_article
from newskit.clean import TEMPLATE_KEYS_VERSION, TEMPLATE_ROW_SCHEMA, learn_site_templates, template_row
from newskit.blocks import Block
from newskit.dedup import version_key
from newskit import EXTRACTOR_VERSION
from newskit.isolation import INTERNAL_ERROR, RecordGuard, raise_if_systemic, systemic_errors
from newskit.limits import Limits
from newskit.metadata import TitleAffixes, site_title_affixes, strip_title_affixes
from newskit.records import site_from_url
from pipelines.settings import NewsSettings
from warehouse import contract

TEMPLATE_ROWS_FINGERPRINT = "newskit.template_rows.fingerprint"
_EXTRACTED_COLUMNS = ["scrape_id", "source", "url", "canonical_url", "site", "blocks"]
SPAN = pa.struct([("sentence_no", pa.int32()), ("char_start", pa.int32()), ("char_end", pa.int32())])
_SET_LATER = ("article_id", "scrape_id", "partition_date", "status")
CLEANED_SCHEMA = pa.schema(
    [
        ("scrape_id", pa.string()), ("article_id", pa.string()), ("source", pa.string()),
        ("reject_reason", pa.string()), ("reject_detail", pa.string()),
        *contract.arrow_fields("articles", [c for c in contract.TABLES["articles"].column_names if c not in _SET_LATER]),
        ("boilerplate_chars", pa.int32()), ("removed_text", pa.string()), ("sentence_spans", pa.list_(SPAN)),
    ]
)
"""news.articles' columns (but partition_date and status, set by the quality stage) and what the
later stages need: the reject reason, the boilerplate removed and the sentence spans."""
PARAGRAPHS_SCHEMA = contract.arrow_schema("paragraphs")
SENTENCES_SCHEMA = contract.arrow_schema("sentences")


def article_site(row: dict) -> str | None:
    return site_from_url(row.get("canonical_url")) or site_from_url(row.get("url")) or row.get("site")


def _template_rows(extracted_rows) -> list[dict]:
    rows = []
    for row in extracted_rows:
        bodies = [b["text"] for b in row.get("blocks") or [] if b["kind"] == "body"]
        story = version_key(row.get("canonical_url"), row.get("url"), row.get("source"))
        if found := template_row(row["scrape_id"], article_site(row), story, bodies):
            rows.append(found)
    return rows


def _raw_fingerprint(lake: Path, day: date, limits: Limits) -> str:
    """Which raw scrapes a day holds and which code and limit counted them: stored template rows
    are used only while all are unchanged."""
    path = stage_file(lake, "raw_scrapes", day)
    ids = sorted(set(pq.read_table(path, columns=["scrape_id"])["scrape_id"].to_pylist())) if path.exists() else []
    code = [TEMPLATE_KEYS_VERSION, EXTRACTOR_VERSION, f"max_raw_bytes={limits.max_raw_bytes}"]
    return hashlib.sha256("\n".join([*code, *ids]).encode("utf-8")).hexdigest()


def _store_template_rows(lake: Path, day: date, fingerprint: str, rows: list[dict]) -> pa.Table:
    table = pa.Table.from_pylist(rows, schema=TEMPLATE_ROW_SCHEMA.with_metadata({TEMPLATE_ROWS_FINGERPRINT: fingerprint}))
    write_table(stage_file(lake, "template_keys", day), table)
    return table


def _extract_for_templates(raw: dict, limits: Limits) -> dict:
    """A window day that was never extracted (or by another extractor version) is extracted here,
    as its own run would; a scrape that cannot be read adds no keys (its own run quarantines it)."""
    try:
        return extracted_row(raw, limits)
    except Exception as exc:
        raise_if_systemic(exc)
        return {"scrape_id": raw["scrape_id"]}


def write_day_template_rows(lake: Path, day: date, limits: Limits) -> pa.Table:
    """The day's template rows, from its `extracted` stage (written by this run)."""
    extracted = iter_rows(stage_file(lake, "extracted", day), _EXTRACTED_COLUMNS)
    return _store_template_rows(lake, day, _raw_fingerprint(lake, day, limits), _template_rows(extracted))


def window_day_template_rows(lake: Path, day: date, limits: Limits) -> pa.Table:
    """An earlier day's template rows: the stored ones while they match that day's raw scrapes and
    this code version, else recomputed from its raw scrapes (and stored)."""
    fingerprint = _raw_fingerprint(lake, day, limits)
    path = stage_file(lake, "template_keys", day)
    if path.exists():
        try:  # a damaged file of derived rows is recomputed below, like a stale one
            if (pq.read_schema(path).metadata or {}).get(TEMPLATE_ROWS_FINGERPRINT.encode()) == fingerprint.encode():
                return pa.Table.from_batches(list(iter_batches(path, batch_rows=4096)), schema=pq.read_schema(path))
        except (LakeFileError, pa.ArrowException, OSError):
            pass
    raw = stage_file(lake, "raw_scrapes", day)
    if not raw.exists():
        return TEMPLATE_ROW_SCHEMA.empty_table()
    extracted = (_extract_for_templates(r, limits) for r in iter_rows(raw, RAW_COLUMNS))
    return _store_template_rows(lake, day, fingerprint, _template_rows(extracted))


def site_templates(lake: Path, day: date, lookback_days: int, limits: Limits) -> dict[str, frozenset[str]]:
    """Paragraph and sentence keys seen in `TEMPLATE_MIN_STORIES` or more distinct stories of a site over
    the day and the `lookback_days` days before it: a function of those days' raw scrapes alone,
    whichever days were extracted before (never read from the warehouse file)."""
    rows = write_day_template_rows(lake, day, limits)
    earlier = [window_day_template_rows(lake, day - timedelta(days=n), limits) for n in range(1, lookback_days + 1)]
    window = [table.replace_schema_metadata(None) for table in (rows, *earlier)]
    return learn_site_templates(pa.concat_tables(window))


def _build(row: dict, templates: dict[str, frozenset[str]], title_affixes: dict[str | None, TitleAffixes], day: date) -> BuiltArticle:
    site = article_site(row)
    row["title"] = strip_title_affixes(row["title"], title_affixes.get(site, TitleAffixes()))
    blocks = [Block(b["kind"], b["text"]) for b in row["blocks"] or []]
    return build_article(row, site, blocks, templates.get(site or "", frozenset()), day)


def _failed(row: dict, detail: str) -> BuiltArticle:
    """The article row of a scrape whose cleaning raised: its ids and the internal_error."""
    return BuiltArticle({"scrape_id": row["scrape_id"], "article_id": article_id_for(row["scrape_id"]),
                         "source": row["source"], "reject_reason": INTERNAL_ERROR, "reject_detail": detail})


@dg.asset(partitions_def=daily_partitions, group_name="transform", deps=["extracted"])
def cleaned(context: dg.AssetExecutionContext, settings: NewsSettings) -> dg.MaterializeResult:
    """Clean article bodies, paragraphs (body, caption, credit) and sentences with offsets."""
    day = partition_day(context)
    lake = settings.lake
    templates = site_templates(lake, day, settings.template_lookback_days, settings.limits)
    title_affixes = day_title_affixes(lake, day)
    removed_by_reason: dict[str, int] = defaultdict(int)
    guard = RecordGuard("clean")
    outputs = {
        "articles": ParquetSink(stage_file(lake, "cleaned_articles", day), CLEANED_SCHEMA),
        "paragraphs": ParquetSink(stage_file(lake, "cleaned_paragraphs", day), PARAGRAPHS_SCHEMA),
        "sentences": ParquetSink(stage_file(lake, "cleaned_sentences", day), SENTENCES_SCHEMA),
    }
    try:
        for batch in iter_batches(stage_file(lake, "extracted", day)):
            articles, paragraphs, sentences = [], [], []
            for row in batch.to_pylist():
                built = guard.run(lambda r: _build(r, templates, title_affixes, day), row, lambda detail, row=row: _failed(row, detail), row["source"])
                articles.append(built.article)
                paragraphs.extend(built.paragraphs)
                sentences.extend(built.sentences)
                for _, reason in built.removed:
                    removed_by_reason[reason] += 1
            outputs["articles"].write_rows(articles)
            outputs["paragraphs"].write_rows(paragraphs)
            outputs["sentences"].write_rows(sentences)
            context.log.info(f"{outputs['articles'].rows} articles cleaned")
    except BaseException as exc:
        for sink in outputs.values():
            sink.abort()
        raise_if_systemic(exc, stage_file(lake, "cleaned_articles", day).parent)
        raise
    with systemic_errors(stage_file(lake, "cleaned_articles", day).parent):
        for sink in outputs.values():
            sink.close()
    return dg.MaterializeResult(
        metadata={
            "articles": outputs["articles"].rows,
            "paragraphs": outputs["paragraphs"].rows,
            "sentences": outputs["sentences"].rows,
            "sites_with_templates": len(templates),
            "template_window": f"{day - timedelta(days=settings.template_lookback_days)} .. {day}",
            "boilerplate_removed": dict(removed_by_reason),
            **guard.metadata(),
        }
    )


def day_title_affixes(lake: Path, day: date) -> dict[str | None, TitleAffixes]:
    """Per site, what the titles of the day's pages repeat around a separator ("... | Politics")."""
    titles: dict[str | None, list[str | None]] = defaultdict(list)
    for row in iter_rows(stage_file(lake, "extracted", day), ["url", "canonical_url", "site", "title"]):
        titles[article_site(row)].append(row["title"])
    return {site: site_title_affixes(found) for site, found in titles.items()}
