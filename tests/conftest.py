from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.settings import NewsSettings
from tests.landing_fixture import write_landing

@pytest.fixture
def landing(tmp_path: Path) -> Path:
    return write_landing(tmp_path / "scrapes")


@pytest.fixture
def settings(tmp_path: Path, landing: Path) -> NewsSettings:
    return NewsSettings(scrapes_dir=str(landing), warehouse_path=str(tmp_path / "wh" / "warehouse.duckdb"))
