"""The one raw size limit and every limit derived from it.

`max_raw_bytes` (setting `NewsSettings.max_raw_bytes`, env `NEWS_MAX_RAW_BYTES`) is the most
bytes of one scrape that are read and kept: a landing file, a JSONL line, a WARC payload, an HTTP
body. A scrape over it is kept as its first `max_raw_bytes` bytes and quarantined `too_large`.
The limits below are what the later stages may hand a library, derived here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MAX_RAW_BYTES = 5_000_000
"""Default of `NewsSettings.max_raw_bytes` and of every source's HTTP cap."""

EXTRACT_CHARS_PER_RAW_BYTE = 0.4
"""trafilatura has no time limit of its own (a 17 MB page takes minutes): a decoded page longer
than this share of the raw limit, in characters, is quarantined `too_large` before extraction."""

WARC_RESYNC_RAW_LIMITS = 4
"""After a corrupt WARC record, the next record boundary is looked for this many raw limits far."""

WARC_HEADER_BYTES = 1 << 20
"""WARC and HTTP headers of one record larger than this are not headers: the record is corrupt."""


@dataclass(frozen=True)
class Limits:
    """The raw limit of one run and what derives from it."""

    max_raw_bytes: int = DEFAULT_MAX_RAW_BYTES

    def __post_init__(self) -> None:
        if self.max_raw_bytes < 1:
            raise ValueError(f"max_raw_bytes must be a positive number of bytes, got {self.max_raw_bytes}")

    @property
    def max_extract_chars(self) -> int:
        """Decoded characters handed to an extractor (trafilatura, the text-scrape parser)."""
        return int(self.max_raw_bytes * EXTRACT_CHARS_PER_RAW_BYTE)

    @property
    def warc_resync_bytes(self) -> int:
        """Bytes scanned for the next record after a corrupt WARC record before giving up on the file."""
        return self.max_raw_bytes * WARC_RESYNC_RAW_LIMITS


DEFAULT_LIMITS = Limits()
