"""The fetcher against a real HTTP server on 127.0.0.1: politeness, retries, redirects, caps, safety."""

from __future__ import annotations

import gzip
import time
import tracemalloc
from collections.abc import Iterator

import pytest
from tests.web_fixture_server import FixtureSite, gzip_bomb, page, start

from newskit.fetch import Fetcher, is_public_address
from newskit.sources_config import FetchSettings

MAX_BYTES = 100_000
FAST = FetchSettings(
    rate_limit_per_host=100.0,
    max_bytes=MAX_BYTES,
    timeout_s=5.0,
    allow_private_networks=True,
    max_retries=2,
    backoff_base_s=0.05,
    max_redirects=3,
)


def _build_site() -> FixtureSite:
    site = FixtureSite()
    site.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    site.add("/a.html", page("Harbour bridge reopens", ["The bridge reopened on Tuesday after repairs."]))
    site.add("/b.html", page("Council votes on budget", ["The council approved the budget."]))
    site.add("/c.html", page("Ferry timetable changes", ["Ferries run hourly from Monday."]))
    site.add("/private/secret.html", page("Secret", ["Nobody should fetch this."]))
    site.routes["/busy.html"] = lambda hit, req: (
        (429, {"Content-Type": "text/plain", "Retry-After": "1"}, b"slow down")
        if hit == 1
        else (200, {"Content-Type": "text/html"}, page("Busy", ["Finally served."]).encode())
    )
    site.routes["/flaky.html"] = lambda hit, req: (
        (500, {"Content-Type": "text/plain"}, b"oops")
        if hit == 1
        else (200, {"Content-Type": "text/html"}, page("Flaky", ["Second time lucky."]).encode())
    )
    site.add("/down.html", "maintenance", "text/plain", status=503)
    site.add("/loop-a", "", status=302, Location="/loop-b")
    site.add("/loop-b", "", status=302, Location="/loop-a")
    site.add("/moved", "", status=301, Location="/a.html")
    for i in range(6):
        site.add(f"/hop{i}", "", status=302, Location=f"/hop{i + 1}")
    site.add("/to-file", "", status=302, Location="file:///etc/passwd")
    site.add("/to-private", "", status=302, Location="/private/secret.html")
    site.add("/huge.html", "<p>" + "x" * (3 * MAX_BYTES) + "</p>")
    site.add("/huge-unsized.html", "<p>" + "y" * (3 * MAX_BYTES) + "</p>", X_Unsized="1")
    site.add("/bomb.html", gzip_bomb(50_000_000), Content_Encoding="gzip")
    site.add("/zipped.html", gzip.compress(page("Zipped", ["Compressed but small."]).encode()), Content_Encoding="gzip")
    site.add("/photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "image/png")
    site.routes["/tagged.html"] = lambda hit, req: (
        (304, {"ETag": '"v1"'}, b"")
        if req.get("If-None-Match") == '"v1"'
        else (200, {"Content-Type": "text/html", "ETag": '"v1"'}, page("Tagged", ["Versioned page."]).encode())
    )
    return site


@pytest.fixture()
def site() -> Iterator[FixtureSite]:
    site = _build_site()
    server = start(site)
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture()
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(FAST) as f:
        yield f


def test_page_is_fetched_with_type_charset_and_log_rows(site: FixtureSite, fetcher: Fetcher) -> None:
    result = fetcher.fetch(site.base_url + "/a.html")
    assert result.ok and result.status == 200
    assert b"Harbour bridge reopens" in (result.content or b"")
    assert (result.content_type, result.declared_charset) == ("text/html", "utf-8")
    # robots.txt was needed first: both requests are in the log of this fetch.
    assert [(a.purpose, a.status, a.error) for a in result.attempts] == [("robots", 200, None), ("page", 200, None)]
    assert result.attempts[-1].bytes == len(result.content or b"")
    assert "newskit" in site.hits("/a.html")[0].headers["User-Agent"]


def test_robots_disallowed_path_is_never_requested_and_robots_is_cached(site: FixtureSite, fetcher: Fetcher) -> None:
    assert fetcher.fetch(site.base_url + "/a.html").ok
    blocked = fetcher.fetch(site.base_url + "/private/secret.html")
    via_redirect = fetcher.fetch(site.base_url + "/to-private")
    assert fetcher.fetch(site.base_url + "/b.html").ok
    assert blocked.error == "robots_disallowed" and not blocked.ok
    assert blocked.attempts[-1].attempt == 0  # logged, but no request sent
    assert via_redirect.error == "robots_disallowed"
    assert site.hits("/private/secret.html") == []
    assert len(site.hits("/robots.txt")) == 1


def test_429_waits_for_retry_after_then_succeeds(site: FixtureSite, fetcher: Fetcher) -> None:
    result = fetcher.fetch(site.base_url + "/busy.html")
    assert result.ok
    page_rows = [a for a in result.attempts if a.purpose == "page"]
    assert [(a.attempt, a.status, a.error) for a in page_rows] == [(1, 429, "http_429"), (2, 200, None)]
    first, second = site.hits("/busy.html")
    assert second.at - first.at >= 0.95


def test_500_then_200_is_retried(site: FixtureSite, fetcher: Fetcher) -> None:
    result = fetcher.fetch(site.base_url + "/flaky.html")
    assert result.ok and b"Second time lucky" in (result.content or b"")
    assert [a.status for a in result.attempts if a.purpose == "page"] == [500, 200]


def test_retries_are_bounded_with_growing_backoff(site: FixtureSite, fetcher: Fetcher) -> None:
    result = fetcher.fetch(site.base_url + "/down.html")
    assert not result.ok and result.error == "http_503"
    hits = site.hits("/down.html")
    assert len(hits) == 1 + FAST.max_retries
    gaps = [b.at - a.at for a, b in zip(hits, hits[1:])]
    assert gaps[0] >= FAST.backoff_base_s * 0.9 and gaps[1] >= 2 * FAST.backoff_base_s * 0.9


def test_retry_after_longer_than_allowed_gives_up(site: FixtureSite) -> None:
    site.add("/closed.html", "later", "text/plain", status=429, Retry_After="3600")
    with Fetcher(FAST) as fetcher:
        result = fetcher.fetch(site.base_url + "/closed.html")
    assert result.error == "http_429"
    assert len(site.hits("/closed.html")) == 1


def test_redirects_followed_loops_and_chains_stopped(site: FixtureSite, fetcher: Fetcher) -> None:
    moved = fetcher.fetch(site.base_url + "/moved")
    assert moved.ok and moved.final_url == site.base_url + "/a.html"
    assert [a.status for a in moved.attempts if a.purpose == "page"] == [301, 200]

    loop = fetcher.fetch(site.base_url + "/loop-a")
    assert loop.error == "redirect_loop" and not loop.ok
    assert len(site.hits("/loop-a")) == 1 and len(site.hits("/loop-b")) == 1

    chain = fetcher.fetch(site.base_url + "/hop0")
    assert chain.error == "too_many_redirects"
    assert site.hits(f"/hop{FAST.max_redirects + 1}") == []


def test_only_http_and_https(site: FixtureSite, fetcher: Fetcher) -> None:
    assert fetcher.fetch("ftp://127.0.0.1/file.txt").error == "bad_scheme"
    assert fetcher.fetch("file:///etc/passwd").error == "bad_scheme"
    redirected = fetcher.fetch(site.base_url + "/to-file")
    assert redirected.error == "bad_scheme" and redirected.content is None


def test_oversized_pages_are_cut_off(site: FixtureSite, fetcher: Fetcher) -> None:
    declared = fetcher.fetch(site.base_url + "/huge.html")
    assert declared.error == "too_large" and declared.content is None
    assert declared.attempts[-1].bytes == 0  # Content-Length said it all: body not read
    streamed = fetcher.fetch(site.base_url + "/huge-unsized.html")
    assert streamed.error == "too_large" and streamed.content is None
    assert MAX_BYTES < streamed.attempts[-1].bytes < 2 * MAX_BYTES


def test_gzip_bomb_is_stopped_without_inflating_it(site: FixtureSite, fetcher: Fetcher) -> None:
    fetcher.fetch(site.base_url + "/a.html")  # warm up: robots and connection
    tracemalloc.start()
    try:
        result = fetcher.fetch(site.base_url + "/bomb.html")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.error == "too_large" and result.content is None
    assert peak < 20 * MAX_BYTES  # 50 MB inflated would be far above this


def test_gzip_encoded_page_is_decoded(site: FixtureSite, fetcher: Fetcher) -> None:
    result = fetcher.fetch(site.base_url + "/zipped.html")
    assert result.ok and b"Compressed but small." in (result.content or b"")


def test_unexpected_content_type_is_refused(site: FixtureSite, fetcher: Fetcher) -> None:
    result = fetcher.fetch(site.base_url + "/photo.png")
    assert result.error == "unexpected_content_type" and result.content is None


def test_per_host_rate_limit_spaces_requests(site: FixtureSite) -> None:
    with Fetcher(FetchSettings(**{**FAST.__dict__, "rate_limit_per_host": 5.0})) as fetcher:
        for path in ("/a.html", "/b.html", "/c.html"):
            assert fetcher.fetch(site.base_url + path).ok
    times = [r.at for r in site.requests]  # robots.txt, a, b, c
    assert len(times) == 4
    assert all(b - a >= 0.18 for a, b in zip(times, times[1:]))


def test_robots_crawl_delay_slows_a_fast_rate_limit() -> None:
    other = FixtureSite()
    other.add("/robots.txt", "User-agent: *\nCrawl-delay: 0.3\n", "text/plain")
    for path in ("/a.html", "/b.html"):
        other.add(path, page("Delayed", ["Slowly now."]))
    server = start(other)
    try:
        with Fetcher(FAST) as fetcher:  # 100 requests/s asked, robots.txt says one per 0.3 s
            assert fetcher.fetch(other.base_url + "/a.html").ok and fetcher.fetch(other.base_url + "/b.html").ok
    finally:
        server.shutdown()
        server.server_close()
    first, second = other.hits("/a.html")[0], other.hits("/b.html")[0]
    assert second.at - first.at >= 0.28


def test_conditional_get_reports_not_modified(site: FixtureSite, fetcher: Fetcher) -> None:
    first = fetcher.fetch(site.base_url + "/tagged.html")
    assert first.ok and first.etag == '"v1"'
    again = fetcher.fetch(site.base_url + "/tagged.html", etag=first.etag)
    assert again.not_modified and again.status == 304 and again.content is None and again.error is None
    assert site.hits("/tagged.html")[1].headers["If-None-Match"] == '"v1"'


def test_robots_server_error_denies_the_host(fetcher: Fetcher) -> None:
    other = FixtureSite()
    other.add("/robots.txt", "down", "text/plain", status=500)
    other.add("/a.html", page("A", ["a"]))
    server = start(other)
    try:
        result = fetcher.fetch(other.base_url + "/a.html")
    finally:
        server.shutdown()
        server.server_close()
    assert result.error == "robots_unavailable"
    assert other.hits("/a.html") == []


def test_default_settings_refuse_loopback(site: FixtureSite) -> None:
    with Fetcher(FetchSettings()) as fetcher:
        by_ip = fetcher.fetch(site.base_url + "/a.html")
        by_name = fetcher.fetch(site.base_url.replace("127.0.0.1", "localhost") + "/b.html")
    assert by_ip.error == "blocked_address" and by_name.error == "blocked_address"
    assert site.requests == []  # not even robots.txt was requested


def test_address_is_checked_after_name_resolution(site: FixtureSite) -> None:
    port = int(site.base_url.rsplit(":", 1)[1])
    url = f"http://news.invalid:{port}/a.html"  # resolvable only through the injected resolver

    def resolver(host: str, _port: int) -> list[str]:
        return ["127.0.0.1"] if host == "news.invalid" else []

    with Fetcher(FetchSettings(**{**FAST.__dict__, "allow_private_networks": False}), resolver=resolver) as f:
        assert f.fetch(url).error == "blocked_address"
    with Fetcher(FAST, resolver=resolver) as f:
        assert f.fetch(url).ok  # connected to the address it resolved and checked
    assert len(site.hits("/a.html")) == 1


def test_next_resolved_address_is_tried_when_one_refuses(site: FixtureSite) -> None:
    port = int(site.base_url.rsplit(":", 1)[1])
    # the server listens on 127.0.0.1 only, so ::1 refuses (or has no IPv6 at all)
    with Fetcher(FAST, resolver=lambda host, _port: ["::1", "127.0.0.1"]) as fetcher:
        result = fetcher.fetch(f"http://dual.invalid:{port}/a.html")
    assert result.ok and len(site.hits("/a.html")) == 1


def test_unresolvable_host_fails_fast_without_retries() -> None:
    with Fetcher(FAST, resolver=lambda host, port: []) as fetcher:
        result = fetcher.fetch("http://nowhere.invalid/a.html")
    assert result.error == "dns_error"
    assert [(a.purpose, a.attempt, a.error) for a in result.attempts] == [
        ("robots", 1, "dns_error"),
        ("page", 0, "dns_error"),
    ]


@pytest.mark.parametrize(
    ("ip", "public"),
    [
        ("93.184.216.34", True),
        ("2606:4700::6810:85e5", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.0.10", False),
        ("172.16.5.4", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("224.0.0.251", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
        ("ff02::1", False),
    ],
)
def test_public_address_classification(ip: str, public: bool) -> None:
    assert is_public_address(ip) is public


def test_timeout_is_reported_and_does_not_hang(site: FixtureSite) -> None:
    def slow(hit: int, req: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        time.sleep(1.5)
        return 200, {"Content-Type": "text/html"}, b"<p>late</p>"

    site.routes["/slow.html"] = slow
    settings = FetchSettings(**{**FAST.__dict__, "timeout_s": 0.5, "max_retries": 0})
    with Fetcher(settings) as fetcher:
        started = time.monotonic()
        result = fetcher.fetch(site.base_url + "/slow.html")
    assert result.error == "timeout"
    assert time.monotonic() - started < 1.4
