"""Failed runs reach a person without the UI: one line per failed run in an alerts file beside
the warehouse (`warehouse/alerts.log`) and, when NEWS_ALERT_WEBHOOK is set, the same message
POSTed as JSON (`{"text": ...}` plus the fields, which Slack-style webhooks accept).

The sensor runs in the daemon (`dagster-daemon run`, or `dagster dev`) and sees every failed run
of this instance: scheduled, sensor-launched, backfills, UI launches and headless commands alike.
A run whose process died is marked failed by run monitoring (dagster.yaml) and alerts the same way.
"""

from __future__ import annotations

import json
import urllib.request
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from pipelines.settings import NewsSettings

MAX_ERROR_CHARS = 500
GENERIC_FAILURE = "marked as failed from outside the execution context"
WEBHOOK_TIMEOUT_S = 10


@dataclass(frozen=True)
class FailureAlert:
    run_id: str
    job: str
    partition: str | None
    steps: list[str]
    error: str
    failed_at: str

    def line(self) -> str:
        return (
            f"{self.failed_at} FAILED job={self.job} partition={self.partition or '-'} "
            f"step={','.join(self.steps) or '-'} run={self.run_id} error={self.error}"
        )


def one_line(text: str, limit: int = MAX_ERROR_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def error_text(cls_name: str | None, message: str) -> str:
    """`Failure: NEWS_SCRAPES_DIR ... does not exist` rather than the class's full module path."""
    head, sep, rest = message.partition(": ")
    return f"{cls_name}: {rest}" if sep and cls_name and head.endswith(cls_name) else message


def failure_alert(context: dg.RunFailureSensorContext) -> FailureAlert:
    """Job, partition, failed steps and the first error of a failed run."""
    run = context.dagster_run
    steps, errors = [], []
    for event in context.get_step_failure_events():
        steps.append(event.step_key)
        error = event.step_failure_data.error
        while error is not None and error.cause is not None:  # Dagster wraps the step's own exception
            error = error.cause
        errors.append(error_text(error.cls_name, error.message) if error else event.message or "")
    error = errors[0] if errors else run_error(context)
    return FailureAlert(
        run_id=run.run_id,
        job=run.job_name,
        partition=run.tags.get("dagster/partition"),
        steps=steps,
        error=one_line(error),
        failed_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def run_error(context: dg.RunFailureSensorContext) -> str:
    """Why a run without a failed step failed. Dagster's code server, finding its run process dead,
    marks the run failed with a generic message and says why in the engine event before it."""
    message = context.failure_event.message or "run failed"
    if GENERIC_FAILURE not in message:
        return message
    before = context.instance.get_records_for_run(
        context.dagster_run.run_id, of_type=dg.DagsterEventType.ENGINE_EVENT, ascending=False, limit=1
    ).records
    return before[0].event_log_entry.message if before else message


def append_alert(path: Path, alert: FailureAlert) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(alert.line() + "\n")


def post_alert(url: str, alert: FailureAlert) -> None:
    body = json.dumps({"text": alert.line(), **asdict(alert)}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_S) as response:
        response.read()


@dg.run_failure_sensor(
    name="failure_alerts",
    description="Appends a line per failed run to alerts.log beside the warehouse and POSTs it to NEWS_ALERT_WEBHOOK.",
    default_status=dg.DefaultSensorStatus.RUNNING,
    monitor_all_code_locations=True,
    minimum_interval_seconds=30,
)
def failure_alerts(context: dg.RunFailureSensorContext, settings: NewsSettings) -> None:
    alert = failure_alert(context)
    append_alert(settings.alerts_file, alert)
    context.log.info(f"alert written to {settings.alerts_file}: {alert.line()}")
    if settings.alert_webhook_url:
        try:
            post_alert(settings.alert_webhook_url, alert)
        except OSError as exc:  # the file has the alert; a webhook that is down must not lose it
            context.log.warning(f"could not POST the alert to NEWS_ALERT_WEBHOOK: {exc}")
