"""The lake on object storage: an S3-compatible server (moto's server mode) on 127.0.0.1.

Two "machines" share nothing but the bucket: one runs the stages of a day, the other (its own
folder, no lake files) runs only the load, and loads what the first wrote.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import dagster as dg
import pyarrow as pa
import pytest

from pipelines.settings import NewsSettings, ObjectLakeSettings, SettingsError
from tests.landing_fixture import DAY, STORM_HTML, WIRE_TEXT
from tests.pipeline_helpers import all_assets, counts, query
from warehouse.lake import stage_file, table_file, write_table
from warehouse.object_lake import ObjectLake, ObjectLakeError

BUCKET = "news-lake"


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint: str, monkeypatch) -> str:
    import boto3

    for name, value in {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    if BUCKET not in {b["Name"] for b in client.list_buckets()["Buckets"]}:
        client.create_bucket(Bucket=BUCKET)
    return s3_endpoint


def test_a_step_fetches_its_day_and_window_and_sends_back_what_changed(bucket: str, tmp_path: Path):
    day = date(2026, 6, 10)
    one = ObjectLake.open(f"s3://{BUCKET}/unit", tmp_path / "one", endpoint=bucket)
    rows = pa.table({"n": [1, 2, 3]})
    for offset in range(4):
        write_table(stage_file(one.local, "raw_scrapes", day - timedelta(days=offset)), rows)
        write_table(stage_file(one.local, "extracted", day - timedelta(days=offset)), rows)
    write_table(table_file(one.local, "articles", day), rows)
    assert one.push([day - timedelta(days=n) for n in range(4)]) == 9
    assert one.push([day]) == 0, "unchanged files are not sent again"

    two = ObjectLake.open(f"s3://{BUCKET}/unit", tmp_path / "two", endpoint=bucket)
    assert two.pull(day, window_days=2) == 5  # the day's 3 files, raw scrapes of the 2 window days
    fetched = sorted(p.relative_to(two.local).as_posix() for p in two.local.rglob("*.parquet"))
    assert "stage/extracted/partition_date=2026-06-09/data.parquet" not in fetched  # not read by a window day
    assert stage_file(two.local, "raw_scrapes", day - timedelta(days=2)).read_bytes() == \
        stage_file(one.local, "raw_scrapes", day - timedelta(days=2)).read_bytes()
    write_table(stage_file(two.local, "cleaned_articles", day), rows)
    assert two.push([day]) == 1, "only the new file goes back"

    with pytest.raises(ObjectLakeError, match="names no bucket"):
        ObjectLake.open("s3:///prefix", tmp_path, endpoint=bucket).root


def test_stages_and_load_on_machines_sharing_only_the_bucket(bucket: str, tmp_path: Path):
    landing = tmp_path / "scrapes"
    (landing / DAY).mkdir(parents=True)
    (landing / DAY / "storm.html").write_text(STORM_HTML, encoding="utf-8")
    (landing / DAY / "wire.txt").write_text(f"date {DAY}\n{WIRE_TEXT}", encoding="utf-8")
    lake = f"s3://{BUCKET}/lake"
    stages = ObjectLakeSettings(scrapes_dir=str(landing), warehouse_path=str(tmp_path / "a" / "warehouse.duckdb"),
                                lake_uri=lake, lake_endpoint=bucket)
    writer = NewsSettings.from_env({"NEWS_LAKE": lake, "NEWS_LAKE_ENDPOINT": bucket, "NEWS_SCRAPES_DIR": str(tmp_path / "x"),
                                    "NEWS_WAREHOUSE": str(tmp_path / "b" / "warehouse.duckdb")})
    assert isinstance(writer, ObjectLakeSettings), "NEWS_LAKE on object storage gives the syncing settings"
    with pytest.raises(SettingsError, match="set NEWS_LAKE in the code location's environment"):
        NewsSettings(warehouse_path=str(tmp_path / "c" / "warehouse.duckdb"), lake_uri=lake).lake
    quality = dg.AssetSelection.assets("quality")
    ran = dg.materialize(all_assets(), selection=quality | quality.upstream(), partition_key=DAY,
                         resources={"settings": stages})
    assert ran.success
    assert not stages.warehouse.exists(), "the stages' machine never opens the warehouse"
    assert not (tmp_path / "b" / "lake").exists()
    loaded = dg.materialize(all_assets(), selection=dg.AssetSelection.groups("warehouse"), partition_key=DAY,
                            resources={"settings": writer})
    assert loaded.success
    articles = query(writer.warehouse, "SELECT count(*) FROM news.articles")[0][0]
    assert articles == 2
    day = date.fromisoformat(DAY)
    staged = pa.parquet.read_table(table_file(stages.lake, "articles", day)).num_rows
    assert articles == staged
    assert counts(writer.warehouse)["raw_scrapes"] == pa.parquet.read_table(table_file(stages.lake, "raw_scrapes", day)).num_rows
