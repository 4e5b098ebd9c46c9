"""Throughput of the whole nlp stage (annotate: spaCy + entities + figures + dates + Arrow) against
bare `nlp.pipe` with the same pipes on the same paragraph texts, in one run.

Texts: the UNER English-PUD sentences grouped by document into articles (evaluation only, never
stored). Each side runs `--rounds` times, interleaved, timed in this process's CPU time (other
jobs on a shared machine disturb it less than wall time). Reported: best rounds, and the median of
the per-round ratios (neighbouring rounds see similar machine load).

    .venv/bin/python bench/nlp_throughput.py [--pud PATH] [--repeat 1] [--rounds 8]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.ner_pud import DEFAULT_PUD, read_pud  # noqa: E402
from newskit.gazetteer import given_names, known_places  # noqa: E402
from newskit.nlp import DEFAULT_MODEL, NlpInput, annotate, load_pipeline, paragraph_ranges  # noqa: E402

PUBLISHED = datetime(2016, 11, 10, 12, tzinfo=timezone.utc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pud", type=Path, default=DEFAULT_PUD)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--repeat", type=int, default=1, help="copies of the corpus per round")
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    if not args.pud.exists():
        sys.exit(f"PUD file not found: {args.pud}")
    documents = read_pud(args.pud)
    articles = [
        NlpInput(f"{copy}-{d.doc_id}", d.body, PUBLISHED, d.sentence_spans())
        for copy in range(args.repeat)
        for d in documents
    ]
    texts = [a.body[s:e] for a in articles for s, e in paragraph_ranges(a)]
    words = sum(len(a.body.split()) for a in articles)
    nlp = load_pipeline(args.model)
    list(nlp.pipe(texts[:50]))  # warm up
    started = time.process_time()
    known_places(), given_names()  # loaded once per process, on first use
    print(f"name lists (places, given names) loaded once per process in {time.process_time() - started:.2f} CPU-s")

    bare_times: list[float] = []
    ours_times: list[float] = []
    entities = figures = 0
    for _ in range(args.rounds):
        cpu = time.process_time()
        for _doc in nlp.pipe(texts, batch_size=256):
            pass
        bare_times.append(time.process_time() - cpu)
        cpu = time.process_time()
        result = annotate(nlp, articles)
        ours_times.append(time.process_time() - cpu)
        entities, figures = result.entities.num_rows, result.figures.num_rows
    ratios = sorted(b / o for b, o in zip(bare_times, ours_times))
    bare_best, ours_best = min(bare_times), min(ours_times)

    print(f"model {args.model}, pipes {nlp.pipe_names}")
    print(f"{len(articles)} articles, {len(texts)} paragraphs, {words} words; {args.rounds} interleaved rounds")
    print(f"bare nlp.pipe : {words / bare_best:7.0f} words per CPU-second (best round {bare_best:.2f} s)")
    print(f"annotate()    : {words / ours_best:7.0f} words per CPU-second (best round {ours_best:.2f} s), "
          f"{entities} entities, {figures} figures")
    print(f"ratio         : {bare_best / ours_best:.1%} of bare (best rounds), "
          f"median of per-round ratios {statistics.median(ratios):.1%} (range {ratios[0]:.1%}-{ratios[-1]:.1%})")

if __name__ == "__main__":
    main()
