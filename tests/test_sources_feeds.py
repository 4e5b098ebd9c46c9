"""Feeds and sitemaps: what they announce, and which announcements belong to a day."""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime

import pytest

from newskit.feeds import (
    AnnouncementError,
    Listing,
    children_worth_reading,
    decide,
    parse_feed,
    parse_sitemap,
)
from newskit.fetch import ResponseTooLarge

DAY = date(2026, 11, 20)

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Valley Courier</title>
<item><title>Mill reopens</title><link>/news/mill.html</link>
  <pubDate>Fri, 20 Nov 2026 09:30:00 +0100</pubDate></item>
<item><title>Late council session</title><link>https://courier.example/news/council.html</link>
  <pubDate>Thu, 19 Nov 2026 23:30:00 -0500</pubDate></item>
<item><title>Undated notice</title><link>https://courier.example/news/notice.html</link></item>
<item><title>No link</title></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Times</title>
<entry><title>Tide record</title><link href="https://harbour.example/tide"/>
  <id>tag:harbour.example,2026:1</id><updated>2026-11-20T12:00:00Z</updated></entry>
</feed>"""

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://plain.example/a</loc>
    <news:news><news:publication><news:name>Plain</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2026-11-20T08:00:00+02:00</news:publication_date>
      <news:title>Bridge tolls cut</news:title></news:news></url>
  <url><loc>https://plain.example/b</loc><lastmod>2026-11-18</lastmod></url>
</urlset>"""

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://plain.example/old.xml</loc><lastmod>2026-10-01</lastmod></sitemap>
  <sitemap><loc>https://plain.example/today.xml</loc><lastmod>2026-11-20T22:00:00Z</lastmod></sitemap>
  <sitemap><loc>https://plain.example/undated.xml</loc></sitemap>
</sitemapindex>"""


def test_rss_entries_resolve_links_and_normalise_dates_to_utc() -> None:
    listings = parse_feed(RSS, "https://courier.example/feeds/rss.xml")
    assert [entry.url for entry in listings] == [
        "https://courier.example/news/mill.html",
        "https://courier.example/news/council.html",
        "https://courier.example/news/notice.html",
    ]
    assert listings[0].published == datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
    assert listings[1].published == datetime(2026, 11, 20, 4, 30, tzinfo=UTC)  # 19th in New York, 20th UTC
    assert listings[2].published is None and listings[0].title == "Mill reopens"


def test_atom_entries() -> None:
    (entry,) = parse_feed(ATOM, "https://harbour.example/atom.xml")
    assert entry.url == "https://harbour.example/tide"
    assert entry.updated == datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def test_garbage_is_not_a_feed() -> None:
    with pytest.raises(AnnouncementError):
        parse_feed(b"\x00\x01 not xml at all <<<", "https://x.example/feed")


def test_news_sitemap_publication_date_and_lastmod() -> None:
    sitemap = parse_sitemap(NEWS_SITEMAP, 1_000_000)
    first, second = sitemap.listings
    assert (first.url, first.title) == ("https://plain.example/a", "Bridge tolls cut")
    assert first.published == datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
    assert second.published is None and second.updated == datetime(2026, 11, 18, tzinfo=UTC)
    assert sitemap.children == []


def test_sitemap_index_children_filtered_by_lastmod() -> None:
    sitemap = parse_sitemap(INDEX, 1_000_000)
    assert sitemap.listings == [] and len(sitemap.children) == 3
    assert children_worth_reading(sitemap.children, DAY, limit=10) == [
        "https://plain.example/undated.xml",
        "https://plain.example/today.xml",
    ]
    assert len(children_worth_reading(sitemap.children, DAY, limit=1)) == 1


def test_gzipped_and_text_sitemaps() -> None:
    assert [s.url for s in parse_sitemap(gzip.compress(NEWS_SITEMAP), 1_000_000).listings] == [
        "https://plain.example/a",
        "https://plain.example/b",
    ]
    text = b"https://plain.example/x\n\nnot a url\nhttps://plain.example/y\n"
    assert [s.url for s in parse_sitemap(text, 1_000).listings] == ["https://plain.example/x", "https://plain.example/y"]
    with pytest.raises(ResponseTooLarge):
        parse_sitemap(gzip.compress(b" " * 10_000 + NEWS_SITEMAP), 5_000)


def test_sitemap_external_entities_are_not_resolved(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("https://leak.example/token", encoding="utf-8")
    xml = f"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY leak SYSTEM "file://{secret}">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&leak;</loc></url>
<url><loc>https://plain.example/ok</loc></url></urlset>""".encode()
    urls = [s.url for s in parse_sitemap(xml, 1_000_000).listings]
    assert urls == ["https://plain.example/ok"]


def test_not_a_sitemap() -> None:
    with pytest.raises(AnnouncementError, match="root element <html>"):
        parse_sitemap(b"<html><body>hello</body></html>", 1_000)
    with pytest.raises(AnnouncementError):
        parse_sitemap(b"<urlset><url><loc>broken", 1_000)


@pytest.mark.parametrize(
    ("listing", "known_at", "expected"),
    [
        (Listing("u", published=datetime(2026, 11, 20, 23, 59, tzinfo=UTC)), None, "new"),
        (Listing("u", published=datetime(2026, 11, 21, 0, 1, tzinfo=UTC)), None, "other_day"),
        (Listing("u", updated=datetime(2026, 11, 19, 10, tzinfo=UTC)), None, "other_day"),
        (Listing("u"), None, "new"),  # undated: the run that first sees it
        (Listing("u"), datetime(2026, 11, 1, tzinfo=UTC), "known"),
        (
            Listing("u", published=datetime(2026, 11, 20, 6, tzinfo=UTC), updated=datetime(2026, 11, 20, 18, tzinfo=UTC)),
            datetime(2026, 11, 20, 7, tzinfo=UTC),
            "update",
        ),
        (
            Listing("u", published=datetime(2026, 11, 20, 6, tzinfo=UTC), updated=datetime(2026, 11, 20, 6, tzinfo=UTC)),
            datetime(2026, 11, 20, 7, tzinfo=UTC),
            "known",
        ),
    ],
)
def test_which_listings_a_day_fetches(listing: Listing, known_at: datetime | None, expected: str) -> None:
    assert decide(listing, DAY, known_at) == expected
