"""Relative canonical links are joined with the page URL, so the versions of a page link up; a
scrape without any URL is versioned by its source."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa
from lxml.html import fromstring

from newskit.dedup import find_duplicates, version_key
from newskit.extract import extract_html
from newskit.metadata import html_metadata

PARAGRAPHS = [
    "The district council of Harwick voted on Friday to rebuild the old ferry terminal, ending a dispute that had "
    "dragged on for nearly three years and divided the two banks of the river.",
    "Council leader Miriam Okafor said the terminal would reopen within two years and would cost the district "
    "about $48 million, most of it from a national transport grant.",
    "Opposition member Daniel Frost said the plan relied on a grant that had not yet been confirmed and asked for "
    "a public meeting before any contract is signed.",
]


def _page(head: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><head><title>Ferry terminal to be rebuilt</title>{head}</head><body><article><h1>Ferry</h1>{body}</article></body></html>"


def test_relative_canonical_and_og_url_are_joined_with_the_page_url():
    page = "https://harwick-post.example/local/ferry?ref=home"
    for head in ('<link rel="canonical" href="/news/ferry-terminal">', '<meta property="og:url" content="/news/ferry-terminal">'):
        assert html_metadata(fromstring(_page(head, PARAGRAPHS)), page).canonical_url == "https://harwick-post.example/news/ferry-terminal"
    assert html_metadata(fromstring(_page('<link rel="canonical" href="ferry-terminal">', PARAGRAPHS)), page).canonical_url == (
        "https://harwick-post.example/local/ferry-terminal")
    absolute = '<link rel="canonical" href="https://other.example/a/b">'
    assert html_metadata(fromstring(_page(absolute, PARAGRAPHS)), page).canonical_url == "https://other.example/a/b"
    # without a page URL a bare path names no article: not stored
    assert html_metadata(fromstring(_page('<link rel="canonical" href="/news/ferry-terminal">', PARAGRAPHS)), None).canonical_url is None
    assert html_metadata(fromstring(_page('<link rel="canonical" href="http://[::1">', PARAGRAPHS)), page).canonical_url == page


def test_two_fetches_under_a_relative_canonical_are_versions():
    fetches = [("https://harwick-post.example/local/ferry", PARAGRAPHS[:2]), ("https://harwick-post.example/news/ferry-terminal?ref=rss", PARAGRAPHS)]
    rows = []
    for n, (url, paragraphs) in enumerate(fetches):
        extracted = extract_html(_page('<link rel="canonical" href="/news/ferry-terminal">', paragraphs), url)
        rows.append({"article_id": f"a{n}", "url": url, "canonical_url": extracted.canonical_url,
                     "published_at": None, "fetched_at": datetime(2026, 2, 3, 8 + n, tzinfo=UTC),
                     "body": "\n\n".join(b.text for b in extracted.blocks if b.kind == "body")})
    links = find_duplicates(pa.Table.from_pylist(rows)).to_pylist()
    assert [(link["article_id"], link["duplicate_of"], link["method"]) for link in links] == [("a1", "a0", "version")]


def test_scrapes_without_a_url_are_versioned_by_their_source():
    assert version_key(None, None, "2026-02-03/harwick-post.example/ferry.txt") == "source 2026-02-03/harwick-post.example/ferry.txt"
    assert version_key(None, None, None) is None
    # a URL, even a site root that names no article, wins over the source
    assert version_key("https://harwick-post.example/", None, "2026-02-03/a.html") is None
    url = "https://harwick-post.example/news/x"
    assert version_key(None, url, "feed.jsonl:3") == version_key(url, url) != version_key(None, None, "feed.jsonl:3")
