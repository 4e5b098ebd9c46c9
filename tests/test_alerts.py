"""Failed runs reach a person: the failure sensor writes the alerts file and POSTs the webhook."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from pipelines.alerts import failure_alerts
from pipelines.definitions import defs
from pipelines.settings import NewsSettings
from tests.web_fixture_server import post_receiver

DAY = "2026-05-02"


@pytest.fixture
def webhook():
    with post_receiver() as (url, received):
        yield url, received


def failed_run(tmp_path: Path) -> tuple[dg.DagsterInstance, dg.ExecuteInProcessResult]:
    """A real run of the pipeline that fails in its first step (a warehouse file DuckDB cannot name)."""
    instance = dg.DagsterInstance.ephemeral()
    (tmp_path / "scrapes" / DAY).mkdir(parents=True)
    broken = NewsSettings(scrapes_dir=str(tmp_path / "scrapes"), warehouse_path=str(tmp_path / "news.duckdb"))
    result = dg.materialize(list(defs.assets), partition_key=DAY, instance=instance, resources={"settings": broken},
                            raise_on_error=False)
    assert not result.success
    return instance, result


def sensor_context(instance: dg.DagsterInstance, result: dg.ExecuteInProcessResult) -> dg.RunFailureSensorContext:
    return dg.build_run_status_sensor_context(
        sensor_name="failure_alerts", dagster_instance=instance, dagster_run=instance.get_run_by_id(result.run_id),
        dagster_event=result.get_run_failure_event(),
    ).for_run_failure()


def test_a_failed_run_is_one_line_in_the_alerts_file_and_one_post(tmp_path: Path, webhook):
    url, received = webhook
    instance, result = failed_run(tmp_path)
    settings = NewsSettings(warehouse_path=str(tmp_path / "wh" / "warehouse.duckdb"), alert_webhook_url=url)
    failure_alerts(sensor_context(instance, result), settings=settings)
    lines = (tmp_path / "wh" / "alerts.log").read_text().splitlines()
    assert len(lines) == 1
    line = lines[0]
    assert f"FAILED job={result.job_def.name} partition={DAY} step=raw_scrapes run={result.run_id}" in line
    assert "SettingsError: NEWS_WAREHOUSE=" in line and "ambiguous" in line  # the step's own error, on one line
    assert len(received) == 1
    assert received[0]["text"] == line
    assert received[0]["partition"] == DAY and received[0]["steps"] == ["raw_scrapes"] and received[0]["run_id"] == result.run_id


def test_a_webhook_that_is_down_does_not_lose_the_alert(tmp_path: Path):
    instance, result = failed_run(tmp_path)
    settings = NewsSettings(warehouse_path=str(tmp_path / "wh" / "warehouse.duckdb"), alert_webhook_url="http://127.0.0.1:9/hook")
    failure_alerts(sensor_context(instance, result), settings=settings)
    failure_alerts(sensor_context(instance, result), settings=settings)
    assert len((tmp_path / "wh" / "alerts.log").read_text().splitlines()) == 2


def test_a_run_whose_process_died_alerts_with_the_reason(tmp_path: Path):
    from dagster._core.events import EngineEventData

    from tests.fault_helpers import dead_pid, started_run

    instance = dg.DagsterInstance.ephemeral()
    run = started_run(instance, dead_pid(), DAY)
    # what Dagster's code server reports when the run process it launched is gone
    instance.report_engine_event("Run execution process for the run was terminated by signal 9 (SIGKILL).", run,
                                 EngineEventData())
    instance.report_run_failed(run)
    failure = instance.get_records_for_run(run.run_id, of_type=dg.DagsterEventType.RUN_FAILURE).records[0]
    context = dg.build_run_status_sensor_context(
        sensor_name="failure_alerts", dagster_instance=instance, dagster_run=instance.get_run_by_id(run.run_id),
        dagster_event=failure.event_log_entry.dagster_event,
    ).for_run_failure()
    settings = NewsSettings(warehouse_path=str(tmp_path / "warehouse.duckdb"))
    failure_alerts(context, settings=settings)
    line = (tmp_path / "alerts.log").read_text()
    assert f"job=ingest_job partition={DAY} step=- run={run.run_id}" in line
    assert "terminated by signal 9 (SIGKILL)" in line


def test_the_sensor_is_registered_and_on_by_default():
    sensor = defs.resolve_sensor_def("failure_alerts")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
