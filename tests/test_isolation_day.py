"""Real day runs with hostile inputs: one record's failure is that record's quarantine, too many
internal errors fail the run before the load, and systemic errors still fail it saying what to do."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import dagster as dg
import pytest

import newskit.scrape_text
from pipelines.settings import NewsSettings
from tests.fault_helpers import can_mount_tmpfs, tmpfs
from tests.landing_fixture import DAY, EXPECTED_DAY
from tests.pipeline_helpers import all_assets, counts, query, run_day

pytestmark = pytest.mark.slow
BROKEN = "BROKEN-EXTRACTOR"
SENTENCE = "The ferry between Harwick and Ostby carried 2,300 passengers on Monday, the council said. "


@pytest.fixture
def broken_extractor(monkeypatch):
    """A page carrying the marker makes the HTML extractor raise, as a bug in it would."""
    real = newskit.scrape_text.extract_html

    def extract_html(html, url=None, max_chars=None):
        if BROKEN in html:
            raise ValueError("extractor bug for this page")
        return real(html, url, max_chars)

    monkeypatch.setattr(newskit.scrape_text, "extract_html", extract_html)


TOWNS = ["Harwick", "Ostby", "Lanmouth", "Carrow", "Sainte-Odile", "Northline", "Valby", "Eastmark"]


def _page(n: int, extra: str = "") -> str:
    """An article page of its own (no paragraph repeats across pages, so none is a site template)."""
    town, other = TOWNS[n % len(TOWNS)], TOWNS[(n + 3) % len(TOWNS)]
    paragraphs = [
        f"The council of {town} voted {n + 7} to {n + 2} on Monday to rebuild the old ferry terminal, ending a "
        f"dispute with {other} that had lasted nearly {n + 3} years.",
        f"About {2000 + 37 * n} passengers used the ferry to {other} each day before it closed, and the "
        f"nearest bridge adds {20 + n} minutes to a trip into the centre of {town}, the council said.",
        f"Work on the terminal in {town} will start in the spring and should take about {n + 14} months. {extra}",
    ]
    return ("<html><head><title>Ferry terminal to reopen in " + town + "</title></head><body><article>"
            + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>")


def _with(settings: NewsSettings, **changes) -> NewsSettings:
    return NewsSettings(**(settings.model_dump() | changes))


def failure_text(result: dg.ExecuteInProcessResult) -> str:
    texts = []
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            data = event.event_specific_data
            texts.append(f"{event.step_key}: {data.error.to_string() if data.error else ''}")
            if data.user_failure_data is not None:
                texts.append(data.user_failure_data.description or "")
    return "\n".join(texts)


def outcomes(warehouse: Path) -> dict[str, tuple[str, str | None]]:
    rows = query(warehouse, """
        SELECT r.source, coalesce(q.reasons[1], 'article'), q.detail
        FROM news.raw_scrapes r LEFT JOIN news.quarantine q USING (scrape_id)""")
    return {source: (reason, detail) for source, reason, detail in rows}


def test_a_hostile_day_loads_everything_that_can_load(settings: NewsSettings, landing: Path, broken_extractor):
    day = landing / DAY
    settings = _with(settings, max_raw_bytes=1_000_000)
    lines = [
        "[" * 100_000 + "]" * 100_000,
        json.dumps({"url": "http://[::1", "html": _page(1)}),
        json.dumps({"url": "https://wire.example/early", "fetched_at": "0001-01-01T00:00:00+14:00", "html": _page(2)}),
        json.dumps({"url": "https://wire.example/late", "fetched_at": "9999-12-31T23:59:59-12:00", "html": _page(3)}),
    ]
    (day / "feeds" / "hostile.jsonl").write_text("\n".join(lines) + "\n")
    with open(os.fsencode(day) + b"/caf\xe9.html", "w") as handle:
        handle.write(_page(4))
    os.symlink("loop.html", day / "loop.html")
    os.mkfifo(day / "pipe.html")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(day / "socket.txt"))
    (day / "big.html").write_text("<html><body>" + "<p>more words</p>" * 70_000)  # over the 1 MB raw limit
    with open(day / "feeds" / "sparse.jsonl", "wb") as handle:
        handle.truncate(600 << 20)  # 600 MiB apparent, no newline
    with open(day / "sparse.warc", "wb") as handle:
        handle.truncate(600 << 20)
    (day / "live.txt").write_text(SENTENCE * 280)  # one ~25,000-character paragraph: cut for spaCy
    (day / "broken.html").write_text(_page(5, BROKEN))
    instance = dg.DagsterInstance.ephemeral()
    try:
        result = dg.materialize(all_assets(), partition_key=DAY, resources={"settings": settings}, instance=instance)
    finally:
        server.close()
    assert result.success
    got = outcomes(settings.warehouse)
    expected = EXPECTED_DAY | {
        f"{DAY}/feeds/hostile.jsonl:1": "invalid_json",
        f"{DAY}/feeds/hostile.jsonl:2": "article",
        f"{DAY}/feeds/hostile.jsonl:3": "article",
        f"{DAY}/feeds/hostile.jsonl:4": "article",
        f"{DAY}/caf\\xe9.html": "article",
        f"{DAY}/loop.html": "symlink_loop",
        f"{DAY}/pipe.html": "not_regular_file",
        f"{DAY}/socket.txt": "not_regular_file",
        f"{DAY}/big.html": "too_large",
        f"{DAY}/feeds/sparse.jsonl:1": "too_large",
        f"{DAY}/sparse.warc": "not_warc",
        f"{DAY}/live.txt": "article",
        f"{DAY}/broken.html": "internal_error",
    }
    assert {source: reason for source, (reason, _) in got.items()} == expected
    assert got[f"{DAY}/broken.html"][1] == "extract: ValueError: extractor bug for this page"
    assert query(settings.warehouse, "SELECT count(*) FROM news.entities e JOIN news.articles a USING (article_id) "
                 "JOIN news.raw_scrapes r USING (scrape_id) WHERE r.source = ? AND e.char_start > 22000",
                 [f"{DAY}/live.txt"])[0][0] > 0
    extracted = result.asset_materializations_for_node("extracted")[0].metadata
    assert extracted["internal_errors"].value == 1
    assert extracted["internal_errors_by_type"].value == {"ValueError": 1}
    quality = result.asset_materializations_for_node("quality")[0].metadata
    assert quality["internal_errors"].value == 1
    for node in ("raw_scrapes", "cleaned", "nlp"):
        assert result.asset_materializations_for_node(node)[0].metadata["internal_errors"].value == 0
    logged = [entry.user_message for entry in instance.all_logs(result.run_id)]
    assert any("pipe.html" in m and "FIFO" in m and "not_regular_file" in m for m in logged)
    assert any("socket.txt" in m and "socket" in m for m in logged)


def test_too_many_internal_errors_fail_the_run_before_the_load(settings: NewsSettings, landing: Path, broken_extractor):
    assert run_day(settings, DAY).success
    before = counts(settings.warehouse)
    for n in range(4):  # 4 of 14 scrapes: over 5 % and at least 3
        (landing / DAY / f"broken-{n}.html").write_text(_page(n, BROKEN))
    result = run_day(settings, DAY, raise_on_error=False)
    assert not result.success
    message = failure_text(result)
    assert "quality" in message
    assert "4 of 14 scrapes (28.6%) ended in internal_error" in message
    assert "extract: ValueError x4" in message and "re-run the day" in message
    assert counts(settings.warehouse) == before  # nothing of the failed run reached the warehouse
    lake_articles = settings.lake / "tables" / "articles" / f"partition_date={DAY}" / "data.parquet"
    assert lake_articles.exists()
    assert query(settings.warehouse, "SELECT count(*) FROM news.quarantine WHERE list_contains(reasons, 'internal_error')") == [(0,)]


def test_the_threshold_is_a_setting(settings: NewsSettings, landing: Path, broken_extractor):
    for n in range(4):
        (landing / DAY / f"broken-{n}.html").write_text(_page(n, BROKEN))
    relaxed = _with(settings, internal_error_max_share=0.5)
    assert run_day(relaxed, DAY).success
    assert len([r for r, _ in outcomes(relaxed.warehouse).values() if r == "internal_error"]) == 4


def test_a_missing_model_fails_the_run_saying_what_to_install(settings: NewsSettings):
    missing = _with(settings, spacy_model="en_core_web_not_installed")
    result = run_day(missing, DAY, raise_on_error=False)
    assert not result.success
    message = failure_text(result)
    assert "nlp:" in message and "'en_core_web_not_installed' is not installed" in message
    assert "NEWS_SPACY_MODEL" in message


def test_a_full_disk_fails_the_stage_saying_so_and_a_rerun_after_freeing_space_succeeds(tmp_path: Path, landing: Path):
    if not can_mount_tmpfs(tmp_path):
        pytest.skip("needs root to mount a small tmpfs")
    with tmpfs(tmp_path / "small-disk", "8m") as disk:
        settings = NewsSettings(scrapes_dir=str(landing), warehouse_path=str(disk / "warehouse.duckdb"))
        assets = all_assets()
        select = lambda *names: [dg.AssetKey(n) for n in names]  # noqa: E731
        assert dg.materialize(assets, selection=select("raw_scrapes"), partition_key=DAY,
                              resources={"settings": settings}).success
        filler = disk / "filler"
        with open(filler, "wb") as handle:  # take every free byte
            try:
                while True:
                    handle.write(b"\0" * 65536)
                    handle.flush()
            except OSError:
                pass
        result = dg.materialize(assets, selection=select("extracted"), partition_key=DAY,
                                resources={"settings": settings}, raise_on_error=False)
        assert not result.success
        message = failure_text(result)
        assert "No space left on device writing" in message and "free space and re-run the day" in message
        filler.unlink()
        assert dg.materialize(assets, selection=select("extracted"), partition_key=DAY,
                              resources={"settings": settings}).success
