"""Checks per day: every check result belongs to the partition it checked (a preview feature of
Dagster 1.13, pinned), so a WARN of one day stays failed for that day after another day passes; a
failing suite's metadata says what failed, against which bound, on which rows and what to do."""

from __future__ import annotations

from datetime import date

import dagster as dg
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from dagster._core.event_api import PartitionKeyFilter
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

import assets.quality
from pipelines.settings import NewsSettings
from tests.landing_fixture import DAY, NEXT_DAY, write_landing
from tests.pipeline_helpers import all_assets
from warehouse.lake import table_file

pytestmark = pytest.mark.slow
ENTITIES = dg.AssetCheckKey(dg.AssetKey(["news", "entities"]), "gx_entities")


def test_dagster_is_the_pinned_version() -> None:
    """Partitioned checks are a preview: an upgrade must come with these tests passing on it."""
    assert dg.__version__ == "1.13.27"


def _mislabel_entities(lake, day):
    counts = ORIGINAL_COPY(lake, day)
    path = table_file(lake, "entities", day)
    table = pq.read_table(path)
    index = table.schema.get_field_index("label")
    pq.write_table(table.set_column(index, "label", pa.array(["MYSTERY"] * table.num_rows, pa.string())), path)
    return counts


ORIGINAL_COPY = assets.quality.copy_children


@pytest.fixture(scope="module")
def two_days(tmp_path_factory: pytest.TempPathFactory):
    """One instance: DAY with its entity labels broken after staging (a WARN), then NEXT_DAY clean."""
    tmp = tmp_path_factory.mktemp("checks")
    settings = NewsSettings(scrapes_dir=str(write_landing(tmp / "scrapes")), warehouse_path=str(tmp / "wh" / "warehouse.duckdb"))
    instance = dg.DagsterInstance.ephemeral()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(assets.quality, "copy_children", _mislabel_entities)
        warned = dg.materialize(all_assets(), partition_key=DAY, resources={"settings": settings}, instance=instance)
    passed = dg.materialize(all_assets(), partition_key=NEXT_DAY, resources={"settings": settings}, instance=instance)
    assert warned.success and passed.success
    yield instance, settings, warned, passed
    instance.dispose()


def test_every_check_result_carries_its_partition(two_days) -> None:
    _, _, warned, passed = two_days
    for result, day in ((warned, DAY), (passed, NEXT_DAY)):
        evaluations = result.get_asset_check_evaluations()
        assert {e.check_name for e in evaluations} >= {"gx_entities", "gx_scrape_outcomes", "nothing_lost",
                                                       "scrapes_present", "landing_folder_present", "publisher_fill_rates"}
        assert {e.partition for e in evaluations} == {day}


def test_a_warn_of_one_day_stays_failed_for_that_day(two_days) -> None:
    instance = two_days[0]
    storage = instance.event_log_storage

    def latest(day: str | None):
        partition = PartitionKeyFilter(key=day) if day else None
        return storage.get_latest_asset_check_execution_by_key([ENTITIES], partition_filter=partition)[ENTITIES]

    on_day = latest(DAY)
    assert on_day.status == AssetCheckExecutionRecordStatus.FAILED and on_day.partition == DAY
    evaluation = on_day.event.dagster_event.event_specific_data
    assert evaluation.passed is False and evaluation.severity == dg.AssetCheckSeverity.WARN
    assert latest(NEXT_DAY).status == AssetCheckExecutionRecordStatus.SUCCEEDED
    # without the partition the latest result is the passing day: what an unpartitioned check showed for both
    assert latest(None).partition == NEXT_DAY


def test_a_failing_suite_says_what_failed_and_what_to_do(two_days) -> None:
    _, settings, warned, _ = two_days
    evaluation = next(e for e in warned.get_asset_check_evaluations() if e.check_name == "gx_entities")
    assert evaluation.asset_key == dg.AssetKey(["news", "entities"])
    assert evaluation.description.startswith("1 expectation failed: warn column_values_to_be_in_set on label")
    markdown = evaluation.metadata["failed_expectations"].value
    lines = markdown.splitlines()
    row = next(line for line in lines if line.startswith("| 1 | warn | column_values_to_be_in_set | label |"))
    assert 'value_set = ["PERSON", "NORP"' in row  # the bound
    entities = pq.read_table(table_file(settings.lake, "entities", date.fromisoformat(DAY))).num_rows
    assert f"{entities:,} of {entities:,} rows unexpected" in row  # what was observed
    assert "add them to value_set in the suite JSON" in row  # what to do (the default for in-set expectations)
    assert "| label | article_id | entity_no |" in lines  # example rows: the offending column and the key
    examples = lines[lines.index("| label | article_id | entity_no |") + 2:]
    assert 1 <= len([line for line in examples if line.startswith("| MYSTERY |")]) <= 5
    failures = evaluation.metadata["failures"].value
    assert failures[0]["bound"]["value_set"][:2] == ["PERSON", "NORP"] and failures[0]["unexpected_count"] == entities

