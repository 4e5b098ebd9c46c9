"""The landing-folder source: `<scrapes dir>/<YYYY-MM-DD>/**` files -> RawScrape records.

Files are streamed one at a time (JSONL line by line), so memory does not grow with the day.
Symlinks that lead out of the scrapes folder are never followed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path

from newskit.records import RawScrape, site_from_url
from newskit.warc import iter_warc

CONTENT_TYPES = {".html": "text/html", ".htm": "text/html", ".txt": "text/plain"}
DEFAULT_MAX_BYTES = 5_000_000


def _site_from_folder(day_dir: Path, path: Path) -> str | None:
    """The first subfolder under the day folder names the site when it looks like a domain."""
    parts = path.relative_to(day_dir).parts
    if len(parts) > 1 and "." in parts[0]:
        return parts[0].lower().removeprefix("www.")
    return None


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(timezone.utc) if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _inside(root: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except (ValueError, OSError):
        return False
    return True


def _day_files(root: Path, folder: Path, seen: set[Path]) -> Iterator[tuple[Path, str | None]]:
    """Every regular file under `folder` in a stable order, with a reason to reject it."""
    seen.add(folder.resolve())
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        current = Path(dirpath)
        dirnames.sort()
        # os.walk lists a symlinked folder but does not descend into it; one that stays inside
        # the scrapes folder (and is not a loop) is walked here, one that leads out is reported
        for name in dirnames:
            sub = current / name
            if not sub.is_symlink():
                continue
            if not _inside(root, sub):
                yield sub, "outside_scrapes_dir"
            elif sub.resolve() not in seen:
                yield from _day_files(root, sub, seen)
        for name in sorted(filenames):
            path = current / name
            if path.is_symlink() and not _inside(root, path):
                yield path, "outside_scrapes_dir"
            elif path.is_symlink() and not path.exists():
                yield path, "broken_symlink"
            elif path.is_file():
                yield path, None


def scan_landing_day(
    scrapes_dir: Path, day: date, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[RawScrape]:
    """Yield every scrape of one day folder; a missing folder is an empty day."""
    root = scrapes_dir.resolve()
    day_dir = root / day.isoformat()
    if not day_dir.is_dir():
        return
    files = [(day_dir, "outside_scrapes_dir")] if not _inside(root, day_dir) else _day_files(root, day_dir, set())
    for path, reject in files:
        source = path.relative_to(root).as_posix()
        site = _site_from_folder(day_dir, path)
        if reject:
            yield _rejected(day, source, site, reject, _REJECT_DETAIL[reject].format(source=source))
            continue
        try:
            yield from _scan_file(path, source, day, site, max_bytes)
        except OSError as exc:  # unreadable or vanished mid-run: recorded, the rest of the day goes on
            yield _rejected(day, source, site, "unreadable", f"{type(exc).__name__}: {exc}")


_REJECT_DETAIL = {
    "outside_scrapes_dir": "symlink {source} points outside the scrapes folder; not followed",
    "broken_symlink": "symlink {source} points to nothing",
}


def _rejected(day: date, source: str, site: str | None, reason: str, detail: str) -> RawScrape:
    return RawScrape(day, source, "landing", b"", datetime.now(timezone.utc), "application/octet-stream",
                     site=site, reject_reason=reason, reject_detail=detail)


def _scan_file(path: Path, source: str, day: date, site: str | None, max_bytes: int) -> Iterator[RawScrape]:
    stat = path.stat()
    fetched_at = datetime.fromtimestamp(stat.st_mtime, tz=timezone.utc)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _scan_jsonl(path, source, day, site, fetched_at, max_bytes)
        return
    if path.name.lower().endswith((".warc", ".warc.gz")):
        # a WARC file dropped into a day folder belongs to that day as a whole
        yield from iter_warc(path, day, max_bytes=max_bytes, label=source, only_day=False)
        return
    with path.open("rb") as handle:
        content = handle.read(max_bytes + 1)
    too_large = len(content) > max_bytes
    reason, detail = None, None
    if too_large:
        reason = "too_large"
        detail = f"{stat.st_size} bytes is over the {max_bytes}-byte cap; the first {max_bytes} bytes are kept"
    elif suffix not in CONTENT_TYPES:
        reason = "unsupported_type"
        detail = f"file type {suffix or '(none)'} is not a scrape format (.html, .htm, .txt, .jsonl, .warc, .warc.gz)"
    yield RawScrape(
        day, source, "landing", content[:max_bytes], fetched_at, CONTENT_TYPES.get(suffix, "application/octet-stream"),
        site=site, reject_reason=reason, reject_detail=detail, original_size=stat.st_size if too_large else None,
    )


def _scan_jsonl(
    path: Path, source: str, day: date, site: str | None, fetched_at: datetime, max_bytes: int
) -> Iterator[RawScrape]:
    with path.open("rb") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            line_source = f"{source}:{line_no}"
            if len(line) > max_bytes:
                yield RawScrape(day, line_source, "landing", line[:max_bytes], fetched_at, "application/json",
                                site=site, reject_reason="too_large", original_size=len(line),
                                reject_detail=f"line of {len(line)} bytes is over the {max_bytes}-byte cap")
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError(f"a JSON {type(record).__name__}, not an object")
            except ValueError as exc:
                yield RawScrape(day, line_source, "landing", line, fetched_at, "application/json", site=site,
                                reject_reason="invalid_json", reject_detail=f"line {line_no}: {exc}"[:300])
                continue
            url = record.get("url") if isinstance(record.get("url"), str) else None
            html, text = record.get("html"), record.get("text")
            payload, content_type = (html, "text/html") if isinstance(html, str) else (text, "text/plain")
            scrape_site = site_from_url(url) or site
            when = _parse_time(record.get("fetched_at")) or fetched_at
            if not isinstance(payload, str):
                yield RawScrape(day, line_source, "landing", line, when, "application/json", url=url, site=scrape_site,
                                reject_reason="missing_content", reject_detail=f"line {line_no} has no string 'html' or 'text' field")
                continue
            yield RawScrape(day, line_source, "landing", payload.encode("utf-8", errors="replace"), when,
                            content_type, url=url, site=scrape_site, declared_charset="utf-8")
