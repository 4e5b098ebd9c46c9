"""A day from a feed, a sitemap index, a URL list and a WARC file, served and generated locally."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newskit.sources_config import load_sources_config
from newskit.web_sources import FETCH_LOG_SCHEMA, KnownPage, SourceRun, fetch_log_to_arrow
from tests.web_fixture_server import FixtureSite, page, start

DAY = date(2026, 11, 20)


def _rss(base: str) -> str:
    items = [
        ("Mill reopens", "/news/mill.html", "Fri, 20 Nov 2026 09:30:00 +0000"),
        ("Old story", "/news/old.html", "Thu, 19 Nov 2026 09:30:00 +0000"),
        ("Undated notice", "/news/undated.html", None),
        ("Leak", "/private/leak.html", "Fri, 20 Nov 2026 10:00:00 +0000"),
        ("Missing", "/news/missing.html", "Fri, 20 Nov 2026 11:00:00 +0000"),
    ]
    body = "".join(
        f"<item><title>{t}</title><link>{base}{link}</link>" + (f"<pubDate>{d}</pubDate>" if d else "") + "</item>"
        for t, link, d in items
    )
    body += (
        f"<item><title>Revised</title><link>{base}/news/revised.html</link>"
        "<pubDate>Fri, 20 Nov 2026 06:00:00 +0000</pubDate>"
        "<atom:updated xmlns:atom='http://www.w3.org/2005/Atom'>2026-11-20T18:00:00Z</atom:updated></item>"
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Courier</title>{body}</channel></rss>'


def _build_site() -> FixtureSite:
    site = FixtureSite()
    site.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    for name, title in [("mill", "Mill reopens"), ("old", "Old"), ("undated", "Notice"), ("tolls", "Tolls cut")]:
        site.add(f"/news/{name}.html", page(title, [f"{title} after a long wait, residents said on Friday."]))
    site.add("/private/leak.html", page("Leak", ["Never fetched."]))
    site.add("/picks/one.html", page("Pick", ["An editor's pick about the river walk."]), "text/html; charset=iso-8859-1")
    site.routes["/news/revised.html"] = lambda hit, req: (
        (304, {"ETag": '"r1"'}, b"")
        if req.get("If-None-Match") == '"r1"'
        else (200, {"Content-Type": "text/html", "ETag": '"r2"'}, page("Revised", ["Second version."]).encode())
    )
    return site


@pytest.fixture()
def site() -> Iterator[FixtureSite]:
    site = _build_site()
    server = start(site)
    base = site.base_url
    site.add("/feed.xml", _rss(base), "application/rss+xml")
    site.add(
        "/sitemap-index.xml",
        f"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{base}/sitemap-today.xml</loc><lastmod>2026-11-20</lastmod></sitemap>
<sitemap><loc>{base}/sitemap-old.xml</loc><lastmod>2026-10-01</lastmod></sitemap></sitemapindex>""",
        "application/xml",
    )
    site.add(
        "/sitemap-today.xml",
        f"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{base}/news/tolls.html</loc><news:news><news:publication_date>2026-11-20T12:00:00Z</news:publication_date></news:news></url>
<url><loc>{base}/news/mill.html</loc><news:news><news:publication_date>2026-11-20T09:30:00Z</news:publication_date></news:news></url>
</urlset>""",
        "application/xml",
    )
    yield site
    server.shutdown()
    server.server_close()


def _write_warc(path: Path) -> None:
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, when in [("https://archive.example/a", "2026-11-20T05:00:00Z"), ("https://archive.example/b", "2026-11-21T05:00:00Z")]:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=io.BytesIO(b"<p>archived</p>"), http_headers=http,
                                          warc_headers_dict={"WARC-Date": when})
            )


def _config(tmp_path: Path, base: str, private: bool = True) -> Path:
    _write_warc(tmp_path / "crawl.warc.gz")
    path = tmp_path / "sources.yaml"
    path.write_text(
        f"""
defaults:
  rate_limit_per_host: 100
  max_bytes: 200000
  timeout_s: 5
  backoff_base_s: 0.05
  allow_private_networks: {str(private).lower()}
sources:
  - name: courier
    feed: {base}/feed.xml
  - name: courier-sitemap
    sitemap: {base}/sitemap-index.xml
  - name: picks
    urls: [{base}/picks/one.html]
  - name: archive
    warc: "*.warc.gz"
""",
        encoding="utf-8",
    )
    return path


def test_a_day_from_feed_sitemap_urls_and_warc(site: FixtureSite, tmp_path: Path) -> None:
    base = site.base_url
    config = load_sources_config(_config(tmp_path, base))
    known = {f"{base}/news/revised.html": KnownPage(datetime(2026, 11, 20, 7, tzinfo=UTC), etag='"r1"')}
    run = SourceRun(config, DAY, known=known)
    scrapes = list(run.scrapes())

    by_url = {s.url: s for s in scrapes}
    assert set(by_url) == {
        f"{base}/news/mill.html",
        f"{base}/news/undated.html",
        f"{base}/news/tolls.html",
        f"{base}/picks/one.html",
        "https://archive.example/a",
    }
    assert {u: s.source_kind for u, s in by_url.items()} == {
        f"{base}/news/mill.html": "feed",
        f"{base}/news/undated.html": "feed",
        f"{base}/news/tolls.html": "sitemap",
        f"{base}/picks/one.html": "http",
        "https://archive.example/a": "warc",
    }
    pick = by_url[f"{base}/picks/one.html"]
    assert (pick.source, pick.site, pick.declared_charset) == (pick.url, "127.0.0.1", "iso-8859-1")
    assert b"river walk" in pick.content and pick.partition_date == DAY

    # fetched once although both the feed and the sitemap list it; other days and robots untouched
    assert len(site.hits("/news/mill.html")) == 1
    for path in ("/news/old.html", "/private/leak.html", "/sitemap-old.xml"):
        assert site.hits(path) == []
    # the announced update was asked for conditionally and not re-stored
    assert site.hits("/news/revised.html")[0].headers["If-None-Match"] == '"r1"'
    assert run.counts["not_modified"] == 1

    log = fetch_log_to_arrow(run.log)
    assert log.schema == FETCH_LOG_SCHEMA
    rows = {(r["url"].removeprefix(base), r["purpose"], r["status"], r["error"]) for r in log.to_pylist()}
    assert ("/robots.txt", "robots", 200, None) in rows
    assert ("/feed.xml", "feed", 200, None) in rows
    assert ("/sitemap-today.xml", "sitemap", 200, None) in rows
    assert ("/private/leak.html", "page", None, "robots_disallowed") in rows
    assert ("/news/missing.html", "page", 404, "http_404") in rows
    assert ("/news/revised.html", "page", 304, None) in rows
    assert all(r["partition_date"] == DAY and r["source_name"] for r in log.to_pylist())

    # a second run that knows what the first fetched requests no page again
    requests_before = len(site.requests)
    again = SourceRun(config, DAY, known={**known, **{s.url: KnownPage(s.fetched_at) for s in scrapes if s.url}})
    assert [s.url for s in again.scrapes()] == ["https://archive.example/a"]  # WARC is re-read, not fetched
    page_hits = [r.path for r in site.requests[requests_before:] if r.path.endswith(".html")]
    assert page_hits == ["/news/missing.html", "/news/revised.html"]  # not stored yet / conditional GET
    assert {r["url"] for r in again.log if r["error"] == "already_fetched"} >= {f"{base}/news/mill.html", f"{base}/picks/one.html"}


def test_default_config_refuses_the_local_server(site: FixtureSite, tmp_path: Path) -> None:
    config = load_sources_config(_config(tmp_path, site.base_url, private=False))
    run = SourceRun(config, DAY)
    scrapes = list(run.scrapes())
    assert [s.source_kind for s in scrapes] == ["warc"]
    assert site.requests == []
    assert {r["error"] for r in run.log} == {"blocked_address"}
    assert any("blocked_address" in p for p in run.problems)
