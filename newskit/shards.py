"""What a worker process does with one shard of a stage: extract, clean or annotate its records.

The per-record parts of three stages run here, in worker processes (`newskit.workers`), or in the
stage's own process with one worker:

- extract: raw scrape -> decoded text blocks and metadata (`extracted_row`);
- clean: extracted scrape -> article, paragraphs, sentences (`cleaned_article`), with the site
  templates and title affixes the stage learnt from the whole day first;
- annotate: article body -> entities, figures, quotations and places (`newskit.entity_keys.annotate_extras`).

A shard goes in as Arrow (or a list of `NlpInput`) and comes back as Arrow tables plus counts, so
nothing but Arrow buffers and small dicts crosses between processes. What a stage gives every
worker (schemas, limits, templates, the model name) arrives once, through the `setup_*`
initializers; a setup that fails (a missing model) is raised by the worker's first task, so the
step fails with the setup's own error. This module imports no Dagster; trafilatura and spaCy are
imported by the setups, in the worker.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import pyarrow as pa

from newskit.blocks import Block
from newskit.isolation import INTERNAL_ERROR, RecordGuard
from newskit.limits import DEFAULT_LIMITS, Limits
from newskit.metadata import TitleAffixes, strip_title_affixes
from newskit.records import site_from_url, utc_datetime

WORKER_DIED = "WorkerDied"
"""The exception type counted for a record whose worker process died while handling it alone."""

_SETUP: dict[str, tuple[object, BaseException | None]] = {}  # stage -> (what its tasks use, the setup's error)


def _setup(stage: str, make) -> None:
    try:
        _SETUP[stage] = (make(), None)
    except Exception as exc:  # raised by the tasks: an initializer that raises would break the pool
        _SETUP[stage] = (None, exc)


def _setting(stage: str):
    value, error = _SETUP[stage]
    if error is not None:
        raise error
    return value


def lost_detail(stage: str, detail: str) -> str:
    return f"{stage}: {WORKER_DIED}: {detail}"


def shard_rows(batches, max_rows: int, max_bytes: int, size_column: str | None = None):
    """Record batches cut into shards of at most `max_rows` rows and about `max_bytes` bytes of
    `size_column` (a single larger record is a shard of its own)."""
    import pyarrow.compute as pc

    for batch in batches:
        sizes = pc.binary_length(batch[size_column]).to_pylist() if size_column else [0] * batch.num_rows
        start = total = 0
        for at, size in enumerate(sizes):
            if at > start and (at - start == max_rows or total + (size or 0) > max_bytes):
                yield batch.slice(start, at - start)
                start, total = at, 0
            total += size or 0
        if batch.num_rows > start:
            yield batch.slice(start, batch.num_rows - start)


# --- extract -------------------------------------------------------------------------------------


def _base_row(raw: dict) -> dict:
    return {key: raw[key] for key in ("scrape_id", "source", "url", "site", "fetched_at")}


def extracted_row(raw: dict, limits: Limits = DEFAULT_LIMITS) -> dict:
    """One raw scrape -> its `extracted` row: text blocks and metadata, or the reason it has none."""
    from newskit.scrape_text import read_scrape

    row = _base_row(raw)
    if raw["reject_reason"]:
        return row | {"reject_reason": raw["reject_reason"], "reject_detail": raw["reject_detail"]}
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


@dataclass
class ExtractedShard:
    table: pa.Table
    errors: Counter[str] = field(default_factory=Counter)  # internal errors by exception type


def setup_extract(schema: pa.Schema, limits: Limits) -> None:
    def make():
        import newskit.scrape_text  # noqa: F401 - trafilatura, once per worker

        return schema, limits

    _setup("extract", make)


def extract_shard(raw: pa.RecordBatch) -> ExtractedShard:
    schema, limits = _setting("extract")
    guard = RecordGuard("extract")
    rows = [
        guard.run(lambda r: extracted_row(r, limits), record,
                  lambda detail, record=record: _base_row(record) | {"reject_reason": INTERNAL_ERROR, "reject_detail": detail},
                  record["source"])
        for record in raw.to_pylist()
    ]
    return ExtractedShard(pa.Table.from_pylist(rows, schema=schema), guard.errors)


def lost_extract(schema: pa.Schema, raw: pa.RecordBatch, detail: str) -> ExtractedShard:
    rows = [_base_row(r) | {"reject_reason": INTERNAL_ERROR, "reject_detail": lost_detail("extract", detail)} for r in raw.to_pylist()]
    return ExtractedShard(pa.Table.from_pylist(rows, schema=schema), Counter({WORKER_DIED: len(rows)}))


# --- clean ---------------------------------------------------------------------------------------


def article_site(row: dict) -> str | None:
    """The site an extracted scrape belongs to: its canonical URL's host, else its URL's, else its folder's."""
    return site_from_url(row.get("canonical_url")) or site_from_url(row.get("url")) or row.get("site")


@dataclass(frozen=True)
class CleanSetup:
    articles: pa.Schema
    paragraphs: pa.Schema
    sentences: pa.Schema
    templates: dict[str, frozenset[str]]
    title_affixes: dict[str | None, TitleAffixes]
    day: date


@dataclass
class CleanedShard:
    articles: pa.Table
    paragraphs: pa.Table
    sentences: pa.Table
    removed: Counter[str] = field(default_factory=Counter)  # boilerplate removed, by reason
    errors: Counter[str] = field(default_factory=Counter)


def cleaned_article(row: dict, setup: CleanSetup):
    """One extracted scrape -> `BuiltArticle` (article row, paragraph and sentence rows)."""
    from newskit.article import build_article

    site = article_site(row)
    row["title"] = strip_title_affixes(row["title"], setup.title_affixes.get(site, TitleAffixes()))
    blocks = [Block(b["kind"], b["text"]) for b in row["blocks"] or []]
    return build_article(row, site, blocks, setup.templates.get(site or "", frozenset()), setup.day)


def _failed_article(row: dict, detail: str):
    """The article row of a scrape whose cleaning raised (or killed its worker): its ids and the internal_error."""
    from newskit.article import BuiltArticle, article_id_for

    return BuiltArticle({"scrape_id": row["scrape_id"], "article_id": article_id_for(row["scrape_id"]),
                         "source": row["source"], "reject_reason": INTERNAL_ERROR, "reject_detail": detail})


def setup_clean(setup: CleanSetup) -> None:
    def make():
        import newskit.article  # noqa: F401

        return setup

    _setup("clean", make)


def _cleaned_shard(setup: CleanSetup, built: list, guard_errors: Counter[str]) -> CleanedShard:
    removed: Counter[str] = Counter(reason for b in built for _, reason in b.removed)
    return CleanedShard(
        pa.Table.from_pylist([b.article for b in built], schema=setup.articles),
        pa.Table.from_pylist([p for b in built for p in b.paragraphs], schema=setup.paragraphs),
        pa.Table.from_pylist([s for b in built for s in b.sentences], schema=setup.sentences),
        removed, guard_errors,
    )


def clean_shard(extracted: pa.RecordBatch) -> CleanedShard:
    setup: CleanSetup = _setting("clean")
    guard = RecordGuard("clean")
    built = [
        guard.run(lambda r: cleaned_article(r, setup), row, lambda detail, row=row: _failed_article(row, detail), row["source"])
        for row in extracted.to_pylist()
    ]
    return _cleaned_shard(setup, built, guard.errors)


def lost_clean(setup: CleanSetup, extracted: pa.RecordBatch, detail: str) -> CleanedShard:
    built = [_failed_article(row, lost_detail("clean", detail)) for row in extracted.to_pylist()]
    return _cleaned_shard(setup, built, Counter({WORKER_DIED: len(built)}))


# --- annotate ------------------------------------------------------------------------------------


@dataclass
class AnnotatedShard:
    entities: pa.Table
    figures: pa.Table
    quotes: pa.Table
    places: pa.Table
    failures: list[tuple[str, str]]  # (article_id, internal_error detail)
    errors: Counter[str] = field(default_factory=Counter)
    words: int = 0  # of the bodies annotated


def setup_nlp(model: str) -> None:
    def make():
        from newskit.nlp import load_pipeline

        return load_pipeline(model)

    _setup("nlp", make)


def _outputs(results: list, name: str, schema: pa.Schema) -> pa.Table:
    return pa.concat_tables([getattr(r, name) for r in results]) if results else schema.empty_table()


def annotate_shard(articles: list) -> AnnotatedShard:
    """Entities with their keys, figures, quotations and places (`newskit.entity_keys.annotate_extras`)."""
    from newskit.entity_keys import annotate_extras
    from newskit.nlp import ENTITY_SCHEMA, FIGURE_SCHEMA, PLACE_SCHEMA, QUOTE_SCHEMA, annotate_isolated

    nlp = _setting("nlp")
    guard = RecordGuard("nlp")
    results, failures = annotate_isolated(nlp, articles, guard, annotate_extras)
    return AnnotatedShard(_outputs(results, "entities", ENTITY_SCHEMA), _outputs(results, "figures", FIGURE_SCHEMA),
                          _outputs(results, "quotes", QUOTE_SCHEMA), _outputs(results, "places", PLACE_SCHEMA),
                          failures, guard.errors, sum(len(a.body.split()) for a in articles))


def lost_annotate(articles: list, detail: str) -> AnnotatedShard:
    from newskit.nlp import ENTITY_SCHEMA, FIGURE_SCHEMA, PLACE_SCHEMA, QUOTE_SCHEMA

    failures = [(a.article_id, lost_detail("nlp", detail)) for a in articles]
    return AnnotatedShard(ENTITY_SCHEMA.empty_table(), FIGURE_SCHEMA.empty_table(), QUOTE_SCHEMA.empty_table(),
                          PLACE_SCHEMA.empty_table(), failures, Counter({WORKER_DIED: len(failures)}))
