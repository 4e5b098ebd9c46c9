"""Time and peak memory of the nlp stage on one long paragraph, against bare spaCy on the same text.

A paragraph longer than spaCy's `max_length` (1,000,000 characters) made the whole day fail; now
`newskit.nlp.annotate` cuts it into chunks of at most `MAX_CHUNK_CHARS` at sentence boundaries.
Each measurement runs in a fresh subprocess so its peak RSS is its own:

    .venv/bin/python bench/nlp_long_paragraph.py [--chars 20000,100000,1200000]

`bare` is `nlp(text)` on the whole paragraph (refused past max_length), `annotate` is the stage's
function on an article made of that one paragraph.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHILD = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[3])
from newskit.nlp import NlpInput, annotate, load_pipeline
from newskit.segment import segment
nlp = load_pipeline()
nlp("warm up.")
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
sentence = "The council of Harwick said on Monday that 2,300 passengers used the ferry each day. "
text = (sentence * (int(sys.argv[2]) // len(sentence) + 1))[: int(sys.argv[2])]
started = time.perf_counter()
try:
    if sys.argv[1] == "bare":
        nlp(text)
        outcome = "ok"
    else:
        seg = segment([text])
        result = annotate(nlp, [NlpInput("a", seg.body, None, [(n, s, e) for n, (_, s, e) in enumerate(seg.sentences)])])
        outcome = f"{result.entities.num_rows} entities, {result.figures.num_rows} figures"
except ValueError as exc:
    outcome = f"ValueError: {str(exc)[:60]}"
print(json.dumps({"seconds": time.perf_counter() - started, "outcome": outcome,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "base_mb": base}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", default="20000,100000,1200000")
    args = parser.parse_args()
    for chars in (int(c) for c in args.chars.split(",")):
        for mode in ("bare", "annotate"):
            done = subprocess.run([sys.executable, "-c", CHILD, mode, str(chars), str(REPO)], capture_output=True, text=True)
            if done.returncode != 0:
                print(f"{chars:>9} chars {mode:8}: failed: {(done.stderr.strip().splitlines() or ['?'])[-1]}")
                continue
            r = json.loads(done.stdout)
            print(f"{chars:>9} chars {mode:8}: {r['seconds']:6.1f} s, peak RSS {r['peak_mb']:5.0f} MB "
                  f"(+{r['peak_mb'] - r['base_mb']:.0f} MB over the loaded model): {r['outcome']}")


if __name__ == "__main__":
    main()
