"""One raw scrape -> extracted article, or the reason it cannot become one.

This is the guard in front of the extractors: empty, binary, undecodable and oversized input is
turned into a reason code here, so no bad input reaches trafilatura or crashes a run.
"""

from __future__ import annotations

from dataclasses import dataclass

from newskit.decode import UndecodableError, decode_bytes, looks_binary
from newskit.extract import Extracted, extract_html, extract_text

# trafilatura has no time limit of its own and takes minutes on pages of many MB
MAX_EXTRACT_CHARS = 2_000_000


@dataclass
class ScrapeText:
    extracted: Extracted | None
    encoding: str | None = None
    reject_reason: str | None = None
    reject_detail: str | None = None


def _reject(reason: str, detail: str, encoding: str | None = None) -> ScrapeText:
    return ScrapeText(None, encoding, reason, detail)


def read_scrape(content: bytes, content_type: str, declared_charset: str | None, url: str | None) -> ScrapeText:
    if not content.strip():
        return _reject("empty", "the scrape has no content" if not content else "the scrape is only whitespace")
    if looks_binary(content):
        return _reject("not_text", f"binary content ({content[:8].hex(' ')} ...), not a text or HTML page")
    try:
        decoded = decode_bytes(content, declared_charset)
    except UndecodableError as exc:
        return _reject("undecodable", str(exc))
    text = decoded.text
    if len(text) > MAX_EXTRACT_CHARS:
        return _reject("too_large", f"{len(text)} characters is over the {MAX_EXTRACT_CHARS}-character extraction cap", decoded.encoding)
    is_html = content_type == "text/html" or (
        content_type != "text/plain" and text.lstrip()[:200].lower().startswith(("<!doctype html", "<html"))
    )
    try:
        extracted = extract_html(text, url) if is_html else extract_text(text, url)
    except Exception as exc:  # an extractor bug on one page must not fail the day
        return _reject("extraction_error", f"{type(exc).__name__}: {exc}"[:500], decoded.encoding)
    return ScrapeText(extracted, decoded.encoding)
