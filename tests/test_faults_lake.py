"""Damaged and half-written lake files: named with their repair, restored, swept; Data Docs retention."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from expectations.run_suites import prune_data_docs
from newskit.records import RAW_SCRAPES_SCHEMA
from tests.fault_helpers import dead_pid, snapshot, write_day_tables
from warehouse.lake import LakeFileError, ParquetSink, iter_batches, stage_file, sweep_temp_files, table_file, write_table
from warehouse.load import load_partition
from warehouse.repair import repair_raw_stage, restore_raw_stage

DAY = date(2026, 5, 4)


def raw_rows(n: int = 300) -> pa.Table:
    rows = [{"scrape_id": f"s{i}", "partition_date": DAY, "source": f"{DAY}/p{i}.html", "source_kind": "file",
             "url": f"https://news.test/{i}", "site": "news.test", "fetched_at": None, "content_type": "html",
             "sha256": "0" * 64, "bytes": 2000, "content": os.urandom(2000),
             "reject_reason": "too_large" if i % 7 == 0 else None, "reject_detail": "capped" if i % 7 == 0 else None}
            for i in range(n)]
    return pa.Table.from_pylist(rows, schema=RAW_SCRAPES_SCHEMA)


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [truncate, flip_byte])
def test_a_damaged_stage_file_is_named_with_the_command_that_rebuilds_it(tmp_path: Path, damage):
    path = stage_file(tmp_path / "lake", "extracted", DAY)
    write_table(path, raw_rows())
    damage(path)
    with pytest.raises(LakeFileError) as failure:
        list(iter_batches(path))
    message = str(failure.value)
    assert str(path) in message
    assert f"--select 'extracted*' --partition {DAY}" in message and "reextract_job" in message


def test_the_load_names_a_damaged_table_file_before_touching_the_warehouse(tmp_path: Path):
    lake = tmp_path / "lake"
    warehouse = tmp_path / "warehouse.duckdb"
    write_day_tables(lake, DAY, ["drought_a", "bridge"])
    load_partition(warehouse, lake, DAY, publish=False)
    before = snapshot(warehouse)
    damaged = table_file(lake, "paragraphs", DAY)
    truncate(damaged)
    with pytest.raises(LakeFileError, match="paragraphs/partition_date=2026-05-04/data.parquet"):
        load_partition(warehouse, lake, DAY, publish=False)
    assert snapshot(warehouse) == before


def test_a_damaged_raw_stage_file_is_restored_from_its_copy(tmp_path: Path):
    lake = tmp_path / "lake"
    raw = raw_rows()
    write_table(stage_file(lake, "raw_scrapes", DAY), raw)
    write_table(table_file(lake, "raw_scrapes", DAY), raw)  # what the quality step copies for the load
    truncate(stage_file(lake, "raw_scrapes", DAY))
    heard: list[str] = []
    repair_raw_stage(lake, tmp_path / "warehouse.duckdb", DAY, log=heard.append)
    assert pq.read_table(stage_file(lake, "raw_scrapes", DAY)).equals(raw)
    assert (stage_file(lake, "raw_scrapes", DAY).parent / "data.parquet.corrupt").exists()
    assert len(heard) == 1 and "lake/tables/raw_scrapes" in heard[0] and "unreadable" in heard[0]
    repair_raw_stage(lake, tmp_path / "warehouse.duckdb", DAY, log=heard.append)
    assert len(heard) == 1, "an intact file is left alone"


def test_the_raw_stage_comes_back_from_the_warehouse_when_the_lake_copy_is_gone_too(tmp_path: Path):
    lake = tmp_path / "lake"
    warehouse = tmp_path / "warehouse.duckdb"
    write_day_tables(lake, DAY, ["drought_a", "bridge"])
    load_partition(warehouse, lake, DAY, publish=False)
    expected = pq.read_table(table_file(lake, "raw_scrapes", DAY))
    write_table(stage_file(lake, "raw_scrapes", DAY), expected)
    flip_byte(stage_file(lake, "raw_scrapes", DAY))
    table_file(lake, "raw_scrapes", DAY).unlink()
    assert restore_raw_stage(lake, warehouse, DAY) == str(warehouse)
    restored = pq.read_table(stage_file(lake, "raw_scrapes", DAY)).sort_by("scrape_id")
    assert restored.select(["scrape_id", "content", "sha256"]).equals(expected.sort_by("scrape_id").select(["scrape_id", "content", "sha256"]))


def test_no_copy_left_says_what_to_do(tmp_path: Path):
    lake = tmp_path / "lake"
    write_table(stage_file(lake, "raw_scrapes", DAY), raw_rows(20))
    truncate(stage_file(lake, "raw_scrapes", DAY))
    with pytest.raises(LakeFileError, match="No copy of the day's raw scrapes is readable.*re-run the day"):
        repair_raw_stage(lake, tmp_path / "warehouse.duckdb", DAY, log=print)


def test_the_repair_command_restores_a_raw_file(tmp_path: Path):
    lake = tmp_path / "wh" / "lake"
    raw = raw_rows(30)
    write_table(stage_file(lake, "raw_scrapes", DAY), raw)
    write_table(table_file(lake, "raw_scrapes", DAY), raw)
    truncate(stage_file(lake, "raw_scrapes", DAY))
    proc = subprocess.run([sys.executable, "-m", "warehouse.repair", "raw", DAY.isoformat()],
                          env=os.environ | {"NEWS_WAREHOUSE": str(tmp_path / "wh" / "warehouse.duckdb")},
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "restored" in proc.stdout and pq.read_table(stage_file(lake, "raw_scrapes", DAY)).equals(raw)


def test_temporary_files_of_dead_writers_are_swept_and_live_ones_kept(tmp_path: Path):
    folder = stage_file(tmp_path / "lake", "nlp_entities", DAY).parent
    folder.mkdir(parents=True)
    dead = folder / f".data.parquet.{dead_pid()}.{'a' * 32}.tmp"
    live = folder / f".data.parquet.{os.getpid()}.{'b' * 32}.tmp"
    legacy_old, legacy_new = folder / ".data.parquet.tmp", folder / ".other.tmp"
    for path in (dead, live, legacy_old, legacy_new):
        path.write_bytes(b"PAR1 half a file")
    old = time.time() - 2 * 24 * 3600
    os.utime(legacy_old, (old, old))
    with ParquetSink(folder / "data.parquet", pa.schema([("x", pa.int32())])) as sink:
        sink.write_rows([{"x": 1}])
    left = {p.name for p in folder.iterdir()}
    assert left == {"data.parquet", live.name, legacy_new.name}
    assert sweep_temp_files(folder) == []


def test_a_failed_writer_leaves_the_previous_file_and_no_temporary_file(tmp_path: Path):
    path = stage_file(tmp_path / "lake", "cleaned_articles", DAY)
    write_table(path, raw_rows(10))
    previous = path.read_bytes()
    with pytest.raises(RuntimeError):
        with ParquetSink(path, RAW_SCRAPES_SCHEMA) as sink:
            sink.write(raw_rows(5))
            raise RuntimeError("killed half way")
    assert path.read_bytes() == previous and [p.name for p in path.parent.iterdir()] == ["data.parquet"]


def test_data_docs_keep_the_newest_runs(tmp_path: Path):
    root = tmp_path / "data_docs"
    made = []
    for i in range(6):
        run = root / f"2026-05-0{1 + i % 3}" / f"run{i}"
        run.mkdir(parents=True)
        (run / "index.html").write_text("x" * 1000)
        os.utime(run, (1_000_000 + i, 1_000_000 + i))
        made.append(run)
    current = root / "2026-05-09" / "run-now"
    deleted = prune_data_docs(root, keep_runs=3, current=current)
    assert deleted == made[:4]
    assert sorted(p.name for p in root.glob("*/*")) == ["run4", "run5"]  # plus the one about to be built
    assert not (root / "2026-05-01").exists(), "a day left without runs goes too"


def test_another_days_damaged_template_rows_are_recomputed_from_its_raw_scrapes(settings):
    """Template rows are derived: a damaged file of an earlier day in the window is rebuilt from
    that day's raw scrapes (site templates depend on the window's raw scrapes alone)."""
    import dagster as dg

    from assets.clean import window_day_template_rows
    from tests.landing_fixture import DAY as LANDED
    from tests.pipeline_helpers import all_assets

    day = date.fromisoformat(LANDED)
    selection = [dg.AssetKey("raw_scrapes"), dg.AssetKey("extracted"), dg.AssetKey("cleaned")]
    assert dg.materialize(all_assets(), selection=selection, partition_key=LANDED, resources={"settings": settings}).success
    path = stage_file(settings.lake, "template_keys", day)
    before = pq.read_table(path).replace_schema_metadata(None)
    assert before.num_rows > 0
    truncate(path)
    again = window_day_template_rows(settings.lake, day, settings.limits).replace_schema_metadata(None)
    assert again.equals(before)
    assert pq.read_table(path).replace_schema_metadata(None).equals(before), "the damaged file was rewritten"
