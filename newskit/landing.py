"""The landing-folder source: `<scrapes dir>/<YYYY-MM-DD>/**` files -> RawScrape records.

Files are streamed one at a time (JSONL line by line, each line read at most `max_raw_bytes`
at a time), so memory does not grow with the day or with one file. Every entry of the day folder
becomes at least one record: symlinks that lead out of the scrapes folder, symlink loops and
special files (FIFOs, sockets, devices) are recorded with their reason and never opened. A file
name that is not valid UTF-8 is shown with backslash escapes (`caf\\xe9.html`), the same on
every run.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import stat
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path
from typing import BinaryIO

from newskit.isolation import INTERNAL_ERROR, RecordGuard, raise_if_systemic
from newskit.limits import DEFAULT_MAX_RAW_BYTES
from newskit.records import RawScrape, site_from_url, valid_text
from newskit.warc import iter_warc, is_warc_name

CONTENT_TYPES = {".html": "text/html", ".htm": "text/html", ".txt": "text/plain"}
_SKIP_BLOCK = 1 << 20
_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)

log = logging.getLogger(__name__)


def display_path(relative: str) -> str:
    """A relative path as a valid string: bytes that are not UTF-8 become `\\xNN` escapes."""
    return os.fsencode(relative).decode("utf-8", errors="backslashreplace")


def _site_from_folder(source: str) -> str | None:
    """The first subfolder under the day folder names the site when it looks like a domain."""
    parts = source.split("/")
    if len(parts) > 2 and "." in parts[1]:
        return parts[1].lower().removeprefix("www.")
    return None


def _parse_time(value: object) -> datetime | None:
    """An ISO 8601 time as UTC; None when it is not one or falls outside the representable years."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed.astimezone(timezone.utc) if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    except (ValueError, OverflowError):  # '0001-01-01T00:00:00+14:00' is before year 1 in UTC
        return None


def _file_time(info: os.stat_result) -> datetime:
    try:
        return datetime.fromtimestamp(info.st_mtime, tz=timezone.utc)
    except (ValueError, OverflowError, OSError):  # an mtime outside the years a datetime holds
        return datetime.now(timezone.utc)


def _inside(root: Path, path: Path) -> bool:
    return os.path.realpath(path).startswith(str(root) + os.sep)


def _special_kind(mode: int) -> str | None:
    return next((name for test, name in _SPECIAL_KINDS if test(mode)), None)


def _classify(root: Path, path: Path) -> tuple[str | None, str | None]:
    """(reject reason, detail) for one directory entry, without opening it; (None, None) to read it."""
    try:
        own = os.lstat(path)
    except OSError as exc:
        return "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}"
    if stat.S_ISLNK(own.st_mode):
        try:
            target = os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return "symlink_loop", "symlink loop: the link leads back to itself; not followed"
            if exc.errno == errno.ENOENT:
                return "broken_symlink", "symlink points to nothing"
            return "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}"
        if not _inside(root, path):
            return "outside_scrapes_dir", "symlink points outside the scrapes folder; not followed"
        mode = target.st_mode
    else:
        mode = own.st_mode
    if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
        return None, None
    kind = _special_kind(mode) or "not a regular file"
    why = " (opening a FIFO blocks until someone writes to it)" if stat.S_ISFIFO(mode) else ""
    return "not_regular_file", f"{kind}, not a regular file: never opened{why}"


def _day_entries(root: Path, folder: Path, seen: set[str]) -> Iterator[tuple[Path, str | None, str | None]]:
    """Every file under `folder` in a stable order as (path, reject reason, detail)."""
    seen.add(os.path.realpath(folder))
    unreadable: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False, onerror=unreadable.append):
        while unreadable:
            exc = unreadable.pop()
            yield Path(exc.filename or dirpath), "unreadable", f"folder cannot be listed: {exc.strerror or exc}"
        current = Path(dirpath)
        dirnames.sort()
        # os.walk lists a symlinked folder but does not descend into it; one that stays inside the
        # scrapes folder (and is not walked already) is walked here, one that leads out is reported
        for name in list(dirnames):
            sub = current / name
            if not sub.is_symlink():
                continue
            reason, detail = _classify(root, sub)
            if reason:
                yield sub, reason, detail
            elif os.path.realpath(sub) in seen:
                yield sub, "symlink_loop", "symlink to a folder that is read already (a loop or a second path); not followed"
            else:
                yield from _day_entries(root, sub, seen)
        for name in sorted(filenames):
            path = current / name
            yield (path, *_classify(root, path))
    while unreadable:
        exc = unreadable.pop()
        yield Path(exc.filename or folder), "unreadable", f"folder cannot be listed: {exc.strerror or exc}"


def scan_landing_day(
    scrapes_dir: Path, day: date, max_bytes: int = DEFAULT_MAX_RAW_BYTES, guard: RecordGuard | None = None
) -> Iterator[RawScrape]:
    """Yield every scrape of one day folder; a missing folder is an empty day.

    `guard` (default: a new one) turns an unexpected exception on one file or JSONL line into an
    `internal_error` scrape and counts it.
    """
    guard = guard or RecordGuard("landing")
    root = Path(os.path.realpath(scrapes_dir))
    day_dir = root / day.isoformat()
    if not day_dir.is_dir():
        return
    if not _inside(root, day_dir):
        entries: Iterator = iter([(day_dir, "outside_scrapes_dir", "the day folder is a symlink out of the scrapes folder")])
    else:
        entries = _day_entries(root, day_dir, set())
    for path, reason, detail in entries:
        source = display_path(os.path.relpath(path, root).replace(os.sep, "/"))
        site = _site_from_folder(source)
        if reason:
            if reason in ("not_regular_file", "symlink_loop", "unreadable"):
                log.warning("landing: %s: %s (quarantined as %s)", source, detail, reason)
            yield _rejected(day, source, site, reason, detail or reason)
            continue
        yield from _scan_file(path, source, day, site, max_bytes, guard)


def _rejected(day: date, source: str, site: str | None, reason: str, detail: str) -> RawScrape:
    return RawScrape(day, source, "landing", b"", datetime.now(timezone.utc), "application/octet-stream",
                     site=site, reject_reason=reason, reject_detail=detail)


def _open_regular(path: Path) -> BinaryIO:
    """Open for reading without ever blocking: O_NONBLOCK, then make sure it is a regular file."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IsADirectoryError(errno.EISDIR, "not a regular file", str(path))
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _scan_file(
    path: Path, source: str, day: date, site: str | None, max_bytes: int, guard: RecordGuard
) -> Iterator[RawScrape]:
    """The scrapes of one file. An error reading it mid-way is a record of the file itself (the
    lines read before it stay); source `<file>` never clashes with `<file>:<line>` or `<file>@<offset>`."""
    try:
        if is_warc_name(path.name):
            # a WARC file dropped into a day folder belongs to that day as a whole
            yield from iter_warc(path, day, max_bytes=max_bytes, label=source, only_day=False, guard=guard)
            return
        with _open_regular(path) as handle:
            info = os.fstat(handle.fileno())
            if path.suffix.lower() == ".jsonl":
                yield from _scan_jsonl(handle, source, day, site, _file_time(info), max_bytes, guard)
            else:
                yield _whole_file(handle, info, path.suffix.lower(), source, day, site, max_bytes)
    except OSError as exc:  # unreadable or vanished mid-run: recorded, the rest of the day goes on
        raise_if_systemic(exc)
        yield _rejected(day, source, site, "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}")
    except Exception as exc:
        yield _rejected(day, source, site, INTERNAL_ERROR, guard.failure(exc, source))


def _whole_file(
    handle: BinaryIO, info: os.stat_result, suffix: str, source: str, day: date, site: str | None, max_bytes: int
) -> RawScrape:
    content = handle.read(max_bytes + 1)
    too_large = len(content) > max_bytes
    reason, detail = None, None
    if too_large:
        reason = "too_large"
        detail = f"{info.st_size} bytes is over the {max_bytes}-byte raw limit; the first {max_bytes} bytes are kept"
    elif suffix not in CONTENT_TYPES:
        reason = "unsupported_type"
        detail = f"file type {valid_text(suffix) or '(none)'} is not a scrape format (.html, .htm, .txt, .jsonl, .warc, .warc.gz)"
    return RawScrape(
        day, source, "landing", content[:max_bytes], _file_time(info), CONTENT_TYPES.get(suffix, "application/octet-stream"),
        site=site, reject_reason=reason, reject_detail=detail, original_size=max(info.st_size, len(content)) if too_large else None,
    )


def _bounded_lines(handle: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes, int]]:
    """(line number, the line's first max_bytes + 1 bytes without its newline, its full size).

    A longer line is never held whole: the rest of it is read in blocks and dropped up to the next
    newline, so a 5 GB file without one costs one block of memory.
    """
    line_no = 0
    while line := handle.readline(max_bytes + 2):
        line_no += 1
        if line.endswith(b"\n"):
            yield line_no, line[:-1], len(line) - 1
            continue
        rest, complete = _skip_line(handle)
        yield line_no, line, len(line) + rest - complete


def _skip_line(handle: BinaryIO) -> tuple[int, bool]:
    """Read past the next newline in blocks, keeping none: (bytes skipped, whether a newline ended them)."""
    skipped = 0
    while block := handle.read(_SKIP_BLOCK):
        newline = block.find(b"\n")
        if newline >= 0:
            handle.seek(newline + 1 - len(block), os.SEEK_CUR)
            return skipped + newline + 1, True
        skipped += len(block)
    return skipped, False


def _scan_jsonl(
    handle: BinaryIO, source: str, day: date, site: str | None, fetched_at: datetime, max_bytes: int,
    guard: RecordGuard,
) -> Iterator[RawScrape]:
    for line_no, line, size in _bounded_lines(handle, max_bytes):
        if size <= max_bytes and not line.strip():
            continue
        line_source = f"{source}:{line_no}"

        def failed(detail: str, line: bytes = line[:max_bytes], line_source: str = line_source) -> RawScrape:
            return RawScrape(day, line_source, "landing", line, fetched_at, "application/json", site=site,
                             reject_reason=INTERNAL_ERROR, reject_detail=detail)

        if size > max_bytes:
            yield RawScrape(day, line_source, "landing", line[:max_bytes], fetched_at, "application/json",
                            site=site, reject_reason="too_large", original_size=size,
                            reject_detail=f"line of {size} bytes is over the {max_bytes}-byte raw limit; the first {max_bytes} bytes are kept")
            continue
        yield guard.run(lambda raw: _jsonl_record(raw, line_no, line_source, day, site, fetched_at), line, failed, line_source)


def _jsonl_record(
    line: bytes, line_no: int, source: str, day: date, site: str | None, fetched_at: datetime
) -> RawScrape:
    try:
        record = json.loads(line)
        if not isinstance(record, dict):
            raise ValueError(f"a JSON {type(record).__name__}, not an object")
    except RecursionError:
        return RawScrape(day, source, "landing", line, fetched_at, "application/json", site=site,
                         reject_reason="invalid_json", reject_detail=f"line {line_no}: nested too deeply to parse")
    except ValueError as exc:
        return RawScrape(day, source, "landing", line, fetched_at, "application/json", site=site,
                         reject_reason="invalid_json", reject_detail=valid_text(f"line {line_no}: {exc}")[:300])
    url = valid_text(record.get("url")) if isinstance(record.get("url"), str) else None
    html, text = record.get("html"), record.get("text")
    payload, content_type = (html, "text/html") if isinstance(html, str) else (text, "text/plain")
    scrape_site = site_from_url(url) or site
    when = _parse_time(record.get("fetched_at")) or fetched_at
    if not isinstance(payload, str):
        return RawScrape(day, source, "landing", line, when, "application/json", url=url, site=scrape_site,
                         reject_reason="missing_content", reject_detail=f"line {line_no} has no string 'html' or 'text' field")
    return RawScrape(day, source, "landing", payload.encode("utf-8", errors="replace"), when,
                     content_type, url=url, site=scrape_site, declared_charset="utf-8")
