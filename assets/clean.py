"""cleaned: boilerplate removed, captions and credits split off, body segmented with offsets.

The chain of per-record work breaks here: cleaning a scrape needs its site's templates, which are
learnt from every scrape of the day (and the days before it), so no scrape is cleaned before the
whole day is extracted (README "Throughput"). With the templates and title affixes known, the
scrapes are cleaned on `settings.worker_count` processes; a scrape cleaned before from the same
extraction with the same templates, title affixes and cleaning version is copied.
"""


import hashlib
from collections import Counter
from datetime import date, timedelta
from functools import partial
from pathlib import Path

import dagster as dg
import pyarrow as pa
import pyarrow.parquet as pq

from warehouse.lake import LakeFileError, ParquetSink, iter_batches, iter_rows, stage_file, write_table
from warehouse.stage_cache import FINGERPRINT, StageReuse, fingerprint, internal_errors, read_manifest
from assets.extract import EXTRACTED_SCHEMA, RAW_COLUMNS, SHARD_BYTES, SHARD_ROWS
from assets.partitions import daily_partitions, partition_day
from newskit.article import CLEANING_VERSION, article_id_for
from newskit.clean import TEMPLATE_KEYS_VERSION, TEMPLATE_ROW_SCHEMA, learn_site_templates, template_row
from newskit.dedup import version_key
from newskit import EXTRACTOR_VERSION
from newskit.isolation import raise_if_systemic, systemic_errors
from newskit.limits import Limits
from newskit.metadata import TitleAffixes, site_title_affixes
from newskit.shards import CleanSetup, article_site, clean_shard, extract_shard, lost_clean, lost_extract, setup_clean, setup_extract, shard_rows
from newskit.workers import map_shards, workers_for
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


def _store_template_rows(lake: Path, day: date, raw_print: str, rows: list[dict]) -> pa.Table:
    table = pa.Table.from_pylist(rows, schema=TEMPLATE_ROW_SCHEMA.with_metadata({TEMPLATE_ROWS_FINGERPRINT: raw_print}))
    write_table(stage_file(lake, "template_keys", day), table)
    return table


def _stored_template_rows(lake: Path, day: date, raw_print: str) -> pa.Table | None:
    path = stage_file(lake, "template_keys", day)
    if path.exists():
        try:  # a damaged file of derived rows is recomputed, like a stale one
            if (pq.read_schema(path).metadata or {}).get(TEMPLATE_ROWS_FINGERPRINT.encode()) == raw_print.encode():
                return pa.Table.from_batches(list(iter_batches(path, batch_rows=4096)), schema=pq.read_schema(path))
        except (LakeFileError, pa.ArrowException, OSError):
            pass
    return None


def day_template_rows(lake: Path, day: date, limits: Limits) -> pa.Table:
    """The day's template rows: the stored ones while they match its raw scrapes and this code
    version, else from its `extracted` stage (written by this run), stored."""
    raw_print = _raw_fingerprint(lake, day, limits)
    stored = _stored_template_rows(lake, day, raw_print)
    if stored is not None:
        return stored
    extracted = iter_rows(stage_file(lake, "extracted", day), _EXTRACTED_COLUMNS)
    return _store_template_rows(lake, day, raw_print, _template_rows(extracted))


def window_day_template_rows(lake: Path, day: date, limits: Limits, workers: int = 1) -> pa.Table:
    """An earlier day's template rows: the stored ones while they match that day's raw scrapes and
    this code version, else recomputed from its raw scrapes on `workers` processes (and stored).
    A scrape that cannot be read adds no keys (its own run quarantines it)."""
    raw_print = _raw_fingerprint(lake, day, limits)
    stored = _stored_template_rows(lake, day, raw_print)
    if stored is not None:
        return stored
    raw = stage_file(lake, "raw_scrapes", day)
    if not raw.exists():
        return TEMPLATE_ROW_SCHEMA.empty_table()
    shards = shard_rows(iter_batches(raw, RAW_COLUMNS), SHARD_ROWS, SHARD_BYTES, "content")
    rows: list[dict] = []
    for shard in map_shards(extract_shard, shards, workers, initializer=setup_extract, initargs=(EXTRACTED_SCHEMA, limits),
                            lost=partial(lost_extract, EXTRACTED_SCHEMA)):
        rows += _template_rows(shard.table.select(_EXTRACTED_COLUMNS).to_pylist())
    return _store_template_rows(lake, day, raw_print, rows)


def site_templates(lake: Path, day: date, lookback_days: int, limits: Limits, workers: int = 1) -> dict[str, frozenset[str]]:
    """Paragraph and sentence keys seen in `TEMPLATE_MIN_STORIES` or more distinct stories of a site over
    the day and the `lookback_days` days before it: a function of those days' raw scrapes alone,
    whichever days were extracted before (never read from the warehouse file)."""
    rows = day_template_rows(lake, day, limits)
    earlier = [window_day_template_rows(lake, day - timedelta(days=n), limits, workers) for n in range(1, lookback_days + 1)]
    window = [table.replace_schema_metadata(None) for table in (rows, *earlier)]
    return learn_site_templates(pa.concat_tables(window))


def clean_fingerprints(lake: Path, day: date, templates: dict[str, frozenset[str]],
                       title_affixes: dict[str | None, TitleAffixes]) -> pa.Table:
    """(scrape_id, fingerprint) of every extracted scrape: its extraction (the `extracted`
    fingerprint), the cleaning version, and its site's templates and title affixes. A scrape whose
    extraction is not on record (an internal error) has none: it is always cleaned again."""
    path = stage_file(lake, "extracted", day)
    if not path.exists():
        return pa.table({"scrape_id": pa.array([], pa.string()), FINGERPRINT: pa.array([], pa.string())})
    rows = pq.read_table(path, columns=["scrape_id", "url", "canonical_url", "site"])
    extractions = read_manifest(lake, "extracted", day, "scrape_id")
    extraction = dict(zip(extractions["scrape_id"].to_pylist(), extractions[FINGERPRINT].to_pylist()))
    by_site: dict[str | None, str] = {}

    def site_print(site: str | None) -> str:
        if site not in by_site:
            by_site[site] = fingerprint(sorted(templates.get(site or "", ())), title_affixes.get(site, TitleAffixes()))
        return by_site[site]

    prints = [
        fingerprint(CLEANING_VERSION, extraction[row["scrape_id"]], day, site_print(article_site(row)))
        if row["scrape_id"] in extraction else None
        for row in rows.to_pylist()
    ]
    return pa.table({"scrape_id": rows["scrape_id"], FINGERPRINT: pa.array(prints, pa.string())})


@dg.asset(partitions_def=daily_partitions, group_name="transform", deps=["extracted"])
def cleaned(context: dg.AssetExecutionContext, settings: NewsSettings) -> dg.MaterializeResult:
    """Clean article bodies, paragraphs (body, caption, credit) and sentences with offsets."""
    day = partition_day(context)
    lake = settings.lake
    templates = site_templates(lake, day, settings.template_lookback_days, settings.limits, settings.worker_count)
    title_affixes = day_title_affixes(lake, day)
    reuse = StageReuse.plan(lake, "cleaned", day, clean_fingerprints(lake, day, templates, title_affixes),
                              ["cleaned_articles", "cleaned_paragraphs", "cleaned_sentences"])
    workers = workers_for(reuse.computed_count, SHARD_ROWS, settings.worker_count)
    setup = CleanSetup(CLEANED_SCHEMA, PARAGRAPHS_SCHEMA, SENTENCES_SCHEMA, templates, title_affixes, day)
    removed_by_reason: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    failed: list[str] = []
    outputs = {
        "articles": ParquetSink(stage_file(lake, "cleaned_articles", day), CLEANED_SCHEMA),
        "paragraphs": ParquetSink(stage_file(lake, "cleaned_paragraphs", day), PARAGRAPHS_SCHEMA),
        "sentences": ParquetSink(stage_file(lake, "cleaned_sentences", day), SENTENCES_SCHEMA),
    }
    try:
        reuse.copy("cleaned_articles", outputs["articles"])
        reused_articles = pa.array([article_id_for(s) for s in reuse.reused.to_pylist()], pa.string())
        reuse.copy("cleaned_paragraphs", outputs["paragraphs"], "article_id", reused_articles)
        reuse.copy("cleaned_sentences", outputs["sentences"], "article_id", reused_articles)
        shards = shard_rows((reuse.to_compute(b) for b in iter_batches(stage_file(lake, "extracted", day))), SHARD_ROWS, SHARD_BYTES)
        for shard in map_shards(clean_shard, shards, workers, initializer=setup_clean, initargs=(setup,),
                                lost=partial(lost_clean, setup)):
            outputs["articles"].write(shard.articles)
            outputs["paragraphs"].write(shard.paragraphs)
            outputs["sentences"].write(shard.sentences)
            removed_by_reason.update(shard.removed)
            errors.update(shard.errors)
            if shard.errors:
                failed += internal_errors(shard.articles)
            context.log.debug(f"{outputs['articles'].rows} articles cleaned")
    except BaseException as exc:
        for sink in outputs.values():
            sink.abort()
        raise_if_systemic(exc, stage_file(lake, "cleaned_articles", day).parent)
        raise
    with systemic_errors(stage_file(lake, "cleaned_articles", day).parent):
        reuse.invalidate()
        for sink in outputs.values():
            sink.close()
    reuse.commit(failed)
    context.log.info(f"{outputs['articles'].rows} scrapes: {reuse.computed_count} cleaned, {reuse.reused_count} reused")
    return dg.MaterializeResult(
        metadata={
            "articles": outputs["articles"].rows,
            **reuse.metadata(),
            "workers": workers,
            "paragraphs": outputs["paragraphs"].rows,
            "sentences": outputs["sentences"].rows,
            "sites_with_templates": len(templates),
            "template_window": f"{day - timedelta(days=settings.template_lookback_days)} .. {day}",
            "boilerplate_removed_computed": dict(removed_by_reason),
            "internal_errors": sum(errors.values()),
            "internal_errors_by_type": dict(errors),
        }
    )


def day_title_affixes(lake: Path, day: date) -> dict[str | None, TitleAffixes]:
    """Per site, what the titles of the day's pages repeat around a separator ("... | Politics")."""
    titles: dict[str | None, list[str | None]] = {}
    for row in iter_rows(stage_file(lake, "extracted", day), ["url", "canonical_url", "site", "title"]):
        titles.setdefault(article_site(row), []).append(row["title"])
    return {site: site_title_affixes(found) for site, found in titles.items()}
