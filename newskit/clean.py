"""Boilerplate removal and normalisation of extracted blocks.

Two signals: rules for known kinds of boilerplate (newskit.boilerplate) and site templates,
paragraphs or sentences that recur across many distinct stories of one site. The caller collects
one `template_row` per scrape over a window of days and turns them into sets with
`learn_site_templates`; `clean_blocks` then removes what those sets hold.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from newskit.blocks import Block
from newskit.boilerplate import boilerplate_reason, split_leading_plea, title_variants
from newskit.normalise import fold_for_hash, normalise_text
from newskit.segment import sentence_spans

__all__ = [
    "CleanedBlocks", "TEMPLATE_ROW_SCHEMA", "clean_blocks", "learn_site_templates", "normalise_text",
    "template_key", "template_keys", "template_row",
]

TEMPLATE_MIN_STORIES = 5
"""A paragraph or sentence seen in this many distinct stories of one site is site boilerplate."""
TEMPLATE_KEYS_VERSION = "stories-1"
"""Bump when `template_keys`, `template_row` or the story identity changes: stored rows are then recomputed."""
_MIN_SENTENCE_WORDS = 6  # shorter sentences ("He said no.") recur by chance, not by template

TEMPLATE_ROW_SCHEMA = pa.schema(
    [
        ("scrape_id", pa.string()),
        ("site", pa.string()),
        ("story_key", pa.string()),  # versions of one story share it (canonical URL, else source)
        ("content_hash", pa.string()),  # exact copies share it (the folded body paragraphs)
        ("keys", pa.list_(pa.string())),
    ]
)


def template_key(text: str) -> str:
    """Hash of a paragraph for cross-story template counting (case, quotes, dashes, spaces folded)."""
    return hashlib.sha1(fold_for_hash(text).encode("utf-8")).hexdigest()[:16]


def _template_sentences(text: str) -> list[str]:
    return [s for s in (text[a:b] for a, b in sentence_spans(text)) if len(s.split()) >= _MIN_SENTENCE_WORDS]


def template_keys(text: str) -> list[str]:
    """The keys a body paragraph contributes to template counting: its own and its long sentences'."""
    keys = [template_key(text)]
    sentences = _template_sentences(text)
    if len(sentences) > 1:
        keys.extend(template_key(s) for s in sentences)
    return list(dict.fromkeys(keys))


def template_row(scrape_id: str, site: str | None, story_key: str | None, body_texts: list[str]) -> dict | None:
    """What one scrape contributes to template counting (None when it has no site or no body).

    `story_key` names the story the scrape is a version of (`newskit.dedup.version_key`); scrapes
    without one are their own story unless their body paragraphs are an exact copy of another's.
    """
    if not site or not body_texts:
        return None
    paragraph_keys = [template_key(text) for text in body_texts]
    return {
        "scrape_id": scrape_id,
        "site": site,
        "story_key": story_key,
        "content_hash": hashlib.sha1(" ".join(paragraph_keys).encode("ascii")).hexdigest()[:16],
        "keys": list(dict.fromkeys(k for text in body_texts for k in template_keys(text))),
    }


def _story_ids(rows: pa.Table) -> list[int]:
    """One id per row; rows of a site that share a story key or a content hash, even through other
    rows (a version that is also copied elsewhere), get the same id."""
    parent = list(range(rows.num_rows))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple[str, str, str], int] = {}
    columns = zip(rows["site"].to_pylist(), rows["story_key"].to_pylist(), rows["content_hash"].to_pylist())
    for i, (site, story_key, content_hash) in enumerate(columns):
        for kind, value in (("story", story_key), ("content", content_hash)):
            if value is None:
                continue
            j = first.setdefault((site, kind, value), i)
            parent[find(i)] = find(j)
    return [find(i) for i in range(rows.num_rows)]


def learn_site_templates(
    rows: pa.Table | Iterable[dict], min_stories: int = TEMPLATE_MIN_STORIES
) -> dict[str, frozenset[str]]:
    """Per site, the template keys seen in at least `min_stories` distinct stories.

    `rows` are `template_row`s (a table of `TEMPLATE_ROW_SCHEMA` or dicts), one per scrape of the
    window. Versions of a story (same story key) and exact copies (same content hash) count once,
    so a developing story fetched many times, or one wire story filed in several sections, never
    turns its own paragraphs into templates. The result depends only on the set of rows, never on
    their order.
    """
    table = rows if isinstance(rows, pa.Table) else pa.Table.from_pylist(list(rows), schema=TEMPLATE_ROW_SCHEMA)
    table = table.combine_chunks()
    if table.num_rows == 0:
        return {}
    stories = pa.array(_story_ids(table), pa.int64())
    parents = pc.list_parent_indices(table["keys"])
    mentions = pa.table(
        {"site": pc.take(table["site"], parents), "key": pc.list_flatten(table["keys"]), "story": pc.take(stories, parents)}
    )
    counted = mentions.group_by(["site", "key"]).aggregate([("story", "count_distinct")])
    frequent = counted.filter(pc.field("story_count_distinct") >= min_stories)
    templates: dict[str, set[str]] = {}
    for site, key in zip(frequent["site"].to_pylist(), frequent["key"].to_pylist()):
        templates.setdefault(site, set()).add(key)
    return {site: frozenset(keys) for site, keys in templates.items()}


@dataclass
class CleanedBlocks:
    blocks: list[Block] = field(default_factory=list)  # kept, in document order
    removed: list[tuple[str, str]] = field(default_factory=list)  # (text, reason)


def _strip_template_sentences(text: str, site_templates: frozenset[str], removed: list[tuple[str, str]]) -> str:
    """The paragraph without the sentences that are site templates (a plea glued to real text)."""
    spans = sentence_spans(text)
    kept = []
    for start, end in spans:
        sentence = text[start:end]
        if len(sentence.split()) >= _MIN_SENTENCE_WORDS and template_key(sentence) in site_templates:
            removed.append((sentence, "site_template"))
        else:
            kept.append(sentence)
    return " ".join(kept) if len(kept) < len(spans) else text


def clean_blocks(
    blocks: list[Block], site_templates: frozenset[str] = frozenset(), title: str | None = None
) -> CleanedBlocks:
    """Kept blocks (normalised, document order) and removed (text, reason) pairs.

    Caption and credit blocks are kept as they are (normalised); body blocks go through the site
    templates, the split of a leading plea and the boilerplate rules.
    """
    out = CleanedBlocks()
    title_parts = title_variants(title)
    seen_body = False
    for block in blocks:
        text = normalise_text(block.text)
        if not text:
            continue
        if block.kind != "body":
            out.blocks.append(Block(block.kind, text, block.tag))
            continue
        if site_templates and template_key(text) in site_templates:
            out.removed.append((text, "site_template"))
            continue
        if not seen_body:
            plea, text = split_leading_plea(text)
            if plea:
                out.removed.append((plea, "donation_plea"))
        if site_templates and text:
            text = _strip_template_sentences(text, site_templates, out.removed)
        if not text:
            continue
        if reason := boilerplate_reason(text, title_parts):
            out.removed.append((text, reason))
            continue
        seen_body = True
        out.blocks.append(Block("body", text, block.tag))
    return out
