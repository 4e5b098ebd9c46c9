"""The raw_scrapes asset with a sources file: web and WARC beside the landing folder, fetch log,
re-runs that reuse what the day fetched, `refetch: true`, and the fetch log in the warehouse."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import dagster as dg
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from warehouse.lake import stage_file, table_file
from assets.raw import raw_scrapes
from pipelines.settings import NewsSettings
from tests.landing_fixture import DAY
from tests.pipeline_helpers import query, run_day, with_sources
from tests.web_fixture_server import FixtureSite, page, start

PARAGRAPHS = [
    "The regional rail operator confirmed on Tuesday that the night service between Harwick and the coast "
    "will run every thirty minutes from March, doubling the current timetable.",
    "Passenger groups had campaigned for the change for four years, collecting more than 6,000 signatures "
    "and presenting them to the transport committee last autumn.",
    "The operator said the extra trains would be paid for from ticket revenue and a one-off grant, and "
    "that no fares would rise before the end of the year.",
]


@pytest.fixture()
def site() -> Iterator[FixtureSite]:
    site = FixtureSite()
    server = start(site)
    base = site.base_url
    site.add("/robots.txt", "User-agent: *\nDisallow: /drafts/\n", "text/plain")
    site.add("/rail.html", page("Night trains to double", PARAGRAPHS))
    site.add("/drafts/rail.html", page("Draft", ["Not for crawlers."]))
    site.add("/tram.html", page("Tram depot opens", [p.replace("rail", "tram") for p in PARAGRAPHS]))
    site.add(
        "/news-sitemap.xml",
        f"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>{base}/tram.html</loc>
<news:news><news:publication_date>{DAY}T10:00:00Z</news:publication_date></news:news></url></urlset>""",
        "application/xml",
    )
    site.add(
        "/rss.xml",
        f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Line</title>
<item><title>Night trains</title><link>{base}/rail.html</link><pubDate>Tue, 03 Feb 2026 08:00:00 +0000</pubDate></item>
<item><title>Draft</title><link>{base}/drafts/rail.html</link><pubDate>Tue, 03 Feb 2026 09:00:00 +0000</pubDate></item>
</channel></rss>""",
        "application/rss+xml",
    )
    yield site
    server.shutdown()
    server.server_close()


def _sources(tmp_path: Path, base: str, refetch: bool = False) -> Path:
    warc = tmp_path / "archive" / "day.warc.gz"
    warc.parent.mkdir(exist_ok=True)
    with warc.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        body = page("Harbour cranes replaced", [p.replace("rail", "harbour") for p in PARAGRAPHS]).encode()
        writer.write_record(
            writer.create_warc_record("https://port.example/cranes", "response", payload=io.BytesIO(body),
                                      http_headers=http, warc_headers_dict={"WARC-Date": f"{DAY}T06:00:00Z"})
        )
    path = tmp_path / "sources.yaml"
    path.write_text(
        f"""defaults:
  rate_limit_per_host: 100
  allow_private_networks: true
  refetch: {str(refetch).lower()}
sources:
  - name: line
    feed: {base}/rss.xml
  - name: line-sitemap
    sitemap: {base}/news-sitemap.xml
  - name: port-archive
    warc: archive/*.warc.gz
""",
        encoding="utf-8",
    )
    return path


def _materialize(settings: NewsSettings) -> dg.ExecuteInProcessResult:
    return dg.materialize([raw_scrapes], partition_key=DAY, resources={"settings": settings})


def test_web_and_warc_beside_landing_then_rerun_reuses(site: FixtureSite, tmp_path: Path, settings: NewsSettings) -> None:
    settings = with_sources(settings, str(_sources(tmp_path, site.base_url)))
    day = date.fromisoformat(DAY)
    assert _materialize(settings).success
    stage = pq.read_table(stage_file(settings.lake, "raw_scrapes", day))
    kinds = stage.group_by("source_kind").aggregate([("scrape_id", "count")]).to_pylist()
    by_kind = {row["source_kind"]: row["scrape_id_count"] for row in kinds}
    assert by_kind["feed"] == 1 and by_kind["sitemap"] == 1 and by_kind["warc"] == 1 and by_kind["landing"] > 0
    web_ids = set(stage.filter(pc.field("source_kind") != "landing")["scrape_id"].to_pylist())
    log = pq.read_table(table_file(settings.lake, "fetch_log", day)).to_pylist()
    assert {(r["url"].removeprefix(site.base_url), r["error"]) for r in log} == {
        ("/robots.txt", None), ("/rss.xml", None), ("/rail.html", None), ("/drafts/rail.html", "robots_disallowed"),
        ("/news-sitemap.xml", None), ("/tram.html", None),
    }
    assert site.hits("/drafts/rail.html") == []

    # re-run: the page is reused, not fetched again; the log keeps both runs
    assert _materialize(settings).success
    assert len(site.hits("/rail.html")) == 1
    again = pq.read_table(stage_file(settings.lake, "raw_scrapes", day))
    assert set(again.filter(pc.field("source_kind") != "landing")["scrape_id"].to_pylist()) == web_ids
    log2 = pq.read_table(table_file(settings.lake, "fetch_log", day)).to_pylist()
    assert len(log2) > len(log) and ("already_fetched" in {r["error"] for r in log2})

    # refetch: true fetches the day's pages again
    settings = with_sources(settings, str(_sources(tmp_path, site.base_url, refetch=True)))
    assert _materialize(settings).success
    assert len(site.hits("/rail.html")) == 2


def test_fetch_log_is_written_even_when_the_step_fails(site: FixtureSite, tmp_path: Path, settings: NewsSettings, monkeypatch) -> None:
    settings = with_sources(settings, str(_sources(tmp_path, site.base_url)))

    def disk_full(scrapes):  # type: ignore[no-untyped-def]
        raise OSError("No space left on device")

    monkeypatch.setattr("assets.raw.raw_scrapes_to_arrow", disk_full)
    result = dg.materialize([raw_scrapes], partition_key=DAY, resources={"settings": settings}, raise_on_error=False)
    day = date.fromisoformat(DAY)
    assert not result.success
    assert not stage_file(settings.lake, "raw_scrapes", day).exists()
    log = pq.read_table(table_file(settings.lake, "fetch_log", day))
    assert site.base_url + "/rail.html" in log["url"].to_pylist()


def test_invalid_sources_file_fails_with_its_message(tmp_path: Path, settings: NewsSettings) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources: [{name: x, feed: gopher://old.example/}]", encoding="utf-8")
    settings = with_sources(settings, str(bad))
    result = dg.materialize([raw_scrapes], partition_key=DAY, resources={"settings": settings}, raise_on_error=False)
    assert not result.success
    failure = result.get_step_failure_events()[0].event_specific_data.error.message
    assert str(bad) in failure and "only http(s)" in failure


@pytest.mark.slow
def test_fetch_log_and_web_articles_reach_the_warehouse(site: FixtureSite, tmp_path: Path, settings: NewsSettings) -> None:
    settings = with_sources(settings, str(_sources(tmp_path, site.base_url)))
    assert run_day(settings, DAY).success
    wh = settings.warehouse
    assert query(wh, "SELECT count(*) FROM news.fetch_log WHERE partition_date = ?", [DAY])[0][0] == 6
    titles = query(wh, "SELECT r.source_kind, a.title FROM news.articles a JOIN news.raw_scrapes r USING (scrape_id) WHERE r.source_kind <> 'landing'")
    assert set(titles) == {("feed", "Night trains to double"), ("sitemap", "Tram depot opens"), ("warc", "Harbour cranes replaced")}
