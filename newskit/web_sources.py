"""One day's scrapes from the configured sources (feeds, sitemaps, URL lists, WARC files).

`SourceRun(config, day, known=...)` yields `RawScrape` records as pages are fetched (so memory holds
one page at a time) and collects a fetch-log row for every request made or refused in `log`.
A source that fails (feed down, sitemap unreadable, no WARC file) is logged and reported in
`problems`; it never stops the other sources.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

import pyarrow as pa
import pyarrow.compute as pc

from newskit.feeds import (
    AnnouncementError,
    Listing,
    children_worth_reading,
    decide,
    dedupe_listings,
    parse_feed,
    parse_sitemap,
)
from newskit.fetch import FEED_TYPES, PAGE_TYPES, SITEMAP_TYPES, FetchAttempt, Fetcher, FetchResult
from newskit.records import RawScrape, sha256_hex, site_from_url
from newskit.sources_config import SourcesConfig, SourceSpec
from newskit.warc import iter_warc
from warehouse.contract import arrow_schema

SCRAPE_KIND = {"feed": "feed", "sitemap": "sitemap", "urls": "http"}
MAX_SITEMAP_DEPTH = 2  # an index may point at indexes once more, no deeper

FETCH_LOG_SCHEMA = arrow_schema("fetch_log")


@dataclass(frozen=True)
class KnownPage:
    """A URL already in the lake: when it was last fetched, the validators the server gave and the
    sha256 of the bytes stored for it (a refetch that returns the same bytes stores nothing)."""

    fetched_at: datetime
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None


def fetch_log_to_arrow(rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=FETCH_LOG_SCHEMA)


def known_pages(scrapes: pa.Table, fetch_log: pa.Table) -> dict[str, KnownPage]:
    """URLs already stored, from raw_scrapes history (source, source_kind, url, fetched_at, sha256)
    and the fetch-log history (url, purpose, status, error, etag, last_modified, fetched_at).

    A stored URL counts as fetched at its latest stored scrape or its latest successful page fetch
    in the log, whichever is later (a refetch that brought the same bytes stores no scrape, but an
    update announced before it must not trigger another); the latest 200 answer with an ETag or
    Last-Modified gives the validators.
    """
    web = pc.is_in(scrapes["source_kind"], pa.array(list(SCRAPE_KIND.values())))
    keys = pa.concat_tables(
        [
            pa.table({"key": scrapes["url"], "fetched_at": scrapes["fetched_at"], "sha256": scrapes["sha256"]}),
            pa.table({"key": scrapes["source"], "fetched_at": scrapes["fetched_at"], "sha256": scrapes["sha256"]}).filter(web),
        ]
    ).filter(pc.is_valid(pc.field("key")))
    latest = keys.sort_by([("fetched_at", "ascending"), ("sha256", "ascending")]).group_by("key", use_threads=False).aggregate(
        [("fetched_at", "last"), ("sha256", "last")]
    )
    ok = fetch_log.filter((pc.field("status") == 200) & pc.is_null(pc.field("error")))
    pages = ok.filter(pc.field("purpose") == "page").group_by("url").aggregate([("fetched_at", "max")])
    fetched = dict(zip(pages["url"].to_pylist(), pages["fetched_at_max"].to_pylist()))
    validated = ok.filter(pc.is_valid(pc.field("etag")) | pc.is_valid(pc.field("last_modified"))).sort_by("fetched_at")
    validators = {
        row["url"]: (row["etag"], row["last_modified"])
        for row in validated.select(["url", "etag", "last_modified"]).to_pylist()
    }
    columns = (latest[c].to_pylist() for c in ("key", "fetched_at_last", "sha256_last"))
    return {
        key: KnownPage(max(stored_at, fetched.get(key, stored_at)), *validators.get(key, (None, None)), sha256)
        for key, stored_at, sha256 in zip(*columns)
    }


class SourceRun:
    def __init__(
        self,
        config: SourcesConfig,
        day: date,
        *,
        known: Mapping[str, KnownPage] | None = None,
        fetcher: Fetcher | None = None,
    ) -> None:
        self.config = config
        self.day = day
        self.known = dict(known or {})
        self._fetcher = fetcher
        self.log: list[dict] = []
        self.problems: list[str] = []
        self.counts: Counter[str] = Counter()  # pages by outcome, WARC records by reason

    def scrapes(self) -> Iterator[RawScrape]:
        web = [s for s in self.config.sources if s.kind != "warc"]
        if web:
            fetcher = self._fetcher or Fetcher(self.config.defaults)
            try:
                for source in web:
                    yield from self._web_source(source, fetcher)
            finally:
                if self._fetcher is None:
                    fetcher.close()
        for source in self.config.sources:
            if source.kind == "warc":
                yield from self._warc_source(source)

    # -- logging ----------------------------------------------------------------------------

    def _log_attempts(self, source: SourceSpec, attempts: tuple[FetchAttempt, ...]) -> None:
        for attempt in attempts:
            self.log.append({"partition_date": self.day, "source_name": source.name, **asdict(attempt)})

    def _log_decision(self, source: SourceSpec, url: str, purpose: str, error: str) -> None:
        self._log_attempts(source, (FetchAttempt(url, purpose, 0, None, 0, 0, error, datetime.now(UTC)),))

    # -- web --------------------------------------------------------------------------------

    def _announced(self, source: SourceSpec, fetcher: Fetcher) -> list[Listing]:
        if source.kind == "urls":
            return [Listing(url) for url in source.locations]
        listings: list[Listing] = []
        for location in source.locations:
            if source.kind == "feed":
                result = fetcher.fetch(location, purpose="feed", accept=FEED_TYPES, settings=source.settings)
                self._log_attempts(source, result.attempts)
                listings += self._parse(source, result, lambda content: parse_feed(content, result.final_url))
            else:
                listings += self._sitemap(source, fetcher, location, depth=0)
        return listings

    def _parse(self, source: SourceSpec, result: FetchResult, parse: Callable[[bytes], list[Listing]]) -> list[Listing]:
        if not result.ok:
            self.problems.append(f"{source.name}: {result.url}: {result.error}")
            return []
        assert result.content is not None
        try:
            return parse(result.content)
        except AnnouncementError as exc:
            self.problems.append(f"{source.name}: {result.url}: {exc}")
            self._log_decision(source, result.url, source.kind, f"unreadable_{source.kind}")
            return []

    def _sitemap(self, source: SourceSpec, fetcher: Fetcher, url: str, depth: int) -> list[Listing]:
        result = fetcher.fetch(url, purpose="sitemap", accept=SITEMAP_TYPES, settings=source.settings)
        self._log_attempts(source, result.attempts)
        listings: list[Listing] = []

        def read(content: bytes) -> list[Listing]:
            sitemap = parse_sitemap(content, source.settings.max_bytes)
            if sitemap.children and depth < MAX_SITEMAP_DEPTH:
                for child in children_worth_reading(sitemap.children, self.day, source.settings.max_child_sitemaps):
                    listings.extend(self._sitemap(source, fetcher, child, depth + 1))
            return sitemap.listings

        return self._parse(source, result, read) + listings

    def _web_source(self, source: SourceSpec, fetcher: Fetcher) -> Iterator[RawScrape]:
        fetched = 0
        for listing in dedupe_listings(self._announced(source, fetcher)):
            known = self.known.get(listing.url)
            decision = decide(listing, self.day, known.fetched_at if known else None)
            if decision == "other_day":
                continue
            if decision == "known":
                self.counts["already_fetched"] += 1
                self._log_decision(source, listing.url, "page", "already_fetched")
                continue
            if fetched >= source.settings.max_pages_per_source:
                self.counts["page_limit"] += 1
                self._log_decision(source, listing.url, "page", "page_limit")
                continue
            fetched += 1
            update = decision == "update" and known is not None
            result = fetcher.fetch(
                listing.url,
                purpose="page",
                accept=PAGE_TYPES,
                settings=source.settings,
                etag=known.etag if update else None,
                last_modified=known.last_modified if update else None,
            )
            self._log_attempts(source, result.attempts)
            if result.not_modified:
                self.counts["not_modified"] += 1
                continue
            if not result.ok:
                self.counts[f"failed_{result.error}"] += 1
                continue
            assert result.content is not None
            digest = sha256_hex(result.content)
            seen = KnownPage(result.fetched_at, result.etag, result.last_modified, digest)
            self.known[listing.url] = self.known[result.final_url] = seen
            if known is not None and known.sha256 == digest:  # announced as updated, same bytes: nothing to store
                self.counts["unchanged"] += 1
                continue
            self.counts["fetched"] += 1
            yield RawScrape(
                partition_date=self.day,
                source=listing.url,
                source_kind=SCRAPE_KIND[source.kind],
                content=result.content,
                fetched_at=result.fetched_at,
                content_type=result.content_type or "application/octet-stream",
                url=result.final_url,
                site=site_from_url(result.final_url),
                declared_charset=result.declared_charset,
            )

    # -- WARC -------------------------------------------------------------------------------

    def _warc_source(self, source: SourceSpec) -> Iterator[RawScrape]:
        paths = source.warc_paths()
        if not paths:
            self.problems.append(f"{source.name}: no WARC file matches {', '.join(source.locations)}")
        for path in paths:
            try:
                yield from iter_warc(path, self.day, max_bytes=source.settings.max_bytes, stats=self.counts)
            except OSError as exc:
                self.problems.append(f"{source.name}: {path}: {exc}")
