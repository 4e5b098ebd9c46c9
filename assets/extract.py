"""extracted: decode each raw scrape and extract its text blocks and metadata, on every core."""


from collections import Counter
from functools import partial

import dagster as dg
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from warehouse.lake import ParquetSink, iter_batches, stage_file
from warehouse.stage_cache import FINGERPRINT, StageReuse, fingerprint, internal_errors
from assets.partitions import daily_partitions, partition_day
from newskit import EXTRACTOR_VERSION
from newskit.isolation import systemic_errors
from newskit.limits import Limits
from newskit.shards import extract_shard, lost_extract, setup_extract, shard_rows
from newskit.workers import map_shards, workers_for
from pipelines.settings import NewsSettings
from warehouse import contract

BLOCK = pa.struct([("kind", pa.string()), ("text", pa.string())])
EXTRACTED_SCHEMA = pa.schema(
    [
        *contract.arrow_fields("raw_scrapes", ["scrape_id", "source", "url", "site", "fetched_at"]),
        ("encoding", pa.string()),
        ("reject_reason", pa.string()),
        ("reject_detail", pa.string()),
        *contract.arrow_fields("articles", ["title", "title_source", "authors", "authors_source", "published_at",
                                            "published_at_source", "site_name", "language", "canonical_url", "description"]),
        ("blocks", pa.list_(BLOCK)),
    ]
)
RAW_COLUMNS = ["scrape_id", "source", "url", "site", "fetched_at", "content_type", "declared_charset",
               "content", "reject_reason", "reject_detail"]
# what an extracted row is computed from, besides the content (its sha256) and the extractor version
_RAW_KEY_COLUMNS = ["scrape_id", "sha256", "source", "url", "site", "fetched_at", "content_type", "declared_charset",
                    "reject_reason", "reject_detail"]
SHARD_ROWS = 16
SHARD_BYTES = 8_000_000  # of raw content per shard (a larger scrape is a shard of its own)


def extract_fingerprints(raw_path, limits: Limits) -> pa.Table:
    """(scrape_id, fingerprint) of every raw scrape: its bytes (sha256), origin, the extractor's
    version and the raw limit (which caps what is extracted)."""
    if not raw_path.exists():
        return pa.table({"scrape_id": pa.array([], pa.string()), FINGERPRINT: pa.array([], pa.string())})
    keys = pq.read_table(raw_path, columns=_RAW_KEY_COLUMNS)
    code = (EXTRACTOR_VERSION, limits.max_raw_bytes)
    prints = [fingerprint(*code, *row) for row in zip(*(keys[c].to_pylist() for c in _RAW_KEY_COLUMNS))]
    return pa.table({"scrape_id": keys["scrape_id"], FINGERPRINT: pa.array(prints, pa.string())})


def _count(counter: Counter, table: pa.Table, column: str) -> None:
    for item in pc.value_counts(table[column].drop_null()).to_pylist() if table.num_rows else []:
        counter[item["values"]] += item["counts"]


@dg.asset(partitions_def=daily_partitions, group_name="transform", deps=["raw_scrapes"])
def extracted(context: dg.AssetExecutionContext, settings: NewsSettings) -> dg.MaterializeResult:
    """Main text blocks (body, caption, credit) and metadata with provenance, per scrape.

    A scrape extracted before from the same bytes by the same extractor version is copied, not
    extracted again (metadata `computed` / `reused`); the rest runs on `settings.worker_count` processes.
    """
    day = partition_day(context)
    lake, limits = settings.lake, settings.limits
    raw_path = stage_file(lake, "raw_scrapes", day)
    path = stage_file(lake, "extracted", day)
    reuse = StageReuse.plan(lake, "extracted", day, extract_fingerprints(raw_path, limits), ["extracted"])
    workers = workers_for(reuse.computed_count, SHARD_ROWS, settings.worker_count)
    rejected: Counter[str] = Counter()
    encodings: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    failed: list[str] = []
    with systemic_errors(path), ParquetSink(path, EXTRACTED_SCHEMA) as sink:
        reuse.copy("extracted", sink)
        shards = shard_rows((reuse.to_compute(b) for b in iter_batches(raw_path, RAW_COLUMNS)), SHARD_ROWS, SHARD_BYTES, "content")
        for shard in map_shards(extract_shard, shards, workers, initializer=setup_extract,
                                initargs=(EXTRACTED_SCHEMA, limits), lost=partial(lost_extract, EXTRACTED_SCHEMA)):
            sink.write(shard.table)
            errors.update(shard.errors)
            if shard.errors:
                failed += internal_errors(shard.table)
            context.log.debug(f"{sink.rows} scrapes extracted")
        reuse.invalidate()
    reuse.commit(failed)
    for batch in iter_batches(path, ["reject_reason", "encoding"], batch_rows=65536):
        _count(rejected, pa.Table.from_batches([batch]), "reject_reason")
        _count(encodings, pa.Table.from_batches([batch]), "encoding")
    context.log.info(f"{sink.rows} scrapes: {reuse.computed_count} extracted, {reuse.reused_count} reused")
    return dg.MaterializeResult(
        metadata={"scrapes": sink.rows, **reuse.metadata(), "workers": workers, "rejected": dict(rejected),
                  "encodings": dict(encodings), "internal_errors": sum(errors.values()),
                  "internal_errors_by_type": dict(errors)}
    )
