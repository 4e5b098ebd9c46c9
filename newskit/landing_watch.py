"""Cheap change detection for landing day folders (what the landing sensor looks at each tick).

Two levels of cost:

- `folder_signature`: the mtimes of a day folder and of its direct sub-folders (one directory
  listing plus one stat per sub-folder). A file added, removed or renamed in the day folder or in a
  site folder (`<day>/example.org/page.html`) changes it.
- `fingerprint_day`: a walk of the whole day folder with one stat per file: a hash of every file's
  (relative path, size, mtime), the file count, and when the newest file arrived (the later of its
  mtime and ctime, so a copy that keeps an old mtime still counts as new).

Symlinked folders are fingerprinted by the link itself, not followed (the landing scan follows
them; a change inside one is found when the link or its parent changes).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DayFingerprint:
    digest: str  # 16 hex digits of sha256 over the sorted (path, size, mtime_ns) lines
    files: int
    newest_change: float  # epoch seconds; 0.0 for a folder without files


def _short_hash(lines: list[str], digits: int = 16) -> str:
    return hashlib.sha256("\n".join(lines).encode("utf-8", "surrogateescape")).hexdigest()[:digits]


def folder_signature(day_dir: Path) -> str | None:
    """A hash of the day folder's and its direct sub-folders' mtimes; None when it vanished."""
    try:
        lines = [f".\0{day_dir.stat().st_mtime_ns}"]
        with os.scandir(day_dir) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    lines.append(f"{entry.name}\0{entry.stat(follow_symlinks=False).st_mtime_ns}")
    except OSError:
        return None
    return _short_hash(sorted(lines), 12)


def fingerprint_day(day_dir: Path) -> DayFingerprint:
    """Every file under `day_dir` (not following symlinked folders); files that vanish mid-walk are left out."""
    lines: list[str] = []
    newest = 0.0
    for dirpath, dirnames, filenames in os.walk(day_dir, followlinks=False):
        current = Path(dirpath)
        links = [name for name in dirnames if (current / name).is_symlink()]
        for name in filenames + links:
            path = current / name
            try:
                stat = path.stat() if name in filenames else path.lstat()
            except OSError:
                try:
                    stat = path.lstat()  # a broken symlink is still an entry of the day
                except OSError:
                    continue
            lines.append(f"{path.relative_to(day_dir).as_posix()}\0{stat.st_size}\0{stat.st_mtime_ns}")
            newest = max(newest, stat.st_mtime, stat.st_ctime)
    return DayFingerprint(_short_hash(sorted(lines)), len(lines), newest)
