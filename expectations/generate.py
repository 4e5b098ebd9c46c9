"""The expectations that restate the contract, written into the versioned suites.

For every table of `warehouse/contract.py` that has a suite (`expectations/suites/<table>.json`),
the key columns are NOT NULL and unique, every NOT NULL column is not null, and every scalar
column has its contract type in the validation frame (`expectations/frames.py` says how each
DuckDB type arrives in pandas). These expectations carry `meta.generated` and come first in the
suite, in contract order; the hand-written ones (value sets, offsets, row counts ...) follow
unchanged. A suite whose expectations change gets `meta.version` + 1.

Run through `.venv/bin/python -m warehouse.contract` (which also writes docs/tables.md);
tests/test_contract.py fails while a suite disagrees with the contract.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from expectations.frames import GX_TYPES
from warehouse.contract import REPO_ROOT, TABLES, Table

SUITES_DIR = Path(__file__).resolve().parent / "suites"
GENERATED = "warehouse/contract.py"


def _expectation(type_: str, kwargs: dict[str, Any], why: str) -> dict[str, Any]:
    return {"type": type_, "kwargs": kwargs, "meta": {"severity": "error", "why": why, "generated": GENERATED}}


def contract_expectations(table: Table) -> list[dict[str, Any]]:
    """Key, NOT NULL and type expectations of one table, in a stable order."""
    out = [_expectation("expect_column_values_to_not_be_null", {"column": k}, "key column") for k in table.key]
    if len(table.key) == 1:
        out.append(_expectation("expect_column_values_to_be_unique", {"column": table.key[0]}, "one row per key"))
    elif table.key:
        out.append(_expectation("expect_compound_columns_to_be_unique", {"column_list": list(table.key)}, "one row per key"))
    for column in table.columns:
        if column.not_null and column.name not in table.key:
            out.append(_expectation("expect_column_values_to_not_be_null", {"column": column.name}, "contract: NOT NULL"))
    for column in table.columns:
        if column.type in GX_TYPES:
            out.append(_expectation("expect_column_values_to_be_of_type", {"column": column.name, "type_": GX_TYPES[column.type]},
                                    f"contract: {column.type}"))
    return out


def _same_check(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["type"] == b["type"] and a["kwargs"] == b["kwargs"]


def synced_document(document: dict[str, Any], table: Table) -> dict[str, Any]:
    """The suite with its generated expectations replaced by the contract's; a hand-written
    expectation that states the same check as a generated one is dropped."""
    generated = contract_expectations(table)
    own = [e for e in document["expectations"]
           if not e.get("meta", {}).get("generated") and not any(_same_check(e, g) for g in generated)]
    synced = dict(document)
    synced["meta"] = dict(document["meta"], key=list(table.key), table=table.name)
    synced["expectations"] = generated + own
    if synced["expectations"] != document["expectations"] or synced["meta"]["key"] != document["meta"].get("key"):
        synced["meta"]["version"] = int(document["meta"].get("version", 0)) + 1
    return synced


def sync_suites(write: bool = True) -> list[str]:
    """Bring every contract table's suite up to date; returns the suite files that were (or, with
    `write=False`, would be) changed."""
    changed = []
    for path in sorted(SUITES_DIR.glob("*.json")):
        table = TABLES.get(path.stem)
        if table is None:  # a derived frame (scrape_outcomes): nothing of the contract to restate
            continue
        text = path.read_text(encoding="utf-8")
        synced = synced_document(json.loads(text), table)
        new_text = json.dumps(synced, indent=2, ensure_ascii=False) + "\n"
        if new_text != text:
            try:
                changed.append(str(path.relative_to(REPO_ROOT)))
            except ValueError:
                changed.append(f"expectations/suites/{path.name}")
            if write:
                path.write_text(new_text, encoding="utf-8")
    return changed
