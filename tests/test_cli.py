"""The commands a user types, run in subprocesses against a temp warehouse."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
        assert {"raw_scrapes", "extracted", "cleaned", "nlp", "quality", "news/warehouse"} <= keys
    finally:
        server.terminate()
        server.wait(timeout=30)
