"""Apply warehouse/migrations/NNN_*.sql in order, once each, recorded in news.schema_migrations."""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.connection import run

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def migration_files() -> list[Path]:
    return sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9]_*.sql"))


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Bring the schema up to date; returns the names of the migrations applied now."""
    run(con, "CREATE SCHEMA IF NOT EXISTS news")
    run(con, "CREATE TABLE IF NOT EXISTS news.schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMPTZ DEFAULT now())")
    done = {name for (name,) in con.execute("SELECT name FROM news.schema_migrations").fetchall()}
    applied = []
    for path in migration_files():
        if path.name in done:
            continue
        run(con, "BEGIN")
        try:
            run(con, path.read_text(encoding="utf-8"))
            run(con, "INSERT INTO news.schema_migrations (name) VALUES (?)", [path.name])
            run(con, "COMMIT")
        except Exception:
            run(con, "ROLLBACK")
            raise
        applied.append(path.name)
    return applied
