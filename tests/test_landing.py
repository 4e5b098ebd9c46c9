from __future__ import annotations

import json
import os
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

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


# -- hostile entries: each is one record with a specific reason, and the rest of the day reads on --


def _by_source(root: Path, **kw) -> dict:
    return {s.source: s for s in scan(root, **kw)}


def _sparse(path: Path, head: bytes, size: int = 1 << 30) -> None:
    """`head`, then zeros up to `size` bytes of apparent size: a sparse file costs no disk."""
    with open(path, "wb") as handle:
        handle.write(head)
        handle.truncate(size)


def test_fifo_and_socket_are_recorded_and_never_opened(landing: Path, monkeypatch: pytest.MonkeyPatch):
    import socket

    os.mkfifo(landing / DAY / "pipe.html")  # opening it for reading would block the run forever
    server = socket.socket(socket.AF_UNIX)
    monkeypatch.chdir(landing / DAY / "feeds")  # a socket path may have at most 107 bytes: bind a relative one
    server.bind("live.jsonl")
    try:
        scrapes = _by_source(landing)
    finally:
        server.close()
    assert scrapes[f"{DAY}/pipe.html"].reject_reason == "not_regular_file"
    assert "FIFO" in scrapes[f"{DAY}/pipe.html"].reject_detail
    assert scrapes[f"{DAY}/feeds/live.jsonl"].reject_reason == "not_regular_file"
    assert "socket" in scrapes[f"{DAY}/feeds/live.jsonl"].reject_detail
    assert scrapes[f"{DAY}/storm.html"].reject_reason is None


def test_symlink_to_a_fifo_inside_the_folder_is_not_opened_either(landing: Path):
    os.mkfifo(landing / DAY / "pipe")
    os.symlink(landing / DAY / "pipe", landing / DAY / "pipe-link.txt")
    scrapes = _by_source(landing)
    assert scrapes[f"{DAY}/pipe-link.txt"].reject_reason == "not_regular_file"


def test_symlink_loops_are_one_record_each(landing: Path):
    os.symlink("self.html", landing / DAY / "self.html")
    os.symlink("b.html", landing / DAY / "a.html")
    os.symlink("a.html", landing / DAY / "b.html")
    os.symlink(".", landing / DAY / "again")  # a folder that leads back to the day
    scrapes = _by_source(landing)
    for name in ("self.html", "a.html", "b.html", "again"):
        assert scrapes[f"{DAY}/{name}"].reject_reason == "symlink_loop", name
    assert len([s for s in scrapes if s.endswith("storm.html")]) == 1


def test_a_name_that_is_not_utf8_gets_a_stable_escaped_source(landing: Path):
    name = os.fsencode(landing / DAY) + b"/caf\xe9-\xff.html"
    with open(name, "wb") as handle:
        handle.write((landing / DAY / "storm.html").read_bytes())
    first, second = _by_source(landing), _by_source(landing)
    source = f"{DAY}/caf\\xe9-\\xff.html"
    assert first[source].reject_reason is None and first[source].content.startswith(b"<!doctype")
    assert first[source].scrape_id == second[source].scrape_id
    source.encode("utf-8")  # a valid string for Arrow and DuckDB


def test_hostile_jsonl_lines_each_get_their_own_reason(landing: Path):
    lines = [
        "[" * 200_000 + "]" * 200_000,  # RecursionError in the JSON parser
        json.dumps({"url": "http://[::1", "text": "x"}),  # urlsplit raises
        json.dumps({"url": "https://a.example/1", "fetched_at": "0001-01-01T00:00:00+14:00", "text": "early"}),
        json.dumps({"url": "https://a.example/2", "fetched_at": "9999-12-31T23:59:59-12:00", "text": "late"}),
        '{"url": "https://a.example/\\ud800", "text": "lone surrogate"}',
        json.dumps({"url": "https://a.example/3", "fetched_at": "2026-02-03T10:00:00+02:00", "text": "fine"}),
    ]
    path = landing / DAY / "feeds" / "hostile.jsonl"
    path.write_text("\n".join(lines) + "\n")
    mtime = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
    scrapes = _by_source(landing)
    line = lambda n: scrapes[f"{DAY}/feeds/hostile.jsonl:{n}"]  # noqa: E731
    assert line(1).reject_reason == "invalid_json" and "nested too deeply" in line(1).reject_detail
    assert line(2).reject_reason is None and line(2).url == "http://[::1" and line(2).site is None
    for n in (3, 4):  # the time zone would move them out of years 1-9999: the file's own time is used
        assert line(n).reject_reason is None and line(n).fetched_at == mtime
    assert line(5).url == "https://a.example/?"
    assert line(6).fetched_at.isoformat() == "2026-02-03T08:00:00+00:00"


def test_a_sparse_jsonl_without_newline_is_one_too_large_line_read_in_blocks(landing: Path):
    path = landing / DAY / "feeds" / "sparse.jsonl"
    _sparse(path, b'{"url": "https://a.example/big", "text": "')  # 1 GiB apparent size, no newline
    with open(path, "ab") as handle:
        handle.write(b'"}\n' + json.dumps({"url": "https://a.example/next", "text": "after"}).encode() + b"\n")
    scrapes = _by_source(landing, max_bytes=100_000)
    big = scrapes[f"{DAY}/feeds/sparse.jsonl:1"]
    assert big.reject_reason == "too_large" and len(big.content) == 100_000 and big.size == (1 << 30) + 2
    assert scrapes[f"{DAY}/feeds/sparse.jsonl:2"].content == b"after"


def test_a_sparse_file_named_warc_is_one_not_warc_record(landing: Path):
    _sparse(landing / DAY / "huge.warc", b"")
    scrapes = _by_source(landing)
    huge = [s for s in scrapes.values() if s.source.startswith(f"{DAY}/huge.warc")]
    assert [s.reject_reason for s in huge] == ["not_warc"]
    assert "00 00 00" in huge[0].reject_detail


def test_a_warc_header_followed_by_zeros_is_a_bounded_corrupt_record(landing: Path):
    _sparse(landing / DAY / "zeros.warc", b"WARC/1.0\r\nWARC-Type: response\r\n")
    scrapes = [s for s in scan(landing, max_bytes=100_000) if s.source.startswith(f"{DAY}/zeros.warc")]
    assert [s.reject_reason for s in scrapes] == ["corrupt_record"]
    assert "rest of the file is not read" in scrapes[0].reject_detail


def test_a_file_over_the_raw_limit_keeps_its_first_bytes(landing: Path):
    _sparse(landing / DAY / "sparse.html", b"<html><body>")
    huge = _by_source(landing, max_bytes=50_000)[f"{DAY}/sparse.html"]
    assert huge.reject_reason == "too_large" and len(huge.content) == 50_000 and huge.size == 1 << 30
