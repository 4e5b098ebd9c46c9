"""nlp: named entities, figures, quotations and geocoded places for the day's article bodies, on every core."""


import time

import dagster as dg
import pyarrow as pa
import pyarrow.compute as pc

from warehouse.lake import ParquetSink, iter_batches, stage_file
from warehouse.stage_cache import FINGERPRINT, StageReuse, fingerprint
from assets.partitions import daily_partitions, partition_day
from newskit.isolation import systemic_errors
from newskit.nlp import ENTITY_SCHEMA, FIGURE_SCHEMA, NlpInput, nlp_version
from newskit.shards import annotate_shard, lost_annotate, setup_nlp
from newskit.workers import map_shards, workers_for
from pipelines.settings import NewsSettings
from warehouse import contract

ARTICLE_COLUMNS = ["article_id", "reject_reason", "body", "published_at", "sentence_spans", "domain"]
NLP_FAILURES_SCHEMA = pa.schema([("article_id", pa.string()), ("detail", pa.string())])
"""Articles whose annotation raised: the quality stage quarantines them as `internal_error`."""
SHARD_ARTICLES = 16


def _annotated(table: pa.Table) -> pa.Table:
    """The cleaned articles the stage annotates: not rejected, with a body."""
    return table.filter(pc.and_(pc.is_null(table["reject_reason"]), pc.greater(pc.utf8_length(table["body"]), 0)))


def nlp_fingerprints(cleaned_path, version: str) -> pa.Table:
    """(article_id, fingerprint) of every article the stage annotates: what annotation reads of it
    (body, publication date, sentence spans, site: its country guides geocoding) and the model,
    spaCy and rules versions. A cleaning change that leaves an article's body as it was leaves its
    entities as they were."""
    ids, prints = [], []
    for batch in iter_batches(cleaned_path, ARTICLE_COLUMNS, batch_rows=1024):
        articles = _annotated(pa.Table.from_batches([batch]))
        for row in articles.to_pylist():
            spans = [(s["sentence_no"], s["char_start"], s["char_end"]) for s in row["sentence_spans"] or []]
            ids.append(row["article_id"])
            prints.append(fingerprint(version, row["body"], row["published_at"], spans, row["domain"]))
    return pa.table({"article_id": pa.array(ids, pa.string()), FINGERPRINT: pa.array(prints, pa.string())})


def _inputs(batches, reuse: StageReuse, shard_size: int):
    """Shards of `NlpInput` for the articles that are not reused."""
    shard: list[NlpInput] = []
    for batch in batches:
        for r in _annotated(pa.Table.from_batches([reuse.to_compute(batch)])).to_pylist():
            spans = [(s["sentence_no"], s["char_start"], s["char_end"]) for s in r["sentence_spans"] or []]
            shard.append(NlpInput(r["article_id"], r["body"], r["published_at"], spans, r["domain"]))
            if len(shard) == shard_size:
                yield shard
                shard = []
    if shard:
        yield shard


@dg.asset(partitions_def=daily_partitions, group_name="transform", deps=["cleaned"])
def nlp(context: dg.AssetExecutionContext, settings: NewsSettings) -> dg.MaterializeResult:
    """Entities (spaCy) with their keys, figures, quotations and geocoded places, offsets into the
    article body; captions are not read.

    Articles annotated before with the same body, date, spans, model and rules are copied; the
    rest runs on `settings.worker_count` processes, each loading the model once.
    """
    day = partition_day(context)
    lake = settings.lake
    cleaned_path = stage_file(lake, "cleaned_articles", day)
    reuse = StageReuse.plan(lake, "nlp", day, nlp_fingerprints(cleaned_path, nlp_version(settings.spacy_model)),
                             ["nlp_entities", "nlp_figures", "nlp_quotes", "nlp_places"])
    workers = workers_for(reuse.computed_count, SHARD_ARTICLES, settings.worker_count)
    errors: dict[str, int] = {}
    failed: list[str] = []
    words = 0
    started = time.perf_counter()
    with (
        systemic_errors(stage_file(lake, "nlp_entities", day).parent.parent),
        ParquetSink(stage_file(lake, "nlp_entities", day), contract.arrow_schema("entities", exclude=("partition_date",))) as entities,
        ParquetSink(stage_file(lake, "nlp_figures", day), contract.arrow_schema("figures", exclude=("partition_date",))) as figures,
        ParquetSink(stage_file(lake, "nlp_quotes", day), contract.arrow_schema("quotes", exclude=("partition_date",))) as quotes,
        ParquetSink(stage_file(lake, "nlp_places", day), contract.arrow_schema("places", exclude=("partition_date",))) as places,
        ParquetSink(stage_file(lake, "nlp_failures", day), NLP_FAILURES_SCHEMA) as failures,
    ):
        reuse.copy("nlp_entities", entities)
        reuse.copy("nlp_figures", figures)
        reuse.copy("nlp_quotes", quotes)
        reuse.copy("nlp_places", places)
        shards = _inputs(iter_batches(cleaned_path, ARTICLE_COLUMNS), reuse, SHARD_ARTICLES)
        for shard in map_shards(annotate_shard, shards, workers, initializer=setup_nlp,
                                initargs=(settings.spacy_model,), lost=lost_annotate):
            entities.write(shard.entities)
            figures.write(shard.figures)
            quotes.write(shard.quotes)
            places.write(shard.places)
            failures.write_rows([{"article_id": article_id, "detail": detail} for article_id, detail in shard.failures])
            failed += [article_id for article_id, _ in shard.failures]
            for name, n in shard.errors.items():
                errors[name] = errors.get(name, 0) + n
            words += shard.words
            context.log.debug(f"nlp: {entities.rows} entities, {figures.rows} figures so far")
        reuse.invalidate()
    reuse.commit(failed)
    elapsed = time.perf_counter() - started
    context.log.info(f"{reuse.current.num_rows} articles: {reuse.computed_count} annotated, {reuse.reused_count} reused")
    return dg.MaterializeResult(
        metadata={
            "model": settings.spacy_model,
            **reuse.metadata(),
            "workers": workers,
            "entities": entities.rows,
            "figures": figures.rows,
            "quotes": quotes.rows,
            "places": places.rows,
            "words_computed": words,
            "words_per_second": round(words / elapsed, 1) if elapsed and words else 0.0,
            "internal_errors": sum(errors.values()),
            "internal_errors_by_type": errors,
        }
    )
