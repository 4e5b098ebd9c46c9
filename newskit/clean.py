"""Boilerplate removal and normalisation of extracted blocks."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from newskit.extract import Block

_WS = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def template_key(text: str) -> str:
    """Hash of a paragraph for cross-article template counting (case and quotes folded)."""
    folded = normalise_text(text).lower().translate(str.maketrans("“”‘’", "\"\"''"))
    return hashlib.sha1(folded.encode("utf-8")).hexdigest()[:16]


@dataclass
class CleanedBlocks:
    blocks: list[Block] = field(default_factory=list)  # kept, in document order
    removed: list[tuple[str, str]] = field(default_factory=list)  # (text, reason)


def clean_blocks(
    blocks: list[Block], site_templates: frozenset[str] = frozenset(), title: str | None = None
) -> CleanedBlocks:
    out = CleanedBlocks()
    for block in blocks:
        text = normalise_text(block.text)
        if not text:
            continue
        if block.kind == "body" and template_key(text) in site_templates:
            out.removed.append((text, "site_template"))
            continue
        out.blocks.append(Block(block.kind, text))
    return out
