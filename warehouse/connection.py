"""Opening the warehouse file, with errors that say what to do when it is locked or the disk is full."""

from __future__ import annotations

import errno
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.processes import describe_process

LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.*?) \(PID (?P<pid>\d+)\)")
DISK_FULL_TEXT = "no space left on device"  # how DuckDB and Arrow report ENOSPC in their own errors


class WarehouseLockedError(RuntimeError):
    pass


class DiskFullError(OSError):
    """A write failed because the disk is full; the message names the path and what to do."""

    NOTHING_CHANGED = ("The failed write changed nothing: the warehouse keeps its previous state and the "
                       "file being written its previous version.")

    def __init__(self, path: Path, state: str = NOTHING_CHANGED):
        self.path = path
        try:
            free = f"{shutil.disk_usage(_existing(path)).free / 1e6:.1f} MB free"
        except OSError:
            free = "free space unknown"
        super().__init__(
            errno.ENOSPC,
            f"No space left on device: the disk holding {path} is full ({free}). {state} Free space on "
            f"that disk (old GX Data Docs under warehouse/data_docs/ can go, see NEWS_DATA_DOCS_RUNS), or "
            f"point NEWS_WAREHOUSE at a bigger disk, then re-run this partition.",
        )

    def __str__(self) -> str:
        return self.strerror


def _existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def is_disk_full(exc: BaseException) -> bool:
    """ENOSPC from the OS, or a DuckDB or Arrow error that says so."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return isinstance(exc, (OSError, duckdb.Error, pa.ArrowException)) and DISK_FULL_TEXT in str(exc).lower()


def lock_holder(exc: Exception) -> str:
    """Who holds the file, from DuckDB's lock error (which names the holder's PID)."""
    match = LOCK_HOLDER.search(str(exc))
    if not match:
        return "another process"
    return describe_process(int(match["pid"]))


def connect(
    path: Path, read_only: bool = False, wait_s: float = 30.0, log: Callable[[str], None] | None = None
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse, retrying for `wait_s` seconds while another process holds its lock.

    `log` (e.g. `context.log.warning`) hears once that the open waits, and for whom.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_s
    delay = 0.5
    waiting_for = None
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                if is_disk_full(exc):
                    raise DiskFullError(path) from exc
                raise
            holder = lock_holder(exc)
            if log is not None and holder != waiting_for:
                log(f"The warehouse {path} is locked by {holder}: waiting up to {wait_s:.0f} s for it to close")
            waiting_for = holder
            if time.monotonic() >= deadline:
                # DuckDB's own message suggests opening the file read-only: wrong for the load,
                # which must write, so it is not quoted.
                raise WarehouseLockedError(
                    f"The warehouse {path} is locked by {holder} (waited {wait_s:.0f} s). DuckDB allows one "
                    f"writer and no readers beside it: close that session (analysts should open the published "
                    f"copy {path.parent / 'published' / path.name} instead) and re-run this partition; "
                    f"nothing was written."
                ) from None
            time.sleep(delay)
            delay = min(delay * 2, 5.0)


def run(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> None:
    """Execute a statement and consume its result (duckdb 2.0 refuses new work on the connection
    while a previous result is still pending)."""
    con.execute(sql, params or []).fetchall()


def sql_string(path: Path) -> str:
    """A file path as a SQL string literal, for the few statements (COPY ... TO) that take no parameter."""
    return "'" + str(path).replace("'", "''") + "'"
