"""The record every source yields, and the deterministic ids derived from it.

Every source (landing folder, HTTP, feeds, sitemaps, WARC) produces `RawScrape` records; the
`raw_scrapes` stage stores them byte for byte in the lake. A source that already knows a scrape
cannot become an article (an invalid JSON line, an oversized file) sets `reject_reason`, and the
scrape is quarantined with that code instead of being dropped.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timezone
from urllib.parse import urlsplit

import pyarrow as pa

from warehouse.contract import arrow_schema


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def valid_text(value: str | None) -> str | None:
    """`value` with lone surrogates (from JSON escapes or undecodable names) replaced: Arrow and
    DuckDB take only valid UTF-8."""
    if value is None:
        return None
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return value.encode("utf-8", errors="replace").decode("utf-8")


def utc_datetime(value: datetime | None) -> datetime | None:
    """`value` in UTC (naive taken as UTC); None when UTC would fall outside years 1-9999
    (`9999-12-31T23:59:59-12:00`): Arrow would store it, but no reader could turn it back into a
    Python datetime, and the whole batch would fail to load."""
    if value is None:
        return None
    try:
        return value.astimezone(timezone.utc) if value.tzinfo else value.replace(tzinfo=timezone.utc)
    except (OverflowError, ValueError):
        return None


def parsable_url(url: str | None) -> str | None:
    """`url` when the URL parser accepts it, else None (`http://[::1` makes urlsplit raise): what
    the extractors may be given."""
    if not url:
        return None
    try:
        urlsplit(url).port  # noqa: B018 - the port is checked lazily, and raises on 'host:99999'
    except ValueError:
        return None
    return url


def site_from_url(url: str | None) -> str | None:
    """The site of a URL: its host name, lower case, without a leading `www.`; None when the URL
    does not parse (`http://[::1`)."""
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None
    return host.removeprefix("www.") or None


def stable_id(*parts: str | None) -> str:
    """A 16-hex-digit id from the given parts: the same inputs always give the same id."""
    joined = "\x1f".join("" if p is None else p for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class RawScrape:
    partition_date: date
    source: str  # where a person finds it: relative path[:line], URL, or warc path@offset
    source_kind: str  # landing | http | feed | sitemap | warc
    content: bytes
    fetched_at: datetime  # timezone-aware UTC
    content_type: str  # text/html | text/plain | application/json | application/octet-stream ...
    url: str | None = None
    site: str | None = None  # domain, or the landing subfolder that names the site
    declared_charset: str | None = None
    reject_reason: str | None = None  # quarantine code decided at the source
    reject_detail: str | None = None
    original_size: int | None = None  # set when `content` holds only the first bytes (too large)

    @property
    def size(self) -> int:
        return len(self.content) if self.original_size is None else self.original_size

    @property
    def sha256(self) -> str:
        return sha256_hex(self.content)

    @property
    def scrape_id(self) -> str:
        return stable_id("scrape", self.source, self.sha256)


RAW_SCRAPES_SCHEMA = arrow_schema("raw_scrapes")
"""news.raw_scrapes as the raw stage stores it (and the warehouse keeps it: warehouse/repair.py restores
a damaged raw stage file from it), with the reason a source already knows the scrape cannot become an article."""


def raw_scrapes_to_arrow(scrapes: list[RawScrape]) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "scrape_id": s.scrape_id,
                "partition_date": s.partition_date,
                "source": s.source,
                "source_kind": s.source_kind,
                "url": s.url,
                "site": s.site,
                "fetched_at": s.fetched_at,
                "content_type": s.content_type,
                "declared_charset": s.declared_charset,
                "sha256": s.sha256,
                "bytes": s.size,
                "content": s.content,
                "reject_reason": s.reject_reason,
                "reject_detail": s.reject_detail,
            }
            for s in scrapes
        ],
        schema=RAW_SCRAPES_SCHEMA,
    )
