"""Settings in one place: every run-time setting is a field of NewsSettings, environment variables
reach the code location as dg.EnvVar (resolved when a run starts), nothing needs to be set."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq
import pytest

import pipelines.settings
from assets.raw import raw_scrapes
from pipelines.settings import DEFAULT_SCRAPES_DIR, DEFAULT_WAREHOUSE, NewsSettings, SettingsError
from tests.landing_fixture import DAY, EXPECTED_DAY, write_landing
from warehouse.lake import stage_file

VARIABLES = {"scrapes_dir": "NEWS_SCRAPES_DIR", "warehouse_path": "NEWS_WAREHOUSE", "sources_file": "NEWS_SOURCES",
             "spacy_model": "NEWS_SPACY_MODEL", "max_raw_bytes": "NEWS_MAX_RAW_BYTES",
             "workers": "NEWS_WORKERS", "data_docs_runs_kept": "NEWS_DATA_DOCS_RUNS", "alert_webhook_url": "NEWS_ALERT_WEBHOOK",
             "lake_uri": "NEWS_LAKE", "lake_endpoint": "NEWS_LAKE_ENDPOINT"}


def test_every_variable_is_a_described_field_and_nothing_needs_setting() -> None:
    assert NewsSettings.environment_variables() == VARIABLES
    defaults = NewsSettings.from_env({})
    assert defaults.scrapes == DEFAULT_SCRAPES_DIR and defaults.warehouse == DEFAULT_WAREHOUSE
    assert defaults.sources is None and defaults.limits.max_raw_bytes == 5_000_000
    assert defaults.workers == 0  # every core
    fields = defaults.get_resource_definition().config_schema.config_type.fields
    for name, field in fields.items():  # what the Launchpad and the resource page show per setting
        assert field.description, name
        if name in VARIABLES:
            assert VARIABLES[name] in field.description


def test_workers_are_every_core_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipelines.settings, "default_workers", lambda: 6)  # the cores the run's process may use
    assert NewsSettings.from_env({}).worker_count == 6
    assert NewsSettings.from_env({"NEWS_WORKERS": "3"}).worker_count == 3
    with pytest.raises(SettingsError, match=r"NEWS_WORKERS\) must be 0 \(every core\)"):
        NewsSettings(workers=-1).worker_count


def test_the_code_location_reads_set_variables_as_env_vars(tmp_path: Path) -> None:
    env = {"NEWS_SCRAPES_DIR": str(tmp_path / "in"), "NEWS_MAX_RAW_BYTES": "2_000_000", "NEWS_SOURCES": " "}
    plain = NewsSettings.from_env(env)
    assert plain.scrapes == tmp_path / "in" and plain.max_raw_bytes == 2_000_000 and plain.sources is None
    resource = NewsSettings.from_env(env, as_env_vars=True)
    assert isinstance(resource.scrapes_dir, dg.EnvVar) and resource.scrapes_dir.env_var_name == "NEWS_SCRAPES_DIR"
    assert resource.warehouse_path == str(DEFAULT_WAREHOUSE)  # unset: the default, not an EnvVar that would fail
    with pytest.raises(SettingsError, match=r"NEWS_MAX_RAW_BYTES='5 MB' must be a whole number"):
        NewsSettings.from_env({"NEWS_MAX_RAW_BYTES": "5 MB"}, as_env_vars=True)


def test_an_env_var_is_resolved_when_the_run_starts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    landing = write_landing(tmp_path / "scrapes")
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    monkeypatch.setenv("NEWS_SCRAPES_DIR", "/nowhere")  # what the code location saw when it loaded
    monkeypatch.setenv("NEWS_WAREHOUSE", str(warehouse))
    resource = NewsSettings.from_env(as_env_vars=True)
    monkeypatch.setenv("NEWS_SCRAPES_DIR", str(landing))  # the run's environment
    result = dg.materialize([raw_scrapes], partition_key=DAY, resources={"settings": resource})
    assert result.success
    assert pq.read_table(stage_file(warehouse.parent / "lake", "raw_scrapes", date.fromisoformat(DAY))).num_rows == len(EXPECTED_DAY)
