"""A stage's per-record work on every core: the shards of a day through a pool of worker processes.

`map_shards(task, shards, workers, ...)` yields `task(shard)` for every shard in the order of
`shards`, whatever the number of workers, so a stage writes the same file with one worker or
eight. With one worker the task runs in this process. Otherwise the workers are forked from a
forkserver (the safe start method for a process with threads, such as a Dagster run), each runs
`initializer(*initargs)` once (the spaCy model is loaded once per worker), and at most
`2 x workers` shards are in flight: memory holds a few shards, never the day.

A task handles each of its records through a `RecordGuard`, so a record's exception is that
record's `internal_error` inside the worker. A worker that dies (killed, out of memory, a crash in
C code) breaks the pool: the shards that were in flight are run again one at a time in a fresh
pool, a shard that kills a worker alone is cut in halves until the one record that does is found,
and that record's result is `lost(shard_of_one, detail)` (its `internal_error`). After
`max_deaths` deaths the stage stops with a `SystemicError`: workers that keep dying are a machine
out of memory, not bad records.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from newskit.isolation import SystemicError

S = TypeVar("S", bound=Sequence)
R = TypeVar("R")

DEFAULT_MAX_DEATHS = 8
# Imported once by the forkserver, so that every worker starts with them: newskit.preload (the shard
# tasks and their libraries), and the parent's main module, which every child of a non-fork start
# method imports again (`dagster` or `pipelines.cli`: its imports are then already loaded).
PRELOAD = ["__main__", "newskit.preload"]


def default_workers() -> int:
    """The cores this process may run on (its CPU affinity; the CPU count where that is unknown)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


class WorkersDiedError(SystemicError):
    """Worker processes kept dying: the machine is out of memory (or something kills them)."""


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    main = getattr(sys.modules["__main__"].__spec__, "name", None)  # `python -m pipelines.cli`
    context.set_forkserver_preload(PRELOAD + ([main] if main and not main.endswith("__main__") else []))
    return context


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "exit status unknown"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = ": killed, for example by the out-of-memory killer" if -code == signal.SIGKILL else ""
        return f"{name}{hint}"
    return f"exit code {code}"


class _Pool:
    """A ProcessPoolExecutor that can say how its workers ended and be stopped at once."""

    def __init__(self, workers: int, initializer: Callable | None, initargs: tuple) -> None:
        self.executor = ProcessPoolExecutor(workers, mp_context=_context(), initializer=initializer, initargs=initargs)

    def submit(self, task: Callable, shard) -> Future:
        return self.executor.submit(task, shard)

    def exits(self) -> str:
        processes = getattr(self.executor, "_processes", None) or {}
        codes = sorted({p.exitcode for p in processes.values() if p.exitcode not in (None, 0)}, key=str)
        return ", ".join(_describe_exit(code) for code in codes) or "exit status unknown"

    def close(self, cancel: bool) -> None:
        if not cancel:
            self.executor.shutdown(wait=True)
            return
        processes = list((getattr(self.executor, "_processes", None) or {}).values())
        self.executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:  # an interrupted run does not wait for shards in progress
            if process.is_alive():
                process.terminate()


class _Runner:
    def __init__(self, task, workers, initializer, initargs, lost, max_deaths) -> None:
        self.task, self.workers, self.initializer, self.initargs = task, workers, initializer, initargs
        self.lost, self.max_deaths = lost, max_deaths
        self.deaths = 0
        self._pool: _Pool | None = None

    @property
    def pool(self) -> _Pool:
        """Started with the first shard: a stage with nothing to compute starts no process."""
        if self._pool is None:
            self._pool = _Pool(self.workers, self.initializer, self.initargs)
        return self._pool

    def close(self, cancel: bool) -> None:
        if self._pool is not None:
            self._pool.close(cancel)
            self._pool = None

    def _died(self) -> str:
        """Count a pool broken by a dead worker, start a fresh one; the death's description."""
        self.deaths += 1
        detail = f"a worker process died ({self.pool.exits()})"
        self.close(cancel=True)
        if self.deaths > self.max_deaths:
            raise WorkersDiedError(
                f"{detail}; {self.deaths} worker processes died in this step, which is a machine out of memory "
                "or something killing them, not bad records: lower NEWS_WORKERS (the workers setting) or "
                "NEWS_MAX_RAW_BYTES, or free memory, then re-run the day"
            )
        return detail

    def isolate(self, shard: S) -> Iterator[R]:
        """`shard` run alone; when it kills a worker, its halves, down to the record that does."""
        future = self.pool.submit(self.task, shard)
        try:
            result = future.result()
        except BrokenProcessPool:
            detail = self._died()
            if len(shard) == 1:
                yield self.lost(shard, f"{detail} while handling this record alone")
                return
            middle = len(shard) // 2
            yield from self.isolate(shard[:middle])
            yield from self.isolate(shard[middle:])
            return
        yield result

    def run(self, shards: Iterable[S], in_flight: int) -> Iterator[R]:
        pending: deque[tuple[S, Future]] = deque()

        def first() -> Iterator[R]:
            shard, future = pending.popleft()
            try:
                yield future.result()
            except BrokenProcessPool:
                suspects = [(shard, None), *((s, f if f.done() and f.exception() is None else None) for s, f in pending)]
                pending.clear()
                self._died()
                for suspect, done in suspects:  # in order: shards that finished before the death keep their result
                    if done is not None:
                        yield done.result()
                    else:
                        yield from self.isolate(suspect)

        for shard in shards:
            pending.append((shard, self.pool.submit(self.task, shard)))
            if len(pending) >= in_flight:
                yield from first()
        while pending:
            yield from first()


def workers_for(records: int, shard_size: int, workers: int) -> int:
    """No more workers than shards: a day with one shard to compute runs it in this process."""
    return max(1, min(workers, -(-records // shard_size)))


def map_shards(
    task: Callable[[S], R],
    shards: Iterable[S],
    workers: int,
    *,
    lost: Callable[[S, str], R],
    initializer: Callable[..., None] | None = None,
    initargs: tuple = (),
    in_flight: int | None = None,
    max_deaths: int = DEFAULT_MAX_DEATHS,
) -> Iterator[R]:
    """`task(shard)` for each shard, in order; `task`, `initializer` and the shards must pickle.

    `lost(shard_of_one, detail)` is the result for a record that killed a worker on its own
    (shards are cut with slices, so `shard[:1]` must be a shard).
    """
    if workers <= 1:
        ready = initializer is None
        for shard in shards:
            if not ready:  # like a pool, not before the first shard
                initializer(*initargs)
                ready = True
            yield task(shard)
        return
    runner = _Runner(task, workers, initializer, initargs, lost, max_deaths)
    cancel = True
    try:
        yield from runner.run(shards, in_flight or 2 * workers)
        cancel = False
    finally:
        runner.close(cancel=cancel)
