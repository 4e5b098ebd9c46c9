"""One raw scrape -> extracted article, or the reason it cannot become one.

This is the guard in front of the extractors: empty, binary, undecodable and oversized input is
turned into a reason code here, so no bad input reaches trafilatura. An exception inside an
extractor is not caught here: the stage's `RecordGuard` makes it that scrape's `internal_error`, so
that a broken extractor counts towards the day's threshold instead of passing as a quiet day.
"""

from __future__ import annotations

from dataclasses import dataclass

from newskit.decode import UndecodableError, decode_bytes, looks_binary
from newskit.extract import Extracted, extract_html, extract_text
from newskit.limits import DEFAULT_LIMITS, Limits
from newskit.records import parsable_url


@dataclass
class ScrapeText:
    extracted: Extracted | None
    encoding: str | None = None
    reject_reason: str | None = None
    reject_detail: str | None = None


def _reject(reason: str, detail: str, encoding: str | None = None) -> ScrapeText:
    return ScrapeText(None, encoding, reason, detail)


def read_scrape(
    content: bytes, content_type: str, declared_charset: str | None, url: str | None, limits: Limits = DEFAULT_LIMITS
) -> ScrapeText:
    if not content.strip():
        return _reject("empty", "the scrape has no content" if not content else "the scrape is only whitespace")
    if looks_binary(content):
        return _reject("not_text", f"binary content ({content[:8].hex(' ')} ...), not a text or HTML page")
    try:
        decoded = decode_bytes(content, declared_charset)
    except UndecodableError as exc:
        return _reject("undecodable", str(exc))
    text = decoded.text
    if len(text) > limits.max_extract_chars:
        return _reject(
            "too_large", f"{len(text)} characters is over the {limits.max_extract_chars}-character extraction "
            f"limit (derived from max_raw_bytes = {limits.max_raw_bytes})", decoded.encoding,
        )
    is_html = content_type == "text/html" or (
        content_type != "text/plain" and text.lstrip()[:200].lower().startswith(("<!doctype html", "<html"))
    )
    url = parsable_url(url)  # a URL that does not parse is kept in the row, not handed to the extractors
    extracted = extract_html(text, url, limits.max_extract_chars) if is_html else extract_text(text, url)
    return ScrapeText(extracted, decoded.encoding)
