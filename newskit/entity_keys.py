"""One key per entity across articles and days (`entities.entity_key`, `places.entity_key`).

A place resolved to a GeoNames feature is `geo:<geonameid>` ("geo:2643743" for London); a
first-level region without a GeoNames id is `iso:<ISO 3166-2 code>` ("iso:DE-BY"); anything else
is its label and normalised canonical name ("PERSON:mara lindqvist", "ORG:lenn ferries ltd"), so
the same name with the same label is one key in every article.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyarrow as pa

from newskit.entities import Mention
from newskit.nlp import PLACE_SCHEMA, QUOTE_SCHEMA, NlpInput, NlpResult, annotate

if TYPE_CHECKING:
    from newskit.places import Feature


def name_key(name: str) -> str:
    """A name folded for matching and keys: NFKC, no accents, case-folded, one space between
    words, straight apostrophes ("Zürich" and "Zurich" -> "zurich")."""
    if name.isascii():
        return " ".join(name.casefold().split())
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name).replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def entity_key(label: str, canonical: str, feature: Feature | None = None) -> str:
    """The stable key of an entity: its GeoNames id or ISO region code when geocoded, else
    label and normalised canonical name."""
    if feature is not None and feature.geonameid is not None:
        return f"geo:{feature.geonameid}"
    if feature is not None and feature.region_code is not None:
        return f"iso:{feature.region_code}"
    return f"{label}:{name_key(canonical)}"


def mention_keys(mentions: Sequence[Mention], places: dict[Mention, tuple]) -> list[str]:
    """The entity_key of each mention, in the given order; a place mention takes the key of the
    place it resolved to (`newskit.places.resolve_mentions_to_places`)."""
    keys = []
    for m in mentions:
        if m in places:
            label, canonical, feature, _ = places[m]
            keys.append(entity_key(label, canonical, feature))
        else:
            keys.append(entity_key(m.label, m.canonical or m.text))
    return keys


@dataclass
class Extras:
    """What `annotate_extras` adds to an `annotate` result."""

    quotes: pa.Table  # newskit.nlp.QUOTE_SCHEMA
    places: pa.Table  # newskit.nlp.PLACE_SCHEMA
    entity_keys: pa.Array  # one key per row of the entities table, in its order


class KeepDocs:
    """A spaCy pipeline whose `pipe` also keeps each article's paragraph Docs and offsets."""

    def __init__(self, nlp):
        self.nlp = nlp
        self.max_length = nlp.max_length
        self.docs: dict[int, list[tuple[object, int]]] = defaultdict(list)

    def pipe(self, texts, **kwargs):
        for doc, context in self.nlp.pipe(texts, **kwargs):
            index, _, offset = context
            self.docs[index].append((doc, offset))
            yield doc, context


def annotate_extras(nlp, articles: Sequence[NlpInput], batch_size: int = 256) -> NlpResult:
    """`newskit.nlp.annotate` plus quotations, geocoded places and the entities' keys, from the
    same parse (each paragraph is parsed once). Each article's `domain` gives the site's country."""
    articles = list(articles)
    keeper = KeepDocs(nlp)
    result = annotate(keeper, articles, batch_size=batch_size)
    extras = extras_of(articles, keeper.docs, result.entities)
    entities = result.entities.set_column(
        result.entities.schema.get_field_index("entity_key"), result.entities.schema.field("entity_key"), extras.entity_keys
    )
    return NlpResult(entities, result.figures, extras.quotes, extras.places)


def extras_of(articles: Sequence[NlpInput], docs: dict[int, list[tuple[object, int]]], entities: pa.Table) -> Extras:
    """Quotations, places and entity keys of articles whose paragraphs are parsed (`docs`: article
    index -> [(Doc, offset into the body)]) and whose entities `annotate` found."""
    from newskit.places import resolve_mentions_to_places, resolve_places
    from newskit.quotes import find_quotes

    columns = {name: entities.column(name).to_pylist() for name in ("article_id", "char_start", "char_end", "text", "label", "canonical")}
    by_article: dict[str, list[tuple[int, Mention]]] = defaultdict(list)
    for row, (aid, start, end, text, label, canonical) in enumerate(zip(*columns.values())):
        by_article[aid].append((row, Mention(start, end, text, label, canonical)))
    keys: list[str | None] = [None] * entities.num_rows
    quotes: dict[str, list] = {name: [] for name in QUOTE_SCHEMA.names}
    places: dict[str, list] = {name: [] for name in PLACE_SCHEMA.names}
    for index, article in enumerate(articles):
        rows = by_article.get(article.article_id, [])
        mentions = [m for _, m in rows]
        resolved = resolve_mentions_to_places(mentions, article.body, article.domain)
        for (row, _), key in zip(rows, mention_keys(mentions, resolved)):
            keys[row] = key
        for place in resolve_places(mentions, article.body, article.domain, resolved):
            for name, value in {"article_id": article.article_id, **place.row()}.items():
                places[name].append(value)
        for q in find_quotes(article.body, article.sentences, docs.get(index, []), mentions):
            for name, value in {"article_id": article.article_id, **q.__dict__}.items():
                quotes[name].append(value)
    return Extras(pa.table(quotes, schema=QUOTE_SCHEMA), pa.table(places, schema=PLACE_SCHEMA), pa.array(keys, pa.string()))
