"""WARC reading on files generated with warcio: day selection, offsets, corrupt and truncated records."""

from __future__ import annotations

import gzip
import io
import tracemalloc
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newskit.warc import iter_warc

DAY = date(2026, 11, 20)


def _response(writer: WARCWriter, url: str, body: bytes, when: str, status: str = "200 OK", **headers: str):  # type: ignore[no-untyped-def]
    http = StatusAndHeaders(
        status,
        [("Content-Type", headers.pop("content_type", "text/html; charset=windows-1252"))]
        + [(k.replace("_", "-"), v) for k, v in headers.items()],
        protocol="HTTP/1.1",
    )
    return writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), http_headers=http, warc_headers_dict={"WARC-Date": when}
    )


def write_warc(path: Path, gzipped: bool = True) -> None:
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzipped)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        writer.write_record(
            writer.create_warc_record(
                "https://dale.example/one", "request", payload=io.BytesIO(b"GET /one HTTP/1.1\r\n\r\n"),
                warc_headers_dict={"WARC-Date": "2026-11-20T07:00:00Z"},
            )
        )
        writer.write_record(_response(writer, "https://dale.example/one", "<p>Caf\u00e9 opens</p>".encode("cp1252"), "2026-11-20T07:00:00Z"))
        writer.write_record(_response(writer, "https://dale.example/yesterday", b"<p>old</p>", "2026-11-19T23:59:59Z"))
        writer.write_record(_response(writer, "https://dale.example/gone", b"missing", "2026-11-20T08:00:00Z", "404 Not Found"))
        writer.write_record(
            _response(
                writer, "https://dale.example/zipped", gzip.compress(b"<p>Compressed story</p>"), "2026-11-20T09:00:00Z",
                content_type="text/html", Content_Encoding="gzip",
            )
        )
        writer.write_record(_response(writer, "https://dale.example/big", b"<p>" + b"z" * 5000 + b"</p>", "2026-11-20T10:00:00Z"))
        writer.write_record(_response(writer, "https://www.dale.example/last", b"<p>Last story</p>", "2026-11-20T23:00:00Z"))


@pytest.mark.parametrize("gzipped", [True, False])
def test_response_records_of_the_day(tmp_path: Path, gzipped: bool) -> None:
    path = tmp_path / ("day.warc.gz" if gzipped else "day.warc")
    write_warc(path, gzipped)
    stats: Counter[str] = Counter()
    scrapes = list(iter_warc(path, DAY, max_bytes=1000, stats=stats))
    assert [s.url for s in scrapes] == [
        "https://dale.example/one",
        "https://dale.example/zipped",
        "https://dale.example/big",
        "https://www.dale.example/last",
    ]
    one, zipped, big, last = scrapes
    assert one.content == "<p>Caf\u00e9 opens</p>".encode("cp1252")
    assert (one.content_type, one.declared_charset, one.source_kind) == ("text/html", "windows-1252", "warc")
    assert one.fetched_at == datetime(2026, 11, 20, 7, tzinfo=UTC) and one.partition_date == DAY
    assert zipped.content == b"<p>Compressed story</p>"  # HTTP content-encoding removed
    assert big.reject_reason == "too_large" and len(big.content) == 1000
    assert last.site == "dale.example" and last.reject_reason is None
    assert stats["skipped_request"] == 1 and stats["skipped_warcinfo"] == 1
    assert stats["skipped_other_day"] == 1 and stats["skipped_http_404"] == 1


def test_whole_file_into_one_day_with_a_label(tmp_path: Path) -> None:
    path = tmp_path / "day.warc.gz"
    write_warc(path)
    scrapes = list(iter_warc(path, DAY, label="2026-11-20/day.warc.gz", only_day=False))
    assert "https://dale.example/yesterday" in [s.url for s in scrapes]
    assert {s.partition_date for s in scrapes} == {DAY}
    assert all(s.source.startswith("2026-11-20/day.warc.gz@") for s in scrapes)


def test_source_offset_finds_the_record_again(tmp_path: Path) -> None:
    path = tmp_path / "day.warc.gz"
    write_warc(path)
    for scrape in iter_warc(path, DAY, max_bytes=100_000):
        name, offset = scrape.source.rsplit("@", 1)
        assert name == str(path)
        with path.open("rb") as handle:
            handle.seek(int(offset))
            record = next(iter(ArchiveIterator(handle)))
            assert record.rec_headers.get_header("WARC-Target-URI") == scrape.url


@pytest.mark.parametrize("gzipped", [True, False])
def test_truncated_file_keeps_earlier_records_and_flags_the_cut_one(tmp_path: Path, gzipped: bool) -> None:
    path = tmp_path / "cut.warc"
    write_warc(path, gzipped)
    data = path.read_bytes()
    path.write_bytes(data[:-12])
    scrapes = list(iter_warc(path, DAY, max_bytes=100_000))
    assert [s.reject_reason for s in scrapes] == [None, None, None, "truncated_record"]
    assert scrapes[-1].url == "https://www.dale.example/last"


@pytest.mark.parametrize("gzipped", [True, False])
def test_corrupt_record_is_rejected_and_the_rest_is_read(tmp_path: Path, gzipped: bool) -> None:
    path = tmp_path / "bad.warc"
    write_warc(path, gzipped)
    good = list(iter_warc(path, DAY, max_bytes=100_000))
    offsets = [int(s.source.rsplit("@", 1)[1]) for s in good]
    data = bytearray(path.read_bytes())
    start = offsets[1]  # wreck the header of the second kept record
    data[start : start + 12] = b"\x1f\x8b\x08JUNKJUNKJ" if gzipped else b"JUNK/9.9 bad"
    path.write_bytes(bytes(data))
    scrapes = list(iter_warc(path, DAY, max_bytes=100_000))
    assert [(s.url, s.reject_reason) for s in scrapes] == [
        ("https://dale.example/one", None),
        (None, "corrupt_record"),
        ("https://dale.example/big", None),
        ("https://www.dale.example/last", None),
    ]
    assert scrapes[1].source == f"{path}@{start}" and scrapes[1].reject_detail


def test_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    path = tmp_path / "many.warc.gz"
    payload = b"<p>" + b"news " * 10_000 + b"</p>"  # 50 KB a record, 8 MB in all
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for i in range(160):
            writer.write_record(_response(writer, f"https://bulk.example/{i}", payload, "2026-11-20T12:00:00Z"))
    tracemalloc.start()
    try:
        count = sum(1 for _ in iter_warc(path, DAY))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 160
    assert peak < 2_000_000
