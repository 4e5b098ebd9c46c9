"""The Parquet lake beside the warehouse file, Hive-partitioned by day.

    lake/stage/<stage>/partition_date=YYYY-MM-DD/data.parquet   intermediate stage outputs
    lake/tables/<table>/partition_date=YYYY-MM-DD/data.parquet  what the load puts in news.<table>

Files are written to a temporary name (`.data.parquet.<pid>.<random>.tmp`) and renamed, so a
failed or killed step never leaves half a file under the real name; the next writer into that
folder deletes the temporary files of writers that are no longer alive. Pages carry checksums, so
a damaged file fails when read instead of giving wrong rows, and every read error names the file
and the command that rebuilds it (`LakeFileError`).
"""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

from warehouse.connection import DiskFullError, is_disk_full
from warehouse.processes import process_alive

MATERIALIZE = "dagster asset materialize -m pipelines.definitions"
RAW_STAGE = "raw_scrapes"
_LAKE_FILE = re.compile(r"(?P<kind>stage|tables)/(?P<name>[^/]+)/partition_date=(?P<day>\d{4}-\d{2}-\d{2})/[^/]+$")
_TEMP_FILE = re.compile(r"^\..+\.(?P<pid>\d+)\.[0-9a-f]{32}\.tmp$")
STALE_TEMP_S = 24 * 3600  # a temporary file without a writer pid is left alone for a day


def stage_file(lake: Path, stage: str, day: date) -> Path:
    return lake / "stage" / stage / f"partition_date={day.isoformat()}" / "data.parquet"


def table_file(lake: Path, table: str, day: date) -> Path:
    return lake / "tables" / table / f"partition_date={day.isoformat()}" / "data.parquet"


def history_files(lake: Path, name: str, kind: str = "stage") -> list[str]:
    """Every day's file of a stage (or, with kind="tables", of a table), for DuckDB's read_parquet;
    a file whose footer cannot be read raises LakeFileError naming it and its repair (DuckDB's own
    error says neither)."""
    files = sorted(lake.glob(f"{kind}/{name}/partition_date=*/data.parquet"))
    for path in files:
        with path.open("rb") as handle:
            open_parquet(path, handle)
    return [str(path) for path in files]


class LakeFileError(RuntimeError):
    """A lake file that cannot be read (truncated, damaged, not Parquet): names it and its repair."""

    def __init__(self, path: Path, problem: str, advice: str | None = None):
        self.path = path
        super().__init__(
            f"The lake file {path} is unreadable ({problem}): it is truncated, damaged or was written "
            f"by an incompatible version. {advice or repair_advice(path)}"
        )


def repair_advice(path: Path) -> str:
    """What rebuilds a lake file: derived files are recomputed from the day's raw scrapes; the raw
    stage file holds facts, restored from the copy the last run made of it."""
    match = _LAKE_FILE.search(path.as_posix())
    if match is None:
        return "Delete it and re-run the partition that wrote it."
    day = match["day"]
    if match["kind"] == "stage" and match["name"] == RAW_STAGE:
        return (
            f"Re-run the day (`{MATERIALIZE} --select '*' --partition {day}`): its raw step restores the "
            f"file from the copies of the day's raw scrapes in the lake or the warehouse, as does "
            f"`python -m warehouse.repair raw {day}`; the damaged file is kept as data.parquet.corrupt."
        )
    if match["kind"] == "tables" and match["name"] == "fetch_log":
        return (f"Move it aside (the attempts are also in news.fetch_log) and re-run the day: "
                f"`{MATERIALIZE} --select '*' --partition {day}`.")
    return (
        f"Rebuild it and the rest of the day from the raw scrapes in the lake (reextract_job in the UI, "
        f"or `{MATERIALIZE} --select 'extracted*' --partition {day}`)."
    )


def open_parquet(path: Path, handle: BinaryIO) -> pq.ParquetFile:
    """A lake file opened from `handle` (the caller's, so that it is closed whatever Arrow makes
    of the file), or LakeFileError naming it."""
    try:
        return pq.ParquetFile(handle, page_checksum_verification=True)
    except (pa.ArrowException, OSError) as exc:
        raise LakeFileError(path, str(exc).splitlines()[0]) from exc


def check_readable(path: Path) -> None:
    """Read every page of a lake file (checksums verified); LakeFileError if one fails."""
    for _ in iter_batches(path, batch_rows=4096):
        pass


def iter_batches(path: Path, columns: list[str] | None = None, batch_rows: int = 64) -> Iterator[pa.RecordBatch]:
    """Stream a Parquet file in small batches (a missing file is an empty stream)."""
    if not path.exists():
        return
    with path.open("rb") as handle:
        parquet = open_parquet(path, handle)
        try:
            yield from parquet.iter_batches(batch_size=batch_rows, columns=columns)
        except (pa.ArrowException, OSError) as exc:
            raise LakeFileError(path, str(exc).splitlines()[0]) from exc


def iter_rows(path: Path, columns: list[str] | None = None) -> Iterator[dict]:
    for batch in iter_batches(path, columns):
        yield from batch.to_pylist()


def temp_path(target: Path) -> Path:
    """A private temporary name beside `target` (renamed over it when complete); first deletes
    the temporary files that dead writers left in that folder."""
    target.parent.mkdir(parents=True, exist_ok=True)
    sweep_temp_files(target.parent)
    return target.with_name(f".{target.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp")


def sweep_temp_files(folder: Path) -> list[Path]:
    """Delete `.*.tmp` files in `folder` whose writer process is gone (or, without a pid in the
    name, that are a day old); returns what was deleted."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return removed
    for entry in entries:
        if not (entry.name.startswith(".") and entry.name.endswith(".tmp") and entry.is_file(follow_symlinks=False)):
            continue
        match = _TEMP_FILE.match(entry.name)
        try:
            if match:
                if process_alive(int(match["pid"]), started_before=entry.stat().st_mtime):
                    continue
            elif time.time() - entry.stat().st_mtime < STALE_TEMP_S:
                continue
            os.unlink(entry.path)
        except FileNotFoundError:
            continue
        removed.append(Path(entry.path))
    return removed


def disk_full_guard(path: Path, action: Callable[[], object]) -> object:
    """Run `action`; a full disk becomes DiskFullError naming `path`."""
    try:
        return action()
    except (OSError, pa.ArrowException) as exc:
        if is_disk_full(exc):
            raise DiskFullError(path) from exc
        raise


class ParquetSink:
    """Append Arrow batches to one Parquet file; the file appears only on `close()`."""

    def __init__(self, path: Path, schema: pa.Schema):
        self.path = path
        self.schema = schema
        self._tmp = temp_path(path)
        self._writer = disk_full_guard(
            path, lambda: pq.ParquetWriter(self._tmp, schema, compression="zstd", write_page_checksum=True)
        )
        self.rows = 0

    def write(self, table: pa.Table | pa.RecordBatch) -> None:
        if table.num_rows:
            if isinstance(table, pa.RecordBatch):
                table = pa.Table.from_batches([table])
            table = table.cast(self.schema)
            self._guard(lambda: self._writer.write_table(table))
            self.rows += table.num_rows

    def write_rows(self, rows: list[dict]) -> None:
        if rows:
            self.write(pa.Table.from_pylist(rows, schema=self.schema))

    def close(self) -> None:
        self._guard(self._writer.close)
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        try:
            self._writer.close()
        except (OSError, pa.ArrowException):
            pass  # the disk may be full: the temporary file goes anyway
        self._tmp.unlink(missing_ok=True)

    def _guard(self, action: Callable[[], object]) -> None:
        try:
            disk_full_guard(self.path, action)
        except BaseException:
            self.abort()
            raise

    def __enter__(self) -> ParquetSink:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def write_table(path: Path, table: pa.Table) -> None:
    with ParquetSink(path, table.schema) as sink:
        sink.write(table)


def chunked(items: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
