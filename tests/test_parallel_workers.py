"""The worker pool (newskit.workers) with real worker processes: order, isolation, dead workers, setup errors."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from functools import partial

import pyarrow as pa
import pytest

from assets.extract import EXTRACTED_SCHEMA
from newskit.limits import DEFAULT_LIMITS
from newskit.nlp import ModelNotInstalledError, NlpInput
from newskit.shards import annotate_shard, extract_shard, lost_annotate, lost_extract, setup_nlp
from newskit.workers import WorkersDiedError, map_shards, workers_for
from tests import worker_tasks

SHARDS = [list(range(n, n + 4)) for n in range(0, 40, 4)]


def _lost(shard: list[int], detail: str) -> list[tuple[str, int, str]]:
    return [("lost", shard[0], detail)]


def test_results_come_back_in_shard_order_whatever_the_workers():
    one = list(map_shards(worker_tasks.square, SHARDS, 1, lost=_lost))
    two = list(map_shards(worker_tasks.square, SHARDS, 2, lost=_lost, in_flight=3))
    assert one == two == [[n * n for n in shard] for shard in SHARDS]


def test_a_record_that_kills_its_worker_is_lost_alone_and_the_rest_comes_back_in_order():
    results = [item for shard in map_shards(worker_tasks.square_or_die, SHARDS, 2, lost=_lost) for item in shard]
    lost = [item for item in results if isinstance(item, tuple)]
    assert len(lost) == 1 and lost[0][1] == 13
    assert "a worker process died (SIGKILL: killed, for example by the out-of-memory killer)" in lost[0][2]
    assert "while handling this record alone" in lost[0][2]
    assert [item for item in results if not isinstance(item, tuple)] == [n * n for n in range(40) if n != 13]


def test_workers_that_keep_dying_stop_the_stage_with_what_to_do_instead_of_hanging():
    started = time.monotonic()
    with pytest.raises(WorkersDiedError, match="lower NEWS_WORKERS"):
        list(map_shards(worker_tasks.always_die, SHARDS, 2, lost=_lost, max_deaths=3))
    assert time.monotonic() - started < 60


def _raw(source: str, html: str) -> dict:
    return {"scrape_id": source, "source": source, "url": f"https://site.example/{source}", "site": None,
            "fetched_at": datetime(2026, 5, 5, tzinfo=timezone.utc), "content_type": "text/html",
            "declared_charset": "utf-8", "content": html.encode(), "reject_reason": None, "reject_detail": None}


def _page(n: int, marker: str = "") -> str:
    body = " ".join(f"The council of Harwick met on Monday and {n + k} residents spoke about the ferry." for k in range(6))
    return f"<html><head><title>Ferry story {n}</title></head><body><article><h1>Ferry story {n}</h1><p>{body}</p><p>{marker}</p></article></body></html>"


def test_an_exception_in_a_worker_is_that_records_internal_error_and_a_killed_worker_is_that_records():
    pages = [_raw(f"p{n}", _page(n, worker_tasks.RAISES if n == 3 else worker_tasks.KILLS if n == 6 else "")) for n in range(10)]
    shards = [pa.RecordBatch.from_pylist(pages[n:n + 4]) for n in range(0, 10, 4)]
    results = list(map_shards(extract_shard, shards, 2, initializer=worker_tasks.setup_broken_extract,
                              initargs=(EXTRACTED_SCHEMA, DEFAULT_LIMITS), lost=partial(lost_extract, EXTRACTED_SCHEMA)))
    rows = pa.concat_tables([r.table for r in results]).to_pylist()
    assert [r["source"] for r in rows] == [f"p{n}" for n in range(10)]  # in order, each once
    outcome = {r["source"]: (r["reject_reason"], r["reject_detail"]) for r in rows}
    assert outcome["p3"] == ("internal_error", "extract: ValueError: extractor bug for this page")
    assert outcome["p6"][0] == "internal_error" and outcome["p6"][1].startswith("extract: WorkerDied: a worker process died (SIGKILL")
    assert all(outcome[f"p{n}"] == (None, None) for n in range(10) if n not in (3, 6))
    errors = sum((r.errors for r in results), start=type(results[0].errors)())
    assert errors == {"ValueError": 1, "WorkerDied": 1}


def test_a_setup_that_fails_in_the_workers_fails_the_stage_with_its_own_error():
    article = NlpInput("a1", "Mara Lind spoke in Harwick.", None, [(0, 0, 27)])
    with pytest.raises(ModelNotInstalledError, match="'en_core_web_not_installed' is not installed"):
        list(map_shards(annotate_shard, [[article], [article]], 2, initializer=setup_nlp,
                        initargs=("en_core_web_not_installed",), lost=lost_annotate))


def test_a_stage_uses_no_more_workers_than_it_has_shards():
    assert workers_for(0, 16, 4) == 1 and workers_for(16, 16, 4) == 1
    assert workers_for(17, 16, 4) == 2 and workers_for(1000, 16, 4) == 4
