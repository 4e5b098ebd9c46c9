import dagster as dg

from pipelines.definitions import defs
from pipelines.deployment import FIRST_DAY

STAGES = {"raw_scrapes", "extracted", "cleaned", "nlp", "quality", "news/warehouse"}


def test_every_stage_is_a_daily_partitioned_asset():
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert STAGES <= keys
    for key in graph.get_all_asset_keys():
        partitions = graph.get(key).partitions_def
        assert isinstance(partitions, dg.DailyPartitionsDefinition)
        assert partitions.start.date() == FIRST_DAY and partitions.timezone == "UTC"  # tests/test_partitions.py


def test_graph_runs_in_stage_order():
    graph = defs.resolve_asset_graph()
    parents = lambda name: {k.to_user_string() for k in graph.get(dg.AssetKey.from_user_string(name)).parent_keys}
    assert parents("extracted") == {"raw_scrapes"}
    assert parents("cleaned") == {"extracted"}
    assert "quality" in parents("news/warehouse")


def test_checks_jobs_and_nightly_schedule():
    graph = defs.resolve_asset_graph()
    checks = {key.name for key in graph.asset_check_keys}
    assert {"scrapes_present", "nothing_lost"} <= checks
    assert defs.resolve_job_def("ingest_job") and defs.resolve_job_def("reextract_job")
    reextract = {k.to_user_string() for k in defs.resolve_job_def("reextract_job").asset_layer.selected_asset_keys}
    assert "raw_scrapes" not in reextract and {"extracted", "news/warehouse"} <= reextract
    schedule = defs.resolve_schedule_def("nightly_ingest")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert schedule.execution_timezone in (None, "UTC")


def test_only_the_load_writes_under_the_writer_pool():
    graph = defs.resolve_asset_graph()
    pools = {k.to_user_string(): graph.get(k).pools for k in graph.get_all_asset_keys()}
    assert pools["news/warehouse"] == {"warehouse_writer"}
    assert all(not p for k, p in pools.items() if k != "news/warehouse")
