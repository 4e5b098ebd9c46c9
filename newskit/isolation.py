"""One record's bug is that record's quarantine; a fault of the machine still fails the run.

Every per-record step (landing decode and parse, extract, clean and segment, NLP, quality triage)
handles each scrape through a `RecordGuard`: an unexpected exception becomes an `internal_error`
for that scrape, with the stage, the exception type and its message in the detail, and is counted
for the asset's metadata and the day's threshold (`internal_error_threshold`). Systemic errors are
never swallowed: out of memory, a full disk or quota, too many open files, a read-only file
system, an interrupt, or any `SystemicError` (a missing spaCy model) stop the run with a message
that says what to do. (A locked warehouse is met by the load, which handles no records one by one.)
"""

from __future__ import annotations

import errno
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

INTERNAL_ERROR = "internal_error"
DETAIL_CHARS = 300
_DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})
_SYSTEMIC_ERRNOS = _DISK_FULL | {errno.EMFILE, errno.ENFILE, errno.EROFS}

log = logging.getLogger(__name__)
R = TypeVar("R")
T = TypeVar("T")


class SystemicError(RuntimeError):
    """A failure that is not one record's fault: the run stops; the message says what to do."""


def is_systemic(exc: BaseException) -> bool:
    if not isinstance(exc, Exception):  # KeyboardInterrupt, SystemExit, GeneratorExit
        return True
    if isinstance(exc, (MemoryError, SystemicError)):
        return True
    return isinstance(exc, OSError) and exc.errno in _SYSTEMIC_ERRNOS


def systemic_error(exc: BaseException, target: str | Path | None = None) -> BaseException:
    """`exc` as the error the run fails with: a full disk says where and what to do."""
    if isinstance(exc, OSError) and exc.errno in _DISK_FULL:
        where = exc.filename or target
        what = "No space left on device" if exc.errno == errno.ENOSPC else "Disk quota exceeded"
        return SystemicError(f"{what}{f' writing {where}' if where else ''}: free space and re-run the day")
    if isinstance(exc, OSError) and exc.errno in (errno.EMFILE, errno.ENFILE):
        return SystemicError(f"Too many open files ({exc}): raise the limit (ulimit -n) and re-run the day")
    if isinstance(exc, MemoryError):
        return SystemicError(
            "Out of memory: lower NEWS_MAX_RAW_BYTES or run fewer days at once, then re-run the day"
        )
    return exc


def failure_detail(stage: str, exc: BaseException) -> str:
    """`<stage>: <type>: <message>` on one line, cut to DETAIL_CHARS."""
    message = " ".join(str(exc).split())
    detail = f"{stage}: {type(exc).__name__}: {message}" if message else f"{stage}: {type(exc).__name__}"
    return detail if len(detail) <= DETAIL_CHARS else detail[: DETAIL_CHARS - 1] + "…"


def raise_if_systemic(exc: BaseException, target: str | Path | None = None) -> None:
    """Raise `exc` (as `systemic_error` explains it) when it is a fault of the run, not of a record."""
    if not is_systemic(exc):
        return
    replacement = systemic_error(exc, target)
    if replacement is exc:
        raise exc
    raise replacement from exc


@contextmanager
def systemic_errors(target: str | Path) -> Iterator[None]:
    """Re-raise a full disk (or another fault of the machine) while writing `target` with its fix."""
    try:
        yield
    except Exception as exc:
        raise_if_systemic(exc, target)
        raise


@dataclass
class RecordGuard:
    """Runs one stage's per-record function; counts what it turned into `internal_error`."""

    stage: str
    errors: Counter[str] = field(default_factory=Counter)  # by exception type

    def run(
        self,
        handle: Callable[[T], R],
        record: T,
        on_error: Callable[[str], R],
        label: str = "",
        passthrough: tuple[type[Exception], ...] = (),
    ) -> R:
        """`handle(record)`, or `on_error(detail)` when it raises something that is not systemic.

        Exceptions of the `passthrough` types are the caller's to handle (a corrupt WARC record
        that the caller resyncs after) and propagate unchanged.
        """
        try:
            return handle(record)
        except passthrough:
            raise
        except Exception as exc:
            return on_error(self.failure(exc, label))

    def run_batch(
        self,
        handle: Callable[[list[T]], R],
        records: list[T],
        on_error: Callable[[T, str], object],
        label: Callable[[T], str] = lambda record: "",
    ) -> list[R]:
        """`handle(records)` in one go (fast); when that raises, `handle([record])` for each record,
        so only the records that fail alone become errors (`on_error(record, detail)`)."""
        if not records:
            return []
        try:
            return [handle(records)]
        except Exception as exc:
            raise_if_systemic(exc)
            if len(records) == 1:
                on_error(records[0], self.failure(exc, label(records[0])))
                return []
        results: list[R] = []
        for record in records:
            try:
                results.append(handle([record]))
            except Exception as exc:
                on_error(record, self.failure(exc, label(record)))
        return results

    def failure(self, exc: Exception, label: str = "") -> str:
        """Count a record's unexpected exception and return its detail; a systemic one is re-raised."""
        raise_if_systemic(exc)
        self.errors[type(exc).__name__] += 1
        detail = failure_detail(self.stage, exc)
        log.warning("internal_error in %s%s: %s", self.stage, f" ({label})" if label else "", detail, exc_info=exc)
        return detail

    @property
    def count(self) -> int:
        return sum(self.errors.values())

    def metadata(self) -> dict[str, object]:
        """What the asset's materialization reports: the count, and the count by exception type."""
        return {"internal_errors": self.count, "internal_errors_by_type": dict(self.errors)}


@dataclass(frozen=True)
class InternalErrorThreshold:
    """A day with more than `max_share` of its scrapes in `internal_error`, and at least
    `min_count` of them, is a broken stage, not a quiet day: the run fails before the load."""

    max_share: float = 0.05
    min_count: int = 3

    def exceeded(self, internal_errors: int, scrapes: int) -> bool:
        return internal_errors >= self.min_count and internal_errors > self.max_share * scrapes

    def message(self, internal_errors: int, scrapes: int, top_types: list[tuple[str, int]]) -> str:
        share = internal_errors / scrapes if scrapes else 1.0
        types = ", ".join(f"{name} x{n}" for name, n in top_types) or "unknown"
        return (
            f"{internal_errors} of {scrapes} scrapes ({share:.1%}) ended in internal_error, over the "
            f"threshold of {self.max_share:.1%} and at least {self.min_count} (settings "
            f"internal_error_max_share, internal_error_min_count). Top exception types: {types}. Nothing was "
            "loaded: a stage is broken, not the data. Read the details (quarantine detail in the stage "
            "metadata and logs), fix the code or the environment, then re-run the day."
        )
