"""The two ways to put every core on the nlp stage, against one bare spaCy process, in one run.

On N generated articles (bench/news_corpus.py, cut into sentences by the pipeline's own segmenter),
interleaved over `--rounds` rounds, wall time of:

- bare:      `nlp.pipe` over the articles' paragraphs in this process (the reference);
- serial:    `annotate` (spaCy plus entities, figures and dates) in this process;
- n_process: `annotate` with spaCy's own `nlp.pipe(..., n_process=W)`: spaCy's workers parse and
             send each Doc back; entities, figures and dates run here, one core;
- pool:      the stage's pool (newskit.workers): W workers each load the model once and run the
             whole of `annotate` on shards of articles, sending Arrow tables back; the pool's start
             and the model loads are counted.

    .venv/bin/python bench/nlp_parallel.py [--articles 200] [--workers 2] [--rounds 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import newskit.nlp as stage_nlp  # noqa: E402
from bench.news_corpus import story  # noqa: E402
from newskit.nlp import DEFAULT_MODEL, NlpInput, annotate, load_pipeline, paragraph_ranges  # noqa: E402
from newskit.segment import segment  # noqa: E402
from newskit.shards import annotate_shard, lost_annotate, setup_nlp  # noqa: E402
from newskit.workers import map_shards  # noqa: E402

SHARD = 16


def articles(n: int) -> list[NlpInput]:
    rng = random.Random(4)
    out = []
    for i in range(n):
        seg = segment(story(rng)[1])
        spans = [(no, start, end) for no, (_, start, end) in enumerate(seg.sentences)]
        out.append(NlpInput(f"a{i}", seg.body, datetime(2026, 5, 5, tzinfo=timezone.utc), spans))
    return out


def with_n_process(nlp, inputs: list[NlpInput], workers: int) -> int:
    """`annotate` with spaCy's multiprocessing inside nlp.pipe (the stage's batching kept)."""
    real = stage_nlp._docs

    def docs(model, batch_articles, batch_size, max_chunk_chars):
        chunks = stage_nlp._chunks(batch_articles, max_chunk_chars)
        yield from model.pipe(chunks, as_tuples=True, batch_size=64, n_process=workers)

    stage_nlp._docs = docs
    try:
        return annotate(nlp, inputs).entities.num_rows
    finally:
        stage_nlp._docs = real


def with_pool(model: str, inputs: list[NlpInput], workers: int) -> int:
    shards = [inputs[i:i + SHARD] for i in range(0, len(inputs), SHARD)]
    return sum(r.entities.num_rows for r in map_shards(annotate_shard, shards, workers, initializer=setup_nlp,
                                                       initargs=(model,), lost=lost_annotate))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args()
    inputs = articles(args.articles)
    texts = [a.body[s:e] for a in inputs for s, e in paragraph_ranges(a)]
    words = sum(len(a.body.split()) for a in inputs)
    nlp = load_pipeline(args.model)
    annotate(nlp, inputs[:5])  # warm up: name lists, vocabulary
    ways = {
        "bare": lambda: sum(1 for _ in nlp.pipe(texts, batch_size=256)),
        "serial": lambda: annotate(nlp, inputs).entities.num_rows,
        "n_process": lambda: with_n_process(nlp, inputs, args.workers),
        "pool": lambda: with_pool(args.model, inputs, args.workers),
    }
    times: dict[str, list[float]] = {name: [] for name in ways}
    found: dict[str, int] = {}
    for _ in range(args.rounds):
        for name, way in ways.items():
            started = time.perf_counter()
            found[name] = way()
            times[name].append(time.perf_counter() - started)
    print(f"{args.articles} articles, {len(texts)} paragraphs, {words:,} words; {args.workers} workers, {args.rounds} rounds")
    for name, seconds in times.items():
        ratios = [b / s for b, s in zip(times["bare"], seconds)]
        print(f"  {name:10s} median {statistics.median(seconds):6.1f} s  {words / statistics.median(seconds):7.0f} words/s  "
              f"x bare {statistics.median(ratios):.2f} (rounds {', '.join(f'{r:.2f}' for r in ratios)})"
              + (f"  {found[name]} entities" if name != "bare" else ""))


if __name__ == "__main__":
    main()
