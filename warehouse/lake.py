"""The Parquet lake beside the warehouse file, Hive-partitioned by day.

    lake/stage/<stage>/partition_date=YYYY-MM-DD/data.parquet   intermediate stage outputs
    lake/tables/<table>/partition_date=YYYY-MM-DD/data.parquet  what the load puts in news.<table>

Files are written to a temporary name and renamed, so a failed step never leaves half a file.
"""


import os
import uuid
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq



def stage_file(lake: Path, stage: str, day: date) -> Path:
    return lake / "stage" / stage / f"partition_date={day.isoformat()}" / "data.parquet"


def table_file(lake: Path, table: str, day: date) -> Path:
    return lake / "tables" / table / f"partition_date={day.isoformat()}" / "data.parquet"


def stage_history_glob(lake: Path, stage: str) -> str:
    return str(lake / "stage" / stage / "partition_date=*" / "data.parquet")


class ParquetSink:
    """Append Arrow batches to one Parquet file; the file appears only on `close()`."""

    def __init__(self, path: Path, schema: pa.Schema):
        self.path = path
        self.schema = schema
        path.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        self._writer = pq.ParquetWriter(self._tmp, schema, compression="zstd")
        self.rows = 0

    def write(self, table: pa.Table | pa.RecordBatch) -> None:
        if table.num_rows:
            if isinstance(table, pa.RecordBatch):
                table = pa.Table.from_batches([table])
            self._writer.write_table(table.cast(self.schema))
            self.rows += table.num_rows

    def write_rows(self, rows: list[dict]) -> None:
        if rows:
            self.write(pa.Table.from_pylist(rows, schema=self.schema))

    def close(self) -> None:
        self._writer.close()
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        self._writer.close()
        self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> "ParquetSink":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def write_table(path: Path, table: pa.Table) -> None:
    with ParquetSink(path, table.schema) as sink:
        sink.write(table)


def iter_batches(path: Path, columns: list[str] | None = None, batch_rows: int = 64) -> Iterator[pa.RecordBatch]:
    """Stream a Parquet file in small batches (a missing file is an empty stream)."""
    if not path.exists():
        return
    parquet = pq.ParquetFile(path)
    yield from parquet.iter_batches(batch_size=batch_rows, columns=columns)


def iter_rows(path: Path, columns: list[str] | None = None) -> Iterator[dict]:
    for batch in iter_batches(path, columns):
        yield from batch.to_pylist()


def chunked(items: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
