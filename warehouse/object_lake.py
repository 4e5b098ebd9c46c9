"""The lake on object storage (`s3://bucket/prefix`), so that stages can run on machines sharing no disk.

The stages read and write the lake through plain local paths (warehouse/lake.py: atomic renames,
page checksums, damage handling). With an object-store lake root, that local folder is a working
copy: before a step of day D runs, the files it may read are fetched (every file of D, and of
the window days before D the ones a stage reads: raw scrapes and template keys for the site
templates, the articles table for publisher health); after it, the files it wrote or changed
are uploaded. Each object is written whole by one PUT, so a reader on another machine sees the
previous file or the new one, never part of one. The layout under the prefix is the lake's own
(`stage/<stage>/partition_date=D/data.parquet`, `tables/<table>/...`): Spark, Trino or DuckDB
read it in place.

The filesystem is pyarrow's S3FileSystem: credentials from the usual AWS variables or instance
profile, and an endpoint override for S3-compatible stores (MinIO, Ceph, a test server).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow.fs as pafs

# window days: what a step of day D reads of the days before it
WINDOW_FILES = ("stage/raw_scrapes", "stage/template_keys", "tables/articles")
KINDS = ("stage", "tables")


class ObjectLakeError(ValueError):
    """A lake URI or endpoint a user can fix; the message says how."""


def is_object_uri(uri: str) -> bool:
    return urlsplit(uri).scheme in {"s3", "s3a"}


def s3_filesystem(endpoint: str = "", region: str = "") -> pafs.S3FileSystem:
    options: dict[str, object] = {"region": region or os.environ.get("AWS_REGION") or "us-east-1"}
    if endpoint:
        parts = urlsplit(endpoint)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ObjectLakeError(f"lake endpoint {endpoint!r} must be a URL such as http://127.0.0.1:9000")
        options |= {"endpoint_override": parts.netloc, "scheme": parts.scheme}
    return pafs.S3FileSystem(**options)


@dataclass
class ObjectLake:
    """A working copy `local` of the lake at `uri`; `pulled` remembers what was fetched (size, mtime)."""

    uri: str
    local: Path
    filesystem: pafs.FileSystem
    pulled: dict[str, tuple[int, int]] = field(default_factory=dict)

    @classmethod
    def open(cls, uri: str, local: Path, endpoint: str = "") -> ObjectLake:
        if not is_object_uri(uri):
            raise ObjectLakeError(f"{uri!r} is not an object-store URI (s3://bucket/prefix)")
        return cls(uri, local, s3_filesystem(endpoint))

    @property
    def root(self) -> str:
        parts = urlsplit(self.uri)
        if not parts.netloc:
            raise ObjectLakeError(f"lake URI {self.uri!r} names no bucket: use s3://bucket/prefix")
        return f"{parts.netloc}/{parts.path.strip('/')}".rstrip("/")

    def _names(self, kind: str) -> list[str]:
        selector = pafs.FileSelector(f"{self.root}/{kind}", allow_not_found=True, recursive=False)
        return sorted(info.base_name for info in self.filesystem.get_file_info(selector)
                      if info.type == pafs.FileType.Directory)

    def keys_for(self, day: date, window_days: int) -> list[str]:
        """Lake-relative keys a step of `day` may read: every file of the day, and WINDOW_FILES of the
        `window_days` before it (one listing per stage or table name, never of the whole history)."""
        window = [day - timedelta(days=n) for n in range(1, window_days + 1)]
        keys = [f"{kind}/{name}/partition_date={day.isoformat()}/data.parquet"
                for kind in KINDS for name in self._names(kind)]
        keys += [f"{folder}/partition_date={d.isoformat()}/data.parquet" for folder in WINDOW_FILES for d in window]
        return keys

    def pull(self, day: date, window_days: int) -> int:
        """Fetch the objects of `keys_for(day)` that exist; returns how many."""
        keys = self.keys_for(day, window_days)
        infos = self.filesystem.get_file_info([f"{self.root}/{key}" for key in keys])
        fetched = 0
        for key, info in zip(keys, infos):
            target = self.local / key
            if info.type != pafs.FileType.File:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.{os.getpid()}.pull.tmp")
            with self.filesystem.open_input_stream(info.path) as source, tmp.open("wb") as out:
                while chunk := source.read(1 << 22):
                    out.write(chunk)
            os.replace(tmp, target)
            stat = target.stat()
            self.pulled[key] = (stat.st_size, stat.st_mtime_ns)
            fetched += 1
        return fetched

    def start_step(self, day: date, window_days: int) -> int:
        """Before a step of `day`: fetch what it may read (`pull`); `end_step` sends back what it wrote."""
        self.step_days = [day - timedelta(days=n) for n in range(window_days + 1)]
        return self.pull(day, window_days)

    def end_step(self) -> int:
        return self.push(getattr(self, "step_days", []))

    def push(self, days: Iterable[date]) -> int:
        """Upload the working copy's files of `days` that are new or changed since `pull`; returns how many."""
        sent = 0
        for day in days:
            for path in sorted(self.local.glob(f"*/*/partition_date={day.isoformat()}/data.parquet")):
                key = path.relative_to(self.local).as_posix()
                stat = path.stat()
                if self.pulled.get(key) == (stat.st_size, stat.st_mtime_ns):
                    continue
                with path.open("rb") as source, self.filesystem.open_output_stream(f"{self.root}/{key}") as out:
                    while chunk := source.read(1 << 22):
                        out.write(chunk)
                self.pulled[key] = (stat.st_size, stat.st_mtime_ns)
                sent += 1
        return sent
