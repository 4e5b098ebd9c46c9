"""HTML and text scrapes -> article text blocks (body, caption, credit) and metadata with provenance.

HTML: trafilatura finds the main text; its output tree is turned into blocks that keep the
element kind (heading, list, quote), figure captions are read from the page itself, and
metadata comes from JSON-LD, meta tags and the URL (newskit.metadata). Text scrapes: header
lines, blank-line paragraphs, "open image in gallery" caption lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import py3langid
import trafilatura
from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.xml import xmltotxt

from newskit import EXTRACTOR_VERSION
from newskit.blocks import Block, BlockKind
from newskit.boilerplate import boilerplate_reason, is_plea
from newskit.captions import figure_captions, gallery_caption, split_credit
from newskit.clean import clean_blocks
from newskit.continuation import continued_body
from newskit.limits import DEFAULT_LIMITS
from newskit.links import Anchors, drop_teaser_runs, is_teaser_list
from newskit.normalise import fold_for_hash
from newskit.metadata import Metadata, clean_authors, html_metadata, language_code, names_only_line, parse_datetime, text_metadata

__all__ = ["Block", "BlockKind", "Extracted", "EXTRACTOR_VERSION", "extract_html", "extract_text", "html_to_text"]

# output_format "txt": bare_extraction then skips its own text rendering, we render per element
_TRAFILATURA_OPTIONS = dict(include_comments=False, output_format="txt")
_DATE_HEADER = re.compile(r"^\s*date\s*:?\s+(\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?)\b\s*", re.IGNORECASE)
_KEY_HEADER = re.compile(r"^\s*(title|author|authors|by|url|site|language)\s*:\s*(.+?)\s*$", re.IGNORECASE)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")
_FINAL_PUNCT = re.compile(r"[.!?…:;\"”’)]$")


@dataclass
class Extracted(Metadata):
    """Metadata (with provenance) plus the text blocks in document order."""

    blocks: list[Block] = field(default_factory=list)


def _from_metadata(meta: Metadata, blocks: list[Block]) -> Extracted:
    return Extracted(**vars(meta), blocks=blocks)


def detect_language(text: str) -> str | None:
    return py3langid.classify(text[:3000])[0] if len(text.split()) >= 5 else None


def _load_tree(html: str | bytes, max_chars: int = DEFAULT_LIMITS.max_extract_chars) -> HtmlElement | None:
    """The parsed page; trafilatura has no time limit of its own, so a longer page is cut first."""
    return trafilatura.load_html(html[:max_chars])


@dataclass
class PageText:
    """What the HTML extraction read from one page, before any of our filtering."""

    elements: list[tuple[str, list[str]]]  # trafilatura output: (element tag, its text lines)
    continued: list[Block]  # body found in later containers of the body's kind
    anchors: Anchors
    title: str | None
    description: str | None


def read_page(tree: HtmlElement, url: str | None) -> PageText:
    """trafilatura's main text as lines per top-level output element, plus what the page tells about it."""
    anchors = Anchors(tree)
    document = trafilatura.bare_extraction(tree, url=url, **_TRAFILATURA_OPTIONS)
    elements = []
    if document is not None and document.body is not None:
        for element in document.body:
            lines = [line.strip() for line in xmltotxt(element, False).split("\n") if line.strip()]
            if lines:
                elements.append((element.tag, lines))
    extracted = [Block("body", line, tag) for tag, lines in elements for line in lines]
    return PageText(elements, continued_body(tree, extracted), anchors, _page_title(tree), _page_description(tree))


def body_blocks(page: PageText, description: str | None = None) -> list[Block]:
    """The page's body blocks without link-teaser runs, lists of related-story links and a
    heading that repeats the description (the standfirst)."""
    blocks = [
        Block("body", line, tag)
        for tag, lines in page.elements
        if not (tag == "list" and is_teaser_list(lines, page.anchors))
        for line in lines
    ]
    blocks = drop_teaser_runs(blocks, page.anchors) + drop_teaser_runs(page.continued, page.anchors)
    return _without_standfirst(blocks, description if description is not None else page.description)


def _without_standfirst(blocks: list[Block], description: str | None) -> list[Block]:
    """Drop a heading that repeats the page description: the standfirst shown above the article.

    Only headings: when the description is the article's first paragraph (a common default), that
    paragraph is the story's lede and stays.
    """
    if not description:
        return blocks
    standfirst = fold_for_hash(description)
    return [b for b in blocks if not (b.tag == "head" and fold_for_hash(b.text) == standfirst)]


def _without_headings(blocks: list[Block], texts: list[str]) -> list[Block]:
    """Drop headings equal to one of `texts` (the page's headlines)."""
    folded = {fold_for_hash(t) for t in texts}
    return [b for b in blocks if not (b.tag == "head" and fold_for_hash(b.text) in folded)]


def _caption_blocks(tree: HtmlElement) -> list[Block]:
    blocks: list[Block] = []
    for caption, credit in figure_captions(tree):
        if caption:
            blocks.append(Block("caption", caption))
        if credit:
            blocks.append(Block("credit", credit))
    return blocks


def extract_html(html: str | bytes, url: str | None = None, max_chars: int = DEFAULT_LIMITS.max_extract_chars) -> Extracted:
    """Body blocks, then caption/credit blocks of the page's figures, and metadata with provenance."""
    tree = _load_tree(html, max_chars)
    if tree is None:
        return Extracted()
    meta = html_metadata(tree, url)
    if meta.published_at is None and (found := find_date(tree, url=url, extensive_search=False)):
        meta.published_at, meta.published_at_source = parse_datetime(found), "htmldate"
    body = _without_headings(body_blocks(read_page(tree, url), meta.description), meta.headlines)
    if (byline := _leading_byline(tree, body)) is not None:
        at, names = byline
        with_byline = html_metadata(tree, url, body_byline=names)
        if with_byline.authors_source == "body_byline" or {n.casefold() for n in names} <= {a.casefold() for a in meta.authors}:
            meta.authors, meta.authors_source = with_byline.authors, with_byline.authors_source
            body = body[:at] + body[at + 1 :]  # a byline, not article text
    blocks = body + _caption_blocks(tree)
    out = _from_metadata(meta, blocks)
    out.language = out.language or detect_language(" ".join(b.text for b in blocks if b.kind == "body"))
    return out


_BYLINE_SEARCH = 4  # body blocks searched for a names-only byline line


def _leading_byline(tree: HtmlElement, body: list[Block]) -> tuple[int, list[str]] | None:
    """(index, names) of a byline among the first body blocks: a paragraph that is all bold
    (`<p><strong>Mara Lind/Tom Berg</strong></p>`) and only names."""
    bold: set[str] | None = None
    for at, block in enumerate(body[:_BYLINE_SEARCH]):
        names = names_only_line(block.text)
        if names is not None:
            bold = _bold_paragraphs(tree) if bold is None else bold
            if block.text in bold:
                return at, names
    return None


def _bold_paragraphs(tree: HtmlElement) -> set[str]:
    """Texts of the page's paragraphs whose every word is inside <strong> or <b>."""
    found = set()
    for p in tree.xpath("//p[strong or b]")[:200]:
        text = " ".join(p.text_content().split())
        bold = " ".join(" ".join(b.text_content().split()) for b in p if b.tag in ("strong", "b"))
        if text and text == bold and not (p.text or "").strip():
            found.add(text)
    return found


def _head_meta(tree: HtmlElement, *names: str) -> str | None:
    head = tree.find("head")
    for meta in head.iter("meta") if head is not None else ():
        if (meta.get("property") or meta.get("name") or "").lower() in names and meta.get("content"):
            return meta.get("content")
    return None


def _page_title(tree: HtmlElement) -> str | None:
    """The cheap title guess html_to_text needs for its "heading repeats the title" rule."""
    return _head_meta(tree, "og:title") or tree.findtext(".//title") or tree.findtext(".//h1")


def _page_description(tree: HtmlElement) -> str | None:
    return _head_meta(tree, "description", "og:description")


def html_to_text(html: str | bytes) -> str:
    """Our clean article body for an HTML page (paragraphs joined by blank lines): the scorer's entry point."""
    tree = _load_tree(html)
    if tree is None:
        return ""
    page = read_page(tree, None)
    cleaned = clean_blocks(body_blocks(page), title=page.title)
    return "\n\n".join(b.text for b in cleaned.blocks if b.kind == "body")


def _paragraph_blocks(paragraph: str) -> list[Block]:
    caption = gallery_caption(paragraph)
    if caption is None:
        return [Block("body", paragraph)]
    caption, credit = split_credit(caption)
    return [Block(kind, text) for kind, text in (("caption", caption), ("credit", credit)) if text]


def extract_text(text: str, url: str | None = None) -> Extracted:
    """A text scrape: optional header (`date YYYY-MM-DD` glued to the first line, `title: ...` lines),
    paragraphs separated by blank lines (or by line breaks when there is no blank line)."""
    out = Extracted(canonical_url=url)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if match := _DATE_HEADER.match(text):
        out.published_at, out.published_at_source = parse_datetime(match[1]), "text_header"
        text = text[match.end():]
    lines = text.lstrip("\n").split("\n")
    while lines and (header := _KEY_HEADER.match(lines[0])):
        key, value = header[1].lower(), header[2]
        if key == "title":
            out.title, out.title_source = value, "text_header"
        elif key in ("author", "authors", "by"):
            out.authors, out.authors_source = clean_authors(value), "text_header"
        elif key == "url":
            out.canonical_url = value
        elif key == "site":
            out.site_name = value
        elif key == "language":
            out.language = language_code(value)
        lines.pop(0)
    text = "\n".join(lines)
    splitter = _PARAGRAPH_BREAK if _PARAGRAPH_BREAK.search(text) else re.compile(r"\n+")
    paragraphs = [" ".join(p.split()) for p in splitter.split(text) if p.strip()]
    if out.title is None and len(paragraphs) > 1 and len(paragraphs[0].split()) <= 20 and not _FINAL_PUNCT.search(paragraphs[0]) and gallery_caption(paragraphs[0]) is None and boilerplate_reason(paragraphs[0]) is None and not is_plea(paragraphs[0]):
        out.title, out.title_source = paragraphs[0], "text_pattern"
    found = text_metadata(paragraphs)
    if not out.authors and found.authors:
        out.authors, out.authors_source = found.authors, found.authors_source
    if out.published_at is None and found.published_at:
        out.published_at, out.published_at_source = found.published_at, found.published_at_source
    out.blocks = [block for paragraph in paragraphs for block in _paragraph_blocks(paragraph)]
    out.language = out.language or detect_language(" ".join(b.text for b in out.blocks if b.kind == "body"))
    return out
