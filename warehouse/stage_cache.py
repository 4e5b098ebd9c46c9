"""Each day's work done once: a stage copies its earlier rows for the records whose inputs did not change.

The stages that handle records one by one (extracted, cleaned, nlp) write, beside their output
files, a reuse manifest `lake/stage/<stage>_manifest/partition_date=<day>/data.parquet`: one row
per record whose outputs those files hold, with the record's key and the fingerprint of everything
the outputs were computed from (the scrape's sha256 and the stage's version, the templates of the
scrape's site, the model ...: each stage says what goes into its fingerprint). A re-run computes
the fingerprints of its inputs, joins them with the manifest (an Arrow join), copies the earlier
output rows of the records that match (an Arrow filter per batch) and computes only the rest.

Records that ended in `internal_error` are never in a manifest: an error is computed again. The
manifest is removed before the new output files replace the old ones and written after them, so a
crash in between leaves no manifest (the next run computes everything), never a manifest that
describes other files. A manifest or output file that is missing or cannot be read (damaged) means
nothing is reused: the stage computes the day again, which is also its repair.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from warehouse.lake import LakeFileError, ParquetSink, iter_batches, open_parquet, stage_file, write_table

FINGERPRINT = "fingerprint"


def fingerprint(*parts: object) -> str:
    """A 32-hex-digit digest of `parts` (their reprs: None, numbers, strings and datetimes are told apart)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode("utf-8", errors="surrogatepass"))
        digest.update(b"\x1f")
    return digest.hexdigest()[:32]


def internal_errors(table: pa.Table, key: str = "scrape_id") -> list[str]:
    """Keys of the rows of a stage's output that ended `internal_error` (never put in a manifest)."""
    from newskit.isolation import INTERNAL_ERROR

    return table.filter(pc.equal(table["reject_reason"], INTERNAL_ERROR))[key].to_pylist()


def manifest_file(lake: Path, stage: str, day: date) -> Path:
    return stage_file(lake, f"{stage}_manifest", day)


def manifest_schema(key: str) -> pa.Schema:
    return pa.schema([(key, pa.string()), (FINGERPRINT, pa.string())])


def read_manifest(lake: Path, stage: str, day: date, key: str) -> pa.Table:
    """(key, fingerprint) of the records a stage's files hold for the day; empty when there is no
    readable manifest."""
    previous = _previous(manifest_file(lake, stage, day), [])
    return manifest_schema(key).empty_table() if previous is None else previous


def _previous(manifest: Path, outputs: list[Path]) -> pa.Table | None:
    """The manifest, while it and every output file it describes open; else None (reuse nothing)."""
    try:
        for path in [manifest, *outputs]:
            if not path.exists():
                return None
            with path.open("rb") as handle:
                open_parquet(path, handle)
        return pa.Table.from_batches(list(iter_batches(manifest, batch_rows=65536)), schema=pq.read_schema(manifest))
    except (LakeFileError, pa.ArrowException, OSError):
        return None


@dataclass
class StageReuse:
    """Which of a day's records a stage copies from its previous output, and which it computes."""

    lake: Path
    stage: str
    day: date
    key: str  # the records' key column: scrape_id or article_id
    current: pa.Table  # (key, fingerprint) of every input record; a null fingerprint is never reused
    reused: pa.Array  # keys whose previous output rows are copied

    @classmethod
    def plan(cls, lake: Path, stage: str, day: date, current: pa.Table, outputs: Iterable[str]) -> "StageReuse":
        """`outputs`: the stage files the reused rows are copied from (all must be readable)."""
        key = current.schema.names[0]
        previous = _previous(manifest_file(lake, stage, day), [stage_file(lake, o, day) for o in outputs])
        if previous is None:
            previous = manifest_schema(key).empty_table()
        matched = current.filter(pc.is_valid(current[FINGERPRINT])).join(previous, keys=[key, FINGERPRINT], join_type="inner")
        return cls(lake, stage, day, key, current, matched[key].combine_chunks())

    @property
    def reused_count(self) -> int:
        return len(self.reused)

    @property
    def computed_count(self) -> int:
        return self.current.num_rows - len(self.reused)

    def is_reused(self, keys: pa.Array | pa.ChunkedArray) -> pa.Array:
        return pc.is_in(keys, value_set=self.reused)

    def to_compute(self, batch: pa.RecordBatch, key: str | None = None) -> pa.RecordBatch:
        """The rows of `batch` that are not reused."""
        return batch.filter(pc.invert(self.is_reused(batch[key or self.key])))

    def copy(self, output: str, sink: ParquetSink, key: str | None = None, keys: pa.Array | None = None) -> int:
        """Copy the previous rows of the reused records from `output`'s stage file into `sink`.

        `key` is the column that names the record in that file, `keys` the reused records under
        that name (article ids for the paragraphs of reused scrapes); by default the stage's own.
        """
        value_set = self.reused if keys is None else keys
        if len(value_set) == 0:
            return 0
        copied = 0
        try:
            for batch in iter_batches(stage_file(self.lake, output, self.day), batch_rows=4096):
                kept = batch.filter(pc.is_in(batch[key or self.key], value_set=value_set))
                sink.write(kept)
                copied += kept.num_rows
        except LakeFileError:  # a damaged page: the run fails naming the file, the next one computes the day
            self.invalidate()
            raise
        return copied

    def invalidate(self) -> None:
        """Call before the new output files replace the old ones."""
        manifest_file(self.lake, self.stage, self.day).unlink(missing_ok=True)

    def commit(self, failed: Iterable[str] = ()) -> None:
        """Record every input record's fingerprint but those of `failed` (internal errors) and null ones."""
        done = self.current.filter(pc.is_valid(self.current[FINGERPRINT]))
        failed = pa.array(list(failed), pa.string())
        if len(failed):
            done = done.filter(pc.invert(pc.is_in(done[self.key], value_set=failed)))
        write_table(manifest_file(self.lake, self.stage, self.day), done.cast(manifest_schema(self.key)))

    def metadata(self) -> dict[str, int]:
        return {"computed": self.computed_count, "reused": self.reused_count}
