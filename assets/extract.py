"""extracted: decode each raw scrape and extract its text blocks and metadata."""


from collections import Counter

import dagster as dg
import pyarrow as pa

from warehouse.lake import ParquetSink, iter_batches, stage_file
from assets.partitions import daily_partitions, partition_day
from newskit.isolation import INTERNAL_ERROR, RecordGuard, systemic_errors
from newskit.limits import DEFAULT_LIMITS, Limits
from newskit.records import utc_datetime
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


def _base_row(raw: dict) -> dict:
    return {key: raw[key] for key in ("scrape_id", "source", "url", "site", "fetched_at")}


def extracted_row(raw: dict, limits: Limits = DEFAULT_LIMITS) -> dict:
    row = _base_row(raw)
    if raw["reject_reason"]:
        return row | {"reject_reason": raw["reject_reason"], "reject_detail": raw["reject_detail"]}
    from newskit.scrape_text import read_scrape  # trafilatura: only when a step extracts, not when the definitions load

    result = read_scrape(raw["content"], raw["content_type"], raw["declared_charset"], raw["url"], limits)
    row |= {"encoding": result.encoding, "reject_reason": result.reject_reason, "reject_detail": result.reject_detail}
    ex = result.extracted
    if ex is None:
        return row
    published_at = utc_datetime(ex.published_at)
    return row | {
        "title": ex.title, "title_source": ex.title_source, "authors": ex.authors,
        "authors_source": ex.authors_source, "published_at": published_at,
        "published_at_source": ex.published_at_source if published_at else None, "site_name": ex.site_name,
        "language": ex.language, "canonical_url": ex.canonical_url, "description": ex.description,
        "blocks": [{"kind": b.kind, "text": b.text} for b in ex.blocks],
    }


@dg.asset(partitions_def=daily_partitions, group_name="transform", deps=["raw_scrapes"])
def extracted(context: dg.AssetExecutionContext, settings: NewsSettings) -> dg.MaterializeResult:
    """Main text blocks (body, caption, credit) and metadata with provenance, per scrape."""
    day = partition_day(context)
    limits = settings.limits
    rejected: Counter[str] = Counter()
    encodings: Counter[str] = Counter()
    guard = RecordGuard("extract")
    path = stage_file(settings.lake, "extracted", day)
    with systemic_errors(path), ParquetSink(path, EXTRACTED_SCHEMA) as sink:
        for batch in iter_batches(stage_file(settings.lake, "raw_scrapes", day), RAW_COLUMNS):
            rows = [
                guard.run(lambda r: extracted_row(r, limits), raw,
                          lambda detail, raw=raw: _base_row(raw) | {"reject_reason": INTERNAL_ERROR, "reject_detail": detail},
                          raw["source"])
                for raw in batch.to_pylist()
            ]
            sink.write_rows(rows)
            for row in rows:
                if row.get("reject_reason"):
                    rejected[row["reject_reason"]] += 1
                if row.get("encoding"):
                    encodings[row["encoding"]] += 1
            context.log.info(f"{sink.rows} scrapes extracted")
    return dg.MaterializeResult(
        metadata={"scrapes": sink.rows, "rejected": dict(rejected), "encodings": dict(encodings), **guard.metadata()}
    )
