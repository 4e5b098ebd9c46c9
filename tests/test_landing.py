from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

from newskit.landing import scan_landing_day
from tests.landing_fixture import DAY, EXPECTED_DAY


def scan(root: Path, day: str = DAY, **kw):
    return list(scan_landing_day(root, date.fromisoformat(day), **kw))


def test_every_file_and_jsonl_line_becomes_a_scrape(landing: Path):
    scrapes = {s.source: s for s in scan(landing)}
    assert set(scrapes) == set(EXPECTED_DAY)
    assert scrapes[f"{DAY}/feeds/wire.jsonl:1"].url == "https://wire.example/port-record"
    assert scrapes[f"{DAY}/feeds/wire.jsonl:1"].fetched_at.isoformat() == "2026-02-03T09:00:00+00:00"
    assert scrapes[f"{DAY}/feeds/wire.jsonl:5"].content_type == "text/html"
    assert scrapes[f"{DAY}/feeds/wire.jsonl:5"].site == "harbour.example"
    assert scrapes[f"{DAY}/feeds/wire.jsonl:3"].reject_reason == "invalid_json"
    assert scrapes[f"{DAY}/feeds/wire.jsonl:4"].reject_reason == "missing_content"
    assert scrapes[f"{DAY}/notes.pdf"].reject_reason == "unsupported_type"


def test_site_comes_from_the_subfolder(landing: Path):
    scrapes = {s.source: s for s in scan(landing)}
    assert scrapes[f"{DAY}/harwick-post.example/ferry.txt"].site == "harwick-post.example"
    assert scrapes[f"{DAY}/storm.html"].site is None


def test_ids_are_deterministic_and_differ_per_origin(landing: Path):
    first = [s.scrape_id for s in scan(landing)]
    assert first == [s.scrape_id for s in scan(landing)]
    assert len(set(first)) == len(first)


def test_missing_day_folder_is_an_empty_day(landing: Path):
    assert scan(landing, "2026-01-01") == []


def test_symlink_out_of_the_scrapes_folder_is_not_followed(tmp_path: Path, landing: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("password=hunter2 " * 40)
    os.symlink(secret, landing / DAY / "leak.txt")
    os.symlink(tmp_path, landing / DAY / "escape")
    scrapes = {s.source: s for s in scan(landing)}
    assert scrapes[f"{DAY}/leak.txt"].reject_reason == "outside_scrapes_dir"
    assert scrapes[f"{DAY}/leak.txt"].content == b""
    assert scrapes[f"{DAY}/escape"].reject_reason == "outside_scrapes_dir"
    assert not any(b"hunter2" in s.content for s in scrapes.values())


def test_symlink_inside_the_scrapes_folder_is_read(landing: Path):
    os.symlink(landing / DAY / "storm.html", landing / DAY / "storm-link.html")
    scrapes = {s.source: s for s in scan(landing)}
    assert scrapes[f"{DAY}/storm-link.html"].content == scrapes[f"{DAY}/storm.html"].content


def test_oversized_file_and_line_are_rejected_with_their_size(landing: Path):
    (landing / DAY / "huge.html").write_bytes(b"<p>" + b"x" * 5000)
    (landing / DAY / "feeds" / "big.jsonl").write_text(json.dumps({"url": "u", "text": "y" * 5000}) + "\n")
    scrapes = {s.source: s for s in scan(landing, max_bytes=1000)}
    huge = scrapes[f"{DAY}/huge.html"]
    assert huge.reject_reason == "too_large" and huge.size == 5003 and len(huge.content) == 1000
    assert scrapes[f"{DAY}/feeds/big.jsonl:1"].reject_reason == "too_large"


def test_warc_in_a_day_folder_yields_its_responses_and_quarantines_a_cut_record(landing: Path):
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for n in range(2):
        page = f"<html><body><article><p>Crews repaired dyke number {n} overnight.</p></article></body></html>".encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"https://dyke.example/{n}", "response",
                                                      payload=io.BytesIO(page), http_headers=headers))
    data = buffer.getvalue()
    (landing / DAY / "crawl.warc.gz").write_bytes(data)
    (landing / DAY / "cut.warc.gz").write_bytes(data[: len(data) - 40])
    scrapes = [s for s in scan(landing) if ".warc.gz@" in s.source]
    whole = [s for s in scrapes if s.source.startswith(f"{DAY}/crawl.warc.gz@")]
    assert [s.url for s in whole] == ["https://dyke.example/0", "https://dyke.example/1"]
    assert all(s.reject_reason is None and b"dyke number" in s.content for s in whole)
    cut = [s for s in scrapes if s.source.startswith(f"{DAY}/cut.warc.gz@")]
    assert cut[0].reject_reason is None and cut[-1].reject_reason is not None


def test_broken_symlink_is_recorded_not_dropped(landing: Path):
    os.symlink(landing / DAY / "gone.html", landing / DAY / "dangling.html")
    scrapes = {s.source: s for s in scan(landing)}
    assert scrapes[f"{DAY}/dangling.html"].reject_reason == "broken_symlink"


def test_unreadable_file_is_quarantined_and_the_day_goes_on(landing: Path, monkeypatch):
    real_open = os.open

    def failing_open(path, *args, **kwargs):
        if os.fspath(path).endswith("storm.html"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", failing_open)
    scrapes = {s.source: s for s in scan(landing)}
    assert scrapes[f"{DAY}/storm.html"].reject_reason == "unreadable"
    assert "Permission denied" in scrapes[f"{DAY}/storm.html"].reject_detail
    assert scrapes[f"{DAY}/latin1.txt"].reject_reason is None
