"""Quotations and geocoded places: precision and recall on the bundled sample's hand annotations
(sample/annotations.json, keys `quotes` and `places`), and the extra cost of both on top of the
nlp stage, measured like bench/nlp_throughput.py.

Quality: the annotated sample day is run through the real assets, then `annotate_extras`
(`newskit.entity_keys`). A quotation matches on its words (`text`), then speaker (canonical name,
else as written) and kind; a place on its entity_key, then geonameid.

Cost: the UNER English-PUD documents as articles (evaluation only, never stored); each round runs
`annotate` (the nlp stage today) and then `annotate` with the Docs kept plus `extras_of`
(quotations, places and entity keys from the same parse: what `annotate_extras` does), timed in
this process's CPU time. Reported: words per CPU-second of each, the median per-round ratio, and
the CPU time of `extras_of` alone per 1,000 words and as a share of `annotate`'s;
the gazetteer's one-off load time and RSS are reported apart.

    .venv/bin/python bench/quotes_places.py [--pud PATH] [--rounds 6] [--skip-sample]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.ner_pud import DEFAULT_PUD, read_pud  # noqa: E402
from newskit.entity_keys import KeepDocs, extras_of  # noqa: E402
from newskit.gazetteer import given_names, known_places  # noqa: E402
from newskit.nlp import DEFAULT_MODEL, NlpInput, annotate, load_pipeline  # noqa: E402
from newskit.places import gazetteer  # noqa: E402

PUBLISHED = datetime(2016, 11, 10, 12, tzinfo=timezone.utc)


def _prf(matched: int, predicted: int, annotated: int) -> str:
    p = matched / predicted if predicted else 1.0
    r = matched / annotated if annotated else 1.0
    return f"precision {p:.3f} ({matched}/{predicted}), recall {r:.3f} ({matched}/{annotated})"


def sample_quality() -> None:
    from tests.beyond_sample import ANNOTATIONS, sample_extras

    ids, _, extras = sample_extras()
    quotes, places = extras.quotes.to_pylist(), extras.places.to_pylist()
    totals = {"quote words": [0, 0, 0], "+ speaker": [0, 0, 0], "+ kind": [0, 0, 0],
              "place key": [0, 0, 0], "geonameid (resolved places)": [0, 0, 0]}  # fmt: skip
    for path, ann in sorted(ANNOTATIONS.items()):
        got_q = [q for q in quotes if q["article_id"] == ids[path]]
        for name, key in (
            ("quote words", lambda q: q["text"]),
            ("+ speaker", lambda q: (q["text"], q["speaker_canonical"] or q["speaker"])),
            ("+ kind", lambda q: (q["text"], q["speaker_canonical"] or q["speaker"], q["kind"])),
        ):
            want, got = [key(q) for q in ann["quotes"]], [key(q) for q in got_q]
            totals[name][0] += sum(1 for g in got if g in want)
            totals[name][1] += len(got)
            totals[name][2] += len(want)
            for missed in (w for w in want if w not in got):
                print(f"  {path}: missed {name}: {missed}")
        got_p = [p for p in places if p["article_id"] == ids[path]]
        for name, key, keep in (
            ("place key", lambda p: p["entity_key"], lambda p: True),
            ("geonameid (resolved places)", lambda p: p["geonameid"], lambda p: p["geonameid"] is not None),
        ):
            want, got = [key(p) for p in ann["places"] if keep(p)], [key(p) for p in got_p if keep(p)]
            totals[name][0] += sum(1 for g in got if g in want)
            totals[name][1] += len(got)
            totals[name][2] += len(want)
    print(f"sample: {len(ANNOTATIONS)} annotated articles")
    for name, (matched, predicted, annotated) in totals.items():
        print(f"  {name:28s} {_prf(matched, predicted, annotated)}")


def throughput(pud: Path, rounds: int, model: str) -> None:
    documents = read_pud(pud)
    articles = [NlpInput(d.doc_id, d.body, PUBLISHED, d.sentence_spans()) for d in documents]
    words = sum(len(a.body.split()) for a in articles)
    nlp = load_pipeline(model)
    annotate(nlp, articles[:5])
    base, extra, alone = [], [], []
    quotes = places = 0
    for _ in range(rounds):
        cpu = time.process_time()
        annotate(nlp, articles)
        base.append(time.process_time() - cpu)
        cpu = time.process_time()
        keeper = KeepDocs(nlp)
        result = annotate(keeper, articles)
        middle = time.process_time()
        extras = extras_of(articles, keeper.docs, result.entities)
        extra.append(time.process_time() - cpu)
        alone.append(time.process_time() - middle)
        quotes, places = extras.quotes.num_rows, extras.places.num_rows
    ratios = sorted(b / e for b, e in zip(base, extra))
    share = sorted(a / b for a, b in zip(alone, base))
    print(f"{len(articles)} PUD articles, {words} words; {rounds} interleaved rounds; {quotes} quotations, {places} places")
    print(f"annotate()        : {words / min(base):7.0f} words per CPU-second (best round {min(base):.2f} s)")
    print(f"annotate_extras() : {words / min(extra):7.0f} words per CPU-second (best round {min(extra):.2f} s)")
    print(f"ratio             : median {statistics.median(ratios):.1%} of annotate's throughput (range {ratios[0]:.1%}-{ratios[-1]:.1%})")
    print(f"quotes + places   : {statistics.median(alone) / words * 1e6:.1f} CPU-ms per 1,000 words, "
          f"median {statistics.median(share):.1%} of annotate's time (range {share[0]:.1%}-{share[-1]:.1%})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pud", type=Path, default=DEFAULT_PUD)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--skip-sample", action="store_true")
    args = parser.parse_args()
    load_pipeline(args.model)
    known_places(), given_names()  # the entity stage's name lists, loaded before the gazetteer is measured
    gc.collect()
    rss = int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2**20
    started = time.process_time()
    gazetteer()
    gc.collect()
    rss_after = int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2**20
    print(f"gazetteer loaded once per process in {time.process_time() - started:.2f} CPU-s, RSS +{rss_after - rss:.0f} MB")
    if not args.skip_sample:
        sample_quality()
    if args.pud.exists():
        throughput(args.pud, args.rounds, args.model)
    else:
        print(f"PUD file not found: {args.pud}; throughput not measured")


if __name__ == "__main__":
    main()
