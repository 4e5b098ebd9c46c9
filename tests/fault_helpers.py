"""Fixtures for the fault tests: a day's lake tables written in seconds, warehouse snapshots,
Dagster homes with this repository's dagster.yaml, runs that hold a pool slot, and a tmpfs."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import yaml

from assets.clean import PARAGRAPHS_SCHEMA
from assets.quality import ARTICLES_SCHEMA
from newskit.dedup import SIGNATURE_SCHEMA, article_signatures
from newskit.records import RAW_SCRAPES_SCHEMA
from warehouse.lake import table_file, write_table

REPO = Path(__file__).resolve().parents[1]
ARTICLES = yaml.safe_load((Path(__file__).parent / "data" / "quality_articles.yaml").read_text(encoding="utf-8"))
TABLES = ["raw_scrapes", "articles", "paragraphs", "article_signatures", "duplicates", "quarantine", "source_health"]


def write_day_tables(lake: Path, day: date, names: list[str]) -> None:
    """What the quality step leaves for the load: one scrape and one article per invented article."""
    fetched = datetime(day.year, day.month, day.day, 8, tzinfo=timezone.utc)
    raw, articles, paragraphs = [], [], []
    for i, name in enumerate(names):
        text = "\n\n".join(ARTICLES[name]["paragraphs"])
        content = f"<html><body><article><p>{text}</p></article></body></html>".encode()
        scrape_id, article_id = f"s-{day}-{name}", f"a-{day}-{name}"
        raw.append({"scrape_id": scrape_id, "partition_date": day, "source": f"{day}/{name}.html", "source_kind": "file",
                    "url": f"https://news.test/{name}", "site": "news.test", "fetched_at": fetched + timedelta(minutes=i),
                    "content_type": "html", "sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content),
                    "content": content})
        articles.append({"article_id": article_id, "scrape_id": scrape_id, "partition_date": day,
                         "url": f"https://news.test/{name}", "canonical_url": f"https://news.test/{name}",
                         "domain": "news.test", "title": ARTICLES[name]["title"], "authors": ["A. Writer"],
                         "published_at": fetched, "fetched_at": fetched, "language": "en", "body": text,
                         "word_count": len(text.split()), "content_sha256": hashlib.sha256(text.encode()).hexdigest(),
                         "status": "ok", "extractor_version": "test"})
        start = 0
        for no, paragraph in enumerate(ARTICLES[name]["paragraphs"]):
            paragraphs.append({"article_id": article_id, "partition_date": day, "paragraph_no": no, "kind": "body",
                               "text": paragraph, "char_start": start, "char_end": start + len(paragraph)})
            start += len(paragraph) + 2
    write_table(table_file(lake, "raw_scrapes", day), pa.Table.from_pylist(raw, schema=RAW_SCRAPES_SCHEMA))
    article_table = pa.Table.from_pylist(articles, schema=ARTICLES_SCHEMA)
    write_table(table_file(lake, "articles", day), article_table)
    write_table(table_file(lake, "paragraphs", day), pa.Table.from_pylist(paragraphs, schema=PARAGRAPHS_SCHEMA))
    signatures = article_signatures(article_table.select(["article_id", "body"]))
    schema = SIGNATURE_SCHEMA.insert(1, pa.field("partition_date", pa.date32()))
    write_table(table_file(lake, "article_signatures", day),
                signatures.add_column(1, "partition_date", pa.array([day] * signatures.num_rows, pa.date32())).cast(schema))


def snapshot(warehouse: Path, tables: list[str] = TABLES) -> dict[str, list[tuple]]:
    """Every row of the tables the load writes, sorted: two warehouses are equal when these are."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {t: sorted(con.execute(f"SELECT * FROM news.{t}").fetchall(), key=repr) for t in tables}
    finally:
        con.close()


def dagster_home(path: Path, **storage_config: object) -> Path:
    """A DAGSTER_HOME with this repository's dagster.yaml, storage settings overridden (and the
    storage folder spelled out, so that DagsterInstance.from_config works without the env var)."""
    config = yaml.safe_load((REPO / "dagster.yaml").read_text())
    config["storage"]["custom"]["config"].update({"base_dir": str(path), **storage_config})
    path.mkdir(parents=True, exist_ok=True)
    (path / "dagster.yaml").write_text(yaml.safe_dump(config))
    return path


def started_run(instance, pid: int, partition: str):
    """Record a STARTED run of ingest_job whose process is `pid` (as its executor announces it)."""
    from dagster._core.events import EngineEventData
    from dagster._core.storage.dagster_run import DagsterRun, DagsterRunStatus
    from dagster._core.utils import make_new_run_id

    run = instance.add_run(DagsterRun(job_name="ingest_job", run_id=make_new_run_id(), status=DagsterRunStatus.STARTED,
                                      tags={"dagster/partition": partition}))
    instance.report_engine_event(f"Executing steps in process (pid: {pid})", run, EngineEventData.in_process(pid))
    return run


def hold_writer_slot(instance, pid: int, partition: str) -> str:
    """A started run (above) holding the `warehouse_writer` slot, the way a run killed inside its
    load leaves it; returns its run id."""
    run = started_run(instance, pid, partition)
    storage = instance.event_log_storage
    storage.initialize_concurrency_limit_to_default("warehouse_writer")
    assert storage.claim_concurrency_slot("warehouse_writer", run.run_id, "news__warehouse", 0).is_claimed
    return run.run_id


def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@contextmanager
def tmpfs(path: Path, size: str):
    """Mount a tmpfs of `size` at `path` (needs root; the caller skips otherwise)."""
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=True, capture_output=True)
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def can_mount_tmpfs(scratch: Path) -> bool:
    if os.geteuid() != 0:
        return False
    try:
        with tmpfs(scratch / "probe", "1m"):
            return True
    except (subprocess.CalledProcessError, OSError):
        return False


def fill_disk(folder: Path, leave_bytes: int = 0) -> Path:
    """Write a filler file until `leave_bytes` remain free on the disk holding `folder`."""
    stat = os.statvfs(folder)
    filler = folder / "filler"
    with filler.open("wb") as handle:
        handle.write(b"\0" * max(0, stat.f_bavail * stat.f_frsize - leave_bytes))
    return filler
