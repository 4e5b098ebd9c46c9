from __future__ import annotations

import os
from pathlib import Path

import pytest

# The suite runs each stage's per-record work in the test process (NEWS_WORKERS=1, unless set):
# tests that replace a function with monkeypatch reach only this process, and a pool's start-up
# would cost more than the fixtures' few pages. tests/test_parallel_*.py run the worker pool.
os.environ.setdefault("NEWS_WORKERS", "1")

from pipelines.settings import NewsSettings  # noqa: E402 - reads NEWS_WORKERS
from tests.landing_fixture import write_landing

@pytest.fixture
def landing(tmp_path: Path) -> Path:
    return write_landing(tmp_path / "scrapes")


@pytest.fixture
def settings(tmp_path: Path, landing: Path) -> NewsSettings:
    return NewsSettings(scrapes_dir=str(landing), warehouse_path=str(tmp_path / "wh" / "warehouse.duckdb"))
