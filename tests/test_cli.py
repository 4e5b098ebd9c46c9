"""The commands a user types, run in subprocesses against a temp warehouse."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import duckdb
import pytest

from tests.landing_fixture import DAY, EXPECTED_DAY

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
DAGSTER = Path(sys.executable).with_name("dagster")


def env_for(tmp_path: Path, landing: Path, warehouse: Path) -> dict[str, str]:
    home = tmp_path / "dagster_home"
    home.mkdir(exist_ok=True)
    (home / "dagster.yaml").write_text((REPO / "dagster.yaml").read_text())
    return os.environ | {
        "NEWS_SCRAPES_DIR": str(landing),
        "NEWS_WAREHOUSE": str(warehouse),
        "DAGSTER_HOME": str(home),
    }


def test_headless_materialize_command_ingests_one_day(tmp_path: Path, landing: Path):
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    proc = subprocess.run(
        [str(DAGSTER), "asset", "materialize", "-m", "pipelines.definitions", "--select", "*", "--partition", DAY],
        cwd=tmp_path, env=env_for(tmp_path, landing, warehouse), capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    con = duckdb.connect(str(warehouse), read_only=True)
    loaded = con.execute("SELECT count(*) FROM news.articles").fetchall()[0][0]
    held = con.execute("SELECT count(*) FROM news.quarantine").fetchall()[0][0]
    con.close()
    assert loaded + held == len(EXPECTED_DAY)
    assert loaded == sum(v == "article" for v in EXPECTED_DAY.values())


def test_cli_refuses_a_warehouse_named_news(tmp_path: Path, landing: Path):
    warehouse = tmp_path / "news.duckdb"
    proc = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "summary"],
        cwd=REPO, env=env_for(tmp_path, landing, warehouse), capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 2
    assert "ambiguous" in proc.stderr and "warehouse.duckdb" in proc.stderr


def test_locked_warehouse_says_what_to_do(tmp_path: Path):
    from warehouse.connection import WarehouseLockedError, connect

    path = tmp_path / "warehouse.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(path)!r}); print('ready', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(WarehouseLockedError, match="close that session"):
            connect(path, wait_s=1.0)
    finally:
        holder.kill()
        holder.wait()


def test_definitions_validate_and_ui_serves_the_asset_graph(tmp_path: Path, landing: Path):
    import json
    import socket
    import time
    import urllib.request

    env = env_for(tmp_path, landing, tmp_path / "wh" / "warehouse.duckdb")
    check = subprocess.run([str(DAGSTER), "definitions", "validate", "-w", "workspace.yaml"],
                           cwd=REPO, env=env, capture_output=True, text=True, timeout=180)
    assert check.returncode == 0, check.stderr[-2000:]

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [str(DAGSTER.with_name("dagster-webserver")), "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        query = json.dumps({"query": "{ assetNodes { assetKey { path } } }"}).encode()
        deadline = time.monotonic() + 120
        while True:
            try:
                req = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=query,
                                             headers={"Content-Type": "application/json"})
                with urllib.request.urlopen(req, timeout=5) as resp:
                    nodes = json.load(resp)["data"]["assetNodes"]
                if nodes:
                    break
            except (OSError, KeyError, TypeError):
                pass
            assert time.monotonic() < deadline, "dagster-webserver did not serve the asset graph in 120 s"
            time.sleep(1)
        keys = {"/".join(n["assetKey"]["path"]) for n in nodes}
        assert {"raw_scrapes", "extracted", "cleaned", "nlp", "quality", "news/articles", "news/entities"} <= keys
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_ingest_skips_folders_outside_the_partitions_and_names_the_day_that_failed(tmp_path: Path, landing: Path):
    from datetime import datetime, timezone

    from tests.landing_fixture import NEXT_DAY

    today = datetime.now(timezone.utc).date().isoformat()
    for name in ("1969-12-31", "2026-02-30", "not-a-day", today):
        (landing / name).mkdir()
        (landing / name / "page.txt").write_text("A story that must not be ingested.\n", encoding="utf-8")
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    # a fault for one day only: a file where the day's raw stage folder must go
    blocked = warehouse.parent / "lake" / "stage" / "raw_scrapes" / f"partition_date={NEXT_DAY}"
    blocked.parent.mkdir(parents=True)
    blocked.write_text("not a folder")
    env = env_for(tmp_path, landing, warehouse)
    proc = subprocess.run([sys.executable, "-m", "pipelines.cli", "ingest"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr[-3000:]
    for name, why in (("1969-12-31", "before the first partition day 2015-01-01"), ("2026-02-30", "not a calendar day"),
                      ("not-a-day", "not a day"), (today, "not a complete day yet")):
        assert f"warning: skipping folder {landing / name}: {why}" in proc.stderr
    failure = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert len(failure) == 1 and failure[0].startswith(f"error: {NEXT_DAY} failed at step raw_scrapes: FileExistsError")
    assert str(blocked) in failure[0]

    out = proc.stdout.splitlines()
    assert any(line.startswith(f"{DAY}  raw_scrapes") and " ok " in line and f"{len(EXPECTED_DAY)} scrapes" in line for line in out)
    assert any(line.startswith(f"{DAY}  nlp") and "entities" in line and "figures" in line for line in out)
    assert any(line.startswith(f"{NEXT_DAY}  day 2 of 2  (about ") for line in out), "no estimate after a day was timed"
    assert not any("\x1b[" in line for line in out), "escape codes in output that is not a terminal"
    articles = sum(v == "article" for v in EXPECTED_DAY.values())
    load_line = [line for line in out if line.startswith(f"{DAY}  load ") and " ok " in line]
    assert load_line and f"{len(EXPECTED_DAY)} raw scrapes, {articles} articles," in load_line[0], out
    day_row = [line for line in out if line.strip().startswith(DAY) and "loaded (" in line]
    fail_row = [line for line in out if line.strip().startswith(NEXT_DAY) and "FAILED at raw_scrapes" in line]
    assert day_row and fail_row, proc.stdout[-2000:]
    assert day_row[0].split()[4:6] == [str(len(EXPECTED_DAY)), str(articles)]

    con = duckdb.connect(str(warehouse), read_only=True)
    days = con.execute("SELECT DISTINCT partition_date::VARCHAR FROM news.raw_scrapes").fetchall()
    con.close()
    assert days == [(DAY,)]
    replay_on_a_terminal(Path(env["DAGSTER_HOME"]))


def replay_on_a_terminal(home: Path) -> None:
    """The same progress code on a terminal, fed from the event log of the run just recorded."""
    import io

    import dagster as dg
    from rich.console import Console

    from pipelines.progress import IngestProgress, RunEvents, StageTimes

    stages = ["raw_scrapes", "extracted", "cleaned", "nlp", "quality", "load"]
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=120)
    # dagster.yaml names its storage folder through $DAGSTER_HOME, as the run's own process saw it
    with mock.patch.dict(os.environ, {"DAGSTER_HOME": str(home)}), dg.DagsterInstance.from_config(str(home)) as instance:
        runs = instance.get_run_records(dg.RunsFilter(job_name="ingest_job", statuses=[dg.DagsterRunStatus.SUCCESS]))
        assert [r.dagster_run.tags["dagster/partition"] for r in runs] == [DAY]
        history = StageTimes.from_history(instance, "ingest_job", stages)
        assert history.left(set(), None, 0.0, days_after=1) > 0
        with IngestProgress(console, stages, [DAY], history) as progress:
            progress.day_started(0)
            RunEvents(instance, runs[0].dagster_run.run_id, progress.on_event).poll()
            progress.day_finished("loaded")
    text = buffer.getvalue()
    assert f"{DAY}  day 1 of 1  (about " in text  # estimated from the recorded run before it starts
    for stage in stages:
        assert f"{DAY}  {stage}" in text
    assert "steps ·" in text and "\x1b[" in text  # the live bar was drawn


def test_ingest_refuses_a_day_given_outside_the_partitions(capsys):
    from pipelines.cli import main

    assert main(["ingest", "1969-12-31", "2026-02-30"]) == 2
    err = capsys.readouterr().err
    assert "1969-12-31 is before the first partition day" in err and "2026-02-30 is not a calendar day" in err


def test_time_left_counts_and_folder_names(tmp_path: Path):
    from datetime import date

    import dagster as dg

    from pipelines.cli import landing_day_folders
    from pipelines.progress import StageTimes, format_counts, format_left

    times = StageTimes(["a", "b", "c"])
    times.add("a", 1.0)
    times.add("b", 4.0)
    assert times.left(set(), None, 0.0, 1) is None  # 'c' never timed
    times.add("c", 2.0)
    times.add("c", 4.0)
    assert times.left({"a"}, "b", 1.5, days_after=2) == 2.5 + 3.0 + 2 * 8.0
    assert format_left(None) == "time left: estimating" and format_left(125) == "about 2 min 05 s left"
    metadata = {"scrapes": dg.MetadataValue.int(1200), "by_type": dg.MetadataValue.json({}), "rows_x": dg.MetadataValue.int(3)}
    assert format_counts(metadata) == "1,200 scrapes"
    assert format_counts({"rows_articles": dg.MetadataValue.int(7)}) == "7 articles"
    table = {"dagster/row_count": dg.MetadataValue.int(12), "rows_all_days": dg.MetadataValue.int(40)}
    assert format_counts(table, dg.AssetKey(["news", "quality_flags"])) == "12 quality flags"

    for name in ("2026-03-14", "2026-03-15", "2026-03-16", "1969-12-31", ".hidden"):
        (tmp_path / name).mkdir()
    (tmp_path / "2026-03-13").write_text("a file, not a day folder")
    days, skipped = landing_day_folders(tmp_path, today=date(2026, 3, 16))
    assert days == ["2026-03-14", "2026-03-15"]
    assert [name for name, _ in skipped] == ["1969-12-31", "2026-03-16"]
