"""Quotations and geocoded places: precision and recall on the bundled sample's hand annotations
(sample/annotations.json, keys `quotes` and `places`), and the extra cost of both on top of the
nlp stage, measured like bench/nlp_throughput.py.

Quality: news.quotes and news.places of a warehouse built from the sample (the annotated days run
through the real assets into a temporary warehouse, or --warehouse PATH, e.g. after `make run`).
A quotation matches on its words (`text`), then speaker (canonical name, else as written) and
kind, then every annotated field (cue too); a place on its entity_key, then geonameid, then every
annotated field. tests/test_sample.py requires all of them (`compare`).

Cost: the UNER English-PUD documents as articles (evaluation only, never stored); each round runs
`annotate` (the nlp stage without extras) and then `annotate` with the Docs kept plus `extras_of`
(quotations, places and entity keys from the same parse: what `annotate_extras`, the nlp stage's
call, does), timed in this process's CPU time. Reported: words per CPU-second of each, the median
per-round ratio, and the CPU time of `extras_of` alone per 1,000 words and as a share of
`annotate`'s; the gazetteer's one-off load time and RSS are reported apart.

    .venv/bin/python bench/quotes_places.py [--warehouse PATH] [--pud PATH] [--rounds 6] [--skip-sample]
"""

from __future__ import annotations

import argparse
import gc
import json
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
ANNOTATIONS = Path(__file__).resolve().parents[1] / "sample" / "annotations.json"


def _prf(matched: int, predicted: int, annotated: int) -> str:
    p = matched / predicted if predicted else 1.0
    r = matched / annotated if annotated else 1.0
    return f"precision {p:.3f} ({matched}/{predicted}), recall {r:.3f} ({matched}/{annotated})"


QUOTE_FIELDS = ("text", "speaker", "speaker_canonical", "cue", "kind")
PLACE_FIELDS = ("entity_key", "mention", "mentions", "geonameid", "name", "country_code", "admin1_code",
                "latitude", "longitude", "feature_class")
QUOTE_LEVELS = (
    ("quote words", lambda q: q["text"]),
    ("+ speaker", lambda q: (q["text"], q["speaker_canonical"] or q["speaker"])),
    ("+ kind", lambda q: (q["text"], q["speaker_canonical"] or q["speaker"], q["kind"])),
    ("every quote field", lambda q: tuple(q[k] for k in QUOTE_FIELDS)),
)
PLACE_LEVELS = (
    ("place key", lambda p: p["entity_key"], lambda p: True),
    ("geonameid (resolved places)", lambda p: p["geonameid"], lambda p: p["geonameid"] is not None),
    ("every place field", lambda p: tuple(p[k] for k in PLACE_FIELDS), lambda p: True),
)


def _rows(con, sql: str, article_id: str) -> list[dict]:
    cursor = con.execute(sql, [article_id])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def compare(con, annotations: dict) -> tuple[dict[str, list[int]], dict[str, list[str]]]:
    """[matched, predicted, annotated] per level, and what is missed or extra per annotated path,
    from news.quotes and news.places of a warehouse built from the sample."""
    sources = dict(con.execute("SELECT r.source, a.article_id FROM news.raw_scrapes r JOIN news.articles a USING (scrape_id)").fetchall())
    totals = {name: [0, 0, 0] for name, *_ in (*QUOTE_LEVELS, *PLACE_LEVELS)}
    problems: dict[str, list[str]] = {}
    for path, ann in sorted(annotations.items()):
        if "quotes" not in ann and "places" not in ann:
            continue
        article_id = sources.get(path)
        if article_id is None:
            problems[path] = ["not loaded as an article"]
            continue
        got_q = _rows(con, f"SELECT {', '.join(QUOTE_FIELDS)} FROM news.quotes WHERE article_id = ? ORDER BY quote_no", article_id)
        got_p = _rows(con, f"SELECT {', '.join(PLACE_FIELDS)} FROM news.places WHERE article_id = ? ORDER BY entity_key", article_id)
        lines = []
        pairs = [(name, key, lambda row: True, ann.get("quotes", []), got_q) for name, key in QUOTE_LEVELS]
        pairs += [(name, key, keep, ann.get("places", []), got_p) for name, key, keep in PLACE_LEVELS]
        for name, key, keep, annotated, got in pairs:
            want = [key(r) for r in annotated if keep(r)]
            found = [key(r) for r in got if keep(r)]
            totals[name][0] += sum(1 for g in found if g in want)
            totals[name][1] += len(found)
            totals[name][2] += len(want)
            lines += [f"missed {name}: {w}" for w in want if w not in found]
            lines += [f"extra {name}: {g}" for g in found if g not in want]
        problems[path] = lines
    return totals, problems


def sample_warehouse() -> Path:
    """The sample's annotated days through the real assets, into a temporary warehouse."""
    import tempfile

    from pipelines.settings import NewsSettings
    from tests.pipeline_helpers import run_day

    annotations = json.loads(ANNOTATIONS.read_text(encoding="utf-8"))
    days = sorted({path[:10] for path, ann in annotations.items() if "quotes" in ann or "places" in ann})
    tmp = Path(tempfile.mkdtemp(prefix="quotes-places-"))
    settings = NewsSettings(scrapes_dir=str(ANNOTATIONS.parent / "scrapes"), warehouse_path=str(tmp / "warehouse.duckdb"))
    for day in days:
        assert run_day(settings, day).success, day
    return settings.warehouse


def sample_quality(warehouse: Path | None) -> None:
    import duckdb

    annotations = json.loads(ANNOTATIONS.read_text(encoding="utf-8"))
    con = duckdb.connect(str(warehouse or sample_warehouse()), read_only=True)
    try:
        totals, problems = compare(con, annotations)
    finally:
        con.close()
    print(f"sample: {len(problems)} annotated articles")
    for path, lines in problems.items():
        for line in lines:
            print(f"  {path}: {line}")
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
    parser.add_argument("--warehouse", type=Path, help="a warehouse built from the sample (default: build one)")
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
        sample_quality(args.warehouse)
    if args.pud.exists():
        throughput(args.pud, args.rounds, args.model)
    else:
        print(f"PUD file not found: {args.pud}; throughput not measured")


if __name__ == "__main__":
    main()
