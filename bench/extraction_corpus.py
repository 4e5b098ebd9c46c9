"""Score our HTML -> clean body extractor against trafilatura on both gold corpora, in one run.

    .venv/bin/python bench/extraction_corpus.py [--corpus aeb|trafilatura-eval|all] [--limit N] [--repeat N]

Runs ../shared/tools/extraction_eval.py (the shared scorer) with `newskit.extract:html_to_text`
and `trafilatura` side by side, so precision, recall, F1 and docs/s come from the same run, and
prints our docs/s as a share of trafilatura's. The scorer times each extractor over the whole
corpus one after the other, so on a shared machine a change of load between the two passes
moves the ratio by tens of percent; the bench therefore also times both extractors page by page,
alternating which goes first, in CPU time (`--speed-pages`, 0 to skip).
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "tools" / "extraction_eval.py"
OURS = "newskit.extract:html_to_text"
CORPORA = ("aeb", "trafilatura-eval")


def score(corpus: str, limit: int | None, repeat: int) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        summary = Path(tmp) / "summary.json"
        command = [sys.executable, str(SCORER), "--corpus", str(SHARED / "corpus" / corpus),
                   "--extractor", OURS, "--extractor", "trafilatura", "--repeat", str(repeat), "--json", str(summary)]
        if limit:
            command += ["--limit", str(limit)]
        subprocess.run(command, cwd=ROOT, check=True)
        return json.loads(summary.read_text())


def interleaved_speed(corpus: str, pages: int) -> tuple[float, float]:
    """(ours, trafilatura) docs per CPU-second, timing both on each page in alternating order."""
    import trafilatura

    from newskit.extract import html_to_text

    def theirs(html: bytes) -> str | None:
        return trafilatura.extract(html, include_comments=False)

    files = sorted((SHARED / "corpus" / corpus / "html").glob("*.html.gz"))[:pages]
    docs = [gzip.decompress(f.read_bytes()) for f in files]
    spent = {html_to_text: 0.0, theirs: 0.0}
    for fn in spent:
        fn(docs[0])  # warm-up: lazy imports and caches
    for i, doc in enumerate(docs):
        for fn in (html_to_text, theirs) if i % 2 == 0 else (theirs, html_to_text):
            start = time.process_time()
            fn(doc)
            spent[fn] += time.process_time() - start
    return len(docs) / spent[html_to_text], len(docs) / spent[theirs]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=[*CORPORA, "all"], default="all")
    parser.add_argument("--limit", type=int, help="only the first N pages of each corpus")
    parser.add_argument("--repeat", type=int, default=1, help="timing passes (the fastest counts)")
    parser.add_argument("--speed-pages", type=int, default=200, help="pages for the interleaved CPU timing")
    args = parser.parse_args()
    if not SCORER.exists():
        print(f"scorer not found at {SCORER}", file=sys.stderr)
        return 2
    for corpus in CORPORA if args.corpus == "all" else (args.corpus,):
        rows = {row["extractor"]: row for row in score(corpus, args.limit, args.repeat)}
        ours, theirs = rows[OURS], rows["trafilatura"]
        print(f"\n{corpus}: F1 ours {ours['f1']:.3f} vs trafilatura {theirs['f1']:.3f} "
              f"(P {ours['precision']:.3f}/{theirs['precision']:.3f}, R {ours['recall']:.3f}/{theirs['recall']:.3f}); "
              f"speed {ours['docs_per_s']:.1f} vs {theirs['docs_per_s']:.1f} docs/s "
              f"= {ours['docs_per_s'] / theirs['docs_per_s']:.0%} of trafilatura")
        if args.speed_pages:
            mine, base = interleaved_speed(corpus, args.speed_pages)
            print(f"{corpus}: interleaved CPU timing on {args.speed_pages} pages: {mine:.1f} vs {base:.1f} docs/CPU-s "
                  f"= {mine / base:.0%} of trafilatura")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
