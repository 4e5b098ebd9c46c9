"""A suite's failures as markdown that reads offline (the Dagster UI renders it in the check's
metadata): per failing expectation its bound, what was observed, up to five example rows (key
columns and the offending column) and what to do.

What to do is the expectation's `meta.hint` in the suite JSON, or the default for its type below.
"""

from __future__ import annotations

import json
from typing import Any

from expectations.run_suites import ExpectationOutcome, SuiteResult

DEFAULT_HINTS = {
    "expect_column_values_to_not_be_null": (
        "A stage wrote NULL into a column that docs/tables.md says is NOT NULL. The example rows give the keys: "
        "find them in the staged file and fix the stage that fills the column, then re-run the day."
    ),
    "expect_column_values_to_be_unique": (
        "Several rows share a value that must be unique: a stage emitted a row twice. The examples are the "
        "repeated values; fix the stage, then re-run the day (a re-run replaces the day's rows)."
    ),
    "expect_compound_columns_to_be_unique": (
        "Several rows share the table's key: the stage that numbers them emitted one twice. The examples are the "
        "repeated keys; fix the stage, then re-run the day."
    ),
    "expect_column_values_to_be_of_type": (
        "The staged column's type is not the contract's (warehouse/contract.py): the stage that writes the file "
        "must write it with warehouse.contract.arrow_schema(...)."
    ),
    "expect_column_values_to_be_in_set": (
        "Values outside the allowed set. If they are legitimate new values, add them to value_set in the suite "
        "JSON and bump meta.version; otherwise fix the stage that produced the example rows."
    ),
    "expect_column_values_to_be_between": (
        "Values outside the bound. Look at the example rows: a parsing bug (fix the stage) or a bound that is too "
        "tight (change it in the suite JSON and bump meta.version)."
    ),
    "expect_column_values_to_match_regex": (
        "Values that do not have the expected form: look at the example rows and the stage that writes the column."
    ),
    "expect_column_value_lengths_to_be_between": (
        "Texts shorter or longer than the bound: often a segmentation or extraction problem on one site; look at "
        "the example rows' articles."
    ),
    "expect_table_row_count_to_be_between": (
        "The day's row count is outside the bound: compare with the day's raw scrapes and its quarantine reasons "
        "(news.quarantine_reasons) to see which stage lost or added rows."
    ),
}
RAISED_HINT = (
    "Great Expectations could not evaluate this expectation (a missing column or a wrong type in the staged file): "
    "the message says why. It counts as a failure of its severity."
)
_PLAIN = {"expect_column_values_to_not_be_null": "not null", "expect_column_values_to_be_unique": "unique",
          "expect_compound_columns_to_be_unique": "unique together"}


def hint(outcome: ExpectationOutcome) -> str:
    if outcome.raised:
        return RAISED_HINT
    return outcome.hint or DEFAULT_HINTS.get(outcome.expectation, "Look at the example rows and the stage that writes the column.")


def _rows(n: int) -> str:
    return f"{n:,} row" if n == 1 else f"{n:,} rows"


def _cell(value: Any, limit: int | None = 120) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = text.replace("\n", " ").replace("|", "\\|")
    return text if limit is None or len(text) <= limit else text[: limit - 3] + "..."


def bound_text(outcome: ExpectationOutcome) -> str:
    parts = []
    for key, value in outcome.bound.items():
        if key == "mostly":
            continue
        shown = _cell(value)
        if key in outcome.parameters:
            shown += f" (${outcome.parameters[key]})"
        parts.append(f"{key} = {shown}")
    if "mostly" in outcome.bound:
        parts.append(f"for at least {outcome.bound['mostly']:.0%} of rows")
    return "; ".join(parts) or _PLAIN.get(outcome.expectation, "-")


def observed_text(outcome: ExpectationOutcome) -> str:
    if outcome.raised:
        return f"raised: {_cell(outcome.message or 'an exception')}"
    if outcome.unexpected_count is not None:
        of = f" of {outcome.element_count:,}" if outcome.element_count is not None else ""
        return f"{outcome.unexpected_count:,}{of} {'row' if (outcome.element_count or outcome.unexpected_count) == 1 else 'rows'} unexpected"
    return _cell(outcome.observed) if outcome.observed is not None else "-"


def _example_cell(outcome: ExpectationOutcome, column: str, value: Any) -> str:
    if outcome.expectation == "expect_column_value_lengths_to_be_between" and column == outcome.column and isinstance(value, str):
        return f"({len(value):,} characters) {_cell(value, limit=90)}"
    return _cell(value)


def _examples_table(outcome: ExpectationOutcome) -> list[str]:
    rows = [r for r in outcome.examples if isinstance(r, dict)]
    if not rows:
        return [f"Examples: {', '.join(_cell(r) for r in outcome.examples)}"] if outcome.examples else []
    columns = list(dict.fromkeys(c for row in rows for c in row))
    return [
        "| " + " | ".join(columns) + " |",
        "|" + "---|" * len(columns),
        *("| " + " | ".join(_example_cell(outcome, c, row.get(c)) for c in columns) + " |" for row in rows),
    ]


def failures_markdown(suite: SuiteResult, where: str | None = None) -> str:
    """The failing expectations of one suite as markdown (empty string when none failed)."""
    failures = suite.failures()
    if not failures:
        return ""
    errors = len(suite.failures("error"))
    lines = [
        f"**{len(failures)} of {len(suite.outcomes)} expectations failed** ({errors} error, {len(failures) - errors} warn) "
        f"on {_rows(suite.rows)}: suite `{suite.suite}` version {suite.version} (`expectations/suites/{suite.suite}.json`).",
    ]
    if where:
        lines += ["", where]
    lines += [
        "",
        "| # | severity | expectation | column | bound | observed | what to do |",
        "|---|---|---|---|---|---|---|",
    ]
    for n, outcome in enumerate(failures, 1):
        name = outcome.expectation.removeprefix("expect_")
        lines.append(
            f"| {n} | {outcome.severity} | {name} | {_cell(outcome.column or '(table)')} | {bound_text(outcome)} | "
            f"{observed_text(outcome)} | {_cell(hint(outcome), limit=None)} |"
        )
    for n, outcome in enumerate(failures, 1):
        table = _examples_table(outcome)
        if table:
            lines += ["", f"**{n}. {outcome.expectation.removeprefix('expect_')} on {outcome.column or 'the table'}: "
                          f"example rows**", "", *table]
    return "\n".join(lines)
