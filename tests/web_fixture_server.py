"""A real HTTP server on 127.0.0.1 for the fetch/feed/sources tests.

Routes map a path to a function `(hit_number, request_headers) -> (status, headers, body)`; every
request is logged with its arrival time so tests can check what was fetched, skipped and paced.
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Response = tuple[int, dict[str, str], bytes]
Route = Callable[[int, dict[str, str]], Response]


@dataclass
class LoggedRequest:
    path: str
    at: float
    headers: dict[str, str]


@dataclass
class FixtureSite:
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[LoggedRequest] = field(default_factory=list)
    base_url: str = ""

    def hits(self, path: str) -> list[LoggedRequest]:
        return [r for r in self.requests if r.path == path]

    def add(self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8", status: int = 200, **headers: str) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        all_headers: dict[str, str] = {"Content-Type": content_type, **{k.replace("_", "-"): v for k, v in headers.items()}}
        self.routes[path] = lambda hit, req: (status, all_headers, data)


def page(title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"


@functools.cache
def gzip_bomb(decompressed_size: int) -> bytes:
    """A few KB of gzip that inflate to `decompressed_size` bytes of zeros."""
    chunk = b"\0" * 1_000_000
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9) as gz:
        for _ in range(decompressed_size // len(chunk)):
            gz.write(chunk)
    return buf.getvalue()


def start(site: FixtureSite) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (http.server API)
            path = self.path
            site.requests.append(LoggedRequest(path, time.monotonic(), dict(self.headers.items())))
            route = site.routes.get(path)
            if route is None:
                status, headers, body = 404, {"Content-Type": "text/plain"}, b"not found"
            else:
                status, headers, body = route(len(site.hits(path)), dict(self.headers.items()))
            self.send_response(status)
            # X-Unsized: send no Content-Length and close the connection after the body.
            headers = dict(headers)
            unsized = headers.pop("X-Unsized", None) is not None
            for key, value in headers.items():
                self.send_header(key, value)
            if unsized:
                self.send_header("Connection", "close")
                self.close_connection = True
            elif "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading (size cap): that is the point of some tests

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    return server


@contextmanager
def post_receiver() -> Iterator[tuple[str, list[dict]]]:
    """A server on 127.0.0.1 that records the JSON bodies POSTed to it (a webhook's far end);
    yields its URL and the list they land in."""
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server API)
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    finally:
        server.shutdown()
        server.server_close()
