"""quality: decide per scrape what loads, what is flagged and what is quarantined."""


from collections import Counter
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from warehouse.lake import LakeFileError, ParquetSink, iter_batches, iter_rows, stage_file, table_file, temp_path
from assets.partitions import daily_check, daily_partitions, partition_day
from newskit.dedup import DEFAULT_DEDUP_CONFIG, article_signatures
from newskit.isolation import INTERNAL_ERROR, RecordGuard, systemic_errors
from newskit.quality import ArticleFacts, article_issues, article_language
from pipelines.settings import NewsSettings
from warehouse import contract
from warehouse.connection import run, sql_string

ARTICLE_COLUMNS = contract.TABLES["articles"].column_names
ARTICLES_SCHEMA = contract.arrow_schema("articles")
QUARANTINE_SCHEMA = contract.arrow_schema("quarantine")
FLAGS_SCHEMA = contract.arrow_schema("quality_flags")
SIGNATURES_SCHEMA = contract.arrow_schema("article_signatures")
_DEDUP_CONFIG = "newskit.dedup.config"  # in the signatures file's schema: MinHashes are copied only under the same config
# child tables copied for the kept articles only: (lake stage, table, extra select)
CHILD_TABLES = [
    ("cleaned_paragraphs", "paragraphs", "*"),
    ("cleaned_sentences", "sentences", "*"),
    ("nlp_entities", "entities", "*, CAST(? AS DATE) AS partition_date"),
    ("nlp_figures", "figures", "*, CAST(? AS DATE) AS partition_date"),
    ("nlp_quotes", "quotes", "*, CAST(? AS DATE) AS partition_date"),
    ("nlp_places", "places", "*, CAST(? AS DATE) AS partition_date"),
]


def _held(row: dict, day: date, reason: str, detail: str | None) -> dict:
    return {"scrape_id": row["scrape_id"], "partition_date": day, "source": row["source"],
            "reasons": [reason], "detail": detail}


def triage(row: dict, day: date, nlp_failure: str | None = None) -> tuple[dict | None, dict | None, list[dict]]:
    """One cleaned scrape -> (article row or None, quarantine row or None, flag rows).

    `nlp_failure` is the detail of an exception the nlp stage met on this article.
    """
    if row["reject_reason"]:
        return None, _held(row, day, row["reject_reason"], row["reject_detail"]), []
    if nlp_failure is not None:
        return None, _held(row, day, INTERNAL_ERROR, nlp_failure), []
    facts = ArticleFacts(body=row["body"] or "", title=row["title"], published_at=row["published_at"],
                         fetched_at=row["fetched_at"], language=row["language"],
                         boilerplate_chars=row["boilerplate_chars"] or 0, removed_text=row["removed_text"] or "")
    issues = article_issues(facts)
    errors = [i for i in issues if i.severity == "error"]
    if errors:
        return None, {"scrape_id": row["scrape_id"], "partition_date": day, "source": row["source"],
                      "reasons": [i.check_name for i in errors],
                      "detail": "; ".join(f"{i.check_name}: {i.detail}" for i in errors)}, []
    flags = [{"partition_date": day, "scrape_id": row["scrape_id"], "article_id": row["article_id"],
              "check_name": i.check_name, "severity": i.severity, "detail": i.detail} for i in issues]
    article = {key: row.get(key) for key in ARTICLE_COLUMNS}
    article |= {"partition_date": day, "status": "flagged" if flags else "ok", "language": article_language(facts)}
    return article, None, flags


def internal_error_kind(detail: str | None) -> str:
    """`<stage>: <exception type>` from an internal_error detail (`failure_detail`'s format)."""
    return ": ".join((detail or "unknown").split(": ")[:2])


def copy_children(lake: Path, day: date) -> dict[str, int]:
    """Copy the kept articles' paragraphs, sentences, entities, figures, quotes and places into lake/tables."""
    kept = str(table_file(lake, "articles", day))
    counts = {}
    con = duckdb.connect()
    for stage, table, select in CHILD_TABLES:
        target = table_file(lake, table, day)
        tmp = temp_path(target)
        params = [day] if "?" in select else []
        run(
            con,
            f"COPY (SELECT {select} FROM read_parquet(?, hive_partitioning = false) WHERE article_id IN "
            f"(SELECT article_id FROM read_parquet(?, hive_partitioning = false))) TO {sql_string(tmp)} (FORMAT parquet)",
            params + [str(stage_file(lake, stage, day)), kept],
        )
        tmp.replace(target)
        counts[table] = con.execute("SELECT count(*) FROM read_parquet(?)", [str(target)]).fetchall()[0][0]
    raw_target = table_file(lake, "raw_scrapes", day)
    tmp = temp_path(raw_target)
    run(
        con,
        f"COPY (SELECT * FROM read_parquet(?, hive_partitioning = false)) TO {sql_string(tmp)} (FORMAT parquet)",
        [str(stage_file(lake, "raw_scrapes", day))],
    )
    tmp.replace(raw_target)
    counts["raw_scrapes"] = con.execute("SELECT count(*) FROM read_parquet(?)", [str(raw_target)]).fetchall()[0][0]
    con.close()
    return counts


@dg.asset(
    partitions_def=daily_partitions,
    group_name="quality",
    deps=["nlp"],
    check_specs=[
        daily_check(
            "nothing_lost", asset="quality", blocking=True,
            description="Every raw scrape of the day ends as exactly one article or one quarantine entry "
            "(a failure stops the load)",
        ),
    ],
)
def quality(context: dg.AssetExecutionContext, settings: NewsSettings):
    """Quarantine bad scrapes with reason codes, flag doubtful articles, stage the tables to load
    (lake/tables/<table>/partition_date=<day>/); the load validates them with the GX suites."""
    day = partition_day(context)
    lake = settings.lake
    reasons: Counter[str] = Counter()
    flags_by_check: Counter[str] = Counter()
    internal_errors: Counter[str] = Counter()  # by "<stage>: <exception type>"
    guard = RecordGuard("quality")
    nlp_failures = {row["article_id"]: row["detail"] for row in iter_rows(stage_file(lake, "nlp_failures", day))}
    with (
        systemic_errors(table_file(lake, "articles", day).parent.parent.parent),
        ParquetSink(table_file(lake, "articles", day), ARTICLES_SCHEMA) as articles,
        ParquetSink(table_file(lake, "quarantine", day), QUARANTINE_SCHEMA) as quarantine,
        ParquetSink(table_file(lake, "quality_flags", day), FLAGS_SCHEMA) as flags,
    ):
        scrapes = 0
        for batch in iter_batches(stage_file(lake, "cleaned_articles", day)):
            kept, held, flagged = [], [], []
            for row in batch.to_pylist():
                scrapes += 1
                article, quarantined, article_flags = guard.run(
                    lambda r: triage(r, day, nlp_failures.get(r["article_id"])), row,
                    lambda detail, row=row: (None, _held(row, day, INTERNAL_ERROR, detail), []), row["source"],
                )
                if quarantined and INTERNAL_ERROR in quarantined["reasons"]:
                    internal_errors[internal_error_kind(quarantined["detail"])] += 1
                if article:
                    kept.append(article)
                if quarantined:
                    held.append(quarantined)
                    reasons.update(quarantined["reasons"])
                flagged.extend(article_flags)
                flags_by_check.update(f["check_name"] for f in article_flags)
            articles.write_rows(kept)
            quarantine.write_rows(held)
            flags.write_rows(flagged)
        threshold = settings.internal_error_threshold
        failed = sum(internal_errors.values())
        if threshold.exceeded(failed, scrapes):  # raised inside the sinks: nothing is staged for the load
            raise dg.Failure(
                description=threshold.message(failed, scrapes, internal_errors.most_common(3)),
                metadata={"internal_errors": failed, "scrapes": scrapes,
                          "internal_errors_by_kind": dict(internal_errors)},
            )
    counts = copy_children(lake, day)
    lost = counts["raw_scrapes"] - articles.rows - quarantine.rows
    write_signatures(lake, day)
    yield dg.MaterializeResult(
        metadata={
            "articles": articles.rows,
            "quarantined": quarantine.rows,
            "quarantine_reasons": dict(reasons),
            "internal_errors": sum(internal_errors.values()),
            "internal_errors_by_kind": dict(internal_errors),
            "internal_errors_in_triage": guard.count,
            "flags": dict(flags_by_check),
            **{f"rows_{table}": n for table, n in counts.items()},
            "staged_tables": dg.MetadataValue.path(str(table_file(lake, "articles", day).parent.parent.parent)),
        }
    )
    yield dg.AssetCheckResult(
        check_name="nothing_lost",
        passed=lost == 0,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"raw_scrapes": counts["raw_scrapes"], "articles": articles.rows,
                  "quarantined": quarantine.rows, "unaccounted": lost},
        description=None if lost == 0 else f"{lost} raw scrapes of {day} are neither an article nor quarantined: "
        "a stage dropped them. The load does not run; the gx_scrape_outcomes check of news/raw_scrapes (when the "
        "load runs) and the staged files under lake/tables name them.",
    )


def write_signatures(lake: Path, day: date) -> None:
    """Body hash and MinHash per kept article, so the load's dedup never recomputes old days; the
    MinHash of an article whose body is unchanged since the day's last run is copied."""
    path = table_file(lake, "article_signatures", day)
    config = repr(DEFAULT_DEDUP_CONFIG)
    known = _known_minhashes(path, config)
    with ParquetSink(path, SIGNATURES_SCHEMA.with_metadata({_DEDUP_CONFIG: config})) as sink:
        for batch in iter_batches(table_file(lake, "articles", day), ["article_id", "body"]):
            signatures = article_signatures(pa.Table.from_batches([batch]), known=known)
            sink.write(signatures.add_column(1, "partition_date", pa.array([day] * signatures.num_rows, pa.date32())))


def _known_minhashes(path: Path, config: str) -> dict[tuple[str, str], bytes | None]:
    """(article_id, body_hash) -> MinHash of the day's previous signatures file, when it was
    computed with this dedup config and can be read; else nothing."""
    try:
        if not path.exists() or (pq.read_schema(path).metadata or {}).get(_DEDUP_CONFIG.encode()) != config.encode():
            return {}
        return {(row["article_id"], row["body_hash"]): row["minhash"]
                for row in iter_rows(path, ["article_id", "body_hash", "minhash"])}
    except (LakeFileError, pa.ArrowException, OSError):
        return {}
