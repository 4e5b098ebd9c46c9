"""Boilerplate removal and normalisation of extracted blocks.

Two signals: rules for known kinds of boilerplate (newskit.boilerplate) and site templates,
paragraphs or sentences that recur across many articles of one site (counted by the caller over
the lake history with `template_keys`, turned into a set with `learn_site_templates`).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from newskit.blocks import Block
from newskit.boilerplate import boilerplate_reason, split_leading_plea, title_variants
from newskit.normalise import fold_for_hash, normalise_text
from newskit.segment import sentence_spans

__all__ = ["CleanedBlocks", "clean_blocks", "learn_site_templates", "normalise_text", "template_key", "template_keys"]

TEMPLATE_MIN_ARTICLES = 5
"""A paragraph or sentence seen in this many distinct articles of one site is site boilerplate."""
_MIN_SENTENCE_WORDS = 6  # shorter sentences ("He said no.") recur by chance, not by template


def template_key(text: str) -> str:
    """Hash of a paragraph for cross-article template counting (case, quotes, dashes, spaces folded)."""
    return hashlib.sha1(fold_for_hash(text).encode("utf-8")).hexdigest()[:16]


def _template_sentences(text: str) -> list[str]:
    return [s for s in (text[a:b] for a, b in sentence_spans(text)) if len(s.split()) >= _MIN_SENTENCE_WORDS]


def template_keys(text: str) -> list[str]:
    """The keys an article paragraph contributes to template counting: its own and its long sentences'."""
    keys = [template_key(text)]
    sentences = _template_sentences(text)
    if len(sentences) > 1:
        keys.extend(template_key(s) for s in sentences)
    return list(dict.fromkeys(keys))


def learn_site_templates(
    articles: Iterable[tuple[str, Iterable[str]]], min_articles: int = TEMPLATE_MIN_ARTICLES
) -> dict[str, frozenset[str]]:
    """Per site, the template keys seen in at least `min_articles` distinct articles.

    `articles` yields (site, keys of one article), e.g. the body paragraphs' `template_keys` of every
    article of the lake history plus the current day.
    """
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for site, keys in articles:
        for key in set(keys):
            counts[site][key] += 1
    return {site: frozenset(k for k, n in keyed.items() if n >= min_articles) for site, keyed in counts.items()}


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
