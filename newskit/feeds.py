"""What feeds and sitemaps announce: article URLs with their publication/update times.

RSS/Atom go through feedparser; sitemaps (plain, news sitemaps and sitemap indexes, optionally
gzipped) through lxml with entity resolution and network access off. `belongs_to_day` decides
which announced URLs a day's run fetches.
"""

from __future__ import annotations

import calendar
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import feedparser
from dateutil import parser as date_parser
from lxml import etree

from newskit.fetch import gunzip_capped


class AnnouncementError(ValueError):
    """A feed or sitemap that cannot be read at all."""


@dataclass(frozen=True)
class Listing:
    """One article URL as a feed or sitemap announces it."""

    url: str
    published: datetime | None = None  # UTC
    updated: datetime | None = None  # UTC
    title: str | None = None


@dataclass(frozen=True)
class Sitemap:
    listings: list[Listing]
    children: list[tuple[str, datetime | None]]  # (sitemap URL, lastmod) when this is an index


def _from_struct(value: time.struct_time | None) -> datetime | None:
    # feedparser normalises every date it understands to a UTC struct_time.
    return datetime.fromtimestamp(calendar.timegm(value), UTC) if value else None


def parse_feed(content: bytes, feed_url: str) -> list[Listing]:
    """Entries of an RSS or Atom document; relative links resolve against `feed_url`."""
    parsed = feedparser.parse(content, response_headers={"content-location": feed_url})
    if not parsed.entries and parsed.bozo:
        raise AnnouncementError(f"not a readable feed: {parsed.get('bozo_exception')}")
    listings = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link or not link.startswith(("http://", "https://")):
            continue
        listings.append(
            Listing(
                url=link,
                published=_from_struct(entry.get("published_parsed")),
                updated=_from_struct(entry.get("updated_parsed")),
                title=entry.get("title"),
            )
        )
    return listings


def parse_w3c_datetime(value: str | None) -> datetime | None:
    """A sitemap date ('2026-11-20' or ISO 8601 with offset) in UTC; naive values are taken as UTC."""
    if not value or not value.strip():
        return None
    try:
        parsed = date_parser.isoparse(value.strip())
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError):  # '9999-12-31T23:59:59-12:00' is after year 9999 in UTC
        return None


_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)


def _child_text(element: etree._Element, *path: str) -> str | None:
    """Text of the first descendant matching the local-name path (namespaces ignored)."""
    xpath = "./" + "/".join(f"*[local-name()='{name}']" for name in path)
    found = element.xpath(xpath)
    return found[0].text.strip() if found and found[0].text else None


def parse_sitemap(content: bytes, max_bytes: int) -> Sitemap:
    """A urlset (plain or news sitemap), a sitemap index, or a text sitemap (one URL a line)."""
    if content[:2] == b"\x1f\x8b":
        content = gunzip_capped(content, max_bytes)
    stripped = content.lstrip()
    if not stripped.startswith(b"<"):
        lines = stripped.decode("utf-8", "replace").splitlines()
        urls = [line.strip() for line in lines if line.strip().startswith(("http://", "https://"))]
        return Sitemap([Listing(u) for u in urls], [])
    try:
        root = etree.fromstring(stripped, _XML_PARSER)
    except etree.XMLSyntaxError as exc:
        raise AnnouncementError(f"not a readable sitemap: {exc}") from exc
    kind = etree.QName(root).localname
    if kind == "sitemapindex":
        children = []
        for node in root.xpath("./*[local-name()='sitemap']"):
            loc = _child_text(node, "loc")
            if loc:
                children.append((loc, parse_w3c_datetime(_child_text(node, "lastmod"))))
        return Sitemap([], children)
    if kind != "urlset":
        raise AnnouncementError(f"not a sitemap: root element <{kind}>")
    listings = []
    for node in root.xpath("./*[local-name()='url']"):
        loc = _child_text(node, "loc")
        if not loc:
            continue
        listings.append(
            Listing(
                url=loc,
                published=parse_w3c_datetime(_child_text(node, "news", "publication_date")),
                updated=parse_w3c_datetime(_child_text(node, "lastmod")),
                title=_child_text(node, "news", "title"),
            )
        )
    return Sitemap(listings, [])


def listing_day(listing: Listing) -> date | None:
    """The UTC day a listing was published (else last updated); None when it carries no date."""
    when = listing.published or listing.updated
    return when.date() if when else None


def decide(listing: Listing, day: date, known_fetched_at: datetime | None) -> str:
    """What the run for `day` does with a listing: new | update | known | other_day.

    Dated listings belong to the day they were published on (UTC); undated ones to the run that
    first sees them. A URL already fetched is fetched again ("update", with a conditional GET) only
    when the listing announces an update after that fetch.
    """
    dated = listing_day(listing)
    if dated is not None and dated != day:
        return "other_day"
    if known_fetched_at is None:
        return "new"
    if listing.updated is not None and listing.updated > known_fetched_at and dated == day:
        return "update"
    return "known"


def children_worth_reading(children: Iterable[tuple[str, datetime | None]], day: date, limit: int) -> list[str]:
    """Child sitemaps that may list pages of `day`: not last modified before it, newest first."""
    candidates = [(url, mod) for url, mod in children if mod is None or mod.date() >= day]
    candidates.sort(key=lambda item: item[1] or datetime.max.replace(tzinfo=UTC), reverse=True)
    return [url for url, _ in candidates[:limit]]


def dedupe_listings(listings: Iterable[Listing]) -> list[Listing]:
    """First listing of every URL, in order (feeds and sitemaps often repeat URLs)."""
    out: dict[str, Listing] = {}
    for listing in listings:
        out.setdefault(listing.url, listing)
    return list(out.values())
