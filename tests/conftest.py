from __future__ import annotations

import os
from pathlib import Path

import pytest

import pipelines.settings
from pipelines.settings import NewsSettings
from tests.landing_fixture import write_landing

# The suite runs each stage's per-record work in the test process: tests that replace a function
# with monkeypatch reach only this process, and a pool's start-up would cost more than the
# fixtures' few pages. "Every core" (workers = 0) is one core here, and the commands the tests
# start get NEWS_WORKERS=1 (unless set); tests/test_parallel_*.py ask for two workers.
os.environ.setdefault("NEWS_WORKERS", "1")
pipelines.settings.default_workers = lambda: 1


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    return write_landing(tmp_path / "scrapes")


@pytest.fixture
def settings(tmp_path: Path, landing: Path) -> NewsSettings:
    return NewsSettings(scrapes_dir=str(landing), warehouse_path=str(tmp_path / "wh" / "warehouse.duckdb"))
