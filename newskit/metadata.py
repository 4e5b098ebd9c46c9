"""Article metadata with provenance: which source gave the title, the authors and the date.

Sources, best first: `json-ld` (schema.org Article objects), `meta` (<meta> tags, <title>,
<link rel=canonical>), `html_byline` (author markup in the page), `url` (a date in the path),
`text_header` / `text_pattern` (header lines and bylines of text scrapes).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterator
from urllib.parse import urljoin, urlsplit

from dateutil import parser as date_parser
from lxml.html import HtmlElement

from newskit.normalise import normalise_text

_ARTICLE_TYPES = {
    "article", "newsarticle", "reportagenews", "analysisnewsarticle", "opinionnewsarticle", "blogposting",
    "backgroundnewsarticle", "reviewnewsarticle", "scholarlyarticle", "techarticle", "liveblogposting", "webpage",
}
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|$|[^\d])")
_JOB_TITLE = re.compile(
    r"(?:^|\s)(?:(?:senior|chief|staff|political|deputy|associate|contributing|managing|executive|special|"
    r"national|foreign|business|sports?|science|health|tech(?:nology)?|investigative|white house|"
    r"digital|news|breaking news|assistant|legal|economics|education|culture|travel)\s+)*"
    r"(?:reporter|correspondent|editor|writer|journalist|columnist|contributor|producer|analyst|critic|"
    r"photographer|intern|staff|anchor|host)s?\b.*$",
    re.IGNORECASE,
)
_AUTHOR_NOISE = re.compile(
    r"(?:e-?mail (?:the )?author|follow (?:on|me on|@)\S*(?: \w+)?|view (?:all )?(?:posts|articles|author)|"
    r"more (?:from|by) (?:this )?(?:author)?|updated\b.*|published\b.*|\S+@\S+|https?://\S+|@\w+)",
    re.IGNORECASE,
)
_AUTHOR_PREFIX = re.compile(r"^(?:written |reported |posted )?(?:by|von|por|par|di|door|av)\s*[:\-]?\s+", re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|\||,|\band\b|&|\bund\b|\by\b|\bet\b)\s*", re.IGNORECASE)
_TEXT_BYLINE = re.compile(r"^(?:by|von|por)\s+(.{3,120})$", re.IGNORECASE)
_TEXT_DATELINE = re.compile(r"^(?:published|posted|updated|last updated|date)\s*:?\s+(.{6,60})$", re.IGNORECASE)


@dataclass
class Metadata:
    title: str | None = None
    title_source: str | None = None
    authors: list[str] = field(default_factory=list)
    authors_source: str | None = None
    published_at: datetime | None = None
    published_at_source: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    description: str | None = None
    language: str | None = None


def parse_datetime(value: str | None) -> datetime | None:
    """An ISO or free-form date/time as an aware UTC-based datetime (naive values are taken as UTC)."""
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = date_parser.parse(value.strip())
    except (ValueError, OverflowError, TypeError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def clean_authors(raw: str | list[str] | None) -> list[str]:
    """Person names from a byline: prefixes, job titles, e-mail/follow noise removed, one name per item."""
    if not raw:
        return []
    pieces = raw if isinstance(raw, list) else [raw]
    names: list[str] = []
    for piece in pieces:
        piece = _AUTHOR_NOISE.sub(" ", normalise_text(piece))
        for name in _AUTHOR_SPLIT.split(_AUTHOR_PREFIX.sub("", piece.strip())):
            name = _JOB_TITLE.sub("", _AUTHOR_PREFIX.sub("", name)).strip(" -–—:,.|")
            words = name.split()
            if 1 <= len(words) <= 5 and any(c.isalpha() for c in name) and not name.islower():
                if name.lower() not in {n.lower() for n in names}:
                    names.append(name)
    return names


def language_code(value: str | None) -> str | None:
    """"en-US", "en_GB", "EN" -> "en"."""
    if not value:
        return None
    code = re.split(r"[-_]", value.strip())[0].lower()
    return code if re.fullmatch(r"[a-z]{2,3}", code) else None


def url_date(url: str | None) -> datetime | None:
    match = _URL_DATE.search(urlsplit(url).path) if url else None
    if not match:
        return None
    try:
        return datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=timezone.utc)
    except ValueError:
        return None


def _json_ld_objects(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                if "@graph" in item:
                    stack.extend(item["@graph"] if isinstance(item["@graph"], list) else [item["@graph"]])


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type", [])
    return {t.lower() for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)}


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def _meta_tags(tree: HtmlElement) -> dict[str, str]:
    tags: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key and content:
            tags.setdefault(key, content)
    return tags


def _first(tags: dict[str, str], *keys: str) -> str | None:
    return next((tags[k] for k in keys if tags.get(k)), None)


def _absolute_url(href: str | None, page_url: str | None) -> str | None:
    """A canonical link as an absolute http(s) URL: a relative one (`/news/x`) is joined with the
    page URL, and dropped when the page has none (a path alone names no article)."""
    if not href or not href.strip():
        return None
    try:
        joined = urljoin(page_url or "", href.strip())
        parts = urlsplit(joined)
        return joined if parts.scheme in ("http", "https") and parts.hostname else None
    except ValueError:  # an unparseable host such as http://[::1
        return None


def html_metadata(tree: HtmlElement, url: str | None = None) -> Metadata:
    """Metadata of an HTML page, each of title/authors/published_at with the source that gave it."""
    out = Metadata()
    article = next((o for o in _json_ld_objects(tree) if _types(o) & _ARTICLE_TYPES and (o.get("headline") or o.get("datePublished"))), {})
    publisher = article.get("publisher") if isinstance(article.get("publisher"), dict) else {}
    tags = _meta_tags(tree)

    if isinstance(article.get("headline"), str) and article["headline"].strip():
        out.title, out.title_source = normalise_text(article["headline"]), "json-ld"
    else:
        title = _first(tags, "og:title", "twitter:title", "title") or " ".join((tree.findtext(".//title") or "").split())
        if title and title.strip():
            out.title, out.title_source = normalise_text(title), "meta"

    if authors := clean_authors(_names(article.get("author"))):
        out.authors, out.authors_source = authors, "json-ld"
    elif authors := clean_authors([a for a in [_first(tags, "author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl")] if a and "://" not in a]):
        out.authors, out.authors_source = authors, "meta"
    else:
        bylines = tree.xpath('//*[@rel="author" or @itemprop="author" or contains(@class, "byline__name") or contains(@class, "author-name")]')
        if authors := clean_authors([" ".join(b.text_content().split()) for b in bylines[:4]]):
            out.authors, out.authors_source = authors, "html_byline"

    if published := parse_datetime(article.get("datePublished") or article.get("dateCreated")):
        out.published_at, out.published_at_source = published, "json-ld"
    elif published := parse_datetime(_first(tags, "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate", "publish-date", "date", "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date")):
        out.published_at, out.published_at_source = published, "meta"
    elif published := parse_datetime(next(iter(tree.xpath('//time[@itemprop="datePublished"]/@datetime | //time[@pubdate]/@datetime')), None)):
        out.published_at, out.published_at_source = published, "meta"
    elif published := url_date(url):
        out.published_at, out.published_at_source = published, "url"

    out.site_name = _first(tags, "og:site_name", "application-name") or next(iter(_names(publisher)), None)
    canonical = tree.xpath('//link[@rel="canonical"]/@href')
    out.canonical_url = _absolute_url(canonical[0] if canonical else None, url) or _absolute_url(_first(tags, "og:url"), url) or url
    out.description = _first(tags, "description", "og:description", "twitter:description") or (
        article.get("description") if isinstance(article.get("description"), str) else None
    )
    out.language = language_code(tree.get("lang") or _first(tags, "content-language", "og:locale", "language") or (
        article.get("inLanguage") if isinstance(article.get("inLanguage"), str) else None
    ))
    return out


def text_metadata(paragraphs: list[str]) -> Metadata:
    """Byline and dateline patterns among the first paragraphs of a text scrape (source `text_pattern`)."""
    out = Metadata()
    for paragraph in paragraphs[:4]:
        if not out.authors and (match := _TEXT_BYLINE.match(paragraph)) and len(paragraph.split()) <= 14:
            if authors := clean_authors(match[1]):
                out.authors, out.authors_source = authors, "text_pattern"
        if not out.published_at and (match := _TEXT_DATELINE.match(paragraph)):
            if published := parse_datetime(match[1]):
                out.published_at, out.published_at_source = published, "text_pattern"
    return out
