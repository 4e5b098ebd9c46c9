"""Shard tasks and worker setups for tests/test_parallel_workers.py: importable by worker processes.

A monkeypatch in the test process never reaches a worker, so the faults are set up in the worker:
`setup_broken_extract` makes the real extractor raise on pages that carry `RAISES` and kill its own
process on pages that carry `KILLS`, then runs the stage's own setup.
"""

from __future__ import annotations

import os
import signal

from newskit.shards import setup_extract

RAISES = "extractor-bug-marker"
KILLS = "worker-killer-marker"


def square(shard: list[int]) -> list[int]:
    return [n * n for n in shard]


def square_or_die(shard: list[int]) -> list[int]:
    """Dies (SIGKILL, as the out-of-memory killer does) on a shard holding 13."""
    if 13 in shard:
        os.kill(os.getpid(), signal.SIGKILL)
    return [n * n for n in shard]


def always_die(shard: list[int]) -> list[int]:
    os.kill(os.getpid(), signal.SIGKILL)
    return shard


def setup_broken_extract(schema, limits) -> None:
    import newskit.scrape_text

    real = newskit.scrape_text.extract_html

    def extract_html(html, url=None, max_chars=None):
        if RAISES in html:
            raise ValueError("extractor bug for this page")
        if KILLS in html:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(html, url, max_chars)

    newskit.scrape_text.extract_html = extract_html
    setup_extract(schema, limits)
