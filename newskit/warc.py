"""WARC / WARC.gz response records -> RawScrape, streaming with flat memory.

Common Crawl's CC-NEWS files are about 1 GB each; warcio reads them record by record and only one
payload (capped at `max_bytes`) is in memory at a time. `source` is "<path>@<offset>" so a record
can be found again with `warcio extract <path> <offset>`.

A record warcio cannot parse is yielded as a `corrupt_record` reject, and reading resumes at the
next record boundary (next gzip member, or next "WARC/1." line in an uncompressed file), looked for
at most `Limits.warc_resync_bytes` far; a record cut short by the end of the file is yielded as
`truncated_record` with the bytes that were there. A file that does not start with a WARC record
(a sparse file of zeros, an HTML page named .warc) is one `not_warc` reject, found from its first
bytes; header lines are read at most `_MAX_LINE` bytes at a time and `WARC_HEADER_BYTES` per
record, so no input makes the reader hold or scan more than that before it gives up.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import DecompressingBufferedReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from newskit.feeds import parse_w3c_datetime
from newskit.fetch import parse_content_type
from newskit.isolation import INTERNAL_ERROR, RecordGuard, raise_if_systemic
from newskit.limits import DEFAULT_MAX_RAW_BYTES, WARC_HEADER_BYTES, Limits
from newskit.records import RawScrape, site_from_url, valid_text

_SCAN_BLOCK = 1 << 20
_MAX_LINE = 64 * 1024
_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"\nWARC/1."
_RECORD_STARTS = (b"WARC/", b"filedesc://")  # a WARC record, or warcio's ARC format


class CorruptRecordError(Exception):
    """warcio could not parse a record, its headers or its payload."""


def _parsed(iterator: ArchiveIterator) -> Iterator[ArcWarcRecord]:
    """The iterator's records; any error warcio raises while parsing one is a `CorruptRecordError`
    (it raises AttributeError, TypeError and others on malformed input, not only its own errors)."""
    while True:
        try:
            record = next(iterator)
        except StopIteration:
            return
        except Exception as exc:
            raise_if_systemic(exc)
            raise CorruptRecordError(f"{type(exc).__name__}: {exc}") from exc
        yield record


def is_warc_name(name: str) -> bool:
    return name.lower().endswith((".warc", ".warc.gz"))


class _BoundedHeaderReader(DecompressingBufferedReader):
    """warcio's reader with bounded header lines: a line is read at most `_MAX_LINE` bytes at a
    time, and the lines read between two payload reads (one record's headers) stop at
    `WARC_HEADER_BYTES`, so a file of zeros or one endless line is a corrupt record, not a hang."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._header_bytes = 0

    def readline(self, length=None):
        line = super().readline(_MAX_LINE if length is None else min(length, _MAX_LINE))
        self._header_bytes += len(line)
        if self._header_bytes > WARC_HEADER_BYTES:
            self._header_bytes = 0
            raise ArchiveLoadFailed(f"more than {WARC_HEADER_BYTES} bytes of header lines: not a WARC record")
        return line

    def read(self, length=None):
        self._header_bytes = 0
        return super().read(length)


class _BoundedArchiveIterator(ArchiveIterator):
    def __init__(self, fileobj, *args, **kwargs) -> None:
        super().__init__(fileobj, *args, **kwargs)
        self.reader = _BoundedHeaderReader(self.fh, block_size=self.reader.block_size)


def _starts_like_warc(handle: BinaryIO, gzipped: bool) -> tuple[bool, bytes]:
    """Whether the file begins with a WARC (or ARC) record, and the first bytes it holds."""
    handle.seek(0)
    head = handle.read(4096)
    handle.seek(0)
    if not gzipped:
        return head.lstrip(b"\r\n").startswith(_RECORD_STARTS), head[:16]
    try:
        start = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
    except zlib.error:
        return True, head[:16]  # a corrupt first member: read on, the next members may be fine
    return (not start or start.lstrip(b"\r\n").startswith(_RECORD_STARTS)), start[:16]


def _next_boundary(handle: BinaryIO, start: int, gzipped: bool, limit: int) -> int | None:
    """File offset of the next record start after `start`; None at end of file or `limit` bytes on."""
    magic = _GZIP_MAGIC if gzipped else _WARC_MAGIC
    skip = 0 if gzipped else 1  # the uncompressed pattern starts at the newline before "WARC/"
    position = start + 1
    tail = b""
    while position - start <= limit:
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
    return None


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
    code = (http.get_statuscode() or "") if http is not None else ""
    status = int(code) if code.isdigit() else 0
    if not 200 <= status < 300:
        stats[f"skipped_http_{status}"] += 1
        return None
    media_type, charset = parse_content_type(http.get_header("Content-Type"))
    try:
        content = record.content_stream().read(max_bytes + 1)
    except Exception as exc:  # a broken chunked or gzip payload: the record is corrupt
        raise_if_systemic(exc)
        raise CorruptRecordError(f"payload: {type(exc).__name__}: {exc}") from exc
    truncated = getattr(record.raw_stream, "limit", 0) > 0 and len(content) <= max_bytes
    too_large = len(content) > max_bytes
    reject, detail = None, None
    if too_large:
        reject, detail = "too_large", f"payload over the {max_bytes}-byte raw limit; the first {max_bytes} bytes are kept"
    elif truncated:
        reject, detail = "truncated_record", "the file ends inside this record; the bytes present are kept"
    stats[reject or "records"] += 1
    uri = valid_text(uri)
    return RawScrape(
        partition_date=day,
        source=source,
        source_kind="warc",
        content=content[:max_bytes],
        fetched_at=warc_date,
        content_type=valid_text(media_type) or "application/octet-stream",
        url=uri,
        site=site_from_url(uri),
        declared_charset=valid_text(charset),
        reject_reason=reject,
        reject_detail=detail,
    )


def _file_reject(day: date, source: str, reason: str, detail: str) -> RawScrape:
    return RawScrape(
        partition_date=day,
        source=source,
        source_kind="warc",
        content=b"",
        fetched_at=datetime.now(UTC),
        content_type="application/octet-stream",
        reject_reason=reason,
        reject_detail=valid_text(detail)[:300],
    )


def iter_warc(
    path: str | Path,
    day: date,
    *,
    max_bytes: int = DEFAULT_MAX_RAW_BYTES,
    label: str | None = None,
    stats: Counter[str] | None = None,
    only_day: bool = True,
    guard: RecordGuard | None = None,
) -> Iterator[RawScrape]:
    """Response records of `path` dated `day` (UTC); other record types and days are skipped.

    `label` names the file in `source` (default: the path as given); `stats` counts what was
    read and skipped, by reason. `only_day=False` takes records of any date into partition `day`
    (a WARC file dropped into a landing day folder belongs to that day as a whole). `guard` turns
    an unexpected exception on one record into an `internal_error` scrape.
    """
    counts = stats if stats is not None else Counter()
    guard = guard or RecordGuard("warc")
    name = label or str(path)
    resync_limit = Limits(max_bytes).warc_resync_bytes
    before = counts.copy()
    with open(path, "rb") as handle:
        gzipped = handle.read(2) == b"\x1f\x8b"
        warc_like, head = _starts_like_warc(handle, gzipped)
        if not warc_like:
            counts["not_warc"] += 1
            yield _file_reject(day, name, "not_warc", f"the file does not start with a WARC record (first bytes: {head.hex(' ') or 'none'}); not read further")
            return
        position: int | None = 0
        yielded = 0
        while position is not None:
            handle.seek(position)
            iterator = _BoundedArchiveIterator(handle)
            try:
                for record in _parsed(iterator):
                    offset = iterator.offset  # where this record starts in the file
                    if record.rec_type != "response":
                        counts[f"skipped_{record.rec_type}"] += 1
                        continue
                    source = f"{name}@{offset}"
                    scrape = guard.run(
                        lambda rec: _record_scrape(rec, day, only_day, source, max_bytes, counts), record,
                        lambda detail: _file_reject(day, source, INTERNAL_ERROR, detail), source,
                        passthrough=(CorruptRecordError,),
                    )
                    if scrape is not None:
                        yielded += 1
                        yield scrape
                position = None
            except CorruptRecordError as exc:
                bad_offset = iterator.offset
                counts["corrupt_record"] += 1
                position = _next_boundary(handle, bad_offset, gzipped, resync_limit)
                detail = str(exc)
                if position is None and handle.seek(0, 2) - bad_offset > resync_limit:
                    detail = f"no record boundary within {resync_limit} bytes, the rest of the file is not read; {detail}"
                yielded += 1
                yield _file_reject(day, f"{name}@{bad_offset}", "corrupt_record", detail)
    if not only_day and not yielded:  # a landing file always leaves a trace, even with nothing to keep
        skipped = ", ".join(f"{n} {reason}" for reason, n in sorted((counts - before).items())) or "no records"
        yield _file_reject(day, name, "no_response_records", f"no HTTP 2xx response record to keep ({skipped})")
