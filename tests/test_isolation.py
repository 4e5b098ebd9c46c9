"""RecordGuard: a record's exception is that record's internal_error; faults of the machine are not."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from newskit.isolation import (
    DETAIL_CHARS,
    InternalErrorThreshold,
    RecordGuard,
    SystemicError,
    failure_detail,
)


def test_an_exception_becomes_the_records_detail_and_is_counted():
    guard = RecordGuard("extract")
    results = [guard.run(lambda url: urlsplit(url).hostname, url, lambda detail: detail)
               for url in ("https://a.example/x", "http://[::1", "https://b.example/")]
    assert results == ["a.example", "extract: ValueError: Invalid IPv6 URL", "b.example"]
    assert guard.metadata() == {"internal_errors": 1, "internal_errors_by_type": {"ValueError": 1}}


def test_a_recursion_error_is_a_record_error_not_a_crash():
    guard = RecordGuard("landing")
    detail = guard.run(json.loads, "[" * 100_000 + "]" * 100_000, lambda d: d)
    assert detail.startswith("landing: RecursionError: maximum recursion depth exceeded")


def test_the_detail_is_one_line_and_cut():
    detail = failure_detail("clean", ValueError("line one\nline two " + "x" * 1000))
    assert "\n" not in detail and len(detail) == DETAIL_CHARS and detail.endswith("…")
    assert detail.startswith("clean: ValueError: line one line two")


def test_a_full_disk_stops_the_run_and_says_what_to_do():
    def write_to_full_disk(_):
        with open("/dev/full", "wb") as handle:  # the kernel's always-full device: a real ENOSPC
            handle.write(b"x" * 65536)
            handle.flush()

    guard = RecordGuard("extract")
    with pytest.raises(SystemicError, match=r"^No space left on device: free space and re-run the day$"):
        guard.run(write_to_full_disk, None, lambda detail: detail)
    assert guard.count == 0


def test_out_of_memory_and_interrupts_are_not_swallowed():
    guard = RecordGuard("nlp")
    with pytest.raises(SystemicError, match="Out of memory"):
        guard.run(lambda n: bytearray(n), 1 << 62, lambda detail: detail)  # a real MemoryError

    def interrupted(_):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        guard.run(interrupted, None, lambda detail: detail)
    assert guard.count == 0


def test_run_batch_loses_only_the_records_that_fail_alone():
    guard = RecordGuard("nlp")
    failed = []
    results = guard.run_batch(lambda batch: [1 / x for x in batch], [1, 2, 0, 4],
                              lambda record, detail: failed.append((record, detail)))
    assert results == [[1.0], [0.5], [0.25]]
    assert failed == [(0, "nlp: ZeroDivisionError: division by zero")]


@pytest.mark.parametrize(
    ("errors", "scrapes", "exceeded"),
    [(1, 2, False), (2, 10, False), (3, 10, True), (3, 60, False), (4, 60, True), (60, 1000, True), (50, 1000, False)],
)
def test_the_threshold_needs_both_the_share_and_the_minimum(errors: int, scrapes: int, exceeded: bool):
    assert InternalErrorThreshold(max_share=0.05, min_count=3).exceeded(errors, scrapes) is exceeded


def test_one_raw_limit_and_what_derives_from_it():
    from newskit.limits import DEFAULT_MAX_RAW_BYTES, Limits
    from newskit.scrape_text import read_scrape
    from newskit.sources_config import SourcesConfigError, parse_sources_config
    from pipelines.settings import NewsSettings

    assert NewsSettings(scrapes_dir="/s", warehouse_path="/w/warehouse.duckdb").max_raw_bytes == DEFAULT_MAX_RAW_BYTES
    limits = Limits(100_000)
    assert limits.max_extract_chars == 40_000 and limits.warc_resync_bytes == 400_000
    page = ("<html><body>" + "<p>words of a page</p>" * 2500 + "</body></html>").encode()  # ~57,000 chars
    assert read_scrape(page, "text/html", None, None, limits).reject_reason == "too_large"
    assert read_scrape(page, "text/html", None, None, Limits(1_000_000)).reject_reason is None
    config = parse_sources_config({"sources": [{"name": "wire", "urls": ["https://a.example/"]}]}, max_raw_bytes=123_456)
    assert config.sources[0].settings.max_bytes == 123_456  # a source's cap is the run's limit
    lower = parse_sources_config({"defaults": {"max_bytes": 1000}, "sources": []}, max_raw_bytes=123_456)
    assert lower.defaults.max_bytes == 1000  # ... or lower
    with pytest.raises(SourcesConfigError, match=r"max_bytes: 200000 is over the run's raw size limit max_raw_bytes = 123456"):
        parse_sources_config({"sources": [{"name": "big", "urls": ["https://a.example/"], "max_bytes": 200_000}]},
                             max_raw_bytes=123_456)


def test_triage_of_an_article_fetched_at_the_end_of_the_calendar():
    from datetime import date, datetime, timezone

    from assets.quality import triage

    row = {"scrape_id": "s1", "article_id": "a1", "source": "x.warc@0", "reject_reason": None, "reject_detail": None,
           "body": "The ferry to Ostby ran again on Monday, the council said. " * 20, "title": "Ferry",
           "published_at": datetime(9999, 12, 31, tzinfo=timezone.utc),
           "fetched_at": datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc), "language": "en",
           "boilerplate_chars": 0, "removed_text": ""}
    article, held, _ = triage(row, date(2026, 2, 3))  # fetched_at + 1 day would be past year 9999
    assert article is not None and held is None
