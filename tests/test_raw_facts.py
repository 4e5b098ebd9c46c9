"""Raw scrapes are facts: a re-run adds and never deletes, a missing or empty landing folder changes
nothing, removing scrapes takes `pipelines.cli forget` (forget_scrapes_job), and a re-run after a
feed update converges. Real runs of the real assets into temp warehouses."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq
import pytest

import pipelines.cli as cli
from assets.raw import raw_scrapes
from pipelines.definitions import defs
from pipelines.settings import NewsSettings
from tests.landing_fixture import DAY, EXPECTED_DAY, NEXT_DAY, write_landing
from tests.pipeline_helpers import query, run_day, snapshot, with_sources
from tests.web_fixture_server import FixtureSite, page, start
from warehouse.lake import stage_file

pytestmark = pytest.mark.slow
ARTICLES = sum(outcome == "article" for outcome in EXPECTED_DAY.values())
FERRY = f"{DAY}/harwick-post.example/ferry.txt"
BRIDGE_TXT = """date 2026-02-03

The footbridge over the Harwick canal will close for six weeks from Monday while engineers replace its rotten deck boards, the district council said.

Pedestrians will be sent along the towpath to the lock bridge, which adds about ten minutes to a walk into the town centre from the station.
"""


@pytest.fixture(scope="module")
def loaded_once(tmp_path_factory: pytest.TempPathFactory) -> NewsSettings:
    root = tmp_path_factory.mktemp("loaded")
    settings = NewsSettings(scrapes_dir=str(write_landing(root / "scrapes")), warehouse_path=str(root / "wh" / "warehouse.duckdb"))
    assert run_day(settings, DAY).success
    return settings


@pytest.fixture
def loaded(loaded_once: NewsSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> NewsSettings:
    """A copy of the landing folder, lake and warehouse after one run of DAY; the CLI uses it."""
    shutil.copytree(loaded_once.scrapes, tmp_path / "scrapes", copy_function=shutil.copy2)
    shutil.copytree(loaded_once.warehouse.parent, tmp_path / "wh")
    settings = NewsSettings(scrapes_dir=str(tmp_path / "scrapes"), warehouse_path=str(tmp_path / "wh" / "warehouse.duckdb"))
    monkeypatch.setenv("NEWS_SCRAPES_DIR", settings.scrapes_dir)  # what `python -m pipelines.cli` reads
    monkeypatch.setenv("NEWS_WAREHOUSE", settings.warehouse_path)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    (tmp_path / "dagster_home").mkdir()
    return settings


def _raw_file(settings: NewsSettings, day: str = DAY) -> bytes:
    return stage_file(settings.lake, "raw_scrapes", date.fromisoformat(day)).read_bytes()


def _by_source(settings: NewsSettings) -> dict[str, list[tuple[str, str]]]:
    """source -> [(status or quarantine reason, article_id)] of the day, oldest fetch first."""
    rows = query(settings.warehouse, """
        SELECT r.source, coalesce(a.status, q.reasons[1]), a.article_id FROM news.raw_scrapes r
        LEFT JOIN news.articles a USING (scrape_id) LEFT JOIN news.quarantine q USING (scrape_id)
        ORDER BY r.source, r.fetched_at""")
    out: dict[str, list[tuple[str, str]]] = {}
    for source, outcome, article_id in rows:
        out.setdefault(source, []).append((outcome, article_id))
    return out


def test_a_rerun_keeps_removed_files_adds_edited_and_new_ones(loaded: NewsSettings):
    day_dir = loaded.scrapes / DAY
    before = _by_source(loaded)
    (day_dir / "latin1.txt").unlink()
    ferry = day_dir / "harwick-post.example" / "ferry.txt"
    ferry.write_text(ferry.read_text(encoding="utf-8") + "\nThe public meeting will be held on Thursday evening at the town hall, the council said.\n", encoding="utf-8")
    later = ferry.stat().st_mtime + 3600
    os.utime(ferry, (later, later))
    (day_dir / "harwick-post.example" / "bridge.txt").write_text(BRIDGE_TXT, encoding="utf-8")

    result = run_day(loaded, DAY)
    meta = result.asset_materializations_for_node("raw_scrapes")[0].metadata
    assert (meta["new_scrapes"].value, meta["kept_but_gone_from_folder"].value) == (2, 2)
    after = _by_source(loaded)
    # removed: its scrape and article stay; added: loaded
    assert after[f"{DAY}/latin1.txt"] == before[f"{DAY}/latin1.txt"]
    assert after[f"{DAY}/harwick-post.example/bridge.txt"][0][0] in ("ok", "flagged")
    # edited: the old version stays as a fact, superseded by the new one
    (old_status, old_id), (new_status, new_id) = after[FERRY]
    assert old_id == before[FERRY][0][1] and old_status == "superseded" and new_status in ("ok", "flagged")
    assert query(loaded.warehouse, "SELECT article_id, duplicate_of FROM news.duplicates WHERE method = 'version'") == [(new_id, old_id)]
    current = {a for (a,) in query(loaded.warehouse, "SELECT article_id FROM news.articles_current")}
    assert new_id in current and old_id not in current
    # everything else is untouched
    assert {s: v for s, v in after.items() if s not in (FERRY, f"{DAY}/harwick-post.example/bridge.txt")} == {
        s: v for s, v in before.items() if s != FERRY}


def test_a_missing_or_empty_day_folder_fails_a_blocking_check_and_changes_nothing(loaded: NewsSettings, tmp_path: Path):
    raw, tables = _raw_file(loaded), snapshot(loaded.warehouse)
    folder = loaded.scrapes / DAY
    shutil.move(folder, tmp_path / "elsewhere")
    for state in ("missing", "empty"):
        if state == "empty":
            folder.mkdir()
        result = run_day(loaded, DAY, raise_on_error=False)
        assert not result.success
        check = {c.check_name: c for c in result.get_asset_check_evaluations()}["landing_folder_present"]
        assert check.passed is False and check.severity == dg.AssetCheckSeverity.ERROR
        text = check.description
        assert f"{folder} is {state}" in text and f"{len(EXPECTED_DAY)} scrapes" in text and f"{ARTICLES} articles" in text
        assert f"pipelines.cli forget {DAY} --whole-day" in text
        assert result.get_asset_materialization_events() == []
        assert _raw_file(loaded) == raw and snapshot(loaded.warehouse) == tables


def test_forget_removes_the_named_scrapes_of_a_day_and_says_what(loaded: NewsSettings, capsys: pytest.CaptureFixture[str]):
    raw, tables = _raw_file(loaded), snapshot(loaded.warehouse)
    gone = [f"{DAY}/storm.html", f"{DAY}/feeds/wire.jsonl"]
    # files still in the landing folder would come back with the next run: refused
    assert cli.main(["forget", DAY, "--source", gone[0]]) == 2
    assert "still in the landing folder" in capsys.readouterr().err
    for source in gone:
        (loaded.scrapes / source).unlink()
    assert cli.main(["forget", DAY, "--source", gone[0], "--source", gone[1], "--dry-run"]) == 0
    assert "forget 5 of the 10 scrapes" in capsys.readouterr().out
    assert _raw_file(loaded) == raw and snapshot(loaded.warehouse) == tables

    assert cli.main(["forget", DAY, "--source", gone[0], "--source", gone[1]]) == 0
    out = capsys.readouterr().out
    assert "forget 5 of the 10 scrapes" in out and "which hold 3 of its 5 articles" in out
    assert all(source in out for source in (gone[0], f"{gone[1]}:1", f"{gone[1]}:5"))
    left = _by_source(loaded)
    assert set(left) == {s for s in EXPECTED_DAY if not s.startswith(tuple(gone))}
    assert query(loaded.warehouse, "SELECT count(*) FROM news.articles")[0][0] == ARTICLES - 3


def test_forget_a_whole_day_needs_the_day_named_and_empties_it(loaded: NewsSettings, capsys: pytest.CaptureFixture[str]):
    raw = _raw_file(loaded)
    shutil.rmtree(loaded.scrapes / DAY)
    assert cli.main(["forget", DAY]) == 2  # neither sources nor --whole-day
    assert "whole_day" in capsys.readouterr().err
    job = defs.resolve_job_def("forget_scrapes_job")
    config = {"ops": {"raw_scrapes": {"config": {"forget": {"day": DAY, "whole_day": True}}}}}
    wrong = job.execute_in_process(partition_key=NEXT_DAY, run_config=config, resources={"settings": loaded}, raise_on_error=False)
    assert not wrong.success and _raw_file(loaded) == raw

    assert cli.main(["forget", DAY, "--whole-day"]) == 0
    assert f"forget {len(EXPECTED_DAY)} of the {len(EXPECTED_DAY)} scrapes" in capsys.readouterr().out
    counts = query(loaded.warehouse, "SELECT (SELECT count(*) FROM news.raw_scrapes), (SELECT count(*) FROM news.articles), (SELECT count(*) FROM news.quarantine)")
    assert counts == [(0, 0, 0)]
    # an emptied day is an empty day again: its missing folder no longer blocks
    result = dg.materialize([raw_scrapes], partition_key=DAY, resources={"settings": loaded})
    assert {c.check_name: c.passed for c in result.get_asset_check_evaluations()} == {"scrapes_present": False, "landing_folder_present": True}


@pytest.fixture
def feed_site() -> Iterator[FixtureSite]:
    site = FixtureSite()
    server = start(site)
    updated: list[str] = []
    site.add("/robots.txt", "User-agent: *\n", "text/plain")
    site.add("/rail.html", page("Night trains to double", [
        "The regional rail operator confirmed on Tuesday that the night service between Harwick and the coast "
        "will run every thirty minutes from March, doubling the current timetable.",
        "Passenger groups had campaigned for the change for four years and collected more than 6,000 signatures.",
    ]))  # no ETag, no Last-Modified: an announced update can only be checked by fetching the page again

    def feed(hit: int, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        stamp = f"<atom:updated xmlns:atom='http://www.w3.org/2005/Atom'>{updated[-1]}</atom:updated>" if updated else ""
        body = (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Line</title><item><title>Night trains</title>"
                f"<link>{site.base_url}/rail.html</link><pubDate>Tue, 03 Feb 2026 08:00:00 +0000</pubDate>{stamp}</item></channel></rss>")
        return 200, {"Content-Type": "application/rss+xml"}, body.encode()

    site.routes["/rss.xml"] = feed
    site.updated = updated  # type: ignore[attr-defined]
    yield site
    server.shutdown()
    server.server_close()


def test_a_rerun_after_a_feed_update_with_the_same_bytes_converges(feed_site: FixtureSite, settings: NewsSettings, tmp_path: Path):
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"defaults:\n  rate_limit_per_host: 100\n  allow_private_networks: true\nsources:\n  - name: line\n    feed: {feed_site.base_url}/rss.xml\n", encoding="utf-8")
    settings = with_sources(settings, str(sources))
    assert dg.materialize([raw_scrapes], partition_key=DAY, resources={"settings": settings}).success
    time.sleep(1.1)  # feeds give updates to the second: the update must come after the first fetch's second
    feed_site.updated.append(datetime.now(UTC).isoformat())  # type: ignore[attr-defined]
    result = run_day(settings, DAY, raise_on_error=False)
    assert result.success and all(c.passed for c in result.get_asset_check_evaluations() if c.check_name != "publisher_fill_rates")
    assert len(feed_site.hits("/rail.html")) == 2  # the announced update was fetched ...
    ids = pq.read_table(stage_file(settings.lake, "raw_scrapes", date.fromisoformat(DAY)))["scrape_id"].to_pylist()
    assert len(ids) == len(set(ids)) == len(EXPECTED_DAY) + 1  # ... and, being the same bytes, not stored again
    assert query(settings.warehouse, "SELECT count(*) FROM news.articles WHERE url LIKE '%/rail.html'")[0][0] == 1
    meta = result.asset_materializations_for_node("raw_scrapes")[0].metadata
    assert meta["web_and_warc_outcomes"].value == {"unchanged": 1}
    # the next re-run knows it has checked that update: no request for the page
    assert dg.materialize([raw_scrapes], partition_key=DAY, resources={"settings": settings}).success
    assert len(feed_site.hits("/rail.html")) == 2
