"""Every benchmark in bench/, one after the other (`make bench`; `make bench BENCH_ARGS=--quick`).

Each runs in its own process with the full arguments its README numbers came from, or with
`--quick` small ones (a few minutes in all, to see that every bench still runs). Benches that need
the evaluation sets in ../shared or a warehouse built from the sample (`make run`) are skipped,
saying so, when those are absent. The exit code is 1 when any bench failed.

    .venv/bin/python bench/run_all.py [--quick] [--only throughput nlp_parallel ...]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
SHARED = REPO.parent / "shared"
NEEDS = {
    "pud": (SHARED / "nlp" / "uner-english-pud", "the UNER English-PUD set in ../shared"),
    "corpus": (SHARED / "corpus" / "aeb", "the extraction corpora in ../shared"),
    "sample warehouse": (REPO / "warehouse" / "warehouse.duckdb", "a warehouse of the sample: run `make run` first"),
}
# (script, full arguments, quick arguments, what it needs)
BENCHES: list[tuple[str, list[str], list[str], str | None]] = [
    ("throughput", [], ["--quick"], None),
    ("nlp_parallel", [], ["--articles", "48", "--rounds", "1"], None),
    ("flat_load", [], ["--per-day", "200", "--days", "20"], None),
    ("day_memory", ["--sizes", "300", "1500"], ["--sizes", "50", "150"], None),
    ("dedup_bench", [], ["--stories", "30", "--sizes", "1000"], None),
    ("suites_bench", [], ["--articles", "200"], None),
    ("warc_memory", [], ["--sizes-mb", "10"], None),
    ("sparse_inputs", [], ["--gb", "0.5"], None),
    ("nlp_long_paragraph", [], ["--chars", "20000,100000"], None),
    ("fuzz_day", ["--examples", "30"], ["--examples", "2"], None),
    ("nlp_sample", [], [], "sample warehouse"),
    ("ner_pud", [], [], "pud"),
    ("entity_rules", [], [], "pud"),
    ("nlp_throughput", ["--rounds", "4"], ["--rounds", "1"], "pud"),
    ("extraction_corpus", [], ["--limit", "20", "--speed-pages", "20"], "corpus"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small arguments: every bench runs, numbers are not for the README")
    parser.add_argument("--only", nargs="*", help="these benches only (names without .py)")
    args = parser.parse_args()
    failed = []
    for name, full, quick, needs in BENCHES:
        if args.only and name not in args.only:
            continue
        if needs and not NEEDS[needs][0].exists():
            print(f"\n=== {name}: skipped, needs {NEEDS[needs][1]}", flush=True)
            continue
        command = [sys.executable, str(BENCH / f"{name}.py"), *(quick if args.quick else full)]
        print(f"\n=== {name}: {' '.join(command[1:])}", flush=True)
        started = time.monotonic()
        code = subprocess.run(command, cwd=REPO).returncode
        print(f"=== {name}: {'ok' if code == 0 else f'FAILED (exit {code})'} in {time.monotonic() - started:.0f} s", flush=True)
        if code:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
