"""HTML and text scrapes -> article text blocks and metadata (with provenance)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Literal

import trafilatura

BlockKind = Literal["body", "caption", "credit"]


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str


@dataclass
class Extracted:
    blocks: list[Block] = field(default_factory=list)
    title: str | None = None
    title_source: str | None = None
    authors: list[str] = field(default_factory=list)
    authors_source: str | None = None
    published_at: datetime | None = None
    published_at_source: str | None = None
    site_name: str | None = None
    language: str | None = None
    canonical_url: str | None = None
    description: str | None = None


_DATE_HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b\s*", re.IGNORECASE)


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def extract_html(html: str, url: str | None = None) -> Extracted:
    text = trafilatura.extract(html, url=url, include_comments=False) or ""
    meta = trafilatura.extract_metadata(html, default_url=url)
    blocks = [Block("body", p) for p in text.split("\n") if p.strip()]
    out = Extracted(blocks=blocks)
    if meta is not None:
        out.title, out.title_source = meta.title, "meta" if meta.title else None
        if meta.author:
            out.authors, out.authors_source = [a.strip() for a in meta.author.split(";")], "meta"
        out.published_at = _parse_date(meta.date)
        out.published_at_source = "meta" if out.published_at else None
        out.site_name, out.canonical_url = meta.sitename, meta.url
        out.description, out.language = meta.description, meta.language
    return out


def extract_text(text: str, url: str | None = None) -> Extracted:
    out = Extracted()
    match = _DATE_HEADER.match(text)
    if match:
        out.published_at = _parse_date(match.group(1))
        out.published_at_source = "text_header"
        text = text[match.end():]
    out.blocks = [Block("body", p.strip()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    return out


def html_to_text(html: str | bytes) -> str:
    """Our clean article body for an HTML page: the scorer's entry point."""
    if isinstance(html, bytes):
        from newskit.decode import decode_bytes

        html = decode_bytes(html, "text/html").text
    return "\n\n".join(b.text for b in extract_html(html).blocks if b.kind == "body")
