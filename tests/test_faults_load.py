"""The load under faults: kill -9 inside its transaction and during the copy for analysts, a full
disk, and an analyst's session holding the warehouse file."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.fault_helpers import can_mount_tmpfs, fill_disk, snapshot, tmpfs, write_day_tables
from warehouse.connection import DiskFullError, WarehouseLockedError, connect
from warehouse.lake import ParquetSink, table_file
from warehouse.load import load_partition, published_path

DAY1, DAY2 = date(2026, 5, 4), date(2026, 5, 5)

KILLABLE_LOAD = """
import sys, time
from datetime import date
from pathlib import Path
import warehouse.load as load
import warehouse.publish as publish

warehouse, lake, day, point = Path(sys.argv[1]), Path(sys.argv[2]), date.fromisoformat(sys.argv[3]), sys.argv[4]
refresh = load.refresh_duplicates
copy = publish._copy

def refresh_then_wait(con, *args):  # the day's rows are replaced and the links recomputed, not committed
    done = refresh(con, *args)
    if point == "transaction":
        print("inside the transaction", flush=True)
        time.sleep(300)
    return done

def copy_half_then_wait(con, select, target, params=None):
    if target.name == "schema.parquet":
        return copy(con, select, target, params)
    publish.temp_path(target).write_bytes(b"PAR1 half a file")
    print("half of the first day file written", flush=True)
    time.sleep(300)

load.refresh_duplicates = refresh_then_wait
publish._copy = copy_half_then_wait
load.load_partition(warehouse, lake, day)
"""


@pytest.fixture
def lake(tmp_path: Path) -> Path:
    lake = tmp_path / "wh" / "lake"
    write_day_tables(lake, DAY1, ["drought_a", "bridge"])
    write_day_tables(lake, DAY2, ["drought_b", "robotics", "drought_a"])  # an exact copy of day 1's article
    return lake


@pytest.fixture
def warehouse(lake: Path) -> Path:
    path = lake.parent / "warehouse.duckdb"
    load_partition(path, lake, DAY1)
    return path


@pytest.fixture
def expected(tmp_path: Path, warehouse: Path, lake: Path) -> dict:
    """The tables after an uninterrupted load of day 2."""
    reference = tmp_path / "reference" / "warehouse.duckdb"
    reference.parent.mkdir()
    shutil.copyfile(warehouse, reference)
    load_partition(reference, lake, DAY2, publish=False)
    tables = snapshot(reference)
    assert tables["duplicates"], "day 2 should link its copy of day 1's article"
    return tables


def kill_load_at(point: str, warehouse: Path, lake: Path, day: date) -> None:
    child = subprocess.Popen([sys.executable, "-c", KILLABLE_LOAD, str(warehouse), str(lake), day.isoformat(), point],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip(), "the load did not reach the kill point"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()


def test_kill_inside_the_load_transaction_leaves_the_previous_state(warehouse: Path, lake: Path, expected: dict):
    before, published_before = snapshot(warehouse), snapshot(published_path(warehouse))
    kill_load_at("transaction", warehouse, lake, DAY2)
    assert snapshot(warehouse) == before
    assert snapshot(published_path(warehouse)) == published_before
    load_partition(warehouse, lake, DAY2)  # the re-run starts at once: DuckDB's lock died with the process
    assert snapshot(warehouse) == expected
    assert snapshot(published_path(warehouse)) == expected


def test_kill_while_publishing_keeps_the_published_files_whole(warehouse: Path, lake: Path, expected: dict):
    published = published_path(warehouse)
    published_before = snapshot(published)
    kill_load_at("publish", warehouse, lake, DAY2)
    assert snapshot(warehouse) == expected  # committed before publishing started
    assert snapshot(published) == published_before  # analysts still read the previous, whole files
    leftovers = list(published.parent.glob("tables/*/.*.tmp"))
    assert len(leftovers) == 1
    assert (published.parent / "tables" / "pending.json").exists()
    load_partition(warehouse, lake, DAY2)
    assert snapshot(published) == expected
    assert not list(published.parent.glob("tables/*/.*.tmp")), "the dead writer's half file is swept"
    assert not (published.parent / "tables" / "pending.json").exists()


def test_full_disk_says_so_and_changes_nothing(tmp_path: Path, warehouse: Path, lake: Path, expected: dict):
    if not can_mount_tmpfs(tmp_path):
        pytest.skip("mounting a tmpfs needs root")
    before = snapshot(warehouse)
    with tmpfs(tmp_path / "small", "24m") as disk:
        shutil.copytree(lake, disk / "lake")
        small = disk / "warehouse.duckdb"
        shutil.copyfile(warehouse, small)
        filler = fill_disk(disk)
        with pytest.raises(DiskFullError) as failure:
            load_partition(small, disk / "lake", DAY2)
        message = str(failure.value)
        assert "No space left on device" in message and str(small) in message
        assert "the warehouse keeps its previous state" in message and "re-run" in message
        assert "cannot rollback" not in message
        assert snapshot(small) == before
        filler.unlink()
        load_partition(small, disk / "lake", DAY2)
        assert snapshot(small) == expected
        assert snapshot(published_path(small)) == expected


def test_full_disk_in_the_lake_keeps_the_previous_file(tmp_path: Path, lake: Path):
    if not can_mount_tmpfs(tmp_path):
        pytest.skip("mounting a tmpfs needs root")
    import os

    import pyarrow as pa

    with tmpfs(tmp_path / "small", "4m") as disk:
        shutil.copytree(lake, disk / "lake")
        target = table_file(disk / "lake", "articles", DAY1)
        previous = target.read_bytes()
        fill_disk(disk, leave_bytes=64 * 1024)
        noise = pa.table({"x": [os.urandom(16384) for _ in range(256)]})  # 4 MB that do not compress
        with pytest.raises(DiskFullError, match="No space left on device") as failure:
            with ParquetSink(target, noise.schema) as sink:
                for _ in range(4):
                    sink.write(noise)
        assert str(target) in str(failure.value)
        assert target.read_bytes() == previous
        assert not list(target.parent.glob(".*.tmp"))


def test_a_reader_holding_the_file_is_named_and_no_read_only_advice(tmp_path: Path):
    path = tmp_path / "warehouse.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(path)!r}); print('ready', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )
    heard: list[str] = []
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(WarehouseLockedError) as failure:
            connect(path, wait_s=1.5, log=heard.append)
    finally:
        holder.kill()
        holder.wait()
    message = str(failure.value)
    assert f"pid {holder.pid} (python" in message and "duckdb.connect" in message
    assert "close that session" in message and "published" in message
    assert "read_only" not in message and "read-only" not in message and "duckdb.org" not in message
    assert failure.value.__cause__ is None and failure.value.__suppress_context__
    assert len(heard) == 1 and f"locked by pid {holder.pid}" in heard[0] and "waiting" in heard[0]
