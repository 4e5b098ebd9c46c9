import dagster as dg

from pipelines.definitions import defs
from pipelines.deployment import FIRST_DAY

from warehouse.contract import TABLES

STAGES = {"raw_scrapes", "extracted", "cleaned", "nlp", "quality"}
WAREHOUSE = {f"news/{t}" for t in TABLES}


def test_every_stage_is_a_daily_partitioned_asset():
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert STAGES | WAREHOUSE == keys
    for key in graph.get_all_asset_keys():
        partitions = graph.get(key).partitions_def
        assert isinstance(partitions, dg.DailyPartitionsDefinition)
        assert partitions.start.date() == FIRST_DAY and partitions.timezone == "UTC"  # tests/test_partitions.py


def test_graph_runs_in_stage_order():
    graph = defs.resolve_asset_graph()
    parents = lambda name: {k.to_user_string() for k in graph.get(dg.AssetKey.from_user_string(name)).parent_keys}
    assert parents("extracted") == {"raw_scrapes"}
    assert parents("cleaned") == {"extracted"}
    assert "quality" in parents("news/articles")
    assert parents("news/entities") == {"nlp", "quality"} and parents("news/fetch_log") == {"raw_scrapes"}
    assert parents("news/duplicates") == {"news/articles", "news/article_signatures"}


def test_checks_jobs_and_nightly_schedule():
    graph = defs.resolve_asset_graph()
    checks = {key.name for key in graph.asset_check_keys}
    assert {"scrapes_present", "nothing_lost", "gx_articles", "publisher_fill_rates"} <= checks
    assert defs.resolve_job_def("ingest_job") and defs.resolve_job_def("reextract_job")
    reextract = {k.to_user_string() for k in defs.resolve_job_def("reextract_job").asset_layer.selected_asset_keys}
    assert "raw_scrapes" not in reextract and {"extracted"} | WAREHOUSE <= reextract
    schedule = defs.resolve_schedule_def("nightly_ingest")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert schedule.execution_timezone in (None, "UTC")


def test_only_the_load_writes_under_the_writer_pool():
    graph = defs.resolve_asset_graph()
    pools = {k.to_user_string(): graph.get(k).pools for k in graph.get_all_asset_keys()}
    assert all(pools[k] == {"warehouse_writer"} for k in WAREHOUSE)
    assert all(not p for k, p in pools.items() if k not in WAREHOUSE)
    # one step writes them all
    assert {graph.get(dg.AssetKey.from_user_string(k)).assets_def.node_def.name for k in WAREHOUSE} == {"load"}
