"""nlp: named entities, figures, quotations and geocoded places for the day's article bodies."""


import time

import dagster as dg
import pyarrow as pa

from warehouse.lake import ParquetSink, iter_batches, stage_file
from assets.partitions import daily_partitions, partition_day
from newskit.isolation import RecordGuard, systemic_errors
from pipelines.settings import NewsSettings
from warehouse import contract

ARTICLE_COLUMNS = ["article_id", "reject_reason", "body", "published_at", "sentence_spans", "domain"]
NLP_FAILURES_SCHEMA = pa.schema([("article_id", pa.string()), ("detail", pa.string())])
"""Articles whose annotation raised: the quality stage quarantines them as `internal_error`."""


@dg.asset(partitions_def=daily_partitions, group_name="transform", deps=["cleaned"])
def nlp(context: dg.AssetExecutionContext, settings: NewsSettings) -> dg.MaterializeResult:
    """Entities (spaCy) with their keys, figures, quotations and geocoded places, offsets into the
    article body; captions are not read."""
    from newskit.entity_keys import annotate_extras  # spaCy: only when the step runs
    from newskit.nlp import NlpInput, annotate_isolated, load_pipeline

    day = partition_day(context)
    lake = settings.lake
    model = load_pipeline(settings.spacy_model)
    guard = RecordGuard("nlp")
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
        for batch in iter_batches(stage_file(lake, "cleaned_articles", day), ARTICLE_COLUMNS):
            inputs = [
                NlpInput(r["article_id"], r["body"], r["published_at"],
                         [(s["sentence_no"], s["char_start"], s["char_end"]) for s in r["sentence_spans"] or []],
                         r["domain"])
                for r in batch.to_pylist()
                if not r["reject_reason"] and r["body"]
            ]
            results, failed = annotate_isolated(model, inputs, guard, annotate_extras)
            for result in results:
                entities.write(result.entities)
                figures.write(result.figures)
                quotes.write(result.quotes)
                places.write(result.places)
            failures.write_rows([{"article_id": article_id, "detail": detail} for article_id, detail in failed])
            words += sum(len(i.body.split()) for i in inputs)
            context.log.info(f"nlp: {entities.rows} entities, {figures.rows} figures so far")
    elapsed = time.perf_counter() - started
    return dg.MaterializeResult(
        metadata={
            "model": settings.spacy_model,
            "entities": entities.rows,
            "figures": figures.rows,
            "quotes": quotes.rows,
            "places": places.rows,
            "words": words,
            "words_per_second": round(words / elapsed, 1) if elapsed else 0.0,
            **guard.metadata(),
        }
    )
