"""WARC / WARC.gz response records -> RawScrape, streaming with flat memory.

Common Crawl's CC-NEWS files are about 1 GB each; warcio reads them record by record and only one
payload (capped at `max_bytes`) is in memory at a time. `source` is "<path>@<offset>" so a record
can be found again with `warcio extract <path> <offset>`.

A record warcio cannot parse is yielded as a `corrupt_record` reject, and reading resumes at the
next record boundary (next gzip member, or next "WARC/1." line in an uncompressed file); a record
cut short by the end of the file is yielded as `truncated_record` with the bytes that were there.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeadersParserException

from newskit.feeds import parse_w3c_datetime
from newskit.fetch import parse_content_type
from newskit.records import RawScrape, site_from_url

DEFAULT_MAX_BYTES = 5_000_000
_SCAN_BLOCK = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"\nWARC/1."
_CORRUPT = (ArchiveLoadFailed, StatusAndHeadersParserException, zlib.error, ValueError, EOFError)


def _next_boundary(handle: BinaryIO, start: int, gzipped: bool) -> int | None:
    """File offset of the next record start after `start`, or None at end of file."""
    magic = _GZIP_MAGIC if gzipped else _WARC_MAGIC
    skip = 0 if gzipped else 1  # the uncompressed pattern starts at the newline before "WARC/"
    position = start + 1
    tail = b""
    while True:
        handle.seek(position)
        block = handle.read(_SCAN_BLOCK)
        if not block:
            return None
        data = tail + block
        found = data.find(magic)
        if found >= 0:
            return position - len(tail) + found + skip
        tail = data[-(len(magic) - 1) :]
        position += len(block)


def _record_scrape(
    record: ArcWarcRecord, day: date, only_day: bool, source: str, max_bytes: int, stats: Counter[str]
) -> RawScrape | None:
    uri = record.rec_headers.get_header("WARC-Target-URI")
    warc_date = parse_w3c_datetime(record.rec_headers.get_header("WARC-Date"))
    if not uri or not uri.lower().startswith(("http://", "https://")):
        stats["skipped_non_http"] += 1
        return None
    if warc_date is None:
        stats["skipped_no_date"] += 1
        return None
    if only_day and warc_date.date() != day:
        stats["skipped_other_day"] += 1
        return None
    http = record.http_headers
    status = int(http.get_statuscode() or 0) if http is not None else 0
    if not 200 <= status < 300:
        stats[f"skipped_http_{status}"] += 1
        return None
    media_type, charset = parse_content_type(http.get_header("Content-Type"))
    content = record.content_stream().read(max_bytes + 1)
    truncated = getattr(record.raw_stream, "limit", 0) > 0 and len(content) <= max_bytes
    too_large = len(content) > max_bytes
    reject, detail = None, None
    if too_large:
        reject, detail = "too_large", f"payload over the {max_bytes}-byte cap; the first {max_bytes} bytes are kept"
    elif truncated:
        reject, detail = "truncated_record", "the file ends inside this record; the bytes present are kept"
    stats[reject or "records"] += 1
    return RawScrape(
        partition_date=day,
        source=source,
        source_kind="warc",
        content=content[:max_bytes],
        fetched_at=warc_date,
        content_type=media_type or "application/octet-stream",
        url=uri,
        site=site_from_url(uri),
        declared_charset=charset,
        reject_reason=reject,
        reject_detail=detail,
    )


def iter_warc(
    path: str | Path,
    day: date,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    label: str | None = None,
    stats: Counter[str] | None = None,
    only_day: bool = True,
) -> Iterator[RawScrape]:
    """Response records of `path` dated `day` (UTC); other record types and days are skipped.

    `label` names the file in `source` (default: the path as given); `stats` counts what was
    read and skipped, by reason. `only_day=False` takes records of any date into partition `day`
    (a WARC file dropped into a landing day folder belongs to that day as a whole).
    """
    counts = stats if stats is not None else Counter()
    name = label or str(path)
    with open(path, "rb") as handle:
        gzipped = handle.read(2) == b"\x1f\x8b"
        position: int | None = 0
        while position is not None:
            handle.seek(position)
            iterator = ArchiveIterator(handle)
            try:
                for record in iterator:
                    offset = iterator.offset  # where this record starts in the file
                    if record.rec_type != "response":
                        counts[f"skipped_{record.rec_type}"] += 1
                        continue
                    scrape = _record_scrape(record, day, only_day, f"{name}@{offset}", max_bytes, counts)
                    if scrape is not None:
                        yield scrape
                position = None
            except _CORRUPT as exc:
                bad_offset = iterator.offset
                counts["corrupt_record"] += 1
                yield RawScrape(
                    partition_date=day,
                    source=f"{name}@{bad_offset}",
                    source_kind="warc",
                    content=b"",
                    fetched_at=datetime.now(UTC),
                    content_type="application/octet-stream",
                    reject_reason="corrupt_record",
                    reject_detail=f"{type(exc).__name__}: {exc}"[:300],
                )
                position = _next_boundary(handle, bad_offset, gzipped)
