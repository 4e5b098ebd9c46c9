"""Opening the warehouse file, with an error that says what to do when it is locked."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb


class WarehouseLockedError(RuntimeError):
    pass


def connect(path: Path, read_only: bool = False, wait_s: float = 30.0) -> duckdb.DuckDBPyConnection:
    """Open the warehouse, retrying for `wait_s` seconds while another process holds its lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_s
    delay = 0.5
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                raise WarehouseLockedError(
                    f"The warehouse {path} is locked by another process ({exc}). DuckDB allows one writer "
                    f"and no readers beside it: close that session (analysts should open the published "
                    f"copy {path.parent / 'published' / path.name} instead) and re-run this partition; "
                    f"nothing was written."
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 5.0)


def run(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> None:
    """Execute a statement and consume its result (duckdb 2.0 refuses new work on the connection
    while a previous result is still pending)."""
    con.execute(sql, params or []).fetchall()


def sql_string(path: Path) -> str:
    """A file path as a SQL string literal, for the few statements (COPY ... TO) that take no parameter."""
    return "'" + str(path).replace("'", "''") + "'"
