"""The code location: `dagster dev -w workspace.yaml` or `dagster ... -m pipelines.definitions`.

Loading it reads NEWS_FIRST_DAY (pipelines/deployment.py) and which settings variables are set
(pipelines/settings.py), and imports no model: spaCy, trafilatura and Great Expectations are
imported by the steps that use them (tests/test_catalog.py checks).

Every job, and the implicit asset job behind the asset graph's "Materialize" and `dagster asset
materialize`, runs its steps one after the other in the run's own process (`in_process_executor`):
the graph is a chain, so a process per step would only add a Python start, the imports and the
settings per step (README "Throughput"). The cores are used inside the extracted, cleaned and nlp
steps by their worker processes (`settings.workers`). Each asset still reports its own
materialization, metadata and checks, the `warehouse_writer` pool still holds loads to one at a
time, and the daemon still monitors and can terminate the run's process.
"""

import dagster as dg

from assets.clean import cleaned
from assets.extract import extracted
from assets.load import load
from assets.nlp import nlp
from assets.quality import quality
from assets.raw import raw_scrapes
from pipelines.alerts import failure_alerts
from pipelines.jobs import forget_scrapes_job, ingest_job, nightly_schedule, reextract_job
from pipelines.sensors import landing_sensor
from pipelines.settings import NewsSettings

defs = dg.Definitions(
    assets=[raw_scrapes, extracted, cleaned, nlp, quality, load],
    jobs=[ingest_job, reextract_job, forget_scrapes_job],
    schedules=[nightly_schedule],
    sensors=[landing_sensor, failure_alerts],
    resources={"settings": NewsSettings.from_env(as_env_vars=True)},
    executor=dg.in_process_executor,
)
