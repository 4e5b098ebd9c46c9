"""Extracted scrape -> article row, paragraph rows and sentence rows (the cleaned stage's logic)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from newskit.clean import clean_blocks
from newskit.dedup import body_hash
from newskit.blocks import Block
from newskit import EXTRACTOR_VERSION
from newskit.records import stable_id
from newskit.segment import segment

_WORD = re.compile(r"\w+")

CLEANING_VERSION = "1"
"""Bump when what `build_article` makes of an extracted scrape changes (newskit.clean, boilerplate,
captions, normalise, segment, dedup.body_hash, the title affixes): stored `cleaned` rows are then
computed again. Extraction has its own version (`EXTRACTOR_VERSION`), which the cleaned rows carry."""


def article_id_for(scrape_id: str) -> str:
    return stable_id("article", scrape_id)


@dataclass
class BuiltArticle:
    article: dict
    paragraphs: list[dict] = field(default_factory=list)
    sentences: list[dict] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)


def build_article(
    row: dict, site: str | None, blocks: list[Block], templates: frozenset[str], day: date
) -> BuiltArticle:
    """Clean and segment one extracted scrape; a rejected scrape keeps only its reason."""
    article_id = article_id_for(row["scrape_id"])
    base = {key: row.get(key) for key in ("scrape_id", "source", "reject_reason", "reject_detail", "url",
                                          "canonical_url", "site_name", "title", "title_source", "authors",
                                          "authors_source", "published_at", "published_at_source", "fetched_at",
                                          "language", "description")}
    base |= {"article_id": article_id, "domain": site, "extractor_version": EXTRACTOR_VERSION}
    if row.get("reject_reason"):
        return BuiltArticle(base)
    cleaned = clean_blocks(blocks, templates, row.get("title"))
    body_texts = [b.text for b in cleaned.blocks if b.kind == "body"]
    seg = segment(body_texts)
    built = BuiltArticle(base, removed=cleaned.removed)
    body_index = 0
    body_paragraph_no: list[int] = []
    for paragraph_no, block in enumerate(cleaned.blocks):
        start = end = None
        if block.kind == "body":
            start, end = seg.paragraphs[body_index]
            body_paragraph_no.append(paragraph_no)
            body_index += 1
        built.paragraphs.append({"article_id": article_id, "partition_date": day, "paragraph_no": paragraph_no,
                                 "kind": block.kind, "text": block.text, "char_start": start, "char_end": end})
    spans = []
    for sentence_no, (paragraph_index, start, end) in enumerate(seg.sentences):
        built.sentences.append({"article_id": article_id, "partition_date": day, "sentence_no": sentence_no,
                                "paragraph_no": body_paragraph_no[paragraph_index], "text": seg.body[start:end],
                                "char_start": start, "char_end": end})
        spans.append({"sentence_no": sentence_no, "char_start": start, "char_end": end})
    built.article |= {
        "body": seg.body,
        "word_count": len(_WORD.findall(seg.body)),
        "content_sha256": body_hash(seg.body),
        "boilerplate_chars": sum(len(text) for text, _ in cleaned.removed),
        "removed_text": "\n".join(text for text, _ in cleaned.removed),
        "sentence_spans": spans,
    }
    return built
