"""Score our HTML -> clean body extractor against trafilatura on both gold corpora, in one run.

    .venv/bin/python bench/extraction_corpus.py [--corpus aeb|trafilatura-eval|all] [--limit N] [--repeat N]

Runs ../shared/tools/extraction_eval.py (the shared scorer) with `newskit.extract:html_to_text`
and `trafilatura` side by side, so precision, recall, F1 and docs/s come from the same machine
load, and prints our docs/s as a share of trafilatura's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=[*CORPORA, "all"], default="all")
    parser.add_argument("--limit", type=int, help="only the first N pages of each corpus")
    parser.add_argument("--repeat", type=int, default=1, help="timing passes (the fastest counts)")
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
