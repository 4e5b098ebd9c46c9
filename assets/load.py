"""load: the one step that writes the DuckDB file, and the `news/*` table assets it materializes.

Every table of the contract (warehouse/contract.py) is an asset in the catalog, `news/<table>`,
with its description, column schema, kinds, owners and tags, and, per day, its row count and a
few rows. One multi-asset step materializes all of them (pool `warehouse_writer`, one at a time),
because one transaction writes them all.

Before the transaction the step validates the day's staged tables (lake/tables/<table>/
partition_date=<day>/) with the Great Expectations suites. Each suite is a check of the table it
validates, partitioned by day. An ERROR failure writes nothing: the checks are reported and the
step fails, so the warehouse keeps what it held for the day. WARN failures are reported and the
day loads.
"""

from datetime import date
from pathlib import Path

import dagster as dg
import pyarrow as pa

from assets.partitions import daily_check, daily_partitions, partition_day
from expectations.run_suites import ValidationRun, load_suite_document, prune_data_docs, run_suites, suite_names
from newskit.health import DEFAULT_HEALTH_CONFIG, fill_rate_drops
from pipelines.settings import NewsSettings
from warehouse import contract
from warehouse.connection import DiskFullError, WarehouseLockedError
from warehouse.lake import LakeFileError, table_file
from warehouse.load import LoadResult, load_partition

OWNERS = ["team:news-warehouse"]
KINDS = {"duckdb", "parquet"}
PREVIEW_CHARS = 48


def derived_by_load(table: contract.Table) -> bool:
    """Computed by the load from other news.* tables (duplicates, their index, health), not copied from
    the day's lake files; a load also rewrites the rows of other days linked to its own."""
    return all(upstream.startswith("news/") for upstream in table.upstream)


# failures whose message says what to do: the run fails with that message, not a traceback
USER_FIXABLE = (WarehouseLockedError, DiskFullError, LakeFileError)


def table_key(name: str) -> dg.AssetKey:
    return dg.AssetKey(["news", name])


def column_schema(table: contract.Table) -> dg.TableSchema:
    """The contract's columns as Dagster shows them (type, NOT NULL, description)."""
    single_key = table.key[0] if len(table.key) == 1 else None
    return dg.TableSchema(
        columns=[
            dg.TableColumn(
                c.name, c.type, description=c.description,
                constraints=dg.TableColumnConstraints(nullable=not c.not_null, unique=c.name == single_key),
            )
            for c in table.columns
        ],
        constraints=dg.TableConstraints(other=[f"key: {', '.join(table.key)}"] if table.key else []),
    )


def _description(table: contract.Table) -> str:
    """Markdown: what the table holds, its grain and key, the views that read it."""
    key = ", ".join(f"`{k}`" for k in table.key) or "none"
    parts = [table.description, f"One row per {table.grain}. Key: {key}."]
    if views := contract.READ_BY.get(table.name):
        parts.append(f"Read by the views {', '.join(f'`news.{v}`' for v in views)}.")
    parts.append("Every column, table and view: `docs/tables.md` (from `warehouse/contract.py`).")
    return "\n\n".join(parts)


def _deps(table: contract.Table) -> list[dg.AssetKey]:
    return [dg.AssetKey.from_user_string(upstream) for upstream in table.upstream]


def load_order(tables: list[contract.Table]) -> list[contract.Table]:
    """The tables with each one after the news/* tables it derives from (Dagster wants a
    multi-asset's materializations in that order); otherwise in contract order."""
    done: list[contract.Table] = []
    pending = list(tables)
    while pending:
        ready = next(t for t in pending if all(u.removeprefix("news/") in {d.name for d in done}
                                               for u in t.upstream if u.startswith("news/")))
        done.append(ready)
        pending.remove(ready)
    return done


TABLE_SPECS = [
    dg.AssetSpec(
        table_key(table.name),
        description=_description(table),
        deps=_deps(table),
        group_name="warehouse",
        kinds=KINDS,
        owners=OWNERS,
        tags={"layer": "warehouse", "schema": "news", "refresh": "history" if derived_by_load(table) else "day"},
        metadata={"dagster/column_schema": column_schema(table), "dagster/table_name": f"news.{table.name}"},
    )
    for table in contract.TABLES.values()
]


def suite_table(suite: str) -> str:
    """The table a suite checks (its meta.table; scrape_outcomes checks the raw scrapes' outcomes)."""
    return load_suite_document(suite)["meta"]["table"]


SUITE_CHECKS = {suite: f"gx_{suite}" for suite in suite_names()}
CHECK_SPECS = [
    *(
        daily_check(
            check, asset=table_key(suite_table(suite)), blocking=True,
            description=f"Great Expectations suite expectations/suites/{suite}.json on the day's staged rows, before "
            "they are loaded: an ERROR expectation that fails writes nothing and fails the run; WARN ones are reported.",
        )
        for suite, check in SUITE_CHECKS.items()
    ),
    daily_check(
        "publisher_fill_rates", asset=table_key("source_health"),
        description="Warns when a site's title/date/authors fill rate drops sharply against its own recent days "
        "(a changed page layout the extractor no longer reads).",
    ),
]


@dg.multi_asset(
    name="load",
    specs=TABLE_SPECS,
    check_specs=CHECK_SPECS,
    partitions_def=daily_partitions,
    pool="warehouse_writer",
)
def load(context: dg.AssetExecutionContext, settings: NewsSettings):
    """Validate the day's staged tables, then replace the day's rows of every news.* table in one transaction."""
    day = partition_day(context)
    lake = settings.lake
    docs = settings.data_docs / day.isoformat() / context.run_id
    prune_data_docs(settings.data_docs, settings.data_docs_runs_kept, current=docs)
    staged = {name: table_file(lake, name, day) for name in contract.TABLES}
    try:
        validation = run_suites(staged, data_docs_dir=docs)
    except USER_FIXABLE as exc:
        raise dg.Failure(str(exc)) from exc
    if validation.blocks_load:
        yield from suite_check_results(validation, lake, day)
        raise dg.Failure(description=blocked_message(validation, day), metadata={"gx_data_docs": dg.MetadataValue.path(str(docs))})
    try:
        result = load_partition(
            settings.warehouse, lake, day, health_days=DEFAULT_HEALTH_CONFIG.baseline_days, log=context.log.warning
        )
    except USER_FIXABLE as exc:
        raise dg.Failure(str(exc)) from exc
    for table in load_order(list(contract.TABLES.values())):
        yield dg.MaterializeResult(asset_key=table_key(table.name), metadata=table_metadata(table, result, settings))
    yield from suite_check_results(validation, lake, day)
    drops = fill_rate_drops(result.recent_health, day)
    yield dg.AssetCheckResult(
        asset_key=table_key("source_health"),
        check_name="publisher_fill_rates",
        passed=not drops,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"drops": [d.detail for d in drops], "baseline_days": DEFAULT_HEALTH_CONFIG.baseline_days,
                  "max_drop": DEFAULT_HEALTH_CONFIG.max_drop},
        description="; ".join(d.detail for d in drops) or None,
    )


def table_metadata(table: contract.Table, result: LoadResult, settings: NewsSettings) -> dict:
    metadata = {
        "dagster/row_count": result.rows[table.name],
        "rows_all_days": result.totals[table.name],
        "preview": dg.MetadataValue.md(preview_markdown(result.previews[table.name])),
        "warehouse": dg.MetadataValue.path(str(settings.warehouse)),
        "published_copy": dg.MetadataValue.path(str(result.published_copy)),
        "migrations_applied": ", ".join(result.migrations_applied) or "none",
    }
    if table.name == "duplicates":
        metadata["duplicates_in_history"] = result.duplicates_total
        metadata["articles_relinked"] = result.recomputed  # the day's connected set (warehouse/duplicates.py)
    return metadata


def _preview_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    elif hasattr(value, "isoformat"):
        value = value.isoformat()
    text = str(value).replace("\n", " ").replace("|", "\\|")
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"


def preview_markdown(rows: pa.Table) -> str:
    """The first rows of the day as a markdown table (long texts cut)."""
    if rows.num_rows == 0:
        return "_no rows for this day_"
    lines = ["| " + " | ".join(rows.column_names) + " |", "|" + "---|" * rows.num_columns]
    lines += ["| " + " | ".join(_preview_cell(row[c]) for c in rows.column_names) + " |" for row in rows.to_pylist()]
    return "\n".join(lines)


def suite_check_results(validation: ValidationRun, lake: Path, day: date):
    """One check result per suite: failed ERROR if an error expectation failed or raised, failed WARN if
    only warn ones did; the metadata names each failing expectation, its bound, what was seen and example rows."""
    from expectations.report import failures_markdown

    for suite, check in SUITE_CHECKS.items():
        table = suite_table(suite)
        result = validation.suites[suite]
        failures = result.failures()
        staged = table_file(lake, table, day)
        where = f"Staged rows: `{staged}`" + ("" if result.blocks_load else " (loaded into `news." + table + "`)")
        yield dg.AssetCheckResult(
            asset_key=table_key(table),
            check_name=check,
            passed=not failures,
            severity=dg.AssetCheckSeverity.WARN if failures and not result.blocks_load else dg.AssetCheckSeverity.ERROR,
            description=_failure_line(failures) if failures else None,
            metadata={
                "suite_version": result.version,
                "rows": result.rows,
                "expectations": len(result.outcomes),
                "failed_error": len(result.failures("error")),
                "failed_warn": len(result.failures("warn")),
                "failed_expectations": dg.MetadataValue.md(failures_markdown(result, where) or "All expectations passed."),
                "failures": dg.MetadataValue.json([f.summary() for f in failures]),
                "data_docs": dg.MetadataValue.path(str(validation.data_docs_index)),
            },
        )


def _failure_line(failures) -> str:
    shown = "; ".join(
        f"{f.severity} {f.expectation.removeprefix('expect_')} on {f.column or 'the table'}" for f in failures[:3]
    )
    what = "1 expectation" if len(failures) == 1 else f"{len(failures)} expectations"
    return f"{what} failed: {shown}{' ...' if len(failures) > 3 else ''}"


def blocked_message(validation: ValidationRun, day: date) -> str:
    blocking = {name: suite.failures("error") for name, suite in validation.suites.items() if suite.blocks_load}
    named = "; ".join(
        f"{SUITE_CHECKS[name]} on news/{suite_table(name)} ({_failure_line(failures)})" for name, failures in blocking.items()
    )
    return (
        f"The Great Expectations suites found errors in the staged tables of {day}, so nothing was loaded and the "
        f"warehouse keeps what it held for {day}: {named}. Each check's metadata (failed_expectations) lists the "
        f"bounds, the observed values and example rows; fix the stage that wrote them and re-run the day."
    )

