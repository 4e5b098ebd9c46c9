"""A polite and safe HTTP fetcher for news pages, feeds, sitemaps and robots.txt.

Polite: robots.txt is obeyed (fetched once per host and cached, Crawl-delay honoured), requests to
one host are spaced by the configured rate, the user agent says who we are, and 429/5xx answers are
retried a bounded number of times with exponential backoff that honours Retry-After.

Safe: only http/https; every TCP connection (the first request, every redirect hop and every
retry) goes through `_GuardedBackend`, which resolves the host itself, refuses private, loopback,
link-local, multicast and other non-global addresses, and then connects to the address it checked
(so a DNS answer cannot change between the check and the connection). Redirects are followed by
hand so each hop is checked against robots.txt and the redirect limit. Bodies are streamed and
decompressed by `BoundedBody`, which stops at `max_bytes` of *decompressed* output, so neither a
huge page nor a gzip bomb can fill memory. Each hop also has a total time budget.

Every request made (and every request refused before it was sent) is returned as a `FetchAttempt`
row for the fetch log; `fetch()` never raises for a failed fetch, it reports it.
"""

from __future__ import annotations

import ipaddress
import socket
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from protego import Protego

from newskit.sources_config import FetchSettings

PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/x-rss+xml",
    "application/xml",
    "text/xml",
    "text/plain",
)
SITEMAP_TYPES = (
    "application/xml",
    "text/xml",
    "text/plain",
    "application/gzip",
    "application/x-gzip",
    "application/octet-stream",
)
ROBOTS_MAX_BYTES = 500_000  # what Google reads of a robots.txt
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})

Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for host:port (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_public_address(ip: str) -> bool:
    """True for globally routable unicast addresses only."""
    addr = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return addr.is_global and not addr.is_multicast


class AddressBlocked(Exception):
    """A connection to a non-public address was refused (allow_private_networks is off)."""


class UnresolvableHost(Exception):
    """The host name does not resolve (not retried: a typo or a dead domain does not heal in seconds)."""


class ResponseTooLarge(Exception):
    pass


class UnsupportedEncoding(Exception):
    pass


class _GuardedBackend(httpcore.SyncBackend):
    """httpcore network backend that checks the resolved address of every TCP connection."""

    def __init__(self, allow_private: bool, resolver: Resolver) -> None:
        self._allow_private = allow_private
        self._resolver = resolver

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):  # type: ignore[no-untyped-def]
        try:
            addresses = self._resolver(host, port)
        except OSError as exc:
            raise UnresolvableHost(f"{host}: {exc}") from exc
        if not addresses:
            raise UnresolvableHost(host)
        if not self._allow_private:
            blocked = [a for a in addresses if not is_public_address(a)]
            if blocked:
                raise AddressBlocked(f"{host} resolves to non-public address {blocked[0]}")
        # Connect to an address we checked, not to the name (no second DNS lookup); like
        # socket.create_connection, try each address in turn (IPv6 may be unroutable here).
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure


class _GuardedTransport(httpx.HTTPTransport):
    """httpx transport whose connection pool uses `_GuardedBackend` (httpx 0.28 keeps it in `_pool`)."""

    def __init__(self, allow_private: bool, resolver: Resolver) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            network_backend=_GuardedBackend(allow_private, resolver),
        )


class BoundedBody:
    """Collects a response body, decoding gzip/deflate, and raises past `limit` decoded bytes.

    zlib's `max_length` keeps each step's output bounded, so a few KB of gzip that inflate to
    gigabytes never produce more than `limit + 1` bytes in memory.
    """

    def __init__(self, content_encoding: str | None, limit: int) -> None:
        encoding = (content_encoding or "identity").strip().lower()
        if encoding in ("identity", ""):
            self._inflater = None
        elif encoding in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._inflater = zlib.decompressobj(32 + zlib.MAX_WBITS)  # zlib or gzip header
        else:
            raise UnsupportedEncoding(encoding)
        self._limit = limit
        self._buffer = bytearray()

    def _append(self, data: bytes) -> None:
        self._buffer += data
        if len(self._buffer) > self._limit:
            raise ResponseTooLarge(f"body exceeds {self._limit} bytes")

    def feed(self, chunk: bytes) -> None:
        if self._inflater is None:
            self._append(chunk)
            return
        data = chunk
        while data:
            self._append(self._inflater.decompress(data, self._limit - len(self._buffer) + 1))
            data = self._inflater.unconsumed_tail

    def finish(self) -> bytes:
        if self._inflater is not None:
            self._append(self._inflater.flush(self._limit - len(self._buffer) + 1))
        return bytes(self._buffer)

    def __len__(self) -> int:
        return len(self._buffer)


def gunzip_capped(data: bytes, limit: int) -> bytes:
    """Decompress a gzip file's bytes (e.g. sitemap.xml.gz), raising ResponseTooLarge past limit."""
    body = BoundedBody("gzip", limit)
    body.feed(data)
    return body.finish()


@dataclass(frozen=True)
class FetchAttempt:
    """One row of the fetch log. attempt 0 means no request was sent (robots, scheme)."""

    url: str
    purpose: str  # page | feed | sitemap | robots
    attempt: int
    status: int | None
    bytes: int
    elapsed_ms: int
    error: str | None
    fetched_at: datetime
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FetchResult:
    url: str  # as requested
    final_url: str  # after redirects
    status: int | None
    content: bytes | None  # None unless the fetch succeeded with a body
    content_type: str | None  # media type without parameters
    declared_charset: str | None
    etag: str | None
    last_modified: str | None
    fetched_at: datetime
    attempts: tuple[FetchAttempt, ...]
    error: str | None = None  # short code, e.g. robots_disallowed, too_large, http_404
    not_modified: bool = False

    @property
    def ok(self) -> bool:
        return self.content is not None


@dataclass
class _Hop:
    """What one request of one hop produced."""

    row: FetchAttempt
    status: int | None = None
    content: bytes | None = None
    headers: httpx.Headers | None = None
    location: str | None = None
    retry_after: float | None = None
    retryable: bool = False


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """('text/html', 'utf-8') from 'text/html; charset=UTF-8'; (None, None) when absent."""
    if not value:
        return None, None
    msg = Message()
    msg["content-type"] = value
    charset = msg.get_param("charset")
    return msg.get_content_type(), (str(charset).strip().lower() if charset else None)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Fetcher:
    """One crawl session: shares the robots.txt cache, per-host clocks and connection pool.

    `resolver` is injectable for tests; `settings` may be overridden per call, since sources can
    carry their own limits (allow_private_networks is fixed when the fetcher is made).
    """

    def __init__(self, settings: FetchSettings, *, resolver: Resolver = system_resolver) -> None:
        self.settings = settings
        self._client = httpx.Client(
            transport=_GuardedTransport(settings.allow_private_networks, resolver),
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
        )
        self._robots: dict[str, Protego | str | None] = {}  # origin -> see _robots_for
        self._next_slot: dict[str, float] = {}  # origin -> monotonic time of the next allowed request

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    # -- politeness -------------------------------------------------------------------------

    def _robots_for(
        self, url: str, settings: FetchSettings, attempts: list[FetchAttempt]
    ) -> Protego | str | None:
        """The host's robots.txt parser; None = no robots.txt (allow all); a str = deny all, why.

        The robots.txt request (made once per host) is logged in `attempts` of the fetch that needed it.
        """
        origin = _origin(url)
        if origin not in self._robots:
            robots_settings = replace(settings, max_bytes=min(settings.max_bytes, ROBOTS_MAX_BYTES))
            result = self._fetch(origin + "/robots.txt", "robots", None, robots_settings, None, None)
            attempts.extend(result.attempts)
            status = result.status or 0
            if result.ok:
                assert result.content is not None
                self._robots[origin] = Protego.parse(result.content.decode("utf-8", "replace"))
            elif 400 <= status < 500 and status != 429:
                self._robots[origin] = None
            elif result.error in ("blocked_address", "dns_error"):
                self._robots[origin] = result.error  # the page would fail the same way
            else:
                # A server error or no answer denies the host for this run, as major crawlers do.
                self._robots[origin] = "robots_unavailable"
        return self._robots[origin]

    def _crawl_delay(self, url: str, settings: FetchSettings) -> float:
        robots = self._robots.get(_origin(url))
        if isinstance(robots, Protego):
            delay = robots.crawl_delay(settings.user_agent)
            return float(delay) if delay else 0.0
        return 0.0

    def _wait_turn(self, url: str, settings: FetchSettings) -> None:
        origin = _origin(url)
        interval = max(1.0 / settings.rate_limit_per_host, self._crawl_delay(url, settings))
        now = time.monotonic()
        slot = max(now, self._next_slot.get(origin, now))
        if slot > now:
            time.sleep(slot - now)
        self._next_slot[origin] = slot + interval

    def _hold_host(self, url: str, seconds: float) -> None:
        origin = _origin(url)
        self._next_slot[origin] = max(self._next_slot.get(origin, 0.0), time.monotonic() + seconds)

    # -- fetching ---------------------------------------------------------------------------

    def fetch(
        self,
        url: str,
        *,
        purpose: str = "page",
        accept: Iterable[str] | None = PAGE_TYPES,
        settings: FetchSettings | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> FetchResult:
        """Fetch one URL; `accept` lists allowed media types (None = any). Never raises for a failure."""
        return self._fetch(
            url,
            purpose,
            tuple(accept) if accept is not None else None,
            settings or self.settings,
            etag,
            last_modified,
        )

    def _fetch(
        self,
        url: str,
        purpose: str,
        accept: tuple[str, ...] | None,
        settings: FetchSettings,
        etag: str | None,
        last_modified: str | None,
    ) -> FetchResult:
        attempts: list[FetchAttempt] = []
        current = url
        seen = {url}
        redirects = 0

        def refused(error: str) -> FetchResult:
            """A request we decided not to send: logged as attempt 0."""
            attempts.append(FetchAttempt(current, purpose, 0, None, 0, 0, error, _utcnow()))
            return FetchResult(url, current, None, None, None, None, None, None, _utcnow(), tuple(attempts), error)

        while True:
            if urlsplit(current).scheme.lower() not in ("http", "https") or not urlsplit(current).hostname:
                return refused("bad_scheme")
            if purpose != "robots" and settings.obey_robots:
                robots = self._robots_for(current, settings, attempts)
                if isinstance(robots, str):
                    return refused(robots)
                if isinstance(robots, Protego) and not robots.can_fetch(current, settings.user_agent):
                    return refused("robots_disallowed")
                if self._crawl_delay(current, settings) > settings.max_retry_wait_s:
                    return refused("crawl_delay_too_long")
            hop = self._with_retries(current, purpose, accept, settings, etag, last_modified, attempts)
            if hop.location is None:
                break
            target = urljoin(current, hop.location)
            redirects += 1
            if target in seen:
                return refused("redirect_loop")
            if redirects > settings.max_redirects:
                return refused("too_many_redirects")
            seen.add(target)
            current = target

        row = hop.row
        headers = hop.headers or httpx.Headers()
        media_type, charset = parse_content_type(headers.get("content-type"))
        return FetchResult(
            url=url,
            final_url=current,
            status=hop.status,
            content=hop.content if row.error is None and hop.status != 304 else None,
            content_type=media_type,
            declared_charset=charset,
            etag=headers.get("etag"),
            last_modified=headers.get("last-modified"),
            fetched_at=row.fetched_at,
            attempts=tuple(attempts),
            error=row.error,
            not_modified=hop.status == 304,
        )

    def _with_retries(
        self,
        url: str,
        purpose: str,
        accept: tuple[str, ...] | None,
        settings: FetchSettings,
        etag: str | None,
        last_modified: str | None,
        attempts: list[FetchAttempt],
    ) -> _Hop:
        attempt = 0
        while True:
            attempt += 1
            self._wait_turn(url, settings)
            hop = self._request_once(url, purpose, attempt, accept, settings, etag, last_modified)
            attempts.append(hop.row)
            if not hop.retryable or attempt > settings.max_retries:
                return hop
            delay = settings.backoff_base_s * 2 ** (attempt - 1)
            if hop.retry_after is not None:
                if hop.retry_after > settings.max_retry_wait_s:
                    return hop  # the server asks for a longer pause than we are willing to wait
                delay = max(delay, hop.retry_after)
            self._hold_host(url, delay)  # later requests to this host wait too
            time.sleep(delay)

    def _request_once(
        self,
        url: str,
        purpose: str,
        attempt: int,
        accept: tuple[str, ...] | None,
        settings: FetchSettings,
        etag: str | None,
        last_modified: str | None,
    ) -> _Hop:
        started = time.monotonic()
        fetched_at = _utcnow()
        headers = {"User-Agent": settings.user_agent}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        status: int | None = None
        resp_headers: httpx.Headers | None = None
        body: BoundedBody | None = None

        def done(error: str | None, **kw: object) -> _Hop:
            elapsed = int((time.monotonic() - started) * 1000)
            etag_seen = resp_headers.get("etag") if resp_headers is not None else None
            modified = resp_headers.get("last-modified") if resp_headers is not None else None
            size = len(body) if body is not None else 0
            row = FetchAttempt(url, purpose, attempt, status, size, elapsed, error, fetched_at, etag_seen, modified)
            return _Hop(row=row, status=status, headers=resp_headers, **kw)  # type: ignore[arg-type]

        try:
            with self._client.stream(
                "GET", url, headers=headers, timeout=httpx.Timeout(settings.timeout_s)
            ) as response:
                status = response.status_code
                resp_headers = response.headers
                if status in (301, 302, 303, 307, 308):
                    location = response.headers.get("location")
                    if not location:
                        return done("redirect_without_location")
                    return done(None, location=location)
                if status == 304:
                    return done(None)
                if status in RETRYABLE_STATUS:
                    retry_after = parse_retry_after(response.headers.get("retry-after"), _utcnow())
                    return done(f"http_{status}", retryable=True, retry_after=retry_after)
                if status >= 400 or status < 200:
                    return done(f"http_{status}")
                media_type, _ = parse_content_type(response.headers.get("content-type"))
                if accept is not None and media_type is not None and media_type not in accept:
                    return done("unexpected_content_type")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and not response.headers.get("content-encoding"):
                    if int(declared) > settings.max_bytes:
                        return done("too_large")
                try:
                    body = BoundedBody(response.headers.get("content-encoding"), settings.max_bytes)
                except UnsupportedEncoding:
                    return done("unsupported_encoding")
                deadline = started + settings.timeout_s
                for chunk in response.iter_raw():
                    body.feed(chunk)
                    if time.monotonic() > deadline:
                        return done("timeout")
                content = body.finish()
                return done(None, content=content)
        except ResponseTooLarge:
            return done("too_large")
        except zlib.error:
            return done("decode_error")
        except AddressBlocked:
            return done("blocked_address")
        except UnresolvableHost:
            return done("dns_error")
        except httpx.TimeoutException:
            return done("timeout", retryable=True)
        except httpx.TransportError as exc:
            return done(f"network_error: {type(exc).__name__}", retryable=True)
