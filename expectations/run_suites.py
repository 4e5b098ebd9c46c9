"""Run the versioned Great Expectations suites (expectations/suites/*.json) on a partition's tables.

GX 1.x with an ephemeral context and a pandas datasource; great_expectations is imported inside
the functions (it costs seconds) so that loading the Dagster Definitions stays fast. Each
expectation carries `meta.severity` (error | warn). An expectation that raised inside GX comes
back as `success=False` with `exception_info`; it is counted as a failure either way, never a pass.
"""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa

Severity = Literal["error", "warn"]
SUITES_DIR = Path(__file__).resolve().parent / "suites"
DATA_DOCS_SITE = "news_quality"
EXAMPLES = 5


@dataclass(frozen=True)
class ExpectationOutcome:
    suite: str
    expectation: str  # GX expectation type
    column: str | None
    severity: Severity
    success: bool
    raised: bool  # GX reported an exception while evaluating it
    unexpected_count: int | None = None
    examples: list[Any] = field(default_factory=list)  # rows: key columns and the offending column
    observed: Any = None
    message: str | None = None
    bound: dict[str, Any] = field(default_factory=dict)  # the kwargs it checks against, $PARAMETERs resolved
    parameters: dict[str, str] = field(default_factory=dict)  # kwarg -> the $PARAMETER name it came from
    hint: str | None = None  # meta.hint: what to do when it fails
    element_count: int | None = None

    @property
    def failed(self) -> bool:
        return self.raised or not self.success

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {"expectation": self.expectation, "severity": self.severity}
        for key in ("column", "unexpected_count", "observed", "message"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.bound:
            out["bound"] = self.bound
        if self.examples:
            out["examples"] = self.examples
        return out


@dataclass
class SuiteResult:
    suite: str
    version: Any
    rows: int
    outcomes: list[ExpectationOutcome]

    def failures(self, severity: Severity | None = None) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if o.failed and (severity is None or o.severity == severity)]

    @property
    def blocks_load(self) -> bool:
        return bool(self.failures("error"))


@dataclass
class ValidationRun:
    suites: dict[str, SuiteResult]
    data_docs_index: Path | None = None

    @property
    def blocks_load(self) -> bool:
        return any(s.blocks_load for s in self.suites.values())


def suite_names() -> list[str]:
    return sorted(p.stem for p in SUITES_DIR.glob("*.json"))


@cache
def load_suite_document(name: str) -> dict[str, Any]:
    document = json.loads((SUITES_DIR / f"{name}.json").read_text(encoding="utf-8"))
    for expectation in document["expectations"]:
        severity = expectation.get("meta", {}).get("severity")
        if severity not in ("error", "warn"):
            raise ValueError(f"suite {name}: {expectation['type']} needs meta.severity error|warn, got {severity!r}")
    return document


def _raised(exception_info: dict[str, Any] | None) -> tuple[bool, str | None]:
    """GX reports either one {'raised_exception': ...} dict or one such dict per metric."""
    if not exception_info:
        return False, None
    infos = [exception_info] if "raised_exception" in exception_info else list(exception_info.values())
    for info in infos:
        if isinstance(info, dict) and info.get("raised_exception"):
            return True, info.get("exception_message")
    return False, None


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if hasattr(value, "item"):  # numpy scalar
        return _jsonable(value.item())
    return str(value)


# kwargs that say where an expectation looks, not what it checks against
_NOT_BOUNDS = {"column", "column_list", "result_format", "catch_exceptions", "meta", "row_condition", "condition_parser",
               "batch_id"}


def _bounds(kwargs: dict[str, Any], params: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    bound, named = {}, {}
    for key, value in kwargs.items():
        if key in _NOT_BOUNDS:
            continue
        if isinstance(value, dict) and "$PARAMETER" in value:
            named[key] = value["$PARAMETER"]
            value = params.get(value["$PARAMETER"])
        bound[key] = _jsonable(value)
    return bound, named


def _outcome(suite: str, result: Any, written: dict[str, Any], params: dict[str, Any]) -> ExpectationOutcome:
    """`written` is the expectation as the suite JSON has it ($PARAMETERs unresolved, meta.hint)."""
    config = result.expectation_config
    raised, message = _raised(result.exception_info)
    details = result.result or {}
    bound, named = _bounds(written["kwargs"], params)
    examples = details.get("partial_unexpected_index_list") or [
        {config.kwargs["column"]: value} if config.kwargs.get("column") else value
        for value in details.get("partial_unexpected_list") or []
    ]
    return ExpectationOutcome(
        suite=suite,
        expectation=config.type,
        column=config.kwargs.get("column") or (",".join(config.kwargs["column_list"]) if "column_list" in config.kwargs else None),
        severity=config.meta["severity"],
        success=bool(result.success) and not raised,
        raised=raised,
        unexpected_count=details.get("unexpected_count"),
        examples=_jsonable(examples[:EXAMPLES]),
        observed=_jsonable(details.get("observed_value")),
        message=message,
        bound=bound,
        parameters=named,
        hint=written.get("meta", {}).get("hint"),
        element_count=details.get("element_count"),
    )


def run_suites(
    tables: Mapping[str, pa.Table | Path],
    parameters: dict[str, Any] | None = None,
    data_docs_dir: Path | None = None,
    run_time: datetime | None = None,
    only: list[str] | None = None,
) -> ValidationRun:
    """Validate each table with its suite; build GX Data Docs into `data_docs_dir` if given.

    `tables` maps the staged tables' names (expectations.frames.STAGED_TABLES) to their lake
    files or to Arrow tables; every suite runs on its frame (see expectations/frames.py) unless
    `only` names some. `parameters` fill `{"$PARAMETER": name}` kwargs; the defaults derive row
    counts from the tables.
    """
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    from expectations.frames import validation_frames  # pandas: only when suites run

    names = only or suite_names()
    staged = validation_frames(tables, run_time, only=names)
    params = default_parameters(staged.rows) | (parameters or {})
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    if data_docs_dir is not None:
        data_docs_dir.mkdir(parents=True, exist_ok=True)
        context.add_data_docs_site(
            site_name=DATA_DOCS_SITE,
            site_config={
                "class_name": "SiteBuilder",
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(data_docs_dir)},
            },
        )
    source = context.data_sources.add_pandas("news")
    results: dict[str, SuiteResult] = {}
    for name in names:
        document = load_suite_document(name)
        frame = staged.frames[name]
        suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=document["expectations"], meta=document.get("meta", {})))
        written = {e.id: own for e, own in zip(suite.expectations, document["expectations"])}
        batch_definition = source.add_dataframe_asset(name=name).add_batch_definition_whole_dataframe("partition")
        definition = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch_definition, suite=suite))
        result = definition.run(
            batch_parameters={"dataframe": frame},
            expectation_parameters=params,
            result_format={
                "result_format": "SUMMARY",
                "partial_unexpected_count": EXAMPLES,
                "unexpected_index_column_names": document["meta"]["key"],
            },
        )
        outcomes = [_outcome(name, r, written[r.expectation_config.id], params) for r in result.results]
        results[name] = SuiteResult(name, document.get("meta", {}).get("version"), len(frame), outcomes)
    index = None
    if data_docs_dir is not None:
        try:
            context.build_data_docs(site_names=[DATA_DOCS_SITE])
        except OSError as exc:
            from warehouse.connection import DiskFullError, is_disk_full

            if is_disk_full(exc):
                raise DiskFullError(data_docs_dir) from exc
            raise
        index = data_docs_dir / "index.html"
    return ValidationRun(results, index)


def prune_data_docs(root: Path, keep_runs: int, current: Path) -> list[Path]:
    """Delete all but the newest `keep_runs` run folders of Data Docs under `root/<day>/<run id>/`
    (`current`, the folder about to be built, counts as one); returns the deleted folders."""
    runs = sorted((p for p in root.glob("*/*") if p.is_dir() and p != current), key=lambda p: p.stat().st_mtime)
    doomed = runs[: max(0, len(runs) - max(keep_runs - 1, 0))]
    for folder in doomed:
        shutil.rmtree(folder, ignore_errors=True)
        if folder.parent.is_dir() and not any(folder.parent.iterdir()):
            folder.parent.rmdir()
    return doomed


def default_parameters(rows: Mapping[str, int]) -> dict[str, Any]:
    """Row counts of the partition and the per-article minimum body length."""
    from newskit.quality import DEFAULT_CONFIG

    raw, articles = rows.get("raw_scrapes"), rows.get("articles")
    return {  # None leaves that bound open
        "raw_scrapes_rows": raw,
        "half_raw_scrapes_rows": None if raw is None else raw // 2,
        "articles_rows": articles,
        "min_body_chars": DEFAULT_CONFIG.min_body_chars,
    }
